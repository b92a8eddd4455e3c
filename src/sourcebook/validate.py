"""Stage 2, validate: positioned YAML nodes -> the typed model, or problems.

Reading follows the declarations in `schema.py`: each field kind has one small
reader function, registered in `READERS`. Every problem found is collected, so
one run reports all of them; nothing raises until the caller decides.
Corpus-wide rules (sources exist, links resolve, ids unique) run after every
file is read, in `check_corpus`.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .config import Config
from .ids import RESERVED_IDS, id_problem, path_id_problem
from .load import LoadedFolder, Map, Node, Scalar, Seq
from .markdown import WIKILINK, find_links
from .model import (STATUSES, Corpus, Dossier, Entry, PartialDate, ProfileFact, Relationship,
                    Response, Source, SourceRef, When)
from .problems import Pos, Problem, did_you_mean, one_of, shown
from .schema import ENTITIES, LANGUAGE_PATTERN, URL_PATTERN, Field

_URL = re.compile(URL_PATTERN)
_LANGUAGE = re.compile(LANGUAGE_PATTERN)
_MISSING = object()
MAX_BRACKETS = 256


@dataclass
class Reader:
    """Reads nodes into values, collecting problems instead of raising."""

    config: Config
    problems: list[Problem]

    def error(self, pos: Pos, code: str, message: str) -> None:
        self.problems.append(Problem(pos, code, message))

    def warn(self, pos: Pos, code: str, message: str) -> None:
        self.problems.append(Problem(pos, code, message, "warning"))

    def entity(self, node: Node, entity: str, what: str) -> dict[str, Any] | None:
        """Read a mapping declared in schema.ENTITIES; None when it is not a mapping."""
        if not isinstance(node, Map):
            self.error(node.pos, "wrong-type", f"{what} must be a mapping of keys to values")
            return None
        if len(node.entries) > self.config.limits.max_entries:
            self.error(node.pos, "too-many-entries", f"{what} has {len(node.entries)} keys; the limit is "
                       f"{self.config.limits.max_entries} (raise [tool.sourcebook.limits] max_entries to allow it)")
            return None
        fields = {f.name: f for f in ENTITIES[entity]}
        for key, (key_node, _) in node.entries.items():
            if key not in fields:
                self.error(key_node.pos, "unknown-key",
                           f"unknown key '{shown(key)}' in {what}{did_you_mean(key, fields)}")
        values: dict[str, Any] = {"_pos": node.pos}
        for f in fields.values():
            if f.name in node.entries:
                key_node, value_node = node.entries[f.name]
                values[f.name] = self.field(f, value_node, f"'{f.name}' of {what}")
            elif f.required and f.kind == "sources":
                self.error(node.pos, "missing-sources", f"{what} cites no source: add 'sources'")
                values[f.name] = _MISSING
            elif f.required:
                self.error(node.pos, "missing-key", f"{what} has no '{f.name}'")
                values[f.name] = _MISSING
            else:
                values[f.name] = None
        return values

    def field(self, f: Field, node: Node, what: str) -> Any:
        return READERS[f.kind](self, node, what, f)

    # --- the small readers -----------------------------------------------------

    def text(self, node: Node, what: str, f: Field | None = None) -> Any:
        if not isinstance(node, Scalar):
            hint = ""
            if isinstance(node, Seq) and node.items and isinstance(node.items[0], Seq):
                hint = ": a value that starts with [[ is read as a list, so quote a line that starts with [["
            self.error(node.pos, "wrong-type", f"{what} must be text, not a {_kind(node)}{hint}")
            return _MISSING
        value = node.value.strip()
        if not value:
            self.error(node.pos, "empty-text", f"{what} is empty")
            return _MISSING
        if len(value) > self.config.limits.max_text_chars:
            self.error(node.pos, "text-too-long",
                       f"{what} has {len(value)} characters; the limit is {self.config.limits.max_text_chars} "
                       "(raise [tool.sourcebook.limits] max_text_chars to allow it)")
            return _MISSING
        return value

    def markdown(self, node: Node, what: str, f: Field | None = None) -> Any:
        value = self.text(node, what)
        if value is _MISSING:
            return value
        return value if self.markdown_text(value, node.pos, what) else _MISSING

    def markdown_text(self, value: str, pos: Pos, what: str) -> bool:
        """Check Markdown that is already known to be text; False when it is refused."""
        brackets = value.count("[")
        if brackets > MAX_BRACKETS:
            # markdown-it's link parsing is quadratic in unmatched brackets: 20,000
            # "![" take seconds each, so a text's count is capped before any parsing.
            self.error(pos, "markdown-too-complex", f"{what} has {brackets} '[' characters; the limit is "
                       f"{MAX_BRACKETS} (links and brackets in one text)")
            return False
        for link in find_links(value):
            if link.kind == "image":
                self.error(pos, "markdown-image", f"{what} embeds an image ({shown(link.target)}); "
                           "images would load from another site: link to it instead")
            elif link.kind == "link" and not _URL.match(link.target):
                self.error(pos, "invalid-url", f"{what} links to '{shown(link.target)}': links in text must be "
                           "absolute http(s) URLs; link a dossier with [[id]]")
        return True

    def page(self, text: str, display: str) -> str | None:
        """A Markdown page (about.md): a text limit five times a field's, the same Markdown rules."""
        limit = 5 * self.config.limits.max_text_chars
        if len(text) > limit:
            self.error(Pos(display, 1, 1), "text-too-long",
                       f"{display} has {len(text)} characters; the limit for a page is {limit} "
                       "(five times [tool.sourcebook.limits] max_text_chars)")
            return None
        return text if self.markdown_text(text, Pos(display, 1, 1), display) else None

    def texts(self, node: Node, what: str, f: Field | None = None) -> Any:
        return tuple(v for v in (self.text(item, f"an item of {what}") for item in self.items(node, what))
                     if v is not _MISSING)

    def ident(self, node: Node, what: str, f: Field | None = None) -> Any:
        value = self.text(node, what)
        if value is _MISSING:
            return value
        problem = id_problem(value)
        if problem:
            self.error(node.pos, "invalid-id", f"{what}: {problem}")
            return _MISSING
        return value

    def date(self, node: Node, what: str, f: Field | None = None) -> Any:
        value = self.text(node, what)
        if value is _MISSING:
            return value
        try:
            return PartialDate.parse(value)
        except ValueError as e:
            self.error(node.pos, "invalid-date", f"{what}: {e}")
            return _MISSING

    def when(self, node: Node, what: str, f: Field | None = None) -> Any:
        value = self.text(node, what)
        if value is _MISSING:
            return value
        try:
            return When.parse(value)
        except ValueError as e:
            self.error(node.pos, "invalid-date", f"{what}: {e} (a period is START..END, e.g. 2011..2017)")
            return _MISSING

    def url(self, node: Node, what: str, f: Field | None = None) -> Any:
        value = self.text(node, what)
        if value is _MISSING:
            return value
        if not _URL.match(value) or not urlsplit(value).hostname:
            self.error(node.pos, "invalid-url", f"{what} '{shown(value)}' is not an absolute http(s) URL with a host")
            return _MISSING
        return value

    def urls(self, node: Node, what: str, f: Field | None = None) -> Any:
        return tuple(v for v in (self.url(item, f"an item of {what}") for item in self.items(node, what))
                     if v is not _MISSING)

    def language(self, node: Node, what: str, f: Field | None = None) -> Any:
        value = self.text(node, what)
        if value is not _MISSING and not _LANGUAGE.match(value):
            self.error(node.pos, "invalid-language", f"{what} '{shown(value)}' is not a language tag such as en or zh-Hans")
            return _MISSING
        return value

    def vocab(self, node: Node, what: str, f: Field | None = None) -> Any:
        assert f is not None
        value = self.text(node, what)
        choices = getattr(self.config, f.vocab)
        if value is not _MISSING and value not in choices:
            self.error(node.pos, "unknown-value",
                       f"{what} '{shown(value)}' is not in the {f.vocab} vocabulary{did_you_mean(value, choices)}; "
                       f"declared: {one_of(choices)}")
            return _MISSING
        return value

    def vocabs(self, node: Node, what: str, f: Field | None = None) -> Any:
        values = (self.vocab(item, f"an item of {what}", f) for item in self.items(node, what))
        return tuple(v for v in values if v is not _MISSING)

    def status(self, node: Node, what: str, f: Field | None = None) -> Any:
        value = self.text(node, what)
        if value is not _MISSING and value not in STATUSES:
            self.error(node.pos, "unknown-value",
                       f"{what} '{shown(value)}' must be one of {one_of(STATUSES)}{did_you_mean(value, STATUSES)}")
            return _MISSING
        return value

    def sources(self, node: Node, what: str, f: Field | None = None) -> Any:
        refs = tuple(r for r in (self.source_ref(item, what) for item in self.items(node, what)) if r)
        if not refs and isinstance(node, Seq) and not node.items:
            self.error(node.pos, "missing-sources", f"{what} is empty: cite at least one source")
        return refs

    def source_ref(self, node: Node, what: str) -> SourceRef | None:
        if isinstance(node, Scalar):
            value = self.ident(node, f"a source in {what}")
            return None if value is _MISSING else SourceRef(value, None, node.pos)
        values = self.entity(node, "source_ref", f"a source in {what}")
        if not values or _MISSING in values.values():
            return None
        return SourceRef(values["id"], values["locator"], node.pos)

    def responses(self, node: Node, what: str, f: Field | None = None) -> Any:
        out = []
        for item in self.items(node, what):
            values = self.entity(item, "response", f"a response in {what}")
            if values and _MISSING not in values.values():
                out.append(Response(values["text"], values["sources"], values["_pos"]))
        return tuple(out)

    def profile(self, node: Node, what: str, f: Field | None = None) -> Any:
        if not isinstance(node, Map):
            self.error(node.pos, "wrong-type", f"{what} must be a mapping of fact names to {{value, sources}}")
            return ()
        if len(node.entries) > self.config.limits.max_entries:
            self.error(node.pos, "too-many-entries", f"{what} has {len(node.entries)} keys; the limit is "
                       f"{self.config.limits.max_entries} (raise [tool.sourcebook.limits] max_entries to allow it)")
            return ()
        facts = []
        for key, (key_node, value_node) in node.entries.items():
            if key not in self.config.profile_fields:
                self.error(key_node.pos, "unknown-key",
                           f"unknown profile fact '{shown(key)}'{did_you_mean(key, self.config.profile_fields)}; "
                           f"declared: {one_of(self.config.profile_fields)}")
                continue
            values = self.entity(value_node, "profile_fact", f"profile fact '{key}'")
            if values and _MISSING not in values.values():
                facts.append(ProfileFact(key, values["value"], values["sources"], values["_pos"]))
        order = list(self.config.profile_fields)
        return tuple(sorted(facts, key=lambda fact: order.index(fact.key)))

    def items(self, node: Node, what: str) -> list[Node]:
        if isinstance(node, Scalar) and node.is_null:
            return []
        if not isinstance(node, Seq):
            self.error(node.pos, "wrong-type", f"{what} must be a list, not a {_kind(node)}")
            return []
        if len(node.items) > self.config.limits.max_entries:
            self.error(node.pos, "too-many-entries",
                       f"{what} has {len(node.items)} items; the limit is {self.config.limits.max_entries} "
                       "(raise [tool.sourcebook.limits] max_entries to allow it)")
            return []
        return node.items

    # claims, events and relationships are lists of entities read in dossier()
    def _entity_list(self, node: Node, what: str, f: Field | None = None) -> Any:
        return tuple(self.items(node, what))


