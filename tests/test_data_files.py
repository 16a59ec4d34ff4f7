"""The data files document and test themselves; the loader reports FILE:LINE problems."""

from __future__ import annotations

from pathlib import Path

import pytest

import translit
from translit.tables.rules import RuleFileError, load_rule_table

TABLE = load_rule_table()
WITH_CONTESTED = translit.get_transliterator(translit.Options(contested_exceptions=True))


@pytest.mark.parametrize("rule", TABLE.rules, ids=lambda rule: f"{rule.letter}-{rule.where}")
def test_every_rule_example_converts_by_that_rule(rule):
    cyrillic, latin = rule.example
    assert translit.to_latin(cyrillic) == latin
    reasons = [piece.reason for piece in translit.explain(cyrillic)]
    assert any(reason.startswith(f"{rule.where} ") or reason == str(rule.where) for reason in reasons)


@pytest.mark.parametrize("entry", TABLE.exceptions, ids=lambda entry: entry.cyrillic)
def test_every_exception_example_converts_by_that_exception(entry):
    cyrillic, latin = entry.example
    assert WITH_CONTESTED.to_latin(cyrillic) == latin
    reasons = [piece.reason for piece in WITH_CONTESTED.explain(cyrillic)]
    assert f"{entry.where} exception" in reasons


def test_contested_exceptions_are_off_by_default():
    assert translit.to_latin("актёр") == "aktyor"
    assert WITH_CONTESTED.to_latin("актёр") == "aktor"


def test_every_letter_of_the_alphabet_has_rules():
    alphabet = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяўқғҳ"
    assert set(TABLE.letters) == set(alphabet)


def _table_with(tmp_path: Path, text: str, name: str = "rules.tsv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD_HEADER = "before\tletter\tafter\tlatin\texample\tnote\n"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("\tа\ta\n", "rules.tsv:2: expected 6 columns"),
        ("$nothing\tа\t\ta\tа → a\t\n\tа\t\ta\tа → a\t\n", "rules.tsv:2: unknown class $nothing"),
        ("\tа\t\ta\tа → a\t\n\tа\tб\tb\tаб → bb\t\n", "rules.tsv:3: a rule for а after its general"),
        ("\tа\tб\ta\tаб → ab\t\n", "rules.tsv: the letter(s) а need a last rule"),
        ("\tА\t\ta\tА → A\t\n", "rules.tsv:2: the letter must be one lower-case letter"),
        ("\tа\t\t\tа → a\t\n", "rules.tsv:2: the latin column is empty"),
        ("\tа\t\tA\tа → A\t\n", "rules.tsv:2: write the latin column in lower case"),
        ("\tа\t\ta\tа = a\t\n", "rules.tsv:2: the example must read 'Cyrillic → Latin'"),
        ("class\t$v\tа\t\nclass\t$v\tо\t\n\tа\t\ta\tа → a\t\n", "rules.tsv:3: class $v is defined twice"),
        ("class\t$v\tаб\t\n\tа\t\ta\tа → a\t\n", "rules.tsv:2: class members must be single"),
    ],
)
def test_rule_table_problems_are_reported_with_line(tmp_path, body, message):
    path = _table_with(tmp_path, GOOD_HEADER + body)
    with pytest.raises(RuleFileError) as error:
        load_rule_table(path)
    assert str(error.value).startswith(message)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("б\tb\n", "2: the cyrillic column must be a lower-case word of two or more"),
        ("бюджет\tbyudjet\tsuffix\n", "2: match must be 'stem' or 'word'"),
        ("бюджет\tbyudjet\tstem\tmaybe\n", "2: default must be 'on' or 'off'"),
        ("бюджет\t\n", "2: the latin column is empty"),
        ("бюджет\tbyudjet\nбюджет\tbudjet\n", "3: бюджет is listed twice"),
    ],
)
def test_exception_file_problems_are_reported_with_line(tmp_path, body, message):
    path = _table_with(tmp_path, "# mine\n" + body, "mine.tsv")
    with pytest.raises(RuleFileError) as error:
        load_rule_table(None, (path,))
    assert str(error.value).startswith(f"{path}:{message}")


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(RuleFileError, match="nothing.tsv"):
        load_rule_table(tmp_path / "nothing.tsv")


