"""`make screenshots`: regenerate docs/screenshots/ (the pictures README.md shows).

Builds the shipped dossiers into a temporary folder, serves it from 127.0.0.1 (an ephemeral port) and
photographs the home page and a company page in Debian's Chromium (Playwright; CHROMIUM_PATH, else
/usr/bin/chromium), on a phone (360 x 740) and a desktop (1280 x 800), in the light and the dark scheme,
and the relationship graph (graph/) on a desktop: ten PNGs named <page>-<phone|desktop>-<light|dark>.png. Each is the first screen a reader sees (not
the full page), at one device pixel per CSS pixel, so the files stay small (it prints their sizes).
"""
from __future__ import annotations

import functools
import http.server
import os
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
PAGES = {"home": "", "company": "companies/hikvision/", "graph": "graph/"}
ON_PHONE = ("home", "company")  # the graph's page scrolls sideways inside its box on a phone: not a picture
DEVICES = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 800}}
SCHEMES = ("light", "dark")


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the stdlib's name)
        pass


def main() -> int:
    sys.path.insert(0, str(ROOT / "src"))
    from playwright.sync_api import sync_playwright

    from sourcebook import pipeline

    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        pipeline.build(pipeline.Options(dossiers=ROOT / "dossiers", out=site, config=ROOT / "pyproject.toml"))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        root = f"http://127.0.0.1:{server.server_address[1]}/"
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
                for device, viewport in DEVICES.items():
                    for scheme in SCHEMES:
                        context = browser.new_context(viewport=viewport, color_scheme=scheme, device_scale_factor=1,
                                                      is_mobile=device == "phone", has_touch=device == "phone")
                        page = context.new_page()
                        for name, path in PAGES.items():
                            if device == "phone" and name not in ON_PHONE:
                                continue
                            page.goto(root + path)
                            shot = OUT / f"{name}-{device}-{scheme}.png"
                            page.screenshot(path=str(shot))
                            print(f"{shot.relative_to(ROOT)}: {viewport['width']} x {viewport['height']}, "
                                  f"{shot.stat().st_size // 1024} KiB")
                        context.close()
                browser.close()
        finally:
            server.shutdown()
            server.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
