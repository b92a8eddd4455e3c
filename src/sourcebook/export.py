"""The data exports' one shape: the corpus as JSON records and CSV tables, and the JSON Schema of the records.

Records follow the dossier format's declarations (`format.ENTITIES`): every
declared field of every entity is written, under its declared name, with
null (or an empty list) when absent, so a field added to the format reaches
the exports and their schema without a line here, and the schema (which
requires every key) fails the tests until it does. A text of kind markdown
or inline is written as ``{"markdown": source, "plain": words}``
(`text.plain`), a date or period as ``{"start": ..., "end": ...}``
(`dates.When.as_json`; an open end is null). Each record also carries what
the site derives and shows: element ids on its page (``anchor``), an
entry's ``mark`` (`model.Entry.mark`), a source's number of citations.

The CSV tables take their cells from the same records; a cell holding a
list or a record is that value as JSON. Cells that begin with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return (OWASP's list) would be run as
formulas by spreadsheets: they, and cells that begin with an apostrophe
(so that the rule can be undone exactly), get an apostrophe in front
(`neutralised`). Files are UTF-8 with a byte-order mark, so spreadsheets
show 海康威视, and CRLF line ends (RFC 4180).

The data page (`families/data.py`) documents all of this from the
declarations below, and the data outputs (`outputs/data.py`) write it.
"""
from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from . import anchors
from .dates import DATE_PATTERN
from .format import ENTITIES
from .ids import ID_PATTERN
from .model import MARKS, Corpus, Dossier, Entry, NoReply, Party, Relationship, Source
from .reading import URL_PATTERN, Field
from .settings import Settings
from .text import plain
from .urls import Route

FORMAT = "sourcebook-data"
VERSION = 1
ALL = Route("data/dossiers.json")
SCHEMA = Route("data/dossiers.schema.json")
COMPANY = Route("data/companies/{}.json")
COMPANY_PAGE = Route("companies/{}/")   # the company family's route, as the records name pages
SOURCE_PAGE = Route("sources/{}/")
NEUTRALISED = ("=", "+", "-", "@", "\t", "\r", "'")  # OWASP's formula triggers, and the escape itself

# The model's attribute for a declared field, where the names differ.
_ATTRIBUTE = {("claim", "as_of"): "when", ("event", "date"): "when"}
# Required in YAML, absent in the model for one form ("no_reply: none-on-record" has no text).
_NULLABLE = {("no_reply", "text")}
_LISTS = {"ids", "texts", "vocabs", "urls", "sources", "responses", "profile", "claims", "events", "relationships"}

Name = Callable[[str], str]
Record = dict[str, Any]


# --- records ------------------------------------------------------------------------

class Records:
    """The corpus as records. `name` turns a dossier id into the name a wiki-link prints."""

    def __init__(self, name: Name) -> None:
        self.name = name
        self._dossiers: dict[str, Record] = {}
        self._json: dict[tuple[str, str], str] = {}

    def dossier(self, d: Dossier) -> Record:
        """Made once per dossier: dossiers.json, its company's file and the CSV rows share it."""
        found = self._dossiers.get(d.id)
        if found is None:
            found = self._dossiers[d.id] = {**self._entity("dossier", d, d), "page": page_of(d.id)}
        return found

    def serialised(self, kind: str, key: str, record: Callable[[], Record]) -> str:
        """A record's JSON text, made once per build and shared by every file that holds it."""
        found = self._json.get((kind, key))
        if found is None:
            found = self._json[(kind, key)] = _DUMP(record())
        return found

    def source(self, s: Source, citations: int) -> Record:
        return {**self._entity("source", s, None), "page": SOURCE_PAGE.path(s.id).removesuffix("index.html"),
                "citations": citations}

    def party(self, p: Party) -> Record:
        return self._entity("party", p, None)

    def entry(self, e: Entry) -> Record:
        return {**self._entity(e.kind, e, e), "anchor": e.id, "mark": e.mark}

    def relationship(self, r: Relationship) -> Record:
        return {**self._entity("relationship", r, r), "anchor": r.id}

    def text(self, value: Any) -> Record | None:
        if value is None:
            return None
        return {"markdown": str(value), "plain": plain(value, self.name)}

    # -- by declaration --
    def _entity(self, entity: str, item: Any, owner: Any) -> Record:
        return {name: convert(self, getattr(item, attribute), owner) for name, attribute, convert in _PLAN[entity]}

    def _responses(self, value: Any, owner: Any) -> list[Record]:
        return [{**self._entity("response", r, owner), "anchor": anchors.response(owner.id, i)}
                for i, r in enumerate(value, 1)]

    def _profile(self, value: Any, owner: Any) -> list[Record]:
        return [{"key": fact.key, **self._entity("profile_fact", fact, owner), "anchor": anchors.profile(fact.key)}
                for fact in value]

    def _no_reply(self, n: NoReply, owner: Entry) -> Record:
        return {"cited": n.cited, **self._entity("no_reply", n, owner), "anchor": anchors.reply(owner.id)}


