"""Reading positioned nodes into values, one small reader per kind of field.

Dossier fields (`format.py`) and settings (`settings.py`) are both declared
as `Field`s with a kind; `Reader.entity` checks a mapping's keys against the
declaration and hands each value to its kind's reader. The scalar kinds are
here; the composite ones (a dossier's sources, responses, profile; a
settings vocabulary) are added by the module that owns them, through
`Reader.kinds`. Every problem is collected in the `Report`; a value that
cannot be read comes back as `MISSING`, and reading goes on.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from .dates import PartialDate, When
from .ids import id_problem, path_id_problem
from .limits import Limits, raise_hint
from .load import Map, Node, Scalar, Seq
from .problems import Code, Pos, Report, did_you_mean, one_of, shown
from .text import InlineMarkdown, Markdown, find_links, wikilink_targets

WRONG_TYPE = Code("wrong-type", "a value of the wrong shape (text, list or mapping)")
UNKNOWN_KEY = Code("unknown-key", "a key the format does not define")
MISSING_KEY = Code("missing-key", "a required key is absent")
EMPTY_TEXT = Code("empty-text", "a text value is empty")
TEXT_TOO_LONG = Code("text-too-long", "a text value is over the max_text_chars limit")
TOO_MANY_ENTRIES = Code("too-many-entries", "a list or mapping is over the max_entries limit")
INVALID_ID = Code("invalid-id", "an id that does not match ^[a-z0-9]+(-[a-z0-9]+)*$")
INVALID_DATE = Code("invalid-date", "a date or period that is not YYYY[-MM[-DD]], START..END, ..END or START.., "
                    "or does not exist")
INVALID_URL = Code("invalid-url", "a URL that is not absolute http(s) with a host")
INVALID_LANGUAGE = Code("invalid-language", "a language that is not a BCP 47 tag")
INVALID_NUMBER = Code("invalid-number", "a value that must be a positive number")
UNKNOWN_VALUE = Code("unknown-value", "a value outside its vocabulary or list of choices")
MARKDOWN_IMAGE = Code("markdown-image", "an image in Markdown text")
MARKDOWN_TOO_COMPLEX = Code("markdown-too-complex",
                            "Markdown text with more brackets than the parser handles in bounded time")
CODES = (WRONG_TYPE, UNKNOWN_KEY, MISSING_KEY, EMPTY_TEXT, TEXT_TOO_LONG, TOO_MANY_ENTRIES, INVALID_ID,
         INVALID_DATE, INVALID_URL, INVALID_LANGUAGE, INVALID_NUMBER, UNKNOWN_VALUE, MARKDOWN_IMAGE,
         MARKDOWN_TOO_COMPLEX)

URL_PATTERN = r"^https?://[^\s/?#]+[^\s]*$"
LANGUAGE_PATTERN = r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$"
_URL = re.compile(URL_PATTERN)
_LANGUAGE = re.compile(LANGUAGE_PATTERN)
MAX_BRACKETS = 256


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()  # a value that could not be read; its problem is already reported


@dataclass(frozen=True)
class Field:
    """One declared field: how its value is read, and what the docs and the JSON Schema say of it."""

    name: str
    kind: str                       # a key of Reader.kinds
    required: bool = False
    vocab: str = ""                 # kinds "vocab", "vocabs": which vocabulary
    choices: tuple[str, ...] = ()   # kind "choice": the allowed words
    doc: str = ""
    default: Any = None             # settings: the value when absent
    example: str = ""               # docs: an example value as written


Locate = Callable[[Pos, str], Pos]  # (a value's position, a piece of its text) -> where that piece is


def _nowhere_better(pos: Pos, piece: str) -> Pos:
    return pos


@dataclass
class Reader:
    """Reads nodes into values by kind, collecting problems in `report` instead of raising."""

    report: Report
    limits: Limits
    vocabularies: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    locate: Locate = _nowhere_better
    kinds: dict[str, Callable[..., Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.kinds = {**SCALAR_KINDS, **self.kinds}

    def entity(self, node: Node, fields: tuple[Field, ...], what: str) -> dict[str, Any] | None:
        """Read a mapping of declared fields; None when it is not a mapping. Absent optional fields are None."""
        if not isinstance(node, Map):
            self.report.error(node.pos, WRONG_TYPE, f"{what} must be a mapping of keys to values")
            return None
        if len(node.entries) > self.limits.max_entries:
            self.report.error(node.pos, TOO_MANY_ENTRIES, f"{what} has {len(node.entries)} keys; the limit is "
                              f"{self.limits.max_entries} {raise_hint('max_entries')}")
            return None
        by_name = {f.name: f for f in fields}
        for key, (key_node, _) in node.entries.items():
            if key not in by_name:
                self.report.error(key_node.pos, UNKNOWN_KEY,
                                  f"unknown key '{shown(key)}' in {what}{did_you_mean(key, by_name)}")
        values: dict[str, Any] = {"_pos": node.pos}
        for f in fields:
            if f.name in node.entries:
                values[f.name] = self.field(f, node.entries[f.name][1], f"'{f.name}' of {what}")
                values[f"_pos_{f.name}"] = node.entries[f.name][1].pos
            elif f.required:
                self.missing(node, f, what)
                values[f.name] = MISSING
            else:
                values[f.name] = f.default
        return values

    def missing(self, node: Node, f: Field, what: str) -> None:
        self.report.error(node.pos, MISSING_KEY, f"{what} has no '{f.name}'")

    def plain_text(self, node: Scalar, what: str, numbers: bool) -> None:
        """Every unquoted scalar read as text passes here (`numbers`: its kind takes a bare number).

        Settings come from TOML, which types its own values: nothing to say.
        The dossier reader warns where other YAML readers would not read text.
        """

    def field(self, f: Field, node: Node, what: str) -> Any:
        return self.kinds[f.kind](self, node, what, f)

    def items(self, node: Node, what: str) -> list[Node]:
        if isinstance(node, Scalar) and node.is_null:
            return []
        if not isinstance(node, Seq):
            self.report.error(node.pos, WRONG_TYPE, f"{what} must be a list, not a {kind_of(node)}")
            return []
        if len(node.items) > self.limits.max_entries:
            self.report.error(node.pos, TOO_MANY_ENTRIES,
                              f"{what} has {len(node.items)} items; the limit is {self.limits.max_entries} "
                              f"{raise_hint('max_entries')}")
            return []
        return node.items

    def markdown_problems(self, value: str, pos: Pos, what: str) -> bool:
        """Check a Markdown value; False when it is refused (so it never reaches the parser)."""
        brackets = value.count("[")
        if brackets > MAX_BRACKETS:
            # markdown-it's link parsing is quadratic in unmatched brackets: 20,000
            # "![" take seconds each, so a text's count is capped before any parsing.
            self.report.error(pos, MARKDOWN_TOO_COMPLEX, f"{what} has {brackets} '[' characters; the limit is "
                              f"{MAX_BRACKETS} (links and brackets in one text)")
            return False
        for link in find_links(value):  # type: ignore[arg-type]
            at = self.locate(pos, link.target)
            if link.kind == "image":
                self.report.error(at, MARKDOWN_IMAGE, f"{what} embeds an image ({shown(link.target)}); "
                                  "images would load from another site: link to it instead")
            elif not _URL.match(link.target):
                self.report.error(at, INVALID_URL, f"{what} links to '{shown(link.target)}': links in text "
                                  "must be absolute http(s) URLs; link a dossier with [[id]]")
        return True


def kind_of(node: Node) -> str:
    return {Map: "mapping", Seq: "list", Scalar: "text"}[type(node)]


# --- the scalar kinds --------------------------------------------------------------

def read_text(r: Reader, node: Node, what: str, f: Field | None = None, *, numbers: bool = False) -> Any:
    if not isinstance(node, Scalar):
        hint = ""
        if isinstance(node, Seq) and node.items and isinstance(node.items[0], Seq):
            hint = ": a value that starts with [[ is read as a list, so quote a line that starts with [["
        r.report.error(node.pos, WRONG_TYPE, f"{what} must be text, not a {kind_of(node)}{hint}")
        return MISSING
    value = node.value.strip()
    if not value:
        r.report.error(node.pos, EMPTY_TEXT, f"{what} is empty")
        return MISSING
    if len(value) > r.limits.max_text_chars:
        r.report.error(node.pos, TEXT_TOO_LONG,
                       f"{what} has {len(value)} characters; the limit is {r.limits.max_text_chars} "
                       f"{raise_hint('max_text_chars')}")
        return MISSING
    if node.plain:
        r.plain_text(node, what, numbers)
    return value


def read_markdown(r: Reader, node: Node, what: str, f: Field | None = None) -> Any:
    value = read_text(r, node, what)
    if value is MISSING or not r.markdown_problems(Markdown(value), node.pos, what):
        return MISSING
    return Markdown(value)


def read_inline(r: Reader, node: Node, what: str, f: Field | None = None) -> Any:
    value = read_text(r, node, what, numbers=True)  # profile values: `founded: {value: 2006, ...}`
    if value is MISSING or not r.markdown_problems(InlineMarkdown(value), node.pos, what):
        return MISSING
    return InlineMarkdown(value)


def read_texts(r: Reader, node: Node, what: str, f: Field | None = None) -> Any:
    values = (read_text(r, item, f"an item of {what}") for item in r.items(node, what))
    return tuple(v for v in values if v is not MISSING)


def read_id(r: Reader, node: Node, what: str, f: Field | None = None) -> Any:
    value = read_text(r, node, what)
    if value is MISSING:
        return value
    problem = id_problem(value)
    if problem:
        r.report.error(node.pos, INVALID_ID, f"{what}: {problem}")
        return MISSING
    return value


def read_ids(r: Reader, node: Node, what: str, f: Field | None = None) -> Any:
    values = (read_id(r, item, f"an item of {what}") for item in r.items(node, what))
    return tuple(v for v in values if v is not MISSING)


def read_path_id(r: Reader, node: Node, what: str, f: Field | None = None) -> Any:
    """An id that also names a folder in the output (a vocabulary key, a source id)."""
    value = read_text(r, node, what)
    if value is MISSING:
        return value
    problem = path_id_problem(value)
    if problem:
        r.report.error(node.pos, INVALID_ID, f"{what}: {problem}")
        return MISSING
    return value


def read_date(r: Reader, node: Node, what: str, f: Field | None = None) -> Any:
    value = read_text(r, node, what, numbers=True)  # a year: `as_of: 2015`
    if value is MISSING:
        return value
    try:
        return PartialDate.parse(value)
    except ValueError as e:
        r.report.error(node.pos, INVALID_DATE, f"{what}: {e}")
        return MISSING


def read_when(r: Reader, node: Node, what: str, f: Field | None = None) -> Any:
    value = read_text(r, node, what, numbers=True)  # a year: `as_of: 2015`
    if value is MISSING:
        return value
    try:
        return When.parse(value)
    except ValueError as e:
        r.report.error(node.pos, INVALID_DATE, f"{what}: {e} (a period is START..END, e.g. 2011..2017; "
                       "..END means until, START.. means since)")
        return MISSING


def read_url(r: Reader, node: Node, what: str, f: Field | None = None) -> Any:
    value = read_text(r, node, what)
    if value is MISSING:
        return value
    if not _URL.match(value) or not urlsplit(value).hostname:
        r.report.error(node.pos, INVALID_URL, f"{what} '{shown(value)}' is not an absolute http(s) URL with a host")
        return MISSING
    return value


def read_urls(r: Reader, node: Node, what: str, f: Field | None = None) -> Any:
    values = (read_url(r, item, f"an item of {what}") for item in r.items(node, what))
    return tuple(v for v in values if v is not MISSING)


def read_language(r: Reader, node: Node, what: str, f: Field | None = None) -> Any:
    value = read_text(r, node, what)
    if value is not MISSING and not _LANGUAGE.match(value):
        r.report.error(node.pos, INVALID_LANGUAGE, f"{what} '{shown(value)}' is not a language tag such as en or zh-Hans")
        return MISSING
    return value


def read_vocab(r: Reader, node: Node, what: str, f: Field | None = None) -> Any:
    assert f is not None
    value = read_text(r, node, what)
    choices = r.vocabularies.get(f.vocab, {})
    if value is not MISSING and value not in choices:
        r.report.error(node.pos, UNKNOWN_VALUE,
                       f"{what} '{shown(value)}' is not in the {f.vocab} vocabulary{did_you_mean(value, choices)}; "
                       f"declared: {one_of(choices)}")
        return MISSING
    return value


def read_vocabs(r: Reader, node: Node, what: str, f: Field | None = None) -> Any:
    values = (read_vocab(r, item, f"an item of {what}", f) for item in r.items(node, what))
    return tuple(v for v in values if v is not MISSING)


def read_choice(r: Reader, node: Node, what: str, f: Field | None = None) -> Any:
    assert f is not None
    value = read_text(r, node, what)
    if value is not MISSING and value not in f.choices:
        r.report.error(node.pos, UNKNOWN_VALUE, f"{what} '{shown(value)}' must be one of "
                       f"{one_of(f.choices)}{did_you_mean(value, f.choices)}")
        return MISSING
    return value


def read_positive_number(r: Reader, node: Node, what: str, f: Field | None = None) -> Any:
    value = read_text(r, node, what)
    if value is MISSING:
        return value
    try:
        number = float(value) if any(c in value for c in ".eE") else int(value)
    except ValueError:
        number = 0
    if not number > 0:
        r.report.error(node.pos, INVALID_NUMBER, f"{what} must be a positive number, not '{shown(value)}'")
        return MISSING
    return number


def wikilinks_of(value: Any) -> tuple[str, ...]:
    return wikilink_targets(value) if isinstance(value, Markdown) else ()


SCALAR_KINDS: dict[str, Callable[..., Any]] = {
    "text": read_text, "markdown": read_markdown, "inline": read_inline, "texts": read_texts,
    "id": read_id, "ids": read_ids, "path-id": read_path_id, "date": read_date, "when": read_when, "url": read_url,
    "urls": read_urls, "language": read_language, "vocab": read_vocab, "vocabs": read_vocabs,
    "choice": read_choice, "positive-number": read_positive_number,
}
