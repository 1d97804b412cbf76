"""Removal of gambling / advertising spam injected into or appended to a page.

A line is spam when it carries several strong gambling terms, or one strong term and reads
like an advert (no sentence punctuation). Inside a real line only the whitespace-separated
chunks holding spam terms (and the run of chunks after them) go. Short punctuation-free lines
next to removed spam that carry a weak term (法甲 … vs …, 直播, 赢) go with it. Plan text that
merely mentions 彩票 or 赌博 in a sentence stays.
"""
from __future__ import annotations

import re

from .offsets import Doc, line_bounds

STRONG = re.compile(
    r"博彩|娱乐城|百家乐|时时彩|彩票|注册送|网投|葡京|太阳城|真人(?:娱乐|视讯|荷官|棋牌)|开奖|投注|走势图|"
    r"六合彩|七星彩|双色球|大乐透|pk10|PK10|北京赛车?|快3|快乐\d+|特[码碼]|老虎机|赔率|盘口|彩金|"
    r"百家樂|赌场|赌球|赌盘|棋牌游戏|菠菜|娱乐平台|官方网站开户|开户送|首存|返水|威尼斯人|澳门银河|"
    r"[时吋]彩|组选|稳赚|期期中|注码|财神|生肖")
WEAK = re.compile(r"vs|VS|直播|赢|彩|法甲|英超|西甲|德甲|意甲|欧冠|NBA|比分|竞猜|足球|篮球|开户|娱乐")
SENTENCE = re.compile(r"[，。；：,;:]")


def _is_spam_line(line: str) -> bool:
    hits = STRONG.findall(line)
    if len(hits) >= 2:
        return not SENTENCE.search(line) or len(hits) >= 4
    return len(hits) == 1 and not SENTENCE.search(line) and len(line.strip()) <= 60


def spam(doc: Doc) -> None:
    text = doc.text
    lines: dict[int, int] = {}
    for m in STRONG.finditer(text):
        s, e = line_bounds(text, m.start())
        lines[s] = e
    if not lines:
        return
    drop: list[tuple[int, int]] = []
    for s, e in sorted(lines.items()):
        line = text[s:e]
        if _is_spam_line(line) and not SENTENCE.search(line):
            drop.append((s, e))
            continue
        # a real line with spam chunks glued on: drop from the first spam chunk to the line end
        chunks = list(re.finditer(r"\S+", line))
        for i, c in enumerate(chunks):
            if STRONG.search(c.group()) and not SENTENCE.search(c.group()) and i > 0:
                tail = line[c.start():]
                if len(STRONG.findall(tail)) >= 2 and not SENTENCE.search(tail):
                    drop.append((s + chunks[i - 1].end(), e))
                break
        else:
            if _is_spam_line(line):  # spam that happens to contain punctuation
                drop.append((s, e))
    # weak neighbours: short punctuation-free lines adjacent (across blank lines) to dropped spam
    whole = {(s, e) for s, e in drop if text[s:e] is not None}
    for s, e in list(whole):
        for direction in (-1, 1):
            pos = s - 1 if direction < 0 else e + 1
            while 0 <= pos < len(text):
                ns, ne = line_bounds(text, pos)
                line = text[ns:ne]
                if not line.strip():
                    pos = (ns - 1) if direction < 0 else ne + 1
                    continue
                if (ns, ne) not in whole and len(line.strip()) <= 30 and WEAK.search(line) \
                        and not SENTENCE.search(line):
                    drop.append((ns, ne))
                break
    edits, last = [], -1
    for s, e in sorted(set(drop)):
        if s >= last:
            full = s == line_bounds(text, s)[0]
            end = min(e + 1, len(text)) if full else e
            edits.append((s, end, ""))
            last = end
    removed = sum(e - s for s, e, _ in edits)
    if doc.edit(edits):
        doc.warnings.append(f"removed {removed:,} chars of gambling/advertising spam ({len(edits)} segments)")
