#!/usr/bin/env python3
"""Make a synthetic benchmark corpus, twice: as sourcebook dossiers and as an MkDocs project.

`python benchmarks/generate.py --dossiers 1000` writes, under --out
(default benchmarks/work/corpus-<N>d-<S>s):

    dossiers/<id>.yaml, dossiers/sources.yaml, dossiers/about.md   (sourcebook input)
    schema/dossier.schema.json, schema/sources.schema.json        (what the dossiers' first lines name)
    mkdocs/mkdocs.yml, mkdocs/mkdocs-search.yml, mkdocs/docs/**.md (the same content for MkDocs)
    manifest.json                                                   (what was generated, and how)

The corpus copies the *shape* of the shipped dossiers (profile facts, claims by
topic with as-of dates, tags, statuses and cited responses, dated events,
relationships to other dossiers or outside parties, 1-3 citations per item with
locators, [[wiki-links]] between dossiers) with made-up text. Everything comes
from one seeded random.Random, so the same options always give the same bytes.
The vocabularies (topics, sectors, tags, ...) are read from the settings file
the build uses, so the corpus stays valid when they change.

The MkDocs project has the same pages with the same content: one page per
dossier (profile, claims by topic, timeline, relationships, "mentioned in",
numbered references linking to source pages), one page per source listing what
cites it, a companies index, a sources index and an About page.
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_CONFIG = ROOT / "pyproject.toml"
MARK = "sourcebook-benchmark-corpus"  # manifest "kind"; only folders carrying it are ever replaced
FORMAT = 3  # bump when the generated content changes, so run.py regenerates old corpora

WORDS = """
according acquired agency alleged analysts announced annual approved authorities board
business camera capital chairman chips cloud committee company components contract
contracts court customers data defence department described devices director disclosed
domestic drones engineers equipment executive exports facility filing firm foreign
founder funding government group hardware holding imports industry investors joint
laboratory largest license listed lobbying market ministry network officials operations
orders overseas ownership partner patents platform police private products programme
province public purchase quarterly regulators report reported research revenue rules
sales sanctions security semiconductor servers share shareholders software state stake
subsidiary suppliers surveillance systems technology telecom tender trade transfer units
vendor venture video wireless
""".split()
SYLLABLES = """an bai bo chen da fang fei guo hai han hua hui jia jin kang lan li lian long
mei ming nan ning qi rui sheng shi tai tian wei xin xun yang yi ying yu yuan zhi zhong""".split()
SUFFIXES = ["Technology", "Electronics", "Systems", "Networks", "Intelligence", "Semiconductor",
            "Robotics", "Vision", "Telecom", "Holdings"]
HANZI = "华海康威视大疆科讯飞旷智能技术股份有限公司中兴云天网安信息电子"
PUBLISHERS = ["Federal Register", "Reuters", "South China Morning Post", "Nikkei Asia", "IPVM",
              "Financial Times", "The Wall Street Journal", "Human Rights Watch", "Bloomberg",
              "US Department of Commerce", "Company filing", "Caixin", "Associated Press",
              "Center for Strategic and International Studies", "Law360"]
LOCATORS = ["para {n}", "p. {n}", "section {n}", "table {n}", "lead", "Background", "paras {n}-{m}"]
PARTIES = ["State Asset Holding Group", "Provincial Investment Fund", "Municipal Venture Capital",
           "National Integrated Circuit Fund", "Overseas Pension Fund", "Founders' Partnership"]


def party_id(name: str) -> str:
    """The id a party has in parties.yaml (relationships name parties by id)."""
    return "".join(c if c.isalnum() else "-" for c in name.lower().replace("'", "")).strip("-")


def parties_yaml() -> str:
    return SCHEMA_LINE.format("parties") + "\n" + "".join(f"- id: {party_id(name)}\n  name: {q(name)}\n" for name in PARTIES)


# --- the in-memory corpus ------------------------------------------------------------------

@dataclass
class Cite:
    source: str
    locator: str | None = None


@dataclass
class Item:
    """A claim, event or relationship (relationships use target/party/rtype)."""

    kind: str  # "claim" | "event" | "relationship"
    id: str
    text: str | None
    sources: list[Cite]
    topic: str | None = None
    when: str | None = None  # as_of for claims and relationships, date for events
    tags: list[str] = field(default_factory=list)
    status: str | None = None
    responses: list[tuple[str, list[Cite]]] = field(default_factory=list)
    rtype: str | None = None
    target: str | None = None
    party: str | None = None
    establishes: list[str] = field(default_factory=list)  # the comparison's facts it establishes


@dataclass
class Dossier:
    id: str
    name: str
    native_name: str
    legal_name: str
    aliases: list[str]
    sectors: list[str]
    profile: list[tuple[str, str, list[Cite]]]  # (key, value, sources)
    claims: list[Item]
    events: list[Item]
    relationships: list[Item]


@dataclass
class Source:
    id: str
    title: str
    publisher: str
    url: str
    kind: str
    published: str | None
    accessed: str
    note: str | None


@dataclass
class Vocab:
    topics: dict[str, str]
    sectors: dict[str, str]
    tags: dict[str, str]
    relationship_types: dict[str, str]
    profile_fields: dict[str, str]
    source_kinds: dict[str, str]
    title: str
    max_file_bytes: int
    compare: dict[str, str]  # the comparison's facts ({} when the settings leave them to the default)


def read_vocab(config: Path) -> Vocab:
    with open(config, "rb") as f:
        settings = tomllib.load(f)["tool"]["sourcebook"]
    return Vocab(settings["topics"], settings["sectors"], settings["tags"], settings["relationship_types"],
                 settings["profile_fields"], settings["source_kinds"], settings.get("title", "sourcebook"),
                 settings.get("limits", {}).get("max_file_bytes", 5 * 1024 * 1024), settings.get("compare", {}))


# --- generation ----------------------------------------------------------------------------

class Generator:
    """Draws every value from one seeded random.Random, in a fixed order."""

    def __init__(self, vocab: Vocab, n_dossiers: int, n_sources: int, seed: int,
                 claims: int, events: int, relationships: int) -> None:
        self.v = vocab
        self.rng = random.Random(seed)
        self.n_dossiers, self.n_sources = n_dossiers, n_sources
        self.claims, self.events, self.relationships = claims, events, relationships
        self.dossier_ids = [f"co-{i:05d}" for i in range(n_dossiers)]
        self.source_ids = [f"src-{i:06d}" for i in range(n_sources)]

    # small draws
    def sentence(self, low: int = 80, high: int = 300) -> str:
        target = self.rng.randint(low, high)
        words: list[str] = []
        while sum(len(w) + 1 for w in words) < target:
            words.append(self.rng.choice(WORDS))
        return " ".join(words).capitalize() + "."

    def date(self, first: int = 1995, last: int = 2025) -> str:
        year = self.rng.randint(first, last)
        shape = self.rng.random()
        if shape < 0.3:
            return f"{year}"
        if shape < 0.55:
            return f"{year}-{self.rng.randint(1, 12):02d}"
        return f"{year}-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}"

    def as_of(self) -> str:
        if self.rng.random() < 0.15:
            start = self.rng.randint(2005, 2020)
            return f"{start}..{start + self.rng.randint(1, 5)}"
        return self.date(2005, 2025)

    def locator(self) -> str:
        n = self.rng.randint(1, 40)
        return self.rng.choice(LOCATORS).format(n=n, m=n + self.rng.randint(1, 4))

    # sources
    def sources(self) -> list[Source]:
        kinds = list(self.v.source_kinds)
        out = []
        for sid in self.source_ids:
            title = self.sentence(30, 90).rstrip(".")
            out.append(Source(
                id=sid, title=title, publisher=self.rng.choice(PUBLISHERS),
                url=f"https://example.org/{self.rng.choice(['news', 'rules', 'reports', 'filings'])}/{sid}",
                kind=self.rng.choice(kinds),
                published=self.date(2000, 2025) if self.rng.random() < 0.9 else None,
                accessed=f"2025-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}",
                note=self.sentence(30, 80) if self.rng.random() < 0.4 else None))
        return out

    # dossiers
    def names(self) -> list[str]:
        seen: set[str] = set()
        out = []
        for i in range(self.n_dossiers):
            name = ""
            while not name or name in seen:
                stem = "".join(self.rng.choice(SYLLABLES) for _ in range(2)).capitalize()
                name = f"{stem} {self.rng.choice(SUFFIXES)}"
                if name in seen and self.rng.random() < 0.5:
                    name = f"{name} {i}"
            seen.add(name)
            out.append(name)
        return out

    def dossiers(self) -> list[Dossier]:
        names = self.names()
        out = []
        for i, did in enumerate(self.dossier_ids):
            own = self._own_sources(i)
            out.append(self._dossier(i, did, names[i], own))
        return out

    def _own_sources(self, i: int) -> list[str]:
        """Dossier i's share of the bibliography: it cites each of these at least once."""
        lo = i * self.n_sources // self.n_dossiers
        hi = (i + 1) * self.n_sources // self.n_dossiers
        return self.source_ids[lo:hi]

    def _dossier(self, i: int, did: str, name: str, own: list[str]) -> Dossier:
        pending = list(own)  # handed out first, so every source is cited somewhere

        def cites(n_low: int = 1, n_high: int = 3, locate: bool = True) -> list[Cite]:
            chosen: list[str] = []
            for _ in range(self.rng.randint(n_low, n_high)):
                if pending:
                    sid = pending.pop()
                elif self.rng.random() < 0.5:
                    sid = self.rng.choice(own)
                else:
                    sid = self.rng.choice(self.source_ids)
                if sid not in chosen:
                    chosen.append(sid)
            out = [Cite(sid) for sid in chosen]
            if locate:
                out[0].locator = self.locator()  # no "missing-locator" warnings
            for c in out[1:]:
                if self.rng.random() < 0.4:
                    c.locator = self.locator()
            return out

        def other() -> str:
            j = self.rng.randrange(self.n_dossiers - 1)
            return self.dossier_ids[j + 1 if j >= i else j]

        def text() -> str:
            t = self.sentence()
            if self.n_dossiers > 1 and self.rng.random() < 0.12:
                t = f"{t} See also [[{other()}]]."
            return t

        topics, tags, facts = list(self.v.topics), list(self.v.tags), list(self.v.compare)
        fields = list(self.v.profile_fields)
        profile = [(key, self.sentence(10, 80).rstrip("."), cites(1, 2))
                   for key in sorted(self.rng.sample(fields, self.rng.randint(min(4, len(fields)), len(fields))),
                                     key=fields.index)]

        def entry(kind: str, n: int) -> Item:
            item = Item(kind, f"{kind[0]}-{n:03d}", text(), cites())
            item.topic = self.rng.choice(topics) if kind == "claim" or self.rng.random() < 0.7 else None
            item.when = self.as_of() if kind == "claim" else self.date(1995, 2025)
            if self.rng.random() < 0.5:
                item.tags = sorted(self.rng.sample(tags, self.rng.randint(1, 2)))
            if self.rng.random() < 0.08:
                item.status = self.rng.choice(["contested", "unconfirmed"])
            if self.rng.random() < 0.13:
                item.responses = [(self.sentence(40, 160), cites(1, 1))]
            if kind == "event" and facts and self.rng.random() < 0.1:
                item.establishes = [self.rng.choice(facts)]  # one event in ten fills a comparison cell
            return item

        claims = [entry("claim", n) for n in range(1, self._around(self.claims) + 1)]
        events = [entry("event", n) for n in range(1, self._around(self.events) + 1)]
        relationships = []
        for n in range(1, self._around(self.relationships) + 1):
            rel = Item("relationship", f"r-{n:03d}", None, cites(1, 2))
            rel.rtype = self.rng.choice(list(self.v.relationship_types))
            if self.n_dossiers > 1 and self.rng.random() < 0.7:
                rel.target = other()
            else:
                rel.party = self.rng.choice(PARTIES)
            if self.rng.random() < 0.6:
                rel.text = self.sentence(40, 160)
            if self.rng.random() < 0.5:
                rel.when = self.date(2005, 2025)
            relationships.append(rel)
        # a dossier whose own share of sources was not used up still cites all of it
        while pending:
            claims[self.rng.randrange(len(claims))].sources.append(Cite(pending.pop()))
        native = "".join(self.rng.choice(HANZI) for _ in range(self.rng.randint(2, 6)))
        return Dossier(
            id=did, name=name, native_name=native, legal_name=f"{name} Co., Ltd.",
            aliases=[name.split()[0]], sectors=sorted(self.rng.sample(list(self.v.sectors), self.rng.randint(1, 3))),
            profile=profile, claims=claims, events=events, relationships=relationships)

    def _around(self, mean: int) -> int:
        """A count near mean (+-30%), at least 1."""
        return max(1, round(mean * self.rng.uniform(0.7, 1.3)))


