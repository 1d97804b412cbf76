"""Per-question working state (`Ctx`) and the helpers every intent family shares: resolving the
units, documents and tasks a question is about, running templates, collecting evidence.
"""
from __future__ import annotations

import re
import time
from datetime import date
from difflib import SequenceMatcher

from kg.model import normalize_doc_no
from kg.roles import ALL_RELS, ROLE_CN

from .intents.base import LISTED, listed_rows, rows_of, template
from .linking import Lexicon, Linked, Match
from .retrieval import bigrams
from .results import Evidence
from .retrieval import search_tasks, word_overlap
from .signals import THIS_TASK

LIMIT = 200

QUOTE_MAX = 160
ROLE_SENTENCE_MAX = 40  # a role span shorter than this is a name: its evidence is widened to the sentence
ROLE_REACH = 120  # characters read on each side of it to find the sentence
SENTENCE_STOPS = "。；;\n"

# words that carry the question's intent, not the task it is about
_TASK_STOP = sorted(set("""
那 它 那它 谁 谁来 谁负责 谁牵头 哪个 哪些 哪家 哪几个 什么 啥 单位 部门 牵头单位 责任单位 配合单位 牵头 负责 配合 参与 协助 主抓
由 是 的 了 吗 呢 啊 呀 吧 嘛 要 在 把 给 对 和 与 及 以及 这项 这个 该 此 这条 任务 工作 事 事项 一项 项
什么时候 何时 截止 时间 日期 期限 时限 完成 做完 干完 办完 多久 哪天 哪一天 几月 前 之前 底 月底 时间节点 节点 最后期限 截止时间 截止日期 完成时限
落实 贯彻 依据 根据 按照 上级 文件 方案 要求 来源 出处 对应 哪一条 哪条 条 上级文件 上级方案 上级依据 是根据 是依据
管 干 做 搞 抓 来 去 能 会 应该 应当 需要 请问 一下 告诉 我 我们 你 知道 有 没有 请 帮 查 查询 看看 看 说说
那个 那份 这份 那条 里面 里 通知
""".split()), key=len, reverse=True)
_TASK_STOP_MULTI = re.compile("|".join(re.escape(w) for w in _TASK_STOP if len(w) >= 2))
_TASK_STOP_ONE = "".join(w for w in _TASK_STOP if len(w) == 1)


def task_probe(text: str) -> str:
    """The question's words that may name a task: stop words of two or more characters go wherever they are,
    single stop characters only at the ends of what is left (有 of 有机物, 管 of 管理, 查 of 排查 stay)."""
    s = re.sub(r"[?？!！,，。.、:：;；\"“”'‘’()（）《》\s]", " ", text)
    parts = [p.strip(_TASK_STOP_ONE) for p in _TASK_STOP_MULTI.sub(" ", s).split()]
    return "".join(p for p in parts if len(p) >= 2)


# ---------------------------------------------------------------------------------------------

def sentence_bounds(text: str, start: int, end: int | None = None, stops: str = SENTENCE_STOPS) -> tuple[int, int]:
    """The span of the sentence (or clause, with ，in `stops`) of `text` that holds text[start:end], its stop included."""
    a = max(text.rfind(ch, 0, start) for ch in stops) + 1
    ends = [i for i in (text.find(ch, start if end is None else end) for ch in stops) if i >= 0]
    return a, (min(ends) + 1 if ends else len(text))


def role_sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The span quoting a role given to the name at text[start:end]: its sentence; but a name inside a bracket
    (`…创新金融产品和服务。（人行合肥中心支行负责）进一步扩大…`) speaks of what comes before the bracket, so the
    quote ends at the bracket's close and, when the bracket opens its sentence, starts at the sentence before."""
    a, b = sentence_bounds(text, start, end)
    opened = max(text.rfind("（", a, start), text.rfind("(", a, start))
    if opened < 0 or max(text.rfind("）", opened, start), text.rfind(")", opened, start)) >= 0:
        return a, b
    closes = [i for i in (text.find("）", end, b), text.find(")", end, b)) if i >= 0]
    if not closes:
        return a, b
    if not text[a:opened].strip() and a > 0:
        a = sentence_bounds(text, max(a - 2, 0))[0]
    return a, min(closes) + 1


ASKED_MIN = 4  # characters of the question found as one run in the task's text