READERS: dict[str, Callable[..., Any]] = {
    "text": Reader.text, "markdown": Reader.markdown, "texts": Reader.texts, "id": Reader.ident,
    "date": Reader.date, "when": Reader.when, "url": Reader.url, "urls": Reader.urls,
    "language": Reader.language, "vocab": Reader.vocab, "vocabs": Reader.vocabs,
    "status": Reader.status, "sources": Reader.sources, "responses": Reader.responses,
    "profile": Reader.profile, "claims": Reader._entity_list, "events": Reader._entity_list,
    "relationships": Reader._entity_list,
}


def _kind(node: Node) -> str:
    return {Map: "mapping", Seq: "list", Scalar: "text"}[type(node)]


def _complete(values: dict[str, Any] | None) -> bool:
    return values is not None and _MISSING not in values.values()


# --- files -> model ----------------------------------------------------------------

def read_dossier(node: Node, stem: str, display: str, reader: Reader) -> Dossier | None:
    values = reader.entity(node, "dossier", f"dossier {display}")
    if values is None:
        return None
    if values["id"] not in (_MISSING, stem):
        key_node = node.entries["id"][1]  # type: ignore[union-attr]
        reader.error(key_node.pos, "id-mismatch",
                     f"dossier id '{values['id']}' differs from its file name '{stem}.yaml'")
    dossier_id = stem
    claims = tuple(e for e in (read_entry(item, "claim", dossier_id, reader)
                               for item in values["claims"] or ()) if e)
    events = tuple(e for e in (read_entry(item, "event", dossier_id, reader)
                               for item in values["events"] or ()) if e)
    relationships = tuple(r for r in (read_relationship(item, dossier_id, reader)
                                      for item in values["relationships"] or ()) if r)
    if not _complete(values):
        return None
    return Dossier(id=dossier_id, name=values["name"], native_name=values["native_name"],
                   legal_name=values["legal_name"], aliases=values["aliases"] or (),
                   sectors=values["sectors"], profile=values["profile"] or (), claims=claims,
                   events=events, relationships=relationships, pos=values["_pos"])


