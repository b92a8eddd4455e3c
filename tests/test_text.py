"""Text: the format decides Markdown; the shortcut agrees with the parser; wiki-links; plain text; safety."""
from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sourcebook import text
from sourcebook.text import InlineMarkdown, Markdown


def resolve(dossier_id: str) -> tuple[str, str]:
    return f"../{dossier_id}/", dossier_id.title()


def parsed(value: str) -> str:
    return text.parser().render(value, {"resolve": resolve})


def parsed_inline(value: str) -> str:
    return text.parser().renderInline(value, {"resolve": resolve})


TEXTS = st.text(alphabet=st.sampled_from(list("aZ09 .,;:'\"()-+=%$@?/é海\t*_[]<>&!#|~{}\\`\n")),
                min_size=1, max_size=40).map(str.strip).filter(bool)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_shortcut_renders_exactly_as_the_parser(value):
    assert text.to_html(Markdown(value), resolve) == parsed(value)
    assert text.to_html(InlineMarkdown(value), resolve) == parsed_inline(value)


def test_shortcut_cases():
    for value in ["1. a list", "2) item", "- item", "+ item", "---", "Plain \"quoted\" text, 42%.",
                  "Revenue rose 22.4% in 2024 (CNY 862.1 billion).", "海康威视 (Hikvision)", "Hello world"]:
        assert text.to_html(Markdown(value), resolve) == parsed(value), value


def test_the_type_decides_markdown_plain_never_reaches_the_parser():
    """"1. Beta Holdings" is a list only where the format says Markdown; inline Markdown and plain text keep it."""
    assert text.to_html(Markdown("1. Beta Holdings"), resolve) == "<ol>\n<li>Beta Holdings</li>\n</ol>\n"
    assert text.to_html(InlineMarkdown("1. Beta Holdings"), resolve) == "1. Beta Holdings"
    assert text.to_html("1. Beta Holdings [[x]] *y*", resolve) == "1. Beta Holdings [[x]] *y*"


def test_wikilinks_with_and_without_label():
    html = text.to_html(Markdown("See [[dji]] and [[dahua|its rival]]."), resolve)
    assert html == '<p>See <a class="xref" href="../dji/">Dji</a> and <a class="xref" href="../dahua/">its rival</a>.</p>\n'
    assert text.wikilink_targets("[[ dji ]], [[dahua|x]], [[dji]]") == ("dji", "dahua")


def test_raw_html_is_text_and_links_are_safe():
    html = text.to_html(Markdown('<script>x</script> [a](https://e.org/x "t") [b](javascript:alert(1))'), resolve)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<a href="https://e.org/x" title="t" rel="noopener noreferrer">a</a>' in html
    assert "javascript:" not in html and html.endswith(" b</p>\n")


def test_validation_sees_every_link_the_renderer_refuses():
    links = list(text.find_links(InlineMarkdown("[a](javascript:x) ![i](https://e.org/i.png) [ok](https://e.org)")))
    assert [(link.kind, link.target) for link in links] == [
        ("link", "javascript:x"), ("image", "https://e.org/i.png"), ("link", "https://e.org")]
    assert list(text.find_links("[a](javascript:x)")) == []  # plain text holds no links


def test_plain_text_rendering():
    name = {"dji": "DJI"}.get
    assert text.plain(Markdown("1. See [[dji]]\n2. and *this* [link](https://e.org)")) == "See dji and this link"
    assert text.plain(Markdown("Rivals: [[dji]], [[x|the other]]."), lambda i: name(i) or i) == \
        "Rivals: DJI, the other."
    assert text.plain("  plain\n text ") == "plain text"
    assert text.snippet("one two three four five", 12) == "one two…"


def test_plain_text_ends_a_heading_like_a_sentence():
    """Joined into one line (a page description, a feed summary), a heading must not run into its text."""
    assert text.plain(Markdown("# About this site\n\nIt collects dossiers.")) == "About this site. It collects dossiers."
    assert text.plain(Markdown("## Why?\n\nBecause.\n\n## 为什么：\n\n因为。")) == "Why? Because. 为什么： 因为。"
    assert text.plain(Markdown("A paragraph\n\nwithout a heading")) == "A paragraph without a heading"


