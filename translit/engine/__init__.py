"""The engine's machinery, ``str -> str``: words, kept spans, the repairs before the rules,
the rule table prepared for one set of options, and the engines that run it (the
reference, the fast path and its C accelerator)."""

from __future__ import annotations

from ..base.checking import TYPE_CHECKING  # not typing's (see there)
from ..tables import wordlists as _wordlists

if TYPE_CHECKING:
    from typing import Any

_compiled: Any
try:
    from . import _accel as _compiled
except ImportError:  # not built here (no C compiler): the Python readers
    _compiled = None
# The word lists, the lexicon's keys and the suffixes are read by the compiled module where
# it is built: the data layer below, which cannot import it, is handed it here.
_wordlists.compiled = _compiled
