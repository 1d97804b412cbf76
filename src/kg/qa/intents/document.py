"""Intents about a document: the directives it implements (up), the plans implementing it (down),
its facts (文号, issuer, date)."""
from __future__ import annotations

import re

from kg.extract.gazetteer import full_local_form
from kg.roles import ALL_RELS, ROLE_CN

from ..context import (Ctx, children_of, docs_of, next_siblings_of, parents_of, rels_for, resolve_tasks, sentence_bounds,
                       task_label, task_probe, units_of)
from ..linking import Match
from ..retrieval import bigrams
from ..signals import (COUNT, DOWN, DUE, FACTS, NOLEAD, OPEN, OVERDUE, PARTNER, TARGET, THIS_DOC, THIS_TASK, UNIT_TASK, UP,
                       WHEN, WHO, WORKLOAD, Signals)
from .base import intent
from ..context import _citation_span


def _asks_who_or_when_not_documents(s: Signals) -> bool:
    """`…按照规定标准发放补助由哪些单位负责`, `你公司应按照许可证规定的要求什么时候完成`: 按照 / 落实 are the task's
    words; a question asking who does it or when asks for units or a date unless it names a document kind."""
    return (s.has(WHO) or s.has(WHEN)) and \
        not re.search(r"文件|上级|上位|下级|出处|来源|法律|法规|条例|规定是"
                      r"|哪[个份部项][^，。？?]{0,4}?(?:意见|方案|通知|规划|办法|决定|规定|标准|指南|协定|纲要)"
                      r"|谁(?:引用|援引|转发|提到|引了|落实了|贯彻了)", s.q)  # 库里有谁引用了: which documents


def _rule_doc_parents(s: Signals) -> float:
    if _asks_who_or_when_not_documents(s):
        return 0.0
    v = 4.0 if s.has_doc and s.has(UP) and not s.has(DOWN) else 0.0
    return v + (3.0 if s.has(THIS_DOC) and s.has(UP) else 0.0)


def _rule_doc_children(s: Signals) -> float:
    if not (s.has_doc and s.has(DOWN)) or _asks_who_or_when_not_documents(s):
        return 0.0
    # 库里有哪些政策按它给展会补贴: the documents are what is asked, whatever their passages are about
    return 5.5 if re.search(r"哪些(?:文件|政策|方案|通知|措施|地方)", s.q) else 3.5


def _rule_doc_facts(s: Signals) -> float:
    v = 3.5 if s.has_doc and s.has(FACTS) else 0.0
    if v and re.search(r"哪天|什么时候|何时|日期|文号", s.q):  # 印发的是什么文件，哪天发的: its facts, not its parents
        v += 1.0
    return v + (3.0 if s.has(THIS_DOC) and s.has(FACTS) else 0.0)


def _chain_evidence(c: Ctx, rows: list[dict], from_key: str) -> None:
    """Evidence for IMPLEMENTS rows: where the lower document cites the upper one."""
    ids = {r.get(from_key) for r in rows} | {r.get("doc_id") for r in rows}
    docs = c.docs([i for i in ids if i])
    loaded = [d for d in docs.values() if d.get("text")]
    for r in rows:
        r["evidence"] = []
        target_no, target_title = r.get("doc_no"), r.get("title")
        if from_key == "to_doc_id":  # children: the child cites the parent
            up = c.lex.docs.get(r["to_doc_id"]) or docs.get(r["to_doc_id"]) or {}
            target_no, target_title = up.get("doc_no"), up.get("title")
            cands = [docs.get(r["doc_id"])] + loaded
        else:
            cands = [docs.get(r[from_key])] + loaded
        for d in cands:
            if not d or not d.get("text"):
                continue
            span = _citation_span(d["text"], target_no, target_title)
            if span:
                r["evidence"].append(c.evidence(d["doc_id"], span[0], span[1], "citation"))
                break


def _chain_documents(c: Ctx, template: str, docs: list[str], citing_key: str) -> list[dict]:
    """Documents up (doc_parents) or down (doc_children) the IMPLEMENTS chain, each once, in the
    template's order, with the citing sentence quoted as evidence."""
    rows = c.run(template, {"docs": docs})
    _chain_evidence(c, rows, citing_key)
    seen, answers = set(), []
    for r in rows:
        if r["doc_id"] not in seen:
            seen.add(r["doc_id"])
            answers.append(r)
    return answers