def test_chinese_runs_are_marked_for_readers_and_fonts():
    assert text.to_html(Markdown("Hikvision (海康威视) is listed."), resolve) == \
        '<p>Hikvision (<span lang="zh">海康威视</span>) is listed.</p>\n'
    assert text.to_html(Markdown("*海康* [[dji]]"), resolve) == \
        '<p><em><span lang="zh">海康</span></em> <a class="xref" href="../dji/">Dji</a></p>\n'
    assert text.mark_chinese("no Chinese &amp; here") == "no Chinese &amp; here"


# --- automatic links ------------------------------------------------------------------

LINKER = text.Linker({"dji": ["DJI", "SZ DJI Technology", "大疆創新"], "huawei": ["Huawei", "华为"],
                      "hik": ["Hikvision", "海康威视"], "a": ["Shared"], "b": ["Shared"]})
AUTO = text.AutoLink(LINKER, "hik", lambda dossier_id: f"../{dossier_id}/")


def linked(value: str, owner: str = "hik") -> list[tuple[str, str]]:
    """(href, text) of every automatic link in the rendered value."""
    html = text.to_html(Markdown(value), resolve, "zh", text.AutoLink(LINKER, owner, AUTO.href))
    return [(m.group(1), re.sub("<[^>]+>", "", m.group(2)))
            for m in re.finditer(r'<a class="xref auto" href="([^"]*)">(.*?)</a>', html)]


def test_automatic_links_take_the_first_mention_longest_alias_first_at_word_boundaries():
    assert linked("SZ DJI Technology and DJI, then Huawei's Huawei") == [("../dji/", "SZ DJI Technology"),
                                                                         ("../huawei/", "Huawei")]
    assert linked("DJI2 and xDJI are other words; huawei is not Huawei") == [("../huawei/", "Huawei")]
    assert linked("Hikvision is the owner's own name") == []                           # never to itself
    assert linked("Hikvision and DJI", owner="dji") == [("../hik/", "Hikvision")]
    assert linked("Shared is an alias of two dossiers") == []                          # ambiguous: neither
    assert linked("[[dji]] is linked already, so DJI is not") == []
    assert linked("First DJI.\n\nSecond paragraph: DJI again.") == [("../dji/", "DJI")]  # first per text


def test_automatic_links_never_inside_a_link_code_or_url():
    assert linked("[DJI](https://e.org/DJI) and `DJI` and <https://DJI.com/x>") == []
    assert linked("See www.DJI.com, https://e.org/Huawei and huawei.com/DJI; then DJI") == [("../dji/", "DJI")]
    assert linked("*DJI* in emphasis") == [("../dji/", "DJI")]


def test_chinese_names_link_only_as_a_whole_run_of_chinese():
    assert linked("大疆創新 (DJI) and 华为") == [("../dji/", "大疆創新"), ("../huawei/", "华为")]
    assert linked("华为技术有限公司 is a longer name") == []
    html = text.to_html(Markdown("Made by 华为."), resolve, "zh", AUTO)
    assert html == '<p>Made by <a class="xref auto" href="../huawei/"><span lang="zh">华为</span></a>.</p>\n'


def test_plain_text_keeps_the_words_of_automatic_links():
    assert text.plain(Markdown("Made by Huawei and [[dji]]."), {"dji": "DJI"}.get) == "Made by Huawei and DJI."


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(["DJI", "Huawei", "华为", "Hikvision", " ", ".", ",", "x", "'s", "\n", "*", "[", "]",
                                 "`", "(", ")", "https://", "2"]), min_size=1, max_size=12)
       .map(lambda parts: "".join(parts).strip()).filter(bool))
def test_shortcut_and_parser_agree_with_automatic_links(value):
    env = {"resolve": resolve, "lang": "zh", "autolink": AUTO}
    assert text.to_html(Markdown(value), resolve, "zh", AUTO) == text.parser().render(value, env)


def test_automatic_links_escape_the_words_they_link():
    """A contributed name with markup characters links as text: the label is escaped, the href is ours."""
    hostile = text.AutoLink(text.Linker({"x": ['Evil" onmouseover="alert(1)']}), "y", lambda dossier_id: "../x/")
    html = text.to_html(Markdown('See Evil" onmouseover="alert(1) here.'), resolve, "zh", hostile)
    assert html == ('<p>See <a class="xref auto" href="../x/">Evil&quot; onmouseover=&quot;alert(1)</a> here.</p>\n')
