"""The relationship graph's drawing: a layered layout, computed at build time, in integer pixels.

`draw(graph)` takes companies (the *centres*), the outside parties and other
companies they are tied to (the *outers*) and the ties, and returns a frozen
`Drawing`: every node, edge and label with integer coordinates, which a
template prints as inline SVG (autoescaped, no script, no layout in the
browser). The same input gives the same drawing: every order is sorted on
values, never on hashes.

The layout, left to right: outers grouped by relationship type (the first
type in vocabulary order that ties them, so one party is one node), their
labels right-aligned against their nodes; a lane for the edges; the centres
in one column, each a box holding its name and one *port* per type of tie
that reaches it from that side (the edge's type label: an edge ends at the
word "Supplier" inside Dahua's box); a lane; the other groups. The groups
are split between the two sides in vocabulary order, where the two columns
come out nearest in height. Within a group, outers are ordered by the mean
height of the ports they reach (a barycentre pass, which keeps most edges
short), then by name. Ties between two centres are arcs in the lane on the
side of their type.

*Labels never overlap.* The build cannot know the reader's font, so each
line of a label is given a drawn width (`textLength` with
``lengthAdjust="spacing"``) from a conservative estimate: advance widths
measured from DejaVu Sans (the widest of the common sans-serif UI fonts; the
one Debian's Chromium uses here), plus 3 %, and a full em for every Chinese
character and every character the table does not know. Its height is taken
from the tallest common metrics (Noto Sans CJK's ascender, 1.15 em). Lines
are placed so that no two label boxes, and no label and a node other than
its own, intersect (tests check every drawing of the shipped site, from the
built SVG and from the boxes Chromium draws).
"""
from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from . import anchors
from .text import chinese_runs, is_chinese
from .urls import Target

FONT_PX = 13          # every label's font size (printed on the <svg> as font-size)
LINE_PX = 20          # the distance between two baselines
ASCENT_PX = 15        # a line's box above its baseline: 1.15 em (Noto Sans CJK's ascender; DejaVu's is 0.93)
DESCENT_PX = 4        # ... and below it: 0.29 em (Chromium here draws Latin and Chinese lines 12 above, 3 below)
MARGIN = 8            # around the drawing
GAP = 8               # between a node and its label
RADIUS = 4            # an outer node's circle
PAD = 8               # inside a centre's box, around its labels
PORT_GAP = 16         # between a left and a right port label sharing a row
ROW_GAP = 2           # between two outers (each line takes LINE_PX)
GROUP_GAP = 14        # above a group's heading
CENTRE_GAP = 24       # at least, between two centres
MAX_LABEL = 200       # a label wider than this wraps
MIN_LANE, MAX_LANE = 56, 200   # the edges' lanes beside the centres: what the width aimed at leaves, within these
ESTIMATE_MARGIN = 1.03         # over DejaVu's advances: kerning and hinting never make a line wider than this
BOLD_KINDS = frozenset({"centre", "heading"})

# Advance widths of U+0020..U+007E in thousandths of an em, measured in Chromium with canvas
# measureText at 1000 px: DejaVu Sans Book and Bold.
_ASCII = 32
_REGULAR = tuple(int(w) for w in (
    "318 401 460 838 636 950 780 275 390 390 500 838 318 361 318 337 636 636 636 636 636 636 636 636 636 636 "
    "337 337 838 838 838 531 1000 684 686 698 770 632 575 775 752 295 295 656 557 863 748 787 603 787 695 635 "
    "611 732 684 989 685 611 685 390 337 390 838 500 500 613 635 550 635 615 352 635 634 278 278 579 278 974 "
    "634 612 635 635 411 521 392 634 592 818 592 592 525 636 337 636 838").split())
_BOLD = tuple(int(w) for w in (
    "348 456 521 838 696 1002 872 306 457 457 523 838 380 415 380 365 696 696 696 696 696 696 696 696 696 696 "
    "400 400 838 838 838 580 1000 774 762 734 830 683 683 821 837 372 372 775 637 995 837 850 733 850 770 720 "
    "682 812 774 1103 771 724 725 457 365 457 838 500 500 675 716 593 716 678 435 716 712 343 343 665 343 1042 "
    "712 687 716 716 493 595 478 712 652 924 645 652 582 712 365 712 838").split())
_EM = 1000


# --- the input --------------------------------------------------------------------------

Key = tuple[str, str]   # ("dossier", id) or ("party", id): a party and a dossier may share an id


