"""Load and validate the data files: the rule table, the word exceptions, the look-alikes.

Everything the converter knows about the orthography comes from here; the engines
(reference.py, fastpath.py) only interpret it. Problems are reported as
``FILE:LINE: what is wrong``.

>>> table = load_rule_table()
>>> [(r.before.text if r.before else "", r.latin) for r in table.rules_for("е")]
[('!$consonant', 'ye'), ('', 'e')]
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator

from ..base.checking import TYPE_CHECKING  # not typing's (see there)

if TYPE_CHECKING:
    from typing import NamedTuple
else:  # the same classes, made faster (see records.py)
    from ..base.records import NamedTuple

from ..base.limits import MAX_TABLE_BYTES
from ..base.options import CheckedRecord

if TYPE_CHECKING:
    from pathlib import Path

WORD_CLASS = "word"  # the built-in class: a letter of any script, a combining mark, ʻ or ʼ
RULE_COLUMNS = ("before", "letter", "after", "latin", "example", "id", "mark", "note")
REQUIRED_RULE_COLUMNS = RULE_COLUMNS[:5]  # a table of your own may leave out id and mark
EXCEPTION_COLUMNS = ("cyrillic", "latin", "match", "default", "example", "note")
DROP = "-"  # in the latin column: the letter is dropped
OKINA = "\u02bb"  # ʻ in oʻ gʻ
TUTUQ = "\u02bc"  # ʼ, the tutuq belgisi
# Apostrophe-like characters people type; in Latin data they are read as ʻ after o/g, else ʼ.
TYPED_APOSTROPHES = "'\u2018\u2019`\u00b4\u2032\u02bb\u02bc"


class RuleFileError(ValueError):
    """A data file is malformed; the message reads ``FILE:LINE: what is wrong``.

    >>> import pathlib, tempfile, translit
    >>> table = pathlib.Path(tempfile.mkdtemp()) / "mine.tsv"
    >>> _ = table.write_text("бюджет\\tbudjet\\tword\\tбюджет → bujet\\n", encoding="utf-8")
    >>> translit.to_latin("бюджет", exceptions=(table,))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    translit.tables.rules.RuleFileError: ...mine.tsv:1: ...
    """


class Where(NamedTuple):
    """Where a rule or entry is written: its data file and line, a value that explanations
    carry to --explain, the preview and --json (written ``FILE:LINE``).

    >>> where = Where("rules.tsv", 12)
    >>> where.file, where.line, str(where)
    ('rules.tsv', 12, 'rules.tsv:12')
    """

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


class Context(NamedTuple):
    """What must (or, negated, must not) stand next to a letter.

    ``letters`` holds lower-case letters; ``None`` means the built-in $word class.
    """

    text: str
    letters: frozenset[str] | None
    negated: bool


class LetterRule(NamedTuple):
    letter: str
    before: Context | None
    after: Context | None
    latin: str
    example: tuple[str, str]
    note: str
    where: Where  # rules.tsv, its line: shown by explain()
    id: str = ""  # "R2.ye": the rule's name, unique in its table
    mark: bool = False  # the preview marks its use as a decision

class WordException(NamedTuple):
    cyrillic: str
    latin: str
    whole_word: bool
    default_on: bool
    example: tuple[str, str] | None
    note: str
    where: Where
    user: bool  # from a file the user gave: wins over the built-in ones


class RuleTable(NamedTuple):
    classes: tuple[tuple[str, frozenset[str]], ...]
    rules: tuple[LetterRule, ...]
    lookalikes: tuple[tuple[str, str], ...]  # (latin, cyrillic)
    exceptions: tuple[WordException, ...]
    sources: tuple[str, ...]  # the text of the data files

    @property
    def digest(self) -> str:
        """The first 12 hex digits of the SHA-256 of the data files (for --version)."""
        import hashlib

        return hashlib.sha256("\0".join(self.sources).encode("utf-8")).hexdigest()[:12]

    def rules_for(self, letter: str) -> tuple[LetterRule, ...]:
        return tuple(r for r in self.rules if r.letter == letter)

    @property
    def letters(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.letter for r in self.rules))


def data_dir() -> Path:
    """The folder of the built-in data files (inside the installed package, or the repository)."""
    from pathlib import Path

    return Path(_data_folder())


def data_file(name: str) -> str:
    """The path of the built-in data file `name`, as a string: what the plain filter reads
    needs no pathlib (its import is a tenth of the filter's start-up)."""
    return os.path.join(_data_folder(), name)


@functools.lru_cache(maxsize=1)
def _data_folder() -> str:
    package = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))  # translit/
    packaged = os.path.join(package, "data")  # in a wheel; in a source tree, beside translit/
    return packaged if os.path.isdir(packaged) else os.path.join(os.path.dirname(package), "data")


