#!/usr/bin/env python3
"""Time sourcebook against MkDocs on the same synthetic content, in one run.

`python benchmarks/run.py [--dossiers N] [--rounds R]` (or `make bench`):

1. generates the corpus with generate.py unless it already exists, and checks
   it is valid for sourcebook (`build.py check` must pass);
2. for R rounds, interleaved so both tools see the same machine load:
     - sourcebook cold build  (`build.py --out O -q`, O removed first)
     - MkDocs cold build      (`mkdocs build -q -d O2`, O2 removed first)
     - [MkDocs with its search plugin, with --mkdocs-search]
     - sourcebook one-dossier edit: one claim's text changed, rebuilt over the
       previous output; the new text must appear on the company page and on the
       cited source's page, and the old text must be gone (else the run fails);
   the order of the cold builds alternates between rounds;
3. prints medians, min/max, the MkDocs/sourcebook ratios, the size of each
   tool's output (files, bytes, pages) and the search index's sizes
   (postings, snippet store, gzip) for the corpus and for the shipped
   dossiers, and writes benchmarks/work/results.json (and a copy named after
   the corpus).

Each child's time is wall-clock (time.perf_counter around spawn and exit) and
its memory is its own peak RSS, from os.wait4() on that child alone. The
machines are shared and noisy, so read the ratios: a ratio is taken within one
round, when both tools ran under the same conditions.
"""
from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import platform
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402  (a sibling script, not a package)

BIN = ROOT / ".venv" / "bin"
PYTHON = BIN / "python" if (BIN / "python").exists() else Path(sys.executable)
MKDOCS = BIN / "mkdocs" if (BIN / "mkdocs").exists() else Path(shutil.which("mkdocs") or "mkdocs")
PROJECT_CONFIG = ROOT / "pyproject.toml"
CONFIG = PROJECT_CONFIG  # replaced in main() by a copy with a longer time budget (see bench_config)
TARGETS = {"cold_ratio": 20.0, "edit_seconds": 0.3, "peak_mib": 300.0}  # the roadmap's, at 1,000 dossiers


@dataclass
class Run:
    seconds: float
    peak_kib: int  # the child's own max RSS (Linux reports KiB)
    cpu_seconds: float = 0.0  # the child's own user + system CPU time: far steadier than wall time on a busy machine


@dataclass
class Size:
    """What a build wrote: regular files under the output folder and their bytes (apparent size)."""

    files: int
    bytes: int
    pages: int  # of which index.html pages


def output_size(out: Path) -> Size:
    files = pages = total = 0
    for path in out.rglob("*"):
        if path.is_file() and not path.is_symlink():
            files += 1
            total += path.stat().st_size
            pages += path.name == "index.html"
    return Size(files, total, pages)


class ChildFailed(Exception):
    pass


def measure(cmd: list[str], cwd: Path) -> Run:
    """Run one child; its wall time and its own peak RSS (from wait4 on that pid only)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)  # already reaped: keep Popen from waiting
        if proc.returncode != 0:
            err.seek(0)
            out.seek(0)
            raise ChildFailed(f"{' '.join(cmd)} exited {proc.returncode}\n"
                              f"{out.read().decode(errors='replace')[-2000:]}"
                              f"{err.read().decode(errors='replace')[-4000:]}")
    return Run(seconds, usage.ru_maxrss, usage.ru_utime + usage.ru_stime)


# --- the commands ---------------------------------------------------------------------------

def sourcebook_cmd(dossiers: Path, out: Path, *extra: str) -> list[str]:
    return [str(PYTHON), "build.py", "--dossiers", str(dossiers), "--out", str(out),
            "--config", str(CONFIG), "-q", *extra]


def mkdocs_cmd(config: Path, out: Path) -> list[str]:
    return [str(MKDOCS), "build", "-q", "-f", str(config), "-d", str(out)]


def remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def cold(cmd: list[str], cwd: Path, out: Path) -> Run:
    remove(out)
    return measure(cmd, cwd)


# --- the one-dossier edit -------------------------------------------------------------------

CLAIM_TEXT = re.compile(r'^    text: "(?P<text>[^"]*)"$', re.M)
CITED = re.compile(r"^      - (?:\{id: )?(?P<id>src-\d+)", re.M)


@dataclass
class Edit:
    dossier: str
    source: str
    old: str
    new: str


def edit_one_claim(dossiers: Path, dossier_id: str, marker: str) -> tuple[Edit, bytes]:
    """Rewrite the first claim's text in one dossier; returns the edit and the original bytes."""
    path = dossiers / f"{dossier_id}.yaml"
    original = path.read_bytes()
    text = original.decode("utf-8")
    match = CLAIM_TEXT.search(text)
    cited = CITED.search(text, match.end()) if match else None
    if not match or not cited:
        raise SystemExit(f"{path}: no claim text to edit (was the corpus made by generate.py?)")
    new = f"Edited for the benchmark: {marker}."
    path.write_text(text[:match.start("text")] + new + text[match.end("text"):], encoding="utf-8")
    old = match.group("text").split(" See also [[")[0]  # the part that renders as typed
    return Edit(dossier_id, cited.group("id"), old, new), original


