"""Validate: positioned YAML nodes -> the typed model, and every problem found.

Reading follows the declarations in `format.py`, one small reader per kind
(`reading.py`; the dossier's composite kinds are below). Reading goes on past
an error wherever the rest can still be read: an entry with a broken field
is still built, with a placeholder, so its citations and links are checked
too, and one run reports every independent problem. Then the corpus rules
run (`rules.RULES`). Problems that would only follow from a file that could
not be parsed are not reported; a notice says which checks were skipped.
"""
from __future__ import annotations

from bisect import bisect_right
from typing import Any

from .dates import PartialDate, When
from .format import ENTITIES
from .limits import raise_hint
from .load import LoadedFolder, Map, Node, Scalar, Seq
from .model import (NONE_ON_RECORD, Corpus, Dossier, Entry, NoReply, Party, ProfileFact, Relationship, Response,
                    Source, SourceRef)
from .problems import Code, Pos, Problem, Report, did_you_mean, one_of, shown
from .reading import MISSING, TEXT_TOO_LONG, TOO_MANY_ENTRIES, UNKNOWN_KEY, WRONG_TYPE, Field, Reader, read_id
from .rules import RULES
from .rules.rule import Context
from .settings import Settings
from .text import Markdown
from .yaml12 import typed

MISSING_SOURCES = Code("missing-sources", "something that must cite a source cites none")
ID_MISMATCH = Code("id-mismatch", "a dossier id that differs from its file name")
TARGET_OR_PARTY = Code("target-or-party", "a relationship without exactly one of target and party")
NO_DOSSIERS = Code("no-dossiers", "the dossiers folder has no <id>.yaml")
CHECKS_SKIPPED = Code("checks-skipped", "checks that depend on a file that could not be read were skipped (notice)")
NEEDS_QUOTES = Code("needs-quotes", "an unquoted value that editors (YAML 1.2) or older tools (YAML 1.1) read as "
                    "true, false, null or a number, where the format means text (warning)")
CODES = (MISSING_SOURCES, ID_MISMATCH, TARGET_OR_PARTY, NO_DOSSIERS, CHECKS_SKIPPED, NEEDS_QUOTES)
_READERS = {"YAML 1.2": "YAML 1.2 (what editors read)", "YAML 1.1": "YAML 1.1 (PyYAML and other older readers)"}

UNREAD_WHEN = When(PartialDate(1), PartialDate(1))  # placeholder in a corpus that has errors; never built


class DossierReader(Reader):
    """The scalar readers plus the dossier format's composite kinds."""

    def missing(self, node: Node, f: Field, what: str) -> None:
        if f.kind == "sources":
            self.report.error(node.pos, MISSING_SOURCES, f"{what} cites no source: add 'sources'")
        else:
            super().missing(node, f, what)

    def plain_text(self, node: Scalar, what: str, numbers: bool) -> None:
        found = typed(node.value)
        if found is None or (numbers and found.kind == "number" and found.shown == node.value):
            return  # text to every reader, or a number that reads back as the same text (a year)
        meaning = {"null": "null (no value)", "boolean": f"the boolean {found.shown}",
                   "number": f"the number {found.shown}"}[found.kind]
        self.report.warn(node.pos, NEEDS_QUOTES, f"{what} is {node.value}, which {_READERS[found.reader]} reads "
                         f"as {meaning}: quote it (\"{node.value}\") to keep it text")


def read_sources_field(r: Reader, node: Node, what: str, f: Field | None = None) -> Any:
    items = r.items(node, what)
    refs = tuple(ref for ref in (_source_ref(r, item, what) for item in items) if ref)
    if not items and (isinstance(node, Seq) or (isinstance(node, Scalar) and node.is_null)):
        r.report.error(node.pos, MISSING_SOURCES, f"{what} is empty: cite at least one source")
    return refs


