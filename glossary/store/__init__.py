"""The store: database engines, the term base and documents with their translations."""
