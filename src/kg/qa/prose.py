"""What a plan's text says of a body the graph holds no role for: the items whose prose makes a unit the
subject of a duty (X要…, X会同…, 由X负责, 请X…), and the items that name a body the graph does not hold as a unit
at all (中央财政, 各地公安部门, 人社部门). Answers from the text, each quoted by its span, said as such."""
from __future__ import annotations

import re

from kg.extract.gazetteer import sector_forms
from kg.extract.units import is_unit
from kg.roles import ALL_RELS

from .context import Ctx, docs_of, item_label, sentence_bounds
from .linking import actor_slot, body_forms


COLLECTIVE = re.compile(r"(?P<pre>各地区|各地|各级|地方各级|县级以上|省、市两级|各省|各)(?P<core>[\u4e00-\u9fff]{2,8}?)(?:部门|机关|单位|机构)")


# X要… / X负责… / X会同… ; in a list (X、Y要…) only a modal or 负责 closes it: 国家药监局、联合采购办公室 is no duty
# `民航、铁路等部门在机场、码头设立检查站`: a duty done at a place
_DUTY_AT = r"在[^。；;，,]{2,24}?(?:设立|设置|建立|开展|组织|实施|落实|加强)"
_DUTY_AFTER = (r"(?:要|应|须|将(?=依托|加强|组织|会同|牵头|建立|制定|开展|推动|定期)|负责|牵头|会同|做好|加强|组织|指导|配合|抓好|联合|共同|" + _DUTY_AT +
               r"|对[^。；;，,]{2,30}?(?:承担|负)(?:全面|主体|首要|总)?责任"  # X对…核安全承担全面责任
               r"|[、，,和及与](?:(?!组成|选派|参加)[^。；;，,]){0,30}?(?:要|应当|应|须|负责|牵头|会同"
               r"|联合(?:组织|开展|印发|发布|制定|部署|召开|推进|督查|检查)))")


_FIELD = r"[\u4e00-\u9fff]{2,10}?"  # a field in a list of fields sharing one 部门 (发展改革、财政等部门)


def _innermost(rows: list[dict]) -> list[dict]:
    """An item's text holds its sub-items': keep the deepest items that match."""
    return [r for r in rows if not any(o is not r and o["doc_id"] == r["doc_id"] and r["start"] <= o["start"]
                                       and o["end"] <= r["end"] for o in rows)]


def _with_evidence(c: Ctx, rows: list[dict]) -> list[dict]:
    out = []
    for r in rows:
        ev = c.evidence(r["doc_id"], r["start"], r["end"], "task", source=r.get("text"))
        out.append(dict(r, evidence=[ev] if ev else []))
    return out


def items_as_subject(c: Ctx, names: list[str], docs: list[str]) -> list[dict]:
    """Items of the documents whose text makes one of `names` the subject of a duty (X要…, X会同Y…, 由X负责,
    请X…), each quoted by the sentences that say so."""
    rows: dict[str, dict] = {}
    said: dict[str, list[tuple[int, int]]] = {}
    for name in dict.fromkeys(n for n in names if len(n) >= 2):
        # a national short form (国资委) inside a local body's name (省国资委) is another body
        local = "" if re.match(r"[省市县区州]", name) else r"(?<![省市县区州])"
        duty = re.compile(local + re.escape(name) + _DUTY_AFTER + "|[由请]" + re.escape(name))
        sought = name
        sector = re.fullmatch(r"(?P<word>[\u4e00-\u9fff]{2,10}?)部门", name)
        if sector:  # 交通运输部门 in `交通运输和应急管理等部门要…`: fields listed before one 部门
            word = re.escape(sector.group("word"))
            duty = re.compile(duty.pattern + rf"|(?:{_FIELD}[、和及与])*{word}(?:[、和及与]{_FIELD})*等?(?:有关|相关)?部门"
                              + _DUTY_AFTER)
            sought = sector.group("word")
        for r in c.run("tasks_mentioning", {"docs": docs, "text": sought}):
            text = r.get("text") or ""
            hits = [m.start() for m in duty.finditer(text)]
            if hits:
                rows.setdefault(r["task_id"], r)
                said.setdefault(r["task_id"], []).extend(sentence_bounds(text, i) for i in hits)
    out = []
    for r in _innermost(sorted(rows.values(), key=lambda r: (r["doc_id"], r["start"]))):
        text = r.get("text") or ""
        exact = len(text) == r["end"] - r["start"]  # the text is the document's own span: sentences can be cut
        spans = sorted(set(said[r["task_id"]])) if exact else [(0, len(text))]
        evs = [c.evidence(r["doc_id"], r["start"] + a, r["start"] + b, "task", text[a:b]) for a, b in spans]
        out.append(dict(r, evidence=[e for e in evs if e]))
    return out


