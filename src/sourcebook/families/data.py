"""The data page (``data/``): every export format, with its keys or columns, a real example, and the licence.

Everything it says comes from the declarations in `export.py` (the keys of
dossiers.json, each CSV table's columns) and from the corpus itself: the
examples are the first dossier's first claim as it is in dossiers.json and
the first row of each CSV file, so the page cannot drift from the files.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from .. import anchors, export
from ..reads import Inputs, Reads
from ..urls import Route, Target
from .family import Family, NavEntry, Page

ROUTE = Route("data/")
_NAMES = {"\t": "a tab", "\r": "a carriage return", "'": "an apostrophe"}


@dataclass(frozen=True)
class Described:
    name: str
    doc: str


@dataclass(frozen=True)
class TableView:
    anchor: str
    heading: str
    target: Target
    path: str
    row: str                        # what one row is
    columns: tuple[Described, ...]
    example: str                    # the file's header and first row, as written


@dataclass(frozen=True)
class DataView:
    everything: Target              # data/dossiers.json
    schema: Target
    keys: tuple[Described, ...]     # the top-level keys of dossiers.json
    claim_example: str              # the first dossier's first claim, as dossiers.json holds it
    claim_from: str                 # whose claim that is
    companies: tuple[tuple[Target, str], ...]   # data/companies/<id>.json, with the company's name
    tables: tuple[TableView, ...]
    triggers: tuple[tuple[str, bool], ...]  # what gets an apostrophe in front in CSV cells: (label, as code)
    licence: str | None
    licence_url: str | None


def pages(inputs: Inputs) -> Iterator[Page]:
    reads = Reads(inputs)
    ids = reads.dossier_ids()
    first = [reads.dossier(ids[0])] if ids else []
    source_ids, party_ids = reads.source_ids(), reads.party_ids()
    sources = [reads.source(source_ids[0])] if source_ids else []
    parties = [p for p in (reads.party(party_ids[0]),) if p] if party_ids else []
    citations = {s.id: len(reads.citing(s.id)) for s in sources}
    records = export.Records(reads.name)
    items = export.Items(first, sources, parties, citations)
    claim = next((e for d in first for e in d.claims), None)
    view = DataView(
        export.ALL.target(), export.SCHEMA.target(), tuple(Described(c.name, c.doc) for c in export.DOCUMENT_KEYS),
        json.dumps(records.entry(claim), ensure_ascii=False, indent=2) if claim else "",
        first[0].name if claim else "",
        tuple((export.COMPANY.target(d), reads.name(d)) for d in ids),
        tuple(_table(t, records, items) for t in export.TABLES),
        tuple((_NAMES.get(c, c), c not in _NAMES) for c in export.NEUTRALISED),
        reads.setting("licence"), reads.setting("licence_url"))
    yield Page(ROUTE.path(), "data", "data.html", "Data", view, reads,
               description="The dossiers as data: one JSON file with a JSON Schema, a JSON file per company, "
                           "and CSV tables of claims, citations and sources, with their licence.")


def _table(table: export.Table, records: export.Records, items: export.Items) -> TableView:
    name = table.path.rsplit("/", 1)[-1].removesuffix(".csv")
    rows = [row for row, _ in zip(table.rows(records, items), range(1))]
    example = export.csv_bytes((c.name for c in table.columns), rows).decode("utf-8-sig")
    return TableView(anchors.group(name), anchors.heading(anchors.group(name)), table.route.target(), table.path,
                     table.row, tuple(Described(c.name, c.doc) for c in table.columns), example)


FAMILY = Family("data", ROUTE, "data.html", pages, nav=NavEntry("Data", "data", ROUTE.target()))