# the opening of a plan, before its first numbered item: where it names what it follows (按照《…》总体要求)
PREAMBLE_END = re.compile(r"\n\s*(?:一、|第一章|第一条|（一）|\(一\))")
CITED = re.compile(r"《(?P<title>[^《》\n]{4,80})》(?:[（(](?:(?P<no>[^（）()\n]{2,30}?〔\d{4}〕\d+\s*号)文?|(?P<code>[A-Z]{2,6}[\d/.\-]+))[）)])?")


def _task_citations(c: Ctx, seen: set[str]) -> tuple[list[dict], list[str]]:
    """The documents cited by the task the question is about (`大气污染防治是根据哪个行动计划来的`)."""
    tasks = resolve_tasks(c) if task_probe(c.ln.residual) else []
    answers, lines = [], []
    for r in c.run("task_references", {"tasks": tasks}) if tasks else []:
        if r.get("title") and r["title"] not in seen:
            seen.add(r["title"])
            answers.append(dict(r))
            lines.append(f"- 任务「{task_label(c.lex.tasks.get(r['task_id'], {'heading': ''}))}」引用："
                         f"{r.get('doc_no') or ''}《{r['title']}》")
    return answers, lines


# the question is about items of the plan (…补助和…绿色通道分别照的是哪两个文件, 那条要落实哪个方案)
ITEM_ASKED = re.compile(r"分别|那条|这一?条|该条|那项|这项")
# 按照《…》要求, 贯彻落实…: the words that make a cited document a basis
BASIS_BEFORE = re.compile(r"(?:按照|根据|依据|依照|参照|比照|对照|贯彻|落实|遵照|遵循|执行|符合|满足|为)[^。；，,]{0,10}$")


def _occurrences(text: str, part: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(part), text)]


# a citation that continues a basis one: 根据《A》《B》、《C》
CHAINED = re.compile(r"[、和及与\s]*")
# an item of an enumerated list of citations (a 检查依据 list: （一）《…法》；（二）《…条例》；…)
ENUMERATED_CITATION = re.compile(r"^[ \t\u3000]*(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[.、．])[ \t\u3000]*《", re.M)
# the question asks for the laws, regulations or standards behind a document, which may be cited anywhere in it
LAWS_ASKED = re.compile(r"法律|法规|条例|哪部法|什么法|哪些法|标准|规范")
LAW_TITLE = re.compile(r"(?:法|条例|规定|办法|细则|规则|决定|标准|规范)(?:（[^）]*）)?(?:[（(][A-Z/ \d.\-—]+[）)])?$")


def _basis_citations(text: str, start: int, end: int) -> list[re.Match]:
    """Citations in text[start:end] that state a basis: after 按照/根据/贯彻落实…, chained to such a
    citation, or on a line of an enumerated list of citations with a neighbour of its kind."""
    listed = [m.start() for m in ENUMERATED_CITATION.finditer(text, start, end)]
    lines = [text.count("\n", 0, i) for i in listed]
    in_list = {i for k, i in enumerate(listed)
               if (k and lines[k - 1] == lines[k] - 1) or (k + 1 < len(lines) and lines[k + 1] == lines[k] + 1)}
    out, prev_end = [], -1
    for m in CITED.finditer(text, start, end):
        line_start = text.rfind("\n", 0, m.start()) + 1
        if BASIS_BEFORE.search(text, max(0, m.start() - 12), m.start()) \
                or (prev_end >= 0 and CHAINED.fullmatch(text, prev_end, m.start())) \
                or line_start in in_list:
            out.append(m)
            prev_end = m.end()
        else:
            prev_end = -1
    return out


def _opening_end(text: str) -> int:
    """Where a text's opening (its basis, before the first numbered item) ends."""
    first = PREAMBLE_END.search(text)
    return first.start() if first else min(len(text), 800)


def _text_bases(c: Ctx, docs: list[str], seen: set[str], whole: bool = False) -> tuple[list[dict], list[str]]:
    """The documents each text cites as a basis (按照《…》要求, 贯彻落实…), each quoted: in its opening (in all
    of it with `whole`); when the question asks for laws and regulations, the laws it cites so anywhere (a
    licence's 根据《核安全法》《条例》, a 检查依据 list). A document only named (发布《名录》) is no basis."""
    answers, lines = [], []
    laws = bool(LAWS_ASKED.search(c.q))
    for d in docs:
        text = (c.docs([d]).get(d) or {}).get("text") or ""
        end = len(text) if laws or whole else _opening_end(text)
        cited = _basis_citations(text, 0, end)
        # a title cited again with its 文号 or code (《…设计安全规定》（HAF102）) is quoted where it has them
        fullest = {m.group("title"): m for m in reversed(cited) if m.group("no") or m.group("code")}
        for m in cited:
            if m.group("title") not in seen and (not laws or LAW_TITLE.search(m.group("title"))):
                m = fullest.get(m.group("title"), m)
                _add_citation(c, d, m, (m.start(), m.end()), seen, answers, lines)
    return answers, lines


