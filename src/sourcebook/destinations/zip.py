"""The zip destination: a stream of outputs -> one deterministic zip archive.

The same files always give the same bytes (on the same machine: the deflate
output depends on the zlib version): members are sorted by name and sit in
one folder (so unpacking never spills files into the current folder); every
member has the same date (1980-01-01 00:00, the earliest a zip can hold), the
same attributes (a regular file, rw-r--r--, "made by" Unix), UTF-8 names, no
extra fields and no data descriptors; deflate at level 3 (stored when that
does not make the member smaller); the archive comment names the format, the
level and the zlib version. Python's zipfile writes the local header time
from the clock and cannot copy compressed bytes, so the format (PKWARE's
APPNOTE, sections 4.3 and 4.4) is written here; `zipfile` reads the previous
archive.

Unchanged members are copied, not compressed again: a member whose name,
CRC-32 and size match the previous archive's (made with the same comment,
so by the same format, level and zlib) takes its compressed bytes as they
are, once they inflate to exactly the new file (inflating is about a fifth
of the cost of deflating, and so neither a damaged old archive nor a CRC
collision can put wrong bytes in the new one). A one-claim edit re-deflates
the few files it changes, not the site.

More than 65,535 members get the ZIP64 end records (APPNOTE 4.3.14-15), which
every current unzip reads; an archive over 4 GiB is refused (`ZIP_TOO_LARGE`).
`Archive` is what the build uses (its bytes become one file of the folder
destination); `write_zip` is the registered destination, writing an archive
file atomically.
"""
from __future__ import annotations

import os
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..output import Output
from ..problems import WRITE_FAILED, BuildFailed, Code, Pos, Problem

ZIP_TOO_LARGE = Code("zip-too-large", "the offline zip would be larger than 4 GiB")
CODES = (ZIP_TOO_LARGE,)

# Level 3, the best of zlib's fast levels: on a 200-dossier site (59 MB) 0.65 s and 13.1 MB, where level 6
# (zlib's default) takes 1.45 s for 12.0 MB and level 1 0.57 s for 13.9 MB.
LEVEL = 3
DEFLATED, STORED = 8, 0
VERSION = 20                       # 2.0: deflate, folders
VERSION_ZIP64 = 45
UNIX = 3
UTF8_NAMES = 0x0800                # general purpose flag bit 11
DOS_1980 = (0, (1980 - 1980) << 9 | 1 << 5 | 1)   # 00:00:00 on 1980-01-01, as DOS (time, date)
REGULAR_FILE = 0o100644 << 16      # the Unix mode in the high half of the external attributes
COMMENT = f"sourcebook offline copy; zip format 1; deflate level {LEVEL}; zlib {zlib.ZLIB_RUNTIME_VERSION}".encode()
MAX_MEMBERS = 0xFFFF
MAX_OFFSET = 0xFFFFFFFF
_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
_END64 = struct.Struct("<IQHHIIQQQQ")
_LOCATOR64 = struct.Struct("<IIQI")


@dataclass(frozen=True)
class ZipStats:
    members: int
    deflated: int   # compressed by this build
    copied: int     # compressed bytes taken from the previous archive
    bytes: int


@dataclass(frozen=True)
class _Member:
    name: bytes
    method: int
    crc: int
    size: int
    data: bytes     # compressed
    copied: bool = False  # taken from the previous archive


