"""Responsible units and their roles (lead / responsible / support) in every format plans use.

Formats (see DESIGN.md): `牵头单位:X` / `责任单位:A、B,C` lines, inline `（责任单位：X）`,
per-problem `责任单位：…` blocks, national `（A、B负责，排在第一位的部门为牵头部门，下同）`,
`（A牵头，B、C参与）` / `〔A牵头，B参与，各县区负责落实〕`, and prose (`州环境监察支队牵头实施…`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.extract.divisions import place_codes
from kg.extract.gazetteer import is_known_body, sector_forms

# field labels → role: a role word + a body word (牵头单位, 配合科室, 责任处室…), and a few labels of their own
FIELD_ROLE_WORDS = {"lead": ("牵头", "主办", "主责"),
                    "responsible": ("责任", "负责", "实施", "落实", "承办", "完成", "主体责任", "指导", "考核"),
                    "support": ("配合", "参与", "参加", "协办", "协助", "协同")}
FIELD_BODY_WORDS = ("单位", "部门", "科室", "处室", "股室", "机构")
FIELD_ROLES = {word + body: role for role, words in FIELD_ROLE_WORDS.items() for word in words for body in FIELD_BODY_WORDS}
FIELD_ROLES.update({"牵头": "lead", "牵头领导": None, "责任主体": "responsible", "牵头考核单位": "lead",
                    "承办": "responsible", "协办": "support", "主办": "lead"})
_FIELD_NAMES = "|".join(sorted(FIELD_ROLES, key=len, reverse=True))
# a field label followed by a colon (or in 【】: `【牵头单位】市商务局`), value up to the line end, a closing
# bracket or the next label
_FIELD_FIRST = "".join(sorted({label[0] for label in FIELD_ROLES} | {"【"}))  # (?=[…]): fail fast
FIELD_RX = re.compile(rf"(?=[{_FIELD_FIRST}])(?:【(?P<boxed>{_FIELD_NAMES})】\s*[:：]?|(?P<label>{_FIELD_NAMES})\s*[:：])"
                      r"\s*(?P<value>[^\n）)〕】；;。]*)")

# verbs inside a role clause (`A、B负责` / `A牵头` / `B配合`) → role
CLAUSE_VERBS = [
    ("负责落实", "responsible"), ("按职责分工负责", "responsible"), ("分工负责", "responsible"), ("分别负责", "responsible"),
    ("共同负责", "responsible"), ("具体落实", "responsible"), ("具体负责", "responsible"), ("牵头负责", "lead"), ("牵头", "lead"), ("负责", "responsible"),
    ("落实", "responsible"), ("配合", "support"), ("参与", "support"), ("参加", "support"), ("协助", "support"),
    ("协同", "support"), ("协办", "support"), ("承办", "responsible"), ("主办", "lead"), ("指导", "responsible"),
]
_VERBS = "|".join(v for v, _ in CLAUSE_VERBS)
CLAUSE_ROLE = dict(CLAUSE_VERBS, 责任="responsible")  # 责任 only as prose `X为责任单位`, not as a clause's verb
# a bracketed group that ends a sentence and holds role clauses: （…负责…） 〔…牵头…〕
# a bracketed group; one level of brackets may nest inside (各市、县〔区〕人民政府)
GROUP_RX = re.compile(r"[（(〔【\[]((?:[^（）()〔〕【】\[\]\n]|[（(〔\[][^（）()〔〕【】\[\]\n]{1,12}[）)〕\]]){2,240}?)[）)〕】\]]")
OPEN, CLOSE = "（(〔【[", "）)〕】]"
# `各市、县（区）人民政府` is one collective body, not 各市 + 县（区）人民政府
BARE_LEVEL = re.compile(r"^(?:各|有关)(?:市|县|区|乡|镇|州|盟|旗|地)$")
CLAUSE_RX = re.compile(rf"^(?P<units>.+?)(?:等(?:有关|相关)?(?:部门|单位))?(?:按职责(?:分工)?)?(?P<verb>{_VERBS})(?:实施|落实)?$")
LEAD_FIRST_RULE = re.compile(r"(?:排在|排|列|列在|位列)(?:第一位|首位|首|第一)(?:的|者)?[\u4e00-\u9fff]{0,4}为牵头")
LEAD_MARK = re.compile(r"[（(](?:牵头|牵头单位|牵头部门)[）)]$")
# `…排在第一位的为牵头单位，其他为配合单位`: under that rule the units after the first support
OTHERS_SUPPORT = re.compile(r"[^。；;\n]{0,8}?其[他余](?:的)?(?:单位|部门|为)?(?:为)?(?:配合|协办|参与)")


@lru_cache(maxsize=8)
def others_under_lead_first(text: str) -> str:
    """The role of the units after the first under the document's lead-first rule: support when the rule
    says so (其他为配合单位), else responsible."""
    m = LEAD_FIRST_RULE.search(text)
    return "support" if m and OTHERS_SUPPORT.match(text, m.end()) else "responsible"


# `以下各项工作任务均涉及各县（市、区）、市直园区，不再单独列出`: units of every later task
IMPLIED_RULE = re.compile(r"以下各项[\u4e00-\u9fff]{0,6}均(?:涉及|由|需)(?P<units>[^。；;：:]{2,60}?)(?:负责|落实|参与)?[，,]\s*不再(?:单独|一一)?列出")

UNIT_SUFFIX = (
    "人民政府|政府|管委会|管理委员会|委员会|工作委员会|办公室|办公厅|领导小组|联席会议|指挥部|中心|总局|总署|支队|大队|中队|分局|海关|"
    "局|厅|委|办|部|署|司|所|科|站|院|队|室|处|银行|分行|支行|总行|商行|农发行|国开行|进出口行|[工农中建交人]行|社|协会|商会|工会|联合会|公司|集团|企业|村|社区|街道|乡镇|镇|乡|园区|各县区|县区|县市|单位|"
    "部门|银行|法院|检察院|组|团|馆|校|学校|大学|医院|平台|基金会|担保基金|厂|妇联|理事会"
)
UNIT_RX = re.compile(rf"^[\u4e00-\u9fffA-Za-z0-9（）()·]{{1,30}}?(?:{UNIT_SUFFIX})(?:[（(][\u4e00-\u9fff、]{{1,10}}[）)])?$")
# prose: `X牵头实施…`, `X要牵头做好…`, `其中，X负责…`, `由X负责…`
PROSE_RX = re.compile(r"(?P<verb>(?<=为)(?:牵头|责任|配合|参与|协办)(?=单位|部门)"  # X为牵头单位，Y、Z为配合单位
                      r"|(?:牵头|负责|配合|参与|参加|协助|主办|承办|(?<=职责分工)落实|(?<=各自职责)落实)"
                      r"(?!人|同志|制(?![定订作])|任|单位|方))")  # 负责制 is a system; 负责制定 a duty; A、B按职责分工落实
PROSE_LEFT_STOP = re.compile(r"[。；;，,：:\n！？（(“”\"]")
PROSE_STRIP_HEAD = re.compile(r"^(?:其中|同时|并由|并|由|请|另外|此外|具体由|主要由|要|均由)+")
PROSE_STRIP_TAIL = re.compile(r"(?:为|要|应|应当|须|必须|需|需要|统一|具体|主要|共同|全面|负总责|按照?各自职责|按职责(?:分工)?|等(?:[省市县区]直)?(?:有关|相关)?(?:部门|单位)(?:和|及)?(?:部门|单位)?)+$")
LIST_SPLIT = re.compile(r"[、，,；;/]|等和|[和及](?=各)")
NOT_UNITS = re.compile(r"^(?:你|我)|^(?:各有关|有关|相关|其他|等|各级|各地|各相关|上述|本|各职能|各责任|各|责任|职能|各牵头|各成员|各配合)(?:部门|单位)?$"
                       r"|人$|同志$|领导$|负责人$|以下|均需|^引导|^鼓励|^支持|^推动|(?:筹|承|举|主|创|开|代|协|交|操|包|经)办$")
# subject of a directive sentence: `州环保局于2017年5月10前…`, `各县市、园区环保部门要根据…`, `由X负责…`
SUBJECT_RX = re.compile(r"(?P<verb>每(?:月|季度|半年|年|周)(?=对|开展|组织|召开|通报|调度|督查|检查|报送)|要|应当|应(?![急用对收届付])|须|必须|需(?!求)|承担(?=[^，。；]{0,30}(?:职责|工作|任务))|于(?=\d)|在(?=\d|深入)|按照|根据|统筹|会同|进行(?=问责|督查|核查))")
# `X要会同A、B对…`: X leads, the bodies it works with support
TAKES_LEAD = re.compile(r"(?:充分|切实)?发挥(?:好)?牵头")
TOGETHER_WITH = re.compile(r"(?:要|应当|应|须|将)?(?:继续)?(?:会同|牵头)")
NOT_SUBJECT_HEAD = re.compile(r"^(?:对|在|为|凡|如|经|从|自|向|就|以|把|将)")
GROUP_TAIL = re.compile(r"等(?:相关|有关)?(?:科室|部门|单位)$")
# subjects that are kinds of actors, not units: 新建涉VOCs排放的工业企业, 同行业内企业, 企业内部
GENERIC_SUBJECT = re.compile(r"的|企业$|院所$|内部$|^同|^全[省市县区]各"
                             r"|^各?(?:采购|用人|项目|建设|施工|申报|主管|行业|属地|地方|当地|承租|出租|参保|监管|政府)?(?:单位|政府|部门)$")
PLACE_ONLY = re.compile(r"^各?[\u4e00-\u9fff]{0,6}?(?:县市|县区|市县|乡镇|县|市|区|州|镇|乡|园区|街道)(?:[（(][^）)]*[）)])?$")
PLACE_HEAD = re.compile(r"^各?[\u4e00-\u9fff]{0,6}?(?:县市|县区|市县|乡镇|园区|县|市|区|州|镇|乡|街道)")


@dataclass
class RawMention:
    raw: str  # surface form (after list splitting / prefix expansion)
    role: str
    start: int
    end: int
    evidence_start: int  # span of the whole statement, for the evidence quote
    evidence_end: int
    expanded: str = ""  # name after shared prefix/suffix expansion (各县市 → 各县市环保部门); "" = raw


def _top_level_cuts(value: str, is_cut) -> list[int]:
    """Positions outside brackets where `is_cut(value, i)` holds, then len(value)."""
    cuts, depth = [], 0
    for i, ch in enumerate(value):
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and is_cut(value, i):
            cuts.append(i)
    return cuts + [len(value)]


def split_units(value: str, offset: int) -> list[tuple[str, int, int]]:
    """Split a unit list `A、B,C和D` into (name, start, end); brackets are kept intact."""
    parts, cur_start = [], 0
    for i in _top_level_cuts(value, lambda v, k: LIST_SPLIT.match(v, k)):
        piece = value[cur_start:i]
        lead_ws = len(piece) - len(piece.lstrip())
        name = piece.strip().rstrip("等。.")
        if name:
            s = offset + cur_start + lead_ws
            if parts and BARE_LEVEL.match(parts[-1][0]) and value[i - len(name) - 1:i - len(name)] == "、":
                prev = parts.pop()  # 各市、县（区）人民政府
                parts.append((prev[0] + "、" + name, prev[1], s + len(name)))
            else:
                parts.append((name, s, s + len(name)))
        cur_start = i + 1
    return [piece for part in parts for piece in _spaced(part)]


def _spaced(part: tuple[str, int, int]) -> list[tuple[str, int, int]]:
    """`市工业和信息化局 市发展改革委 市财政局` (a table cell, names apart by single spaces): one name per
    piece when every piece is a body; else the name as written (its spaces are dropped later)."""
    name, s, _ = part
    if " " not in name and "\u3000" not in name:
        return [part]  # (most names: no pass over them)
    pieces = [(m.group(), s + m.start(), s + m.end()) for m in re.finditer(r"\S+", name)]
    if len(pieces) > 1 and all(is_unit(_clean_name(p)) for p, _, _ in pieces):
        return pieces
    bodies = next((i for i, (p, _, _) in enumerate(pieces) if not is_unit(_clean_name(p))), len(pieces))
    if 0 < bodies < len(pieces) and len(pieces[bodies][0]) >= PROSE_AFTER_A_NAME:
        return pieces[:bodies]  # `各行政执法部门 本政策执行期暂定为…`: the next sentence ran into the value
    return [part]


PROSE_AFTER_A_NAME = 8  # characters of a non-name piece after the names, in a value that lost its line break


# two names with no separator: `区政府集体资产监管办区住房城市建设委` (a level word opens the second, after a body suffix)
RUN_TOGETHER = re.compile(r"(?<=[办委局厅部室心队所站院])(?=[省市区县州](?![场域级属直内外委政]))")


def split_conjoined(parts: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """`国家发展改革委和科技部`, `市工业和信息化局及专班成员单位` → two bodies, cut at the first 和/及/与 with an
    organisation name on both sides (工业和信息化部 stays whole)."""
    out = []
    for name, s, e in parts:
        cut = next((m for m in re.finditer(r"[和及与]", name)
                    if is_unit(name[:m.start()]) and is_unit(_clean_name(name[m.end():]))), None)
        cut = cut or next((m for m in RUN_TOGETHER.finditer(name)
                           if is_unit(name[:m.start()]) and len(name) - m.end() >= 4 and is_unit(name[m.end():])), None)
        if cut:
            out += [(name[:cut.start()], s, s + cut.start()), (name[cut.end():], s + cut.end(), e)]
        else:
            out.append((name, s, e))
    return out


def split_together(names: list[tuple[str, int, int]]) -> list[tuple[str, int, int, str]] | None:
    """`A会同B、C` (负责…): A leads, B and C support — (name, start, end, role); None without 会同."""
    together = next((i for i, (n, _, _) in enumerate(names) if "会同" in n), None)
    if together is None:
        return None
    n, s, e = names[together]
    k = n.index("会同")
    names = names[:together] + [(n[:k], s, s + k), (n[k + 2:], s + k + 2, e)] + names[together + 1:]
    return [(name, s, e, "lead" if i <= together else "support") for i, (name, s, e) in enumerate(names)]


def split_clauses(inner: str) -> list[tuple[str, int]]:
    """Clauses of a bracketed group split at ，；。 outside nested brackets, with their offsets."""
    out, start = [], 0
    for i in _top_level_cuts(inner, lambda v, k: v[k] in "，,；;。"):
        out.append((inner[start:i], start))
        start = i + 1
    return out


SPACES = re.compile(r"\s+")
HOSTED_AT = re.compile(r"[（(]设在[^（）()]{2,20}[）)]$")  # 领导小组办公室（设在县发改局）: where it sits, not its name
# `领导小组办公室设在省人社厅，负责日常工作`: the office bears the duty of the clause after it
HOSTED_OFFICE = re.compile(r"(?P<office>[\u4e00-\u9fff]{2,30}?(?:办公室|专班))设在[\u4e00-\u9fff]{2,20}?[，,]")
TRAILING_GROUP = re.compile(r"等(?:其他)?(?:有关|相关)?(?:部门|单位)?(?:[和及](?:部门|单位))?$")
LEADING_AND = re.compile(r"^(?:以及|及|和|与)")
SENTENCE_END = re.compile(r"[。；;\n]")


def sentence_end(text: str, pos: int, end: int) -> int:
    """Where the sentence running at `pos` stops (its 。；or line break), at most `end`: a statement's evidence."""
    stop = SENTENCE_END.search(text, pos, end)
    return stop.start() if stop else end


