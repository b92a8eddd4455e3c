"""What a corpus rule is, and what it is given."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ..model import Corpus
from ..problems import Code, Report
from ..reading import Locate
from ..settings import Settings


@dataclass(frozen=True)
class Context:
    """A rule's view of the corpus, with what could not be read (so it can skip what depends on it)."""

    corpus: Corpus
    settings: Settings
    report: Report
    locate: Locate
    unread_dossiers: frozenset[str]  # stems of dossier files that could not be parsed
    sources_unread: bool             # sources.yaml could not be parsed (or is missing)
    parties_unread: bool = False     # parties.yaml exists but could not be parsed
    parties_display: str = ""        # where parties.yaml is (or would be)
    texts: Mapping[str, str] = field(default_factory=dict)  # display -> text of every YAML file read
    bibliography: str = ""           # the display of sources.yaml
    on_disk: bool = True             # the files were read from disk (False: from git objects, for diff)


@dataclass(frozen=True)
class Rule:
    """A rule over the whole corpus: its name, the codes it reports, and the function that checks."""

    name: str
    codes: tuple[Code, ...]
    check: Callable[[Context], None]
