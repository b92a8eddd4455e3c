"""Text: whether a value is Markdown, and every way a text becomes HTML or plain text.

The format decides (`format.py`): a field of kind "markdown" is read as a
`Markdown` value (paragraphs and lists), "inline" as `InlineMarkdown` (one
line; block syntax such as ``1. `` stays text), "text" as a plain `str`,
which never reaches the Markdown parser. `to_html` and `plain` dispatch on
that type, so a value renders the same way on every page, and every
consumer that needs words (search, CSV, feeds, descriptions, cite-this)
takes them from `plain`.

Markdown is CommonMark with raw HTML off (markdown-it-py's "commonmark"
preset turns it on), no images (they would load from another site), links
absolute http(s) only (`validate` reports the rest with a position; the
renderer refuses them again), ``rel="noopener noreferrer"`` on every link,
and ``[[id]]`` / ``[[id|label]]`` wiki-links to other dossiers. There is one
parser configuration, built from three plugins (`wikilinks`, `safe_rendering`,
`autolinks`).

*Automatic links*: where a page asks for them (claim, event and response
texts: `to_html(..., autolink=AutoLink(...))`), the first mention of another
dossier's name or alias in the text links to that dossier. A core rule works
on markdown-it's text tokens after parsing, so nothing inside a link, a code
span or a URL is ever linked; matching is case-sensitive, longest alias
first, at ASCII word boundaries, and a Chinese name links only as a whole
run of Chinese characters (`Linker`). "First" is per text: each claim,
event or response links each other dossier once, which keeps a text's HTML
the same wherever it is shown (the renderer caches it per page depth).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict


class Markdown(str):
    """A block Markdown value: paragraphs, lists, links, wiki-links."""

    __slots__ = ()
    inline = False


class InlineMarkdown(Markdown):
    """One line of inline Markdown (a profile value): links and emphasis, never a list."""

    __slots__ = ()
    inline = True


Text = str  # a plain str, a Markdown or an InlineMarkdown

WIKILINK = re.compile(r"\[\[([^\[\]|\n]*)(?:\|([^\[\]\n]*))?\]\]")
_SAFE_URL = re.compile(r"^https?://", re.IGNORECASE)
_MAY_HOLD_LINKS = re.compile(r"\]\(|\]:|<|!\[|\]\[")
# One line with no character Markdown gives a meaning to, not starting like a
# list item: its HTML is the escaped text. Most claims are such lines, and
# skipping the parser for them halves rendering time (tests/test_text.py
# checks the shortcut against the parser).
_PLAIN = re.compile(r"(?![0-9]+[.)])[A-Za-z0-9\"'(\u00a0-\uffff][^\n\\`*_\[\]<>&!#|~{}]*")
# Han characters and CJK punctuation: runs of them are marked with a lang, so
# screen readers switch voice and browsers pick a Chinese font.
_CJK = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60]+")
_SPACES = re.compile(r"\s+")
_ENDS_SENTENCE = frozenset(".!?:;…。！？：；")
# What automatic links match on: ASCII words (a maximal run of letters and digits, so a match
# starts and ends at an ASCII word boundary), runs of Han characters (Chinese has no spaces, so a
# Chinese name links only as a whole run), and what they skip: URLs and domain names typed as text.
_ASCII_WORD = re.compile(r"[A-Za-z0-9]+")
_ASCII_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_CHUNK = re.compile(r"\S+")
_DOMAIN = re.compile(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[a-z]{2,}(?:/\S*)?")
_CHUNK_EDGES = "()[]{}<>\"'\u201c\u201d\u2018\u2019.,;:!?"

# What the renderer needs from its caller: a dossier id -> (href, name).
Resolve = Callable[[str], tuple[str, str]]
Name = Callable[[str], str]


@dataclass(frozen=True)
class Link:
    kind: str  # "link" or "image"
    target: str


# --- automatic links: which names to look for ---------------------------------------

Mention = tuple[int, int, str]  # (start, end, dossier id) in a text


class Linker:
    """Every dossier's name and aliases, indexed for finding the first mention of each in a text.

    An ASCII alias is looked up by its first word, so a text costs one dictionary
    lookup per word however many dossiers there are (a regular expression of
    2,000 alternatives tries each at every position); a Chinese alias (Han
    characters only) by the whole run it must equal. An alias two dossiers
    share links neither; one that starts with neither an ASCII letter or digit
    nor a Han character is never linked.
    """

    def __init__(self, names: Mapping[str, Iterable[str]]) -> None:  # dossier id -> its name and aliases
        owners: dict[str, set[str]] = {}
        for dossier_id, aliases in names.items():
            for alias in aliases:
                if alias and alias.strip():
                    owners.setdefault(alias.strip(), set()).add(dossier_id)
        self.words: dict[str, tuple[tuple[str, str], ...]] = {}  # first word -> (alias, id), longest first
        self.han: dict[str, str] = {}                             # a whole Han alias -> id
        by_word: dict[str, list[tuple[str, str]]] = {}
        for alias, ids in sorted(owners.items()):
            if len(ids) != 1:
                continue
            (dossier_id,) = ids
            if _HAN.fullmatch(alias):
                self.han[alias] = dossier_id
            elif (first := _ASCII_WORD.match(alias)) is not None:
                by_word.setdefault(first.group(), []).append((alias, dossier_id))
        self.words = {w: tuple(sorted(v, key=lambda a: (-len(a[0]), a[0]))) for w, v in by_word.items()}

    def mentions(self, text: str, skip: Collection[str] = ()) -> list[Mention]:
        """The first mention of each dossier not in `skip`, leftmost first; the longest alias wins at a
        position, and a mention (of any dossier) is never searched again for a shorter name inside it."""
        # Most texts name no dossier: a set intersection (in C) says so before any word is looked at.
        hits = self.words.keys() & set(_ASCII_WORD.findall(text))
        han = [m for m in _HAN.finditer(text) if m.group() in self.han] if self.han else []
        if not hits and not han:
            return []
        found: list[Mention] = [(m.start(), m.end(), self.han[m.group()]) for m in han]
        for word in _ASCII_WORD.finditer(text):
            if word.group() not in hits:
                continue
            for alias, dossier_id in self.words[word.group()]:
                end = word.start() + len(alias)
                if text.startswith(alias, word.start()) and (end == len(text) or text[end] not in _ASCII_ALNUM):
                    found.append((word.start(), end, dossier_id))
                    break
        masked = _url_spans(text)
        out: list[Mention] = []
        linked, reached = set(skip), 0
        for start, end, dossier_id in sorted(found):
            if start < reached or any(a <= start < b for a, b in masked):
                continue
            reached = end
            if dossier_id not in linked:
                linked.add(dossier_id)
                out.append((start, end, dossier_id))
        return out


def _url_spans(text: str) -> list[tuple[int, int]]:
    """URLs and domain names typed as text (linkify is off): never searched for names."""
    spans = []
    for chunk in _CHUNK.finditer(text):
        core = chunk.group().strip(_CHUNK_EDGES)
        if "://" in core or core.startswith("www.") or _DOMAIN.fullmatch(core):
            spans.append(chunk.span())
    return spans


@dataclass(frozen=True)
class AutoLink:
    """A request for automatic links in one text: the names, whose text it is, and where a dossier is."""

    linker: Linker
    owner: str                     # the dossier the text belongs to: never linked to itself
    href: Callable[[str], str]     # a dossier id -> the href of its page


def wikilink_targets(text: str) -> tuple[str, ...]:
    """The dossier ids a text's wiki-links name, in order of first use (as the parser reads them)."""
    if "[[" not in text:
        return ()
    return tuple(dict.fromkeys(m.group(1).strip() for m in WIKILINK.finditer(text)))