def read_entry(node: Node, kind: str, dossier: str, reader: Reader) -> Entry | None:
    values = reader.entity(node, kind, f"a {kind} in dossier '{dossier}'")
    if not _complete(values):
        return None
    assert values is not None
    return Entry(kind=kind, dossier=dossier, id=values["id"], topic=values["topic"],  # type: ignore[arg-type]
                 text=values["text"], when=values["as_of" if kind == "claim" else "date"],
                 sources=values["sources"], tags=values["tags"] or (), status=values["status"],
                 responses=values["responses"] or (), pos=values["_pos"])


def read_relationship(node: Node, dossier: str, reader: Reader) -> Relationship | None:
    values = reader.entity(node, "relationship", f"a relationship in dossier '{dossier}'")
    if values is None:
        return None
    if (values["target"] is None) == (values["party"] is None):
        reader.error(values["_pos"], "target-or-party",
                     f"relationship '{values['id']}' needs exactly one of 'target' (a dossier id) "
                     "or 'party' (an organisation without a dossier)")
        return None
    if not _complete(values):
        return None
    return Relationship(dossier=dossier, id=values["id"], type=values["type"], target=values["target"],
                        party=values["party"], text=values["text"], as_of=values["as_of"],
                        sources=values["sources"], status=values["status"], pos=values["_pos"])