# --- sourcebook YAML -----------------------------------------------------------------------

def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def yaml_cites(cites: list[Cite], indent: str) -> list[str]:
    lines = [f"{indent}sources:"]
    for c in cites:
        if c.locator:
            lines.append(f"{indent}  - {{id: {c.source}, locator: {q(c.locator)}}}")
        else:
            lines.append(f"{indent}  - {c.source}")
    return lines


SCHEMA_LINE = "# yaml-language-server: $schema=../schema/{}.schema.json"  # editors' schema; check warns without


def dossier_yaml(d: Dossier) -> str:
    lines = [SCHEMA_LINE.format("dossier"), f"id: {d.id}", f"name: {q(d.name)}", f"native_name: {q(d.native_name)}",
             f"legal_name: {q(d.legal_name)}", f"aliases: [{', '.join(q(a) for a in d.aliases)}]",
             f"sectors: [{', '.join(d.sectors)}]", "profile:"]
    for key, value, cites in d.profile:
        lines += [f"  {key}:", f"    value: {q(value)}", *yaml_cites(cites, "    ")]
    for section, items in (("claims", d.claims), ("events", d.events), ("relationships", d.relationships)):
        lines.append(f"{section}:")
        for it in items:
            lines.append(f"  - id: {it.id}")
            if it.kind == "relationship":
                lines.append(f"    type: {it.rtype}")
                lines.append(f"    target: {it.target}" if it.target else f"    party: {party_id(it.party or '')}")
                if it.text:
                    lines.append(f"    text: {q(it.text)}")
                if it.when:
                    lines.append(f"    as_of: {q(it.when)}")
            else:
                if it.topic:
                    lines.append(f"    topic: {it.topic}")
                lines.append(f"    text: {q(it.text or '')}")
                lines.append(f"    {'as_of' if it.kind == 'claim' else 'date'}: {q(it.when or '')}")
                if it.tags:
                    lines.append(f"    tags: [{', '.join(it.tags)}]")
                if it.status:
                    lines.append(f"    status: {it.status}")
                if it.status == "contested" and not it.responses:
                    lines.append("    no_reply: none-on-record")  # the policy: say that no reply is on record
                if it.responses:
                    lines.append("    responses:")
                    for rtext, rcites in it.responses:
                        lines.append(f"      - text: {q(rtext)}")
                        lines += yaml_cites(rcites, "        ")
            if it.establishes:
                lines.append(f"    establishes: [{', '.join(it.establishes)}]")
            lines += yaml_cites(it.sources, "    ")
    return "\n".join(lines) + "\n"


