"""Issue 18, item 6: a comment is no boundary inside a word, and text HTML marks as another
language (``lang``, ``xml:lang``) is left as it is, unless --convert-all-languages."""

from __future__ import annotations

from conftest import run_cli

import translit
from translit import formats


def test_a_comment_inside_a_word_is_zero_width():
    assert formats.convert("<p>Ц<!-- x -->ентр</p>", "html") == "<p>S<!-- x -->entr</p>"
    assert formats.convert("<p>Ц<!---->ентр ва Ё<!-- -->л</p>", "html") == (
        "<p>S<!---->entr va Yo<!-- -->l</p>")
    # Markdown's raw HTML alike, inline and between blocks; a comment's own text stays.
    assert formats.convert("Ц<!-- изоҳ -->ентр\n", "markdown") == "S<!-- изоҳ -->entr\n"
    assert formats.convert("<!-- изоҳ -->\n\nЦентр\n", "markdown") == "<!-- изоҳ -->\n\nSentr\n"


def test_text_in_another_language_is_left_as_it_is():
    page = ('<blockquote lang="ru" title="Цитата">Центр <span lang="uz-Cyrl">центр</span>'
            '</blockquote><p xml:lang="kk">Қала</p><p lang="">Центр</p> Центр')
    assert formats.convert(page, "html") == (
        '<blockquote lang="ru" title="Цитата">Центр <span lang="uz-Latn">sentr</span>'
        '</blockquote><p xml:lang="kk">Қала</p><p lang="">Sentr</p> Sentr')
    # In Markdown's raw HTML too.
    assert formats.convert('<span lang="ru">Центр</span> центр\n', "markdown") == (
        '<span lang="ru">Центр</span> sentr\n')


def test_a_whole_page_in_another_language_is_left_and_the_option_converts_it():
    page = '<html lang="ru"><title>Центр</title><p title="Йўл">Центр</p></html>'
    assert formats.convert(page, "html") == page
    everything = translit.Options(convert_all_languages=True)
    assert formats.convert(page, "html", everything) == (
        '<html lang="ru"><title>Sentr</title><p title="Yoʻl">Sentr</p></html>')


def test_the_command_says_what_it_left_and_how_to_convert_it(tmp_path):
    source = tmp_path / "a.html"
    source.write_text('<p lang="ru">Центр</p><p>Центр</p>\n', encoding="utf-8")
    code, out, err = run_cli(source)
    assert code == 0 and out == '<p lang="ru">Центр</p><p>Sentr</p>\n'.encode()
    assert err == (f"translit: {source}: text marked as another language than Uzbek (lang) is "
                   "left as it is; --convert-all-languages converts it\n").encode()
    code, out, err = run_cli("--convert-all-languages", source)
    assert code == 0 and out == b'<p lang="ru">Sentr</p><p>Sentr</p>\n' and err == b""
    # No word when nothing Cyrillic was left.
    source.write_text('<p lang="en">Hello</p><p>Центр</p>\n', encoding="utf-8")
    code, out, err = run_cli(source)
    assert code == 0 and err == b""


def test_an_elements_own_attributes_follow_its_translate_and_lang():
    page = ('<pre><abbr title="Ҳужжат">Ҳ</abbr></pre><code title="Код">к</code>'
            '<p translate="no" title="Йўл"><span translate="yes" title="Йўл">Йўл</span></p>'
            '<q lang="ru" title="Цитата">Ц</q>')
    assert formats.convert(page, "html") == (
        '<pre><abbr title="Ҳужжат">Ҳ</abbr></pre><code title="Kod">к</code>'
        '<p translate="no" title="Йўл"><span translate="yes" title="Yoʻl">Yoʻl</span></p>'
        '<q lang="ru" title="Цитата">Ц</q>')