def test_user_exceptions_win_over_built_in_ones(tmp_path):
    path = _table_with(tmp_path, "бюджет\tbyudjet\tstem\nтошкент\tTashkent\tword\n", "mine.tsv")
    converter = translit.Transliterator(translit.Options(exceptions=(path,)))
    assert converter.to_latin("Бюджетдан бюджет") == "Byudjetdan byudjet"
    assert converter.to_latin("сентябрь") == "sentabr"  # built-in ones still apply
    # "word" entries match whole words only; the Latin is read in lower case.
    assert converter.to_latin("Тошкент Тошкентда") == "Tashkent Toshkentda"


def test_user_exception_apostrophes_are_normalised(tmp_path):
    path = _table_with(tmp_path, "мўъжизакор\tmo'jizakor\n", "mine.tsv")
    converter = translit.Transliterator(translit.Options(exceptions=(path,)))
    assert converter.to_latin("мўъжизакор") == "mo\u02bbjizakor"


def test_a_custom_rule_table_is_used(tmp_path):
    rules = (translit.tables.rules.data_dir() / "rules.tsv").read_text(encoding="utf-8")
    rules = rules.replace("\tш\t\tsh\t", "\tш\t\tş\t")
    # Examples with ш now read ş (a user's examples are checked when the table is loaded).
    rules = "\n".join(
        "\t".join(cell.replace("sh", "ş") if "→" in cell and "ш" in cell else cell
                  for cell in line.split("\t")) for line in rules.split("\n"))
    path = _table_with(tmp_path, rules)
    converter = translit.Transliterator(translit.Options(rules=path))
    assert converter.to_latin("ШАҲАР шаҳар") == "ŞAHAR şahar"
    assert converter.rules_digest != translit.get_transliterator().rules_digest


def test_a_long_user_exception_list_equals_the_reference(tmp_path):
    import random

    from translit.engine.fastpath import _ExceptionPass

    rng = random.Random(5)
    letters = "абвгдеёжзийклмнопрстуфхцчшъьэюяўқғҳ"
    stems = sorted({"".join(rng.choice(letters) for _ in range(rng.randint(2, 6)))
                    for _ in range(80)})
    lines = [f"{stem}\tx{i}\t{'word' if i % 3 == 0 else 'stem'}" for i, stem in enumerate(stems)]
    path = _table_with(tmp_path, "\n".join(lines) + "\n", "many.tsv")
    converter = translit.Transliterator(translit.Options(exceptions=(path,)))
    assert len(converter.direction.fast.exceptions.searches) > _ExceptionPass.MAX_SEARCHES
    words = []
    for _ in range(3000):
        word = rng.choice(stems + ["сентябрь", "ер", "маъно"])
        word = rng.choice([word, word.upper(), word[:1].upper() + word[1:], "о" + word])
        words.append(word + rng.choice(["", "да", "лар", "-", "1"]))
    text = " ".join(words)
    assert converter.to_latin(text) == converter.reference_to_latin(text)


@pytest.mark.parametrize(("body", "message"), [
    ("\tь\to и\ty\tбатальон → batalyon\t\n\tь\t\t-\tфильм → film\t\n",
     "rules.tsv:2: context member 'o' has 'o' (LATIN SMALL LETTER O), not a Cyrillic letter"),
    ("\tc\t\ts\tc → s\t\n", "rules.tsv:2: the letter 'c' has 'c' (LATIN SMALL LETTER C)"),
    ("class\t$v\tа o\t\n\tа\t\ta\tа → a\t\n", "rules.tsv:2: class member 'o' has 'o'"),
])
def test_a_latin_look_alike_where_cyrillic_is_meant_is_refused(tmp_path, body, message):
    path = _table_with(tmp_path, GOOD_HEADER + body)
    with pytest.raises(RuleFileError) as error:
        load_rule_table(path)
    assert str(error.value).startswith(message)


def test_a_latin_look_alike_in_a_users_exception_is_refused(tmp_path):
    mine = _table_with(tmp_path, "тoшкент\tToshkent\n", "mine.tsv")  # a Latin o inside
    with pytest.raises(RuleFileError, match="mine.tsv:1: the cyrillic column 'тoшкент' has 'o'"):
        translit.to_latin("x", exceptions=(mine,))