Convert = Callable[[Records, Any, Any], Any]  # (records, the model's value, the entry it belongs to) -> JSON
_KIND_CONVERT: dict[str, Convert] = {
    "markdown": lambda r, v, o: r.text(v),
    "inline": lambda r, v, o: r.text(v),
    "when": lambda r, v, o: v.as_json() if v is not None else None,
    "date": lambda r, v, o: v.iso() if v is not None else None,
    "sources": lambda r, v, o: [{"id": ref.id, "locator": ref.locator} for ref in v],
    "responses": Records._responses,
    "no-reply": lambda r, v, o: None if v is None else r._no_reply(v, o),
    "profile": Records._profile,
    "claims": lambda r, v, o: [r.entry(e) for e in v],
    "events": lambda r, v, o: [r.entry(e) for e in v],
    "relationships": lambda r, v, o: [r.relationship(x) for x in v],
    **{kind: (lambda r, v, o: list(v)) for kind in ("ids", "texts", "vocabs", "urls")},
}
_AS_IS: Convert = lambda r, v, o: v  # noqa: E731  (ids, plain text, choices, vocabulary values, URLs)
# Each entity's fields, compiled once from the declarations: (key, model attribute, converter).
_PLAN: dict[str, tuple[tuple[str, str, Convert], ...]] = {
    entity: tuple((f.name, _ATTRIBUTE.get((entity, f.name), f.name), _KIND_CONVERT.get(f.kind, _AS_IS))
                  for f in fields) for entity, fields in ENTITIES.items()}


def page_of(dossier_id: str, anchor: str = "") -> str:
    """A dossier's page as the records name it: the folder, relative to the site root, and a fragment."""
    folder = COMPANY_PAGE.path(dossier_id).removesuffix("index.html")
    return f"{folder}#{anchor}" if anchor else folder


def citation_counts(corpus: Corpus) -> Counter[str]:
    return Counter(ref.id for d in corpus.dossiers for s in d.statements() for ref in s.sources)


def document(records: Records, settings: Settings, dossiers: Iterable[Dossier], sources: Iterable[Source],
             parties: Iterable[Party], citations: Mapping[str, int], schema: str) -> bytes:
    """A whole export file: dossiers.json, or one company's file (its dossier, the sources and parties it names).

    Each dossier, source and party is serialised once (`Records.serialised`) and its JSON text reused in
    every file that holds it, so the company files cost no second encoding.
    """
    values = settings.values
    licence = {"name": values.get("licence"), "url": values.get("licence_url")} if values.get("licence") else None
    head = _DUMP({
        "$schema": schema,
        "format": FORMAT,
        "version": VERSION,
        "title": values["title"],
        "base_url": values.get("base_url"),
        "licence": licence,
        "vocabularies": {name: dict(vocabulary) for name, vocabulary in settings.vocabularies().items()},
    })
    lists = (("dossiers", (records.serialised("dossier", d.id, lambda d=d: records.dossier(d)) for d in dossiers)),
             ("sources", (records.serialised("source", s.id, lambda s=s: records.source(s, citations.get(s.id, 0)))
                          for s in sources)),
             ("parties", (records.serialised("party", p.id, lambda p=p: records.party(p)) for p in parties)))
    body = "".join(f',"{key}":[{",".join(items)}]' for key, items in lists)
    return (head[:-1] + body + "}\n").encode("utf-8")