@functools.lru_cache(maxsize=8)
def load_rule_table(
    rules_path: Path | str | None = None, user_exception_paths: tuple[Path, ...] = ()
) -> RuleTable:
    """Read and validate the rule table, the look-alikes and the exceptions (cached)."""
    rules_path = rules_path or data_file("rules.tsv")
    paths = [rules_path, data_file("lookalikes.tsv"), data_file("exceptions.tsv"),
             *user_exception_paths]
    texts = [_read(p) for p in paths]
    name = os.path.basename
    classes, rules = _parse_rules(name(rules_path), texts[0])
    lookalikes = _parse_lookalikes(name(paths[1]), texts[1])
    exceptions = list(_parse_exceptions(name(paths[2]), texts[2], user=False))
    for path, text in zip(user_exception_paths, texts[3:]):
        exceptions.extend(_parse_exceptions(str(path), text, user=True))
    return RuleTable(classes, rules, lookalikes, tuple(exceptions), tuple(texts))


def _read(path: Path | str) -> str:
    """A table or list as text: every one is read whole, so no more than
    MAX_TABLE_BYTES of it (`--keep /dev/zero` took all memory)."""
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_TABLE_BYTES + 1)
    except OSError as err:
        raise RuleFileError(f"{path}: {err.strerror or err}") from None
    if len(data) > MAX_TABLE_BYTES:
        raise RuleFileError(f"{path}: more than {MAX_TABLE_BYTES:,} bytes, the most translit "
                            "reads of a table or list (translit's limit)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise RuleFileError(f"{path}: not UTF-8 text (byte {err.start})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")  # as a file opened as text reads


def _rows(name: str, text: str, columns: tuple[str, ...]) -> Iterator[tuple[Where, list[str]]]:
    """Yield (where, cells) for each data line; skip comments, blanks and the header."""
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if cells[0] == columns[0]:
            continue  # the header line
        yield Where(name, number), cells


def _parse_rules(
    name: str, text: str
) -> tuple[tuple[tuple[str, frozenset[str]], ...], tuple[LetterRule, ...]]:
    classes: dict[str, frozenset[str]] = {}
    rules: list[LetterRule] = []
    finished: set[str] = set()  # letters whose context-free (last) rule has been read
    columns = _header(text, RULE_COLUMNS[0]) or list(REQUIRED_RULE_COLUMNS) + ["note"]
    missing = [c for c in REQUIRED_RULE_COLUMNS if c not in columns]
    if missing:
        raise RuleFileError(f"{name}: the header line lacks the column(s) {' '.join(missing)}")
    ids: dict[str, Where] = {}
    for where, cells in _rows(name, text, RULE_COLUMNS):
        if cells[0] == "class":
            class_name, members = _parse_class(where, cells[1:], classes)
            classes[class_name] = members
            continue
        rule = _parse_rule(where, dict(zip(columns, cells)), len(cells), len(columns), classes)
        if rule.id in ids:
            raise RuleFileError(f"{where}: the id {rule.id} is used already ({ids[rule.id]})")
        ids[rule.id] = where
        if rule.letter in finished:
            raise RuleFileError(
                f"{where}: a rule for {rule.letter} after its general rule (one with no"
                " context) can never apply; move it above"
            )
        if rule.before is None and rule.after is None:
            finished.add(rule.letter)
        rules.append(rule)
    unfinished = sorted({r.letter for r in rules} - finished)
    if unfinished:
        raise RuleFileError(
            f"{name}: the letter(s) {' '.join(unfinished)} need a last rule with no context"
        )
    return tuple(classes.items()), tuple(rules)


def _parse_class(
    where: Where, cells: list[str], classes: dict[str, frozenset[str]]
) -> tuple[str, frozenset[str]]:
    if len(cells) < 2 or not cells[1].strip():
        raise RuleFileError(f"{where}: a class line needs a $name and its letters")
    class_name = cells[0][1:]
    if not cells[0].startswith("$") or not class_name.isidentifier():
        raise RuleFileError(f"{where}: {cells[0]!r} is not a valid class name")
    if class_name in classes or class_name == WORD_CLASS:
        raise RuleFileError(f"{where}: class ${class_name} is defined twice")
    return class_name, _letter_set(where, cells[1], "class")


def is_cyrillic(char: str) -> bool:
    """A letter of the Cyrillic blocks (U+0400-U+052F), not a Latin look-alike.

    >>> is_cyrillic("о"), is_cyrillic("o")
    (True, False)
    """
    return "\u0400" <= char <= "\u052f" and char.isalpha()


def _not_cyrillic(where: Where, text: str, what: str) -> RuleFileError:
    import unicodedata

    odd = next(c for c in text if not is_cyrillic(c))
    name = unicodedata.name(odd, f"U+{ord(odd):04X}")
    return RuleFileError(f"{where}: {what} {text!r} has {odd!r} ({name}), not a Cyrillic letter")


def _letter_set(where: Where, text: str, what: str) -> frozenset[str]:
    letters = text.split()
    for letter in letters:
        if len(letter) != 1 or not letter.isalpha() or letter != letter.lower():
            raise RuleFileError(
                f"{where}: {what} members must be single lower-case letters, got {letter!r}"
            )
        if not is_cyrillic(letter):
            raise _not_cyrillic(where, letter, f"{what} member")
    return frozenset(letters)


def _header(text: str, first: str) -> list[str] | None:
    """The column names of a file's header line, if it has one."""
    for line in text.splitlines():
        if line.startswith(first + "\t"):
            return [cell.strip() for cell in line.split("\t")]
    return None


def _parse_rule(where: Where, row: dict[str, str], count: int, expected: int,
                classes: dict[str, frozenset[str]]) -> LetterRule:
    if count < len(REQUIRED_RULE_COLUMNS):
        raise RuleFileError(f"{where}: expected {expected} columns, got {count}")
    before, letter, after, latin, example = (row[c].strip() for c in REQUIRED_RULE_COLUMNS)
    note = row.get("note", "").strip()
    mark = row.get("mark", "").strip()
    if mark not in ("", "yes"):
        raise RuleFileError(f"{where}: mark must be yes or empty, got {mark!r}")
    if len(letter) != 1 or not letter.isalpha() or letter != letter.lower() or letter == letter.upper():
        raise RuleFileError(f"{where}: the letter must be one lower-case letter, got {letter!r}")
    if not is_cyrillic(letter):
        raise _not_cyrillic(where, letter, "the letter")
    if not latin:
        raise RuleFileError(f"{where}: the latin column is empty (write {DROP} to drop the letter)")
    if latin != DROP and latin != latin.lower():
        raise RuleFileError(f"{where}: write the latin column in lower case, got {latin!r}")
    return LetterRule(
        letter=letter,
        before=_parse_context(where, before, classes),
        after=_parse_context(where, after, classes),
        latin="" if latin == DROP else latin,
        example=_parse_example(where, example),
        note=note,
        where=where,
        id=row.get("id", "").strip() or f"{where}",
        mark=mark == "yes",
    )


def _parse_context(where: Where, text: str, classes: dict[str, frozenset[str]]) -> Context | None:
    if not text:
        return None
    negated = text.startswith("!")
    body = text[1:].strip() if negated else text
    if body.startswith("$"):
        class_name = body[1:]
        if class_name == WORD_CLASS:
            return Context(text, None, negated)
        if class_name not in classes:
            raise RuleFileError(f"{where}: unknown class {body} (define it with a class line above)")
        return Context(text, classes[class_name], negated)
    return Context(text, _letter_set(where, body, "context"), negated)


def _parse_example(where: Where, text: str) -> tuple[str, str]:
    source, arrow, latin = text.partition("→")
    if not arrow or not source.strip() or not latin.strip():
        raise RuleFileError(f"{where}: the example must read 'Cyrillic → Latin', got {text!r}")
    return source.strip(), latin.strip()


def _parse_lookalikes(name: str, text: str) -> tuple[tuple[str, str], ...]:
    pairs: dict[str, str] = {}
    for where, cells in _rows(name, text, ("latin", "cyrillic")):
        if len(cells) < 2 or len(cells[0]) != 1 or len(cells[1]) != 1 or not cells[0].isascii():
            raise RuleFileError(f"{where}: expected one ASCII letter, a TAB, one Cyrillic letter")
        if cells[0] in pairs:
            raise RuleFileError(f"{where}: {cells[0]!r} is listed twice")
        pairs[cells[0]] = cells[1]
    return tuple(pairs.items())


def _parse_exceptions(name: str, text: str, *, user: bool) -> Iterator[WordException]:
    seen: set[str] = set()
    for where, cells in _rows(name, text, EXCEPTION_COLUMNS):
        if len(cells) < 2:
            raise RuleFileError(f"{where}: expected at least 'cyrillic<TAB>latin'")
        cells = [c.strip() for c in cells] + [""] * (len(EXCEPTION_COLUMNS) - len(cells))
        cyrillic, latin, match, default, example, note = cells[: len(EXCEPTION_COLUMNS)]
        if len(cyrillic) < 2 or not cyrillic.isalpha() or cyrillic != cyrillic.lower():
            raise RuleFileError(
                f"{where}: the cyrillic column must be a lower-case word of two or more letters,"
                f" got {cyrillic!r}"
            )
        if not all(map(is_cyrillic, cyrillic)):
            raise _not_cyrillic(where, cyrillic, "the cyrillic column")
        if cyrillic in seen:
            raise RuleFileError(f"{where}: {cyrillic} is listed twice")
        seen.add(cyrillic)
        if not latin:
            raise RuleFileError(f"{where}: the latin column is empty")
        if match not in ("", "stem", "word"):
            raise RuleFileError(f"{where}: match must be 'stem' or 'word', got {match!r}")
        if default not in ("", "on", "off"):
            raise RuleFileError(f"{where}: default must be 'on' or 'off', got {default!r}")
        yield WordException(
            cyrillic=cyrillic,
            latin=normalize_apostrophes(latin.lower()),
            whole_word=match == "word",
            default_on=default != "off",
            example=_parse_example(where, example) if example else None,
            note=note,
            where=where,
            user=user,
        )


@functools.lru_cache(maxsize=8)
def load_legacy_font(name: str) -> tuple[tuple[str, str], ...]:
    """A legacy 8-bit font's letters and the Cyrillic letters they stand for (R0.3)."""
    folder = data_dir() / "legacy"
    path = folder / f"{name}.tsv"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in folder.glob("*.tsv")))
        raise RuleFileError(f"{path.name}: no such legacy font table (known: {known})")
    pairs: dict[str, str] = {}
    for where, cells in _rows(path.name, _read(path), ("legacy", "cyrillic")):
        if len(cells) < 2 or len(cells[0]) != 1 or len(cells[1]) != 1 or not cells[1].isalpha():
            raise RuleFileError(f"{where}: expected one character, a TAB, one Cyrillic letter")
        pairs[cells[0]] = cells[1]
    if set(pairs) & set(pairs.values()):
        raise RuleFileError(f"{path.name}: a letter is both replaced and a replacement")
    return tuple(pairs.items())


