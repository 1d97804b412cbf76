"""Character-level normalisation: line ends, HTML entities, full-width ASCII, 繁→简, spacing."""
from __future__ import annotations

import html
import re
from functools import lru_cache

from .offsets import Doc

NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85]")
ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});")
JUNK = re.compile(r"\[bookmark: [^\]\n]{0,80}\]|</?(?:br|p|div|span|font|strong|b|td|tr)\b[^<>\n]{0,200}>"
                  r"|(?<![A-Za-z<])br ?/>", re.I)
WIDTH = {c: c - 0xFEE0 for c in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}
WIDE = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
SPACES = {0xA0: " ", 0x3000: " ", 0x2002: " ", 0x2003: " ", 0x2009: " ", 0x200B: " ", 0xFEFF: " "}  # tabs stay: table cells
HAN = "\u4e00-\u9fff"
CPUNCT_R = "，。、；：？！”’）》】〕"  # punctuation a space never precedes
CPUNCT_L = "，。、；：？！“‘（《【〔"  # punctuation a space never follows
SP = "[ \u3000\xa0]"
STRAY = re.compile(
    f"{SP}+(?=[{CPUNCT_R}])|(?<=[{CPUNCT_L}]){SP}+"
    f"|(?<=[{HAN}]){SP}+(?=（)")
LETTER_SPACED = re.compile(f"(?<![{HAN}])[{HAN}](?:{SP}{{1,2}}[{HAN}]){{2,}}(?![{HAN}])")
_KEYS = ("索引号", "关键词", "主题词", "文号", "体裁", "发布机构", "发布机关", "主题分类", "成文日期", "发布日期")
META_KEY_SPACED = re.compile("(?:" + "|".join("[ \u3000]+".join(k) for k in _KEYS) + ")(?=[ \u3000]*[:：])")
EDGE_SPACE = re.compile(r"^[ \t\u3000\xa0]+|[ \t\u3000\xa0]+$", re.M)
BLANKS = re.compile(r"\n{3,}")


def newlines(doc: Doc) -> None:
    doc.sub(NEWLINES, "\n")


def entities(doc: Doc) -> None:
    n = doc.sub(ENTITY, lambda m: None if html.unescape(m.group()) == m.group() else html.unescape(m.group()))
    if n:
        doc.warnings.append(f"decoded {n} HTML entities")
    text = doc.text

    def repl(m):  # line-breaking tags become a newline unless the line ends there anyway
        breaking = re.match(r"</?(?:br|p|div)\b|br ?/>", m.group(), re.I)
        at_eol = text[m.end():m.end() + 1] in ("\n", "") or text[m.start() - 1:m.start()] in ("\n", "")
        return "\n" if breaking and not at_eol else ""
    n = doc.sub(JUNK, repl)
    if n:
        doc.warnings.append(f"removed {n} markup remnants")


def width(doc: Doc) -> None:
    n = len(WIDE.findall(doc.text))
    if n:
        doc.translate(WIDTH)
        doc.warnings.append(f"converted {n} full-width letters/digits to half-width")
    doc.translate(SPACES)


@lru_cache(maxsize=1)
def _opencc():
    import opencc

    t2s, s2t = opencc.OpenCC("t2s"), opencc.OpenCC("s2t")
    chars = [chr(c) for c in range(0x4E00, 0xA000)]
    conv = t2s.convert("\n".join(chars)).split("\n")
    trad = "".join(c for c, s in zip(chars, conv) if s != c)
    conv = s2t.convert("\n".join(chars)).split("\n")
    simp = "".join(c for c, t in zip(chars, conv) if t != c and c not in trad)
    return t2s, re.compile(f"[{re.escape(trad)}]"), re.compile(f"[{re.escape(simp)}]")


def simplified(text: str) -> str:
    """A string in simplified characters, by the converter `traditional` uses."""
    return _opencc()[0].convert(text)


def traditional(doc: Doc) -> None:
    """Convert to simplified only when the text is detectably traditional."""
    t2s, trad_re, simp_re = _opencc()
    sample = doc.text[:200000]
    n_trad, n_simp = len(trad_re.findall(sample)), len(simp_re.findall(sample))
    if n_trad < 5 or n_trad < 3 * n_simp:
        return
    new = t2s.convert(doc.text)
    if len(new) == len(doc.text):
        doc.text = new
    else:  # phrase conversions changed lengths: redo line by line so offsets stay exact
        edits, pos = [], 0
        for line in doc.text.split("\n"):
            conv = t2s.convert(line)
            if conv != line:
                edits.append((pos, pos + len(line), conv))
            pos += len(line) + 1
        doc.edit(edits)
    doc.warnings.append(f"converted traditional to simplified ({n_trad} traditional vs {n_simp} simplified-only characters)")


# a very long line is a page that lost its line breaks: a space after a sentence end, or a wide gap,
# was one (title, addressees, signature and numbered items then start their own lines again)
LOST_BREAK = re.compile(f"(?<=[。；！？：]){SP}+(?=\\S)|(?<=\\S){SP}{{2,}}(?=\\S)")
LONG_LINE = re.compile(r"^.{120,}$", re.M)


WIDE_GAP = re.compile(f"{SP}{{2,}}")


def _gap_cells(line: str) -> int:
    return len([c for c in WIDE_GAP.split(line.strip()) if c])


def _table_row(text: str, start: int, end: int) -> bool:
    """A line of a table aligned with spaces (序号    重点任务    牵头单位 …): 3+ cells, and so is one of the two
    lines before or after it (a section row such as （一）提升政务服务效能 may sit between)."""
    if _gap_cells(text[start:end]) < 3:
        return False
    first = start
    for _ in range(2):  # the start of the line two lines up
        first = text.rfind("\n", 0, max(0, first - 1)) + 1
    last = end
    for _ in range(2):  # the end of the line two lines down
        nl = text.find("\n", last + 1)
        last = len(text) if nl < 0 else nl
    return any(_gap_cells(line) >= 3 for line in text[first:max(first, start - 1)].split("\n")
               + text[min(end + 1, last):last].split("\n"))


def lost_breaks(doc: Doc) -> None:
    edits = [(m.start(), m.end(), "\n") for line in LONG_LINE.finditer(doc.text)
             if not _table_row(doc.text, line.start(), line.end())
             for m in LOST_BREAK.finditer(doc.text, line.start(), line.end())]
    if doc.edit(edits):
        doc.warnings.append(f"restored {len(edits)} line breaks in long lines")


def spacing(doc: Doc) -> None:
    doc.sub(EDGE_SPACE, "")
    n = doc.sub(LETTER_SPACED, lambda m: re.sub(SP, "", m.group()))
    n += doc.sub(META_KEY_SPACED, lambda m: re.sub(SP, "", m.group()))
    n += doc.sub(STRAY, "")
    if n:
        doc.warnings.append(f"removed stray spaces inside CJK text at {n} places")
    doc.sub(BLANKS, "\n\n")