def sources_yaml(sources: list[Source]) -> str:
    lines = [SCHEMA_LINE.format("sources")]
    for s in sources:
        lines += [f"- id: {s.id}", f"  title: {q(s.title)}", f"  publisher: {q(s.publisher)}"]
        if s.published:
            lines.append(f"  published: {q(s.published)}")
        lines += [f"  url: {s.url}", f"  accessed: {q(s.accessed)}", f"  kind: {s.kind}", "  language: en"]
        if s.note:
            lines.append(f"  note: {q(s.note)}")
    return "\n".join(lines) + "\n"


ABOUT = """# About this benchmark corpus

Synthetic dossiers made by `benchmarks/generate.py` to measure build speed.
None of the companies, claims or sources exist.
"""


# --- the same content as MkDocs Markdown ---------------------------------------------------

@dataclass
class CitingItem:
    dossier: Dossier
    anchor: str
    kind: str
    text: str
    locator: str | None


def citing_index(dossiers: list[Dossier]) -> dict[str, list[CitingItem]]:
    out: dict[str, list[CitingItem]] = defaultdict(list)

    def add(cites: list[Cite], d: Dossier, anchor: str, kind: str, text: str) -> None:
        for c in cites:
            out[c.source].append(CitingItem(d, anchor, kind, text, c.locator))

    for d in dossiers:
        for key, value, cites in d.profile:
            add(cites, d, f"profile_{key}", "profile fact", value)
        for it in d.claims + d.events:
            add(it.sources, d, it.id, it.kind, it.text or "")
            for n, (rtext, rcites) in enumerate(it.responses, 1):
                add(rcites, d, f"{it.id}_response_{n}", "response", rtext)
        for rel in d.relationships:
            add(rel.sources, d, rel.id, "relationship", rel.text or rel.party or rel.target or "")
    return out


