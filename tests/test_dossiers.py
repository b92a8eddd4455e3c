"""The six shipped dossiers: complete enough, every claim cited, every source used."""
from __future__ import annotations

import re

import pytest
import yaml

from conftest import DOSSIERS, ROOT
from sourcebook import pipeline

COMPANIES = ("huawei", "dji", "hikvision", "dahua", "megvii", "iflytek")
RESEARCH = ROOT.parent / "shared" / "research" / "sources.md"
SEED = ROOT.parent / "shared" / "seed"


@pytest.fixture(scope="module")
def corpus():
    options = pipeline.Options(dossiers=DOSSIERS, config=ROOT / "pyproject.toml", strict=True)
    return pipeline.check(options).corpus  # strict: any warning fails here


def test_check_strict_is_clean(run_cli):
    result = run_cli("check", "--strict", "--dossiers", DOSSIERS, "--config", ROOT / "pyproject.toml")
    assert result.code == 0, result.err


@pytest.mark.parametrize("company", COMPANIES)
def test_each_dossier_meets_the_counts(corpus, company):
    d = corpus.dossier(company)
    assert len(d.claims) + len(d.events) >= 30
    assert len(d.events) >= 8
    assert d.native_name and d.legal_name and d.sectors
    assert {f.key for f in d.profile} >= {"founded", "headquarters", "ownership"}
    assert any(r.party for r in d.relationships)


def test_the_six_are_linked_to_each_other(corpus):
    """Relationships among the six where the research gives one (DJI's research names none)."""
    linked = {(r.dossier, r.target) for d in corpus.dossiers for r in d.relationships if r.target}
    assert {a for a, _ in linked} >= {"huawei", "hikvision", "dahua", "megvii", "iflytek"}


def test_every_source_is_cited_from_the_yaml_alone():
    """Read the YAML directly (not through sourcebook), so a validator bug cannot hide an unused source."""
    sources = yaml.safe_load((DOSSIERS / "sources.yaml").read_text(encoding="utf-8"))
    ids = {s["id"] for s in sources}
    cited: set[str] = set()

    def collect(node: object, in_sources: bool = False) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if in_sources and key == "id":
                    cited.add(value)
                collect(value, key == "sources")
        elif isinstance(node, list):
            for item in node:
                if in_sources and isinstance(item, str):
                    cited.add(item)
                collect(item, in_sources)

    for company in COMPANIES:
        collect(yaml.safe_load((DOSSIERS / f"{company}.yaml").read_text(encoding="utf-8")))
    assert sorted(ids - cited) == []
    assert sorted(cited - ids) == []


def test_contested_claims_say_who_and_give_the_other_side_where_recorded(corpus):
    contested = [e for d in corpus.dossiers for e in d.entries if e.status == "contested"]
    assert len(contested) >= 6
    answered = [e for e in contested if e.responses]
    assert len(answered) >= len(contested) * 0.8
    for entry in answered:
        cited_by_claim = {r.id for r in entry.sources}
        for response in entry.responses:
            assert response.sources, entry.id
        assert cited_by_claim


def test_source_kinds_and_copies_are_shown(corpus):
    kinds = {s.kind for s in corpus.sources}
    assert kinds <= {"government", "news", "ngo", "company", "research", "legal", "reference"}
    copies = [s for s in corpus.sources if s.note and re.search(r"\bcop(y|ies)\b", s.note, re.I)]
    assert len(copies) >= 20


@pytest.mark.skipif(not RESEARCH.is_file(), reason="../shared/research is not beside this checkout")
def test_every_url_comes_from_the_research():
    allowed = RESEARCH.read_text(encoding="utf-8") + "".join(p.read_text() for p in SEED.glob("*"))
    sources = yaml.safe_load((DOSSIERS / "sources.yaml").read_text(encoding="utf-8"))
    for source in sources:
        for url in [source["url"], *source.get("other_urls", []), *filter(None, [source.get("archive_url")])]:
            assert url in allowed, (source["id"], url)