def test_the_examples_of_a_users_files_are_checked_when_loaded(tmp_path):
    wrong = _table_with(tmp_path, "тошкент\tTashkent\tword\t\tТошкент → Toshkent\n", "wrong.tsv")
    with pytest.raises(RuleFileError, match=r"wrong.tsv:1: the example Тошкент → Toshkent "
                                            r"converts to Tashkent"):
        translit.to_latin("x", exceptions=(wrong,), apostrophe="ascii")
    right = _table_with(tmp_path, "тошкент\tTashkent\tword\t\tТошкент → Tashkent\n", "right.tsv")
    assert translit.to_latin("Тошкент", exceptions=(right,), apostrophe="ascii") == "Tashkent"
    rules = (Path(__file__).parent.parent / "data" / "rules.tsv").read_text(encoding="utf-8")
    broken = _table_with(tmp_path, rules.replace("функция → funksiya", "функция → funktsiya"), "mine-rules.tsv")
    with pytest.raises(RuleFileError, match=r"mine-rules.tsv:\d+: the example функция"):
        translit.to_latin("x", rules=broken)


def test_the_lexicon_made_entry_by_entry_is_the_file_read_whole():
    """load_lexicon makes each entry when first asked for (wordlists.Lexicon): every key,
    entry and line agrees with lexicon.tsv read line by line, a key written twice keeps its
    last line, and a word not in it is not a key."""
    from translit.tables.rules import Where, data_dir
    from translit.tables.wordlists import LexiconEntry, load_lexicon

    path = data_dir() / "lexicon.tsv"
    expected = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line or line.startswith("#") or line.startswith("latin\t"):
            continue
        latin, cyrillic, match, source = line.split("\t")[:4]
        where = Where(path.name, number)
        expected[latin] = LexiconEntry(latin, cyrillic, match in ("stem", "name"), source,
                                       where, f"{path.name}:{number}", name=match == "name")
    lexicon = load_lexicon()
    assert len(expected) > 10_000
    assert list(lexicon) == list(expected)
    assert {key: lexicon[key] for key in lexicon} == expected
    assert lexicon.get("film") == expected["film"] and "film" in lexicon
    assert lexicon.get("xyzzy") is None and lexicon.get("xyzzy", 1) == 1
    assert "xyzzy" not in lexicon