def asked_sentence(c: Ctx, tasks: list[str]) -> dict | None:
    """The sentence of the tasks' texts that holds the longest run of the question's words (…科创类企业贷款
    同比增长不低于…的期限): a task with several limits, or several bodies, is asked about the one written there."""
    words = re.sub(r"[\s“”\"？?，,。]", "", c.ln.residual)
    best, asked = None, set(bigrams(words))
    for r in c.run("task_details", {"tasks": tasks, "limit": 10}):
        text = r.get("text") or ""
        if len(text) != (r["end"] or 0) - (r["start"] or 0):
            continue  # not the document's own span: positions would not match
        for sentence in re.finditer(r"[^。；;\n]+[。；;]?", text):  # (equal runs: the sentence sharing more words)
            a, b = sentence.span()
            m = SequenceMatcher(None, words, text[a:b], autojunk=False).find_longest_match(0, len(words), 0, b - a)
            score = (m.size, len(asked & set(bigrams(text[a:b]))))
            if m.size >= ASKED_MIN and (best is None or score > best["score"]):
                best = dict(r, size=m.size, score=score, a=r["start"] + a, b=r["start"] + b, sentence=text[a:b])
    return best


class Ctx:
    """Per-question working state."""

    def __init__(self, store, lex: Lexicon, ln: Linked, today: date, context: dict):
        self.store, self.lex, self.ln, self.today, self.context = store, lex, ln, today, context
        self.q = ln.question
        self.queries: list[dict] = []
        self.doc_cache: dict[str, dict] = {}
        self.notes: list[str] = []
        self.tasks: list[Match] = []
        self.task_runners_up: list[str] = []  # the next retrieval candidates, when a task was only retrieved
        self._qvec = None
        self.retrieval_info: dict = {}
        self._pending: list[dict] = []
        self.unanswerable = False  # a handler found that the graph holds no answer (reported as not_answerable)

    @property
    def qvec(self):
        """The question's e5 vector (intent similarity only: retrieval embeds with the static index model)."""
        if self._qvec is None:
            from . import embedding

            self._qvec = embedding.embed_query(self.q)
        return self._qvec

    def run(self, name: str, params: dict) -> list[dict]:
        cypher = template(name)
        p = {"limit": LIMIT, "docs": [], **params}  # $docs: scope ([] = whole library)
        t0 = time.perf_counter()
        if name in LISTED:  # a sorted ranking: as one list when that gives the same rows (listed_rows)
            rows, cypher = listed_rows(self.store.run, name, p)
        else:
            rows = rows_of(self.store.run(cypher, p))
        for r in rows:  # pattern-comprehension lists may repeat an item (a unit named twice on one task)
            for k in ("units", "deadlines"):
                if isinstance(r.get(k), list):
                    r[k] = list(dict.fromkeys(x for x in r[k] if x is not None))
        self.queries.append({"template": name, "cypher": cypher, "params": p,
                             "rows": len(rows), "ms": round((time.perf_counter() - t0) * 1000, 1)})
        return rows

    def lookup(self, name: str, params: dict) -> list[dict]:
        """A helper template (children, parents, documents): run like run(), but not listed in the answer's
        queries (the first listed query is the answer's own Cypher)."""
        return rows_of(self.store.run(template(name), {"limit": LIMIT, **params}))

    def docs(self, ids) -> dict[str, dict]:
        need = [i for i in dict.fromkeys(ids) if i and i not in self.doc_cache]
        if need:
            rows = self.lookup("documents_by_id", {"docs": need, "limit": len(need)})
            for r in rows:
                self.doc_cache[r["doc_id"]] = r
            for i in need:
                self.doc_cache.setdefault(i, {"doc_id": i, "doc_no": None, "title": None, "text": None})
        return {i: self.doc_cache[i] for i in ids if i in self.doc_cache}

    def evidence(self, doc_id, start, end, label: str | None = None, source: str | None = None) -> Evidence | None:
        """An evidence record for the span; its quote, doc_no and title are filled in by fill_evidence(),
        one query for the whole answer (a 200-row answer used to fetch up to 200 document texts).
        `source`: the row's own text of the span, e.g. a task's text, which is the document's text[start:end]
        stripped; of the same length, nothing was stripped and it is the span itself: the quote is cut from it
        here and the document's text is not read (~20 ms of a 200-row answer on the embedded engine)."""
        if doc_id is None or start is None or end is None:
            return None
        ev = Evidence(doc_id, int(start), int(end), label)
        doc = self.lex.docs.get(doc_id)
        if source is not None and doc is not None and 0 <= ev.start and len(source) == ev.end - ev.start:
            self._set_quote(ev, doc, source[:QUOTE_MAX + 1])
            return ev
        self._pending.append(ev)
        return ev

    def fill_evidence(self) -> None:
        pend = [e for e in self._pending if e.quote is None]
        self._pending = []
        if not pend:
            return
        spans: dict[tuple, list[Evidence]] = {}
        for e in pend:
            if e.what == "role" and e.end - e.start < ROLE_SENTENCE_MAX:
                # a role's span is the unit's name: quote the sentence that gives it the role (…要会同有关部门，加强…)
                e.window = (max(0, e.start - ROLE_REACH), e.end + ROLE_REACH)
            d = self.doc_cache.get(e.doc_id)
            if d is not None and d.get("text") is not None:  # text already here (citations, doc facts)
                a, b = e.window or (e.start, e.end)
                self._set_quote(e, d, self._cut(e, d["text"][a:b]))
            else:
                spans.setdefault((e.doc_id,) + (e.window or (e.start, e.end)) + (e.window is not None,), []).append(e)
        if not spans:
            return
        by_doc: dict[str, list[tuple]] = {}
        for k in spans:
            by_doc.setdefault(k[0], []).append(k)
        rows = rows_of(self.store.run(template("evidence_quotes"), {"groups": [
            {"d": d, "spans": [{"a": max(0, k[1]), "n": max(0, k[2] - k[1] if k[3] else min(k[2] - k[1], QUOTE_MAX + 1))}
                               for k in ks]}  # a role's window whole (its sentence is cut from it), else the quote
            for d, ks in by_doc.items()]}))
        got = {r["doc_id"]: r for r in rows}
        for d, ks in by_doc.items():
            r = got.get(d) or {}
            quotes = r.get("quotes") or []
            for j, k in enumerate(ks):
                for e in spans[k]:
                    self._set_quote(e, r, self._cut(e, (quotes[j] if j < len(quotes) else None) or ""))

    @staticmethod
    def _cut(ev: Evidence, window: str) -> str:
        """A role's sentence out of the text read around it (ev.window); the span follows the sentence."""
        if not ev.window:
            return window
        a, s, e = ev.window[0], ev.start - ev.window[0], ev.end - ev.window[0]
        if e > len(window):
            return window[s:e]
        left, right = role_sentence(window, s, e)
        ev.start, ev.end, ev.window = a + left, a + right, None
        return window[left:right]

    @staticmethod
    def _set_quote(ev: Evidence, doc: dict, quote: str) -> None:
        if len(quote) > QUOTE_MAX:
            quote = quote[:QUOTE_MAX] + "…"
        ev.doc_no, ev.title, ev.quote = doc.get("doc_no"), doc.get("title"), quote.strip()

    def doc_label(self, doc_id: str | None) -> str:
        if not doc_id:
            return ""
        if doc_id.startswith("quote:"):
            return f"《{doc_id[6:]}》"
        d = self.lex.docs.get(doc_id) or self.docs([doc_id]).get(doc_id) or {}
        title = d.get("title")
        no = d.get("doc_no")
        if title and no:
            return f"《{title}》（{no}）"
        if title:
            return f"《{title}》"
        return no or doc_id