class OrdinalWords(NamedTuple):
    endings: str  # a regular expression for the endings the words may carry
    words: tuple[tuple[str, str], ...]  # (word, "year" or "day")
    durations: frozenset[str]  # words that make "N йиллар" a span of years


@functools.lru_cache(maxsize=1)
def load_ordinal_words() -> OrdinalWords:
    """The words after which a number is ordinal (R11 orthography mode)."""
    path = data_file("ordinal-words.tsv")
    endings, words, durations = "", [], set()
    for where, cells in _rows(os.path.basename(path), _read(path), ("word", "kind")):
        if cells[0] == "endings" and len(cells) > 1:
            endings = "".join(cells[1].split())
        elif len(cells) < 2 or cells[1] not in ("year", "day", "duration") or not cells[0].isalpha():
            raise RuleFileError(f"{where}: expected a word, a TAB, and year, day or duration")
        elif cells[1] == "duration":
            durations.add(cells[0])
        else:
            words.append((cells[0], cells[1]))
    return OrdinalWords(endings, tuple(words), frozenset(durations))


def normalize_apostrophes(latin: str) -> str:
    """Read typed apostrophes the way Uzbek Latin means them: ʻ after o and g, else ʼ.

    >>> normalize_apostrophes("o'g'il ma'no")
    'oʻgʻil maʼno'
    """
    out = []
    for i, char in enumerate(latin):
        if char in TYPED_APOSTROPHES:
            char = OKINA if i > 0 and latin[i - 1] in "oOgG" else TUTUQ
        out.append(char)
    return "".join(out)