def sector_units(c: Ctx, name: str, docs: list[str]) -> list[str]:
    """The units of the named documents a sector word stands for (发改部门 → 国家发展改革委, 人社部门 → 市人社局):
    those whose name holds one of the sector's forms."""
    sector = re.fullmatch(r"(?:各地|各级|各)?(?P<word>[\u4e00-\u9fff]{2,10}?)(?:部门|系统|条线)", name or "")
    forms = sector_forms(sector.group("word")) if sector and docs else frozenset()
    if not forms:
        return []
    return sorted(u for u in _document_units(c, docs) if any(f in u for f in forms))


def _document_units(c: Ctx, docs: list[str]) -> set[str]:
    """Every unit with a role in the named documents."""
    return {r["unit"] for r in c.run("unit_workload_docs", {"docs": docs, "rels": list(ALL_RELS), "limit": 1000})}


def named_in_text(c: Ctx, name: str, docs: list[str]):
    """A body the graph does not hold as a unit: the items of the named document whose text names it (the
    innermost ones), said as such — never another unit's tasks."""
    if not docs:
        return [], f"图中没有找到名为“{name}”的单位。请在问题中写明文件，以便查找文件中写到它的条目。"
    rows = []
    for form in dict.fromkeys([name, name.replace("(", "（").replace(")", "）")]):  # the question's brackets are normalised
        rows = c.run("tasks_mentioning", {"docs": docs, "text": form})
        if rows:
            name = form
            break
    if name.startswith("各") and len(name) >= 4:  # 各区（市、县）: the text also writes 区（市、县）负责…, 由所在区（市、县）…
        ids = {r.get("task_id") for r in rows}
        rows += [r for r in c.run("tasks_mentioning", {"docs": docs, "text": name[1:]}) if r.get("task_id") not in ids]
    said = f"“{name}”"
    sector = re.fullmatch(r"(?:各地|各级|各)?(?P<word>[\u4e00-\u9fff]{2,10}?)部门", name)
    for word in sorted(sector_forms(sector.group("word")) if sector and not rows else (), key=len, reverse=True):
        rows = c.run("tasks_mentioning", {"docs": docs, "text": word + "部门"})  # 人社部门: 人力资源社会保障部门
        if rows:
            said = f"“{word}部门”"
            break
    m = COLLECTIVE.fullmatch(name)
    if not rows and m:  # 各地公安部门: the text lists sectors (各地公安、市场监管部门); the items naming the sector,
        # those that name it after the same collective word first
        rows = c.run("tasks_mentioning", {"docs": docs, "text": m.group("core")})
        near = re.compile(re.escape(m.group("pre")) + r"[^。；;]{0,20}" + re.escape(m.group("core")))
        rows = [r for r in rows if near.search(r.get("text") or "")] or rows
        said = f"“{m.group('core')}”"
    answers = _with_evidence(c, _innermost(rows))
    where = c.doc_label(docs[0])
    if not answers:
        return [], f"图中没有找到名为“{name}”的单位，{where}中也没有写到它的条目。"
    lines = [f"图中没有把“{name}”记为单位（抽取时未读出它的职责分工）。{where}中写到{said}的条目共{len(answers)}项："]
    lines += [f"- {item_label(c, a)}" for a in answers[:30]]
    return answers, "\n".join(lines)


# the bodies that open a sentence of an item and take its duty: `工业和信息化部、公安部…联合组织开展监督检查`,
# `中央财政要根据…`, `各地区、各有关部门要…`
_SUBJECT = re.compile(r"(?:^|(?<=[。；;\n：:]))\s*(?:[由请])?(?P<names>[\u4e00-\u9fff（）()、和及]{2,60}?)" + _DUTY_AFTER)
# `城市间交通费由参加培训人员所在单位承担`: a body named after 由 inside a sentence bears what the sentence names
_BORNE_BY = re.compile(r"由(?P<names>[\u4e00-\u9fff（）()、和及]{2,30}?)(?:依法)?(?:负责|承担|支付|解决|牵头|统一|办理)")
_COLLECTIVE_SUBJECT = re.compile(r"^(?:各|有关|相关|地方各级|县级以上)[\u4e00-\u9fff]{0,10}(?:部门|单位|地区|政府|机关)$"
                                 r"|^(?:中央|地方|省级|市级|县级)财政$"
                                 r"|^[\u4e00-\u9fff（）()]{0,10}(?:地区|城市|省份|各地|省（区、市）|机构|基金)$")  # 试点地区要…


_UNITS_THEN_DUTY = re.compile(r"(?P<names>[\u4e00-\u9fff（）()、和及]{2,60}?)(?=要|应|须|负责|牵头|会同|联合|共同)")


def _bodies(names: str) -> list[str]:
    """The bodies of a subject list (A、B和C), or [] when any item is no body (工业和信息化部 is not cut)."""
    out = [n for piece in names.split("、") if piece
           for n in ([piece] if is_unit(piece) else re.split(r"[和及]", piece)) if n]
    return out if out and all(is_unit(n) or _COLLECTIVE_SUBJECT.match(n) for n in out) else []


_SECTOR_LIST = re.compile(r"(?P<list>[\u4e00-\u9fff、]{4,60}?部门)(?:要|应|须|负责|牵头|会同|" + _DUTY_AT + ")")


