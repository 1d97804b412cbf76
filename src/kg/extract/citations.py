"""Citations: 文号 in any bracket variant, 《titles》 (with nested <…>), and which of them are the
plan's basis (IMPLEMENTS: cited in the preamble after 根据/按照/为贯彻落实…) versus other references.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from kg.model import normalize_doc_no, normalize_title

YEAR_BRACKETS = r"[〔\[［(（【﹝]\s*(?:19|20)\d{2}\s*[〕\]］)）】﹞]"
# the year-and-number core; the issuer abbreviation in front is found by `_issuer_start`
DOC_NO_CORE = re.compile(rf"(?<=[\u4e00-\u9fff]){YEAR_BRACKETS}\s*第?\s*\d{{1,4}}\s*[号號]"
                         r"|令第\s*\d{1,4}\s*号|(?<=公告)\s*(?:19|20)\d{2}\s*年\s*第\s*\d{1,4}\s*号")
ABBREV_STOP = set("的和及与据照即是在对将把为由从按于、，,。；;：:（）()《》<> \n")
ORDER_STOP = ABBREV_STOP - set("和")
# a cited title must name a document, not a licence or a form (营业执照, 汇总表)
DOC_TITLE_END = re.compile(r"(?:方案|计划|意见|办法|通知|规定|条例|法|规划|要点|细则|决定|标准|规范|目录|制度|纲要|"
                           r"指南|报告|批复|函|公告|通报|措施|准则|名录|决议|纪要|指引|守则|大纲|战略|行动|安排|协议|协定)"
                           r"(?:[(（][^()（）]*[)）])*$")
TITLE_RX = re.compile(r"《(?P<title>(?:[^《》\n]|《[^《》\n]*》){2,120})》")
BASIS_WORDS = re.compile(r"根据|按照|依据|贯彻落实|为落实|为贯彻|认真落实|遵照|结合")
# words that may stand between a title and its 文号: 》（郑办〔2019〕9号）, 》登办〔2019〕10号文件
BETWEEN = re.compile(r"^\s*[（(]?\s*$")


# a basis that is not a titled document: 根据中央第二环境保护督察组的反馈意见
UNTITLED_BASIS = re.compile(r"(?:根据|按照|依据|落实)(?P<title>[\u4e00-\u9fff“”]{4,40}?(?:反馈意见|督察意见|整改意见|审计意见|巡视意见|交办意见))")


@dataclass
class Citation:
    title: str | None
    doc_no: str | None
    start: int
    end: int


def _inner_title(title: str) -> str:
    """关于印发<郑州市…方案>的通知 → 郑州市…方案 (the plan a notice carries)."""
    m = re.search(r"印发\s*[<〈《]?(.+?)[>〉》]?\s*的?通知$", title)
    if m:
        inner = m.group(1)
        parts = re.split(r"[>〉》]\s*(?:及|和|、)\s*[<〈《]", inner)
        return parts[-1].strip("<>〈〉《》")
    return title


def _issuer_start(text: str, pos: int, floor: int, limit: int, stop: set[str]) -> int:
    """Walk left from a 文号 core over the issuer abbreviation (郑办, 国办发, 新环发…)."""
    s = pos
    while s > floor and pos - s < limit and "\u4e00" <= text[s - 1] <= "\u9fff" and text[s - 1] not in stop:
        s -= 1
    return s


def _clean_doc_no(raw: str) -> str:
    return normalize_doc_no(re.sub(r"第\s*(?=\d)", "", raw) if "令" not in raw else raw)


SHORT_NAME = re.compile(r"(?:以下)?(?:简称|称)[“\"]?$")


def find_citations(text: str, start: int = 0, end: int | None = None) -> list[Citation]:
    """Every cited document in text[start:end], a title paired with the 文号 right after it."""
    end = len(text) if end is None else end
    # （以下简称《行动计划》）names a document cited just before; it is not one more citation
    titles, run, prev_end = [], [], -1
    for m in list(TITLE_RX.finditer(text, start, end)) + [None]:
        # a title with no document word (《中国教育现代化2035》) counts right after a basis word or in a run
        # of titles that has one, before or after it (根据《中国教育现代化2035》《…规划纲要》等)
        if run and (m is None or m.start() - prev_end > 1):
            if any(ok for ok, _ in run):
                titles += [t for _, t in run]
            run = []
        if m is None:
            break
        if not SHORT_NAME.search(text, max(m.start() - 6, 0), m.start()):
            ok = DOC_TITLE_END.search(m.group("title")) or BASIS_WORDS.search(text, max(m.start() - 4, 0), m.start())
            run.append((bool(ok), (m.start(), m.end(), m.group("title"))))
        prev_end = m.end()
    numbers = []
    for m in DOC_NO_CORE.finditer(text, start, end):
        order = m.group(0).startswith("令")  # 国家发展和改革委员会令第13号: a long issuer name
        ns = _issuer_start(text, m.start(), start, 20 if order else 8, ORDER_STOP if order else ABBREV_STOP)
        if ns < m.start():
            numbers.append((ns, m.end(), text[ns:m.end()]))
    out, used = [], set()
    for ts, te, title in titles:
        doc_no, cend = None, te
        for i, (ns, ne, no) in enumerate(numbers):
            if i not in used and te <= ns <= te + 3 and BETWEEN.match(text[te:ns]):
                doc_no, cend = _clean_doc_no(no), ne
                if text[cend:cend + 1] in ")）":
                    cend += 1
                used.add(i)
                break
        if "令" in title and not doc_no and re.fullmatch(r".+令第\d+号", title):
            doc_no = title
        out.append(Citation(_inner_title(title), doc_no, ts, cend))
    for i, (ns, ne, no) in enumerate(numbers):
        if i in used or any(c.start <= ns < c.end for c in out):
            continue
        bare = no[1:] if no[0] in "（(" else no
        out.append(Citation(None, _clean_doc_no(bare), ns, ne))
    out.sort(key=lambda c: c.start)
    return out


# what may stand before the basis word in its clause: `为深入贯彻落实`, `现根据` — not `各地区、各部门认真贯彻落实`
# a preamble that says what a higher document demands: 《X》提出，要…; 印发《X》，提出…; 《Y》要求…
DEMANDS = re.compile(r"[）)]?[，,]?\s*(?:明确)?(?:提出|要求|明确|部署|强调)")
DEMANDS_ON = re.compile(r"对[^。；]{2,60}?(?:作出|提出|进行)了?[^。；]{0,8}(?:部署|要求|安排)")
BASIS_LEAD = re.compile(r"(?:为了?|现|特|经|并|要|同时)?(?:深入|认真|全面|进一步|切实|坚决|更好地?)*")


def _states_basis(text: str, sentence_start: int, pos: int) -> bool:
    """The sentence before a citation says this plan rests on it: the basis word opens its clause."""
    for m in BASIS_WORDS.finditer(text, sentence_start, pos):
        # a space ends a clause too: a title line run into its preamble (…若干措施 为认真贯彻落实…), 第一条 根据…
        clause_start = max(text.rfind(ch, sentence_start, m.start()) for ch in "，,；;：: \u3000") + 1
        clause_start = max(clause_start, sentence_start)
        # 根据《A》的要求，我局审查了你公司提交的《…报告》: a later clause with an actor of its own (我局, 你公司)
        # is not governed by the basis word (为贯彻…，进一步办好…，落实《…》 still is)
        governs = not re.search(r"[，,；;]\s*(?:[^，,；;]{0,6}?)(?:我|你)", text[m.end():pos])
        if governs and BASIS_LEAD.fullmatch(text[clause_start:m.start()].strip()):
            return True
    return False


def _demands(text: str, c: Citation, citations: list[Citation]) -> bool:
    """The preamble says what the cited document (or the list it opens: 《A》和《B》) demands."""
    end = c.end
    for nxt in citations:  # 《A》和《B》…: read on after the last document of the list
        if nxt.start > end and re.fullmatch(r"\s*[和、及与]\s*", text[end:nxt.start]):
            end = nxt.end
    return bool(DEMANDS.match(text, end) or DEMANDS_ON.match(text, end))


def split_parents(citations: list[Citation], text: str, preamble_end: int,
                  own_title: str | None, own_doc_no: str | None) -> tuple[list[Citation], list[Citation]]:
    """(parents, others): a citation in a preamble sentence that states the basis is a parent."""
    own_t, own_n = normalize_title(own_title), normalize_doc_no(own_doc_no)
    parents, others = [], []
    untitled = UNTITLED_BASIS.search(text, 0, preamble_end)
    if untitled and not any(c.start < preamble_end for c in citations):
        parents.append(Citation(untitled.group("title"), None, untitled.start("title"), untitled.end("title")))
    for c in citations:
        if (own_n and normalize_doc_no(c.doc_no) == own_n) or (own_t and normalize_title(c.title) == own_t):
            continue  # the plan naming itself (印发《本方案》的通知)
        sentence_start = max(text.rfind(ch, 0, c.start) for ch in "。\n") + 1
        if c.start < preamble_end and (_states_basis(text, sentence_start, c.start) or _demands(text, c, citations)) \
                and len(c.title or c.doc_no or "") >= 4:
            parents.append(c)
        else:
            others.append(c)
    return parents, others
