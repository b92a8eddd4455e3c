#!/usr/bin/env python3
"""What history costs a build: a synthetic git history of C commits over the generated corpus.

`python benchmarks/history.py [--dossiers N] [--commits C] [--rounds R]` (defaults 100, 1000, 3):

1. generates the corpus (as run.py does: generate.py, then `check --strict`) and
   makes a git repository of it: the corpus is the first commit, and each
   further commit, written with one `git fast-import` at fixed dates a day
   apart, edits one dossier drawn from a seeded random: a claim's text (most),
   a locator, or a whole file re-indented (a commit that changes no value);
2. for R rounds, interleaved so all three see the same machine load:
     - no history: a cold build of a copy of the same folder outside any git
       checkout (a temporary folder; the baseline);
     - history, cold: a cold build of the repository with its history cache
       (`.sourcebook-cache/`) removed: the one pass over every commit;
     - history, warm: a cold build (output removed) with the cache in place;
3. prints the medians of wall and CPU time (user + system, of each child alone)
   and their ratios to the baseline taken within each round (a lone number of
   seconds says little on a shared machine), and writes
   work/history-results.json.

The build outputs of the three are checked to differ only where history shows
(changes/, the dates on company pages), by checking the history builds have
the changes pages and the baseline has none.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import run  # noqa: E402  (a sibling script: the corpus, the settings copy, measuring a child)

TEXT = re.compile(r'^(    text: ")(?P<text>[^"]*)(")$', re.M)
LOCATOR = re.compile(r'(locator: ")(?P<locator>[^"]*)(")')
START = 1_700_000_000   # the first commit's date (seconds since the epoch, UTC); then a day apart


def make_history(corpus: Path, repo: Path, commits: int, seed: int) -> None:
    """`repo` with the corpus's dossiers folder as its first commit and `commits - 1` edits after it."""
    if repo.exists():
        shutil.rmtree(repo)
    repo.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    folder = corpus / "dossiers"
    files = {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir()) if p.is_file()}
    dossiers = sorted(n for n in files if n.startswith("co-"))
    rng = random.Random(seed)
    stream: list[bytes] = []

    def blob(text: str) -> bytes:
        data = text.encode("utf-8")
        return b"data %d\n%s\n" % (len(data), data)

    def commit(k: int, message: str, changed: dict[str, str]) -> None:
        stream.append(b"commit refs/heads/main\n")
        stream.append(b"committer Bench <bench@example.org> %d +0000\n" % (START + 86400 * k))
        stream.append(blob(message))
        for name, text in sorted(changed.items()):
            stream.append(b"M 100644 inline dossiers/%s\n" % name.encode())
            stream.append(blob(text))
        stream.append(b"\n")

    commit(0, "The corpus", files)
    for k in range(1, commits):
        name = rng.choice(dossiers)
        text = files[name]
        roll = rng.random()
        if roll < 0.8:
            claims = list(TEXT.finditer(text))
            m = rng.choice(claims)
            new = f"{m['text'][:-1]} (revised {k})." if m["text"].endswith(".") else f"{m['text']} (revised {k})"
            text = text[:m.start("text")] + new + text[m.end("text"):]
            message = f"{name[:-5]}: a claim revised"
        elif roll < 0.9:
            found = list(LOCATOR.finditer(text))
            m = rng.choice(found)
            text = text[:m.start("locator")] + f"p. {k}" + text[m.end("locator"):]
            message = f"{name[:-5]}: a locator corrected"
        else:   # flow style to block style and back changes lines, never values
            text = text.replace("\n      - {id: ", "\n      -   {id: ") if "\n      - {id: " in text \
                else text.replace("\n      -   {id: ", "\n      - {id: ")
            message = f"{name[:-5]}: formatting"
        files[name] = text
        commit(k, message, {name: text})
    subprocess.run(["git", "-C", str(repo), "fast-import", "--quiet"], input=b"".join(stream), check=True)
    subprocess.run(["git", "-C", str(repo), "checkout", "-q", "-f", "main"], check=True)


