"""The outputs that are not pages, in the order they are written: one module each, registered here."""
from __future__ import annotations

from . import data, search, static
from .output import NonPage

OUTPUTS: tuple[NonPage, ...] = (
    static.OUTPUT,
    search.OUTPUT,
    data.OUTPUT,
)