class KeepList(NamedTuple):
    """What a keep list (``--keep FILE``) says is never converted."""

    words: tuple[str, ...] = ()  # words and phrases, matched as whole words
    patterns: tuple[str, ...] = ()  # regular expressions (lines written ``re:PATTERN``)


KEEP_PATTERN_PREFIX = "re:"


@functools.lru_cache(maxsize=8)
def load_keep_list(paths: tuple[Path, ...]) -> KeepList:
    """Read keep lists: one word, phrase or ``re:`` expression per line; ``#`` comments.

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "keep.txt"
    >>> _ = path.write_text("# brand names\\nГазпром\\nre:«[^»]*»\\n", encoding="utf-8")
    >>> load_keep_list((path,))
    KeepList(words=('Газпром',), patterns=('«[^»]*»',))
    """
    import re

    words: list[str] = []
    patterns: list[str] = []
    for path in paths:
        for number, line in enumerate(_read(path).splitlines(), 1):
            entry = line.strip()
            if not entry or entry.startswith("#"):
                continue
            if entry.startswith(KEEP_PATTERN_PREFIX):
                pattern = entry[len(KEEP_PATTERN_PREFIX):]
                try:
                    compiled = re.compile(pattern)
                except re.error as error:
                    raise RuleFileError(f"{path}:{number}: not a regular expression: {error}"
                                        ) from None
                if compiled.match(""):
                    raise RuleFileError(f"{path}:{number}: the expression matches empty text")
                patterns.append(pattern)
            else:
                words.append(entry)
    return KeepList(tuple(dict.fromkeys(words)), tuple(dict.fromkeys(patterns)))


