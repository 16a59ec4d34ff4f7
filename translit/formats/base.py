"""What every format is built from: a `Job` (the conversion, counting what it did), `Runs`
(pieces of text between markup, converted run by run), and the streaming converter that
turns a text format's `Transform` into bytes in, bytes out.

A format finds, in its own syntax, the text people read and the markup around it, and
feeds them to `Runs` in the order they stand in the file: ``text`` is converted,
``markup`` is written back as it was and joins the text on both sides into one word (the
``<b>`` of ``<b>Ц</b>ентр``), and a ``boundary`` is written back as it was and ends the run
(a paragraph's end, a code span). The run's text pieces are converted as one text, each
piece getting the Latin of its own letters:

>>> from translit.converter.transliterator import get_transliterator
>>> runs = Runs(Job(get_transliterator()))
>>> runs.markup("<b>"); runs.text("Ц"); runs.markup("</b>"); runs.text("ентр")
>>> runs.boundary("<br>"); runs.text("ер"); runs.finish()
'<b>S</b>entr<br>yer'
"""

from __future__ import annotations

import bisect
import collections
import dataclasses
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any, NamedTuple, Protocol

from ..converter.transliterator import Transliterator
from .errors import FormatError
from ..base.limits import MAX_LINE_CHARS, MAX_WHOLE_FILE_CHARS
from ..engine.invisible import INVISIBLE_IN_WORDS
from ..engine.spans import PLACEHOLDER_PATTERN
from ..stream import LocatedDecoder, StreamStats, surrogates_for

# Stands for a placeholder or other kept piece, so that the rules see a boundary there
# (U+FFFC, OBJECT REPLACEMENT CHARACTER: not a word character).
STAND_IN = "\ufffc"
HELD_CHARS = 1 << 16  # a run this long is converted up to a safe cut, to bound memory
# Ended runs wait to be converted together, in one call of the engine, joined by line breaks
# (which no rule looks across): a call costs tens of microseconds before its first letter,
# and HTML of one-letter runs (``ц<br>`` repeated) spent nearly all its time there.
BATCH_CHARS = 1 << 13
BATCH_RUNS = 512
# Pieces put out and converted are joined this many at a time: a format read whole puts
# out a million pieces before anything is taken, each some 50 bytes besides its characters.
JOINED_PIECES = 1 << 12

# The bytes read that `_Comparer` holds until the bytes written catch up with them.
COMPARED_AHEAD = 1 << 20

# Placeholders of message catalogues (gettext, JSON, ICU): never converted, and to the
# rules a boundary (one pattern with the Cyrillic direction's: spans.PLACEHOLDER_PATTERN).
PLACEHOLDER = re.compile(PLACEHOLDER_PATTERN)


class Job:
    """One file's conversion: the transliterator, and what was done (for --check, --strict).

    ``changed`` is set when any text or markup written differs from what was read;
    ``leftovers`` counts the Cyrillic letters no table converts, in converted text only.
    """

    def __init__(self, transliterator: Transliterator) -> None:
        self.transliterator = transliterator
        self.changed = False
        self.leftovers: collections.Counter[str] = collections.Counter()
        self.notes: list[str] = []  # anything worth telling, each once

    def note(self, message: str) -> None:
        """Something the user should know about this file (said once)."""
        if message not in self.notes:
            self.notes.append(message)

    def text(self, text: str) -> str:
        """Convert one piece of text on its own."""
        out = self.transliterator.convert(text)
        self._count(text, out)
        return out

    def pieces(self, pieces: Sequence[str]) -> list[str]:
        """Convert pieces as one text (see `Transliterator.convert_pieces`)."""
        out = self.transliterator.convert_pieces(pieces)
        self._count("".join(pieces), "".join(out))
        return out

    @property
    def script(self) -> str:
        """The script the conversion writes, as ISO 15924 (Latn, Cyrl): language tags say so."""
        return self.transliterator.direction.script

    @property
    def source_script(self) -> str:
        """The script the conversion reads (Cyrl, Latn)."""
        return self.transliterator.direction.source_script

    def language_tag(self, value: str) -> str:
        """An Uzbek language tag of the other script made the target's (uz-Cyrl-UZ →
        uz-Latn-UZ, or back for Cyrillic), noted as a change; any other tag as it is."""
        return self.rewrote(value, language_tag(value, self.script))

    def rewrote(self, before: str, after: str) -> str:
        """Markup rewritten by a format (a language tag): note whether it changed."""
        if before != after:
            self.changed = True
        return after

    def _count(self, before: str, after: str) -> None:
        if before != after:
            self.changed = True
        found = self.transliterator.leftovers(before)
        if found:  # (most text: an update by an empty Counter costs a Python loop)
            self.leftovers.update(found)


