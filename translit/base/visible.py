"""Text shown to a person (a file's name, a message, a value in a listing) with its control
characters escaped, as `ls` shows them: it never drives the terminal, nor splits its line."""

# Control characters (C0, DEL, C1) as escapes.
_ESCAPES = {code: f"\\x{code:02x}" for code in (*range(0x20), *range(0x7F, 0xA0))}
_ESCAPES.update({ord("\n"): "\\n", ord("\t"): "\\t", ord("\r"): "\\r"})


def visible(text: str) -> str:
    r"""`text` with its control characters escaped.

    >>> print(visible("a\nb\x1b[31m.txt"))
    a\nb\x1b[31m.txt
    """
    return text.translate(_ESCAPES)