def _source_ref(r: Reader, node: Node, what: str) -> SourceRef | None:
    if isinstance(node, Scalar):
        value = read_id(r, node, f"a source in {what}")
        return None if value is MISSING else SourceRef(value, None, node.pos)
    values = r.entity(node, ENTITIES["source_ref"], f"a source in {what}")
    if not values or values["id"] is MISSING:
        return None
    return SourceRef(values["id"], None if values["locator"] is MISSING else values["locator"], node.pos)


def read_responses(r: Reader, node: Node, what: str, f: Field | None = None) -> Any:
    out = []
    for item in r.items(node, what):
        values = r.entity(item, ENTITIES["response"], f"a response in {what}")
        if values:
            out.append(Response(_or(values["text"], Markdown("")), _or(values["sources"], ()), values["_pos"],
                                values.get("_pos_text", values["_pos"])))
    return tuple(out)


def read_no_reply(r: Reader, node: Node, what: str, f: Field | None = None) -> Any:
    """none-on-record, or {text, sources}: the source that says the other side did not answer."""
    if isinstance(node, Scalar):
        if node.value.strip() == NONE_ON_RECORD:
            return NoReply(None, (), node.pos, node.pos)
        r.report.error(node.pos, WRONG_TYPE, f"{what} must be '{NONE_ON_RECORD}' or a mapping of text and sources "
                       f"(the source that says there was no reply), not '{shown(node.value)}'")
        return MISSING
    values = r.entity(node, ENTITIES["no_reply"], what)
    if values is None:
        return MISSING
    return NoReply(_or(values["text"], Markdown("")), _or(values["sources"], ()), values["_pos"],
                   values.get("_pos_text", values["_pos"]))


def read_profile(r: Reader, node: Node, what: str, f: Field | None = None) -> Any:
    if not isinstance(node, Map):
        r.report.error(node.pos, WRONG_TYPE, f"{what} must be a mapping of fact names to {{value, sources}}")
        return ()
    if len(node.entries) > r.limits.max_entries:
        r.report.error(node.pos, TOO_MANY_ENTRIES, f"{what} has {len(node.entries)} keys; the limit is "
                       f"{r.limits.max_entries} {raise_hint('max_entries')}")
        return ()
    fields = r.vocabularies["profile_fields"]
    facts = []
    for key, (key_node, value_node) in node.entries.items():
        if key not in fields:
            r.report.error(key_node.pos, UNKNOWN_KEY, f"unknown profile fact '{shown(key)}'"
                           f"{did_you_mean(key, fields)}; declared: {one_of(fields)}")
            continue
        values = r.entity(value_node, ENTITIES["profile_fact"], f"profile fact '{key}'")
        if values:
            facts.append(ProfileFact(key, _or(values["value"], ""), _or(values["sources"], ()), values["_pos"],
                                     values.get("_pos_value", values["_pos"])))
    order = list(fields)
    return tuple(sorted(facts, key=lambda fact: order.index(fact.key)))


def _items(r: Reader, node: Node, what: str, f: Field | None = None) -> Any:
    return tuple(r.items(node, what))


DOSSIER_KINDS = {"sources": read_sources_field, "responses": read_responses, "profile": read_profile,
                 "no-reply": read_no_reply, "claims": _items, "events": _items, "relationships": _items}


def _or(value: Any, placeholder: Any) -> Any:
    return placeholder if value is MISSING or value is None else value


# --- files -> model ----------------------------------------------------------------

