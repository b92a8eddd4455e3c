"""URLs whose host mixes scripts (a Cyrillic "е" inside "reuters") are flagged with their punycode
form, so a reviewer sees the look-alike. A host written wholly in one non-Latin script is fine.

Scripts come from the `regex` package's Unicode Script property (Python's `unicodedata` has none);
the punycode form from the `idna` package (IDNA 2008 with UTS 46 mapping), not Python's built-in
IDNA 2003 codec, which accepts and maps characters IDNA 2008 forbids. Checked: every source's url,
other_urls and archive_url, and every link in Markdown text (which the Markdown parser hands over
in punycode: labels are decoded before their scripts are read).
"""
from __future__ import annotations

from urllib.parse import urlsplit

import idna
import regex

from ..problems import Code, Pos, shown
from ..text import find_links
from .rule import Context, Rule

MIXED_SCRIPT_HOST = Code("mixed-script-host", "a URL whose host mixes scripts, as look-alike domains do (warning)")

SCRIPTS = ("Latin", "Cyrillic", "Greek", "Armenian", "Georgian", "Hebrew", "Arabic", "Devanagari", "Bengali",
           "Tamil", "Thai", "Hangul", "Han", "Hiragana", "Katakana", "Bopomofo", "Ethiopic", "Cherokee")
# Mixes one writing system uses on its own (UTS 39's "highly restrictive" profile).
ALLOWED_MIXES = (frozenset({"Han", "Hiragana", "Katakana"}), frozenset({"Han", "Hangul"}),
                 frozenset({"Han", "Bopomofo"}))
_SCRIPT = {name: regex.compile(rf"\p{{Script={name}}}") for name in SCRIPTS}
_LETTER = regex.compile(r"[^\p{Script=Common}\p{Script=Inherited}]")


def scripts_of(label: str) -> frozenset[str]:
    """The scripts a host label's letters belong to ("Other" for a script not listed)."""
    found = set()
    for char in _LETTER.findall(label):
        found.add(next((name for name, pattern in _SCRIPT.items() if pattern.match(char)), "Other"))
    return frozenset(found)


def unicode_host(url: str) -> str:
    """A URL's host as a reader sees it: punycode labels (which Markdown links arrive as) decoded."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    labels = []
    for label in host.split("."):
        if label.startswith("xn--"):
            try:
                label = idna.decode(label)
            except (idna.IDNAError, UnicodeError):
                pass
        labels.append(label)
    return ".".join(labels)


def host_problem(url: str) -> str | None:
    """Why a URL's host looks forged, with its punycode form; None when its labels are each one script."""
    host = unicode_host(url)
    if host.isascii():
        return None
    mixed = [scripts_of(label) for label in host.split(".")]
    bad = next((s for s in mixed if len(s) > 1 and not any(s <= allowed for allowed in ALLOWED_MIXES)), None)
    if bad is None:
        return None
    try:
        puny = idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError as e:
        puny = f"not a valid IDNA 2008 name: {e}"
    return f"host '{shown(host)}' mixes {' and '.join(sorted(bad))} letters ({puny}): check it is the site it claims to be"


def check(context: Context) -> None:
    report = context.report
    for source in context.corpus.sources:
        for what, url in (("url", source.url), *(("other_urls", u) for u in source.other_urls),
                          ("archive_url", source.archive_url)):
            problem = host_problem(url) if url else None
            if problem:
                report.warn(source.pos, MIXED_SCRIPT_HOST, f"source '{source.id}': {what}: {problem}")
    for dossier in context.corpus.dossiers:
        for statement in dossier.statements():
            for link in find_links(statement.text) if statement.text is not None else ():
                problem = host_problem(link.target)
                if problem:
                    report.warn(context.locate(statement.text_pos, unicode_host(link.target)), MIXED_SCRIPT_HOST,
                                f"a link in {statement.label}: {problem}")


RULE = Rule("homographs", (MIXED_SCRIPT_HOST,), check)