def sentence_start(text: str, pos: int, floor: int) -> int:
    """Where the sentence running at `pos` begins (after its 。；or line break), at least `floor`."""
    return max(floor, max(text.rfind(ch, floor, pos) for ch in "。；;\n") + 1)


SUBJECT_ADVERB = re.compile(r"(?:将|也|还|再|继续)+$")  # 工业和信息化部将会同…


# 街道平安建设办公室（以下简称街道平安办）: the short name a plan declares for a body
SHORT_NAME = re.compile(r"[（(](?:以下)?简称[“\"]?(?P<short>[\u4e00-\u9fff]{2,12})[”\"]?[）)]")


def declared_short_names(text: str) -> dict[str, str]:
    """{short name: full name} for every body the text introduces with （以下简称X）."""
    out = {}
    if "简称" not in text:
        return out
    for m in SHORT_NAME.finditer(text):
        head = max(text.rfind(ch, 0, m.start()) for ch in "，,。；;：:\n、") + 1
        full = _clean_name(PROSE_STRIP_HEAD.sub("", text[head:m.start()], count=1))
        if is_unit(full) and is_unit(m.group("short")) and full != m.group("short"):
            out[m.group("short")] = full
    return out


def _clean_name(name: str) -> str:
    name = SPACES.sub("", name)
    name = SHORT_NAME.sub("", name)
    name = HOSTED_AT.sub("", name)
    name = TRAILING_GROUP.sub("", name)
    name = LEADING_AND.sub("", name)
    return name.strip("“”\"'：:·.。")


