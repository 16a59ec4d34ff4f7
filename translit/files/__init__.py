"""The files layer: reading inputs, writing outputs without ever losing a file, worker
processes — and every per-file operation of the command, as a public function.

The operations (`convert_file`, `convert_in_place`, `check_file`, `diff_file`, ...) live in
`translit.files.operations` and are importable from here. They are imported when first
used, so that the plain filter, which needs only `fileio` of this folder, starts fast.

>>> from translit import files
>>> files.convert_file.__module__
'translit.files.operations'
"""

import typing as _typing

__all__ = [
    "FileOptions",
    "FileProblem",
    "FileResult",
    "Input",
    "LabelledFile",
    "Operation",
    "Problem",
    "Progress",
    "Skipped",
    "WalkOptions",
    "check_encoding",
    "check_file",
    "convert_file",
    "convert_in_place",
    "convert_records",
    "convert_to_stream",
    "copy_file",
    "diff_file",
    "find_inputs",
    "format_of",
    "guarded",
    "input_size",
    "is_record_file",
    "line_pairs_of",
    "open_input",
    "preview_file",
    "run_each",
    "worth_workers",
]

if _typing.TYPE_CHECKING:
    from .operations import FileOptions as FileOptions
    from .operations import FileProblem as FileProblem
    from .operations import FileResult as FileResult
    from .operations import Input as Input
    from .operations import LabelledFile as LabelledFile
    from .operations import Operation as Operation
    from .operations import Problem as Problem
    from .operations import Progress as Progress
    from .operations import Skipped as Skipped
    from .operations import WalkOptions as WalkOptions
    from .operations import check_encoding as check_encoding
    from .operations import check_file as check_file
    from .operations import convert_file as convert_file
    from .operations import convert_in_place as convert_in_place
    from .operations import convert_records as convert_records
    from .operations import convert_to_stream as convert_to_stream
    from .operations import copy_file as copy_file
    from .operations import diff_file as diff_file
    from .operations import find_inputs as find_inputs
    from .operations import format_of as format_of
    from .operations import guarded as guarded
    from .operations import input_size as input_size
    from .operations import is_record_file as is_record_file
    from .operations import line_pairs_of as line_pairs_of
    from .operations import open_input as open_input
    from .operations import preview_file as preview_file
    from .operations import run_each as run_each
    from .operations import worth_workers as worth_workers


def __getattr__(name: str) -> _typing.Any:
    if name not in __all__:
        raise AttributeError(f"module 'translit.files' has no attribute {name!r}")
    from . import operations

    value = getattr(operations, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