def mention_index(dossiers: list[Dossier]) -> dict[str, list[tuple[Dossier, Item]]]:
    out: dict[str, list[tuple[Dossier, Item]]] = defaultdict(list)
    for d in dossiers:
        for it in d.claims + d.events + d.relationships:
            targets = {t for t in [it.target] if t} | set(_wikilinks(it.text or ""))
            for t in sorted(targets - {d.id}):
                out[t].append((d, it))
    return out


def _wikilinks(text: str) -> list[str]:
    out = []
    for part in text.split("[[")[1:]:
        out.append(part.split("]]", 1)[0].split("|", 1)[0].strip())
    return out


def md_text(text: str, names: dict[str, str], prefix: str) -> str:
    """Sourcebook Markdown -> MkDocs Markdown: [[id]] becomes a link to the company page."""
    for target in _wikilinks(text):
        text = text.replace(f"[[{target}]]", f"[{names[target]}]({prefix}{target}.md)")
    return text


class Numbering:
    def __init__(self) -> None:
        self.order: dict[str, int] = {}
        self.locators: dict[str, list[str]] = defaultdict(list)

    def cite(self, cites: list[Cite], titles: dict[str, str]) -> str:
        marks = []
        for c in cites:
            n = self.order.setdefault(c.source, len(self.order) + 1)
            if c.locator:
                self.locators[c.source].append(c.locator)
            title = titles[c.source] + (f", {c.locator}" if c.locator else "")
            marks.append(f'<sup>[\\[{n}\\]](#ref-{n} "{title}")</sup>')
        return "".join(marks)


