"""The search index as the build writes it: what it holds, where it links, how big it is, how it splits,
and that hostile text stays data when a JavaScript engine reads it.

What a reader does with it (queries, keyboard, file:// and HTTP) is in test_search_browser.py.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings

import fuzz_build
import safety
from conftest import ALPHA, DOSSIERS, ROOT, minimal_files, write_corpus
from sourcebook import pipeline
from sourcebook.model import Entry
from sourcebook.outputs import search

sys.path.insert(0, str(ROOT / "benchmarks"))
import generate  # noqa: E402  (the benchmark's corpus generator)
import run  # noqa: E402  (the benchmark, whose size report is tested here)

INDEX = "static/search"


def index_data(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    assert safety.index_findings(path.name, text) == []
    return json.loads(text[len(safety.INDEX_PREFIX):-len(safety.INDEX_SUFFIX)])


def parts(site: Path) -> dict[str, Any]:
    manifest = index_data(site / INDEX / "index.js")
    return {name: index_data(site / INDEX / f"{name}.js") for name in manifest["parts"]}


def build(dossiers: Path, out: Path, **options: Any) -> Path:
    pipeline.build(pipeline.Options(dossiers=dossiers, out=out, **options))
    return out


def sizes(site: Path) -> dict[str, int]:
    """The benchmark's measurement (benchmarks/run.py reports it): text, postings, snippet store, gzip."""
    return run.search_index_sizes(site)


# --- what it holds ------------------------------------------------------------------------------

def test_the_manifest_lists_one_part_per_dossier_and_the_sources(shipped_site):
    manifest = index_data(shipped_site / INDEX / "index.js")
    ids = sorted(p.stem for p in DOSSIERS.glob("*.yaml") if p.stem not in ("sources", "parties"))
    assert manifest["parts"] == [f"companies/{i}" for i in ids] + ["sources"]
    assert manifest["fields"] == list(search.FIELDS) and manifest["key"] == search.WORD_KEY == 3
    found = sorted(p.relative_to(shipped_site / INDEX).as_posix() for p in (shipped_site / INDEX).rglob("*"))
    assert [f for f in found if f.endswith(".js")] == sorted(["index.js", *(f"{p}.js" for p in manifest["parts"])])


def test_every_name_statement_and_source_is_a_doc_linking_to_its_permalink(shipped_site):
    """The oracle is the YAML: each dossier's names, every claim, event, response, relationship and profile
    fact (by its element id), each source's title and publisher."""
    index = parts(shipped_site)
    for path in sorted(DOSSIERS.glob("*.yaml")):
        if path.stem == "parties":
            continue  # parties are searched through the relationships that name them
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if path.stem == "sources":
            docs = {doc[1]: doc for doc in index["sources"]["docs"]}
            for source in data:
                doc = docs[f"sources/{source['id']}/"]
                assert doc[2:] == [7, source["title"], 8, source["publisher"]]
            continue
        part = index[f"companies/{path.stem}"]
        assert part["base"] == f"companies/{path.stem}/" and part["title"] == data["name"]
        head = part["docs"][0]
        assert head[1] == "" and part["labels"][head[0]] == "Company"
        assert head[2:] == [0, data["name"], 1, data["native_name"], *([2, data["legal_name"]] if "legal_name" in data
                            else []), *(v for alias in data.get("aliases", []) for v in (3, alias))]
        anchors = [doc[1] for doc in part["docs"][1:]]
        entries = [*data.get("claims", []), *data.get("events", [])]
        expected = {f"#profile_{key}" for key in data.get("profile", {})}
        expected |= {f"#{item['id']}" for item in entries + data.get("relationships", [])}
        expected |= {f"#response_{e['id']}_{i}" for e in entries for i in range(1, len(e.get("responses", [])) + 1)}
        expected |= {f"#reply_{e['id']}" for e in entries if isinstance(e.get("no_reply"), dict)}
        assert sorted(anchors) == sorted(expected)
        parties = {doc[1]: doc[doc.index(5) + 1] for doc in part["docs"] if 5 in doc[2::2]}
        names = {p["id"]: p["name"] for p in yaml.safe_load((DOSSIERS / "parties.yaml").read_text(encoding="utf-8"))}
        for rel in data.get("relationships", []):
            if "party" in rel:
                assert parties[f"#{rel['id']}"] == names[rel["party"]]  # the party's one name, not its id


def test_statement_text_is_the_plain_text_the_pages_use(shipped_site):
    """Markdown is gone (text.plain): wiki-links print the name, emphasis and links only their words."""
    dji = parts(shipped_site)["companies/dji"]
    texts = [doc[doc.index(4) + 1] for doc in dji["docs"] if 4 in doc[2::2]]
    assert texts and not any("[[" in t or "](" in t for t in texts)
    assert any("大疆創新 (Da Jiang Innovation)" in t for t in texts)