def named_by(corpus: Corpus, dossier: Dossier, order: Mapping[str, int]) -> tuple[list[Source], list[Party]]:
    """The sources a dossier cites (bibliography order: `order` is source id -> place) and the parties it
    names (file order)."""
    cited = sorted(dossier.cited_source_ids(), key=order.__getitem__)
    named = {r.party for r in dossier.relationships if r.party}
    return [corpus.source(i) for i in cited], [p for p in corpus.parties if p.id in named]


_DUMP = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode  # no spaces, keys in declared order


# --- the schema ---------------------------------------------------------------------

def json_schema(settings: Settings) -> Record:
    """The JSON Schema (2020-12) of dossiers.json and of each data/companies/<id>.json."""
    vocab = {name: {"type": "string", "enum": list(vocabulary)} for name, vocabulary in settings.vocabularies().items()}
    defs = {entity: _entity_schema(entity, vocab) for entity in ENTITIES if entity != "source_ref"}
    defs["source_ref"] = _object({"id": _string(ID_PATTERN.pattern), "locator": _nullable({"type": "string"})})
    defs["dossier"]["properties"]["page"] = {"type": "string", "description": "Its page, relative to the site root."}
    defs["source"]["properties"]["page"] = {"type": "string", "description": "Its page, relative to the site root."}
    defs["source"]["properties"]["citations"] = {"type": "integer", "minimum": 0,
                                                 "description": "How many citations of it the dossiers hold."}
    for entity in ("claim", "event"):
        defs[entity]["properties"]["anchor"] = _ANCHOR
        defs[entity]["properties"]["mark"] = {
            "enum": [*MARKS, None], "description": "What readers are told of its standing: contested (the other "
            "side answered), unanswered (contested, no reply on record), unconfirmed, or null."}
    for entity in ("relationship", "response", "no_reply"):
        defs[entity]["properties"]["anchor"] = _ANCHOR
    defs["no_reply"]["properties"] = {"cited": {"type": "boolean", "description": "false: none-on-record, "
                                                "shown as \"No reply is on record in the sources used\"."},
                                      **defs["no_reply"]["properties"]}
    defs["profile_fact"]["properties"] = {"key": vocab["profile_fields"], **defs["profile_fact"]["properties"],
                                          "anchor": _ANCHOR}
    for d in defs.values():
        d["required"] = list(d["properties"])
    defs["text"] = _object({"markdown": {"type": "string", "description": "As written: Markdown."},
                            "plain": {"type": "string", "description": "Its words, without markup."}})
    date = _nullable(_string(DATE_PATTERN))
    defs["when"] = _object({"start": date, "end": date},
                           "A date (start = end), a period, or an open period (start or end null).")
    top = {
        "$schema": {"type": "string"},
        "format": {"const": FORMAT},
        "version": {"const": VERSION},
        "title": {"type": "string"},
        "base_url": _nullable({"type": "string"}),
        "licence": _nullable(_object({"name": {"type": "string"}, "url": _nullable({"type": "string"})})),
        "vocabularies": _object({name: {"type": "object", "additionalProperties": {"type": "string"}}
                                 for name in settings.vocabulary_names}),
        "dossiers": {"type": "array", "items": {"$ref": "#/$defs/dossier"}},
        "sources": {"type": "array", "items": {"$ref": "#/$defs/source"}},
        "parties": {"type": "array", "items": {"$ref": "#/$defs/party"}},
    }
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "sourcebook data export (data/dossiers.json and data/companies/<id>.json)",
            **_object(top), "$defs": defs}


_ANCHOR = {"type": "string", "description": "Its element id on its dossier's page."}


def _entity_schema(entity: str, vocab: Mapping[str, Record]) -> Record:
    properties = {}
    for f in ENTITIES[entity]:
        schema = _kind_schema(f, vocab)
        nullable = (entity, f.name) in _NULLABLE or (not f.required and f.kind not in _LISTS and f.default is None)
        schema = _nullable(schema) if nullable else schema
        properties[f.name] = {"description": f.doc, **schema} if f.doc else schema
    return _object(properties)