_TEXT, _MARKUP, _KEPT, _REFERENCE = range(4)


class _Item(NamedTuple):
    kind: int
    raw: str  # as written
    seen: str  # what the rules see
    spell: Callable[[str], str] | None = None  # how a converted reference's Latin is written


def _weight(item: _Item) -> int:
    """What an item of a run counts toward `HELD_CHARS`: its characters, or one (markup:
    a run of a million tags and no text is cut too)."""
    return len(item.seen) or 1


class Runs:
    """Text and markup in file order; text is converted a run at a time (see the module).

    `html`: the text is HTML's, where ``&`` begins a character reference: an ``&`` of the
    text that converting the letters after it would make one (``с&ентябрь`` →
    ``s&yentyabr``, which a browser shows as ``s¥tyabr``) is written ``&amp;``.

    >>> from translit.converter.transliterator import get_transliterator
    >>> runs = Runs(Job(get_transliterator()), html=True)
    >>> runs.text("с&ентябрь, Б&ен & Ц"); runs.finish()
    's&amp;yentyabr, B&amp;yen & S'
    """

    def __init__(self, job: Job, *, html: bool = False) -> None:
        self.job = job
        self._html = html
        self._items: list[_Item] = []
        self._held = 0  # characters of text held in the open run
        self._flush_above = HELD_CHARS  # when to try `_flush_safe_part` again
        self._out: list[str] = []
        self._joined: list[str] = []  # what was put out before _out, joined (JOINED_PIECES)
        # Runs ended but not yet converted: (their place in _out, their items).
        self._ended: list[tuple[int, list[_Item]]] = []
        self._ended_chars = 0

    def text(self, text: str) -> None:
        """Text people read: converted."""
        if text:
            self._add(_Item(_TEXT, text, text))

    def _add(self, item: _Item) -> None:
        self._items.append(item)
        self._held += len(item.seen) or 1  # (`_weight`, inline: called for every token)
        if self._held > self._flush_above:
            self._flush_safe_part()
            # Tried again only when as much again has come: each try costs what is held,
            # so a run that cannot be cut is not read over and over (linear).
            self._flush_above = self._held + HELD_CHARS

    def markup(self, raw: str) -> None:
        """Markup inside a word's run (``<b>``, ``**``): written as it was."""
        if raw:
            self._add(_Item(_MARKUP, raw, ""))

    def kept(self, raw: str, seen: str = STAND_IN) -> None:
        """Written as it was, but seen by the rules as `seen` (a placeholder: a boundary)."""
        if raw:
            self._add(_Item(_KEPT, raw, seen))

    def reference(self, raw: str, decoded: str,
                  spell: Callable[[str], str] | None = None) -> None:
        """A character reference (``&amp;``, ``&#1094;``, ``\\u0446``): written as it was,
        unless it stands for a letter that is converted; then its Latin is written (as
        `spell` writes it, if given). A soft hyphen (``&shy;``) is part of its word."""
        if decoded in INVISIBLE_IN_WORDS:
            self.markup(raw)
            return
        self._add(_Item(_REFERENCE, raw, decoded, spell))

    def text_with_placeholders(self, text: str) -> None:
        """Text of a message catalogue: its placeholders are kept."""
        if "%" not in text and "{" not in text:  # (every placeholder has one of them)
            self.text(text)
            return
        done = 0
        for match in PLACEHOLDER.finditer(text):
            self.text(text[done:match.start()])
            self.kept(match.group())
            done = match.end()
        self.text(text[done:])

    def boundary(self, raw: str = "") -> None:
        """Markup that ends the run (a paragraph's end, code): written as it was."""
        self.end_run()
        if raw:
            self._put(raw)

    def end_run(self) -> None:
        """End the open run: it is put out, converted with the runs ended before it (at the
        latest by `take`)."""
        self._flush_above = HELD_CHARS
        if not self._items:  # (nothing to put out: a boundary after a boundary)
            return
        items, self._items, self._held = self._items, [], 0
        seen = sum(len(item.seen) for item in items if item.kind != _MARKUP)
        if not seen:
            self._put("".join(item.raw for item in items))
            return
        self._ended.append((len(self._out), items))
        self._ended_chars += seen + 1
        self._put("")  # (its place)
        if self._ended_chars >= BATCH_CHARS or len(self._ended) >= BATCH_RUNS:
            self._convert_ended()

    def _put(self, piece: str) -> None:
        """A piece put out (an ended run's place: "", until it is converted)."""
        self._out.append(piece)
        if len(self._out) >= JOINED_PIECES:
            self._convert_ended()  # (which joins them, all final then)

    def take(self) -> str:
        """Everything put out so far (the open run stays open)."""
        self._convert_ended()
        if self._joined:
            self._out[:0] = self._joined
            self._joined = []
        out = "".join(self._out)
        self._out = []
        return out

    def _convert_ended(self) -> None:
        """The ended runs converted in one call, each put in its place."""
        ended, self._ended, self._ended_chars = self._ended, [], 0
        if len(ended) == 1:
            slot, items = ended[0]
            self._out[slot] = self._converted(items)
        elif ended:
            pieces: list[str] = []
            for _, items in ended:
                pieces += [item.seen for item in items if item.kind != _MARKUP]
                pieces.append("\n")  # between runs: no rule looks across a line break
            latin = iter(self.job.pieces(pieces))
            for slot, items in ended:
                self._out[slot] = self._written(items, latin)
                next(latin)  # the line break
        if len(self._out) >= JOINED_PIECES:  # (every piece of it is final now)
            self._joined.append("".join(self._out))
            self._out = []

    def finish(self) -> str:
        self.end_run()
        return self.take()

    def _converted(self, items: list[_Item]) -> str:
        seen = [item.seen for item in items if item.kind != _MARKUP]
        if not seen:
            return "".join(item.raw for item in items)
        return self._written(items, iter(self.job.pieces(seen)))

    def _written(self, items: list[_Item], latin: Iterator[str]) -> str:
        """The run of `items` as written, each piece the rules saw taking the next of
        `latin`."""
        out = []
        for item in items:
            if item.kind == _MARKUP:
                out.append(item.raw)
                continue
            new = next(latin)
            if item.kind == _TEXT:
                out.append(new)
            elif item.kind == _REFERENCE and new != item.seen:
                out.append(item.spell(new) if item.spell else new)
            else:
                out.append(item.raw)
        if self._html:
            return _no_new_references(items, out)
        return "".join(out)

    def _flush_safe_part(self) -> None:
        """A very long run: put out what converts the same whatever follows."""
        text = "".join(item.seen for item in self._items if item.kind != _MARKUP)
        cut = self.job.transliterator.safe_cut(text)
        done = count = 0  # characters and items before the cut
        for item in self._items:
            if item.kind != _MARKUP:
                if done + len(item.seen) > cut:
                    if item.kind == _TEXT and cut > done:  # text is cut where the cut is
                        inside = cut - done
                        self._items[count:count + 1] = [
                            _Item(_TEXT, item.raw[:inside], item.seen[:inside]),
                            _Item(_TEXT, item.raw[inside:], item.seen[inside:])]
                        count += 1
                    break
                done += len(item.seen)
            count += 1
        if count:
            self._put(self._converted(self._items[:count]))
            self._items = self._items[count:]
            self._held = sum(map(_weight, self._items))


