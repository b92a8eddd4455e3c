"""A company's share of a big topic (``topics/<topic>/<company>/``): written only for a topic with
more entries than `topic_page_size`, whose own page then lists the companies (see `topic`)."""
from __future__ import annotations

from collections.abc import Iterator

from ..reads import Inputs, Reads
from ..urls import Route
from ..views.citations import Numbering
from .family import Family, Page
from .topic import TopicView, company_group, is_split

ROUTE = Route("topics/{}/{}/")


def pages(inputs: Inputs) -> Iterator[Page]:
    for topic in inputs.settings.vocabulary("topics"):
        counts = inputs.indexes.topics.get(topic, ())
        for dossier_id, count in counts:
            reads = Reads(inputs)
            if not is_split(reads.topic(topic), reads):
                break  # the topic fits on its own page
            label = reads.vocabulary("topics")[topic]
            numbering = Numbering(reads)
            group = company_group(topic, dossier_id, count, True, numbering, reads)
            name = group.head.name
            view = TopicView(topic, label, inputs.target("topic", topic), inputs.target("topics"), name,
                             sum(n for _, n in counts), True, (group,), numbering.references())
            yield Page(ROUTE.path((topic, dossier_id)), "topic-part", "topic.html", f"{label}: {name}", view, reads,
                       description=f"{label}: the {count} sourced claims and events of {name}, each with its "
                                   "citations.")


FAMILY = Family("topic-part", ROUTE, "topic.html", pages)
