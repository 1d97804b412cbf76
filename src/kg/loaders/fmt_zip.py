"""A .zip of plans (how attachments are downloaded): each member is loaded as its own file, named
``archive.zip/member``, with the same limits as .docx (total size, ratio, member count). Member names
written by Chinese Windows (GBK, no UTF-8 flag) are decoded. Nested archives are not opened."""
from __future__ import annotations

from pathlib import PurePosixPath

from .errors import LoadError
from .registry import Format, register
from .ziplimits import open_zip, read_member


def member_name(info) -> str:
    name = info.filename
    if not info.flag_bits & 0x800:  # no UTF-8 flag: the bytes were decoded as cp437
        raw = name.encode("cp437", "replace")
        for enc in ("utf-8", "gb18030"):
            try:
                return raw.decode(enc)
            except UnicodeDecodeError:
                continue
    return name


def members(data: bytes, path: str):
    """(name, read) for every file in the archive, skipping folders and system files; `read()` gives
    the member's bytes or raises LoadError for that member alone (encrypted, corrupt)."""
    zf = open_zip(data, path, ".zip")
    for info in zf.infolist():
        name = member_name(info)
        parts = PurePosixPath(name).parts
        if info.is_dir() or not parts or any(p.startswith((".", "__MACOSX")) for p in parts) or parts[-1] in ("Thumbs.db", "desktop.ini"):
            continue
        yield name, (lambda info=info, name=name: _read(zf, info, name, path))


def _read(zf, info, name: str, path: str) -> bytes:
    source = f"{path}/{name}"
    if info.flag_bits & 0x1:
        raise LoadError(source, "password-protected zip member")
    try:
        return read_member(zf, info.filename, path, ".zip")
    except LoadError as exc:
        raise LoadError(source, exc.reason) from None


# no sniffing: .docx, .xlsx and .ofd are zips too; only the .zip extension makes a file an archive of plans
register(Format("zip archive", (".zip",), members=members))