# A character reference as `html.unescape` reads it (the HTML standard's, with the names
# it lets go without their semicolon: ``&yen``, ``&copy``).
_CHARACTER_REFERENCE = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)")
_MAY_BEGIN_REFERENCE = re.compile(r"&(?=[A-Za-z#])")


def _is_reference_at(text: str, at: int) -> bool:
    import html

    match = _CHARACTER_REFERENCE.match(text, at)
    return match is not None and html.unescape(match.group()) != match.group()


def _no_new_references(items: list[_Item], written: list[str]) -> str:
    """A run of HTML written (`written`, the Latin of each of `items`), with ``&amp;`` for
    each ``&`` of its text that begins a character reference where it began none before
    (the letters after it converted). Converting moves no ``&``: the n-th of a piece's
    text is the n-th of its Latin. Only an ``&`` before a letter or ``#`` may begin one:
    a text of nothing but ``&`` is not looked through in Python."""
    joined = "".join(written)
    ordered = [match.start() for match in _MAY_BEGIN_REFERENCE.finditer(joined)]
    if not ordered:
        return joined
    candidates = set(ordered)
    read = "".join(item.raw for item in items)
    escaped: list[int] = []
    at_read = at_written = 0
    for item, new in zip(items, written):
        first = bisect.bisect_left(ordered, at_written) if item.kind == _TEXT else 0
        if item.kind == _TEXT and first < len(ordered) and ordered[first] < at_written + len(
                new):  # (`first`: the first candidate in `new`)
            before, after = item.raw.split("&"), new.split("&")
            if len(before) == len(after):
                a, b = at_read + len(before[0]), at_written + len(after[0])
                for piece_read, piece_written in zip(before[1:], after[1:]):
                    if b in candidates and _is_reference_at(joined, b) and not (
                            _is_reference_at(read, a)):
                        escaped.append(b)
                    a += 1 + len(piece_read)
                    b += 1 + len(piece_written)
        at_read += len(item.raw)
        at_written += len(new)
    for at in reversed(escaped):
        joined = joined[:at] + "&amp;" + joined[at + 1:]
    return joined


