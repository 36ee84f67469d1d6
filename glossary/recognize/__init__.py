"""Recognition of the term base's names in any text: the compiled index, near misses and inflection.

``index`` compiles the term base into tables and an Aho-Corasick automaton; ``spans`` finds the
names in a text; ``nearmiss`` finds misspelt person and place names (a PassJoin partition
filter) and ``ordinary`` keeps ordinary words of the text's language out of them; ``stored``
saves a compiled index in a folder and loads it without compiling; ``inflect`` holds the case
endings of Russian, Kazakh, German and French.
"""
