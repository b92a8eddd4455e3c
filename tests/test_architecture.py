"""The shape of the code: imports flow down the layers of ARCHITECTURE.md, and SECURITY.md names real code.

A module may import from its own layer or a lower one. A new module must be
placed in a layer here (the test fails on one that is not), so the layering
is a decision, not an accident.
"""
from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "src" / "sourcebook"
LAYERS: dict[str, int] = {
    # 1 foundations
    "problems": 1, "limits": 1, "ids": 1, "anchors": 1, "urls": 1, "dates": 1, "text": 1, "output": 1,
    "yaml12": 1, "annotations": 1, "graphs": 1,
    # 2 model
    "model": 2,
    # 3 input
    "load": 3, "reading": 3, "settings": 3, "format": 3, "schema": 3, "rules": 3, "validate": 3, "stats": 3,
    "revisions": 3,
    # 4 tables
    "indexes": 4, "reads": 4, "export": 4, "changes": 4,
    # 5 views
    "families": 5, "views": 5,
    # 6 output
    "theme": 6, "render": 6, "outputs": 6, "linkcheck": 6, "destinations": 6, "offline": 6, "extra": 6,
    # 7 build
    "pipeline": 7, "codes": 7,
    # 8 commands
    "commands": 8, "cli": 8, "__main__": 8, "__init__": 0,
}


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py"))


def top_name(path: Path) -> str:
    """The layer a file belongs to: its top-level module or package under sourcebook/."""
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def imported(path: Path, source: str | None = None) -> set[str]:
    """Top-level sourcebook modules a file imports (relative or absolute)."""
    tree = ast.parse(source if source is not None else path.read_text(encoding="utf-8"))
    here = path.relative_to(PACKAGE).parts[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(here[: len(here) - (node.level - 1)]) if node.level > 1 else list(here)
                parts = base + (node.module.split(".") if node.module else [])
                if parts:
                    found.add(parts[0])
                else:
                    found.update(alias.name for alias in node.names)
            elif node.module and node.module.startswith("sourcebook."):
                found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("sourcebook."))
    return found


def violations(sources: dict[Path, str] | None = None) -> list[str]:
    out = []
    for path in modules():
        name = top_name(path)
        if name not in LAYERS:
            out.append(f"{path.relative_to(ROOT)}: module '{name}' is in no layer (add it to LAYERS and ARCHITECTURE.md)")
            continue
        for other in sorted(imported(path, (sources or {}).get(path))):
            if other in LAYERS and LAYERS[other] > LAYERS[name] and other != name:
                out.append(f"{path.relative_to(ROOT)} (layer {LAYERS[name]}) imports '{other}' (layer {LAYERS[other]})")
    return out


def test_imports_flow_down_the_layers():
    assert violations() == []


def test_the_layer_check_catches_an_upward_import():
    """A foundation module importing the pipeline, or a view importing the renderer, must be reported."""
    ids, family = PACKAGE / "ids.py", PACKAGE / "families" / "home.py"
    planted = {ids: ids.read_text(encoding="utf-8") + "\nfrom .pipeline import build\n",
               family: family.read_text(encoding="utf-8") + "\nfrom ..render import Renderer\n"}
    found = violations(planted)
    assert any("ids.py (layer 1) imports 'pipeline' (layer 7)" in v for v in found), found
    assert any("home.py (layer 5) imports 'render' (layer 6)" in v for v in found), found


def test_architecture_md_lists_every_layered_module():
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    missing = [m for m in LAYERS if m not in ("__init__", "__main__") and f"`{m}" not in text]
    assert missing == []


# --- SECURITY.md names code that exists ------------------------------------------------

NOT_OURS = {"os", "yaml", "html", "safety", "requirements", "pyproject", "sources", "about", "feed", "sitemap"}


def named_in_security() -> list[str]:
    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    return sorted(set(re.findall(r"`([a-z_]+(?:\.[A-Za-z_]+)+)`", text)))


def resolve(name: str) -> object:
    parts = name.split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            obj: object = importlib.import_module("sourcebook." + ".".join(parts[:split]))
        except ModuleNotFoundError:
            continue
        for attr in parts[split:]:
            obj = getattr(obj, attr)
        return obj
    raise ModuleNotFoundError(name)


def test_every_module_function_security_md_names_exists():
    names = [n for n in named_in_security() if n.split(".")[0] not in NOT_OURS]
    assert len(names) > 30
    missing = []
    for name in names:
        try:
            resolve(name)
        except (ModuleNotFoundError, AttributeError):
            missing.append(name)
    assert missing == []


def test_the_security_check_catches_a_renamed_function():
    try:
        resolve("load.no_such_function")
    except AttributeError:
        return
    raise AssertionError("a missing function was resolved")
