"""Every cap on what one input may cost, in one place (README: Limits prints them).

Whatever a file holds, translit ends with exit 0 or 2 on a deadline and in bounded memory:
a text format streams, holding at most a line or a run of text; a format parsed whole
(JSON, Markdown) holds at most `MAX_WHOLE_FILE_CHARS`; a zip package unpacks at most
`MAX_PACKAGE_BYTES`, at a ratio of at most `MAX_PACKAGE_RATIO` to its compressed size; and a
parser that could crash or take superlinear time is only given what it survives.

>>> MAX_WHOLE_FILE_CHARS >> 20, MAX_LINE_CHARS >> 20, MAX_RSS_BYTES >> 20
(64, 16, 500)
"""

from __future__ import annotations

# What the hostile-input tests and the fuzzing harness (bench/fuzz.py) hold every run to,
# for any input of 1 MB or less: peak resident memory, and seconds.
MAX_RSS_BYTES = 500 << 20
MAX_SECONDS_PER_MB = 10

# A format read whole (JSON, Markdown): a larger file (in characters) is refused.
MAX_WHOLE_FILE_CHARS = 64 << 20
# A format read a line at a time (SubRip, WebVTT, gettext): a longer line is refused.
MAX_LINE_CHARS = 16 << 20
# A line that --diff (unified, --json) holds whole, in bytes: a longer one is refused (the
# preview shows it in part).
MAX_DIFF_LINE_BYTES = 64 << 20
# A table or list of one's own, read whole (--rules, --exceptions, --keep; the largest
# built-in one is under 1 MB): a larger file is refused.
MAX_TABLE_BYTES = 16 << 20

# Zip packages (docx, xlsx, pptx, odt ...).
MAX_PACKAGE_MEMBERS = 20_000
MAX_PACKAGE_BYTES = 2 << 30  # uncompressed, all members together
MAX_PACKAGE_RATIO = 200  # uncompressed / compressed, of a large member and of the whole
RATIO_CHECKED_ABOVE = 16 << 20  # uncompressed bytes (small members compress freely)

# Markdown: tree-sitter's inline parser takes time and memory that grow faster than the
# text with the emphasis, code and link markers of one paragraph (4,000 bytes of "*a _"
# take 1.1 GB; "[a](" and 16,000 "$" 4 s), and its C code crashes on some deep shapes: a
# paragraph with more markers, or a line nested deeper in lists and quotes, is refused
# before any parser sees it.
MAX_MARKDOWN_MARKERS = 500  # of * _ ~ [ ] ( ) ` $ in a paragraph, heading or table cell
# ... and in the whole file: 16,384 and one per 8 bytes (prose has one per 50; each
# marker may cost the parser 30 µs).
MARKDOWN_MARKERS_FREE = 1 << 14
MARKDOWN_BYTES_PER_MARKER = 8
MAX_MARKDOWN_NESTING = 100  # lists and block quotes, one inside another
# Image openers "![" that no "]" closes, in one paragraph: with emphasis before and after
# them, the inline parser's time doubles with each (24 take 0.8 s, 40 did not end), inside
# its C code, where no signal reaches it.
MAX_MARKDOWN_OPEN_IMAGES = 16
# ASCII punctuation in one paragraph: the parsers keep a node for each (a paragraph of
# 1 MB of ">" took 480 MB).
MAX_MARKDOWN_PUNCTUATION = 1 << 16


class LimitExceeded(ValueError):
    """An input past one of these caps, where no format's error fits (a line --diff holds);
    the message says which, in one line."""
