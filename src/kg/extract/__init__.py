"""Text → Plan: metadata, numbered tasks, unit roles, deadlines, targets and citations.

`extract_file(path)` reads any supported file through kg.loaders and never raises: a file that
cannot be read gives a Plan whose `error` names the file and the reason.
"""
from __future__ import annotations

import re
from pathlib import Path

from kg.extract.citations import find_citations, split_parents
from kg.extract.divisions import place_codes
from kg.extract.deadlines import find_deadlines
from kg.extract.gazetteer import national_body
from kg.extract.metadata import find_metadata
from kg.extract.numbered_duties import item_number, numbered_duties
from kg.extract.structure import find_items, heading_of, paragraph_items, salutation
from kg.extract.tables import indicator_targets, table_tasks, unmapped_headers
from kg.extract.targets import find_targets
from kg.extract.unit_names import canonical_names, place_prefixes, unit_kind
from kg.extract.addressed import WE_RX, YOU_RX, addressees, duty_list_intros, pronoun_mentions, request_mentions
from kg.extract.units import (IMPLIED_RULE, declared_short_names, is_unit, LEAD_FIRST_RULE, RawMention, clause_mentions, expand_shared_level,
                              expand_shared_prefix, field_like_units, field_mentions, prose_mentions, subject_mentions,
                              unit_first_mentions, unread_role_groups)
from kg.model import PREAMBLE_PATH, Deadline, DocRef, Plan, Task, Unit, UnitMention, document_id

ROLE_RANK = {"lead": 3, "responsible": 2, "support": 1}
YEAR_IN_TITLE = re.compile(r"((?:19|20)\d{2})(?:年|—|-)")
BODY_END = re.compile(r"^\s*(?:附\s*件\s*[:：\d]|抄送[:：]|$)")
NEWLINE = re.compile(r"\n")


def extract_file(path: str | Path) -> Plan:
    """Load and extract one file; errors are returned in Plan.error, never raised."""
    from kg.loaders import LoadError, load_file

    try:
        loaded = load_file(path)
    except LoadError as exc:
        return Plan(source=str(path), error=str(exc))
    plan = extract_text(loaded.text, source=str(path), meta=loaded.meta)
    plan.warnings = list(loaded.warnings) + plan.warnings
    return plan


