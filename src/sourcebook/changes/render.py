"""A comparison `Report` as a reviewer reads it: text (a terminal, a CI log), Markdown (a pull-request
comment, a job summary) or JSON (tools). Rendering only: `compare` has computed everything.

Every text from a dossier is printed on one line after a label of ours, so
it can never start a line. CI logs also read `::command::` at a line's start
(after spaces) and `##[command]` anywhere as workflow commands
(GitHub Actions: annotations, masks, ``::stop-commands::`` that silence the
rest): `problems.log_safe` defuses both in text output, JSON writes `#` of ``##[`` as
``\\u0023`` (the same string once parsed), and Markdown escapes every ASCII
punctuation character, so contributed text can neither forge a command nor
add markup, links, images or mentions to a comment.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator

from ..problems import Problem, log_safe
from .compare import (Cited, DossierReport, EntryReport, FieldChange, PagesReport, RecordReport, Report,
                      SettingChange, SideReport)
from .words import Words

FORMATS = ("text", "markdown", "json")
ARROW = "→"
MARKS = {"added": "+", "removed": "-", "changed": "~", "edited": "~", "renamed": ">", "possibly renamed": "?"}
PAGES_SHOWN = 200   # pages listed by name; the rest are counted


def render(report: Report, form: str, max_bytes: int | None = None) -> str:
    if form == "json":
        return as_json(report)
    render_one = as_markdown if form == "markdown" else as_text
    out = render_one(report, True)
    if max_bytes is not None and len(out.encode("utf-8")) > max_bytes:
        out = _cut(render_one(report, False), max_bytes, form)
    return out


def _cut(out: str, max_bytes: int, form: str) -> str:
    """Over the limit even without details (GitHub takes 1 MiB of job summary): cut at a line, and say so."""
    note = ("\n… the report is cut here to keep under {} bytes: run `sourcebook diff` for the whole of it\n"
            .format(max_bytes))
    if form == "markdown":
        note = note.replace("`sourcebook diff`", "`sourcebook diff` locally")
    if len(out.encode("utf-8")) <= max_bytes:
        return out
    budget = max_bytes - len(note.encode("utf-8"))
    kept = out.encode("utf-8")[:max(budget, 0)].decode("utf-8", "ignore")
    return kept[: kept.rfind("\n") + 1] + note.lstrip("\n")


# --- text ---------------------------------------------------------------------------------------

def as_text(report: Report, details: bool = True) -> str:
    lines = ["sourcebook diff", _side_line(report.base), _side_line(report.target), "", "summary: " + _summary(report)]
    for side, problems, what in shown_problems(report):
        lines += ["", f"problems in the {what} ({_problem_counts(side, problems)}):"]
        lines += [f"  {p}" for p in problems]
    for dossier in report.dossiers:
        lines += ["", f"dossier {dossier.id} ({dossier.name}): {dossier.change}"]
        lines += [f"  {line}" for line in _fields_text(dossier.fields)]
        for entry in dossier.entries:
            lines += [f"  {_entry_head(entry)}"]
            if details:
                lines += [f"      {line}" for line in _entry_text(entry)]
    for name, records in (("sources.yaml", report.sources), ("parties.yaml", report.parties)):
        if records:
            lines += ["", f"{name}:"]
            for record in records:
                lines += [f"  {_record_head(record)}"]
                if details:
                    lines += [f"      {line}" for line in _fields_text(record.fields)]
    if report.settings:
        lines += ["", "settings:"]
        for setting in report.settings:
            lines += [f"  {line}" for line in _setting_text(setting)]
    if report.about:
        lines += ["", f"about.md: {_words_text(report.about.words.elided())}" if report.about.words else "about.md"]
    lines += ["", *_pages_text(report.pages, report)]
    return log_safe("\n".join(lines) + "\n")


def _side_line(side: SideReport) -> str:
    role = f"{side.role}:".ljust(8)
    return f"{role}{_side_name(side)}: {side.folder} ({side.dossiers} dossiers, {side.sources} sources; " \
           f"settings {side.settings_path})"


def _side_name(side: SideReport) -> str:
    if side.commit is None:
        return side.label
    if side.label == "the working tree":
        return f"the working tree (on commit {side.commit})"
    return f"{side.label} (commit {side.commit})"


def shown_problems(report: Report) -> list[tuple[SideReport, tuple[Problem, ...], str]]:
    """The problems a review needs to see: each side's errors (a side with errors does not validate),
    and the target's warnings and notices that the base did not already have (the same file, code and
    message): what the change brought. Problems both sides share, such as a missing schema line in every
    file, are check's to report; the JSON report keeps every problem of both sides."""
    shown = []
    base_keys = {_problem_key(p, report.base) for p in report.base.problems}
    for side in (report.base, report.target):
        problems = tuple(p for p in side.problems if p.severity == "error"
                         or (side is report.target and _problem_key(p, side) not in base_keys))
        if problems:
            shown.append((side, problems, side.role))
    return shown


