"""Limits for zip-based files (.docx, .xlsx, .ofd, .zip of plans): total size, compression ratio,
member count. A file over a limit is refused before anything is decompressed."""
from __future__ import annotations

import io
import zipfile
import zlib

from .errors import LoadError

MAX_UNZIPPED = 100 * 1024 * 1024
MAX_RATIO = 200
MAX_MEMBERS = 2000


def open_zip(data: bytes, path: str, kind: str) -> zipfile.ZipFile:
    """Open `data` as a zip after checking the limits; `kind` names the format in errors."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError, OSError, NotImplementedError):
        raise LoadError(path, f"not a valid {kind} (corrupt or truncated zip archive)") from None
    if len(infos) > MAX_MEMBERS:
        raise LoadError(path, f"refusing to open {kind}: {len(infos)} members (limit {MAX_MEMBERS})")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNZIPPED:
        raise LoadError(path, f"refusing to open {kind}: it expands to {total / 2**20:.0f} MB "
                              f"(limit {MAX_UNZIPPED // 2**20} MB, zip bomb?)")
    for i in infos:
        if i.compress_size and i.file_size / i.compress_size > MAX_RATIO and i.file_size > 2**20:
            raise LoadError(path, f"refusing to open {kind}: {i.filename} compressed "
                                  f"{i.file_size // i.compress_size}:1 (zip bomb?)")
    return zf


def read_member(zf: zipfile.ZipFile, name: str, path: str, kind: str) -> bytes:
    """Read one member, stopping at its declared size (a lying header cannot inflate more)."""
    info = zf.getinfo(name)
    try:
        with zf.open(info) as f:
            data = f.read(info.file_size + 1)
    except RuntimeError as e:  # encrypted member
        raise LoadError(path, f"cannot read {kind} member {name}: {e}") from None
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, zlib.error) as e:
        raise LoadError(path, f"corrupt {kind} member {name} ({type(e).__name__}: {e})") from None
    if len(data) > info.file_size:
        raise LoadError(path, f"refusing to open {kind}: {name} is larger than its header says (zip bomb?)")
    return data


def zip_names(data: bytes) -> set[str]:
    """Member names of a zip, or an empty set (for sniffing; no limits needed to list names)."""
    if data[:4] != b"PK\x03\x04":
        return set()
    try:
        return set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except Exception:
        return set()