def _add_citation(c: Ctx, doc: str, m: re.Match, quote: tuple[int, int], seen: set[str], answers: list[dict],
                  lines: list[str]) -> None:
    """One cited document (a CITED match in `doc`'s text) as an answer row quoting text[quote], and its line."""
    seen.add(m.group("title"))
    ev = c.evidence(doc, quote[0], quote[1], "citation")
    answers.append({"doc_id": doc, "title": m.group("title"), "doc_no": m.group("no"), "evidence": [ev] if ev else []})
    code = f"（{m.group('code')}）" if m.group("code") else ""
    lines.append(f"- 原文提到：{m.group('no') or ''}《{m.group('title')}》{code}")


ASKED_WORDS_MIN = 3  # character bigrams a citation's sentence shares with a question about items (ITEM_ASKED)
CLAUSE_WORDS_MIN = 6  # …and with any other question: it must describe the item (开一站式限时审批通道，参照的是哪个文件)
HEADING_CHARS = 16  # characters of a paragraph's opening read as its item's heading
KIND_NAMED_MIN = 4  # …and with a question that names the kind of the document cited there (按哪个规定来划: 《…规定》)
KIND_ASKED = re.compile(r"办法|规划|条例|规定|导则|标准|规范|意见|通知|方案|预案|行动计划|专项行动|工程|指标体系|目录|名录")


# a document named without 《》 after a basis verb (参照金融企业呆账核销管理办法有关规定执行, 抓好…布局规划、…建设规划的落实)
_KINDS = r"(?:办法|规划|条例|规定|导则|标准|规范|指南|预案|行动计划|专项行动|工程|指标体系|法)"
UNBRACKETED = re.compile(rf"(?:参照|比照|对照|按照|依照|依据|根据|执行|符合|满足|抓好|落实|实施|加强|推广|(?<=[，。；\n])以)(?P<title>[^《》，。；、\s的]{{4,30}}?"
                         rf"{_KINDS}(?:[、和及](?:[^《》，。；、\s的]{{4,30}}?{_KINDS}))*)")


# laws listed by name without 《》 (加强商标法、专利法、著作权法等…宣传普及): two or more, apart by 、
LAW_LIST = re.compile(r"(?<![\u4e00-\u9fff])(?:加强|落实|执行|遵守|依照|按照|根据|宣传|贯彻|严格执行|严格)?"
                      r"(?P<title>(?:[\u4e00-\u9fff]{2,10}?法、)+[\u4e00-\u9fff]{2,10}?法)(?=等|和|及|[，。；、])")