def _kind_schema(f: Field, vocab: Mapping[str, Record]) -> Record:
    ref = lambda name: {"$ref": f"#/$defs/{name}"}  # noqa: E731
    array = lambda items: {"type": "array", "items": items}  # noqa: E731
    identifier = _string(ID_PATTERN.pattern)
    kinds: dict[str, Record] = {
        "id": identifier, "path-id": identifier, "ids": array(identifier), "text": {"type": "string"}, "language": {"type": "string"},
        "markdown": ref("text"), "inline": ref("text"), "when": ref("when"), "date": _string(DATE_PATTERN),
        "url": _string(URL_PATTERN.strip("^$")), "texts": array({"type": "string"}),
        "urls": array(_string(URL_PATTERN.strip("^$"))),
        "vocab": vocab.get(f.vocab, {}), "vocabs": array(vocab.get(f.vocab, {})),
        "choice": {"type": "string", "enum": list(f.choices)},
        "sources": array(ref("source_ref")), "responses": array(ref("response")), "no-reply": ref("no_reply"),
        "profile": array(ref("profile_fact")), "claims": array(ref("claim")), "events": array(ref("event")),
        "relationships": array(ref("relationship")),
    }
    return kinds[f.kind]


def _string(pattern: str) -> Record:
    return {"type": "string", "pattern": f"^(?:{pattern})$"}


def _nullable(schema: Record) -> Record:
    return {"anyOf": [schema, {"type": "null"}]}


def _object(properties: Record, description: str = "") -> Record:
    out: Record = {"type": "object", "additionalProperties": False, "required": list(properties),
                   "properties": properties}
    return {"description": description, **out} if description else out


# --- CSV tables ---------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    name: str
    doc: str


@dataclass(frozen=True)
class Table:
    """One CSV file: its route, what a row is, its columns, and its rows (cell values, not yet encoded).

    `rows` takes the dossiers, sources and parties to tabulate (the whole corpus, or, for the data page's
    example, the first of each: its first row is then the file's first row) and the citation counts.
    """

    route: Route
    row: str
    columns: tuple[Column, ...]
    rows: Callable[[Records, "Items"], Iterator[list[Any]]]

    @property
    def path(self) -> str:
        return self.route.path()


@dataclass(frozen=True)
class Items:
    dossiers: Iterable[Dossier]
    sources: Iterable[Source]
    parties: Iterable[Party]
    citations: Mapping[str, int]   # source id -> how many citations of it the corpus holds

    @classmethod
    def of(cls, corpus: Corpus) -> "Items":
        return cls(corpus.dossiers, corpus.sources, corpus.parties, citation_counts(corpus))


def _company_rows(records: Records, items: Items) -> Iterator[list[Any]]:
    for d in items.dossiers:
        r = records.dossier(d)
        yield [d.id, d.name, d.native_name, d.native_script, d.text_script, d.legal_name, r["aliases"],
               r["sectors"], r["profile"], len(d.claims), len(d.events), len(d.relationships), r["page"]]


def _claim_rows(records: Records, items: Items) -> Iterator[list[Any]]:
    for d in items.dossiers:
        record = records.dossier(d)
        for e, r in zip(d.entries, record["claims"] + record["events"]):
            when = r["as_of" if e.kind == "claim" else "date"]
            yield [e.dossier, e.kind, e.id, r["former_ids"], e.topic, e.when.iso(), when["start"], when["end"], r["text"]["plain"],
                   str(e.text), e.mark, e.status, e.according_to, r["tags"], r["establishes"], r["sources"],
                   r["responses"], r["no_reply"], page_of(e.dossier, e.id)]


def _relationship_rows(records: Records, items: Items) -> Iterator[list[Any]]:
    for d in items.dossiers:
        for rel, r in zip(d.relationships, records.dossier(d)["relationships"]):
            when = r["as_of"] or {"start": None, "end": None}
            yield [rel.dossier, rel.id, r["former_ids"], rel.type, rel.target, rel.party, r["text"] and r["text"]["plain"],
                   rel.text and str(rel.text), rel.as_of and rel.as_of.iso(), when["start"], when["end"],
                   rel.status, rel.standing, r["establishes"], r["sources"], page_of(rel.dossier, rel.id)]