class Transform(Protocol):
    """A text format's converter: text in as it comes, converted text out when ready."""

    def feed(self, text: str) -> str: ...

    def finish(self) -> str: ...


_LINE_BREAK = re.compile(r"\r\n?|\n")


class LineTransform:
    """A `Transform` that reads a line at a time (subtitles, catalogues): `line` gets each
    whole line with its line break, the output comes from `runs`."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.runs = Runs(job)
        self._partial: list[str] = []  # the last line, not yet ended, in the pieces read
        self._partial_chars = 0
        self._written_line = 0  # characters of the last line written, not yet ended

    def line(self, line: str) -> None:
        raise NotImplementedError

    def feed(self, text: str) -> str:
        if "\n" not in text and "\r" not in text:  # the line goes on: no copy of it
            self._hold(text)
            return ""
        lines = ("".join(self._partial) + text).splitlines(keepends=True)
        self._partial, self._partial_chars = [], 0
        # The last line may go on (or be the CR of a CRLF): it waits for more.
        if lines and not lines[-1].endswith("\n"):
            self._hold(lines.pop())
        for line in lines:
            self.line(line)
        return self._written(self.runs.take())

    def _hold(self, text: str) -> None:
        self._partial.append(text)
        self._partial_chars += len(text)
        if self._partial_chars > MAX_LINE_CHARS:
            raise FormatError(f"a line of more than {MAX_LINE_CHARS:,} characters (not a "
                              "line of this format: translit's limit)")

    def finish(self) -> str:
        if self._partial:
            self.line("".join(self._partial))
            self._partial, self._partial_chars = [], 0
        return self._written(self.runs.finish())

    def _written(self, out: str) -> str:
        """`out`, once its lines are known to be within the cap too: converting may
        lengthen a line ("ш" is "sh"), and translit must read again whatever it wrote."""
        if self._written_line + len(out) <= MAX_LINE_CHARS:  # (no line of it can be over)
            ended = max(out.rfind("\n"), out.rfind("\r"))
            self._written_line = (len(out) - ended - 1 if ended >= 0
                                  else self._written_line + len(out))
            return out
        lengths = [len(line) for line in _LINE_BREAK.split(out)]  # (the last: not ended)
        lengths[0] += self._written_line  # (the line it goes on with)
        if max(lengths) > MAX_LINE_CHARS:
            raise FormatError(f"a line of more than {MAX_LINE_CHARS:,} characters once "
                              "converted (translit's limit)")
        self._written_line = lengths[-1]
        return out


class WholeTransform:
    """A `Transform` for a format that is parsed whole (JSON, Markdown): the text is held,
    and `converted` gets all of it at the end."""

    def __init__(self, job: Job, setting: Setting) -> None:
        self.job, self.setting = job, setting
        self._parts: list[str] = []
        self._chars = 0

    def converted(self, text: str) -> str:
        raise NotImplementedError

    def feed(self, text: str) -> str:
        self._parts.append(text)
        self._chars += len(text)
        if self._chars > MAX_WHOLE_FILE_CHARS:
            raise FormatError(f"more than {MAX_WHOLE_FILE_CHARS:,} characters, the most "
                              "translit holds of a file it reads whole")
        return ""

    def finish(self) -> str:
        out = self.converted(self._taken())  # (`converted` holds the only reference)
        # The cap again, on what the file became: converting may lengthen it ("ш" is "sh"),
        # and translit must read again whatever it wrote.
        if len(out) > MAX_WHOLE_FILE_CHARS:
            raise FormatError(f"more than {MAX_WHOLE_FILE_CHARS:,} characters once "
                              "converted, the most translit holds of a file it reads whole")
        return out

    def _taken(self) -> str:
        """The text read, no longer held here."""
        text = "".join(self._parts)
        self._parts = []
        return text


@dataclasses.dataclass(frozen=True)
class Setting:
    """What a format may need to know besides the text: the input's encoding (the output
    is UTF-8, so a format that declares its charset rewrites the declaration), and how a
    link is rewritten (`relink`: a relative link to a file renamed in an output tree, as
    written, to its new form; any other link as it is)."""

    encoding: str = "utf-8"
    relink: Callable[[str], str] | None = None


class TextFormatConverter:
    """Bytes in, UTF-8 bytes out, through a text format's `Transform` (a `ByteConverter`)."""

    def __init__(self, make: Callable[[Job, Setting], Transform], job: Job, *,
                 encoding: str = "utf-8", errors: str = "strict",
                 relink: Callable[[str], str] | None = None) -> None:
        self.job = job
        self._decoder = LocatedDecoder(encoding, errors)
        self._transform = make(job, Setting(self._decoder.encoding, relink))
        self._surrogates = surrogates_for(errors)
        self._compare = _Comparer()
        self.stats = StreamStats()

    def feed(self, data: bytes, final: bool = False) -> bytes:
        text = self._decoder.decode(data, final)
        self.stats.bytes_in += len(data)
        self._compare.read(data)
        out = self._transform.feed(text)
        if final:
            out += self._transform.finish()
        encoded = out.encode("utf-8", self._surrogates)
        self.stats.bytes_out += len(encoded)
        self._compare.wrote(encoded)
        self.stats.changed = self.job.changed or self._compare.differs(final)
        self.stats.leftovers = self.job.leftovers
        self.stats.notes = self.job.notes
        return encoded

    def finish(self) -> bytes:
        return self.feed(b"", final=True)

    @property
    def lines_read(self) -> int:
        return self._decoder.lines