def company_md(d: Dossier, v: Vocab, sources: dict[str, Source], names: dict[str, str],
               mentions: list[tuple[Dossier, Item]]) -> str:
    titles = {sid: s.title for sid, s in sources.items()}
    num = Numbering()
    out = [f"# {d.name} <span lang=\"zh\">{d.native_name}</span>", "",
           f"{d.legal_name}", "", "Sectors: " + ", ".join(v.sectors[s] for s in d.sectors), "",
           "Also known as: " + ", ".join(d.aliases), "", "## Profile", ""]
    for key, value, cites in d.profile:
        out.append(f"- <span id=\"profile_{key}\"></span>**{v.profile_fields[key]}**: {value}"
                   f"{num.cite(cites, titles)}")
    out += ["", "## Claims", ""]
    for topic, label in v.topics.items():
        items = sorted((c for c in d.claims if c.topic == topic), key=lambda c: c.when or "", reverse=True)
        if not items:
            continue
        out += [f"### {label}", ""]
        for c in items:
            out += _entry_md(c, v, num, titles, names)
    out += ["## Timeline", ""]
    for e in sorted(d.events, key=lambda e: e.when or ""):
        out += _entry_md(e, v, num, titles, names)
    out += ["## Relationships", ""]
    for rel in d.relationships:
        who = f"[{names[rel.target]}]({rel.target}.md)" if rel.target else (rel.party or "")
        extra = f": {md_text(rel.text, names, '')}" if rel.text else ""
        when = f" (as of {rel.when})" if rel.when else ""
        out.append(f"- <span id=\"{rel.id}\"></span>**{v.relationship_types[rel.rtype or '']}**: "
                   f"{who}{when}{extra}{num.cite(rel.sources, titles)}")
    out += ["", "## Mentioned in", ""]
    for other, it in mentions:
        out.append(f"- [{other.name}, {it.kind}]({other.id}.md#{it.id})")
    out += ["", "## References", ""]
    for sid, n in num.order.items():
        s = sources[sid]
        at = "; ".join(num.locators[sid])
        out.append(f"{n}. <span id=\"ref-{n}\"></span>[{s.title}](../sources/{sid}.md). {s.publisher}"
                   f"{', ' + s.published if s.published else ''}.{' Cited at: ' + at + '.' if at else ''}")
    return "\n".join(out) + "\n"