def is_safe_url(url: str) -> bool:
    return bool(_SAFE_URL.match(url.strip()))


# --- the parser: one configuration, two plugins ------------------------------------

def _wikilink_rule(state: StateInline, silent: bool) -> bool:
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


def _render_wikilink(self: RendererHTML, tokens: list[Token], idx: int, options: OptionsDict,
                     env: EnvType) -> str:
    meta = tokens[idx].meta
    href, name = env["resolve"](meta["id"])
    label = mark_chinese(escapeHtml(meta["label"] or name), env.get("lang", "zh"))
    return f'<a class="xref" href="{escapeHtml(href)}">{label}</a>'


def wikilinks(md: MarkdownIt) -> None:
    """The ``[[id]]`` plugin: an inline rule before ``link``, and its renderer."""
    md.inline.ruler.before("link", "wikilink", _wikilink_rule)
    md.add_render_rule("wikilink", _render_wikilink)


def _render_link_open(self: RendererHTML, tokens: list[Token], idx: int, options: OptionsDict,
                      env: EnvType) -> str:
    token = tokens[idx]
    if not is_safe_url(str(token.attrGet("href") or "")):
        token.meta["refused"] = True  # validation reports these; should one get here, show the text only
        return ""
    token.attrSet("rel", "noopener noreferrer")
    return self.renderToken(tokens, idx, options, env)


