"""Markdown for claim text: CommonMark with raw HTML off, plus [[id]] wiki-links.

markdown-it-py's "commonmark" preset turns raw HTML *on*; here it is off, so
``<script>`` in a claim is shown as text. Links must be absolute http(s)
(validation says so with a position; `validate_link` refuses the rest again
at render time), get ``rel="noopener noreferrer"``, and images are refused.
The wiki-link rule is one small inline rule registered before ``link``.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

WIKILINK = re.compile(r"\[\[([^\[\]|\n]*)(?:\|([^\[\]\n]*))?\]\]")
_SAFE_URL = re.compile(r"^https?://", re.IGNORECASE)
_MAY_HOLD_LINKS = re.compile(r"\]\(|\]:|<|!\[|\]\[")
# One line with no character Markdown gives a meaning to, not starting like a
# list item: its HTML is the escaped text. Most claims are such lines, and
# skipping the parser for them halves rendering time (tests/test_markdown.py
# checks the shortcut against the parser).
_PLAIN = re.compile(r"(?![0-9]+[.)])[A-Za-z0-9\"'(\u00a0-\uffff][^\n\\`*_\[\]<>&!#|~{}]*")

# Han characters and CJK punctuation: runs of them are marked lang="zh", so
# screen readers switch voice and browsers pick a Chinese font.
_CJK = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60]+")

# env keys the renderer reads: a function from dossier id to (href, name)
LinkResolver = Callable[[str], tuple[str, str]]


@dataclass(frozen=True)
class Link:
    kind: str  # "link" or "image"
    target: str


def wikilink_rule(state: StateInline, silent: bool) -> bool:
    """[[id]] or [[id|label]]: a link to another dossier."""
    if not state.src.startswith("[[", state.pos):
        return False
    m = WIKILINK.match(state.src, state.pos)
    if m is None:
        return False
    if not silent:
        token = state.push("wikilink", "a", 0)
        token.meta = {"id": m.group(1).strip(), "label": (m.group(2) or "").strip()}
    state.pos = m.end()
    return True


def render_wikilink(self: RendererHTML, tokens: list[Token], idx: int, options: OptionsDict,
                    env: EnvType) -> str:
    meta = tokens[idx].meta
    href, name = env["resolve"](meta["id"])
    return f'<a class="xref" href="{escapeHtml(href)}">{escapeHtml(meta["label"] or name)}</a>'


def mark_chinese(escaped: str) -> str:
    """Wrap runs of Chinese in already-escaped text in <span lang="zh">."""
    if not _CJK.search(escaped):
        return escaped
    return _CJK.sub(lambda m: f'<span lang="zh">{m.group()}</span>', escaped)


def render_text(self: RendererHTML, tokens: list[Token], idx: int, options: OptionsDict,
                env: EnvType) -> str:
    return mark_chinese(escapeHtml(tokens[idx].content))


def render_link_open(self: RendererHTML, tokens: list[Token], idx: int, options: OptionsDict,
                     env: EnvType) -> str:
    tokens[idx].attrSet("rel", "noopener noreferrer")
    return self.renderToken(tokens, idx, options, env)


def render_image(self: RendererHTML, tokens: list[Token], idx: int, options: OptionsDict,
                 env: EnvType) -> str:
    """Validation refuses images; should one get here, show its text, load nothing."""
    return escapeHtml(tokens[idx].content)


def validate_link(url: str) -> bool:
    return bool(_SAFE_URL.match(url.strip()))


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.validateLink = validate_link  # type: ignore[method-assign]
    md.inline.ruler.before("link", "wikilink", wikilink_rule)
    md.add_render_rule("wikilink", render_wikilink)
    md.add_render_rule("link_open", render_link_open)
    md.add_render_rule("image", render_image)
    md.add_render_rule("text", render_text)
    return md


def render(text: str, resolve: LinkResolver) -> str:
    """Block Markdown (paragraphs, lists) to HTML."""
    if _PLAIN.fullmatch(text):
        return f"<p>{mark_chinese(escapeHtml(text))}</p>\n"
    return parser().render(text, {"resolve": resolve})


def render_inline(text: str, resolve: LinkResolver) -> str:
    """One line of Markdown (a profile value) to HTML, without a paragraph."""
    if _PLAIN.fullmatch(text):
        return mark_chinese(escapeHtml(text))
    return parser().renderInline(text, {"resolve": resolve})


@lru_cache(maxsize=1)
def _finder() -> MarkdownIt:
    """A parser that accepts every URL, so validation can name the ones rendering refuses."""
    md = MarkdownIt("commonmark", {"html": False})
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    md.inline.ruler.before("link", "wikilink", wikilink_rule)
    return md


def find_links(text: str) -> Iterator[Link]:
    """Every Markdown link and image target in text (wiki-links are not included)."""
    if not _MAY_HOLD_LINKS.search(text):
        return
    for token in _finder().parse(text, {}):
        for child in token.children or ():
            if child.type == "link_open":
                yield Link("link", str(child.attrGet("href") or ""))
            elif child.type == "image":
                yield Link("image", str(child.attrGet("src") or ""))
