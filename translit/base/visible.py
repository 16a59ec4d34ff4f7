"""Text shown to a person (a file's name, a message, a value in a listing) with its control
characters escaped, as `ls` shows them: it never drives the terminal, nor splits its line."""

import os

# Control characters (C0, DEL, C1) as escapes; so are the marks and overrides of
# bidirectional text, which turn the rest of a line around on the screen (a name
# "gone\u202etxt.exe" reads "goneexe.txt").
_ESCAPES = {code: f"\\x{code:02x}" for code in (*range(0x20), *range(0x7F, 0xA0))}
_ESCAPES.update({ord("\n"): "\\n", ord("\t"): "\\t", ord("\r"): "\\r"})
_BIDI_ESCAPES = {code: f"\\u{code:04x}" for code in (0x061C, 0x200E, 0x200F,
                                                     *range(0x202A, 0x202F), *range(0x2066, 0x206A))}
_ESCAPES.update(_BIDI_ESCAPES)
_NAME_ESCAPES = dict(_ESCAPES)  # (a name listed as bytes keeps the bytes that are no UTF-8)
# A byte of a name that is no UTF-8 (read with surrogateescape, U+DC80-U+DCFF) as the byte,
# which names the file (written out, it became "?").
_ESCAPES.update({0xDC00 + byte: f"\\x{byte:02x}" for byte in range(0x80, 0x100)})


def visible(text: str) -> str:
    r"""`text` with its control characters escaped.

    >>> print(visible("a\nb\x1b[31m.txt"), visible("gone\u202etxt.exe"), visible("b\udcff.txt"))
    a\nb\x1b[31m.txt gone\u202etxt.exe b\xff.txt
    """
    return text.translate(_ESCAPES)


def visible_name(name: str) -> bytes:
    r"""A file's name as a list of names writes it (--check's): its bytes, the control
    characters and marks of bidirectional text escaped as `visible` escapes them; a byte
    that is no UTF-8 is written as it is (the name in the encoding it was made in, which
    a script reading the list opens).

    >>> visible_name("a\nb\udcea.txt")
    b'a\\nb\xea.txt'
    """
    return os.fsencode(name.translate(_NAME_ESCAPES))


def bidi_escaped(text: str) -> str:
    r"""`text` with the marks and overrides of bidirectional text escaped, and nothing else
    (a name in the preview's header, whose control characters are shown as symbols).

    >>> print(bidi_escaped("gone\u202etxt.exe"))
    gone\u202etxt.exe
    """
    return text.translate(_BIDI_ESCAPES)