@lru_cache(maxsize=65536)
def is_unit(name: str) -> bool:
    """A name that reads as an organisation anywhere in the text (suffix or gazetteer)."""
    if not name or not 2 <= len(name) <= 32 or NOT_UNITS.search(name):
        return False
    return bool(UNIT_RX.match(name)) or is_known_body(name) or bool(NAMED_AGENCY.match(name))


# `国家海上搜救机构`: a 机构 is a body when a national or level prefix names it (not 金融机构, 第三方机构)
NAMED_AGENCY = re.compile(r"^(?:国家|中国|全国|中央)[\u4e00-\u9fff]{2,12}机构$")

# in a role position anything listed is a unit unless it is clearly something else
NOT_LISTED_UNIT = re.compile(r"[的，。；：:“”《》]|\d{2,}|等.|牵头|负责|配合|^(?:对|在|为|将|把|按照|根据|加强|推进|推动|支持|鼓励|引导|做好|"
                             r"确保|建立|完善|实施|开展|组织|结合|通过|以下|上述|同时|其中)|"
                             r"^(?:有关方面|社会各界|社会力量|群众|企业|个人|全社会|等|其他)$")
COLLECTIVE = re.compile(r"^(?:各|有关|相关)")
GENERIC_BODIES = re.compile(r"(?:国务院)?(?:各)?(?:有关|相关)?(?:部门|单位)")
# words that put a phrase in running text, never in an organisation's name
# (市委组织部 is a body; so is a group named after its work: 县优化营商环境工作领导小组办公室（设在县发改局）)
VERBISH = re.compile(r"^(?!.*(?:领导小组|工作专班|专班|指挥部|联席会议)(?:办公室)?(?:[（(][^（）()]*[）)])?$).*?"
                     r"(?:提供|宣传(?!部)|反映|积极|广泛|加强|加快|推进|鼓励|引导|推动|做好|开展|提高|实施|培育|探索|优化|深化|依托|"
                     r"(?<!社会)保障|满足|约谈|组织(?!部)|制定|编制|建立|储备|落实|完善|等.)")