def rels_for(role: str | None, q: str, for_task: bool) -> list[str]:
    if role == "lead":
        return ["LEADS"]
    if role == "support":
        return ["SUPPORTS"]
    if role == "responsible" and "责任单位" in q:
        return ["RESPONSIBLE_FOR"]
    return ALL_RELS


def task_label(row: dict) -> str:
    h = (row.get("heading") or "").strip()
    return h if len(h) <= 40 else h[:40] + "…"


def item_label(c: "Ctx", row: dict) -> str:
    """A task as listed in an answer: its number and heading; a paragraph (¶) of a numbered item is shown
    under that item (（一）全面做好疫情精准防控 ¶2 深化冷链食品…), whose heading is what readers know."""
    own = f"{row.get('number') or ''}{task_label(row)}"
    tid = row.get("task_id") or ""
    if "/¶" not in tid:
        return own
    item = c.lex.tasks.get(tid.rsplit("/¶", 1)[0]) or {}
    return f"{item.get('number') or ''}{task_label(item)} {own}" if item else own


# ---------------------------------------------------------------------------------------------
# entity resolution helpers

def context_kinds(context: dict) -> set[str]:
    out = set()
    if context.get("units"):
        out.add("unit")
    if context.get("tasks"):
        out.add("task")
    if context.get("documents"):
        out.add("document")
    return out


def units_of(c: Ctx) -> list[str]:
    names = []
    for m in c.ln.units:
        if m.key not in names:
            names.append(m.key)
    if not names and c.context.get("units"):
        names = list(c.context["units"])
        c.notes.append("沿用上一问的单位：" + "、".join(names))
    return names