def _cited_at_asked_words(c: Ctx, docs: list[str], seen: set[str]) -> tuple[list[dict], list[str]]:
    """The documents the text cites as a basis in the sentences that share the question's words
    (临时性工作补助…分别照的是哪两个文件: 依照《…经费保障政策的通知》…临时性工作补助), each quoted by its sentence;
    when no such sentence cites one in 《》, those that name one without (参照…管理办法有关规定执行)."""
    asked = set(bigrams(task_probe(c.ln.without_titles())))
    if len(asked) < ASKED_WORDS_MIN:  # 这个方案依据哪个文件: no item's words to find, so no text to read
        return [], []
    least = ASKED_WORDS_MIN if ITEM_ASKED.search(c.q) else CLAUSE_WORDS_MIN
    kinds = tuple(KIND_ASKED.findall(c.q)) + (("法", "条例") if re.search(r"法律|法规|哪部法|什么法|哪些法", c.q) else ())

    def about(sentence: str, title: str, kind_min: int) -> bool:  # a title of the kind asked needs fewer shared
        need = min(kind_min, least) if kinds and title.endswith(kinds) else least  # words (要抓好落实的是哪两个国家规划)
        return len(asked & set(bigrams(sentence))) >= need

    def opening(text: str, a: int) -> str:  # the item's heading opens its paragraph (（五）强化安全保障。严格落实…)
        line = text.rfind("\n", 0, a) + 1
        return text[line:min(a, line + HEADING_CHARS)] if line < a else ""
    answers, lines, named = [], [], []
    for d in docs:
        text = (c.docs([d]).get(d) or {}).get("text") or ""
        for m in CITED.finditer(text):  # (named where the asked item is written: cited, whatever the verb)
            a, b = sentence_bounds(text, m.start())
            if m.group("title") not in seen and about(opening(text, a) + text[a:b], m.group("title"), KIND_NAMED_MIN):
                _add_citation(c, d, m, (a, b), seen, answers, lines)
        for m in [*UNBRACKETED.finditer(text), *LAW_LIST.finditer(text)]:
            a, b = sentence_bounds(text, m.start())
            if m.group("title") not in seen and about(opening(text, a) + text[a:b], m.group("title"), ASKED_WORDS_MIN):
                named.append((d, m, a, b, text[a:b]))
    if answers:
        return answers, lines
    for d, m, a, b, sentence in named:
        seen.add(m.group("title"))
        ev = c.evidence(d, a, b, "citation")
        answers.append({"doc_id": d, "title": m.group("title"), "doc_no": None, "evidence": [ev] if ev else []})
        lines.append(f"- 原文提到：{m.group('title')}（“{sentence.strip()[:120]}”）")
    return answers, lines


def _cited_instead(c: Ctx, docs: list[str], name: str):
    """No IMPLEMENTS link: the documents the text cites as a basis, and those the task the question is
    about cites so — a user asking what a plan follows is better served by these than by a bare "none"
    (the graph keeps only the opening's 根据/为贯彻落实… as parents)."""
    seen: set[str] = set()
    answers, lines = _cited_at_asked_words(c, docs, seen)
    if answers:  # 给防控物资项目开绿色通道，参照的是哪个文件: the item's, not the plan's
        return answers, "\n".join([f"{name}中与所问事项相关的条文引用的文件："] + lines)
    answers, lines = _text_bases(c, docs, seen)
    if not answers:  # an opening that cites nothing: what the body says it implements (抓好《…》贯彻落实)
        answers, lines = _text_bases(c, docs, seen, whole=True)
    texts = [(c.docs([d]).get(d) or {}).get("text") or "" for d in docs]
    for a, line in zip(*_task_citations(c, seen)):  # what an item cites counts only as a basis: 按照《…》要求,
        cited = "《" + a["title"]                     # not 可同时享受《…》
        if LAWS_ASKED.search(c.q) and not LAW_TITLE.search(a["title"]):
            continue
        if any(BASIS_BEFORE.search(t, max(0, i - 12), i) for t in texts for i in _occurrences(t, cited)):
            answers.append(a)
            lines.append(line)
    if not answers:
        return answers, f"{name}在图中没有记录依据的上级文件。"
    return answers, "\n".join([f"{name}在图中没有记录明确的上级依据文件（根据/为贯彻落实…）；原文提到的文件："] + lines)


@intent('doc_parents', family='document', description='方案依据的上级文件（向上追溯）',
        needs=['document'], templates=['doc_parents'],
        rule=_rule_doc_parents,
        examples=[
              '送表矿区方案依据哪个上级文件',
              '这个方案是根据什么文件制定的',
              '送管发〔2019〕18号的上级文件是什么',
              '昌吉州的达标排放方案贯彻的是哪个文件',
              '送表矿区方案往上追溯到哪些文件',
              '这个方案落实的是哪份上级文件'])