def test_a_lexicon_line_written_twice_keeps_the_last_and_a_short_line_is_one_error(tmp_path):
    from translit.tables.wordlists import Lexicon, load_lexicon

    lexicon = Lexicon("x.tsv", ["# c", "", "film\tфилм\tword\ta", "film\tфильм\tstem\tb"])
    assert lexicon["film"].cyrillic == "фильм" and lexicon["film"].id == "x.tsv:4"
    assert lexicon["film"].stem and not lexicon["film"].name
    bad = tmp_path / "lexicon.tsv"
    bad.write_text("latin\tcyrillic\tmatch\tsource\nfilm\tфильм\tstem\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"^lexicon.tsv:2: expected latin, cyrillic, match, source$"):
        load_lexicon(bad)


@pytest.mark.parametrize("lines, keys", [
    (["latin\tcyrillic\tmatch\tsource", "film\tфильм\tstem\tx"], {"film": 1}),
    (["# a comment\twith\ttabs\tin it", "", "\tno\tkey\there"], {"": 2}),
    (["#", "kino\tкино\tword\tx\tmore\ttabs", "kino\tкино\tstem\ty"], {"kino": 2}),
    (["latinx\t1\t2\t3"], {"latinx": 0}),
    (["latin\tcyrillic"], {}),  # a short header is a header
])
def test_the_lexicons_keys_are_its_lines_first_fields(lines, keys):
    from translit.tables.wordlists import Lexicon

    assert Lexicon("lexicon.tsv", lines).rows == keys


@pytest.mark.parametrize("lines, number", [
    (["film\tфильм\tstem"], 1), (["# note", "latin"], 2), (["kino\tкино\tword\tx", "x"], 2),
])
def test_a_lexicon_line_short_of_fields_is_an_error_naming_it(lines, number):
    from translit.tables.rules import RuleFileError
    from translit.tables.wordlists import Lexicon

    with pytest.raises(RuleFileError, match=f"lexicon.tsv:{number}: expected latin, cyrillic"):
        Lexicon("lexicon.tsv", lines)


_WORD_LISTS = ("uzbek-words.tsv", "english.tsv", "english-phrase.tsv")


@pytest.mark.parametrize("name", _WORD_LISTS)
def test_a_word_list_read_by_the_compiled_module_is_the_file_read_line_by_line(name):
    """wordlists._word_list: the compiled module's set of a word list (_accel.word_set) has
    the words, and only the words, that the Python way reads (frozenset of `_lines`)."""
    from translit import engine  # noqa: F401  (it hands the compiled readers down)
    from translit.tables import wordlists
    from translit.tables.rules import data_file

    if wordlists.compiled is None:
        pytest.skip("the accelerator is not built here (no C compiler)")
    path = data_file(name)
    expected = frozenset(wordlists._lines(path))
    with open(path, "rb") as file:
        words = wordlists.compiled.word_set(file.read())
    assert words is not None and len(words) == len(expected) > 5000
    assert set(words) == expected and all(word in words for word in expected)
    for word in sorted(expected)[::97]:  # near misses: not words of the list
        for other in (word + "x", word[:-1], word.upper(), " " + word, word + "\ud800"):
            assert (other in words) == (other in expected)


@pytest.mark.parametrize("data", [
    b"", b"a\nb\n", b"# c\n\n  \n\t\na\na\n b\nc ", b"x", b"\xef\xbb\xbf# a BOM\nq\n",
    "ʻa\nбу\nбу \n\U0001d518\nq#\n#q\n".encode(), b"a\tb\n\ta\n",
    # not plainly a word list: the Python way reads it (and names an error)
    b"x\r\ny", b"x\ry", b"a\x0bb", b"a\x1cb", b"a\x00b", "a\x85b".encode(),
    "a\u2028b".encode(), "a\u00a0\n".encode(), "\u3000\n".encode(), b"\xff", b"a\xc0\xafb",
    b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xe2\x82",
])
def test_the_compiled_word_list_reads_lines_as_the_python_way_or_refuses(data):
    from translit import engine  # noqa: F401  (it hands the compiled readers down)
    from translit.tables import wordlists

    if wordlists.compiled is None:
        pytest.skip("the accelerator is not built here (no C compiler)")
    words = wordlists.compiled.word_set(data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        assert words is None
        return
    expected = frozenset(line for line in text.splitlines() if line.strip() and line[0] != "#")
    if words is None:  # refused: only where splitlines or strip see more than \n, space, tab
        assert any(c in text for c in "\r\x0b\x0c\x1c\x1d\x1e\x00\x85\u2028\u00a0\u3000")
        return
    assert len(words) == len(expected) and set(words) == expected
    for word in [*expected, "", "a", "q", "zz", 1, None]:
        assert (word in words) == (word in expected)


def test_a_word_list_that_is_not_utf8_is_an_error_naming_the_file(tmp_path):
    from translit.tables.wordlists import load_uzbek_words

    bad = tmp_path / "words.tsv"
    bad.write_bytes(b"kitob\n\xff\n")
    with pytest.raises(RuleFileError, match=r"words.tsv: 'utf-8' codec can't decode"):
        load_uzbek_words(bad)


def test_the_lexicon_read_by_the_compiled_module_is_the_lexicon_read_line_by_line():
    """Lexicon.compiled (_accel.lexicon_keys: each key and its line, no str of each) holds
    the keys in the same order, each with the same line and entry, as Lexicon's reading of
    the file's lines; the keys look up no more than they are."""
    from translit import engine  # noqa: F401  (it hands the compiled readers down)
    from translit.tables import wordlists
    from translit.tables.rules import data_file

    if wordlists.compiled is None:
        pytest.skip("the accelerator is not built here (no C compiler)")
    with open(data_file("lexicon.tsv"), "rb") as file:
        data = file.read()
    compiled = wordlists.Lexicon.compiled("lexicon.tsv", data)
    expected = wordlists.Lexicon("lexicon.tsv", data.decode("utf-8").splitlines())
    assert compiled is not None and len(compiled) == len(expected) > 10_000
    assert list(compiled) == list(expected) and list(compiled.rows) == list(expected.rows)
    assert all(compiled.rows[key] == row for key, row in expected.rows.items())
    assert all(compiled[key] == expected[key] for key in list(expected)[::7])
    assert compiled.longest_key() == expected.longest_key() == max(map(len, expected))
    for key in list(expected)[::131]:
        for other in (key + "x", key[:-1], key.upper(), " " + key, key + "\ud800", 7):
            assert (other in compiled) == (other in expected)
            assert compiled.get(other) == expected.get(other)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", [
    "", "latin\tcyrillic\tmatch\tsource\n", "# c\n\nfilm\tфилм\tword\ta\nfilm\tфильм\tstem\tb\n",
    "a\tа\tword\tx\nlatin\tx\ty\tz\n\tбош\tword\tx\nb\tб\tstem\tx\tmore\nc\tц\tname\tx",
    "#x\ty\nkino\tкино\tstem\tx\nfilm\tфильм\tstem\tb\nkino\tкинo\tword\tc\n",
    # refused (None): a line short of fields (an error, which Lexicon names), a carriage
    # return, a line of spaces, bytes that are not UTF-8
    "film\tфильм\tstem\n", "a\tа\tword\tx\r\nb\tб\tword\tx\n", "  \n", "\udcff",
])
def test_the_compiled_lexicon_reads_lines_as_lexicon_does_or_refuses(text):
    from translit import engine  # noqa: F401  (it hands the compiled readers down)
    from translit.tables import wordlists

    if wordlists.compiled is None:
        pytest.skip("the accelerator is not built here (no C compiler)")
    data = text.encode("utf-8", "surrogateescape")
    compiled = wordlists.Lexicon.compiled("x.tsv", data)
    try:
        expected = wordlists.Lexicon("x.tsv", data.decode("utf-8").splitlines())
    except (UnicodeDecodeError, RuleFileError):
        assert compiled is None
        return
    if compiled is None:
        assert "\r" in text or text.strip(" \n") == ""
        return
    assert list(compiled) == list(expected)
    assert {key: compiled.rows[key] for key in compiled.rows} == dict(expected.rows)
    assert {key: compiled[key] for key in compiled} == {key: expected[key] for key in expected}
    assert compiled.longest_key() == expected.longest_key()


