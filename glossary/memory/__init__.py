"""The translation memory: scoring, the word index, its lifecycle, search and concordance."""
