"""A minimal Language Server Protocol client for yaml-language-server: what an editor does, over stdio.

VS Code's YAML extension (and Zed, Helix, Neovim's yamlls, ...) runs
yaml-language-server: it reads each file with the npm `yaml` package
(YAML 1.2, core schema), finds the schema from the file's
``# yaml-language-server: $schema=...`` first line, and publishes
diagnostics. `Editor.diagnostics` opens documents the way an editor does
(``textDocument/didOpen`` with the text and a file URI, so a relative
``$schema`` resolves from the file's folder, on disk or not) and collects what
the server publishes for each. No request leaves the machine: the schema
store and schema downloads are off, and every schema is a local file.
"""
from __future__ import annotations

import json
import os
import select
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SETTINGS = {"yaml": {"validate": True, "hover": False, "completion": False, "format": {"enable": False},
                     "schemaStore": {"enable": False}, "schemas": {}, "yamlVersion": "1.2"}}


@dataclass(frozen=True)
class Diagnostic:
    line: int       # 1-based, as check prints it
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.line}:{self.col}: {self.message}"


class Editor:
    """One yaml-language-server process; `diagnostics({path: text})` -> {path: [Diagnostic]}."""

    def __init__(self, server: Path, root: Path, timeout: float = 60) -> None:
        self.timeout = timeout
        self.process = subprocess.Popen(["node", str(server), "--stdio"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=root)
        self.buffer = b""
        self.next_id = 0
        self.published: dict[str, list[dict]] = {}
        self.versions = 0
        self._request("initialize", {"processId": os.getpid(), "rootUri": root.as_uri(),
                                     "capabilities": {"workspace": {"configuration": True},
                                                      "textDocument": {"publishDiagnostics": {}}}})
        self._notify("initialized", {})
        self._notify("workspace/didChangeConfiguration", {"settings": SETTINGS})

    def diagnostics(self, documents: dict[Path, str]) -> dict[Path, list[Diagnostic]]:
        """Open each document (each path once per editor) and wait for its diagnostics."""
        uris = {path.resolve().as_uri(): path for path in documents}
        for uri, path in uris.items():
            assert uri not in self.published, f"{path} was opened before: use a new path"
            self.versions += 1
            self._notify("textDocument/didOpen", {"textDocument": {
                "uri": uri, "languageId": "yaml", "version": self.versions, "text": documents[path]}})
        deadline = time.monotonic() + self.timeout
        while not all(uri in self.published for uri in uris):
            self._read(deadline)
        return {path: [_diagnostic(d) for d in self.published[uri][0]["diagnostics"]] for uri, path in uris.items()}

    def close(self) -> None:
        try:
            self._request("shutdown", None)
            self._notify("exit", None)
            self.process.wait(10)
        except Exception:  # a server that will not stop is killed: it is ours
            self.process.kill()
            self.process.wait()

    # --- JSON-RPC over stdio ------------------------------------------------------------

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def _notify(self, method: str, params: Any) -> None:
        self._send({"method": method, "params": params})

    def _request(self, method: str, params: Any) -> Any:
        self.next_id += 1
        wanted = self.next_id
        self._send({"id": wanted, "method": method, "params": params})
        deadline = time.monotonic() + self.timeout
        while True:
            message = self._read(deadline)
            if message.get("id") == wanted and "method" not in message:
                return message.get("result")

    def _read(self, deadline: float) -> dict[str, Any]:
        assert self.process.stdout is not None
        while True:
            head, sep, rest = self.buffer.partition(b"\r\n\r\n")
            if sep:
                length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                              if line.lower().startswith(b"content-length"))
                if len(rest) >= length:
                    self.buffer = rest[length:]
                    message = json.loads(rest[:length])
                    self._handle(message)
                    return message
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.process.stdout], [], [], left)[0]:
                raise TimeoutError("yaml-language-server sent nothing in time")
            chunk = os.read(self.process.stdout.fileno(), 1 << 16)
            if not chunk:
                raise EOFError(f"yaml-language-server exited with {self.process.wait()}")
            self.buffer += chunk

    def _handle(self, message: dict[str, Any]) -> None:
        method = message.get("method")
        if method == "textDocument/publishDiagnostics":
            self.published.setdefault(message["params"]["uri"], []).append(message["params"])
        elif method is not None and "id" in message:  # a request from the server: answer it
            result: Any = None
            if method == "workspace/configuration":
                result = [SETTINGS if not item.get("section") else SETTINGS.get(item["section"])
                          for item in message["params"]["items"]]
            self._send({"id": message["id"], "result": result})


def _diagnostic(d: dict[str, Any]) -> Diagnostic:
    start = d["range"]["start"]
    return Diagnostic(start["line"] + 1, start["character"] + 1, d["message"])
