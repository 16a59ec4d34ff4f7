"""The ``translit`` command: the entry point (signals first), the Typer parser, what the
command does once parsed, and the report that owns the exit status."""