def read_sources(node: Node, display: str, reader: Reader) -> tuple[Source, ...]:
    out = []
    for item in reader.items(node, f"the bibliography {display}"):
        values = reader.entity(item, "source", "a source")
        if not _complete(values):
            continue
        assert values is not None
        pos = values.pop("_pos")
        out.append(Source(**{k: v for k, v in values.items() if v is not None}, pos=pos))
    return tuple(out)


# --- corpus-wide rules ------------------------------------------------------------

def check_corpus(corpus: Corpus, reader: Reader) -> None:
    """The rules that need every file: uniqueness, references, links."""
    sources = _unique_sources(corpus, reader)
    dossier_ids = {d.id for d in corpus.dossiers}
    cited: set[str] = set()
    for dossier in corpus.dossiers:
        _unique_entry_ids(dossier, reader)
        for pos, what, refs in dossier.citations():
            for ref in refs:
                cited.add(ref.id)
                if ref.id not in sources:
                    reader.error(ref.pos, "unknown-source",
                                 f"{what} cites '{ref.id}', which is not in sources.yaml"
                                 f"{did_you_mean(ref.id, sources)}")
        for entry in dossier.entries:
            if not any(ref.locator for ref in entry.sources):
                reader.warn(entry.pos, "missing-locator",
                            f"{entry.kind} '{entry.id}' cites no source with a locator; add one "
                            "({id: ..., locator: para 3}), or 'whole article' where the whole source supports it")
        for pos, text in _linked_texts(dossier):
            for m in WIKILINK.finditer(text):
                if m.group(1) not in dossier_ids:
                    reader.error(pos, "unknown-dossier", f"[[{m.group(1)}]] names no dossier"
                                 f"{did_you_mean(m.group(1), dossier_ids)}")
        for rel in dossier.relationships:
            if rel.target is not None and rel.target not in dossier_ids:
                reader.error(rel.pos, "unknown-dossier", f"relationship '{rel.id}' targets '{rel.target}', "
                             f"which has no dossier{did_you_mean(rel.target, dossier_ids)}; "
                             "an organisation without a dossier is a 'party'")
            if rel.target == dossier.id:
                reader.error(rel.pos, "self-relationship", f"relationship '{rel.id}' targets its own dossier")
    for source in corpus.sources:
        if source.id not in cited:
            reader.warn(source.pos, "unused-source", f"source '{source.id}' is cited by nothing")


