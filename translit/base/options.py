"""Conversion options: one immutable, hashable object shared by the library and the CLI.

Each choice's values are written once, as a tuple; the checks and the command line's
choices read it. Type checkers read the same values as a ``Literal`` (written beside it
for them only: the plain filter does not import `typing`; a test holds each ``Literal``
to its tuple).

The records on the plain filter's path (this one, the files layer's, the rule table's) are
``NamedTuple``s, not dataclasses: defining a dataclass costs about half a millisecond, and
importing ``dataclasses`` (it imports ``inspect``) about nine, most of what ``cat doc.txt |
translit`` would spend before converting a letter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .checking import TYPE_CHECKING, literals_made_when_asked  # not typing's (see there)
if TYPE_CHECKING:
    from typing import Any, Literal, NamedTuple
    from pathlib import Path

    Apostrophe = Literal["official", "ascii", "typographic"]
    Target = Literal["latin", "latin2026", "cyrillic"]
    Capitals = Literal["upper", "title"]
    DecodeErrors = Literal["strict", "replace", "surrogateescape"]
    Quotes = Literal["unchanged", "guillemets", "curly"]
else:  # the same classes, made faster (see base/records.py)
    from .records import NamedTuple

APOSTROPHES: tuple[str, ...] = ("official", "ascii", "typographic")
TARGETS: tuple[str, ...] = ("latin", "latin2026", "cyrillic")
# ``alphabet``, the option's name before ``target``, named the Latin targets so; the CLI's
# hidden --alphabet and old option strings (alphabet=latin2026) still mean these.
ALPHABET_ALIASES: dict[str, str] = {"latin1995": "latin", "latin2026": "latin2026"}
CAPITALS: tuple[str, ...] = ("upper", "title")
DECODE_ERRORS: tuple[str, ...] = ("strict", "replace", "surrogateescape")
QUOTES: tuple[str, ...] = ("unchanged", "guillemets", "curly")
# How --diff shows a change in a terminal (preview/__init__.py draws them).
LAYOUTS = ("auto", "side", "inline", "unified", "word-diff")


class CheckedRecord:
    """A ``NamedTuple`` (the second base) whose values its `_checked` method checks, and
    may normalise, on every construction, ``_replace`` and unpickling included."""

    __slots__ = ()

    if not TYPE_CHECKING:  # the type checker reads the NamedTuple's own signatures
        def __init_subclass__(cls, **kwargs: Any) -> None:
            super().__init_subclass__(**kwargs)
            values = next(base for base in cls.__mro__[1:] if "_fields" in vars(base))
            made = values.__new__

            def __new__(cls: Any, *args: Any, **kwargs: Any) -> Any:
                try:
                    record = made(cls, *args, **kwargs)
                except TypeError as error:  # in the caller's words, not the base's
                    raise _wrong_arguments(cls, error, kwargs) from None
                return record._checked()

            made.__annotations__ = {  # the fields' types as written (not ForwardRef('...'))
                name: getattr(value, "__forward_arg__", value)
                for name, value in vars(values).get("__annotations__", {}).items()}
            __new__.__wrapped__ = made  # help() and signatures show the fields
            cls.__new__ = staticmethod(__new__)

        @classmethod
        def _make(cls, iterable: Iterable[Any]) -> Any:  # what _replace makes its copy with
            return cls(*iterable)

    def _checked(self) -> Any:
        raise NotImplementedError


def _wrong_arguments(cls: Any, error: TypeError, given: dict[str, Any]) -> TypeError:
    """``Options(apostrophy=...)``: which name is wrong, the likely one, and the fields."""
    unknown = [name for name in given if name not in cls._fields]
    if not unknown:
        return TypeError(re.sub(r"^\w+\.__new__\(\)", f"{cls.__name__}()", str(error)))
    import difflib  # only here: the plain filter never needs it

    close = difflib.get_close_matches(unknown[0], cls._fields, n=1)
    hint = f" (did you mean {close[0]}?)" if close else ""
    return TypeError(f"{cls.__name__} has no option {unknown[0]!r}{hint}; its options: "
                     f"{', '.join(cls._fields)}")


class _OptionValues(NamedTuple):
    apostrophe: Apostrophe = "official"
    target: Target = "latin"
    capitals: Capitals = "upper"
    exceptions: tuple[Path, ...] = ()
    contested_exceptions: bool = False
    lookalikes: bool = True
    typed_apostrophes: bool = False
    legacy_font: str | None = None
    ordinal_dates: bool = False
    rules: Path | None = None
    keep_addresses: bool = True
    keep: tuple[Path, ...] = ()
    convert_all_languages: bool = False
    quotes: Quotes = "unchanged"


class Options(CheckedRecord, _OptionValues):
    """How to convert (immutable and hashable; ``options._replace(target="cyrillic")``
    makes a changed copy, checked as the original was).

    apostrophe: ``official`` writes U+02BB in oʻ gʻ and U+02BC for the tutuq;
        ``ascii`` writes ``'`` for both; ``typographic`` writes ``‘`` and ``’``.
    target: the alphabet to write: ``latin`` (the 1995 Latin alphabet, in force),
        ``latin2026`` (experimental: ö ğ ş ç for oʻ gʻ sh ch, from the reform the Senate
        approved in 2026) or ``cyrillic`` (Latin text, of 1995 or 2026, to Cyrillic). Text
        already in the target alphabet is left as it is; Latin text is also converted
        between the two Latin alphabets.
    capitals: ``upper`` writes a two-letter capital in full inside an all-capitals word
        (ШАҲАР → SHAHAR, АҚШ → AQSH); ``title`` always writes it as Sh (AQSh, ShAHAR).
    exceptions: your own exception files (same columns as data/exceptions.tsv); they win
        over the built-in exceptions, which win over the rules.
    contested_exceptions: also apply the built-in exceptions marked ``off``
        (стажёр → stajor, актёр → aktor, абзацда → abzasda ...).
    lookalikes: read Latin look-alike letters inside Cyrillic words as Cyrillic (rule R0.2).
    typed_apostrophes: read ' ’ ʼ typed between two Cyrillic letters as ъ (ма'но → maʼno;
        rule R0.3, off by default).
    legacy_font: read the letters of an old 8-bit Uzbek font as what they stand for, by a
        table in data/legacy (``anyflip-2022``, ``azkurs-1993``; rule R0.3, off by default).
    ordinal_dates: orthography mode of rule R11: a hyphen after the digits of a year or day
        (1995 йил 24 август → 1995-yil 24-avgust; off by default); to Cyrillic, the
        hyphen goes (1995-yil → 1995 йил).
    keep_addresses: leave web addresses (https://…, www.…), e-mail addresses and @handles
        as they are, Cyrillic letters and all (on by default).
    keep: keep lists: files of words, phrases and ``re:`` expressions never converted
        (brand names, a Russian quotation); see spans.py. Text written ``-{…}-`` is always
        kept.
    rules: a rule table to use instead of the built-in data/rules.tsv.
    convert_all_languages: also convert text a document marks as another language than
        Uzbek (HTML's ``lang="ru"``), which is left as it is by default.
    quotes: double quotation marks (" “ ” „ « ») as ``guillemets`` («…», „…“ inside), as
        Cyrillic print writes them, or ``curly`` (“…”), as Latin text does; ``unchanged``
        by default (quotes.py).

    >>> Options(apostrophe="ascii").apostrophe
    'ascii'
    >>> Options(apostrophy="ascii")  # type: ignore[call-arg]  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    TypeError: Options has no option 'apostrophy' (did you mean apostrophe?); its options: ...
    >>> Options(target="latin1066")  # type: ignore[arg-type]
    Traceback (most recent call last):
    ...
    ValueError: target must be one of latin, latin2026, cyrillic, not 'latin1066'
    """

    __slots__ = ()

    def _checked(self) -> Options:
        check_choice("apostrophe", self.apostrophe, APOSTROPHES)
        check_choice("target", self.target, TARGETS)
        check_choice("capitals", self.capitals, CAPITALS)
        check_choice("quotes", self.quotes, QUOTES)
        if not (self.exceptions or self.keep or self.rules is not None):
            return self  # the usual case: no file named, and no pathlib to import
        from pathlib import Path

        # Accept any iterable of paths, but store a tuple so the object stays hashable.
        values = self._asdict()
        values["exceptions"] = tuple(Path(p) for p in self.exceptions)
        values["keep"] = tuple(Path(p) for p in self.keep)
        values["rules"] = None if self.rules is None else Path(self.rules)
        return tuple.__new__(Options, values.values())


class RecordOptions(NamedTuple):
    """How the records of a corpus (JSON Lines, CSV, TSV, Parquet) are converted.

    fields: JSON Lines: the values to convert, as dotted paths into nested objects
        (``text``, ``meta.title``; a path naming an object or an array takes every string
        in it); none: every string value (never a key).
    columns: CSV, TSV, Parquet: the columns to convert, by the header's names; none: every
        column (every cell holding a letter to convert; Parquet: every string column).
    skip_bad_records: a record that cannot be read (invalid JSON, an unclosed quote) is
        counted, reported and copied as it was, instead of stopping with an error.
    stats: report how many records were in each script (`translit.detect_script`) before
        and after.

    >>> RecordOptions(fields=("text", "meta.title")).fields
    ('text', 'meta.title')
    """

    fields: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()
    skip_bad_records: bool = False
    stats: bool = False


if not TYPE_CHECKING:  # the choices' Literal types, for code that reads them at run time
    __getattr__ = literals_made_when_asked(globals(), {
        "Apostrophe": APOSTROPHES, "Target": TARGETS, "Capitals": CAPITALS,
        "DecodeErrors": DECODE_ERRORS, "Quotes": QUOTES})


def check_choice(name: str, value: object, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}, not {value!r}")