def _citation_rows(records: Records, items: Items) -> Iterator[list[Any]]:
    """One row per citation, from the statement walk (`model.Dossier.statements`)."""
    for d in items.dossiers:
        for statement in d.statements():
            item = statement.of if statement.of is not None else statement.item
            entry = getattr(item, "id", None) or getattr(item, "key")
            for position, ref in enumerate(statement.sources, 1):
                yield [statement.dossier, statement.kind, entry, statement.anchor, position, ref.id, ref.locator,
                       page_of(statement.dossier, statement.anchor)]


def _source_rows(records: Records, items: Items) -> Iterator[list[Any]]:
    for s in items.sources:
        r = records.source(s, items.citations.get(s.id, 0))
        yield [r[f.name] for f in ENTITIES["source"]] + [r["citations"], r["page"]]


def _party_rows(records: Records, items: Items) -> Iterator[list[Any]]:
    for p in items.parties:
        r = records.party(p)
        yield [r[f.name] for f in ENTITIES["party"]]


def _doc(entity: str, name: str) -> str:
    return next(f.doc for f in ENTITIES[entity] if f.name == name) or ""


# The keys of dossiers.json (and of each company's file), as the data page lists them.
DOCUMENT_KEYS: tuple[Column, ...] = (
    Column("$schema", "The JSON Schema the file follows: dossiers.schema.json, beside it."),
    Column("format", f'Always "{FORMAT}".'),
    Column("version", f"{VERSION}: raised when a key changes meaning or goes away (added keys do not raise it)."),
    Column("title", "The site's title."),
    Column("base_url", "Where the site is published, or null; pages are named relative to it."),
    Column("licence", "The dossier text's licence, {\"name\", \"url\"}, or null when none is stated."),
    Column("vocabularies", "Every vocabulary (topics, sectors, tags, relationship_types, profile_fields, "
           "source_kinds, and the comparison's facts, compare): id to label, in display order."),
    Column("dossiers", "The dossiers, by id; each with its profile, claims, events and relationships in file order."),
    Column("sources", "The bibliography, in its order (in a company's file: the sources it cites)."),
    Column("parties", "Outside organisations that relationships name (in a company's file: the ones it names)."),
)