def measure(cmd: list[str], out: Path) -> tuple[float, float]:
    """A cold build (its output removed first): (wall seconds, CPU seconds, user and system, of that child
    alone from wait4). The machines are shared: CPU time is what load changes least, so both are kept."""
    run.remove(out)
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=run.ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise run.ChildFailed(f"{' '.join(cmd)} exited {proc.returncode}\n{err.decode(errors='replace')[-4000:]}")
    return wall, usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--dossiers", type=int, default=100, metavar="N", help="dossiers in the corpus (default 100)")
    p.add_argument("--commits", type=int, default=1000, metavar="C", help="commits in the history (default 1000)")
    p.add_argument("--rounds", type=int, default=3, metavar="R", help="interleaved rounds (default 3)")
    p.add_argument("--seed", type=int, default=1, help="corpus and history seed (default 1)")
    p.add_argument("--work", type=Path, default=HERE / "work", metavar="DIR",
                   help="folder for corpora, outputs and results (default benchmarks/work)")
    args = p.parse_args(argv)
    if args.rounds < 1 or args.commits < 1:
        p.error("--rounds and --commits must be at least 1")
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    run.CONFIG = run.bench_config(work)
    corpus, manifest = run.corpus_for(work, args.dossiers, 10 * args.dossiers, args.seed)
    place = work / f"history-{args.dossiers}d-{args.commits}c"
    repo = place / "repo"
    plain = Path(tempfile.mkdtemp(prefix="sourcebook-history-bench-"))  # outside any git checkout
    print(f"making {args.commits} commits in {repo} ...", file=sys.stderr, flush=True)
    make_history(corpus, repo, args.commits, args.seed)
    shutil.copytree(repo / "dossiers", plain / "dossiers")
    # The settings file is the benchmark's copy, outside the repository: the cache goes beside it.
    cache = run.CONFIG.parent / ".sourcebook-cache"
    names = ("no_history", "history_cold", "history_warm")
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in names}
    try:
        for _ in range(args.rounds):
            runs["no_history"].append(measure(run.sourcebook_cmd(plain / "dossiers", place / "out-plain"),
                                              place / "out-plain"))
            run.remove(cache)
            runs["history_cold"].append(measure(run.sourcebook_cmd(repo / "dossiers", place / "out-history"),
                                                place / "out-history"))
            runs["history_warm"].append(measure(run.sourcebook_cmd(repo / "dossiers", place / "out-history"),
                                                place / "out-history"))
    except run.ChildFailed as e:
        print(f"benchmark failed: {e}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(plain)
    if (place / "out-plain/changes").exists() or not (place / "out-history/changes/index.html").exists():
        print("benchmark failed: the history build has no changes pages, or the baseline has", file=sys.stderr)
        return 1
    summary: dict[str, dict[str, float]] = {}
    for name in names:
        found: dict[str, float] = {}
        for i, measure_name in enumerate(("wall", "cpu")):
            found[f"median_{measure_name}_seconds"] = round(statistics.median(r[i] for r in runs[name]), 3)
            found[f"median_{measure_name}_ratio"] = round(statistics.median(
                r[i] / base[i] for r, base in zip(runs[name], runs["no_history"])), 3)
        summary[name] = found
    results = {"environment": run.environment(), "corpus": manifest, "commits": args.commits, "rounds": args.rounds,
               "summary": summary, "runs": {k: [{"wall": w, "cpu": c} for w, c in v] for k, v in runs.items()}}
    (work / "history-results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"{args.dossiers} dossiers, {args.commits} commits, {args.rounds} rounds: medians, and the ratio to the "
          "cold build without history taken within each round")
    print(f"  {'':<14} {'wall s':>8} {'ratio':>7} {'CPU s':>8} {'ratio':>7}")
    for name, found in summary.items():
        print(f"  {name:<14} {found['median_wall_seconds']:8.2f} {found['median_wall_ratio']:7.2f} "
              f"{found['median_cpu_seconds']:8.2f} {found['median_cpu_ratio']:7.2f}")
    print(f"wrote {work / 'history-results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