def test_hrefs_follow_the_flavour(corpus, tmp_path):
    hosted = parts(build(corpus, tmp_path / "hosted"))
    offline = parts(build(corpus, tmp_path / "offline", flavour="offline"))
    assert hosted["companies/alpha"]["base"] == "companies/alpha/"
    assert offline["companies/alpha"]["base"] == "companies/alpha/index.html"
    assert [d[1] for d in hosted["sources"]["docs"]] == ["sources/src-a/", "sources/src-b/"]
    assert [d[1] for d in offline["sources"]["docs"]] == ["sources/src-a/index.html", "sources/src-b/index.html"]
    assert [d[1] for d in hosted["companies/alpha"]["docs"]] == \
        ["", "#profile_founded", "#rival", "#listed", "#rival-beta"]


def test_a_link_the_index_holds_is_checked_like_a_page_link(corpus, tmp_path, monkeypatch):
    """The index's links go through the link check: one to an anchor no page has fails the build."""
    real = search.company_docs

    def with_a_broken_anchor(dossier, inputs, name_of):
        for doc in real(dossier, inputs, name_of):
            yield doc if doc.target.fragment != "rival" else search.Doc(doc.label, doc.target.at("nowhere"), doc.fields)

    monkeypatch.setattr(search, "company_docs", with_a_broken_anchor)
    with pytest.raises(pipeline.BuildFailed) as failed:
        build(corpus, tmp_path / "site")
    assert [str(p) for p in failed.value.problems] == [
        f"{INDEX}/companies/alpha.js: error[output-integrity]: links to 'companies/alpha/index.html#nowhere', "
        "but that page has no such anchor"]


def test_ids_and_former_ids_are_searchable():
    """An entry is found by its id, and by its former ids once the format gives entries some."""
    entry = Entry("claim", "alpha", "new-name", "market", "Text.", None, ())  # type: ignore[arg-type]

    @dataclass(frozen=True)
    class Renamed(Entry):
        former_ids: tuple[str, ...] = ("old-name", "older-name")

    assert search.entry_ids(entry) == ("new-name",)
    assert search.entry_ids(Renamed("claim", "alpha", "new-name", "market", "Text.", None, ())) == \
        ("new-name", "old-name", "older-name")  # type: ignore[arg-type]


# --- Chinese --------------------------------------------------------------------------------------

def test_traditional_folds_to_simplified_with_opencc_tables():
    fold = search.opencc_fold()
    assert fold.table["創"] == "创" and fold.table["華"] == "华" and fold.table["為"] == "为"
    assert all(fold.table.get(s, s) == s for s in fold.table.values()), "folding twice must change nothing"
    normaliser = search.Normaliser(fold.table)
    assert normaliser.form("大疆創新") == normaliser.form("大疆创新") == "大疆创新"
    assert len(fold.table) > 4000


def test_chinese_is_indexed_as_characters_and_pairs_and_words_by_their_start():
    normaliser = search.Normaliser(search.opencc_fold().table)
    assert search.keys("".join(normaliser.form("海康威视"))) == {"海", "康", "威", "视", "海康", "康威", "威视"}
    assert search.keys(normaliser.form("Hikvision's DJI 大疆")) == {"hik", "dji", "大", "疆", "大疆"}
    assert normaliser.form("Hikvision’s ＤＪＩ-Zürich naïve İ ﬁ ½") == "hikvisions dji zurich naive i fi 1 2"
    assert normaliser.form("DJI大疆 e\u0301") == "dji 大疆 e"


def test_the_folding_table_shipped_holds_only_what_the_corpus_needs(shipped_site):
    """Each part carries the pairs for its own characters: DJI's 創 (and 剏, 剙, ... which fold the same way)."""
    index = parts(shipped_site)
    pairs = {p: dict(zip(d["fold"][::2], d["fold"][1::2])) for p, d in index.items()}
    assert pairs["companies/dji"]["創"] == "创"
    assert pairs["companies/huawei"]["華"] == "华"
    fold = search.opencc_fold()
    normaliser = search.Normaliser(fold.table)
    for name, data in index.items():
        chinese = {c for doc in data["docs"] for value in doc[3::2] for c in normaliser.form(value)
                   if search._CJK.match(c)}
        assert set(pairs[name].values()) <= chinese, name
        assert set(pairs[name]) == {t for s in chinese for t in fold.variants.get(s, ())}, name
    assert sum(len(p) for p in pairs.values()) < 400


# --- size, splitting, determinism ----------------------------------------------------------------