@dataclass(frozen=True)
class Centre:
    """A company drawn in the middle column, with its ports."""

    key: Key
    name: str
    target: Target | None   # where its box links to (None: not a link, e.g. the page's own company)


@dataclass(frozen=True)
class Outer:
    """A party, or another company, tied to a centre."""

    key: Key
    name: str
    target: Target | None   # a company's page; None for an outside party (it has no page)


@dataclass(frozen=True)
class Tie:
    """One relationship: recorded in `centre`'s dossier, naming `other`, of type `kind`."""

    centre: Key
    other: Key              # an outer's key, or another centre's
    kind: str               # a relationship type id
    standing: str           # "established", "reported" or "ended"
    status: str | None      # "contested", "unconfirmed" or None
    target: Target          # the cited relationship on its dossier's page
    name: str               # the link's accessible name


@dataclass(frozen=True)
class Graph:
    title: str
    kinds: tuple[tuple[str, str], ...]   # relationship type id -> label, in vocabulary order
    centres: tuple[Centre, ...]          # top to bottom
    outers: tuple[Outer, ...]
    ties: tuple[Tie, ...]                # in the order their links are read (the lists' order)
    width: int                           # the width to aim at; lanes narrow to fit it


# --- the drawing ------------------------------------------------------------------------

@dataclass(frozen=True)
class Box:
    x: int
    y: int
    width: int
    height: int

    @property
    def right(self) -> int:
        return self.x + self.width


@dataclass(frozen=True)
class Point:
    x: int
    y: int


@dataclass(frozen=True)
class Run:
    text: str
    chinese: bool           # printed with lang="zh"


@dataclass(frozen=True)
class Line:
    """One line of a label; its box is x .. x + width, baseline - ASCENT_PX .. baseline + DESCENT_PX."""

    x: int
    baseline: int
    width: int              # the drawn width (textLength)
    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class Label:
    kind: str               # "centre", "port", "outer" or "heading" (bold: centre, heading)
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class CentreNode:
    key: Key
    name: str
    target: Target | None
    box: Box
    label: Label
    ports: tuple[Label, ...]


@dataclass(frozen=True)
class OuterNode:
    key: Key
    name: str
    target: Target | None
    centre: Point
    radius: int
    label: Label


@dataclass(frozen=True)
class Edge:
    """A cubic Bézier split at its middle: start, two controls, middle, two controls, end (the port).
    The middle is a vertex, so a status marker (``marker-mid``) sits there."""

    points: tuple[Point, ...]
    kind: str
    standing: str
    status: str | None
    target: Target
    name: str


@dataclass(frozen=True)
class Drawing:
    width: int
    height: int
    font_size: int
    title: str
    description: str                          # said by the caller, who knows what the sides hold
    title_id: str
    description_id: str
    marker_ids: tuple[tuple[str, str], ...]   # status -> the id of its marker
    centres: tuple[CentreNode, ...]
    outers: tuple[OuterNode, ...]
    edges: tuple[Edge, ...]
    headings: tuple[Label, ...]
    left_kinds: tuple[str, ...]               # the relationship types grouped on each side, top to bottom
    right_kinds: tuple[str, ...]

    def marker(self, status: str) -> str:
        return dict(self.marker_ids)[status]


STATUSES = ("contested", "unconfirmed")   # each has a marker, drawn at an edge's middle


# --- text: estimated widths and wrapping ------------------------------------------------

@lru_cache(maxsize=4096)
def char_width(char: str, bold: bool = False) -> int:
    """A character's advance in thousandths of an em, as the estimate takes it."""
    table = _BOLD if bold else _REGULAR
    code = ord(char)
    if _ASCII <= code < _ASCII + len(table):
        return table[code - _ASCII]
    if is_chinese(char):
        return _EM
    if unicodedata.category(char) in ("Mn", "Me", "Cf"):   # combining marks, zero-width characters
        return 0
    base = unicodedata.normalize("NFD", char)[:1]   # é -> e
    if _ASCII < ord(base) < _ASCII + len(table):
        return table[ord(base) - _ASCII]
    return _EM


def _pixels(thousandths: int) -> int:
    """Thousandths of an em, summed over a text, as its drawn width in whole pixels at FONT_PX."""
    return math.ceil(thousandths * FONT_PX * ESTIMATE_MARGIN / _EM)