@lru_cache(maxsize=65536)
def is_listed_unit(name: str) -> bool:
    """A list item in a role position (field, role clause, role column): position first — a unit
    unless it is clearly not one; collective actors (各有关部门, 各设区市政府) count."""
    if not name or not 2 <= len(name) <= 25 or NOT_LISTED_UNIT.search(name):
        return False
    return is_unit(name) or bool(COLLECTIVE.match(name)) or len(name) <= 12


def field_mentions(text: str, start: int, end: int, lead_first: bool = False) -> list[RawMention]:
    """`牵头单位:X` / `责任单位：A、B` lines and inline （责任单位：X） fields inside [start, end);
    with the document's `列首位的为牵头单位` rule the first unit of a 责任单位 list leads."""
    out = []
    m = FIELD_RX.search(text, start, end)
    while m:
        # a value ends where the next label starts: （牵头单位：A、B，责任单位：C）
        following = FIELD_RX.search(text, m.start("value"), end)
        value_end = _field_end(text, m.start("value"), following.start() if following else end)
        label = m.group("label") or m.group("boxed")
        role = FIELD_ROLES[label]
        # bare 牵头： counts only as a field at a line start or in brackets
        value = text[m.start("value"):value_end]
        clauses = [c.strip() for c, _ in split_clauses(value)]
        if role is not None and len(clauses) > 1 and any(CLAUSE_RX.match(c) for c in clauses):
            # 责任单位：A牵头，B、C配合，D具体落实 — the value's own role clauses
            found, pending = role_clauses(text, value, m.start("value"), lead_first, m.start(), value_end)
            out += found + [RawMention(n, role, s, e, m.start(), value_end) for n, s, e in pending]
        elif role is not None and (label != "牵头" or m.group("boxed") or text[m.start() - 1:m.start()] in "（(\n"):
            for i, (name, s, e) in enumerate(split_conjoined(split_units(text[m.start("value"):value_end], m.start("value")))):
                marked = LEAD_MARK.search(name)  # 县教育局（牵头）: the marked unit leads
                if marked:
                    name, e = name[:marked.start()], s + marked.start()
                if is_listed_unit(_clean_name(name)):
                    r = ("lead" if i == 0 else others_under_lead_first(text)) if lead_first and role == "responsible" else role
                    out.append(RawMention(_clean_name(name), "lead" if marked else r, s, e, m.start(), value_end))
        m = following
    return out