def check_edit(out: Path, edit: Edit) -> None:
    """The rebuilt site shows the new text where a reader would look, and not the old one."""
    company = (out / "companies" / edit.dossier / "index.html").read_text(encoding="utf-8")
    source = (out / "sources" / edit.source / "index.html").read_text(encoding="utf-8")
    problems = []
    if edit.new not in company:
        problems.append(f"companies/{edit.dossier}/: the edited text is missing")
    if edit.old in company:
        problems.append(f"companies/{edit.dossier}/: the old text is still there")
    if edit.new not in source:
        problems.append(f"sources/{edit.source}/: the edited text is missing from the citing list")
    if problems:
        raise ChildFailed("one-dossier edit not rebuilt correctly: " + "; ".join(problems))


def edit_rebuild(dossiers: Path, out: Path, dossier_id: str, marker: str) -> Run:
    """Time a rebuild after a one-claim edit, over the output of the previous build."""
    edit, original = edit_one_claim(dossiers, dossier_id, marker)
    try:
        run = measure(sourcebook_cmd(dossiers, out), ROOT)
        check_edit(out, edit)
    finally:
        (dossiers / f"{dossier_id}.yaml").write_bytes(original)
    return run


# --- the search index's size -----------------------------------------------------------------

INDEX_DATA = re.compile(r"\.push\((.*)\);\n\Z", re.S)


def search_index_sizes(site: Path) -> dict[str, int]:
    """Bytes of static/search/ in a built site: the files, gzipped (level 6, each file, as a server
    sends it), the text indexed (UTF-8 of every doc's field texts), the postings (keys and doc lists)
    and the snippet store (labels and docs as stored: hrefs, field kinds, texts, JSON punctuation)."""
    out = {"files": 0, "bytes": 0, "gzip": 0, "text": 0, "postings": 0, "store": 0}
    for path in sorted((site / "static" / "search").rglob("*.js")):
        raw = path.read_bytes()
        out["files"] += 1
        out["bytes"] += len(raw)
        out["gzip"] += len(gzip.compress(raw, 6, mtime=0))
        data = json.loads(INDEX_DATA.search(raw.decode("utf-8")).group(1))
        if "docs" not in data:
            continue  # the manifest
        out["text"] += sum(len(value.encode()) for doc in data["docs"] for value in doc[3::2])
        out["postings"] += len(data["keys"].encode()) + len(data["postings"].encode())
        out["store"] += len(json.dumps([data["labels"], data["docs"]], ensure_ascii=False,
                                       separators=(",", ":")).encode())
    return out


def shipped_index_sizes(work: Path) -> dict[str, int]:
    """The search index of the shipped dossiers (one quick build)."""
    out = work / "out-shipped"
    remove(out)
    measure(sourcebook_cmd(ROOT / "dossiers", out), ROOT)
    return search_index_sizes(out)


# --- the rounds -----------------------------------------------------------------------------

LABELS = {
    "sourcebook_cold": "sourcebook, cold build",
    "mkdocs_cold": "MkDocs, cold build (no search)",
    "mkdocs_search_cold": "MkDocs, cold build (with search)",
    "sourcebook_edit": "sourcebook, one-dossier edit",
    "sourcebook_cold_no_zip": "sourcebook, cold, --no-offline-zip",
}
OFFLINE_ALLOWED = 0.5  # the offline copy and its zip may add at most half of a cold build's time