def _entry_md(it: Item, v: Vocab, num: Numbering, titles: dict[str, str], names: dict[str, str]) -> list[str]:
    head = f"*{'As of' if it.kind == 'claim' else 'On'} {it.when}*"
    if it.status:
        head += f" **{it.status}**"
    if it.tags:
        head += " · " + ", ".join(v.tags[t] for t in it.tags)
    out = [f"<span id=\"{it.id}\"></span>{head} [#](#{it.id})", "",
           f"{md_text(it.text or '', names, '')}{num.cite(it.sources, titles)}", ""]
    for n, (rtext, rcites) in enumerate(it.responses, 1):
        out += [f"> <span id=\"{it.id}_response_{n}\"></span>Response: {rtext}{num.cite(rcites, titles)}", ""]
    return out


def source_md(s: Source, v: Vocab, citing: list[CitingItem], names: dict[str, str]) -> str:
    out = [f"# {s.title}", "", f"{s.publisher}, {s.published or 'undated'}. {v.source_kinds[s.kind]}", ""]
    if s.note:
        out += [f"**Note:** {s.note}", ""]
    out += [f"[Read the source]({s.url})", "", "## Cited by", ""]
    for c in citing:
        at = f" (cited at: {c.locator})" if c.locator else ""
        out += [f"- [{c.dossier.name}, {c.kind}{at}](../companies/{c.dossier.id}.md#{c.anchor})", "",
                f"    {md_text(c.text, names, '../companies/')}", ""]
    return "\n".join(out) + "\n"


def sources_index_md(sources: list[Source], v: Vocab, citing: dict[str, list[CitingItem]]) -> str:
    out = ["# Sources", "", "Every source cited on this site, by kind.", ""]
    for kind, label in v.source_kinds.items():
        members = sorted((s for s in sources if s.kind == kind), key=lambda s: (s.title.casefold(), s.id))
        if not members:
            continue
        out += [f"## {label}", ""]
        for s in members:
            n = len(citing.get(s.id, ()))
            out.append(f"- [{s.title}]({s.id}.md). {s.publisher}, {s.published or 'undated'}. "
                       f"{label}. Cited {n} time{'s' if n != 1 else ''}.")
        out.append("")
    return "\n".join(out) + "\n"


def home_md(dossiers: list[Dossier], v: Vocab) -> str:
    out = [f"# {v.title}", "", "| Company | Sectors | Claims | Events | Sources |",
           "| --- | --- | ---: | ---: | ---: |"]
    for d in sorted(dossiers, key=lambda d: d.name.casefold()):
        cited = {c.source for _, _, cs in d.profile for c in cs}
        for it in d.claims + d.events + d.relationships:
            cited |= {c.source for c in it.sources}
            cited |= {c.source for _, rc in it.responses for c in rc}
        out.append(f"| [{d.name}](companies/{d.id}.md) {d.native_name} | "
                   f"{', '.join(v.sectors[s] for s in d.sectors)} | {len(d.claims)} | {len(d.events)} | {len(cited)} |")
    return "\n".join(out) + "\n"


def mkdocs_yml(title: str) -> str:
    # A short explicit nav, like sourcebook's header (Companies, Sources, About). Without
    # `nav`, MkDocs puts every page into every page's navigation: quadratic output.
    return (f"site_name: {q(title)}\n"
            "use_directory_urls: true\n"
            "theme:\n  name: mkdocs\n"
            "plugins: []  # no search: sourcebook has none (mkdocs-search.yml adds it)\n"
            "nav:\n  - Companies: index.md\n  - Sources: sources/index.md\n  - About: about.md\n")


MKDOCS_SEARCH_YML = "INHERIT: mkdocs.yml\nplugins:\n  - search\n"


# --- writing -------------------------------------------------------------------------------

def default_out(n_dossiers: int, n_sources: int) -> Path:
    return HERE / "work" / f"corpus-{n_dossiers}d-{n_sources}s"


def prepare(out: Path) -> None:
    """Empty `out` for a new corpus; refuse a non-empty folder this script did not make."""
    manifest = out / "manifest.json"
    if out.exists() and any(out.iterdir()):
        try:
            ours = json.loads(manifest.read_text(encoding="utf-8")).get("kind") == MARK
        except (OSError, ValueError):
            ours = False
        if not ours:
            raise SystemExit(f"{out}: not empty and not a benchmark corpus; give another --out")
        for name in ("dossiers", "schema", "mkdocs", "manifest.json"):
            path = out / name
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
    out.mkdir(parents=True, exist_ok=True)


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def write_schemas(folder: Path, config: Path) -> None:
    """The JSON Schemas the dossiers' first lines name, as `sourcebook schema` writes them for config."""
    p = subprocess.run([sys.executable, str(ROOT / "build.py"), "schema", "--config", str(config), "--out",
                        str(folder), "-q"], capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"sourcebook schema failed:\n{p.stderr}")