def _problem_key(p: Problem, side: SideReport) -> tuple[str, str, str]:
    """A problem as both sides can share it: its file within the side's folder, its code, its message."""
    path, message = p.pos.path, p.message
    if side.folder and path.startswith(side.folder):
        path = path[len(side.folder):]
    elif ":" in path and not path.startswith("/"):
        path = path.split(":", 1)[1]  # rev:path
    return (path, str(p.code), message.replace(side.folder, "") if side.folder else message)


def _problem_counts(side: SideReport, problems: tuple[Problem, ...]) -> str:
    new = " new" if side.role == "target" else ""
    counts = [f"{n}{new if severity != 'error' else ''} {severity}{'s' if n != 1 else ''}"
              for severity in ("error", "warning", "notice")
              if (n := sum(1 for p in problems if p.severity == severity))]
    verdict = "; it does not validate, so its pages are not compared (check is the gate)" if side.errors else ""
    return ", ".join(counts) + verdict


def _summary(report: Report) -> str:
    parts = []
    if dossiers := _counts(d.change for d in report.dossiers):
        parts.append(f"dossiers {dossiers}")
    if entries := _counts(e.change for d in report.dossiers for e in d.entries):
        parts.append(f"entries {entries}")
    if weaker := sum(1 for d in report.dossiers for e in d.entries if e.weaker):
        parts.append(f"{weaker} with weaker sourcing")
    for name, records in (("sources", report.sources), ("parties", report.parties)):
        if records:
            parts.append(f"{name} {_counts(r.change for r in records)}")
    if report.settings:
        parts.append(f"settings {len(report.settings)} changed")
    if report.about:
        parts.append("about.md changed")
    if report.empty:
        parts.append("no differences in the dossiers, sources, parties or settings")
    pages = report.pages
    if pages.computed:
        changes = ["added"] * len(pages.added) + ["removed"] * len(pages.removed) + ["changed"] * len(pages.changed)
        parts.append(f"pages {_counts(changes) or 'unchanged'}")
    return "; ".join(parts)


def _counts(changes: Iterable[str]) -> str:
    found = list(changes)
    order = ("added", "removed", "changed", "edited", "renamed", "possibly renamed")
    return ", ".join(f"{found.count(c)} {c}" for c in order if c in found)


def _entry_head(entry: EntryReport) -> str:
    head = f"{MARKS[entry.change]} {entry.kind} {entry.id}: {entry.change}"
    if entry.change == "renamed":
        head += f" from {entry.old_id} (its former_ids)"
    elif entry.change == "possibly renamed":
        head += f" from {entry.old_id} (its content matches; list {entry.old_id} in former_ids to keep its permalink)"
    return head + (f" [{entry.where}]" if entry.where else "")


def _entry_text(entry: EntryReport) -> Iterator[str]:
    if entry.change in ("added", "removed"):
        placement = [f"{c.name} {c.new}" for c in entry.fields if c.name != "permalink"]
        if placement:
            yield "; ".join(placement)
        if entry.text:
            yield f"{'value' if entry.kind == 'profile fact' else 'text'}: {entry.text}"
        if entry.sources:
            yield f"sources: {_cited_list(entry.sources)}"
        yield from (f"permalink: {c.new}" for c in entry.fields if c.name == "permalink")
        return
    yield from _fields_text(entry.fields)
    if entry.status:
        yield f"status: {entry.status}"
    if entry.sources_added or entry.sources_removed:
        yield "sources: " + "; ".join([*(f"+{_cited(c)}" for c in entry.sources_added),
                                       *(f"-{_cited(c)}" for c in entry.sources_removed)])
    for c in entry.locators:
        yield f"locator of {c.name}: {c.old or '(none)'} {ARROW} {c.new or '(none)'}"
    if entry.weaker:
        yield "weaker sourcing: " + "; ".join(entry.weaker)
    yield from (f"response added: {r}" for r in entry.responses_added)
    yield from (f"response removed: {r}" for r in entry.responses_removed)


