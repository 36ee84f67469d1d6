"""Recognition of the term base's names in any text: the compiled index, near misses and inflection."""
