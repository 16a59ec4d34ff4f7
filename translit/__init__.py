"""translit: Uzbek Cyrillic → Uzbek Latin, exactly by the 1995 spelling rules.

>>> import translit
>>> translit.to_latin("Тошкент шаҳри, 1-сентябрь")
'Toshkent shahri, 1-sentabr'
"""

from .engine import Transliterator, explain, get_transliterator, to_latin, to_latin_many
from .options import Options
from .reference import Piece
from .rules import RuleFileError

__version__ = "0.1.0"

__all__ = [
    "Options",
    "Piece",
    "RuleFileError",
    "Transliterator",
    "__version__",
    "explain",
    "get_transliterator",
    "to_latin",
    "to_latin_many",
]