def test_postings_are_at_most_a_third_of_the_text_they_index(shipped_site, tmp_path):
    shipped = sizes(shipped_site)
    assert shipped["postings"] <= shipped["text"] / 3, shipped
    assert shipped["files"] == 8 and shipped["gzip"] < shipped["bytes"] / 2, shipped
    corpus = tmp_path / "corpus"
    generate.generate(corpus, 30, 300, 1, ROOT / "pyproject.toml")
    synthetic = sizes(build(corpus / "dossiers", tmp_path / "site", config=ROOT / "pyproject.toml"))
    assert synthetic["postings"] <= synthetic["text"] / 3, synthetic
    assert synthetic["files"] == 32, synthetic


def test_one_edited_dossier_rewrites_one_part(tmp_path):
    folder = write_corpus(tmp_path / "dossiers", minimal_files())
    out = build(folder, tmp_path / "site")
    before = {p: (out / INDEX / p).read_bytes() for p in ("index.js", "companies/alpha.js", "companies/beta.js",
                                                         "sources.js")}
    (folder / "alpha.yaml").write_text(ALPHA.replace("Added to a list.", "Added to another list."), encoding="utf-8")
    build(folder, out)
    changed = {p for p, data in before.items() if (out / INDEX / p).read_bytes() != data}
    assert changed == {"companies/alpha.js"}
    (folder / "gamma.yaml").write_text("id: gamma\nname: Gamma\nsectors: [drones]\n", encoding="utf-8")
    build(folder, out)
    assert "companies/gamma" in index_data(out / INDEX / "index.js")["parts"]
    assert (out / INDEX / "companies/beta.js").read_bytes() == before["companies/beta.js"]


# --- hostile text is data, also to a JavaScript engine -------------------------------------------

NODE_READ = r"""
const vm = require("vm"), fs = require("fs");
const out = {};
for (const file of process.argv.slice(1)) {  // node -e: the arguments follow the executable
  const context = vm.createContext({});
  vm.runInContext("var self = this;", context);
  vm.runInContext(fs.readFileSync(file, "utf8"), context, {filename: file});
  const plain = vm.runInContext("Object.prototype", context);
  const pushed = context.sourcebookSearch;
  if (!pushed || pushed.length !== 1) throw new Error(file + ": pushed " + JSON.stringify(pushed));
  const value = pushed[0];
  const protos = [];
  (function walk(v) {
    if (v && typeof v === "object") {
      if (!Array.isArray(v) && Object.getPrototypeOf(v) !== plain) protos.push(v);
      Object.values(v).forEach(walk);
    }
  })(value);
  if (protos.length) throw new Error(file + ": an object with another prototype");
  out[file] = JSON.stringify(value);
}
process.stdout.write(JSON.stringify(out));
"""


def read_with_node(files: list[Path]) -> dict[str, Any]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the index is not evaluated as JavaScript here")
    run = subprocess.run([node, "-e", NODE_READ, *map(str, files)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    return {path: json.loads(value) for path, value in json.loads(run.stdout).items()}


HOSTILE_NAMES = ["</script><script>alert(1)</script>", "<!-- x", "a\u2028b\u2029c", "__proto__", "constructor",
                 "${alert(1)}`", "\\u0022); alert(1); (\\u0022", "'); alert(1); //"]


def test_hostile_text_evaluated_as_javascript_is_the_same_data(tmp_path):
    files = minimal_files()
    files["alpha.yaml"] = files["alpha.yaml"].replace("name: Alpha\n", "name: Alpha\naliases:\n" + "".join(
        f"  - {json.dumps(name)}\n" for name in HOSTILE_NAMES))
    out = build(write_corpus(tmp_path / "dossiers", files), tmp_path / "site")
    paths = sorted((out / INDEX).rglob("*.js"))
    evaluated = read_with_node(paths)
    for path in paths:
        assert evaluated[str(path)] == index_data(path), path
    head = evaluated[str(out / INDEX / "companies/alpha.js")]["docs"][0]
    assert head[5::2] == HOSTILE_NAMES


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(fuzz_build.hostile_corpora())
def test_property_hostile_corpora_give_an_index_javascript_reads_as_its_json(corpus):
    import tempfile
    with tempfile.TemporaryDirectory(prefix="sourcebook-search-") as tmp:
        root = Path(tmp)
        (root / "dossiers").mkdir()
        for name, data in corpus.files.items():
            (root / "dossiers" / name).write_bytes(data)
        (root / "settings.toml").write_text("")
        try:
            build(root / "dossiers", root / "site", config=root / "settings.toml")
        except pipeline.BuildFailed:
            return  # a corpus validation refuses has no index; fuzz_build checks its problems
        paths = sorted((root / "site" / INDEX).rglob("*.js"))
        evaluated = read_with_node(paths)
        for path in paths:
            assert evaluated[str(path)] == index_data(path), path