@lru_cache(maxsize=65536)
def text_width(text: str, bold: bool = False) -> int:
    """The drawn width of `text` in pixels at FONT_PX: the estimate, rounded up."""
    return _pixels(sum(char_width(c, bold) for c in text))


def _pieces(text: str) -> Iterator[tuple[str, bool]]:
    """What a line may break between: words, the parts of a word after each hyphen, and single
    Chinese characters; each with whether a space comes before it."""
    for n, word in enumerate(text.split()):
        start = 0
        for i, char in enumerate(word):
            if is_chinese(char) and i > start:
                yield word[start:i], n > 0 and start == 0
                start = i
            if is_chinese(char) or (char == "-" and i + 1 < len(word)):
                yield word[start:i + 1], n > 0 and start == 0
                start = i + 1
        if start < len(word):
            yield word[start:], n > 0 and start == 0


# Names and type labels recur on many pages: these caches cut the time the 1,000 company graphs of
# the benchmark's corpus add to the views by about a third (measured: 1.6 s -> 1.1 s, on a loaded machine).
@lru_cache(maxsize=65536)
def wrap(text: str, bold: bool = False, limit: int = MAX_LABEL) -> tuple[str, ...]:
    """`text` in lines no wider than `limit` by the estimate, broken at spaces and between Chinese
    characters; a word wider than a line is broken between its characters. Linear in the text (a
    name may be as long as `max_text_chars`)."""
    lines: list[str] = []
    line, width = "", 0                      # the line so far, and its width in thousandths of an em
    space = char_width(" ", bold)
    for piece, spaced in _pieces(text):
        gap = space if spaced and line else 0
        piece_width = sum(char_width(c, bold) for c in piece)
        if line and _pixels(width + gap + piece_width) > limit:
            lines.append(line)
            line, width, gap = "", 0, 0
        if _pixels(piece_width) <= limit:
            line, width = line + " " * bool(gap) + piece, width + gap + piece_width
            continue
        for char in piece:
            w = char_width(char, bold)
            if line and _pixels(width + gap + w) > limit:
                lines.append(line)
                line, width, gap = "", 0, 0
            line, width, gap = line + " " * bool(gap) + char, width + gap + w, 0
    lines.append(line)   # an empty name is one empty line
    return tuple(lines)


def _runs(text: str) -> tuple[Run, ...]:
    return tuple(Run(part, chinese) for part, chinese in chinese_runs(text))


