"""Old binary Word (.doc) and WPS (.wps) files: converted with antiword or LibreOffice when one is
installed on the machine; otherwise one line naming the file and asking for .docx. (A .doc that is
really .docx, HTML or a PDF is read as what it is: see registry.pick.)"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from .decode import decode_bytes
from .errors import LoadError
from .ole import ole_kind
from .registry import Extracted, Format, register

TIMEOUT = 120


def sniff(data: bytes) -> bool:
    return ole_kind(data) == "doc"


def _antiword(src: Path) -> str | None:
    exe = shutil.which("antiword")
    if not exe:
        return None
    r = subprocess.run([exe, "-m", "UTF-8.txt", "-w", "0", str(src)], capture_output=True, timeout=TIMEOUT)
    return r.stdout.decode("utf-8", "replace") if r.returncode == 0 and r.stdout.strip() else None


def _soffice(src: Path, tmp: Path) -> str | None:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        return None
    r = subprocess.run([exe, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp}/profile",
                        "--convert-to", "txt:Text (encoded):UTF8", "--outdir", str(tmp), str(src)],
                       capture_output=True, timeout=TIMEOUT)
    out = tmp / (src.stem + ".txt")
    if r.returncode != 0 or not out.exists():
        return None
    return decode_bytes(out.read_bytes(), str(src))[0]


def read(data: bytes, path: str, progress=None) -> Extracted:
    ext = Path(path).suffix.lower() or ".doc"
    if ole_kind(data) == "encrypted":
        raise LoadError(path, f"password-protected {ext} (encrypted): save it as .docx without a password")
    if not (shutil.which("antiword") or shutil.which("soffice") or shutil.which("libreoffice")):
        raise LoadError(path, f"old binary Word/WPS format ({ext}) needs antiword or LibreOffice, and neither "
                              f"is installed: open it in Word or WPS and save it as .docx")
    with tempfile.TemporaryDirectory(prefix="policykg-doc-") as tmp:
        src = Path(tmp) / ("input" + ext)
        src.write_bytes(data)
        try:
            text = _antiword(src) if ext == ".doc" else None
            tool = "antiword"
            if text is None:
                text, tool = _soffice(src, Path(tmp)), "LibreOffice"
        except subprocess.TimeoutExpired:
            raise LoadError(path, f"converting {ext} took over {TIMEOUT} s; save it as .docx") from None
    if not text or not text.strip():
        raise LoadError(path, f"could not convert {ext} (damaged file, or not a Word/WPS document): save it as .docx")
    return Extracted(text, [f"converted from {ext} with {tool}"])


register(Format("Word .doc / WPS", (".doc", ".wps"), read=read, sniff=sniff, priority=5))
