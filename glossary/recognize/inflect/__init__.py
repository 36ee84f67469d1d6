"""Case endings of names: generated Russian forms, Kazakh and German suffix rules."""