def test_the_spaces_and_line_breaks_the_compiled_reading_looks_up_are_all_there_are():
    """_accel.c's ws_make looks a character beyond ASCII up (Py_UNICODE_ISSPACE,
    Py_UNICODE_ISLINEBREAK) only if it is U+0085, U+00A0 or from U+1000 to U+3FFF: every
    other is neither a space for str.strip nor a line break for str.splitlines."""
    others = [chr(c) for c in range(0x80, 0x110000)
              if not (c in (0x85, 0xA0) or 0x1000 <= c < 0x4000 or 0xD800 <= c < 0xE000)]
    assert not [c for c in others if c.isspace()]
    assert len("a".join(others).splitlines()) == 1


@pytest.mark.parametrize("after", ["stem", "name", "number"])
def test_the_compiled_suffix_matcher_matches_where_the_suffix_pattern_does(after):
    """wordlists.suffix_matcher (_accel.suffix_matcher) says, for any text and position,
    what suffix_pattern's regex says: texts made of the slots' forms in and out of order,
    with letters around them, the forms cut short, positions before, inside and past."""
    import random

    from translit import engine  # noqa: F401  (it hands the compiled readers down)
    from translit.tables import wordlists

    if wordlists.compiled is None:
        pytest.skip("the accelerator is not built here (no C compiler)")
    slots = wordlists.suffix_slots(after=after)
    pattern = wordlists.suffix_pattern(after=after)
    matcher = wordlists.compiled.suffix_matcher(slots)
    forms = [form for slot in slots for form in slot]
    chance = random.Random(20)
    texts = ["", "a", "lar", "larimizda", "lash", "siz", "ʻda", "LAR", "lar ", "film"]
    for _ in range(6000):
        parts = [chance.choice(forms) for _ in range(chance.randint(0, 5))]
        if chance.random() < 0.5:
            parts = sorted(parts, key=lambda form: [form in slot for slot in slots],
                           reverse=True)  # (most often in the slots' order)
        if parts and chance.random() < 0.2:
            parts[-1] = parts[-1][:-1]
        head = "".join(chance.choice("abfilmotxʻ") for _ in range(chance.randint(0, 4)))
        texts.append(head + "".join(parts))
    for text in texts:
        for pos in (-3, 0, 1, 2, 4, len(text) // 2, len(text), len(text) + 2):
            assert bool(matcher.match(text, pos)) == bool(pattern.match(text, pos)), (text, pos)
        assert bool(matcher.match(text)) == bool(pattern.match(text)), text
