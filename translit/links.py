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
    renamed files and folders of `names` (see `tree_names`); a picklable callable, for
    worker processes."""

    def __init__(self, names: Mapping[str, str], here: str) -> None:
        self.names = names
        self.folder = here.split("/")[:-1]

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
            new = self.names.get("/".join(where))
            if new is None:
                return link  # not a file or folder of the tree
            if new != name:
                changed = True
                segment = urllib.parse.quote(new, safe=_SAFE_IN_PATHS) if "%" in segment else new
            out.append(segment)
        return "/".join(out) + rest if changed else link


def relinked_style_sheet(data: bytes, relink: Callable[[str], str]) -> bytes:
    """A style sheet with its ``url(…)`` and ``@import "…"`` links relinked; every other
    byte as it was (it is not converted: it is code).

    >>> relinked_style_sheet(b'a{background:url("../\\xd1\\x84.png")} @import "x.css";',
    ...                      lambda link: link.replace("../", "./"))
    b'a{background:url("./\\xd1\\x84.png")} @import "x.css";'
    """
    from .formats.markup import relinked_css

    text = data.decode("utf-8", "surrogateescape")
    new = relinked_css(text, relink)
    return data if new == text else new.encode("utf-8", "surrogateescape")
