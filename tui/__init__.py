"""The review TUI (Textual): the only place that knows about Textual."""