def _field_end(text: str, pos: int, end: int) -> int:
    """End of a field's value: the line end, ；。 or the bracket that closes the field — brackets inside
    a name (各县（市、区）政府) do not end it."""
    depth = 0
    while pos < end:
        ch = text[pos]
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            if depth == 0:
                break
            depth -= 1
        elif ch in "\n；;。" and depth == 0:
            break
        pos += 1
    return pos


def field_like_units(text: str, m: re.Match) -> list[RawMention]:
    """The units named by a document-wide rule (IMPLIED_RULE), as responsible mentions."""
    out = []
    for name, s, e in split_units(m.group("units"), m.start("units")):
        if is_listed_unit(_clean_name(name)):
            out.append(RawMention(_clean_name(name), "responsible", s, e, m.start(), m.end()))
    return out


def clause_mentions(text: str, start: int, end: int, lead_first: bool) -> tuple[list[RawMention], bool]:
    """Bracketed role clauses: （A、B负责） （A牵头，B配合） 〔A牵头，B参与，各县区负责落实〕.

    `lead_first` is the document's national-style rule `排在第一位的部门为牵头部门`: the first unit of
    a `…负责` list leads. Returns the mentions and the (possibly newly stated) rule.
    """
    out = []
    for g in GROUP_RX.finditer(text, start, end):
        inner, base = g.group(1), g.start(1)
        if LEAD_FIRST_RULE.search(inner):
            lead_first = True
        if FIELD_RX.search(inner):
            continue  # handled as fields
        found, pending = role_clauses(text, inner, base, lead_first, g.start(), g.end())
        out += found
        if pending and lead_first:  # （A、B、C，列首的为牵头单位，下同）, then （A、B）: a bare list under that rule
            for i, (name, s, e) in enumerate(pending):
                out.append(RawMention(name, "lead" if i == 0 else others_under_lead_first(text), s, e, g.start(), g.end()))
    return out, lead_first