def read_dossier(node: Node, stem: str, r: Reader) -> Dossier | None:
    display = node.pos.path
    values = r.entity(node, ENTITIES["dossier"], f"dossier {display}")
    if values is None:
        return None
    if values["id"] not in (MISSING, stem):
        r.report.error(values["_pos_id"], ID_MISMATCH,
                       f"dossier id '{values['id']}' differs from its file name '{stem}.yaml'")
    claims = tuple(e for e in (read_entry(item, "claim", stem, r) for item in values["claims"] or ()) if e)
    events = tuple(e for e in (read_entry(item, "event", stem, r) for item in values["events"] or ()) if e)
    relationships = tuple(x for x in (read_relationship(item, stem, r) for item in values["relationships"] or ())
                          if x)
    return Dossier(id=stem, name=_or(values["name"], stem), native_name=_or(values["native_name"], None),
                   legal_name=_or(values["legal_name"], None), aliases=_or(values["aliases"], ()),
                   sectors=_or(values["sectors"], ()), profile=_or(values["profile"], ()), claims=claims,
                   events=events, relationships=relationships,
                   native_script=_or(values["native_script"], "simplified"),
                   text_script=_or(values["text_script"], None), pos=values["_pos"])


def read_entry(node: Node, kind: str, dossier: str, r: Reader) -> Entry | None:
    values = r.entity(node, ENTITIES[kind], f"a {kind} in dossier '{dossier}'")
    if values is None:
        return None
    when = "as_of" if kind == "claim" else "date"
    return Entry(kind=kind, dossier=dossier, id=_or(values["id"], ""), topic=_or(values["topic"], None),  # type: ignore[arg-type]
                 text=_or(values["text"], Markdown("")), when=_or(values[when], UNREAD_WHEN),
                 sources=_or(values["sources"], ()), tags=_or(values["tags"], ()),
                 status=_or(values["status"], None), responses=_or(values["responses"], ()),
                 no_reply=_or(values["no_reply"], None), according_to=_or(values["according_to"], None),
                 establishes=_or(values["establishes"], ()), former_ids=_or(values["former_ids"], ()),
                 pos=values["_pos"], text_pos=values.get("_pos_text", values["_pos"]),
                 former_pos=_former_pos(node, values))


def read_relationship(node: Node, dossier: str, r: Reader) -> Relationship | None:
    values = r.entity(node, ENTITIES["relationship"], f"a relationship in dossier '{dossier}'")
    if values is None:
        return None
    if (values["target"] is None) == (values["party"] is None):
        r.report.error(values["_pos"], TARGET_OR_PARTY,
                       f"relationship '{shown(str(_or(values['id'], '')))}' needs exactly one of 'target' "
                       "(a dossier id) or 'party' (an organisation without a dossier)")
    return Relationship(dossier=dossier, id=_or(values["id"], ""), type=_or(values["type"], ""),
                        target=_or(values["target"], None), party=_or(values["party"], None),
                        text=_or(values["text"], None), as_of=_or(values["as_of"], None),
                        sources=_or(values["sources"], ()), status=_or(values["status"], None),
                        standing=_or(values["standing"], "established"),
                        establishes=_or(values["establishes"], ()), former_ids=_or(values["former_ids"], ()),
                        pos=values["_pos"],
                        text_pos=values.get("_pos_text", values["_pos"]),
                        target_pos=values.get("_pos_target", values.get("_pos_party", values["_pos"])),
                        former_pos=_former_pos(node, values))


def _former_pos(node: Node, values: dict[str, Any]) -> tuple[Pos, ...]:
    """Where each former id that was read is written (the rules point at the one at fault).

    `read_ids` keeps the valid items in order, so walking the list's items in
    order pairs each id with its own item (a repeated id gets each its own place)."""
    ids = _or(values.get("former_ids"), ())
    listed = node.entries["former_ids"][1] if ids and isinstance(node, Map) else None
    items = iter(listed.items if isinstance(listed, Seq) else ())
    out = []
    for former in ids:
        pos = next((item.pos for item in items if isinstance(item, Scalar) and item.value.strip() == former),
                   values["_pos"])
        out.append(pos)
    return tuple(out)