def extract_text(text: str, source: str = "<text>", meta: dict[str, str] | None = None) -> Plan:
    """Extract a Plan from cleaned text (all offsets in the Plan point into `text`)."""
    items = find_items(text)
    if _name_list(text, items):
        items = []  # a letter's numbered list of addressees (1.中国核工业集团有限公司 …) is not its task list
    unnumbered = not items  # a letter or short notice: its paragraphs are its items, all of it states its basis
    items = items or paragraph_items(text)
    body_start = items[0].start if items else len(text)
    md = find_metadata(text, meta, body_start)
    plan = Plan(source=source, title=md.title, doc_no=md.doc_no, issuer=md.issuer, date=md.date,
                level=md.level, region=md.region, text=text)
    doc_year = _document_year(md.title, md.date, text)
    plan_end = _five_year_plan_end(md.title)  # the year a 十三五 plan's targets are for, when an item names none
    issued = int(md.date[:4]) if md.date else None

    citations = find_citations(text)
    parents, others = split_parents(citations, text, len(text) if unnumbered else _basis_end(items, body_start), md.title, md.doc_no)
    plan.parents = _dedupe_refs(DocRef(c.title, c.doc_no, c.start, c.end) for c in parents)
    cited_spans = [(c.start, c.end) for c in citations]

    doc_id = document_id(md.doc_no, md.title, fallback=source)
    tasks, mentions = [], {}
    # a rule the notice states before its items (列首位的为牵头部门) holds for every item's list
    lead_first = bool(items) and bool(LEAD_FIRST_RULE.search(text, 0, items[0].start))
    years_read: dict = {}  # item spans → the first year they write (_context_year)
    to = salutation(text[:body_start]) if body_start else None  # a letter's addressee (你公司), its issuer (我部)
    addressee = (to.group("org"), to.span("org")) if to else (None, None)
    requested = addressees(text[:body_start]) if body_start else []  # `请于…前报送`: of every addressee
    at = text.find(md.issuer) if md.issuer else -1
    issuer = (md.issuer, (at, at + len(md.issuer))) if at >= 0 else (None, None)
    by_item = {}
    implied = [(m, field_like_units(text, m)) for m in IMPLIED_RULE.finditer(text)]
    intros = duty_list_intros(text)
    for item in items:
        parent = by_item.get(id(item.parent)) if item.parent else None
        task = Task(id=f"{doc_id}#{item.path}", parent_id=parent.id if parent else None, number=item.number,
                    path=item.path, heading=heading_of(text, item.body_start, item.end),
                    text=text[item.start:item.end].strip(), start=item.start,
                    end=item.start + len(text[item.start:item.end].rstrip()))
        by_item[id(item)] = task
        tasks.append(task)
        found, lead_first = _role_mentions(text, item.body_start, task.end, lead_first)
        found += pronoun_mentions(text, item.body_start, task.end, YOU_RX, *addressee)
        found += pronoun_mentions(text, item.body_start, task.end, WE_RX, *issuer)
        found += request_mentions(text, item.body_start, task.end, requested)
        for s, e in unread_role_groups(text, item.body_start, task.end, found):
            plan.warnings.append(f"role clause with no unit read in {item.path} at {s}–{e}: {text[s:e][:60]}")
        if found:  # `以下各项工作任务均涉及X、Y，不再单独列出`
            found += [u for rule, units in implied if rule.end() <= item.start for u in units]
        # `X应遵守下列条件：` then 一、二、…: each item of the first level after it is X's
        intro = next((x for x in reversed(intros) if x[0] <= item.start), None)
        if intro and (item.parent is None or item.parent.start < intro[0]):
            found += [u for u in intro[1] if not any(f.raw == u.raw for f in found)]
        mentions[task.id] = found
        written_year = _context_year(text, task, item, years_read)
        year = written_year or doc_year
        task.deadlines = [d for d in find_deadlines(text, item.body_start, task.end, year, md.date)
                          if not _inside(d.start, cited_spans)]
        task.targets = [t for t in find_targets(text, item.body_start, task.end, written_year or plan_end or doc_year, issued)
                        if not _inside(t.start, cited_spans)]
        task.references = _dedupe_refs(DocRef(c.title, c.doc_no, c.start, c.end) for c in others
                                       if item.body_start <= c.start < task.end)
    _lift_section_roles(text, items, by_item, mentions)
    tasks = _split_paragraphs(text, tasks, mentions)
    if tasks and not unnumbered:
        preamble = _preamble_task(text, doc_id, body_start, md.title, doc_year, md.date, cited_spans)
        if preamble:
            tasks.insert(0, preamble)
            mentions[preamble.id] = []
    plan.warnings += unmapped_headers(text)
    for task, found in table_tasks(text, doc_id, doc_year):
        tasks.append(task)
        mentions[task.id] = found

    by_number, read = numbered_duties(text, _numbered_items(tasks))  # X：牵头第1、2项任务 — the items' units
    if read:
        mentions = {t: [m for m in ms if not any(a <= m.start < b for a, b in read)] for t, ms in mentions.items()}
    for task_id, found in by_number.items():
        mentions[task_id] = mentions.get(task_id, []) + found
    _assign_units(plan, tasks, mentions, text, md.region)
    plan.tasks = tasks
    plan.targets = [t for t in find_targets(text, 0, body_start, plan_end or doc_year, issued)
                    if not _inside(t.start, cited_spans)]
    by_id = {t.id: t for t in tasks}
    plan.targets += [t for task in tasks if _is_goal_section(task, by_id) for t in task.targets]
    plan.targets += indicator_targets(text)
    if not tasks:
        plan.warnings.append(f"{source}: no numbered items found (一、/（一）/1./（1）/一是)")
    elif unnumbered:
        plan.warnings.append(f"{source}: no numbered items; {len(tasks)} paragraphs that state duties read as items ¶1…")
    return plan