def docs_of(c: Ctx, use_context: bool = True) -> list[str]:
    """The documents the question is scoped to. use_context=False is the task-level scope: a document known
    only as cited (stub) has no tasks, so it does not narrow a task query."""
    ids = []
    for m in c.ln.documents:
        if m.key not in ids:
            ids.append(m.key)
    if not use_context:
        ids = [i for i in ids if not (c.lex.docs.get(i) or {}).get("stub")]
    if not ids and use_context and c.context.get("documents"):
        ids = list(c.context["documents"])
        c.notes.append("沿用上一问的文件")
    return ids


def family_of(c: "Ctx", docs: list[str]) -> list[str]:
    """The named documents and the loaded plans that implement them (down the IMPLEMENTS chain)."""
    if not docs:
        return []
    rows = c.run("doc_family", {"docs": docs})
    return list(docs) + [r["id"] for r in rows if r["id"] not in docs]


def resolve_tasks(c: Ctx, max_tasks: int = 3, words: str = "") -> list[str]:
    """The task(s) a question is about: 这个任务 → context; else heading match + retrieval (of the residual,
    plus `words` when given)."""
    this = THIS_TASK.search(c.q)
    probe = task_probe(c.ln.residual + " " + words)
    if c.context.get("tasks") and (this or len(probe) < 2):
        ids = list(c.context["tasks"])[:max_tasks]
        for t in ids:
            c.tasks.append(Match("task", t, "这个任务", 0, 0, 100, "context"))
        return ids
    if len(probe) < 2:
        return []
    allowed = None
    doc_ids = docs_of(c, use_context=False)
    if doc_ids:
        allowed = c.lex.tasks_in(doc_ids)
    quoted = quoted_task(c, allowed)
    if quoted:
        c.tasks.append(Match("task", quoted, probe, 0, 0, 100, "quote"))
        return [quoted]
    verbatim = verbatim_task(c, QUOTE_MARKS.sub("", c.ln.residual), allowed)
    if verbatim:
        c.tasks.append(Match("task", verbatim, probe, 0, 0, 95, "verbatim"))
        return [verbatim]
    heads = c.lex.fuzzy_tasks(probe, limit=10, cutoff=70, only=allowed)
    picked: list[tuple[str, float, str]] = []
    if heads and heads[0][1] >= 88:
        top = heads[0][1]
        picked = [(t, s, "heading") for t, s in heads if s >= top - 2][:max_tasks]
    else:
        fused = retrieved_tasks(c, probe, allowed)
        if fused:
            picked = [(fused[0][0], fused[0][1], "retrieval")]
            c.task_runners_up = [t for t, _s in fused[1:5]]
    for t, s, how in picked:
        c.tasks.append(Match("task", t, probe, 0, 0, s, how))
    return [t for t, _s, _h in picked]


def runner_up_rows(c: Ctx, tasks: list[str], fetch) -> list[dict]:
    """When the retrieved task lacks what was asked (`fetch(ids)` gives no rows), the rows of the first
    runner-up that shares more of the question's words and has them: the likelier reading (its own task is
    named in the answer)."""
    if not c.task_runners_up:
        return []
    texts = {r["task_id"]: r.get("text") or "" for r in c.run("task_details", {"tasks": tasks + c.task_runners_up})}
    found = max(word_overlap(c.ln.residual, texts.get(t, "")) for t in tasks)
    for other in c.task_runners_up:
        if word_overlap(c.ln.residual, texts.get(other, "")) > found:
            rows = fetch([other])
            if rows:
                return rows
    return []


# a quoted phrase, one nested pair allowed (“加强对全面推行“三项制度”的指导协调”)
QUOTE = re.compile(r"“(?P<q>(?:[^“”]|“[^“”]*”){3,80})”|[\"「『](?P<q2>[^\"」』]{4,60})[\"」』]")
QUOTE_MARKS = re.compile(r"[“”\"「」『』‘’\s]")


def quoted_task(c: Ctx, allowed: set[str] | None) -> str | None:
    """A question that quotes the text of a task of the named document (…里“全面实施绿色开采”由谁负责):
    the most specific task whose text holds the quote verbatim (a sub-item before its section)."""
    if not allowed:
        return None
    quotes = sorted((QUOTE_MARKS.sub("", m.group("q") or m.group("q2")) for m in QUOTE.finditer(c.q)
                     if not any(a <= m.start() + 1 < b for a, b in c.ln.doc_spans)), key=len, reverse=True)
    if not quotes:
        return None
    rows = c.run("tasks_text", {"tasks": sorted(allowed)})
    for q in quotes:
        holding = [r for r in rows if q in QUOTE_MARKS.sub("", r.get("text") or "")]
        if not holding:
            continue
        named = [r for r in holding if q in QUOTE_MARKS.sub("", r.get("heading") or "")]  # a task (or table row) named by it
        if named or len({r["id"].split("/¶")[0] for r in holding}) <= 3:  # else too common to pick one
            # the task whose heading is most nearly the quote, else the most specific text
            return min(named or holding, key=lambda r: (-len(q) / max(len(r.get("heading") or ""), 1),
                                                        len(r.get("text") or "")))["id"]
    return None


