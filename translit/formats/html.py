"""HTML and XHTML files (``.html .htm .xhtml``): the text people read, and nothing else.

See markup.py for what is converted and what never is. A file read in another encoding
than UTF-8 is written in UTF-8, and its declared charset (``<meta charset>``, the
``Content-Type`` meta, an XML declaration) says so.

>>> from translit.converter.transliterator import get_transliterator
>>> from translit.formats.base import Job, Setting
>>> page = make(Job(get_transliterator()), Setting())
>>> page.feed('<a href="/йўл" title="Йўл">Йўл</a><!-- изоҳ -->') + page.finish()
'<a href="/йўл" title="Yoʻl">Yoʻl</a><!-- изоҳ -->'
"""

from __future__ import annotations

from .base import Job, Setting, Transform
from .markup import HtmlTransform


def make(job: Job, setting: Setting) -> Transform:
    """The converter of one HTML file."""
    return HtmlTransform(job, setting)
