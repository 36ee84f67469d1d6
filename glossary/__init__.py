"""Glossary: a term base and translation memory for names in Central Asian news texts."""

__version__ = "0.1.0"