def role_clauses(text: str, inner: str, base: int, lead_first: bool, ev_start: int, ev_end: int
                 ) -> tuple[list[RawMention], list[tuple[str, int, int]]]:
    """The role clauses of `inner` (at `base` in text): `A牵头，B、C配合，D具体落实` → mentions, and a trailing
    bare list still waiting for its verb."""
    out = []
    pending: list[tuple[str, int, int]] = []  # `A牵头，B、C，D配合`: B、C take the role of the next verb
    for clause, at in split_clauses(inner):
        c_start = base + at + len(clause) - len(clause.lstrip())
        clause = clause.strip()
        if LEAD_FIRST_RULE.search(clause) or clause in ("下同", ""):
            continue
        m = CLAUSE_RX.match(clause)
        listed_text, listed_at = (m.group("units") if m else clause), c_start
        by = listed_text.rfind("由")  # （技工院校内由人力资源社会保障行政部门负责）
        if m and by >= 0:
            listed_text, listed_at = listed_text[by + 1:], c_start + by + 1
        listed = split_conjoined(split_units(listed_text, listed_at))
        names = [(n, s, e) for n, s, e in ((_clean_name(n), s, e) for n, s, e in listed) if is_listed_unit(n)]
        if not m:
            all_units = names and len(names) == len(listed) and all(is_unit(n) or COLLECTIVE.match(n) for n, _, _ in names)
            pending = pending + names if all_units else []
            continue
        names, pending = pending + names, []
        if not names or not (is_unit(names[0][0]) or COLLECTIVE.match(names[0][0])):
            continue  # `（以下简称…负责）`: a role verb, but no organisation in front of it
        role = CLAUSE_ROLE[m.group("verb")]
        together = split_together(names)
        if together:  # （国家发展改革委会同有关部门负责）: the first leads, the others support
            out += [RawMention(name, r, s, e, ev_start, ev_end) for name, s, e, r in together
                    if is_listed_unit(name) or GENERIC_BODIES.fullmatch(name)]
            continue
        for i, (name, s, e) in enumerate(names):
            r = ("lead" if i == 0 else others_under_lead_first(text)) \
                if (role == "responsible" and lead_first and m.group("verb") == "负责") else role
            out.append(RawMention(name, r, s, e, ev_start, ev_end))
    return out, pending


ROLE_WORDS = re.compile(r"牵头|负责|配合|参与|协办|承办|责任单位|责任部门|牵头单位")


def unread_role_groups(text: str, start: int, end: int, found: list[RawMention]) -> list[tuple[int, int]]:
    """Bracketed groups that read like a role clause but gave no unit: what a user should check."""
    out = []
    for g in GROUP_RX.finditer(text, start, end):
        inner = g.group(1)
        if not ROLE_WORDS.search(inner) or LEAD_FIRST_RULE.search(inner) or len(inner) > 120:
            continue
        if not any(g.start() <= m.start < g.end() for m in found):
            out.append((g.start(), g.end()))
    return out


# a duty list written unit first: `（一）镇应急管理办公室：负责修订完善…`, `1.县委宣传部：牵头做好…`
UNIT_FIRST = re.compile(r"[ \t\u3000]*(?P<units>[\u4e00-\u9fff（）()、]{2,40}?)[：:][ \t\u3000]*(?:主要)?(?P<verb>负责|牵头|承担|配合|协助|落实|做好|组织|开展)")


def unit_first_mentions(text: str, start: int, end: int) -> list[RawMention]:
    """The units an item opens with, before a colon and its duty, each with the role of that duty's verb."""
    m = UNIT_FIRST.match(text, start, end)
    if not m:
        return []
    units = [(_clean_name(n), s, e) for n, s, e in split_units(m.group("units"), m.start("units"))]
    if not units or not all(is_unit(n) and is_listed_unit(n) for n, _, _ in units):
        return []
    role = {"牵头": "lead", "配合": "support", "协助": "support"}.get(m.group("verb"), "responsible")
    return [RawMention(n, role, s, e, m.start("units"), sentence_end(text, m.end(), end)) for n, s, e in units]


