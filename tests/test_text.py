"""Text: the format decides Markdown; the shortcut agrees with the parser; wiki-links; plain text; safety."""
from __future__ import annotations

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