def _sectors_sharing_body(names: str) -> list[str]:
    """`各地工业和信息化、市场监管部门`, `交通运输和应急管理等部门` → one 部门 per sector listed before it (a sector
    written with 和, 工业和信息化, is not cut)."""
    m = re.fullmatch(r"(?P<pre>各地|各级|地方各级|省、市两级|市、县两级)?(?P<list>.+?)等?(?:有关|相关)?部门", names)
    if not m:
        return []
    pieces = []
    for piece in m.group("list").split("、"):
        pieces += [piece] if sector_forms(piece) or not re.search(r"[和及]", piece) else re.split(r"[和及]", piece)
    if len(pieces) < 2 or not all(re.fullmatch(_FIELD, p) for p in pieces):
        return []
    return [(m.group("pre") or "") + p + "部门" for p in pieces]


def subjects_in_items(c: Ctx, tasks: list[str], within: tuple[int, int] | None = None) -> list[dict]:
    """Items the graph holds no unit for: the bodies their own sentences make the subject of a duty, one
    answer row per body, quoted by its sentence (read from the text at question time, said as such);
    `within`: only the sentence at those document offsets."""
    out: dict[tuple[str, str], dict] = {}
    for r in c.run("task_details", {"tasks": tasks, "limit": 50}):
        text = r.get("text") or ""
        exact = len(text) == (r["end"] or 0) - (r["start"] or 0)
        if within and not exact:
            continue
        a0, b0 = (within[0] - r["start"], within[1] - r["start"]) if within else (0, len(text))
        for m in [*_SUBJECT.finditer(text, a0, b0), *_BORNE_BY.finditer(text, a0, b0)]:
            names = _bodies(m.group("names"))
            if not names:  # the shortest reading failed (工业 | 和信息化部、公安部…联合组织): the list up to its verb
                listed = _UNITS_THEN_DUTY.match(text, m.start("names"))
                names = _bodies(listed.group("names")) if listed else []
            if not names:
                listed = _SECTOR_LIST.match(text, m.start("names"))
                names = _sectors_sharing_body(listed.group("list")) if listed else []
            if not names:
                continue
            a, b = sentence_bounds(text, m.start("names"))
            ev = c.evidence(r["doc_id"], r["start"] + a, r["start"] + b, "task", text[a:b]) if exact else None
            for name in names:
                row = out.setdefault((r["task_id"], name), {
                    "task_id": r["task_id"], "heading": r.get("heading"), "number": r.get("number"),
                    "doc_id": r["doc_id"], "unit": name, "roles": ["原文主语"], "evidence": [], "from_text": True})
                if ev and ev not in row["evidence"]:
                    row["evidence"].append(ev)
    return list(out.values())


def unit_forms(c: Ctx, units: list[str]) -> list[str]:
    """The names the text may give the asked units: as typed, as linked, and every gazetteer form (人社部)."""
    return [f for n in [m.surface for m in c.ln.units] + units for f in sorted(body_forms(n))]


def asked_actor(c: Ctx) -> str | None:
    """The words in the question's actor slot (`…里，人民银行泰州中支负责哪些条`), the named documents left out."""
    return actor_slot(c.ln.without_titles())


def abbreviates(short: str, full: str) -> bool:
    """`人行泰州中支` of `人民银行泰州中支`: a Chinese short name keeps its long form's characters in order,
    with the same first and last character."""
    if not 3 <= len(short) < len(full) or short[0] != full[0] or short[-1] != full[-1]:
        return False
    rest = iter(full)
    return all(ch in rest for ch in short)


def written_as_in(c: Ctx, docs: list[str]) -> str | None:
    """The unit of the named documents that the body the question names is a short or long form of
    (人民银行泰州中支 asked, 人行泰州中支 written), when exactly one is."""
    asked = asked_actor(c)
    if not asked:
        return None
    units = _document_units(c, docs)
    found = {u for u in units if abbreviates(u, asked) or abbreviates(asked, u)}
    if not found:  # 金融监管局 asked, 市地方金融监管局 written: the one body whose name ends so
        tail = re.compile(r"^[省市县区州]?[\u4e00-\u9fff]{0,4}" + re.escape(asked) + "$")
        found = {u for u in units if len(asked) >= 4 and tail.match(u)}
    return found.pop() if len(found) == 1 else None


def body_named_in_full(c: Ctx, units: list[str]) -> str | None:
    """The body the question names, in full, when it is longer than every linked unit's form and the named
    document writes it (the linked unit has no task there): 省促进中小企业发展工作领导小组办公室, not 领导小组办公室."""
    full = asked_actor(c)
    if not full or full in units or any(full in f for f in unit_forms(c, units)):
        return None
    if any(m.end - m.start >= len(full) for m in c.ln.units):
        return None
    docs = docs_of(c, use_context=False)
    for form in dict.fromkeys([full, full.replace("(", "（").replace(")", "）")]):  # the question's brackets are normalised
        if c.run("tasks_mentioning", {"docs": docs, "text": form}):
            return form
    return None