# --- the other direction: Latin -> Cyrillic ---------------------------------------------

REVERSE_COLUMNS = ("before", "latin", "after", "cyrillic", "example", "id", "mark", "note")


class LatinContext(NamedTuple):
    """What must (or, negated, must not) stand beside a Latin sequence (None: $word)."""

    text: str
    members: frozenset[str] | None
    negated: bool


class ReverseRule(NamedTuple):
    latin: str  # a Latin letter or sequence read as one, lower case, official apostrophes
    before: LatinContext | None  # matched against the sequence read before
    after: LatinContext | None  # matched against the next character
    cyrillic: str
    example: tuple[str, str]
    note: str
    where: Where
    id: str = ""
    mark: bool = False


@functools.lru_cache(maxsize=4)
def load_reverse_table(path: Path | str | None = None) -> tuple[ReverseRule, ...]:
    """Read and check data/cyrillic.tsv (Latin → Cyrillic), in the order rules are tried."""
    path = path or data_file("cyrillic.tsv")
    text = _read(path)
    classes: dict[str, frozenset[str]] = {}
    rules: list[ReverseRule] = []
    ids: dict[str, Where] = {}
    for where, cells in _rows(os.path.basename(path), text, REVERSE_COLUMNS):
        if cells[0] == "class":
            if len(cells) < 3 or not cells[1].startswith("$"):
                raise RuleFileError(f"{where}: a class line needs a $name and its letters")
            classes[cells[1][1:]] = frozenset(cells[2].split())
            continue
        row = dict(zip(REVERSE_COLUMNS, (c.strip() for c in cells)))
        if len(cells) < 5:
            raise RuleFileError(f"{where}: expected {len(REVERSE_COLUMNS)} columns, got {len(cells)}")
        latin, cyrillic = row["latin"], row["cyrillic"]
        if not latin or latin != latin.lower() or any(
                not (c.isascii() and c.isalpha()) and c not in (OKINA, TUTUQ) for c in latin):
            raise RuleFileError(f"{where}: the latin column must be lower-case Latin letters "
                                f"(ʻ ʼ for the apostrophes), got {latin!r}")
        if not cyrillic or not all(map(is_cyrillic, cyrillic)) or cyrillic != cyrillic.lower():
            raise RuleFileError(f"{where}: the cyrillic column must be lower-case Cyrillic "
                                f"letters, got {cyrillic!r}")
        rule = ReverseRule(latin, _latin_context(where, row.get("before", ""), classes),
                           _latin_context(where, row.get("after", ""), classes), cyrillic,
                           _parse_example(where, row["example"]), row.get("note", ""), where,
                           row.get("id", "") or str(where), row.get("mark", "") == "yes")
        if rule.id in ids:
            raise RuleFileError(f"{where}: the id {rule.id} is used already ({ids[rule.id]})")
        ids[rule.id] = where
        rules.append(rule)
    return tuple(rules)


