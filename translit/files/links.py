"""Links between the files of an output tree whose names ``--rename`` converted.

A page's relative link to a file or folder of the tree that was renamed is written with
the new names, segment by segment, in the link's own shape (``./``, ``../``, a query, a
fragment, percent-escapes); any other link (another site, an absolute path, a file that
is not in the tree, a name that did not change) stays byte for byte.

>>> names = tree_names({"index.html": "index.html", "расмлар/логотип.png": "rasmlar/logotip.png",
...                     "саҳифалар/бош.html": "sahifalar/bosh.html"})
>>> links = TreeLinks(names, "index.html")
>>> links("расмлар/логотип.png"), links("./саҳифалар/бош.html#боб"), links("https://x.uz/расмлар/")
('rasmlar/logotip.png', './sahifalar/bosh.html#боб', 'https://x.uz/расмлар/')
>>> TreeLinks(names, "саҳифалар/бош.html")("../расмлар/логотип.png?v=2")
'../rasmlar/logotip.png?v=2'
>>> links("расмлар/йўқ.png")  # not a file of the tree: as it is
'расмлар/йўқ.png'
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable, Mapping
from typing import Any

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_SAFE_IN_PATHS = "!$&'()*+,;=:@~"


def tree_names(renamed: Mapping[str, str]) -> dict[str, str]:
    """For each file (relative path → its renamed relative path, POSIX) and each folder
    above it: its path in the tree → its new name."""
    names: dict[str, str] = {}
    for old, new in renamed.items():
        old_parts, new_parts = old.split("/"), new.split("/")
        if len(old_parts) != len(new_parts):
            continue
        for depth in range(1, len(old_parts) + 1):
            names.setdefault("/".join(old_parts[:depth]), new_parts[depth - 1])
    return names


class TreeLinks:
    """Rewrites the links of the file at `here` (a path in the tree, POSIX) to follow the
    renamed files and folders of `names` (see `tree_names`; None: no name changed), and
    a link to a heading of a Markdown file converted in the same run to follow its
    converted anchor (`anchors`: the file's path in the tree → its headings' old anchor →
    new, see `heading_anchors`); a picklable callable, for worker processes.

    >>> links = TreeLinks(None, "docs/a.md", {"docs/b.md": {"бўлим": "boʻlim"}})
    >>> links("b.md#бўлим"), links("./b.md#%D0%B1%D1%9E%D0%BB%D0%B8%D0%BC"), links("c.md#бўлим")
    ('b.md#boʻlim', './b.md#bo%CA%BBlim', 'c.md#бўлим')
    """

    def __init__(self, names: Mapping[str, str] | None, here: str,
                 anchors: Mapping[str, Mapping[str, str]] | None = None) -> None:
        self.names = names
        self.folder = here.split("/")[:-1]
        self.anchors = anchors or {}

    def __call__(self, link: str) -> str:
        if not link or link.startswith(("/", "#", "\\", "?")) or _SCHEME.match(link):
            return link
        ends = [at for at in (link.find("?"), link.find("#")) if at >= 0]
        cut = min(ends) if ends else len(link)
        path, rest = link[:cut], link[cut:]
        where = list(self.folder)
        out: list[str] = []
        changed = False
        for segment in path.split("/"):
            if segment in ("", "."):
                out.append(segment)
                continue
            if segment == "..":
                if not where:
                    return link  # above the tree
                where.pop()
                out.append(segment)
                continue
            name = urllib.parse.unquote(segment)
            where.append(name)
            if self.names is None:
                out.append(segment)
                continue
            new = self.names.get("/".join(where))
            if new is None:
                return link  # not a file or folder of the tree
            if new != name:
                changed = True
                segment = urllib.parse.quote(new, safe=_SAFE_IN_PATHS) if "%" in segment else new
            out.append(segment)
        anchors = self.anchors.get("/".join(where))
        if anchors and "#" in rest:
            before, fragment = rest.split("#", 1)
            anchor = anchors.get(urllib.parse.unquote(fragment))
            if anchor is not None:
                changed = True
                rest = before + "#" + (urllib.parse.quote(anchor, safe="-_") if "%" in fragment
                                       else anchor)
        return "/".join(out) + rest if changed else link


def heading_anchors(pages: Mapping[str, str], transliterator: Any,
                    read: Callable[[str], str | None]) -> dict[str, dict[str, str]]:
    """For each Markdown page of `pages` (its path in the tree → where to read it, by
    `read`, None if it cannot be read): its headings' anchors that the conversion
    changes, old → new (the anchors a link from another page follows).

    >>> from translit.converter.transliterator import get_transliterator
    >>> heading_anchors({"b.md": "b.md"}, get_transliterator(),
    ...                 lambda _: "# Форум бўлими\\n\\nМатн\\n")
    {'b.md': {'форум-бўлими': 'forum-boʻlimi'}}
    """
    from ..formats.markdown import heading_anchors as anchors_of

    found = {}
    for page, source in pages.items():
        text = read(source)
        if text is not None:
            anchors = anchors_of(text, transliterator)
            if anchors:
                found[page] = anchors
    return found


def relinked_style_sheet(data: bytes, relink: Callable[[str], str]) -> bytes:
    """A style sheet with its ``url(…)`` and ``@import "…"`` links relinked; every other
    byte as it was (it is not converted: it is code).

    >>> relinked_style_sheet(b'a{background:url("../\\xd1\\x84.png")} @import "x.css";',
    ...                      lambda link: link.replace("../", "./"))
    b'a{background:url("./\\xd1\\x84.png")} @import "x.css";'
    """
    from ..formats.markup import relinked_css

    text = data.decode("utf-8", "surrogateescape")
    new = relinked_css(text, relink)
    return data if new == text else new.encode("utf-8", "surrogateescape")
