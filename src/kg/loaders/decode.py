"""Bytes → str for text files: BOMs, strict UTF-8, then GB18030 vs Big5 by plausibility,
charset-normalizer only as a last resort (its CJK guesses are unreliable on short text)."""
from __future__ import annotations

from functools import lru_cache

from .errors import LoadError

BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


@lru_cache(maxsize=1)
def _common_hanzi() -> frozenset[str]:
    """GB2312 level-1 (simplified) and Big5 level-1 (traditional) characters."""
    chars = set()
    for lead in range(0xB0, 0xD8):
        chars.update(bytes([lead, t]).decode("gb2312", "ignore") for t in range(0xA1, 0xFF))
    for lead in range(0xA4, 0xC7):
        for t in [*range(0x40, 0x7F), *range(0xA1, 0xFF)]:
            chars.add(bytes([lead, t]).decode("big5", "ignore"))
    chars.discard("")
    return frozenset(chars)


def plausibility(text: str) -> float:
    """Share of non-ASCII characters that are common hanzi or CJK punctuation."""
    sample = [c for c in text[:20000] if ord(c) > 0x7F and not c.isspace()]
    if not sample:
        return 1.0
    common = _common_hanzi()
    good = sum(1 for c in sample if c in common or 0x3000 <= ord(c) <= 0x303F or 0xFF00 <= ord(c) <= 0xFFEF
               or c in "“”‘’…—·•")
    return good / len(sample)


def _utf16_without_bom(data: bytes) -> str | None:
    even, odd = data[0::2].count(0), data[1::2].count(0)
    if len(data) % 2 or max(even, odd) < len(data) // 8:
        return None
    enc = "utf-16-le" if odd > even else "utf-16-be"
    try:
        return data.decode(enc)
    except UnicodeDecodeError:
        return None


def decode_bytes(data: bytes, path: str, hint: str | None = None) -> tuple[str, str]:
    """Return (text, encoding name) or raise LoadError."""
    if not data.strip():
        raise LoadError(path, "empty file")
    for bom, enc in BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                raise LoadError(path, f"invalid {enc} text after byte-order mark") from None
            if plausibility(text) < 0.5:
                raise LoadError(path, f"cannot decode text: {enc} byte-order mark but no plausible text (binary file?)")
            return text, enc
    if b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is not None and plausibility(text) > 0.8:
            return text, "utf-16"
        raise LoadError(path, "binary file (contains NUL bytes), not a text document")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    order = ["gb18030", "cp950"]
    if hint and hint.lower() in ("big5", "big5-hkscs", "cp950"):
        order.reverse()
    candidates = []
    for rank, enc in enumerate(order):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        candidates.append((plausibility(text) - 0.02 * rank, enc, text))
    if candidates:
        score, enc, text = max(candidates)
        if score > 0.6:
            return text, ("big5" if enc == "cp950" else enc)
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200000]).best()
    if best is not None:
        text = str(from_bytes(data).best() or best)
        printable = sum(1 for c in text[:5000] if c.isprintable() or c in "\n\r\t") / max(1, len(text[:5000]))
        if printable > 0.97 and plausibility(text) > 0.6:
            return text, best.encoding
    raise LoadError(path, "cannot decode text (not UTF-8, UTF-16, GB18030 or Big5; binary file?)")