def run_rounds(corpus: Path, work: Path, rounds: int, with_search: bool,
               manifest: dict[str, object], sizes: dict[str, Size],
               index_sizes: dict[str, int]) -> dict[str, list[Run]]:
    dossiers = corpus / "dossiers"
    sb_out, mk_out = work / "out-sourcebook", work / "out-mkdocs"
    mk_yml, mk_search_yml = corpus / "mkdocs" / "mkdocs.yml", corpus / "mkdocs" / "mkdocs-search.yml"
    edited = f"co-{int(manifest['dossiers']) // 2:05d}"
    runs: dict[str, list[Run]] = {key: [] for key in LABELS if with_search or key != "mkdocs_search_cold"}

    def sourcebook() -> None:
        runs["sourcebook_cold"].append(cold(sourcebook_cmd(dossiers, sb_out), ROOT, sb_out))
        sizes["sourcebook"] = output_size(sb_out)  # the output is deterministic: the same every round
        if not index_sizes:  # measured once, on a cold build of the unedited corpus
            index_sizes.update(search_index_sizes(sb_out))
        runs["sourcebook_edit"].append(edit_rebuild(dossiers, sb_out, edited, f"round {len(runs['sourcebook_edit'])}"))
        no_zip = work / "out-sourcebook-no-zip"
        runs["sourcebook_cold_no_zip"].append(cold(sourcebook_cmd(dossiers, no_zip, "--no-offline-zip"), ROOT, no_zip))
        remove(no_zip)

    def mkdocs() -> None:
        runs["mkdocs_cold"].append(cold(mkdocs_cmd(mk_yml, mk_out), mk_yml.parent, mk_out))
        sizes["mkdocs"] = output_size(mk_out)
        if with_search:
            runs["mkdocs_search_cold"].append(cold(mkdocs_cmd(mk_search_yml, mk_out), mk_yml.parent, mk_out))

    for r in range(rounds):
        order = (sourcebook, mkdocs) if r % 2 == 0 else (mkdocs, sourcebook)
        for step in order:
            step()
        print(f"round {r + 1}/{rounds}: " + ", ".join(f"{k} {v[-1].seconds:.2f} s" for k, v in runs.items()),
              file=sys.stderr, flush=True)
    check_page_counts(sb_out, mk_out, int(manifest["pages"]))
    return runs


SHARED = re.compile(r"(?:(?:about|graph|sources|companies/[^/]+|sources/[^/]+)/)?index\.html")


def check_page_counts(sb_out: Path, mk_out: Path, pages: int) -> None:
    """Both tools must have written the same pages, or the comparison is not fair. sourcebook also
    writes the cross-company pages (topics, sectors, timeline, comparison, sources by kind), which the
    MkDocs project does not have, and the data page, which documents data exports MkDocs does not make:
    only the pages both have are compared, the rest are reported."""
    sb = sum(1 for p in sb_out.rglob("index.html") if SHARED.fullmatch(p.relative_to(sb_out).as_posix()))
    mk = sum(1 for p in mk_out.rglob("index.html") if p.parent.name != "404")
    if sb != pages or mk != pages:
        raise ChildFailed(f"page counts differ: expected {pages}, sourcebook wrote {sb}, MkDocs wrote {mk}")


# --- the report -----------------------------------------------------------------------------

def summarise(runs: dict[str, list[Run]]) -> dict[str, object]:
    out: dict[str, object] = {}
    for key, rs in runs.items():
        secs = [r.seconds for r in rs]
        mib = [r.peak_kib / 1024 for r in rs]
        out[key] = {"median_s": statistics.median(secs), "min_s": min(secs), "max_s": max(secs),
                    "cpu_median_s": statistics.median(r.cpu_seconds for r in rs),
                    "peak_mib_median": statistics.median(mib), "peak_mib_max": max(mib)}
    ratios: dict[str, object] = {}
    sb = [r.seconds for r in runs["sourcebook_cold"]]
    for key in ("mkdocs_cold", "mkdocs_search_cold"):
        if key in runs:
            per_round = [m.seconds / s.seconds for m, s in zip(runs[key], runs["sourcebook_cold"])]
            ratios[f"{key}/sourcebook_cold"] = {
                "median_of_rounds": statistics.median(per_round), "min": min(per_round), "max": max(per_round),
                "of_medians": statistics.median(r.seconds for r in runs[key]) / statistics.median(sb)}
    per_round = [e.seconds / s.seconds for e, s in zip(runs["sourcebook_edit"], runs["sourcebook_cold"])]
    ratios["sourcebook_edit/sourcebook_cold"] = {"median_of_rounds": statistics.median(per_round),
                                                 "min": min(per_round), "max": max(per_round)}
    # what the offline copy adds: (cold - cold without it) / cold without it, per round, in wall-clock
    # time and in CPU time (user + system), which other work on a shared machine moves less
    for unit, of in (("", lambda r: r.seconds), ("_cpu", lambda r: r.cpu_seconds)):
        per_round = [(of(c) - of(n)) / of(n) for c, n in zip(runs["sourcebook_cold"], runs["sourcebook_cold_no_zip"])]
        ratios[f"offline_copy/sourcebook_cold_no_zip{unit}"] = {
            "median_of_rounds": statistics.median(per_round), "min": min(per_round), "max": max(per_round)}
    out["ratios"] = ratios
    return out