def h_doc_parents(c: Ctx):
    docs = docs_of(c)
    if not docs:
        return None
    answers = _chain_documents(c, "doc_parents", docs, "from_doc_id")
    name = "、".join(c.doc_label(d) for d in docs)
    if not answers:
        return _cited_instead(c, docs, name)
    lines = [f"{name}依据的上级文件："]
    for a in answers:
        tag = "（未载入全文）" if a.get("stub") else ""
        lvl = "直接依据" if a.get("depth") == 1 else f"上溯第{a.get('depth')}级"
        lines.append(f"- {lvl}：{a.get('doc_no') or ''}{'《' + a['title'] + '》' if a.get('title') else ''}{tag}")
    seen = {a.get("title") for a in answers}
    more, more_lines = _task_citations(c, seen)
    kinds = set(re.findall(r"行动计划|实施方案|工作方案|方案|意见|通知|条例|规划|办法|决定|纲要", c.ln.without_titles()))
    if not any(m.how in ("quote", "verbatim", "heading") for m in c.tasks) and not ITEM_ASKED.search(c.q) and \
            not any(k in a["title"] for a in more for k in kinds):
        more, more_lines = [], []  # 稳就业那些措施依据哪个文件: the plan itself, not one of its items, is asked about
        # (大气污染防治是根据哪个行动计划来的: an item, found by retrieval, citing the kind of document asked for)
    # the documents cited where the asked items are written
    cited, cited_lines = _cited_at_asked_words(c, docs, {a.get("title") for a in answers + more})
    more, more_lines = more + cited, more_lines + cited_lines
    if LAWS_ASKED.search(c.q):  # the laws it also cites as a basis further on
        laws, law_lines = _text_bases(c, docs, {a.get("title") for a in answers + more})
        more, more_lines = more + laws, more_lines + law_lines
    if more and ITEM_ASKED.search(c.q):  # 那条/这一条 asks about one item: what it cites, not the plan's parents
        return more, "\n".join([f"{name}中所问条目引用的文件："] + more_lines)
    return answers + more, "\n".join(lines + more_lines)




TAIL_MIN = 8  # characters of a title's end searched for when the title as asked is written nowhere


@intent('doc_children', family='document', description='哪些方案落实了某文件（向下追溯）',
        needs=['document'], templates=['doc_children', 'doc_citing', 'doc_text_mentions'],
        rule=_rule_doc_children,
        examples=[
              '哪些方案落实了郑办〔2019〕9号',
              '郑州市大气污染防治攻坚战实施方案被哪些方案落实了',
              '新环发〔2017〕10号有哪些下级实施方案',
              '哪些文件是根据登办〔2019〕10号制定的',
              '国发〔2013〕37号在下面是怎么落实的'])
def h_doc_children(c: Ctx):
    docs = docs_of(c)
    if not docs:
        return None
    docs = [d for d in docs if d in c.lex.docs] or docs  # a 文号 nobody loaded beside the title found: the title
    # not in the graph as a document (a quoted title, a 文号 nobody loaded): the loaded documents whose
    # text quotes it
    quoted = [d[6:] for d in docs if d.startswith("quote:")] + \
             [d[3:] for d in docs if d.startswith("no:") and d not in c.lex.docs]
    if quoted:
        answers = []
        for t in quoted:
            rows = c.run("doc_text_mentions", {"title": t, "title2": t.replace("(", "（").replace(")", "）")})
            if not rows and len(t) > TAIL_MIN + 2:  # 保障公路畅通的七条措施 asked, 保障四川省公路畅通的七条措施 written
                t = t[-TAIL_MIN:]
                rows = c.run("doc_text_mentions", {"title": t, "title2": t})
            for r in rows:
                i = (c.docs([r["doc_id"]]).get(r["doc_id"]) or {}).get("text", "").find(t.split("(")[0])
                r["evidence"] = [e for e in [c.evidence(r["doc_id"], i, i + len(t), "citation")] if e] if i >= 0 else []
                r["cites_only"] = True
                answers.append(r)
        name = "、".join(t if re.search(r"〔\d{4}〕", t) else f"《{t}》" for t in quoted)
        if not answers:
            return [], f"图中没有这份文件，也没有引用{name}的文件。"
        lines = [f"图中没有{name}这份文件本身；原文引用了它的文件共{len(answers)}个："]
        lines += [f"- {c.doc_label(a['doc_id'])}" for a in answers]
        return answers, "\n".join(lines)
    answers = _chain_documents(c, "doc_children", docs, "to_doc_id")
    # documents that cite it without a basis clause (引用, 废止 …) count too, marked as such
    have = {a["doc_id"] for a in answers}
    citing = [r for r in _chain_documents(c, "doc_citing", docs, "to_doc_id") if r["doc_id"] not in have]
    for r in citing:
        r["cites_only"] = True
    answers += citing
    name = "、".join(c.doc_label(d) for d in docs)
    if not answers:
        return answers, f"图中没有落实或引用{name}的文件。"
    lines = [f"落实或引用{name}的文件共{len(answers)}个："]
    for a in answers:
        if a.get("cites_only"):
            lvl = "引用"
        else:
            lvl = "直接落实" if a.get("depth") == 1 else f"经{a.get('depth') - 1}级转落实"
        lines.append(f"- {lvl}：{c.doc_label(a['doc_id'])}")
    return answers, "\n".join(lines)