_LIST = "a JSON array"
_PAGE = "The page that shows it, relative to the site root (a folder and the element id)."
TABLES: tuple[Table, ...] = (
    Table(Route("data/companies.csv"), "dossier", (
        Column("id", "The dossier's id (its file name)."), Column("name", "The company's name."),
        Column("native_name", "The name in Chinese."),
        Column("native_script", "simplified or traditional: the script of native_name."),
        Column("text_script", "The script of Chinese in the dossier's texts, when it says."),
        Column("legal_name", "Its legal name."), Column("aliases", f"Other names, {_LIST}."),
        Column("sectors", f"Sector ids, {_LIST}."),
        Column("profile", f"Its profile facts, {_LIST} of records as in dossiers.json (key, value, sources)."),
        Column("claims", "How many claims it holds."), Column("events", "How many dated events."),
        Column("relationships", "How many relationships."), Column("page", "Its page, relative to the site root.")),
        _company_rows),
    Table(Route("data/claims.csv"), "claim or dated event", (
        Column("dossier", "The dossier's id."), Column("kind", "claim, or event (a dated claim: the timeline)."),
        Column("id", "Its id in the dossier (its element id on the page)."),
        Column("former_ids", f"{_doc('claim', 'former_ids').removesuffix('.')}; {_LIST}."),
        Column("topic", "Its topic id (optional for events)."),
        Column("as_of", "The date or period it describes, as written: YYYY[-MM[-DD]], START..END, ..END (until) "
               "or START.. (since)."),
        Column("start", "The period's first date; empty when open (..END)."),
        Column("end", "The period's last date; empty when ongoing (START..). A single date is start = end."),
        Column("text", "Its words, without markup."), Column("text_markdown", "Its text as written (Markdown)."),
        Column("mark", "contested, unanswered (contested, no reply on record), unconfirmed, or empty."),
        Column("status", "contested or unconfirmed, as the dossier says; empty when neither."),
        Column("according_to", _doc("claim", "according_to")),
        Column("tags", f"Tag ids, {_LIST}."),
        Column("establishes", f"{_doc('claim', 'establishes').removesuffix('.')}; {_LIST}."),
        Column("sources", f"Its citations, {_LIST} of {{\"id\", \"locator\"}} in order (locator null when none)."),
        Column("responses", f"The other side, {_LIST} of {{\"text\", \"sources\", \"anchor\"}} records."),
        Column("no_reply", "Empty, or a JSON record {\"cited\", \"text\", \"sources\", \"anchor\"}: cited false "
               "means none-on-record (\"No reply is on record in the sources used\")."),
        Column("page", _PAGE)),
        _claim_rows),
    Table(Route("data/relationships.csv"), "relationship", (
        Column("dossier", "The dossier's id: the relationship reads from its side."), Column("id", "Its id."),
        Column("former_ids", f"{_doc('relationship', 'former_ids').removesuffix('.')}; {_LIST}."),
        Column("type", "Its relationship type id (type owner, target X: X owns part of this company)."),
        Column("target", "Another dossier's id, or empty."), Column("party", "A party's id (parties.csv), or empty."),
        Column("text", "Its words, without markup (empty when it has no text)."),
        Column("text_markdown", "Its text as written (Markdown)."),
        Column("as_of", "The date or period it describes, as written; empty when not given."),
        Column("start", "The period's first date; empty when open or not given."),
        Column("end", "The period's last date; empty when ongoing or not given."),
        Column("status", "contested, unconfirmed, or empty."),
        Column("standing", _doc("relationship", "standing")),
        Column("establishes", f"{_doc('relationship', 'establishes').removesuffix('.')}; {_LIST}."),
        Column("sources", f"Its citations, {_LIST} of {{\"id\", \"locator\"}}."), Column("page", _PAGE)),
        _relationship_rows),
    Table(Route("data/citations.csv"), "citation", (
        Column("dossier", "The citing dossier's id."),
        Column("statement", "What cites: profile fact, claim, event, response, no reply or relationship."),
        Column("entry", "The id of the claim, event or relationship it belongs to, or the profile fact's key."),
        Column("anchor", "The citing statement's element id on the dossier's page."),
        Column("position", "1 for the statement's first citation, 2 for its second, ..."),
        Column("source", "The cited source's id (sources.csv)."),
        Column("locator", "Where in the source: section, paragraph or page; empty when none."),
        Column("page", _PAGE)),
        _citation_rows),
    Table(Route("data/sources.csv"), "source", (
        *(Column(f.name, f.doc or f.name.replace("_", " ").capitalize() + ".") if f.kind != "urls"
          else Column(f.name, f"{f.doc or 'Other copies'}, {_LIST}.") for f in ENTITIES["source"]),
        Column("citations", "How many citations of it the dossiers hold."),
        Column("page", "Its page, relative to the site root.")),
        _source_rows),
    Table(Route("data/parties.csv"), "party (an outside organisation or person that relationships name)", tuple(
        Column(f.name, (f.doc or f.name.replace("_", " ").capitalize() + ".") + (f" ({_LIST})" if f.kind == "texts"
                                                                               else ""))
        for f in ENTITIES["party"]), _party_rows),
)


def neutralised(value: Any) -> str:
    """A cell's text: JSON for lists and records, "" for null, and an apostrophe before a formula trigger."""
    if type(value) is not str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        value = _JSON_CELL(value) if isinstance(value, (list, dict)) else str(value)
    return "'" + value if value.startswith(NEUTRALISED) else value


_JSON_CELL = _DUMP


def csv_bytes(header: Iterable[str], rows: Iterable[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(list(header))
    writer.writerows([neutralised(cell) for cell in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")


def table_bytes(table: Table, records: Records, items: Items) -> bytes:
    return csv_bytes((c.name for c in table.columns), table.rows(records, items))
