"""The data exports (``data/``): dossiers.json and its JSON Schema, one JSON file per company, and CSV tables.

The shape is `export.py`'s; this module only writes it. Every file is the
same in the hosted tree and the offline copy (records name pages by their
folder, relative to the site root, never by a flavoured href).
"""
from __future__ import annotations

import json
from collections.abc import Iterator

from .. import export
from ..output import Output
from .output import Build, NonPage


def files(build: Build) -> Iterator[Output]:
    corpus, settings = build.inputs.corpus, build.inputs.settings
    names = {d.id: d.name for d in corpus.dossiers}
    records = export.Records(lambda dossier_id: names.get(dossier_id, dossier_id))
    items = export.Items.of(corpus)
    citations = items.citations
    yield Output(export.ALL.path(), export.document(
        records, settings, corpus.dossiers, corpus.sources, corpus.parties, citations, "dossiers.schema.json"))
    yield Output(export.SCHEMA.path(), (json.dumps(export.json_schema(settings), ensure_ascii=False, indent=1)
                                        + "\n").encode("utf-8"))  # small, and read by people: indented
    order = {s.id: i for i, s in enumerate(corpus.sources)}
    for dossier in corpus.dossiers:
        sources, parties = export.named_by(corpus, dossier, order)
        yield Output(export.COMPANY.path(dossier.id), export.document(
            records, settings, [dossier], sources, parties, citations, "../dossiers.schema.json"))
    for table in export.TABLES:
        yield Output(table.path, export.table_bytes(table, records, items))


OUTPUT = NonPage("data", files, flavoured=False)
