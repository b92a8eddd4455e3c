"""Claim Markdown: the plain-text shortcut agrees with the parser; wiki-links; safety."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sourcebook import markdown


def resolve(dossier_id: str) -> tuple[str, str]:
    return f"../{dossier_id}/", dossier_id.title()


def parsed(text: str) -> str:
    return markdown.parser().render(text, {"resolve": resolve})


def parsed_inline(text: str) -> str:
    return markdown.parser().renderInline(text, {"resolve": resolve})


TEXTS = st.text(alphabet=st.sampled_from(list("aZ09 .,;:'\"()-+=%$@?/é海\t*_[]<>&!#|~{}\\`\n")),
                min_size=1, max_size=40).map(str.strip).filter(bool)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_shortcut_renders_exactly_as_the_parser(text):
    assert markdown.render(text, resolve) == parsed(text)
    assert markdown.render_inline(text, resolve) == parsed_inline(text)


def test_shortcut_cases():
    for text in ["1. a list", "2) item", "- item", "+ item", "---", "Plain \"quoted\" text, 42%.",
                 "Revenue rose 22.4% in 2024 (CNY 862.1 billion).", "海康威视 (Hikvision)", "Hello world"]:
        assert markdown.render(text, resolve) == parsed(text), text


def test_wikilinks_with_and_without_label():
    html = markdown.render("See [[dji]] and [[dahua|its rival]].", resolve)
    assert html == '<p>See <a class="xref" href="../dji/">Dji</a> and <a class="xref" href="../dahua/">its rival</a>.</p>\n'


def test_raw_html_is_text_and_links_are_safe():
    html = markdown.render('<script>x</script> [a](https://e.org/x "t") [b](javascript:alert(1))', resolve)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<a href="https://e.org/x" title="t" rel="noopener noreferrer">a</a>' in html
    assert "javascript:" not in html.split("[b]")[0] and 'href="javascript' not in html


def test_chinese_runs_are_marked_for_readers_and_fonts():
    assert markdown.render("Hikvision (海康威视) is listed.", resolve) == \
        '<p>Hikvision (<span lang="zh">海康威视</span>) is listed.</p>\n'
    assert markdown.render("*海康* [[dji]]", resolve) == \
        '<p><em><span lang="zh">海康</span></em> <a class="xref" href="../dji/">Dji</a></p>\n'
    assert markdown.mark_chinese("no Chinese &amp; here") == "no Chinese &amp; here"