def _cited(c: Cited) -> str:
    return f"{c.id} ({c.locator})" if c.locator else c.id


def _cited_list(cited: Iterable[Cited]) -> str:
    return ", ".join(_cited(c) for c in cited)


def _fields_text(changes: Iterable[FieldChange]) -> Iterator[str]:
    for c in changes:
        if c.words is not None:
            yield f"{c.name}: {_words_text(c.words.elided())}"
        else:
            yield f"{c.name}: {c.old or '(none)'} {ARROW} {c.new or '(none)'}"


def _words_text(words: Words) -> str:
    marks = {"=": "{}", "-": "[-{}-]", "+": "{{+{}+}}"}
    return " ".join(marks[op].format(text) for op, text in words.runs)


def _record_head(record: RecordReport) -> str:
    cited = f"cited {record.cited_by} time{'s' if record.cited_by != 1 else ''}" if record.kind == "source" else ""
    return (f"{MARKS[record.change]} {record.kind} {record.id}: {record.change} \"{record.title}\""
            + (f" ({cited})" if cited else "") + (f" [{record.where}]" if record.where else ""))


def _setting_text(setting: SettingChange) -> Iterator[str]:
    if not (setting.added or setting.removed) and len(setting.changed) == 1 and setting.changed[0].name == setting.name:
        c = setting.changed[0]
        yield f"{setting.name}: {c.old or '(none)'} {ARROW} {c.new or '(none)'}"
        return
    yield f"{setting.name}:"
    yield from (f"  + {key}: {label}" for key, label in setting.added)
    yield from (f"  - {key}: {label}" for key, label in setting.removed)
    yield from (f"  ~ {c.name}: {c.old or '(none)'} {ARROW} {c.new or '(none)'}" for c in setting.changed)


def _pages_text(pages: PagesReport, report: Report) -> list[str]:
    if not pages.computed:
        broken = [s.role for s in (report.base, report.target) if s.errors]
        verb = "does" if len(broken) == 1 else "do"
        return [f"pages: not compared: the {' and the '.join(broken)} {verb} not validate"]
    lines = [f"pages, from the pages' recorded reads (nothing rendered): {len(pages.changed)} change, "
             f"{len(pages.added)} added, {len(pages.removed)} removed, {pages.unchanged} unchanged"]
    shown = [*(f"  + {p}" for p in pages.added), *(f"  - {p}" for p in pages.removed),
             *(f"  ~ {p.path} ({_reasons(p.reasons)})" for p in pages.changed)]
    lines += shown[:PAGES_SHOWN]
    if len(shown) > PAGES_SHOWN:
        lines.append(f"  … and {len(shown) - PAGES_SHOWN} more")
    return lines


def _reasons(reasons: tuple[str, ...]) -> str:
    return ", ".join(reasons[:3]) + (f", and {len(reasons) - 3} more" if len(reasons) > 3 else "")


# --- Markdown -------------------------------------------------------------------------------------

# What can make markup inline (a value never starts a line): emphasis, code, links and images (no "["
# means no link), HTML and entities, :emoji:, $math$, tables, strikethrough, headings.
_MD_PUNCTUATION = re.compile(r"([\\`*_{}\[\]<>#!|~:&$])")


def md(text: str) -> str:
    """Contributed text as Markdown that shows it and does nothing else: each character that could make
    markup backslash-escaped (no emphasis, links, images, HTML, :emoji:, math, tables), and a word joiner
    after each @ so no @mention notifies anyone."""
    return _MD_PUNCTUATION.sub(r"\\\1", text).replace("@", "@\u2060")


def code(text: str) -> str:
    """An id or a path in a code span: ids hold no backtick; anything else is escaped as text."""
    return f"`{text}`" if "`" not in text and text.strip() == text and text else md(text)