def prose_mentions(text: str, start: int, end: int, taken: list[tuple[int, int]]) -> list[RawMention]:
    """Roles stated in running text: `州环境监察支队牵头实施…`, `其中，矿区煤炭科负责煤炭生产环节`."""
    out, previous = [], start
    for m in PROSE_RX.finditer(text, start, end):
        if any(s <= m.start() < e for s, e in taken):
            continue
        left = m.start()
        stop = max(_clause_start(text, left, start), previous)  # `由A主办、B承办`: B's list starts after 主办
        previous = m.end() + (text[m.end():m.end() + 1] in "、，,")
        phrase = text[stop:left]
        if text[m.end():m.end() + 1] == "的" and "由" not in text[_clause_start(text, left, start):left]:
            continue  # 负责的同志; but 由X牵头、Y参加的工作组 gives both their roles
        head = PROSE_STRIP_HEAD.match(phrase)
        offset = stop + (head.end() if head else 0)
        phrase = PROSE_STRIP_TAIL.sub("", phrase[head.end() if head else 0:])
        if not phrase:
            # (…设在国家医保局，由…参加，具体负责…)
            hosted = HOSTED_OFFICE.search(text, sentence_start(text, stop, start), stop) if stop > start else None
            if hosted and m.group("verb") == "负责":
                out.append(RawMention(hosted.group("office"), "responsible", hosted.start("office"), hosted.end("office"),
                                      hosted.start(), sentence_end(text, m.end(), end)))
            continue
        by = phrase.rfind("由")  # `技工院校内由人力资源社会保障行政部门负责`
        if by >= 0:
            offset, phrase = offset + by + 1, phrase[by + 1:]
        elif text[stop - 1:stop] in "”\"" and stop > start:
            continue  # `省推进“三地一区”建设领导小组…成员单位`: a name the quote cut, not a whole one
        role = CLAUSE_ROLE[m.group("verb")]
        if m.group("verb") == "负责" and text.startswith("牵头", m.end()):
            role = "lead"  # 市民政局负责牵头建立…台账
        interprets = text.startswith("解释", m.end())  # 本政策由A会同B负责解释: the interpreting body, responsible
        if interprets:
            phrase = re.sub(r"会同.*$", "", phrase)
        listed = [(_clean_name(n), s, e) for n, s, e in split_conjoined(split_units(phrase, offset))]
        # `由A会同B、C负责审查`: A leads, B and C support
        units = split_together(listed) if role == "responsible" and not interprets else None
        units = [u for u in units if not GENERIC_BODIES.fullmatch(u[0])] if units else None  # 会同相关部门: nobody named
        units = units or [(n, s, e, role) for n, s, e in listed]
        if not units or not all(is_unit(n) and is_listed_unit(n) and not GENERIC_SUBJECT.search(n) and not VERBISH.search(n)
                                for n, *_ in units):
            continue
        clause_end = PROSE_LEFT_STOP.search(text, m.end(), end)  # (a prose role's evidence stops at its clause)
        ev_end = clause_end.start() if clause_end else end
        for name, s, e, r in units:
            out.append(RawMention(name, r, s, e, stop, ev_end))
    return out


def subject_mentions(text: str, start: int, end: int, taken: list[tuple[int, int]]) -> list[RawMention]:
    """The unit list that opens a directive clause is responsible for it (`X要…`, `X于…前…`)."""
    out = []
    for m in SUBJECT_RX.finditer(text, start, end):
        if any(s <= m.start() < e for s, e in taken):
            continue
        stop = _clause_start(text, m.start(), start)
        if text[stop - 1:stop] in "，," and stop - 1 > start:
            # `州环保局污控科、大气办等相关科室，要根据…`: the subject ends in 等…科室 before a comma
            prev = _clause_start(text, stop - 1, start)
            if GROUP_TAIL.search(text, prev, stop - 1):
                stop = prev
        phrase = text[stop:m.start()]
        if "会同" in phrase:
            continue  # `X要会同Y统筹…`: the sentence's subject was read at 要, its partners at 会同
        by = phrase.rfind("由")  # `依据相关法规由纪检监察部门进行问责`
        if by >= 0:
            stop, phrase = stop + by + 1, phrase[by + 1:]
        head = PROSE_STRIP_HEAD.match(phrase)
        offset = stop + (head.end() if head else 0)
        phrase = GROUP_TAIL.sub("", phrase[head.end() if head else 0:].rstrip("，, "))
        phrase = SUBJECT_ADVERB.sub("", phrase)
        if not phrase or len(phrase) > 40 or (phrase.endswith("所") and (
                m.group("verb") in ("需", "须") or m.group("verb") == "要" and text[m.end():m.end() + 1] in "求的")):
            continue  # `…数字化转型所需`, `所要求的`: not a 所 (office); 镇财政所要保障… is one
        units = split_conjoined(split_units(phrase, offset))
        names = expand_shared_suffix([_clean_name(n) for n, _, _ in units])
        if not all(is_unit(n) or NOT_UNITS.search(n) for n in names):
            continue
        kept = [(n, u) for n, u in zip(names, units)
                if is_unit(n) and is_listed_unit(n) and not PLACE_ONLY.match(n) and not GENERIC_SUBJECT.search(n)
                and not VERBISH.search(n)]
        if NOT_SUBJECT_HEAD.match(phrase) and not _names_a_body(phrase):
            continue  # `对开展疫情防控所…`: an adverbial, not a subject (自然资源部门要…: a body)
        ev_end = sentence_end(text, m.end(), end)
        together = TOGETHER_WITH.match(text, m.start() if m.group("verb") == "会同" else m.end())
        leads = TAKES_LEAD.match(text, m.end())  # 县商务局要发挥牵头抓总作用
        role = "lead" if together or leads else "responsible"
        for name, (raw, s, e) in kept:
            out.append(RawMention(_clean_name(raw), role, s, e, stop, ev_end, expanded=name))
        if together and kept:
            out += _partners(text, together.end(), ev_end, stop)
    return out