def _render_link_close(self: RendererHTML, tokens: list[Token], idx: int, options: OptionsDict,
                       env: EnvType) -> str:
    depth = 0
    for j in range(idx - 1, -1, -1):  # the matching link_open
        if tokens[j].type == "link_close":
            depth += 1
        elif tokens[j].type == "link_open":
            if depth == 0:
                return "" if tokens[j].meta.get("refused") else "</a>"
            depth -= 1
    return "</a>"


def _render_image(self: RendererHTML, tokens: list[Token], idx: int, options: OptionsDict,
                  env: EnvType) -> str:
    """Validation refuses images; should one get here, show its text, load nothing."""
    return escapeHtml(tokens[idx].content)


def _render_text(self: RendererHTML, tokens: list[Token], idx: int, options: OptionsDict,
                 env: EnvType) -> str:
    return mark_chinese(escapeHtml(tokens[idx].content), env.get("lang", "zh"))


def safe_rendering(md: MarkdownIt) -> None:
    """Links only to http(s) with rel="noopener noreferrer", images as text, Chinese runs marked."""
    md.add_render_rule("link_open", _render_link_open)
    md.add_render_rule("link_close", _render_link_close)
    md.add_render_rule("image", _render_image)
    md.add_render_rule("text", _render_text)


def _autolink_rule(state: StateCore) -> None:
    """Split text tokens outside links at the first mention of each other dossier (per text)."""
    request = state.env.get("autolink") if isinstance(state.env, dict) else None
    if request is None:
        return
    linked = {request.owner}
    for block in state.tokens:  # a dossier the author wiki-linked is linked already
        for child in block.children or ():
            if child.type == "wikilink":
                linked.add(child.meta["id"])
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        inside = 0  # link depth: nothing inside a link is linked again
        for child in block.children:
            inside += child.type == "link_open"
            inside -= child.type == "link_close"
            if child.type != "text" or inside:
                children.append(child)
                continue
            children += _split_at_mentions(child, request.linker.mentions(child.content, linked), linked)
        block.children = children


def _split_at_mentions(token: Token, found: list[Mention], linked: set[str]) -> list[Token]:
    if not found:
        return [token]
    out, at, text = [], 0, token.content
    for start, end, dossier_id in found:
        linked.add(dossier_id)
        if start > at:
            out.append(Token("text", "", 0, content=text[at:start], level=token.level))
        out.append(Token("dossier_link", "a", 0, content=text[start:end], level=token.level,
                         meta={"id": dossier_id}))
        at = end
    if at < len(text):
        out.append(Token("text", "", 0, content=text[at:], level=token.level))
    return out


def _render_dossier_link(self: RendererHTML, tokens: list[Token], idx: int, options: OptionsDict,
                         env: EnvType) -> str:
    token = tokens[idx]
    href = env["autolink"].href(token.meta["id"])
    label = mark_chinese(escapeHtml(token.content), env.get("lang", "zh"))
    return f'<a class="xref auto" href="{escapeHtml(href)}">{label}</a>'


def autolinks(md: MarkdownIt) -> None:
    """Automatic links to other dossiers: a core rule after the inline parse, and its renderer."""
    md.core.ruler.push("autolink_dossiers", _autolink_rule)
    md.add_render_rule("dossier_link", _render_dossier_link)


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    # Every link is parsed, so validation sees (and names) the ones rendering refuses.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md.use(wikilinks).use(safe_rendering).use(autolinks)


# --- HTML -------------------------------------------------------------------------

def is_chinese(char: str) -> bool:
    """Whether one character is Han or CJK punctuation (the characters `mark_chinese` marks)."""
    return bool(_CJK.fullmatch(char))


def chinese_runs(plain_text: str) -> Iterator[tuple[str, bool]]:
    """A plain string as alternating runs, each with whether it is Chinese (for a drawing's labels)."""
    at = 0
    for m in _CJK.finditer(plain_text):
        if m.start() > at:
            yield plain_text[at:m.start()], False
        yield m.group(), True
        at = m.end()
    if at < len(plain_text):
        yield plain_text[at:], False


