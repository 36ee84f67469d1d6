"""The model: plain records, database tables, errors and language tags; imports nothing else of Glossary."""