def _numbered_items(tasks: list[Task]) -> dict[tuple[str, int], str]:
    """{(style, n): task id} for the item numbers (1. / 1、 → ar; （一） → pcn) that exactly one task carries."""
    seen: dict[tuple[str, int], list[str]] = {}
    for t in tasks:
        if key := item_number(t.number):
            seen.setdefault(key, []).append(t.id)
    return {key: ids[0] for key, ids in seen.items() if len(ids) == 1}


def _name_list(text: str, items) -> bool:
    """Every numbered item is a bare organisation name: a distribution list, not tasks."""
    return len(items) >= 3 and all(is_unit(text[i.body_start:i.end].strip().rstrip("；;。，,")) for i in items)


PREAMBLE_HEADING = "前言"  # its first line is often the title: a heading of its own would repeat it
PLAN_PERIOD = re.compile(r"(?P<a>(?:19|20)\d{2})\s*(?:年)?\s*[—\-－–~～至到]\s*(?P<b>(?:19|20)\d{2})\s*年?")


def _preamble_task(text, doc_id, body_start, title, doc_year, doc_date, cited_spans) -> Task | None:
    """The text before the first numbered item, as a task ¶0 holding its time limits only (到2022年，职业院校
    教学条件基本达标…; the plan's period in its title, 行动计划（2024—2026年）): what the plan sets for a year is
    asked like any item's. Its targets stay the plan's own (Plan.targets); it names no unit."""
    deadlines = [d for d in find_deadlines(text, 0, body_start, doc_year, doc_date) if not _inside(d.start, cited_spans)]
    at = text.find(title) if title else -1
    period = PLAN_PERIOD.search(title) if at >= 0 and at < body_start else None
    if period and not any(d.kind == "range" and d.date and d.date[:4] == period.group("b") for d in deadlines):
        s, e = at + period.start(), at + period.end()
        deadlines.insert(0, Deadline(text=text[s:e], date=f"{period.group('b')}-12-31",
                                     start_date=f"{period.group('a')}-01-01", kind="range", start=s, end=e))
    if not deadlines:
        return None
    start = min(d.start for d in deadlines)
    start = text.rfind("\n", 0, start) + 1
    body = text[start:body_start].rstrip()
    return Task(id=f"{doc_id}#{PREAMBLE_PATH}", parent_id=None, number="", path=PREAMBLE_PATH, heading=PREAMBLE_HEADING,
                text=body.strip(), start=start + len(body) - len(body.lstrip()), end=start + len(body),
                deadlines=deadlines)


def _role_mentions(text: str, start: int, end: int, lead_first: bool) -> tuple[list[RawMention], bool]:
    lead_first = lead_first or bool(LEAD_FIRST_RULE.search(text, start, end))  # 列首位的为牵头单位，下同
    found = field_mentions(text, start, end, lead_first)
    clause, lead_first = clause_mentions(text, start, end, lead_first)
    found += clause + unit_first_mentions(text, start, end)
    taken = [(m.evidence_start, m.evidence_end) for m in found]
    found += prose_mentions(text, start, end, taken)
    taken = [(m.evidence_start, m.evidence_end) for m in found]
    found += subject_mentions(text, start, end, taken)
    return found, lead_first


# `以上工作由X牵头，Y配合。` closing a section's last item speaks of the whole section
SECTION_WIDE = re.compile(r"[ \t\u3000]*(?:以上|上述)(?:各项|几项|\d+项|[一二三四五六七八九十]+项)?(?:工作|任务|事项|措施)")