def mark_chinese(escaped: str, lang: str = "zh") -> str:
    """Wrap runs of Chinese in already-escaped text in <span lang="...">."""
    if not _CJK.search(escaped):
        return escaped
    return _CJK.sub(lambda m: f'<span lang="{lang}">{m.group()}</span>', escaped)


def to_html(text: Text, resolve: Resolve, lang: str = "zh", autolink: AutoLink | None = None) -> str:
    """A value as HTML, the way its type says: block Markdown, inline Markdown, or plain text;
    with `autolink`, a Markdown value also links the first mention of each other dossier."""
    if not isinstance(text, Markdown) or (_PLAIN.fullmatch(text) and (
            autolink is None or not autolink.linker.mentions(text, (autolink.owner,)))):
        html = mark_chinese(escapeHtml(text), lang)
        return f"<p>{html}</p>\n" if isinstance(text, Markdown) and not text.inline else html
    env = {"resolve": resolve, "lang": lang, "autolink": autolink}
    return parser().renderInline(text, env) if text.inline else parser().render(text, env)


# --- plain text ---------------------------------------------------------------------

def plain(text: Text, name: Name = lambda dossier_id: dossier_id) -> str:
    """The words of a value, without markup: wiki-links become their label or the dossier's name."""
    if not isinstance(text, Markdown):
        return _SPACES.sub(" ", text).strip()
    if _PLAIN.fullmatch(text):
        return text
    parts = [_part(kind, pieces, name) for kind, pieces in _words(str(text), text.inline)]
    if text.inline:
        return parts[0] if parts else ""
    return _SPACES.sub(" ", " ".join(p for p in parts if p)).strip()


# Per paragraph, heading or code block: its kind ("inline", "heading", "code") and its pieces.
Words = tuple[tuple[str, tuple["str | tuple[str, str]", ...]], ...]


def _part(kind: str, pieces: tuple[str | tuple[str, str], ...], name: Name) -> str:
    if kind == "code":
        return str(pieces[0])
    words = _SPACES.sub(" ", "".join(w if isinstance(w, str) else (w[1] or name(w[0])) for w in pieces)).strip()
    # A heading runs into the text after it once the lines are joined: end it like a sentence.
    return words + "." if kind == "heading" and words and words[-1] not in _ENDS_SENTENCE else words


@lru_cache(maxsize=4096)
def _words(text: str, inline: bool) -> Words:
    """A text's words as parsed: (kind, pieces) per paragraph, heading or code block, a wiki-link as
    (id, label).

    Memoised: a page's view takes a text's words more than once (a reference's backlink, the
    JSON-LD block) and each parse of a pathological text is as slow as rendering it; the names a
    wiki-link prints are filled in afterwards, so the words do not depend on who asks.
    """
    if inline:
        return (("inline", _inline_words(parser().parseInline(text, {})[0].children or [])),)
    parts: list[tuple[str, tuple[str | tuple[str, str], ...]]] = []
    heading = False
    for token in parser().parse(text, {}):
        if token.type == "inline":
            parts.append(("heading" if heading else "inline", _inline_words(token.children or [])))
        elif token.type in ("code_block", "fence"):
            parts.append(("code", (token.content,)))
        heading = token.type == "heading_open"
    return tuple(parts)


def _inline_words(children: list[Token]) -> tuple[str | tuple[str, str], ...]:
    words: list[str | tuple[str, str]] = []
    for child in children:
        if child.type in ("text", "code_inline", "image"):
            words.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            words.append(" ")
        elif child.type == "wikilink":
            words.append((child.meta["id"], child.meta["label"]))
        elif child.type == "dossier_link":
            words.append(child.content)
    return tuple(words)


def snippet(words: str, limit: int) -> str:
    """At most `limit` characters of plain text, cut at a word where one is near."""
    if len(words) <= limit:
        return words
    cut = words[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit * 0.5 else cut).rstrip(" ,;:") + "…"


# --- for validation -----------------------------------------------------------------

def find_links(text: Text) -> Iterator[Link]:
    """Every Markdown link and image target in a Markdown value (wiki-links are not included)."""
    if not isinstance(text, Markdown) or not _MAY_HOLD_LINKS.search(text):
        return
    tokens = parser().parseInline(text, {}) if text.inline else parser().parse(text, {})
    for token in tokens:
        for child in token.children or ():
            if child.type == "link_open":
                yield Link("link", str(child.attrGet("href") or ""))
            elif child.type == "image":
                yield Link("image", str(child.attrGet("src") or ""))