def _unique_sources(corpus: Corpus, reader: Reader) -> dict[str, Source]:
    seen: dict[str, Source] = {}
    for source in corpus.sources:
        problem = path_id_problem(source.id)
        if problem:
            reader.error(source.pos, "invalid-id", problem)
        if source.id in seen:
            reader.error(source.pos, "duplicate-id", f"source '{source.id}' is already defined at line "
                         f"{seen[source.id].pos.line}")
        else:
            seen[source.id] = source
    return seen


def _unique_entry_ids(dossier: Dossier, reader: Reader) -> None:
    seen: dict[str, Pos] = {}
    items: list[tuple[str, Pos, str]] = [(e.id, e.pos, e.kind) for e in dossier.entries]
    items += [(r.id, r.pos, "relationship") for r in dossier.relationships]
    for item_id, pos, kind in items:
        if item_id in RESERVED_IDS:
            reader.error(pos, "reserved-id", f"{kind} id '{item_id}' is used by the page itself; "
                         f"reserved: {one_of(RESERVED_IDS)}")
        elif item_id in seen:
            reader.error(pos, "duplicate-id", f"{kind} id '{item_id}' is already used at line {seen[item_id].line} "
                         "(claims, events and relationships share one set of ids per dossier)")
        else:
            seen[item_id] = pos


def _linked_texts(dossier: Dossier) -> Iterator[tuple[Pos, str]]:
    for entry in dossier.entries:
        yield entry.pos, entry.text
        for response in entry.responses:
            yield response.pos, response.text
    for rel in dossier.relationships:
        if rel.text:
            yield rel.pos, rel.text


def validate(loaded: LoadedFolder, config: Config) -> tuple[Corpus | None, list[Problem]]:
    """Read every loaded tree into the model and check the corpus-wide rules."""
    reader = Reader(config, list(loaded.problems))
    dossiers = []
    for stem, node in loaded.dossiers:
        dossier = read_dossier(node, stem, node.pos.path, reader)
        if dossier is not None:
            dossiers.append(dossier)
    sources = read_sources(loaded.sources, loaded.sources_display, reader) if loaded.sources else ()
    about = reader.page(loaded.about, loaded.about_display) if loaded.about is not None else None
    corpus = Corpus(tuple(sorted(dossiers, key=lambda d: d.id)), sources, about, Pos(loaded.about_display, 1, 1))
    check_corpus(corpus, reader)
    if not loaded.dossiers and not any(p.severity == "error" for p in reader.problems):
        reader.error(Pos(loaded.sources_display or "."), "no-dossiers", "the folder holds no <id>.yaml dossier")
    return corpus, sorted(reader.problems, key=Problem.sort_key)