VERBATIM_MIN = 8  # characters of the question found as one run in a task's text


def verbatim_task(c: Ctx, words: str, allowed: set[str] | None) -> str | None:
    """A question that copies a long run of one task's text without quoting it (…里组织对试点工作进行验收总结
    的期限): the task holding the longest such run, when no other task of the document holds one nearly as long."""
    if not allowed or len(words) < VERBATIM_MIN:
        return None
    best: list[tuple[int, int, str]] = []
    for r in c.run("tasks_text", {"tasks": sorted(allowed)}):
        text = QUOTE_MARKS.sub("", r.get("text") or "")
        run = SequenceMatcher(None, words, text, autojunk=False).find_longest_match(0, len(words), 0, len(text)).size
        best.append((run, -len(text), r["id"]))
    best.sort(reverse=True)
    if not best or best[0][0] < VERBATIM_MIN:
        return None
    if len(best) > 1 and best[1][0] >= best[0][0] - 2 and best[1][2].split("/")[0] != best[0][2].split("/")[0]:
        return None  # two items hold it: too common to pick one here
    return best[0][2]


def retrieved_tasks(c: Ctx, probe: str, allowed: set[str] | None) -> list[tuple[str, float]]:
    """Tasks whose text is nearest the question's words (vectors + full text), best first."""
    try:
        return search_tasks(c.store, probe, c.lex, limit=5, allowed=allowed, info=c.retrieval_info)
    except Exception as exc:
        c.retrieval_info["error"] = str(exc)[:200]
        return []


def cutoff(c: Ctx, name: str, params: dict):
    """The sort key of the LIMIT-th row of template `name`, from `name`_cutoff.cypher (None: fewer rows).
    A whole-library ranking then sorts only the rows up to it (see overdue_tasks.cypher)."""
    rows = c.lookup(f"{name}_cutoff", {"docs": [], **params, "skip": LIMIT - 1})
    return rows[0]["cutoff"] if rows else None


def children_of(c: Ctx, ids: list[str]) -> list[str]:
    return [r["id"] for r in c.lookup("tasks_children", {"tasks": ids})]


def next_siblings_of(c: Ctx, ids: list[str]) -> list[str]:
    """Items after the given ones under the same parent item, in text order (tasks_next_siblings.cypher)."""
    return [r["id"] for r in c.lookup("tasks_next_siblings", {"tasks": ids}) if r["id"] not in ids]


def parents_of(c: Ctx, ids: list[str]) -> list[str]:
    return [r["id"] for r in c.lookup("tasks_parents", {"tasks": ids})]



def _citation_span(text: str, doc_no: str | None, title: str | None) -> tuple[int, int] | None:
    if not text:
        return None
    if doc_no:
        no = normalize_doc_no(doc_no) or doc_no
        m = re.match(r"(.+?)〔(\d{4})〕(\d+)号", no)
        if m:
            rx = re.escape(m.group(1)) + r"\s*[〔\[(（【〈﹝]\s*" + m.group(2) + r"\s*[〕\])）】〉﹞]\s*0*" + m.group(3) + r"\s*[号號]?"
            mm = re.search(rx, text)
            if mm:
                return _widen(text, mm.start(), mm.end())
        i = text.find(doc_no)
        if i >= 0:
            return _widen(text, i, i + len(doc_no))
    if title:
        i = text.find(title)
        if i >= 0:
            return _widen(text, i, i + len(title))
    return None


def _widen(text: str, s: int, e: int) -> tuple[int, int]:
    """Grow a citation to the clause around it (back to 《 / 按照 / 根据, forward to the next ,/。)."""
    left = max(0, s - 80)
    seg = text[left:s]
    k = max(seg.rfind(x) for x in ("按照", "根据", "依据", "贯彻落实", "落实", "《", "，", ",", "。"))
    ns = left + k if k >= 0 else s
    m = re.search(r"[，,。；;\n]", text[e:e + 60])
    ne = e + (m.start() if m else 0)
    return ns, ne