def _names_a_body(phrase: str) -> bool:
    """A body known to the gazetteer (经济和信息化局), or a sector's 部门 (自然资源部门), whatever its first character."""
    return is_known_body(phrase) or (phrase.endswith("部门") and bool(sector_forms(phrase[:-2])))


# the partners' list ends at a clause stop or where a body's name is followed by 对/向/为/在 (…会同镇应急办对各村…)
PARTNERS_END = re.compile(r"[，,。；;：:]|(?<=[局委办室队所站院心厅部])(?=[对向为在把将])")


# the bodies a letter speaks of as 你/我: 你公司应… (its addressee), 我部将… (its issuer)
def _partners(text: str, start: int, end: int, ev_start: int) -> list[RawMention]:
    """The named bodies after 会同 (`会同发展改革委、工业和信息化部对…`), up to the first non-name."""
    stop = PARTNERS_END.search(text, start, end)
    phrase_end = stop.start() if stop else end
    out = []
    for name, s, e in split_units(text[start:phrase_end], start):
        name = _clean_name(name)
        cut = _unit_prefix(name)  # the last item runs into the verb phrase: `银保监会对本意见…`
        if not cut or not (is_listed_unit(cut) or GENERIC_BODIES.fullmatch(cut)) or VERBISH.search(cut):
            break
        out.append(RawMention(cut, "support", s, s + len(cut), ev_start, end))
        if cut != name:
            break
    return out


WORDS_ACROSS_A_SUFFIX = ("组织", "部署", "处理", "处置", "办理", "所需", "所有", "院校", "站位", "队伍")  # …服务中心组织施工: 中心


def _unit_prefix(name: str) -> str:
    """The longest head of `name` that is an organisation name ("" if none); 有关部门 counts here,
    and a cut never splits 部门 / 单位."""
    for i in range(min(len(name), 25), 1, -1):
        head = name[:i]
        if name[i:i + 1] in ("门", "位") or name[i - 1:i + 1] in WORDS_ACROSS_A_SUFFIX or VERBISH.search(head):
            continue  # (县消防救援大队制定农村 ends like a village; its head before the verb is the body)
        if is_unit(head) or GENERIC_BODIES.fullmatch(head):
            return head
    return ""


def _clause_start(text: str, pos: int, floor: int) -> int:
    """Start of the clause ending at `pos`; brackets inside a name (县(区)人民政府) do not end it."""
    depth = 0
    while pos > floor:
        ch = text[pos - 1]
        if ch in ")）":
            depth += 1
        elif ch in "(（" and depth:
            depth -= 1
        elif PROSE_LEFT_STOP.match(ch):
            break
        pos -= 1
    return pos


def expand_shared_suffix(names: list[str]) -> list[str]:
    """`各县市、园区环保部门` → 各县市环保部门, 园区环保部门: a bare place borrows the unit part of the
    last item when that item is place + unit."""
    if len(names) < 2:
        return names
    last = names[-1]
    head = PLACE_HEAD.match(last)
    rest = last[head.end():] if head else ""
    if not rest or not is_unit(rest):
        return names
    return [n + rest if PLACE_ONLY.match(n) else n for n in names]


def expand_shared_prefix(names: list[str], prefixes: set[str]) -> list[str]:
    """`矿区西送表村、丁村` → 矿区西送表村, 矿区丁村: a short item borrows the place prefix of the
    item before it when both end in the same kind of unit (村, 所, 局…)."""
    out = []
    for i, name in enumerate(names):
        prev = out[i - 1] if i else None
        if prev:
            prefix = next((p for p in sorted(prefixes, key=len, reverse=True) if prev.startswith(p)), None)
            if prefix and not name.startswith(prefix) and not name.startswith("各") \
                    and name[-1] == prev[-1] and len(name) <= 4:
                name = prefix + name
        out.append(name)
    return out


# the last item of `济南、青岛、烟台市政府`: a place, its level word, the body the earlier places share
PLACE_LEVEL_BODY = re.compile(r"^(?P<place>[\u4e00-\u9fff]{2,4}?)(?P<level>市|县|州|盟)(?P<body>[\u4e00-\u9fff]{2,8})$")


def expand_shared_level(names: list[str]) -> list[str]:
    """`济南、青岛、烟台市政府` → 济南市政府, 青岛市政府, 烟台市政府: bare place names (known divisions)
    borrow the level word and body of the list's last item when that item is such a place + body."""
    last = PLACE_LEVEL_BODY.match(names[-1]) if len(names) >= 2 else None
    if not last or last.group("place") not in place_codes() or not is_unit(last.group("level") + last.group("body")):
        return names
    shared = last.group("level") + last.group("body")
    return [n + shared if n in place_codes() and len(n) <= 4 and not is_unit(n) else n for n in names]