class Archive:
    """Members added one at a time (compressed as they come, so only compressed bytes are held), then
    `finish()`: the archive's bytes. `previous` is an earlier archive whose unchanged members are copied."""

    def __init__(self, folder: str, previous: Path | None = None, max_bytes: int = MAX_OFFSET,
                 name: str = "") -> None:
        self.folder = folder.strip("/") + "/"
        self.name = name or folder          # what a problem names: the archive's file name
        self.previous = previous
        self.max_bytes = max_bytes
        self.members: dict[bytes, _Member] = {}
        self.copied = 0
        self._old: dict[bytes, zipfile.ZipInfo] | None = None
        self._file: BinaryIO | None = None

    def add(self, output: Output) -> None:
        name = (self.folder + output.path).encode("utf-8")
        member = self._member(name, output.data)
        self.copied += member.copied
        self.members[name] = member

    def close(self) -> None:
        """Let go of the previous archive (also when the build fails half-way)."""
        if self._file is not None:
            self._file.close()
            self._file = None

    def _member(self, name: bytes, data: bytes) -> _Member:
        """The member, copied from the previous archive or compressed."""
        crc, size = zlib.crc32(data), len(data)
        member = self._copy(name, crc, size, data)
        if member is not None:
            return member
        compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
        packed = compressor.compress(data) + compressor.flush()
        return (_Member(name, DEFLATED, crc, size, packed) if len(packed) < size
                else _Member(name, STORED, crc, size, data))

    def finish(self) -> tuple[bytes, ZipStats]:
        self.close()
        parts: list[bytes] = []
        central: list[bytes] = []
        offset = 0
        for name in sorted(self.members):
            m = self.members[name]
            header = _LOCAL.pack(0x04034B50, VERSION, UTF8_NAMES, m.method, *DOS_1980, m.crc, len(m.data), m.size,
                                 len(name), 0) + name
            central.append(_CENTRAL.pack(0x02014B50, UNIX << 8 | VERSION, VERSION, UTF8_NAMES, m.method, *DOS_1980,
                                         m.crc, len(m.data), m.size, len(name), 0, 0, 0, 0, REGULAR_FILE, offset)
                           + name)
            parts += (header, m.data)
            offset += len(header) + len(m.data)
        directory = b"".join(central)
        if offset + len(directory) > self.max_bytes:
            raise BuildFailed([Problem(Pos(self.name), ZIP_TOO_LARGE,
                                       f"the offline zip would hold {offset + len(directory):,} bytes; a zip without "
                                       f"ZIP64 offsets holds at most {self.max_bytes:,}")], 1)
        parts += (directory, self._end(len(self.members), len(directory), offset))
        data = b"".join(parts)
        return data, ZipStats(len(self.members), len(self.members) - self.copied, self.copied, len(data))

    def _end(self, count: int, size: int, offset: int) -> bytes:
        end = b""
        if count > MAX_MEMBERS:
            end = (_END64.pack(0x06064B50, _END64.size - 12, UNIX << 8 | VERSION_ZIP64, VERSION_ZIP64, 0, 0,
                               count, count, size, offset)
                   + _LOCATOR64.pack(0x07064B50, 0, offset + size, 1))
            count = 0xFFFF
        return end + _END.pack(0x06054B50, 0, 0, count, count, size, offset, len(COMMENT)) + COMMENT

    # -- copying from the previous archive --
    def _copy(self, name: bytes, crc: int, size: int, expected: bytes) -> _Member | None:
        old = self._previous_members().get(name)
        if old is None or old.CRC != crc or old.file_size != size or self._file is None:
            return None
        self._file.seek(old.header_offset)
        header = self._file.read(_LOCAL.size)
        if len(header) != _LOCAL.size:
            return None
        fields = _LOCAL.unpack(header)
        if fields[0] != 0x04034B50 or fields[9] != len(name) or fields[10] != 0 or self._file.read(len(name)) != name:
            return None
        data = self._file.read(old.compress_size)
        if len(data) != old.compress_size or _inflated(data, old.compress_type, size) != expected:
            return None
        return _Member(name, old.compress_type, crc, size, data, copied=True)

    def _previous_members(self) -> dict[bytes, zipfile.ZipInfo]:
        if self._old is None:
            self._old = {}
            path = self.previous
            if path is not None and path.is_file() and not path.is_symlink():
                try:
                    self._file = open(path, "rb")
                    with zipfile.ZipFile(self._file) as old:
                        if old.comment == COMMENT:
                            self._old = {i.filename.encode("utf-8"): i for i in old.infolist()
                                         if i.compress_type in (DEFLATED, STORED) and not i.flag_bits & 0x0009}
                except (OSError, zipfile.BadZipFile, ValueError):
                    self._old = {}   # not an archive we can copy from: every member is compressed afresh
        return self._old


def _inflated(data: bytes, method: int, size: int) -> bytes | None:
    if method == STORED:
        return data
    try:
        return zlib.decompressobj(-15).decompress(data, size + 1)
    except zlib.error:
        return None


def archive(outputs: Iterable[Output], folder: str, previous: Path | None = None) -> tuple[bytes, ZipStats]:
    zipped = Archive(folder, previous)
    try:
        for output in outputs:
            zipped.add(output)
        return zipped.finish()
    finally:
        zipped.close()


def write_zip(outputs: Iterable[Output], where: Path, verify: Callable[[], None] = lambda: None) -> ZipStats:
    """The registered destination: the outputs as one zip file at `where` (its members in a folder named after
    it), reusing an archive already there; written to a temporary sibling and renamed, so never half-written."""
    data, stats = archive(outputs, where.stem, where)
    verify()
    try:
        with tempfile.NamedTemporaryFile(dir=where.parent, prefix=f".{where.name}.tmp-", delete=False) as f:
            f.write(data)
        os.replace(f.name, where)
    except OSError as e:
        raise BuildFailed([Problem(Pos(str(e.filename or where)), WRITE_FAILED,
                                   f"could not write the zip: {e.strerror or e}")], 3) from None
    return stats