def _latin_context(where: Where, text: str, classes: dict[str, frozenset[str]]
                   ) -> LatinContext | None:
    if not text:
        return None
    negated = text.startswith("!")
    body = text[1:].strip() if negated else text
    if body.startswith("$"):
        if body[1:] == WORD_CLASS:
            return LatinContext(text, None, negated)
        if body[1:] not in classes:
            raise RuleFileError(f"{where}: unknown class {body} (define it with a class line above)")
        return LatinContext(text, classes[body[1:]], negated)
    return LatinContext(text, frozenset(body.split()), negated)


# --- the 2026 Latin alphabet ------------------------------------------------------------

class _Alphabet2026Values(NamedTuple):
    letters: tuple[tuple[str, str], ...]  # (1995, 2026), lower case, official apostrophes
    read: tuple[tuple[str, str], ...]  # (typed, read as)
    stems: tuple[str, ...] = ()  # 1995 beginnings of words whose s h are two letters
    # The characters that only the 2026 spelling has (a word with one is a 2026 word):
    # derived from the others whenever one is made (read on every word respelled).
    letters_2026: frozenset[str] = frozenset()


class Alphabet2026(CheckedRecord, _Alphabet2026Values):
    """The reform's letters (data/latin2026.tsv): 1995 spelling → 2026, and letters read as
    2026 letters."""

    __slots__ = ()

    def _checked(self) -> Alphabet2026:
        derived = frozenset({new for _, new in self.letters if len(new) == 1}
                            | {typed for typed, _ in self.read})
        if derived == self.letters_2026:
            return self
        return tuple.__new__(Alphabet2026, (*self[:3], derived))

    def render_2026(self, latin: str) -> str:
        """Data-file Latin (1995, lower case) in the 2026 letters; for a rule's output, so
        a tutuq that only keeps two letters apart goes too (the sʼ of сҳ: s)."""
        for old, new in self.letters:
            latin = latin.replace(old, new)
            if len(old) > 1 and old[-1] == new[-1] and latin.endswith(old[:-1]):
                latin = latin[:len(latin) - len(old) + 1] + new[:-1]
        return latin


@functools.lru_cache(maxsize=2)
def load_alphabet_2026(path: Path | str | None = None) -> Alphabet2026:
    path = path or data_file("latin2026.tsv")
    letters, read, stems = [], [], []
    for number, line in enumerate(_read(path).splitlines(), 1):
        if not line.strip() or line.startswith("#") or line.startswith("latin1995\t"):
            continue
        cells = line.split("\t")
        if cells[0] == "read" and len(cells) >= 3:
            read.append((cells[1], cells[2]))
        elif cells[0] == "stem" and len(cells) >= 2:
            stems.append(normalize_apostrophes(cells[1]))
        elif len(cells) >= 2 and cells[0] and cells[1]:
            letters.append((cells[0], cells[1]))
        else:
            raise RuleFileError(f"{os.path.basename(path)}:{number}: expected latin1995, "
                                "latin2026, note")
    return Alphabet2026(tuple(letters), tuple(read), tuple(stems))
