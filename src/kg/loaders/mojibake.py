"""Repair of HTML-entity mojibake from GBK pages decoded one byte off (seed 003).

The rule, checked on every occurrence in seed 003: a ``?`` is one lost GBK byte and toggles the
byte alignment. Between an opening and a closing ``?`` every item -- an entity ``#NNNNN;`` (the
``&`` is gone) or a literal character -- is two GBK bytes of the *misaligned* stream. So a run
``? X1 X2 ... ?`` carries the bytes ``u1 | gbk(X1) gbk(X2) ... | u2`` which re-pair into
``len(items) + 1`` real characters; only the lead byte of the first and the trail byte of the
last are unknown. Entities right after the closing ``?`` are aligned again and decode as
themselves::

    ?#20013;?#25913;善  ->  u1 D6 D0 u2 | 改 善  ->  持 续 改 善   (u1=B3, u2=F8)

The unknown bytes are chosen by ranking every candidate character pair with jieba's word
frequencies plus character bigrams of government prose (`_bigrams.py`); a character with too
little evidence is written as □ and counted as uncertain.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache

from .offsets import Doc

RUN = re.compile(r"\?((?:#\d{2,6};|[^\x00-\x7f?\n]){1,16}?)\?((?:#\d{2,6};)*)")
ITEM = re.compile(r"#(\d{2,6});|([^\x00-\x7f?\n])")
MARK = "□"
HALF_TO_FULL = str.maketrans(",;:()?!", "，；：（）？！")
PUNCT = "，。、；：？！“”（）《》"
# Policy vocabulary missing from (or too rare in) jieba's general dictionary.
DOMAIN_WORDS = """党工委 党委 管委会 工委 属地 属地管理 属地为主 问效 跟踪问效 回头看 燃煤 燃煤锅炉 督导 督查
整改 销号 限时销号 立行立改 扰民 异味 异味扰民 餐厨 餐厨垃圾 厨余 厨余垃圾 生态湿地 人工湿地 清扫率
油品 油品质量 达标排放 违法行为 集聚区 工业集聚区 环境功能区 功能区划 示范乡镇 示范县 承载力 环境承载力
标准引领 分局 环保分局 追究制度 责任追究 考核体系 部署 决策部署 不放过 持续改善 持续推进 持续提升 优质 实质性 利用率
达到或优于 死灰复燃 网格化 污水管网 截污纳管 提标改造 挥发性有机物 清洁能源 集中供热 秸秆 扬尘
黑臭水体 河长制 湖长制 排污许可 危险废物 固体废物 医疗废物 绿色金融 生态文明 督察 整改措施 热线""".split()
# log-probabilities of punctuation (jieba's dictionary has none)
PUNCT_LP = {"，": -3.2, "。": -3.9, "、": -4.2, "“": -5.1, "”": -5.1, "：": -5.5, "；": -5.8,
            "（": -5.8, "）": -5.8, "《": -5.8, "》": -5.8, "？": -8.5, "！": -8.5}
CJK = "\u4e00-\u9fff" + PUNCT
MARGIN = 1.5  # nats between best and runner-up below which a character is uncertain
MIN_EVIDENCE = -14.0
DEBUG = False
BIGRAM_WEIGHT = 1.0  # per-character log-probability below which nothing supports a choice


@lru_cache(maxsize=1)
def _model():
    import jieba  # imported lazily: only texts with mojibake pay for the dictionary
    from . import _bigrams

    jieba.setLogLevel(60)
    tok = jieba.Tokenizer()
    tok.initialize()
    for w in DOMAIN_WORDS:
        tok.add_word(w, freq=max(tok.FREQ.get(w) or 0, 10000))
    uni = {m.group(1): int(m.group(2)) for m in re.finditer(r"(\D)(\d+)", _bigrams.UNIGRAMS)}
    bi = {m.group(1): int(m.group(2)) for m in re.finditer(r"(\D\D)(\d+)", _bigrams.BIGRAMS)}
    return tok, uni, bi, sum(uni.values())


def _gbk(ch: str) -> bytes | None:
    try:
        b = ch.encode("gbk")
    except UnicodeEncodeError:
        return None
    return b if len(b) == 2 else None


def _char(b: bytes) -> str | None:
    """A plausible character for a GBK pair: common hanzi (GB2312) or Chinese punctuation."""
    try:
        c = b.decode("gbk")
    except UnicodeDecodeError:
        return None
    if c in PUNCT or ("\u4e00" <= c <= "\u9fff" and 0xB0 <= b[0] <= 0xF7 and b[1] >= 0xA1):
        return c
    return None


@lru_cache(maxsize=512)
def _first_candidates(trail: int) -> tuple[str, ...]:
    return tuple(c for u in range(0x81, 0xFF) if (c := _char(bytes([u, trail]))))


@lru_cache(maxsize=512)
def _last_candidates(lead: int) -> tuple[str, ...]:
    return tuple(c for u in range(0x40, 0xFF) if (c := _char(bytes([lead, u]))))


def _bg(a: str, b: str, local: dict[str, int]) -> float:
    _, uni, bi, n = _model()
    pb = (uni.get(b, 0) + 0.5) / (n + 3000)
    return math.log((bi.get(a + b, 0) + 3 * local.get(a + b, 0) + 5 * pb) / (uni.get(a, 0) + 5))


def _bigram_lp(s: str, local: dict[str, int]) -> float:
    return sum(_bg(a, b, local) for a, b in zip(s, s[1:]))


def _jieba_lp(s: str) -> float:
    tok = _model()[0]
    total = 0.0
    for piece in re.split(f"([{PUNCT}])", s):
        if piece in PUNCT_LP:
            total += PUNCT_LP[piece]
        elif piece:
            route: dict = {}
            tok.calc(piece, tok.get_DAG(piece), route)
            total += route[0][0]
    return total


def _word_supported(left: str, mid: str, right: str, c1s, c2s) -> tuple[set, set]:
    """Candidates that complete a dictionary word together with the known neighbours."""
    freq = _model()[0].FREQ
    s1, s2 = set(), set()
    for n in range(0, min(3, len(left)) + 1):
        pre = left[len(left) - n:]
        for a in c1s:
            w = pre + a
            if w not in freq:
                continue
            if n and freq[w]:
                s1.add(a)
            w2 = w + mid
            if mid and freq.get(w2):
                s1.add(a)
            for b in c2s if (not mid or w2 in freq) else ():
                w3 = w2 + b
                if w3 in freq:
                    if freq[w3]:
                        s1.add(a); s2.add(b)
                    for m in range(1, min(3, len(right)) + 1):
                        if freq.get(w3 + right[:m]):
                            s1.add(a); s2.add(b)
    for b in c2s:
        for pre in (mid[-2:], mid[-1:], ""):
            for m in range(0, min(3, len(right)) + 1):
                w = pre + b + right[:m]
                if len(w) > 1 and freq.get(w):
                    s2.add(b)
    return s1, s2


def _quote_bonus(line_left: str, c: str) -> float:
    last = max(line_left.rfind("“"), line_left.rfind("”"), line_left.rfind('"'))
    opened = last >= 0 and line_left[last] == "“"
    if c == "”":  # a quotation opened a few characters ago most likely closes here
        return (6.0 if len(line_left) - last <= 10 else 3.0) if opened else -3.0
    if c == "“":
        return -3.0 if opened else 0.0
    return 0.0


def _solve(left, mid, right, c1s, c2s, local, line_left):
    """Best (first, last) characters and whether each is certain."""
    left, right = left.translate(HALF_TO_FULL), right.translate(HALF_TO_FULL)
    lp = lambda s: _bigram_lp(s, local)  # noqa: E731
    w1, w2 = _word_supported(left, mid, right, c1s, c2s)
    w1 |= {c for c in c1s if c in PUNCT}
    w2 |= {c for c in c2s if c in PUNCT}
    if mid:
        s1 = set(sorted(c1s, key=lambda c: -lp(left[-1:] + c + mid[:1]))[:10]) | w1
        s2 = set(sorted(c2s, key=lambda c: -lp(mid[-1:] + c + right[:1]))[:10]) | w2
        pairs = {(a, b) for a in s1 for b in s2}
    else:
        la = {a: _bg(left[-1], a, local) if left else 0.0 for a in c1s}
        rb = {b: _bg(b, right[0], local) if right else 0.0 for b in c2s}
        ranked = sorted(((a, b) for a in c1s for b in c2s),
                        key=lambda p: -(la[p[0]] + _bg(p[0], p[1], local) + rb[p[1]]))
        pairs = set(ranked[:30]) | {(a, b) for a in w1 | {p[0] for p in ranked[:8]}
                                    for b in w2 | {p[1] for p in ranked[:8]}}
    scored = []
    for a, b in pairs:
        s = left + a + mid + b + right
        bonus = _quote_bonus(line_left, a) + _quote_bonus(line_left + a + mid, b)
        if not right:  # the run ends its line: a sentence end is likely
            bonus += 2.0 if b in "。”）" else -2.0 if b in PUNCT else 0.0
        scored.append((_jieba_lp(s) + BIGRAM_WEIGHT * lp(s) + bonus, a, b))
    scored.sort(reverse=True)
    best, a, b = scored[0]
    alt_a = max((s for s, x, _ in scored if x != a), default=-1e9)
    alt_b = max((s for s, _, y in scored if y != b), default=-1e9)
    weak = best / (len(left) + len(mid) + len(right) + 2) < MIN_EVIDENCE
    return a, b, not weak and best - alt_a >= MARGIN, not weak and best - alt_b >= MARGIN, scored[:4]


def repair(doc: Doc, context: int = 4) -> None:
    text = doc.text
    if "?#" not in text:
        return
    edits, fixed, uncertain, runs = [], 0, 0, 0
    plain = RUN.sub("\n", text).translate(HALF_TO_FULL)  # the document's own evidence
    local: dict[str, int] = {}
    for piece in re.findall(r"[\u4e00-\u9fff，。、；：？！“”（）《》]{2,}", plain):
        for i in range(len(piece) - 1):
            local[piece[i:i + 2]] = local.get(piece[i:i + 2], 0) + 1
    for m in RUN.finditer(text):
        items = [chr(int(i.group(1))) if i.group(1) else i.group(2) for i in ITEM.finditer(m.group(1))]
        if not any(i.group(1) for i in ITEM.finditer(m.group(1))):
            continue  # no entity: an ordinary question mark pair
        raw = [_gbk(c) for c in items]
        if None in raw:
            continue
        data = b"".join(raw)
        try:
            mid = data[1:-1].decode("gbk")
        except UnicodeDecodeError:
            continue
        aligned = "".join(chr(int(x)) for x in re.findall(r"#(\d+);", m.group(2)))
        left = text[max(0, m.start() - context):m.start()].translate(HALF_TO_FULL)
        left = re.search(f"[{CJK}]*$", left).group()
        right = (aligned + text[m.end():m.end() + context])[:context].translate(HALF_TO_FULL)
        right = re.match(f"[{CJK}]*", right).group()
        c1s, c2s = _first_candidates(data[0]), _last_candidates(data[-1])
        if not c1s or not c2s:
            a, b, ok1, ok2 = MARK, MARK, False, False  # no GB2312 character fits
        else:
            line_left = text[text.rfind("\n", 0, m.start()) + 1:m.start()]
            a, b, ok1, ok2, top = _solve(left, mid, right, c1s, c2s, local, line_left)
            if DEBUG:
                print(repr(left), mid, repr(right), ok1, ok2, [(round(x, 1), p + mid + q) for x, p, q in top])
        a, b = (a if ok1 else MARK), (b if ok2 else MARK)
        uncertain += (not ok1) + (not ok2)
        fixed += len(mid) + 2 + len(aligned)
        runs += 1
        edits.append((m.start(), m.end(), a + mid + b + aligned))
    if doc.edit(edits):
        doc.warnings.append(f"repaired {fixed} mojibake characters in {runs} runs "
                            f"({uncertain} uncertain, marked {MARK})")
