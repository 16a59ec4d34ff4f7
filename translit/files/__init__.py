"""The files layer: reading inputs, writing outputs without ever losing a file, worker
processes — and every per-file operation of the command, as a public function.

The operations (`convert_file`, `convert_in_place`, `check_file`, `diff_file`, ...) live in
`translit.files.operations`, whose ``__all__`` is the one list of them, and are importable
from here. They are imported when first used, so that a run that needs only `fileio` of
this folder (Ctrl-C during start-up, the workers' clean-up) does not import them.

>>> from translit import files
>>> files.convert_file.__module__
'translit.files.operations'
>>> files.__all__ == files.operations.__all__
True
"""

from ..base.checking import TYPE_CHECKING  # not typing's (see there)
if TYPE_CHECKING:
    from typing import Any
    from .operations import *  # noqa: F403  (the type checker's view of what __getattr__ gives)
    from .operations import __all__ as __all__


def __getattr__(name: str) -> "Any":
    # `__all__` too is the operations' (looked up here, as any name this module lacks); a
    # private name fails without importing them.
    if name.startswith("_") and name != "__all__":
        raise AttributeError(f"module 'translit.files' has no attribute {name!r}")
    from .operations import __all__ as public  # imports the operations first, so that ...
    from . import operations  # ... this finds them without a look-up here

    if name != "__all__" and name not in public:
        raise AttributeError(f"module 'translit.files' has no attribute {name!r}")
    value = getattr(operations, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    from . import operations

    return sorted(operations.__all__)