def _block(kind: str, lines: tuple[str, ...], top: int, align: str, x: int) -> Label:
    """A label whose lines take one LINE_PX slot each from `top`; `x` is its left edge ("start"),
    its right edge ("end") or its middle ("middle")."""
    bold = kind in BOLD_KINDS
    placed = []
    for i, text in enumerate(lines):
        width = text_width(text, bold)
        left = {"start": x, "end": x - width, "middle": x - width // 2}[align]
        placed.append(Line(left, top + i * LINE_PX + ASCENT_PX, width, _runs(text)))
    return Label(kind, tuple(placed))


def _middle(top: int, lines: tuple[str, ...]) -> int:
    """The height of the middle of a block of lines: where its node or edge meets it."""
    return top + (len(lines) * LINE_PX - 1) // 2


# --- the layout -------------------------------------------------------------------------

@dataclass(frozen=True)
class _Group:
    kind: str
    heading: tuple[str, ...]
    members: tuple[Outer, ...]

    def height(self, wrapped: dict[Key, tuple[str, ...]]) -> int:
        return len(self.heading) * LINE_PX + sum(len(wrapped[o.key]) * LINE_PX + ROW_GAP for o in self.members)


@dataclass(frozen=True)
class _Ports:
    """One centre's port labels: rows of (left port, right port), either may be None."""

    rows: tuple[tuple[tuple[str, tuple[str, ...]] | None, tuple[str, tuple[str, ...]] | None], ...]

    def height(self) -> int:
        return sum(max(len(p[1]) if p else 0 for p in row) * LINE_PX for row in self.rows)

    def width(self) -> int:
        widths = [0]
        for left, right in self.rows:
            lw = max((text_width(l) for l in left[1]), default=0) if left else 0
            rw = max((text_width(l) for l in right[1]), default=0) if right else 0
            widths.append(lw + rw + (PORT_GAP if left and right else 0))
        return max(widths)


class _Order:
    """The vocabulary's order of relationship types (a type it lacks sorts after, by id)."""

    def __init__(self, kinds: tuple[tuple[str, str], ...]) -> None:
        self.index = {kind: i for i, (kind, _) in enumerate(kinds)}
        self.labels = dict(kinds)

    def key(self, kind: str) -> tuple[int, str]:
        return self.index.get(kind, len(self.index)), kind

    def label(self, kind: str) -> str:
        return self.labels.get(kind, kind)


@dataclass(frozen=True)
class _Plan:
    """What goes where, before any coordinate: groups on each side, each tie's side, each centre's ports."""

    order: _Order
    centres: tuple[Centre, ...]
    ties: tuple[Tie, ...]
    ties_of: dict[Key, list[Tie]]           # an outer's ties
    wrapped: dict[Key, tuple[str, ...]]     # an outer's label lines
    names: dict[Key, tuple[str, ...]]       # a centre's label lines
    group_of: dict[Key, str]                # an outer's group: its first type in vocabulary order
    left: list[_Group]
    right: list[_Group]
    side_of_kind: dict[str, str]
    ports: dict[Key, _Ports]

    def side(self, tie: Tie) -> str:
        return _side(tie, self.group_of, self.side_of_kind)


def _side(tie: Tie, group_of: dict[Key, str], side_of_kind: dict[str, str]) -> str:
    """An edge to an outer is on its group's side; one between two centres on its type's side."""
    if tie.other in group_of:
        return side_of_kind[group_of[tie.other]]
    return side_of_kind.get(tie.kind, "right")


@dataclass(frozen=True)
class _Columns:
    """The x of everything, left to right."""

    left_node: int
    box: int
    box_width: int
    right_node: int
    lane: int
    width: int


def draw(graph: Graph) -> Drawing:
    plan = _plan(graph)
    columns = _columns(plan, graph.width)
    heights = {c.key: 2 * PAD + len(plan.names[c.key]) * LINE_PX + plan.ports[c.key].height() for c in plan.centres}
    inner = max(_column_height(plan.left, plan.wrapped), _column_height(plan.right, plan.wrapped),
                sum(heights.values()) + CENTRE_GAP * len(plan.centres))
    centres, port_y, name_y = _place_centres(plan, heights, columns, inner)
    outers, headings = _place_outers(plan, columns, inner, port_y)
    boxes = {c.key: c.box for c in centres}
    nodes = {o.key: o for o in outers}
    edges = tuple(_edge(t, plan.side(t), boxes, nodes, port_y, name_y, columns.lane) for t in plan.ties)
    return Drawing(columns.width, inner + 2 * MARGIN, FONT_PX, graph.title, "",
                   anchors.structural("part", "graph-title"), anchors.structural("part", "graph-description"),
                   tuple((s, anchors.structural("part", f"graph-{s}")) for s in STATUSES),
                   tuple(centres), tuple(outers), edges, tuple(headings),
                   tuple(g.kind for g in plan.left), tuple(g.kind for g in plan.right))


def _plan(graph: Graph) -> _Plan:
    order = _Order(graph.kinds)
    centre_keys = {c.key for c in graph.centres}
    ties = tuple(t for t in graph.ties if t.centre in centre_keys)
    ties_of: dict[Key, list[Tie]] = {}
    for t in ties:
        if t.other not in centre_keys:
            ties_of.setdefault(t.other, []).append(t)
    outers = {o.key: o for o in graph.outers if o.key in ties_of}
    wrapped = {key: wrap(o.name) for key, o in outers.items()}
    group_of = {key: min((t.kind for t in ties_of[key]), key=order.key) for key in outers}
    groups = _groups(outers, group_of, order)
    split = _split(groups, wrapped)
    left, right = groups[:split], groups[split:]
    side_of_kind = _sides(graph.kinds, left, right, order)
    ports = _ports(graph.centres, ties, lambda t: _side(t, group_of, side_of_kind), order)
    return _Plan(order, graph.centres, ties, ties_of, wrapped, {c.key: wrap(c.name, bold=True) for c in graph.centres},
                 group_of, left, right, side_of_kind, ports)


def _columns(plan: _Plan, aim: int) -> _Columns:
    """Label columns as wide as their widest line, centres as wide as their widest name or port row;
    the lanes take what is left of the width aimed at, within MIN_LANE..MAX_LANE."""
    box_width = 2 * PAD + max([text_width(l, True) for lines in plan.names.values() for l in lines]
                              + [p.width() for p in plan.ports.values()] + [0])
    left_w, right_w = _column_width(plan.left, plan.wrapped), _column_width(plan.right, plan.wrapped)
    has_left = bool(plan.left) or any(plan.side(t) == "left" for t in plan.ties)
    has_right = bool(plan.right) or any(plan.side(t) == "right" for t in plan.ties)
    fixed = 2 * MARGIN + box_width + sum(w + GAP + 2 * RADIUS for w, g in ((left_w, plan.left), (right_w, plan.right))
                                         if g)
    lanes = has_left + has_right
    lane = max(MIN_LANE, min(MAX_LANE, (aim - fixed) // lanes)) if lanes else 0
    left_node = MARGIN + left_w + GAP + RADIUS
    box = (left_node + RADIUS if plan.left else MARGIN) + (lane if has_left else 0)
    after_box = box + box_width + (lane if has_right else 0)
    right_node = after_box + RADIUS
    width = (right_node + RADIUS + GAP + right_w if plan.right else after_box) + MARGIN
    return _Columns(left_node, box, box_width, right_node, lane, width)


def _place_outers(plan: _Plan, columns: _Columns, inner: int, port_y: dict[tuple[Key, str, str], int],
                  ) -> tuple[list[OuterNode], list[Label]]:
    """Each side's groups top to bottom, centred on the drawing's height, each under its heading;
    within a group by the mean height of the ports its members reach (the barycentre), then by name."""
    mean_y = {key: sum(port_y[(t.centre, t.kind, plan.side(t))] for t in ties) / len(ties)
              for key, ties in plan.ties_of.items()}
    placed: list[OuterNode] = []
    headings: list[Label] = []
    for column, node_x, align in ((plan.left, columns.left_node, "end"), (plan.right, columns.right_node, "start")):
        top = MARGIN + (inner - _column_height(column, plan.wrapped)) // 2
        label_x = node_x - RADIUS - GAP if align == "end" else node_x + RADIUS + GAP
        for n, group in enumerate(column):
            top += GROUP_GAP if n else 0
            headings.append(_block("heading", group.heading, top, align, label_x))
            top += len(group.heading) * LINE_PX
            for m in sorted(group.members, key=lambda o: (mean_y[o.key], o.name.casefold(), o.key)):
                lines = plan.wrapped[m.key]
                placed.append(OuterNode(m.key, m.name, m.target, Point(node_x, _middle(top, lines)), RADIUS,
                                        _block("outer", lines, top, align, label_x)))
                top += len(lines) * LINE_PX + ROW_GAP
    return placed, headings


def _edge(t: Tie, side: str, boxes: dict[Key, Box], nodes: dict[Key, OuterNode],
          port_y: dict[tuple[Key, str, str], int], name_y: dict[Key, int], lane: int) -> Edge:
    """From the other end to the port of the tie's type: an S-curve from an outer's node, or from
    another centre's name an arc bulging into the lane (never as far as its other side)."""
    box = boxes[t.centre]
    end = Point(box.x if side == "left" else box.right, port_y[(t.centre, t.kind, side)])
    if t.other in nodes:
        node = nodes[t.other]
        start = Point(node.centre.x + (RADIUS if side == "left" else -RADIUS), node.centre.y)
        middle_x = (start.x + end.x) // 2
        controls = (Point(middle_x, start.y), Point(middle_x, end.y))
    else:
        other = boxes[t.other]
        start = Point(other.x if side == "left" else other.right, name_y[t.other])
        bulge = min(lane - GAP, 2 * GAP + abs(end.y - start.y) // 8)
        x = start.x - bulge if side == "left" else start.x + bulge
        controls = (Point(x, start.y), Point(x, end.y))
    return Edge(_halves(start, *controls, end), t.kind, t.standing, t.status, t.target, t.name)


def _groups(outers: dict[Key, Outer], group_of: dict[Key, str], order: _Order) -> list[_Group]:
    """Outers by the first type (in vocabulary order) that ties them; groups in vocabulary order."""
    members: dict[str, list[Outer]] = {}
    for key in sorted(outers):
        members.setdefault(group_of[key], []).append(outers[key])
    return [_Group(kind, wrap(order.label(kind), bold=True), tuple(members[kind]))
            for kind in sorted(members, key=order.key)]


def _split(groups: list[_Group], wrapped: dict[Key, tuple[str, ...]]) -> int:
    """How many groups go on the left: the split, in vocabulary order, that gives the two columns the
    nearest heights (the first such)."""
    heights = [g.height(wrapped) + GROUP_GAP for g in groups]
    total = sum(heights)
    return min(range(len(groups) + 1), key=lambda k: (abs(total - 2 * sum(heights[:k])), k))


def _sides(kinds: tuple[tuple[str, str], ...], left: list[_Group], right: list[_Group],
           order: _Order) -> dict[str, str]:
    """Each type's side: its group's; for a type no outer has (ties between centres only), the side
    its place in the vocabulary falls on."""
    side = {g.kind: "left" for g in left} | {g.kind: "right" for g in right}
    first_right = order.key(right[0].kind) if right else None
    for kind, _ in kinds:
        if kind not in side:
            side[kind] = "left" if first_right is None or order.key(kind) < first_right else "right"
    return side


def _ports(centres: tuple[Centre, ...], ties: tuple[Tie, ...], side: Callable[[Tie], str],
           order: _Order) -> dict[Key, _Ports]:
    """Each centre's ports: the types of tie that reach it from each side, in vocabulary order,
    paired into rows (left, right)."""
    kinds: dict[tuple[Key, str], set[str]] = {}
    for t in ties:
        kinds.setdefault((t.centre, side(t)), set()).add(t.kind)
    labels = {kind: wrap(order.label(kind)) for found in kinds.values() for kind in found}
    out = {}
    for c in centres:
        lefts, rights = (sorted(kinds.get((c.key, s), ()), key=order.key) for s in ("left", "right"))
        port = lambda column, i: (column[i], labels[column[i]]) if i < len(column) else None  # noqa: E731
        out[c.key] = _Ports(tuple((port(lefts, i), port(rights, i)) for i in range(max(len(lefts), len(rights)))))
    return out


def _column_width(column: list[_Group], wrapped: dict[Key, tuple[str, ...]]) -> int:
    widths = [text_width(l, True) for g in column for l in g.heading]
    widths += [text_width(l) for g in column for o in g.members for l in wrapped[o.key]]
    return max(widths, default=0)


def _column_height(column: list[_Group], wrapped: dict[Key, tuple[str, ...]]) -> int:
    return sum(g.height(wrapped) for g in column) + GROUP_GAP * max(len(column) - 1, 0)


def _place_centres(plan: _Plan, heights: dict[Key, int], columns: _Columns, inner: int,
                   ) -> tuple[list[CentreNode], dict[tuple[Key, str, str], int], dict[Key, int]]:
    """The centres top to bottom, the spare height shared out between them (half a share above the
    first and below the last); where each port and each name meets its edges."""
    spare = inner - sum(heights.values())
    out, port_y, name_y = [], {}, {}
    above = 0                                  # the heights of the centres placed so far
    middle = columns.box + columns.box_width // 2
    for i, c in enumerate(plan.centres):
        y = MARGIN + above + (spare * (2 * i + 1)) // (2 * len(plan.centres))
        names = plan.names[c.key]
        name_y[c.key] = _middle(y + PAD, names)
        row_top = y + PAD + len(names) * LINE_PX
        ports = []
        for row in plan.ports[c.key].rows:
            for port, side in zip(row, ("left", "right")):
                if port is not None:
                    kind, lines = port
                    x = columns.box + PAD if side == "left" else columns.box + columns.box_width - PAD
                    ports.append(_block("port", lines, row_top, "start" if side == "left" else "end", x))
                    port_y[(c.key, kind, side)] = _middle(row_top, lines)
            row_top += max(len(p[1]) if p else 0 for p in row) * LINE_PX
        out.append(CentreNode(c.key, c.name, c.target, Box(columns.box, y, columns.box_width, heights[c.key]),
                              _block("centre", names, y + PAD, "middle", middle), tuple(ports)))
        above += heights[c.key]
    return out, port_y, name_y


def _halves(p0: Point, p1: Point, p2: Point, p3: Point) -> tuple[Point, ...]:
    """The cubic p0..p3 split at t = 1/2 (de Casteljau), rounded to whole pixels: seven points."""
    def mid(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
        return (a[0] + b[0]) / 2, (a[1] + b[1]) / 2
    a, b, c, d = ((p.x, p.y) for p in (p0, p1, p2, p3))
    ab, bc, cd = mid(a, b), mid(b, c), mid(c, d)
    abc, bcd = mid(ab, bc), mid(bc, cd)
    m = mid(abc, bcd)
    return tuple(Point(math.floor(x + 0.5), math.floor(y + 0.5)) for x, y in (a, ab, abc, m, bcd, cd, d))