def _lift_section_roles(text: str, items, by_item: dict, mentions: dict[str, list[RawMention]]) -> None:
    """Roles in a sentence that opens with 以上工作/上述任务 belong to the item's parent, not to the item
    whose text happens to hold that sentence."""
    for item in items:
        task, up = by_item[id(item)], by_item.get(id(item.parent)) if item.parent else None
        if up is None:
            continue
        own = []
        for m in mentions[task.id]:
            opens = _sentence_start(text, m.start)
            (mentions[up.id] if SECTION_WIDE.match(text, opens) else own).append(m)
        mentions[task.id] = own


SENTENCE_OPENS = re.compile(r"[\n。；;]|[）)][ \t\u3000]+")  # (a role bracket and spaces end a sentence too)


def _sentence_start(text: str, pos: int) -> int:
    """Start of the sentence holding `pos`: after the last stop before it, or after `…（责任单位：X） ` ."""
    last = 0
    for m in SENTENCE_OPENS.finditer(text, max(0, pos - 400), pos):
        last = m.end()
    return last


def _split_paragraphs(text: str, tasks: list[Task], mentions: dict[str, list[RawMention]]) -> list[Task]:
    """An item whose paragraphs each end in their own role clause (national style: `…。（A、B负责）`
    per paragraph) is really several tasks: each such paragraph becomes a sub-task with its units,
    deadlines and targets, so B is not made responsible for A's paragraph."""
    out = []
    for task in tasks:
        out.append(task)
        own = mentions.get(task.id, [])
        # pieces end at line breaks and at role brackets followed by more text: `…（A负责）重视…（B负责）`
        cuts = {task.start, task.end} | {m.end() for m in NEWLINE.finditer(text, task.start, task.end)}
        brackets = [m for m in own if text[m.evidence_end - 1:m.evidence_end] in "）)〕】]"]
        cuts |= {m.evidence_end for m in brackets if task.start < m.evidence_end < task.end and text[m.evidence_end] != "\n"}
        edges = sorted(cuts)
        lines = []  # (start, end) of pieces that hold text and then a role statement
        for s, e in zip(edges, edges[1:]):
            first = min((m.evidence_start for m in own if s <= m.evidence_start < e), default=None)
            if first is not None and first - s >= 15:
                lines.append((s, e))
        if len(lines) < 2:
            continue
        for k, (s, e) in enumerate(lines, 1):
            sub = Task(id=f"{task.id}/¶{k}", parent_id=task.id, number=f"¶{k}", path=f"{task.path}/¶{k}",
                       heading=task.heading if k == 1 else heading_of(text, s, e), text=text[s:e].strip(),
                       start=s, end=e)
            mentions[sub.id] = [m for m in own if s <= m.evidence_start < e]
            for kind in ("deadlines", "targets"):
                mine = [x for x in getattr(task, kind) if s <= x.start < e]
                setattr(sub, kind, mine)
                setattr(task, kind, [x for x in getattr(task, kind) if x not in mine])
            out.append(sub)
        mentions[task.id] = [m for m in own if not any(s <= m.evidence_start < e for s, e in lines)]
    return out