def read_bibliography(node: Node, display: str, r: Reader) -> tuple[Source, ...]:
    out = []
    for item in r.items(node, f"the bibliography {display}"):
        values = r.entity(item, ENTITIES["source"], "a source")
        if values is None or values["id"] is MISSING:
            continue
        given = {f.name: values[f.name] for f in ENTITIES["source"]
                 if values[f.name] is not None and values[f.name] is not MISSING}
        out.append(Source(**{"title": "", "publisher": "", "url": "", "kind": "", **given}, pos=values["_pos"]))
    return tuple(out)


def read_parties(node: Node, display: str, r: Reader) -> tuple[Party, ...]:
    out = []
    for item in r.items(node, f"the parties file {display}"):
        values = r.entity(item, ENTITIES["party"], "a party")
        if values is None or values["id"] is MISSING:
            continue
        out.append(Party(values["id"], _or(values["name"], values["id"]), _or(values["native_name"], None),
                         _or(values["aliases"], ()), _or(values["note"], None), values["_pos"]))
    return tuple(out)


def read_about(loaded: LoadedFolder, r: Reader) -> Markdown | None:
    """about.md: Markdown, with a text limit five times a field's and the same Markdown rules."""
    if loaded.about is None:
        return None
    pos, limit = Pos(loaded.about_display, 1, 1), 5 * r.limits.max_text_chars
    if len(loaded.about) > limit:
        r.report.error(pos, TEXT_TOO_LONG, f"{loaded.about_display} has {len(loaded.about)} characters; the limit "
                       f"for a page is {limit} (five times [tool.sourcebook.limits] max_text_chars)")
        return None
    about = Markdown(loaded.about)
    return about if r.markdown_problems(about, pos, loaded.about_display) else None


class Locator:
    """Positions inside multi-line values: a value's start plus a piece of its text -> that piece's line."""

    def __init__(self, texts: dict[str, str]) -> None:
        self.texts = texts
        self.starts: dict[str, list[int]] = {}

    def __call__(self, pos: Pos, piece: str) -> Pos:
        text = self.texts.get(pos.path)
        if text is None or pos.line <= 0:
            return pos
        starts = self.starts.get(pos.path)
        if starts is None:
            starts = self.starts[pos.path] = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
        found = text.find(piece, starts[pos.line - 1] + pos.col - 1)
        if found < 0:
            return pos
        line = bisect_right(starts, found)
        return Pos(pos.path, line, found - starts[line - 1] + 1)


def validate(loaded: LoadedFolder, settings: Settings) -> tuple[Corpus, list[Problem]]:
    """Read every loaded tree into the model and run the corpus rules."""
    report = Report(list(loaded.problems))
    locate = Locator(loaded.texts)
    reader = DossierReader(report, settings.limits, settings.vocabularies(), locate, dict(DOSSIER_KINDS))
    dossiers = [d for d in (read_dossier(node, stem, reader) for stem, node in loaded.dossiers) if d]
    sources = read_bibliography(loaded.sources, loaded.sources_display, reader) if loaded.sources else ()
    parties = read_parties(loaded.parties, loaded.parties_display, reader) if loaded.parties else ()
    about = read_about(loaded, reader)
    corpus = Corpus(tuple(sorted(dossiers, key=lambda d: d.id)), sources, about, Pos(loaded.about_display, 1, 1),
                    parties)
    context = Context(corpus, settings, report, locate, frozenset(stem for stem, _ in loaded.unread),
                      loaded.sources_unread, parties_unread=loaded.parties_unread,
                      parties_display=loaded.parties_display, texts=loaded.texts, bibliography=loaded.sources_display,
                      on_disk=loaded.on_disk)
    for rule in RULES:
        rule.check(context)
    for stem, display in loaded.unread:
        report.notice(Pos(display), CHECKS_SKIPPED, "could not be read, so checks that depend on it "
                      "(links to it, the sources it cites) were skipped; fix it and check again")
    if not loaded.dossiers and not loaded.unread and not report.has_errors:
        report.error(Pos(loaded.sources_display or "."), NO_DOSSIERS, "the folder holds no <id>.yaml dossier")
    return corpus, report.sorted()