def environment() -> dict[str, object]:
    def output(cmd: list[str]) -> str:
        try:
            return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=60).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return "unknown"

    return {"date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "cpus": os.cpu_count(), "load_average_before": os.getloadavg(),
            "platform": platform.platform(), "python": output([str(PYTHON), "--version"]),
            "mkdocs": output([str(MKDOCS), "--version"]),
            "sourcebook_commit": output(["git", "rev-parse", "--short", "HEAD"]),
            "sourcebook_tree_dirty": bool(output(["git", "--no-optional-locks", "status", "--porcelain", "--", "src", "templates"]))}


def print_index_sizes(sizes: dict[str, dict[str, int]]) -> None:
    def kib(n: int) -> str:
        return f"{n / 1024:,.0f} KiB" if n >= 10 * 1024 else f"{n / 1024:,.1f} KiB"

    print(f"\nsearch index (static/search/){'':8} {'files':>6} {'on disk':>11} {'gzip':>11} {'text':>11} "
          f"{'postings':>11} {'of text':>8} {'snippets':>11}")
    for label, s in sizes.items():
        print(f"{label:38} {s['files']:6} {kib(s['bytes']):>11} {kib(s['gzip']):>11} {kib(s['text']):>11} "
              f"{kib(s['postings']):>11} {s['postings'] / max(s['text'], 1):7.0%} {kib(s['store']):>11}")


def print_table(summary: dict[str, object], manifest: dict[str, object], env: dict[str, object],
                rounds: int, sizes: dict[str, Size]) -> None:
    print(f"\n{manifest['dossiers']} dossiers, {manifest['sources']} sources, {manifest['pages']} pages, "
          f"{manifest['citations']} citations; {rounds} rounds; {env['cpus']} CPUs; {env['date']}")
    print(f"{'':34} {'median':>9} {'min':>9} {'max':>9} {'CPU':>9} {'peak RSS':>10}")
    for key, label in LABELS.items():
        if key in summary:
            s = summary[key]
            assert isinstance(s, dict)
            print(f"{label:34} {s['median_s']:8.2f}s {s['min_s']:8.2f}s {s['max_s']:8.2f}s "
                  f"{s['cpu_median_s']:8.2f}s {s['peak_mib_max']:6.0f} MiB")
    print()
    for tool, size in sizes.items():
        print(f"{tool + ' output':34} {size.files:9,} files {size.bytes / 2**20:9.1f} MiB "
              f"({size.bytes:,} bytes, {size.pages:,} pages)")
    ratios = summary["ratios"]
    assert isinstance(ratios, dict)
    print()
    for key, r in ratios.items():
        extra = f", ratio of medians {r['of_medians']:.2f}" if "of_medians" in r else ""
        print(f"{key:40} {r['median_of_rounds']:6.2f}x (rounds {r['min']:.2f}-{r['max']:.2f}{extra})")
    sb, edit = summary["sourcebook_cold"], summary["sourcebook_edit"]
    assert isinstance(sb, dict) and isinstance(edit, dict)
    wall, cpu = ratios["offline_copy/sourcebook_cold_no_zip"], ratios["offline_copy/sourcebook_cold_no_zip_cpu"]
    print(f"\nthe offline copy and zip add {wall['median_of_rounds']:.0%} to a cold build's time (rounds "
          f"{wall['min']:.0%} to {wall['max']:.0%}) and {cpu['median_of_rounds']:.0%} to its CPU time (rounds "
          f"{cpu['min']:.0%} to {cpu['max']:.0%}); allowed: {OFFLINE_ALLOWED:.0%}")
    cold_ratio = ratios["mkdocs_cold/sourcebook_cold"]["median_of_rounds"]
    print(f"\nroadmap targets at 1,000 dossiers: cold >= {TARGETS['cold_ratio']:g}x faster than MkDocs "
          f"(now {cold_ratio:.2f}x); edit <= {TARGETS['edit_seconds']:g} s (now {edit['median_s']:.2f} s); "
          f"peak <= {TARGETS['peak_mib']:g} MiB (now {max(sb['peak_mib_max'], edit['peak_mib_max']):.0f} MiB)")


