"""Document metadata: title, 文号, issuer, date, level and region.

Sources, best first: the page's metadata block (文号: / 成文日期: / 发布机构:), the notice wrapper
(`X关于印发《Y》的通知`), the title line(s), the signature at the end (issuer + date).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg import resources
from rapidfuzz import fuzz

from kg.extract.divisions import division_prefix
from kg.extract.citations import DOC_NO_CORE, _clean_doc_no, _issuer_start, ABBREV_STOP
from kg.loaders.furniture import META_KEY, parse_meta
from kg.model import normalize_doc_no

TITLE_SUFFIX = re.compile(r"(?:实施方案|工作方案|行动方案|整改方案|方案|计划|意见|办法|通知|规定|细则|规划|要点|决定|措施|政策|分工表|任务表|台账|"
                          r"条例|纲要|清单|分工|批复|函|公告|通报|报告)(?:[(（][^()（）]{1,20}[)）])?$")
TITLE_CHARS = re.compile(r"[\u4e00-\u9fff\d（）()“”\"《》〈〉<>、—\-－・·]+")
FORWARDED = re.compile(r"(?:现将|现就)《(?P<title>[^》]{4,80})》(?:印发|转发)给你们|《(?P<t2>[^》]{4,80})》已经[^。]{0,30}同意，?现印发给你们")
# …的通知（黔发改服务〔2020〕111号）: a 文号 printed after the title on the same line
TRAILING_DOC_NO = re.compile(r"\s*[（(][^（）()]{0,20}〔\d{4}〕[^（）()]{0,12}[）)]\s*$")
NOTICE = re.compile(r"^(?P<issuer>(?!关于)[\u4e00-\u9fff、（）()“”]{2,60}?)?(?:关于)?(?:印发|转发|下达)[《<〈]?(?P<inner>.+?)[》>〉]?的?(?:通知|函)$")
CN_DATE = re.compile(r"((?:19|20)\d{2})\s*[年\-./]\s*(\d{1,2})\s*[月\-./]\s*(\d{1,2})\s*日?")
SIGN_DATE_LINE = re.compile(r"^\s*(?P<org>[\u4e00-\u9fff（）()\s]{2,200}?\s*)?((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:印发|发布)?\s*$")
ORG_LINE = re.compile(r"^(?:国务院|中共中央)$|^[\u4e00-\u9fff（）()]{2,40}(?:人民政府|政府|国务院|委员会|管委会|办公室|办公厅|局|厅|部|委|署|总局|党委|党组|党工委|工作委员会)$")  # 中共X局党组 issues 整改方案
REGION_RX = re.compile(r"^(?:中共)?(?P<region>[\u4e00-\u9fff]{2,10}?(?:经济技术开发区|经济开发区|高新技术产业开发区|高新区|开发区|"
                       r"矿区|新区|园区|自治区|自治州|自治县|特别行政区|省|市|州|盟|县|旗|区|镇|乡|街道))")
NATIONAL = re.compile(r"^(?:国务院|中共中央|全国|国家|中华人民共和国|[\u4e00-\u9fff]{1,8}部(?:关于|办公厅)|生态环境部|海关总署|"
                      r"税务总局|财政部|商务部|发展改革委)")


@dataclass
class Metadata:
    title: str | None = None
    doc_no: str | None = None
    issuer: str | None = None
    date: str | None = None
    level: str | None = None
    region: str | None = None


@lru_cache(maxsize=1)
def issuer_abbreviations() -> dict[str, str]:
    """loaders/issuers.tsv: 文号 prefix (郑办) → issuing office (中共郑州市委办公厅)."""
    table = {}
    for line in resources.read_text("loaders", "issuers.tsv").splitlines():
        if line and not line.startswith("#") and "\t" in line:
            abbrev, name = line.split("\t")[:2]
            table[abbrev.strip()] = name.strip()
    return table


def issuer_of_doc_no(doc_no: str | None) -> str | None:
    if not doc_no:
        return None
    prefix = re.split(r"[〔\[(（]", normalize_doc_no(doc_no))[0]
    return issuer_abbreviations().get(prefix)


def _iso(m) -> str:
    return f"{int(m[0]):04d}-{int(m[1]):02d}-{int(m[2]):02d}"


SEGMENT_BREAK = re.compile(r"(?<=\S{2})[ \t\u3000\u00a0]+(?=\S{2})|[ \t\u3000\u00a0]{2,}")
LEADING_DOC_NO = re.compile(r"^[\u4e00-\u9fff]{1,12}(?:〔|\[|［|【|\(|（)(?:19|20)\d{2}(?:〕|\]|］|】|\)|）)\d{1,4}[号號][-—－:：]?")
HEADER_ORG = re.compile(r"^(?P<org>.{2,40}?)文件$")
# an order is titled by its issuer and number: X指挥部令（第1号）
ORDER = re.compile(r"^(?P<org>[\u4e00-\u9fff（）()“”]{4,60}?)令\s*[（(]?(?P<no>第[\d一二三四五六七八九十百]+号)[）)]?$")
# a notice that runs on without line breaks: …请认真贯彻执行。国务院2016年7月28日
INLINE_SIGNATURE = re.compile(r"请(?:认真)?(?:结合实际)?(?:认真)?贯彻(?:执行|落实)。\s*(?P<org>[\u4e00-\u9fff（）()、]{2,40}?)\s*"
                              r"(?P<y>(?:19|20)\d{2})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日")


def _segments(text: str, start: int, end: int) -> list[tuple[int, str]]:
    """Non-empty pieces of text[start:end] with inner spacing removed (工 作 方 案 → 工作方案).

    A line is one piece, except that pages which lost their line breaks (title, addressees, notice,
    signature and body run together on one line) are cut where spaces separate pieces of two or
    more characters; letter-spaced titles (single characters) stay whole."""
    out, pos = [], start
    for line in text[start:end].splitlines(keepends=True):
        at = 0
        body = line.rstrip("\r\n")
        for m in list(SEGMENT_BREAK.finditer(body)) + [None]:
            piece_end = m.start() if m else len(body)
            piece = re.sub(r"[\s\u3000]+", "", body[at:piece_end]).lstrip("•·-*")
            piece = re.sub(r"[（(]此件(?:公开发布|主动公开|依申请公开)[）)]", "", piece)
            if piece:
                out.append((pos + at, piece))
            at = m.end() if m else at
        pos += len(line)
    return out


def find_metadata(text: str, meta: dict[str, str] | None, body_start: int) -> Metadata:
    md = Metadata()
    fields = meta if meta is not None else parse_meta(text)
    head = text[:body_start] if body_start > 0 else text[:1500]

    # 文号: metadata block, else a 文号 alone near the top (not inside a citation)
    no = fields.get("文号")
    if no and DOC_NO_CORE.search(no):
        md.doc_no = normalize_doc_no(no)
    else:
        for _, piece in _segments(head, 0, min(len(head), 800)):
            for m in DOC_NO_CORE.finditer(piece):
                s = _issuer_start(piece, m.start(), 0, 8, ABBREV_STOP)
                # the document's own 文号 stands alone or opens a piece, never inside a citation
                alone = "《" not in piece and len(piece) <= m.end() - s + 12
                if s < m.start() and (alone or s == 0):
                    md.doc_no = _clean_doc_no(piece[s:m.end()])
                    break
            if md.doc_no:
                break

    # title: 关于印发《X》的通知 carries it; else a short line ending in a document word (joined over 2 lines)
    lines = _segments(text, 0, max(body_start, 1)) or _segments(text, 0, 1500)
    lines = [(pos, TRAILING_DOC_NO.sub("", LEADING_DOC_NO.sub("", line))) for pos, line in lines]
    notices = []  # (has an issuer, position, match): a crawled page may repeat the notice title, once mangled
    for i in range(min(len(lines), 12)):
        k, n = next(((k, n) for k in (1, 2, 3, 4) if (n := NOTICE.match("".join(l for _, l in lines[i:i + k])))),
                    (0, None))
        if n:
            notices.append((bool(n.group("issuer")), -i, i, k, n))
    if notices:
        _, _, i, k, n = max(notices, key=lambda x: x[:2])
        md.title = _printed_title(n.group("inner").strip("《》<>〈〉"), [l for _, l in lines[i + 1:i + 10]])
        if n.group("issuer"):
            first = i  # more bodies printed apart before the ones the wrapper matched (ten ministries on one line)
            while first > 0 and ORG_LINE.match(lines[first - 1][1]):
                first -= 1
            md.issuer = _joint_issuers([l for _, l in lines[first:i + k - 1]],
                                       "".join(l for _, l in lines[first:i]) + n.group("issuer"))
    if not md.title:
        order = next((o for o in (ORDER.match(line) for _, line in lines[:3]) if o), None)
        if order:
            md.title, md.issuer = order.group(0), order.group("org")
            md.doc_no = md.doc_no or order.group("no")
    if not md.title:
        named = fields.get("名称")
        if named:
            md.title = named
    if not md.title:
        m = FORWARDED.search(text[:max(body_start, 1500)])
        if m:
            md.title = m.group("title") or m.group("t2")
    if not md.title:
        md.title = _title_from_lines([l for _, l in lines[:12]])
    if md.title:
        md.title = re.sub(r"^(?:附件\d*[:：]?)", "", md.title)
        n = NOTICE.match(md.title)
        if n:
            md.title, md.issuer = n.group("inner").strip("《》<>〈〉"), md.issuer or n.group("issuer")

    # issuer: metadata block, notice wrapper, an organisation line at the top, the signature
    md.issuer = fields.get("发布机构") or md.issuer
    if not md.issuer:
        md.issuer = _header_issuers([line for _, line in lines[:4]])
    if not md.issuer and md.title:  # 国务院办公厅关于…的意见: the title names its issuer
        m = re.match(r"^(?P<issuer>[\u4e00-\u9fff]{2,40}?)关于", md.title)
        if m and ORG_LINE.match(m.group("issuer")):
            md.issuer = m.group("issuer")
    sign_issuer, sign_date = _signature(text, body_start)
    md.issuer = md.issuer or sign_issuer or issuer_of_doc_no(md.doc_no)

    if not sign_date:
        inline = INLINE_SIGNATURE.search(text, 0, max(body_start, 1500))
        if inline and ORG_LINE.match(inline.group("org")):
            sign_issuer, sign_date = inline.group("org"), _iso(inline.group("y", "m", "d"))
            md.issuer = md.issuer or sign_issuer

    # date: 成文日期, else the signature (the date the office signed; 发布日期 is when a site posted it),
    # else a date line in the header, else 发布日期
    m = CN_DATE.search(fields.get("成文日期", ""))
    md.date = _iso(m.groups()) if m else sign_date
    if not md.date:  # a date line in the header; or a whole line of a joint signature, its bodies printed apart
        for line in [l for _, l in lines[:15]] + text[:max(body_start, 1)].splitlines()[:15]:
            m = SIGN_DATE_LINE.match(line)
            if m:
                md.date = _iso(m.groups()[1:])
                break
    if not md.date:
        m = CN_DATE.search(fields.get("发布日期", ""))
        md.date = _iso(m.groups()) if m else None

    md.region, md.level = region_and_level(md.title, md.issuer, md.doc_no)
    return md


def _header_issuers(lines: list[str]) -> str | None:
    """The organisation line(s) at the top; a joint document lists several, the last one running into
    its title (工业和信息化部 / 国家发展和改革委员会关于…的指导意见)."""
    orgs = []
    for line in lines:
        header = HEADER_ORG.match(line)  # 贵阳市人民政府办公厅文件: the red header
        org = header.group("org") if header else line
        if ORG_LINE.match(org):
            orgs.append(org)
            continue
        joined = re.match(r"^(?P<org>[\u4e00-\u9fff]{2,40}?)关于", line)
        if orgs and joined and ORG_LINE.match(joined.group("org")):
            orgs.append(joined.group("org"))
        if orgs:
            break
    return "、".join(orgs) or None


def _joint_issuers(pieces: list[str], joined: str) -> str:
    """`工业和信息化部 科技部 财政部 商务部关于印发…`: the bodies printed apart, listed with 、."""
    head = "".join(pieces)
    if pieces and all(ORG_LINE.match(p) for p in pieces) and joined.startswith(head):
        rest = joined[len(head):]
        return "、".join(pieces + ([rest] if rest else []))
    return joined


def _printed_title(inner: str, after: list[str]) -> str:
    """The notice names the plan (关于印发应对…若干措施的通知); the plan's own title line printed below
    it (陕西省应对…的若干措施) is its title when the two are the same words."""
    for line in after:
        if len(line) <= 80 and TITLE_SUFFIX.search(line) and fuzz.ratio(line, inner) >= 80:
            return line
    return inner


def _title_from_lines(lines: list[str]) -> str | None:
    """A title set over up to four short lines (or space-separated pieces) near the top, ending in a
    document word."""
    for i, line in enumerate(lines):
        joined = ""
        for nxt in lines[i:i + 4]:  # a joint title: 工业和信息化部办公厅 公安部办公厅 …关于…的通知
            if len(nxt) > (200 if "关于" in nxt else 60) or not TITLE_CHARS.fullmatch(nxt) or "->" in nxt or META_KEY.match(nxt):
                break
            joined += nxt
            if TITLE_SUFFIX.search(joined):
                return joined
    return None


def _signature(text: str, body_start: int) -> tuple[str | None, str | None]:
    """Issuer and date from the signature: organisation line(s) followed by a date line, after the
    body (the first one: an appendix may follow it)."""
    lines = [l for _, l in _segments(text, body_start, len(text))]
    for i, line in enumerate(lines):
        m = SIGN_DATE_LINE.match(line.replace("\u3000", " "))
        if not m:
            continue
        if m.group("org") and ORG_LINE.match(m.group("org").strip()):  # 山东省人民政府办公厅2019年3月15日印发
            return m.group("org").strip(), _iso(m.groups()[1:])
        orgs = []  # the organisation pieces right above the date (several for a joint plan)
        for cand in lines[max(0, i - 4):i][::-1]:
            if not ORG_LINE.match(cand):
                break
            orgs.insert(0, cand)
        return ("、".join(orgs) or None), _iso(m.groups()[1:])
    return None, None


@lru_cache(maxsize=1)
def province_abbreviations() -> dict[str, str]:
    """loaders/gazetteer/province_abbreviations.tsv: 黔 → 贵州省 (the province that opens a 文号)."""
    rows = resources.read_text("loaders", "gazetteer", "province_abbreviations.tsv").splitlines()[1:]
    return dict(line.split("\t")[:2] for line in rows if "\t" in line)


# a place name is not a clause: 关于全力支持服务业市(场主体…) ends in 市 but names no place
NOT_A_PLACE = re.compile(r"^(?:关于|印发|转发)|支持|促进|推进|加快|发展|服务业|全力|做好|进一步")


def region_and_level(title: str | None, issuer: str | None,
                     doc_no: str | None = None) -> tuple[str | None, str | None]:
    for name in (title, issuer):
        if not name:
            continue
        if NATIONAL.match(name):
            return "全国", "national"
        known = division_prefix(re.sub(r"^中共", "", name))
        if known:
            return known
        m = REGION_RX.match(name)
        if m and not NOT_A_PLACE.search(m.group("region")):
            region = m.group("region")
            return region, _level(region)
    province = province_abbreviations().get((doc_no or "")[:1])  # 黔发改服务〔2020〕111号, title 关于…
    if province:
        return province, "province"
    return None, None


def _level(region: str) -> str:
    if region.endswith(("省", "自治区")) or region in ("北京市", "天津市", "上海市", "重庆市"):
        return "province"
    if region.endswith(("开发区", "高新区", "矿区", "新区", "园区")):
        return "zone"
    if region.endswith(("州", "盟", "市")):
        return "city"
    if region.endswith(("县", "旗", "区", "自治县")):
        return "county"
    return "township"