def _assign_units(plan: Plan, tasks: list[Task], mentions: dict[str, list[RawMention]], text: str,
                  region: str | None) -> None:
    """Canonical names for the whole document, prefixes expanded, one (strongest) role per unit."""
    all_raw = [m.raw for ms in mentions.values() for m in ms]
    prefixes = place_prefixes(all_raw) | ({region} if region else set())
    for ms in mentions.values():  # 矿区西送表村、丁村 → 矿区丁村 within one list
        groups: dict[tuple[int, int], list[RawMention]] = {}
        for m in ms:
            groups.setdefault((m.evidence_start, m.evidence_end, m.role), []).append(m)
        for group in groups.values():
            names = expand_shared_prefix(expand_shared_level([g.expanded or g.raw for g in group]), prefixes)
            for m, name in zip(group, names):
                m.expanded = name
    declared = declared_short_names(text)  # 街道平安办 for 街道平安建设办公室（以下简称街道平安办）
    for ms in mentions.values():
        for m in ms:
            m.expanded = declared.get(m.expanded or m.raw, m.expanded)
    canon = canonical_names([m.expanded for ms in mentions.values() for m in ms], prefixes)
    national_document = plan.level == "national"
    units: dict[str, Unit] = {}
    for task in tasks:
        best: dict[str, UnitMention] = {}
        for m in mentions.get(task.id, []):
            surface = m.expanded
            name = canon.get(surface, surface)
            body = national_body(name, national_document)  # 发展改革委 → 国家发展和改革委员会
            name = body.name if body else name
            unit = units.setdefault(name, Unit(name=name, aliases=[], kind="department" if body else unit_kind(name)))
            for form in (m.raw, surface):  # (not 青岛 of 济南、青岛市政府: a place's name is no body's)
                if form != name and form not in unit.aliases and form not in place_codes():
                    unit.aliases.append(form)
            mention = UnitMention(name=name, role=m.role, raw=m.raw, start=m.start, end=m.end)
            if name not in best or ROLE_RANK[m.role] > ROLE_RANK[best[name].role]:
                best[name] = mention
        task.units = list(best.values())
    plan.units = list(units.values())


def _basis_end(items, body_start: int) -> int:
    """Where the text that states a plan's basis ends: its preamble; for rules numbered in articles
    (第一条 为…根据…，制定本办法), the first article."""
    first_article = next((i for i in items if i.style == "article"), None)
    if first_article and all(i.style in ("chapter", "article") for i in items[:2]):
        return first_article.end
    return body_start


def _document_year(title: str | None, date: str | None, text: str = "") -> int | None:
    """The year a year-less limit (3月底前) falls in: the title's, else the date's, else — a page captured
    without its date — the year the text writes most often (ties: the earliest; later ones are mostly goals)."""
    m = YEAR_IN_TITLE.search(title or "")
    if m:
        return int(m.group(1))
    if date:
        return int(date[:4])
    years = re.findall(r"((?:19|20)\d{2})年", text)
    return int(max(sorted(set(years)), key=years.count)) if years else None


FIVE_YEAR_PLAN = re.compile(r"十([一二三四五])五")  # 十三五: the five years ending 2020
FIVE_YEAR_END = {"一": 2010, "二": 2015, "三": 2020, "四": 2025, "五": 2030}
# a year the text measures from, not one it sets: 比2015年翻一番, 较2019年, 从2010年的50.9%
MEASURED_FROM_YEAR = re.compile(r"(?:比|较|从|与|同比)((?:19|20)\d{2})年")  # (wider than targets.BASE_YEAR: a section's year)


def _five_year_plan_end(title: str | None) -> int | None:
    m = FIVE_YEAR_PLAN.search(title or "")
    return FIVE_YEAR_END[m.group(1)] if m else None


def _context_year(text, task, item, seen: dict) -> int | None:
    """Year for `9月底前`: the first year this item or its nearest ancestor writes (not a base year).
    `seen`: the document's spans already read (every item of a section asks for the section's year)."""
    node = item
    while node is not None:
        span = (node.start, min(node.end, task.end) if node is item else node.end)
        if span not in seen:
            part = text[span[0]:span[1]]
            base = {m.start(1) for m in MEASURED_FROM_YEAR.finditer(part)}
            seen[span] = next((int(m.group(1)) for m in re.finditer(r"((?:19|20)\d{2})年", part)
                               if m.start(1) not in base), None)
        if seen[span]:
            return seen[span]
        node = node.parent
    return None


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)


def _is_goal_section(task: Task, by_id: dict[str, Task]) -> bool:
    """Targets stated under a top-level 目标 heading (二、工作目标) are the plan's own goals."""
    while task.parent_id in by_id:
        task = by_id[task.parent_id]
    return "目标" in task.heading[:8]


def _dedupe_refs(refs) -> list[DocRef]:
    out, seen = [], set()
    for r in refs:
        key = r.doc_id
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out