def as_markdown(report: Report, details: bool = True) -> str:
    lines = ["## sourcebook diff", "", f"**Base:** {_side_md(report.base)}  ",
             f"**Target:** {_side_md(report.target)}", "", f"**Summary:** {_summary(report)}"]
    for side, problems, what in shown_problems(report):
        lines += ["", f"> [!{'CAUTION' if side.errors else 'WARNING'}]",
                  f"> **Problems in the {what}** ({_problem_counts(side, problems)})", ">"]
        lines += [f"> - {md(str(p))}" for p in problems]
    for dossier in report.dossiers:
        lines += ["", f"### {code(dossier.id)} {md(dossier.name)}: {dossier.change}", ""]
        lines += [f"- {line}" for line in _fields_md(dossier.fields)]
        for entry in dossier.entries:
            lines += [f"- {_entry_head_md(entry)}"]
            if details:
                lines += [f"  - {line}" for line in _entry_md(entry)]
    for name, records in (("Sources", report.sources), ("Parties", report.parties)):
        if records:
            lines += ["", f"### {name}", ""]
            for record in records:
                lines += [f"- {_record_head_md(record)}"]
                if details:
                    lines += [f"  - {line}" for line in _fields_md(record.fields)]
    if report.settings:
        lines += ["", "### Settings", ""]
        for setting in report.settings:
            lines += [f"- {md(line.strip())}" if not line.startswith("  ") else f"  - {md(line.strip())}"
                      for line in _setting_text(setting)]
    if report.about and report.about.words:
        lines += ["", "### about.md", "", _words_md(report.about.words.elided())]
    lines += ["", "### Pages", "", *_pages_md(report.pages, report)]
    return log_safe("\n".join(lines) + "\n")


def _side_md(side: SideReport) -> str:
    name = md(side.label) if side.commit is None or side.label == "the working tree" else code(side.label)
    commit = f" (commit {code(side.commit)})" if side.commit else ""
    if side.label == "the working tree" and side.commit:
        commit = f" (on commit {code(side.commit)})"
    return (f"{name}{commit}: {code(side.folder)}, {side.dossiers} dossiers, {side.sources} sources; "
            f"settings {code(side.settings_path)}")


def _entry_head_md(entry: EntryReport) -> str:
    head = f"**{entry.kind} {code(entry.id)}**: {entry.change}"
    if entry.change == "renamed":
        head += f" from {code(entry.old_id or '')} (its `former_ids`)"
    elif entry.change == "possibly renamed":
        head += (f" from {code(entry.old_id or '')} (its content matches; list {code(entry.old_id or '')} in "
                 "`former_ids` to keep its permalink)")
    return head


def _entry_md(entry: EntryReport) -> Iterator[str]:
    if entry.change in ("added", "removed"):
        placement = [f"{c.name} {md(c.new or '')}" for c in entry.fields if c.name != "permalink"]
        if placement:
            yield "; ".join(placement)
        if entry.text:
            yield f"{'value' if entry.kind == 'profile fact' else 'text'}: {md(entry.text)}"
        if entry.sources:
            yield f"sources: {', '.join(_cited_md(c) for c in entry.sources)}"
        yield from (f"permalink: {md(c.new or '')}" for c in entry.fields if c.name == "permalink")
        return
    yield from _fields_md(entry.fields)
    if entry.status:
        yield f"status: **{entry.status}**"
    if entry.sources_added or entry.sources_removed:
        yield "sources: " + "; ".join([*(f"added {_cited_md(c)}" for c in entry.sources_added),
                                       *(f"removed {_cited_md(c)}" for c in entry.sources_removed)])
    for c in entry.locators:
        yield f"locator of {code(c.name)}: {md(c.old or '(none)')} {ARROW} {md(c.new or '(none)')}"
    if entry.weaker:
        yield "⚠️ **weaker sourcing**: " + md("; ".join(entry.weaker))
    yield from (f"response added: {md(r)}" for r in entry.responses_added)
    yield from (f"response removed: {md(r)}" for r in entry.responses_removed)


def _cited_md(c: Cited) -> str:
    return f"{code(c.id)} ({md(c.locator)})" if c.locator else code(c.id)


def _fields_md(changes: Iterable[FieldChange]) -> Iterator[str]:
    for c in changes:
        if c.words is not None:
            yield f"{c.name}: {_words_md(c.words.elided())}"
        else:
            yield f"{c.name}: {md(c.old or '(none)')} {ARROW} {md(c.new or '(none)')}"


def _words_md(words: Words) -> str:
    marks = {"=": "{}", "-": "<del>{}</del>", "+": "<ins>{}</ins>"}
    return " ".join(marks[op].format(md(text)) for op, text in words.runs)


