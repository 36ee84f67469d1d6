"""Consistency and spelling rules as pure functions over records, and their reports."""