class _Comparer:
    """Whether the bytes written differ from the bytes read, compared as they come; once
    more than `COMPARED_AHEAD` bytes read wait for their output (a format read whole writes
    nothing before the end), by digests of the rest instead, so that the file is not held
    a second time."""

    def __init__(self) -> None:
        self._read = bytearray()
        self._wrote = bytearray()
        self._differ = False
        self._digests: tuple[Any, Any] | None = None  # (of the rest read, of the rest written)

    def read(self, data: bytes) -> None:
        if self._digests is not None:
            self._digests[0].update(data)
        elif not self._differ:
            self._read += data
            self._settle()
            if len(self._read) > COMPARED_AHEAD:
                import hashlib  # (here: it costs a streamed conversion 3 MB)

                self._digests = (hashlib.sha256(self._read), hashlib.sha256(self._wrote))
                self._read, self._wrote = bytearray(), bytearray()

    def wrote(self, data: bytes) -> None:
        if self._digests is not None:
            self._digests[1].update(data)
        elif not self._differ:
            self._wrote += data
            self._settle()

    def differs(self, final: bool) -> bool:
        if final and not self._differ:
            if self._digests is not None:
                self._differ = self._digests[0].digest() != self._digests[1].digest()
            else:
                self._differ = self._read != self._wrote
        return self._differ

    def _settle(self) -> None:
        common = min(len(self._read), len(self._wrote))
        if self._read[:common] != self._wrote[:common]:
            self._differ = True
            self._read.clear()
            self._wrote.clear()
            return
        del self._read[:common]
        del self._wrote[:common]