def _record_head_md(record: RecordReport) -> str:
    cited = f" (cited {record.cited_by} time{'s' if record.cited_by != 1 else ''})" if record.kind == "source" else ""
    return f"**{record.kind} {code(record.id)}**: {record.change}: {md(record.title)}{cited}"


def _pages_md(pages: PagesReport, report: Report) -> list[str]:
    if not pages.computed:
        return [_pages_text(pages, report)[0]]  # our words and roles only
    lines = [f"From the pages' recorded reads (nothing rendered): {len(pages.changed)} change, "
             f"{len(pages.added)} added, {len(pages.removed)} removed, {pages.unchanged} unchanged."]
    shown = [*(f"- added {code(p)}" for p in pages.added), *(f"- removed {code(p)}" for p in pages.removed),
             *(f"- {code(p.path)} ({_reasons(p.reasons)})" for p in pages.changed)]
    if shown:
        lines += ["", "<details><summary>Pages that change</summary>", "", *shown[:PAGES_SHOWN]]
        if len(shown) > PAGES_SHOWN:
            lines.append(f"- … and {len(shown) - PAGES_SHOWN} more")
        lines += ["", "</details>"]
    return lines


# --- JSON -----------------------------------------------------------------------------------------

def as_json(report: Report) -> str:
    out = json.dumps(_report_json(report), indent=2, ensure_ascii=False) + "\n"
    return out.replace("##[", "#\\u0023[")  # ##[ only occurs inside strings: the same string once parsed


def _report_json(report: Report) -> dict:
    return {
        "base": _side_json(report.base),
        "target": _side_json(report.target),
        "empty": report.empty,
        "dossiers": [_dossier_json(d) for d in report.dossiers],
        "sources": [_record_json(r) for r in report.sources],
        "parties": [_record_json(r) for r in report.parties],
        "settings": [{"name": s.name, "added": [{"id": k, "label": v} for k, v in s.added],
                      "removed": [{"id": k, "label": v} for k, v in s.removed],
                      "changed": [_field_json(c) for c in s.changed]} for s in report.settings],
        "about": _field_json(report.about) if report.about else None,
        "pages": _pages_json(report.pages),
    }


def _side_json(side: SideReport) -> dict:
    return {"role": side.role, "label": side.label, "commit": side.commit, "folder": side.folder,
            "settings": side.settings_path, "dossiers": side.dossiers, "sources": side.sources,
            "errors": side.errors, "problems": [p.as_json() for p in side.problems]}


def _dossier_json(d: DossierReport) -> dict:
    return {"id": d.id, "name": d.name, "change": d.change, "where": d.where,
            "fields": [_field_json(c) for c in d.fields], "entries": [_entry_json(e) for e in d.entries]}


def _entry_json(e: EntryReport) -> dict:
    return {"kind": e.kind, "id": e.id, "change": e.change, "where": e.where, "old_id": e.old_id,
            "text": e.text, "sources": [_cited_json(c) for c in e.sources],
            "fields": [_field_json(c) for c in e.fields], "status": e.status,
            "sources_added": [_cited_json(c) for c in e.sources_added],
            "sources_removed": [_cited_json(c) for c in e.sources_removed],
            "locators": [{"source": c.name, "old": c.old, "new": c.new} for c in e.locators],
            "responses_added": list(e.responses_added), "responses_removed": list(e.responses_removed),
            "weaker": list(e.weaker)}


def _cited_json(c: Cited) -> dict:
    return {"id": c.id, "locator": c.locator}


def _field_json(c: FieldChange) -> dict:
    out: dict = {"name": c.name, "old": c.old, "new": c.new}
    if c.words is not None:
        out["words"] = [[op, text] for op, text in c.words.runs]
    return out


def _record_json(r: RecordReport) -> dict:
    out = {"kind": r.kind, "id": r.id, "change": r.change, "where": r.where, "title": r.title,
           "fields": [_field_json(c) for c in r.fields]}
    if r.kind == "source":
        out["cited_by"] = r.cited_by
    return out


def _pages_json(pages: PagesReport) -> dict:
    return {"computed": pages.computed, "added": list(pages.added), "removed": list(pages.removed),
            "changed": [{"path": p.path, "reasons": list(p.reasons)} for p in pages.changed],
            "unchanged": pages.unchanged}