def generate(out: Path, n_dossiers: int, n_sources: int, seed: int = 1, config: Path = DEFAULT_CONFIG,
             claims: int = 25, events: int = 10, relationships: int = 5) -> dict[str, object]:
    if n_dossiers < 1 or n_sources < n_dossiers:
        raise SystemExit("need at least 1 dossier and at least one source per dossier")
    vocab = read_vocab(config)
    gen = Generator(vocab, n_dossiers, n_sources, seed, claims, events, relationships)
    sources = gen.sources()
    dossiers = gen.dossiers()
    prepare(out)
    # sourcebook input
    for d in dossiers:
        write(out / "dossiers" / f"{d.id}.yaml", dossier_yaml(d))
    bibliography = sources_yaml(sources)
    if len(bibliography.encode()) > vocab.max_file_bytes:
        print(f"warning: sources.yaml is {len(bibliography.encode())} bytes, over max_file_bytes "
              f"({vocab.max_file_bytes}) in {config}", file=sys.stderr)
    write(out / "dossiers" / "sources.yaml", bibliography)
    write(out / "dossiers" / "parties.yaml", parties_yaml())
    write(out / "dossiers" / "about.md", ABOUT)
    write_schemas(out / "schema", config)
    # the same content for MkDocs
    docs = out / "mkdocs" / "docs"
    names = {d.id: d.name for d in dossiers}
    by_id = {s.id: s for s in sources}
    citing, mentions = citing_index(dossiers), mention_index(dossiers)
    write(out / "mkdocs" / "mkdocs.yml", mkdocs_yml(vocab.title))
    write(out / "mkdocs" / "mkdocs-search.yml", MKDOCS_SEARCH_YML)
    write(docs / "index.md", home_md(dossiers, vocab))
    write(docs / "about.md", ABOUT)
    for d in dossiers:
        write(docs / "companies" / f"{d.id}.md", company_md(d, vocab, by_id, names, mentions.get(d.id, [])))
    write(docs / "sources" / "index.md", sources_index_md(sources, vocab, citing))
    for s in sources:
        write(docs / "sources" / f"{s.id}.md", source_md(s, vocab, citing.get(s.id, []), names))
    manifest: dict[str, object] = {
        "kind": MARK, "format": FORMAT, "dossiers": n_dossiers, "sources": n_sources, "seed": seed,
        "claims": sum(len(d.claims) for d in dossiers), "events": sum(len(d.events) for d in dossiers),
        "relationships": sum(len(d.relationships) for d in dossiers),
        "citations": sum(len(v) for v in citing.values()),
        "pages": n_dossiers + n_sources + 3,  # both tools: + home, sources index, about (sourcebook writes more)
        "config": str(config),
    }
    write(out / "manifest.json", json.dumps(manifest, indent=2) + "\n")
    return manifest


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--dossiers", type=int, default=1000, metavar="N", help="number of dossiers (default 1000)")
    p.add_argument("--sources", type=int, metavar="S",
                   help="size of the shared bibliography (default 10 per dossier: 10,000 sources and "
                        "~11,000 pages at N=1000)")
    p.add_argument("--out", type=Path, metavar="DIR",
                   help="output folder (default benchmarks/work/corpus-<N>d-<S>s)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--config", type=Path, default=DEFAULT_CONFIG,
                   help="settings file whose vocabularies the corpus uses (default: the repo's pyproject.toml)")
    args = p.parse_args(argv)
    n_sources = args.sources if args.sources is not None else 10 * args.dossiers
    out = args.out or default_out(args.dossiers, n_sources)
    manifest = generate(out, args.dossiers, n_sources, args.seed, args.config)
    print(f"wrote {out}: {manifest['dossiers']} dossiers, {manifest['sources']} sources, "
          f"{manifest['claims']} claims, {manifest['events']} events, {manifest['relationships']} relationships, "
          f"{manifest['citations']} citations, {manifest['pages']} pages", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