def profile(corpus: Path, work: Path, top: int = 25) -> None:
    """One cold sourcebook build under cProfile; print the top functions by cumulative and own time."""
    out, stats_file = work / "out-profile", work / "profile.prof"
    remove(out)
    cmd = [str(PYTHON), "-m", "cProfile", "-o", str(stats_file), *sourcebook_cmd(corpus / "dossiers", out)[1:]]
    run = measure(cmd, ROOT)
    remove(out)
    print(f"\ncProfile of one cold sourcebook build ({run.seconds:.2f} s with profiling; {stats_file}):")
    stats = pstats.Stats(str(stats_file), stream=sys.stdout)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(15)


# --- main -----------------------------------------------------------------------------------

def corpus_for(work: Path, n_dossiers: int, n_sources: int, seed: int) -> tuple[Path, dict[str, object]]:
    """The corpus folder, generated unless an identical one is already there."""
    corpus = work / f"corpus-{n_dossiers}d-{n_sources}s"
    try:
        manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = {}
    wanted = {"format": generate.FORMAT, "dossiers": n_dossiers, "sources": n_sources, "seed": seed}
    if any(manifest.get(k) != v for k, v in wanted.items()):
        print(f"generating {corpus} ...", file=sys.stderr, flush=True)
        manifest = generate.generate(corpus, n_dossiers, n_sources, seed, CONFIG)
    check = subprocess.run([str(PYTHON), "build.py", "check", "--dossiers", str(corpus / "dossiers"),
                            "--config", str(CONFIG), "--strict", "-q"], cwd=ROOT, capture_output=True, text=True)
    if check.returncode != 0:
        raise SystemExit(f"the corpus is not valid for sourcebook:\n{check.stderr[-4000:]}")
    return corpus, manifest


def bench_config(work: Path) -> Path:
    """The project's settings, with seconds_per_file raised to 300: the budget is a guard against hostile
    input, charged in wall-clock time, and on a shared machine reading the 10,000-source bibliography
    (about 3 MB) has taken more than its 10 s. Nothing else differs, so neither tool is favoured."""
    text = PROJECT_CONFIG.read_text(encoding="utf-8")
    text = re.sub(r"^seconds_per_file = .*$", "seconds_per_file = 300.0", text, flags=re.M)
    path = work / "bench-pyproject.toml"
    path.write_text(text, encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--dossiers", type=int, default=1000, metavar="N", help="dossiers in the corpus (default 1000)")
    p.add_argument("--sources", type=int, metavar="S", help="sources in the bibliography (default 10 per dossier)")
    p.add_argument("--rounds", type=int, default=5, metavar="R", help="interleaved rounds (default 5)")
    p.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    p.add_argument("--work", type=Path, default=HERE / "work", metavar="DIR",
                   help="folder for corpora, outputs and results (default benchmarks/work)")
    p.add_argument("--mkdocs-search", action="store_true",
                   help="also time MkDocs with its default search plugin")
    p.add_argument("--profile", action="store_true",
                   help="afterwards, profile one cold sourcebook build with cProfile")
    args = p.parse_args(argv)
    if args.rounds < 1:
        p.error("--rounds must be at least 1")
    n_sources = args.sources if args.sources is not None else 10 * args.dossiers
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    global CONFIG
    CONFIG = bench_config(work)
    corpus, manifest = corpus_for(work, args.dossiers, n_sources, args.seed)
    env = environment()
    sizes: dict[str, Size] = {}
    corpus_index: dict[str, int] = {}
    try:
        runs = run_rounds(corpus, work, args.rounds, args.mkdocs_search, manifest, sizes, corpus_index)
    except ChildFailed as e:
        print(f"benchmark failed: {e}", file=sys.stderr)
        return 1
    summary = summarise(runs)
    index_sizes = {f"{manifest['dossiers']} synthetic dossiers": corpus_index,
                   "the shipped dossiers": shipped_index_sizes(work)}
    results = {"environment": env, "corpus": manifest, "rounds": args.rounds, "search_index": index_sizes,
               "edited_dossier": f"co-{args.dossiers // 2:05d}", "summary": summary,
               "output": {k: asdict(v) for k, v in sizes.items()},
               "runs": {k: [asdict(r) for r in v] for k, v in runs.items()}}
    text = json.dumps(results, indent=2) + "\n"
    (work / "results.json").write_text(text, encoding="utf-8")
    (work / f"results-{corpus.name.removeprefix('corpus-')}.json").write_text(text, encoding="utf-8")
    print_table(summary, manifest, env, args.rounds, sizes)
    print_index_sizes(index_sizes)
    print(f"\nwrote {work / 'results.json'}")
    if args.profile:
        profile(corpus, work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
