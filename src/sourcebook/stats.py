"""`stats`: coverage per dossier, so a reviewer sees at a glance what a dossier rests on."""
from __future__ import annotations

from dataclasses import dataclass

from .model import Corpus, Dossier, PartialDate


@dataclass(frozen=True)
class DossierStats:
    id: str
    claims: int
    events: int
    relationships: int
    sources: int           # distinct sources cited anywhere in the dossier
    with_locator: float    # share of claims and events citing at least one source with a locator
    oldest: PartialDate | None


def dossier_stats(corpus: Corpus) -> list[DossierStats]:
    return [_stats(d) for d in corpus.dossiers]


def _stats(d: Dossier) -> DossierStats:
    entries = d.entries
    located = sum(1 for e in entries if any(r.locator for r in e.sources))
    oldest = min((e.when.start for e in entries), default=None, key=lambda date: date.first_day())
    return DossierStats(d.id, len(d.claims), len(d.events), len(d.relationships), len(d.cited_source_ids()),
                        located / len(entries) if entries else 0.0, oldest)


def format_stats(rows: list[DossierStats]) -> str:
    header = ("dossier", "claims", "events", "relationships", "sources", "with locator", "oldest as_of")
    lines = [header] + [
        (r.id, str(r.claims), str(r.events), str(r.relationships), str(r.sources),
         f"{r.with_locator:.0%}", r.oldest.iso() if r.oldest else "-")
        for r in rows
    ]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(line, widths)))
        for line in lines
    )