@intent('doc_facts', family='document', empty_is_unanswerable=True, description='文件的发文单位、日期、文号',
        needs=['document'], templates=['doc_facts'],
        rule=_rule_doc_facts,
        examples=[
              '送表矿区方案是谁发的',
              '送管发〔2019〕18号是什么时候印发的',
              '送表矿区方案的文号是多少',
              '永安镇百日攻坚方案是哪天发布的',
              '这个方案的发文单位是哪个'])
def h_doc_facts(c: Ctx):
    docs = docs_of(c)
    if not docs:
        return None
    rows = c.run("doc_facts", {"docs": docs})
    answers = []
    for r in rows:
        a = dict(r, evidence=[])
        d = c.docs([r["doc_id"]]).get(r["doc_id"]) or {}
        text = d.get("text") or ""
        for val, what in ((r.get("doc_no"), "doc_no"), (r.get("issuer"), "issuer"), (r.get("date"), "date")):
            if val and text:
                i = text.find(val)
                if i >= 0:
                    a["evidence"].append(c.evidence(r["doc_id"], i, i + len(val), what))
        answers.append(a)
    if not answers:
        return answers, "图中没有这个文件。"
    q = c.q.replace("发文字号", "文号").replace("发文文号", "文号")
    asked = {"doc_no": bool(re.search(r"文号|字号|几号文|编号", q)),
             "issuer": bool(re.search(r"谁|单位|机关|机构|部门|发文", q)),
             "date": bool(re.search(r"哪天|日期|什么时候|何时|时间|哪年|几月", q))}
    if any(asked.values()) and not any(a.get(k) for a in answers for k, want in asked.items() if want):
        what = "、".join({"doc_no": "文号", "issuer": "发文单位", "date": "成文日期"}[k] for k, v in asked.items() if v)
        return [], f"{'、'.join(c.doc_label(a['doc_id']) for a in answers)}在图中没有记录{what}（原文未注明）。"
    lines = []
    for a in answers:
        parts = [c.doc_label(a["doc_id"])]
        issuer = a.get("issuer") or "未注明"
        region = a.get("region")
        if re.match(r"[省市县区州]", issuer) and region and region != "全国":
            # 省发展改革委 of a Guizhou plan: 贵州省发展和改革委员会, its full name where the region says the level
            full = full_local_form(issuer) or issuer
            issuer = f"{region}{full[1:]}（{issuer}）" if region.endswith(issuer[0]) else f"{issuer}（{region}）"
        parts.append(f"发文单位：{issuer}")
        parts.append(f"成文日期：{_cn_date(a.get('date')) or '未注明'}")
        parts.append(f"文号：{a.get('doc_no') or '无'}")
        if not a.get("title") and ABOUT.search(q):  # a page captured without its title: what its opening says
            opening = _opening_sentence(c, a)
            if opening:
                parts.append(f"开头写道：“{opening}”")
        if a.get("stub"):
            parts.append("（仅被引用，未载入全文）")
        lines.append("；".join(parts))
    return answers, "\n".join(lines)




ABOUT = re.compile(r"关于什么|是什么文件|讲(?:的是)?什么|什么内容|主要内容|内容是什么|主题")


def _opening_sentence(c: Ctx, a: dict) -> str | None:
    """The first sentence of a document's body (after its addressee line), quoted as its evidence."""
    text = (c.docs([a["doc_id"]]).get(a["doc_id"]) or {}).get("text") or ""
    m = re.search(r"^[^\n：:]{0,60}[：:]\s*$\n?(?P<s>[^\n]{20,})", text[:3000], re.M) or \
        re.search(r"(?P<s>[^\n]{40,})", text[:3000])
    if not m:
        return None
    body = m.group("s")
    cut = re.search(r"[。！]", body[30:])
    sentence = body[:30 + cut.end()] if cut else body[:200]
    ev = c.evidence(a["doc_id"], m.start("s"), m.start("s") + len(sentence), "opening")
    if ev:
        a["evidence"].append(ev)
    return sentence[:200]


def _cn_date(iso: str | None) -> str | None:
    """2014-02-26 → 2014年2月26日（2014-02-26）: the way the document prints it, and the ISO form."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", str(iso or ""))
    return f"{m[1]}年{int(m[2])}月{int(m[3])}日（{iso}）" if m else iso