# The tag of Uzbek in the other script, by the script written.
_UZBEK_TAG = {"Latn": re.compile(r"\A(\s*uz[-_])(cyrl)(?=\Z|[-_\s])", re.IGNORECASE),
              "Cyrl": re.compile(r"\A(\s*uz[-_])(latn)(?=\Z|[-_\s])", re.IGNORECASE)}
# the tag of a file's script that no longer holds: the other one (for either script, the
# written script's tag in its own case)
LANGUAGE_TAG = re.compile(r"\A\s*uz[-_](?:cyrl|latn)(?:[-_][A-Za-z0-9]+)*\s*\Z", re.IGNORECASE)


def latin_language_tag(value: str) -> str:
    """A language tag for Uzbek in Cyrillic made the one for Uzbek in Latin, in its own
    case; any other tag as it is.

    >>> latin_language_tag("uz-Cyrl-UZ"), latin_language_tag("uz-cyrl"), latin_language_tag("ru")
    ('uz-Latn-UZ', 'uz-latn', 'ru')
    """
    return language_tag(value, "Latn")


def language_tag(value: str, script: str) -> str:
    """A language tag for Uzbek in the other script made the one for Uzbek in `script`
    (Latn: `latin_language_tag`; Cyrl: uz-Latn → uz-Cyrl), in its own case.

    >>> language_tag("uz-Latn-UZ", "Cyrl"), language_tag("uz-Cyrl", "Cyrl")
    ('uz-Cyrl-UZ', 'uz-Cyrl')
    """
    new = script.lower()

    def swapped(match: re.Match[str]) -> str:
        script = match.group(2)
        if script.isupper():
            return match.group(1) + new.upper()
        return match.group(1) + (new if script.islower() else new.capitalize())

    return _UZBEK_TAG[script].sub(swapped, value)


def latin_language_attributes(root: Any, job: Job) -> None:
    """Every attribute (and element text) that is an Uzbek language tag of the other
    script (``uz-Cyrl-UZ``) made the target's; nothing else is touched."""
    for element in root.iter():
        latin_language_element(element, job, text=True)


def latin_language_element(element: Any, job: Job, *, text: bool) -> None:
    """`latin_language_attributes` of one element (and, with `text`, of its text, if it
    has no children)."""
    for name, value in element.attrib.items():
        if LANGUAGE_TAG.match(value):
            element.set(name, job.language_tag(value.strip()))
    own = element.text
    if text and own and len(element) == 0 and LANGUAGE_TAG.match(own):
        element.text = job.language_tag(own.strip())


def utf8(encoding: str) -> bool:
    """The encoding is UTF-8 (the output's), so a declared charset stays as it is."""
    return encoding.replace("_", "-").lower() in ("utf-8", "utf8", "utf-8-sig")
