"""Entity linking: find units, documents, tasks, indicators, roles and dates named in a question.

Dictionaries are built from the graph (`Lexicon.from_store`): unit names and aliases (plus short
forms without the place prefix: 环保中队 → 矿区环保中队), 文号 in every bracket variant, document
titles and their short forms (送表矿区方案), target indicators plus a built-in synonym table
(细颗粒物 → PM2.5). Exact hits come from one Aho-Corasick automaton; near misses (工商质检所 →
工商质监所, 环保中对 → 环保中队) from rapidfuzz Levenshtein over the question's uncovered windows.
Questions are normalised first: NFKC (full-width → half-width) and traditional → simplified (opencc).
"""
from __future__ import annotations

import atexit
import functools
import gc
import heapq
import itertools
import re
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import date

import ahocorasick
import cn2an
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from kg.extract.divisions import place_codes, places_in, within
from kg.extract.gazetteer import local_forms
from kg.model import normalize_doc_no, normalize_title

from . import dates
from .lexicon_index import FuzzyUnitIndex, HeadingIndex, TitleIndex
from .text_index import TaskTextIndex

_t2s = None


def normalize_question(text: str) -> str:
    """NFKC + traditional→simplified + AI→人工智能 + squeeze whitespace."""
    global _t2s
    s = unicodedata.normalize("NFKC", text or "")
    if _t2s is None:
        try:
            import opencc

            _t2s = opencc.OpenCC("t2s")
        except Exception:  # opencc missing: traditional questions just link worse
            _t2s = False
    if _t2s:
        s = _t2s.convert(s)
    s = s.replace("號", "号")
    s = re.sub(r"(?<![A-Za-z])AI(?![A-Za-z])", "人工智能", s)  # 山东AI产业行动计划: titles write 人工智能
    s = re.sub(r"\s+", " ", s).strip()
    return s


# ---- indicators: canonical name -> synonyms (the graph's Target.indicator values are added too) ----
INDICATORS = {
    "PM2.5": ["PM2.5", "pm2.5", "PM25", "细颗粒物", "PM2.5平均浓度", "PM2.5浓度"],
    "PM10": ["PM10", "pm10", "可吸入颗粒物", "PM10平均浓度", "PM10浓度"],
    "优良天数": ["优良天数", "优良天", "好天气", "空气质量优良天数", "蓝天数", "优良天数比例"],
    "覆盖率": ["覆盖率"],
    "利用率": ["利用率", "综合利用率"],
    "合格率": ["合格率"],
    "配套率": ["配套率"],
    "治理率": ["治理率"],
    "处理率": ["处理率", "污水处理率"],
    "煤炭消费总量": ["煤炭消费总量", "煤炭消费"],
    "污水处理规模": ["污水处理规模"],
}

ROLE_WORDS = [
    ("lead", ["牵头", "主抓", "带头", "主责", "牵个头", "领头", "主导", "挑头"]),
    ("support", ["配合", "参与", "协助", "协办", "支持", "参加"]),
    ("responsible", ["责任单位", "负责", "落实", "承担", "承办", "管", "干"]),
]

# role words that are as often words of a task's name (金融服务支持, 抓好落实)
WEAK_ROLE_WORDS = ("支持", "落实", "参加", "承担")

PLACE_PREFIXES = ["市委", "省委", "县委", "区委", "自治区", "自治州", "矿区", "开发区", "园区", "省", "州", "市", "区", "县", "镇", "乡", "街道"]


@dataclass
class Match:
    kind: str  # unit | document | indicator | task
    key: str  # canonical key: unit name, doc_id, indicator, task id
    surface: str
    start: int
    end: int
    score: float = 100.0
    how: str = "exact"  # exact | alias | fuzzy | short | retrieval | context

    def to_dict(self) -> dict:
        return {"kind": self.kind, "key": self.key, "surface": self.surface, "start": self.start,
                "end": self.end, "score": round(float(self.score), 3), "how": self.how}


@dataclass
class Lexicon:
    units: dict[str, dict] = field(default_factory=dict)  # name -> {name, aliases, kind}
    docs: dict[str, dict] = field(default_factory=dict)  # doc_id -> {doc_id, doc_no, title, ...}
    tasks: dict[str, dict] = field(default_factory=dict)  # id -> {id, doc_id, heading, number, path}
    indicators: dict[str, str] = field(default_factory=dict)  # surface -> canonical
    indicator_spellings: dict[str, list[str]] = field(default_factory=dict)  # surface -> as the graph writes it
    surfaces: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)  # surface -> [(kind,key,how)]
    fuzzy_unit_aliases: list[str] = field(default_factory=list)
    fuzzy_unit_keys: list[list[str]] = field(default_factory=list)
    task_ids: list[str] = field(default_factory=list)
    task_headings: list[str] = field(default_factory=list)
    doc_title_keys: list[str] = field(default_factory=list)
    doc_title_ids: list[str] = field(default_factory=list)
    title_grams: dict[str, set] = field(default_factory=dict)  # doc_id -> character bigrams of its title
    gram_idf: dict[str, float] = field(default_factory=dict)
    max_idf: float = 1.0
    title_only_grams: dict[str, set] = field(default_factory=dict)  # the title's own bigrams (no issuer, no head)
    title_text: dict[str, str] = field(default_factory=dict)
    automaton: object = None
    # inverted indexes (kg.qa.lexicon_index): a question is matched against what shares characters with it
    heading_index: HeadingIndex | None = None
    unit_index: FuzzyUnitIndex | None = None
    title_index: TitleIndex | None = None
    text_index: TaskTextIndex | None = None  # the task texts' words (kg.qa.retrieval's full-text leg)
    built_at: float = 0.0
    signature: object = None
    generation: int | None = None  # the store's write count it was built at (GraphStore.generation)

    # ---------- building ----------
    @classmethod
    def from_store(cls, store) -> "Lexicon":
        lex = cls()
        for r in store.run("MATCH (u:Unit) RETURN u.name AS name, u.aliases AS aliases, u.kind AS kind", {}):
            if r.get("name"):
                lex.units[r["name"]] = {"name": r["name"], "aliases": list(r.get("aliases") or []),
                                        "kind": r.get("kind")}
        for r in store.run(
                "MATCH (d:Document) RETURN d.doc_id AS doc_id, d.doc_no AS doc_no, d.title AS title, "
                "d.issuer AS issuer, d.date AS date, d.level AS level, d.region AS region, d.stub AS stub, "
                "CASE WHEN d.title IS NULL THEN substring(d.text, 0, 160) ELSE null END AS head", {}):
            if r.get("doc_id"):
                lex.docs[r["doc_id"]] = dict(r)
        for r in store.run(
                "MATCH (t:Task) RETURN t.id AS id, t.doc_id AS doc_id, t.heading AS heading, "
                "t.number AS number, t.path AS path", {}):
            if r.get("id"):
                lex.tasks[r["id"]] = dict(r)
        inds = store.run("MATCH (x:Target) RETURN DISTINCT x.indicator AS indicator", {})
        lex._build([r["indicator"] for r in inds if r.get("indicator")])
        lex.text_index = TaskTextIndex.from_store(store)
        return lex

    @classmethod
    def from_records(cls, units=(), docs=(), tasks=(), indicators=()) -> "Lexicon":
        lex = cls()
        for u in units:
            lex.units[u["name"]] = {"name": u["name"], "aliases": list(u.get("aliases") or []), "kind": u.get("kind")}
        for d in docs:
            lex.docs[d["doc_id"]] = dict(d)
        for t in tasks:
            lex.tasks[t["id"]] = dict(t)
        lex._build(list(indicators))
        return lex

    def _add(self, surface: str, kind: str, key: str, how: str):
        surface = normalize_question(surface)
        if len(surface) < 2:
            return
        lst = self.surfaces.setdefault(surface, [])
        if (kind, key, how) not in lst:
            lst.append((kind, key, how))

    def _build(self, graph_indicators: list[str]):
        regions = {normalize_question(d.get("region") or "") for d in self.docs.values()} - {""}
        prefixes = sorted(set(PLACE_PREFIXES) | regions, key=len, reverse=True)
        fuzzy: dict[str, set[str]] = {}
        for name, u in self.units.items():
            forms = {name, *u["aliases"]}
            # a name the extractor kept with its clause tail (省外办按职责分工) answers to the plain name too
            plain = _UNIT_TAIL.sub("", name)
            if plain != name and len(plain) >= 2:
                forms.add(plain)
            for f in list(forms):
                if f.endswith("有限公司") and len(f) > 6:  # 登封市宏昌水泥有限公司 -> …水泥公司
                    forms.add(f[:-4] + "公司")
                if f.endswith("人民政府") and len(f) > 5:  # 地方各级人民政府 -> 地方各级政府
                    forms.add(f[:-4] + "政府")
            forms = {f for f in forms if f == name or f not in place_codes()}  # 青岛 names a place, not 青岛市政府
            for f in list(forms):
                self._add(f, "unit", name, "exact" if f == name else "alias")
                short = _strip_prefix(normalize_question(f), prefixes)
                if short and short != f and (len(short) >= 3 or short.endswith("办")):
                    self._add(short, "unit", name, "short")
                    forms.add(short)
            for f in forms:
                f = normalize_question(f)
                if len(f) >= 4:
                    fuzzy.setdefault(f, set()).add(name)
        # organisation gazetteer: every form of a national body links to every spelling of it in the graph
        # (人社部 → 人力资源社会保障部, 发改委 → 国家发展和改革委员会 and 发展改革委)
        for form, names in gazetteer_forms(self.units).items():
            nf = normalize_question(form)
            if len(nf) < 2:
                continue
            for name in names:
                self._add(nf, "unit", name, "gazetteer")
            if len(nf) >= 4:
                fuzzy.setdefault(nf, set()).update(names)
        # a branch named after its national body takes that body's other forms (人行沈阳分行 → 人民银行沈阳分行)
        for name, form in branch_forms(self.units):
            self._add(normalize_question(form), "unit", name, "gazetteer")
        # local bodies: the other forms of their stem at the same level (人社局 → 市人力资源社会保障局)
        for name in self.units:
            for form in local_forms(name):
                nf = normalize_question(form)
                if len(nf) >= 3:
                    self._add(nf, "unit", name, "gazetteer")
        self.fuzzy_unit_aliases = list(fuzzy)
        self.fuzzy_unit_keys = [sorted(v) for v in fuzzy.values()]
        self.unit_index = FuzzyUnitIndex(self.fuzzy_unit_aliases)

        for doc_id, d in self.docs.items():
            no = normalize_doc_no(d.get("doc_no"))
            if no:
                for variant in _doc_no_variants(no):
                    self._add(variant, "document", doc_id, "doc_no")
            title = d.get("title")
            if title and normalize_question(normalize_title(title) or title) in GENERIC_TITLES:
                title = None  # 《实施方案》, 《行动计划》: a citation too vague to name a document by
            if title:
                for form in title_forms(title, d.get("region")):
                    if form.startswith("@") and re.search(r"(院|厅|部|委|办|局|署|会)$", form):
                        continue  # 国务院关于… : the issuer, not a place
                    if form.startswith("@"):
                        if not d.get("stub"):
                            self._add(form[1:], "document", doc_id, "place")
                        continue
                    self._add(form, "document", doc_id, "title" if form == normalize_title(title) else "short")
                key = normalize_title(title) or title
                self.doc_title_keys.append(normalize_question(key))
                self.doc_title_ids.append(doc_id)

        self._build_title_index()

        for canon, syns in INDICATORS.items():
            for s in syns:
                self.indicators[normalize_question(s)] = canon
        for ind in graph_indicators:
            s = normalize_question(ind)
            self.indicator_spellings.setdefault(s, []).append(ind)  # 骨干专业（群） is 骨干专业(群) after NFKC
            if len(s) < 4 and not any(s in syns for syns in INDICATORS.values()):
                continue  # 企业, 目标: too generic to say a question is about a target
            canon = next((c for c, syns in INDICATORS.items() if s in syns or any(x in s for x in syns[:2])), s)
            self.indicators.setdefault(s, canon)
        for s, canon in self.indicators.items():
            self._add(s, "indicator", canon, "exact")

        self.task_ids = list(self.tasks)
        self.task_headings = [normalize_question(self.tasks[t].get("heading") or "") for t in self.task_ids]
        self.heading_index = HeadingIndex(self.task_ids, self.task_headings,
                                          [self.tasks[t].get("doc_id") for t in self.task_ids])

        A = ahocorasick.Automaton()
        for surface, entries in self.surfaces.items():
            A.add_word(surface, (surface, entries))
            low = surface.lower()
            if low != surface and low not in self.surfaces:
                A.add_word(low, (surface, entries))
        if len(A):
            A.make_automaton()
        self.automaton = A
        self.built_at = time.time()

    def _build_title_index(self) -> None:
        import math

        df: dict[str, int] = {}
        for doc_id, d in self.docs.items():
            # a document without a title is known by the head of its text; issuer and region name it too
            # (天津那份…, 贵阳市政府办公厅…)
            title = normalize_question(d.get("title") or d.get("head") or "")
            if not title or normalize_question(normalize_title(title) or title) in GENERIC_TITLES:
                continue
            grams = _grams(title) | _grams(normalize_question(d.get("issuer") or "")) | \
                _grams(normalize_question(d.get("region") or ""))
            no = normalize_doc_no(d.get("doc_no"))
            for alias, full in POPULAR_TITLES.items():
                if full in title:
                    grams |= _grams(alias)
            self.title_grams[doc_id] = grams
            self.title_only_grams[doc_id] = _grams(normalize_question(d.get("title") or ""))
            for g in grams:
                df[g] = df.get(g, 0) + 1
            _ = no
        n = max(len(self.title_grams), 1)
        self.gram_idf = {g: math.log((n + 1) / (c + 0.5)) for g, c in df.items()}
        self.max_idf = math.log((n + 1) / 1.5)
        self.title_text = {d: normalize_question(self.docs[d].get("title") or self.docs[d].get("head") or "")
                           for d in self.title_grams}
        self.title_index = TitleIndex(self.title_grams, self.title_text)
        self._title_first2 = {}  # first two characters of a title key -> its positions (loose_documents)
        for i, key in enumerate(self.doc_title_keys):
            self._title_first2.setdefault(key[:2], []).append(i)

    def title_variants(self, doc_id: str) -> list[str]:
        """Other documents whose title differs from this one's only in dashes, brackets or spaces."""
        if not hasattr(self, "_variants"):
            groups: dict[str, list[str]] = {}
            for d, v in self.docs.items():
                t = v.get("title")
                if t:
                    key = re.sub(r"[\s\-—–－~～()（）〔〕\[\]【】]", "", normalize_question(t))
                    groups.setdefault(key, []).append(d)
            self._variants = {d: g for g in groups.values() if len(g) > 1 for d in g}
        return [d for d in self._variants.get(doc_id, []) if d != doc_id]

    def places_of(self, doc_id: str) -> list[str]:
        """The places a document's title, issuer and region name, read once per lexicon."""
        if not hasattr(self, "_places"):
            self._places: dict[str, list[str]] = {}
        if doc_id not in self._places:
            self._places[doc_id] = places_in(_place_words(self.docs.get(doc_id) or {}))
        return self._places[doc_id]

    def named_by_term(self, q: str) -> str | None:
        """The one loaded document whose title quotes a term the question writes, quoted or not (开展“携手行动”
        促进…的通知 for 携手行动里…)."""
        if not hasattr(self, "_terms"):
            terms: dict[str, set[str]] = {}
            for d, t in self.title_text.items():
                for term in re.findall(r"[“\"]([^”\"]{3,12})[”\"]", t):
                    terms.setdefault(term, set()).add(d)
            self._terms = {t: next(iter(ds)) for t, ds in terms.items() if len(ds) == 1}
        hits = {d for t, d in self._terms.items() if t in q and not self.docs.get(d, {}).get("stub")}
        return hits.pop() if len(hits) == 1 else None

    def scored_documents(self, q: str, skip: list[tuple[int, int]] = (), limit: int = 3,
                         loaded_only: bool = False) -> list[tuple[str, float]]:
        """Documents named by their title, short title or a loose paraphrase ("综合保税区那个意见",
        "消费扶贫意见", "铁岭那个支持中小企业发展的政策措施", "大气十条"): the question's character bigrams
        found in a title, each weighted by its rarity among titles (IDF), plus a bonus for the longest
        run of the title quoted as is. Spans in `skip` (units, 文号) are left out. Best first."""
        if not self.title_grams:
            return []
        chars = list(q)
        for a, b in skip:
            for i in range(a, min(b, len(chars))):
                chars[i] = " "
        probe = "".join(chars)
        qgrams = _grams(probe)
        if not qgrams:
            return []
        # abbreviations (综保区 for 综合保税区): 3-5 characters of the question, in order, close together in the title
        abbrevs = {probe[i:i + L] for L in (3, 4, 5) for i in range(len(probe) - L + 1)
                   if re.fullmatch(r"[\u4e00-\u9fff]+", probe[i:i + L])
                   and not all(g in self.gram_idf for g in _grams(probe[i:i + L]))}
        ab_rx: dict[str, re.Pattern] = {}  # compiled when a title may hold it
        # the question's distinctive mass: its bigrams known from titles (unknown ones say nothing about titles)
        # the question's distinctive mass: bigrams known from titles by their IDF; inside a quoted 《title》 the
        # unknown ones count too (法治政府… quoted but in no title: the document is not in the library)
        quoted = bool(re.search(r"《[^》]+》", q))
        q_mass = sum(self.gram_idf.get(g, self.max_idf if quoted else 0.0) for g in qgrams
                     if not re.search(r"[那个的里中这份]", g))
        # a year the question writes tells near-twins apart (数字山东2021 is not 数字山东2019行动方案)
        years = set(re.findall(r"(?:19|20)\d{2}", probe))
        out = []
        for doc_id, held, n_hit, score in self.title_index.candidates(qgrams, abbrevs, self.gram_idf):
            if loaded_only and self.docs.get(doc_id, {}).get("stub"):
                continue
            title = self.title_text.get(doc_id, "")
            best_ab = 0
            for ab in held:  # the abbreviations whose every character the title holds
                if ab in title:
                    continue
                if ab not in ab_rx:
                    ab_rx[ab] = re.compile(".{0,3}".join(map(re.escape, ab)))
                m = ab_rx[ab].search(title)
                if m and m.end() - m.start() <= 2.5 * len(ab):  # what the abbreviation adds to the plain hits
                    best_ab = max(best_ab, len(_grams(ab) - self.title_grams[doc_id]))
            score += self.max_idf * best_ab
            if n_hit < 2 and not best_ab:
                continue
            if score < 0.4 * q_mass:  # most of what the question says about the document is not in this title
                continue
            score += self.max_idf * any(y in title for y in years)
            # in units of "rare bigrams quoted", rounded: a sum over a set differs in its last bits from process to
            # process, and ties must break the same way in every process
            out.append((doc_id, round(score / self.max_idf, 9)))
        # a loaded plan close behind a document only cited (昌吉州…计划, a stub, beside 昌吉州2017年…实施方案) is the one
        # a question about its content means; ties: the same order in every process
        best = max((sc for _, sc in out), default=0)
        return heapq.nsmallest(limit, out, key=lambda x: (
            -(best if x[1] >= best * NEAR_TIE and not self.docs.get(x[0], {}).get("stub") else x[1]),
            bool(self.docs.get(x[0], {}).get("stub")), -x[1], x[0]))  # (the first `limit` of that order)

    # ---------- matching ----------
    def exact(self, q: str) -> list[Match]:
        """Longest non-overlapping dictionary hits (leftmost-longest)."""
        if not self.automaton or not len(self.automaton):
            return []
        hits = []
        for end, (surface, entries) in self.automaton.iter(q.lower() if q.isascii() else _lower_ascii(q)):
            start = end - len(surface) + 1
            hits.append((start, end + 1, surface, entries))
        hits.sort(key=lambda h: (-(h[1] - h[0]), h[0]))
        taken: list[tuple[int, int]] = []
        out: list[Match] = []
        for s, e, surface, entries in hits:
            if any(s < te and ts < e for ts, te in taken):
                continue
            taken.append((s, e))
            docs = [k for kind, k, _h in entries if kind == "document"]
            real = [k for k in docs if not self.docs.get(k, {}).get("stub")]
            for kind, key, how in entries:
                if kind == "document" and len(docs) > 1 and real and key not in real:
                    continue  # a short form shared with a cited-only stub: the loaded plan wins
                out.append(Match(kind, key, q[s:e], s, e, 100.0, how))
        out.sort(key=lambda m: m.start)
        return out

    def fuzzy_units(self, q: str, covered: list[tuple[int, int]]) -> list[Match]:
        """Near-miss unit names over windows of the question not already covered by exact hits."""
        if not self.fuzzy_unit_aliases:
            return []
        windows, spans = [], []
        n = len(q)
        for L in range(4, min(n, 16) + 1):
            for i in range(0, n - L + 1):
                j = i + L
                if any(i < ce and cs < j for cs, ce in covered):
                    continue
                w = q[i:j]
                if not re.search(r"[\u4e00-\u9fff]", w) or re.search(r"[,，。?？!！\s、]", w):
                    continue
                windows.append(w)
                spans.append((i, j))
        if not windows:
            return []
        import numpy as np

        # every (window, name) pair that shares a first or a last character, the only ones accepted below
        if self.unit_index is not None:
            blocks = self.unit_index.pairs(windows)
        else:
            blocks = [(list(range(len(windows))), np.arange(len(self.fuzzy_unit_aliases)))]
        pairs: dict[tuple[int, int], int] = {}
        for ws, al in blocks:
            names = [self.fuzzy_unit_aliases[a] for a in al.tolist()]
            res = process.cdist([windows[i] for i in ws], names, scorer=Levenshtein.distance, score_cutoff=2,
                                workers=1)
            wi, ai = np.nonzero(res <= 2)
            for r, k in zip(wi.tolist(), ai.tolist()):
                pairs[(ws[r], int(al[k]))] = int(res[r, k])
        cands = []
        for (w_idx, a_idx), dist in sorted(pairs.items()):  # window, then name order: ties as before
            alias = self.fuzzy_unit_aliases[a_idx]
            allowed = 2 if len(alias) >= 8 else 1
            if dist == 0 or dist > allowed:
                continue
            w = windows[w_idx]
            if abs(len(w) - len(alias)) > (2 if len(alias) >= 8 else 1) or w[0] != alias[0] and w[-1] != alias[-1]:
                continue
            if len(alias) < 6 and w[-1] != alias[-1]:
                continue  # a short name's last character says what body it is: 产业集聚 is no 产业集团
            score = 100.0 * (1 - dist / max(len(alias), len(w)))
            cands.append((score, len(alias), spans[w_idx], a_idx))
        cands.sort(key=lambda c: (-c[0], -c[1]))
        out: list[Match] = []
        taken = list(covered)
        for score, _l, (s, e), a_idx in cands:
            if any(s < te and ts < e for ts, te in taken):
                continue
            taken.append((s, e))
            for key in self.fuzzy_unit_keys[a_idx]:
                out.append(Match("unit", key, q[s:e], s, e, score, "fuzzy"))
        return out

    def fuzzy_documents(self, q: str, limit: int = 3) -> list[Match]:
        """Titles quoted loosely: partial ratio of the question against normalised titles."""
        if not self.doc_title_keys:
            return []
        m = re.search(r"《([^》]+)》", q) or QUOTED_TITLE.search(q)
        probe = m.group(1) if m else q
        found = process.extract(probe, self.doc_title_keys, scorer=fuzz.partial_ratio, limit=limit, score_cutoff=75)
        out = []
        for key, score, idx in found:
            if m or len(probe) <= len(key) * 1.6:
                out.append(Match("document", self.doc_title_ids[idx], probe, 0, 0, score, "fuzzy"))
        return out

    def loose_documents(self, q: str) -> list[Match]:
        """A plan named loosely (昌吉州的达标排放方案, 永安镇百日攻坚方案): the characters of the phrase
        ending in 方案/计划 appear in order in the title (LCS coverage), loaded plans first."""
        from rapidfuzz.distance import LCSseq

        out = []
        for mm in re.finditer(r"([\u4e00-\u9fff]{2,24}?)(方案|计划|意见)", q):
            phrase = re.sub(r"^(这个|那个|关于|请问|哪些|哪个)", "", mm.group(0).replace("的", ""))
            if len(phrase) < 5:
                continue
            best = []
            first2 = getattr(self, "_title_first2", None)
            idxs = first2.get(phrase[:2], []) if first2 is not None else range(len(self.doc_title_keys))
            for i in idxs:  # only titles starting like the phrase can be accepted below
                key, doc_id = self.doc_title_keys[i], self.doc_title_ids[i]
                cover = LCSseq.similarity(phrase, key) / len(phrase)
                if cover >= 0.85 and key[:2] == phrase[:2]:
                    stub = bool(self.docs.get(doc_id, {}).get("stub"))
                    best.append((cover, not stub, doc_id))
            best.sort(key=lambda b: (-b[0], -b[1]))
            if best:
                top = best[0]
                out.append(Match("document", top[2], mm.group(0), mm.start(), mm.end(), 100 * top[0], "loose"))
        return out

    def fuzzy_tasks(self, text: str, limit: int = 5, cutoff: float = 70, only: set | None = None) -> list[tuple[str, float]]:
        """Task headings containing (nearly) the given words: 燃煤锅炉拆改 → 加快燃煤锅炉拆改.
        `only`: the task ids to search (the scoped document's tasks)."""
        text = text.strip()
        if len(text) < 2 or not self.task_headings:
            return []
        hx = self.heading_index
        if hx is None:  # a lexicon pickled before the index existed is rebuilt (lexicon_cache FORMAT)
            return []
        # distinct headings to score: the scoped tasks' (only), or those sharing bigrams with the text
        if only is not None:
            tasks = sorted(hx.pos[t] for t in only if t in hx.pos)
            heads = list(dict.fromkeys(int(hx.heading_of[i]) for i in tasks))
            allowed = set(tasks)
        else:
            heads = hx.candidates(text)
            heads = range(len(hx.uniq)) if heads is None else heads
            allowed = None
        heads = list(heads)
        found = process.extract(text, [hx.uniq[j] for j in heads], scorer=fuzz.partial_ratio, limit=limit * 4,
                                score_cutoff=cutoff)
        scored = []
        for heading, score, k in found:
            if heading:
                # partial_ratio is symmetric over the shorter string: penalise a long probe vs a short heading
                cover = min(len(text), len(heading)) / max(len(text), 1)
                scored.append((score * (0.6 + 0.4 * cover), heads[k]))
        scored.sort(key=lambda x: -x[0])
        out: list[tuple[str, float]] = []
        # every task carrying the heading (one heading may title thousands of tasks), best score first,
        # equal scores in task order as a scan over all tasks gives them; stop at `limit`
        for sc, group in itertools.groupby(scored, key=lambda x: x[0]):
            lists = [hx.tasks_of[j] for _s, j in group]
            tasks = (i for i in heapq.merge(*lists) if allowed is None or i in allowed)
            out += [(self.task_ids[i], sc) for i in itertools.islice(tasks, limit - len(out))]
            if len(out) >= limit:
                break
        return out

    def tasks_in(self, doc_ids) -> set[str]:
        """Ids of the tasks of these documents (an index lookup, not a pass over every task)."""
        if self.heading_index is None:
            return {t for t, v in self.tasks.items() if v.get("doc_id") in set(doc_ids)}
        return {self.task_ids[i] for i in self.heading_index.tasks_in(doc_ids)}


# national bodies: full name | short forms (used when kg.extract.gazetteer is not available)
_FALLBACK_NATIONAL = """
国家发展和改革委员会|国家发展改革委|发展改革委|发改委|国家发改委
人力资源和社会保障部|人力资源社会保障部|人社部
工业和信息化部|工信部
住房和城乡建设部|住房城乡建设部|住建部
国家卫生健康委员会|国家卫生健康委|卫生健康委|国家卫健委|卫健委
中国人民银行|人民银行|人行|央行
中国银行保险监督管理委员会|银保监会|中国银保监会
中国证券监督管理委员会|证监会|中国证监会
国家税务总局|税务总局
国家市场监督管理总局|市场监管总局
国务院机关事务管理局|国管局
国家邮政局|邮政局
中国民用航空局|民航局
国家知识产权局|知识产权局
国家文物局|文物局
国家体育总局|体育总局
科学技术部|科技部
教育部
公安部
民政部
司法部
财政部
商务部
自然资源部
生态环境部|环保部|环境保护部
交通运输部|交通部
水利部
农业农村部|农业部
文化和旅游部|文化旅游部|文旅部
应急管理部|应急部
退役军人事务部|退役军人部
国务院国有资产监督管理委员会|国务院国资委|国资委
海关总署
审计署
国家统计局|统计局
国家外汇管理局|外汇局
国家广播电视总局|广电总局
国家林业和草原局|林草局|国家林草局
国家能源局|能源局
国家医疗保障局|医保局|国家医保局
中国科学院|中科院
中国工程院|工程院
最高人民法院|最高法
最高人民检察院|最高检
中华全国工商业联合会|全国工商联|工商联
中央宣传部|中宣部
中央网络安全和信息化委员会办公室|中央网信办|网信办
国务院扶贫开发领导小组办公室|国务院扶贫办|扶贫办
中华全国总工会|全国总工会
共青团中央|团中央
全国妇联|中华全国妇女联合会
"""


@functools.lru_cache(maxsize=1)
def _national_table() -> dict[str, str]:
    """form -> full name of a national body: the organisation gazetteer (kg.extract.gazetteer) when present,
    else the small table above. Built once; callers only read it."""
    out: dict[str, str] = {}
    try:
        from kg.extract.gazetteer import national_bodies  # type: ignore

        for form, body in national_bodies().items():
            out[form] = body.name
    except Exception:
        pass
    for line in _FALLBACK_NATIONAL.strip().splitlines():
        forms = [f for f in line.split("|") if f]
        for f in forms:
            out.setdefault(f, forms[0])
    return out


@functools.lru_cache(maxsize=1)
def _forms_by_body() -> dict[str, frozenset[str]]:
    """full name of a national body -> every form of it (the national table read the other way)."""
    forms: dict[str, set[str]] = {}
    for form, body in _national_table().items():
        forms.setdefault(body, set()).add(form)
    return {body: frozenset(f) for body, f in forms.items()}


def body_forms(name: str) -> set[str]:
    """Every form of the national body `name` denotes (人社部 → 人力资源社会保障部, 人力资源和社会保障部, 人社部…);
    {name} for a name the gazetteer does not hold."""
    body = _national_table().get(name)
    return set(_forms_by_body()[body]) | {name} if body else {name}


def gazetteer_forms(units: dict[str, dict]) -> dict[str, set[str]]:
    """Every gazetteer form of the national bodies the graph holds -> the graph unit names of that body."""
    table = _national_table()
    by_body: dict[str, set[str]] = {}
    for name in units:
        body = table.get(name) or table.get(re.sub(r"^(国务院|国家)", "", name))
        if body:
            by_body.setdefault(body, set()).add(name)
    forms: dict[str, set[str]] = {}
    for form, body in table.items():
        if body in by_body:
            forms.setdefault(form, set()).update(by_body[body])
    return forms


BRANCH_TAIL = re.compile(r"(?:分行|分局|分署|分会|分中心|监管局|办事处|特派办|中心支行|支行)(?:营业管理部|营管部)?$")


def branch_forms(units: dict[str, dict]):
    """(unit name, another spelling) for branches of national bodies: `人民银行沈阳分行` is also
    `人行沈阳分行` and `中国人民银行沈阳分行` (the body's gazetteer forms in front of the branch's place)."""
    table = _national_table()
    forms_of = _forms_by_body()
    prefix = re.compile("|".join(map(re.escape, sorted(table, key=len, reverse=True))))
    for name in units:
        m = prefix.match(name)
        rest = name[m.end():] if m else ""
        if len(rest) >= 3 and BRANCH_TAIL.search(rest):
            for other in forms_of[table[m.group(0)]] - {m.group(0)}:
                yield name, other + rest


GENERIC_TITLES = {"实施方案", "工作方案", "行动方案", "行动计划", "方案", "计划", "意见", "通知", "办法", "实施意见",
                  "指导意见", "若干措施", "实施细则", "规划", "若干意见", "政策措施", "工作计划", "规定", "决定", "纲要"}

# popular names of national directives → words of their title
POPULAR_TITLES = {"大气十条": "大气污染防治行动计划", "水十条": "水污染防治行动计划", "土十条": "土壤污染防治行动计划",
                  "气十条": "大气污染防治行动计划", "十四五规划": "第十四个五年规划", "十三五规划": "第十三个五年规划",
                  "十四五": "第十四个五年规划", "十三五": "第十三个五年规划"}
_GRAM_SKIP = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9]")


def _grams(text: str) -> set[str]:
    """Character bigrams of the Chinese / alphanumeric runs of `text`."""
    out = set()
    for run in _GRAM_SKIP.split(text):
        for i in range(len(run) - 1):
            g = run[i:i + 2]
            if not g.isdigit():  # 20, 01 of years say nothing about which document
                out.add(g)
    return out


_MENTION_END = re.compile(r"(若干意见|指导意见|实施意见|实施细则|实施办法|意见书|意见|实施方案|工作方案|行动方案|方案|通知|行动计划|计划|计画|"
                          r"考评办法|办法|若干措施|政策措施|措施|规划纲要|规划|细则|决定|纲要|清单|通告|公告|[\d一二三四五六七八九十]+条|"
                          r"若干政策|政策|指挥部令第\d+号|令第\d+号|复函|批复|意见稿|《[^》]+》)")


def doc_mention(q: str) -> tuple[int, int] | None:
    """The span of the question that names a document: the clause ending in a document word
    (综保区若干意见, 铁岭那个支持中小企业发展的政策措施, 携手行动通知), without a leading 在/关于."""
    for m in _MENTION_END.finditer(q):
        if m.group(0).startswith("《"):
            return m.start() + 1, m.end() - 1
        if re.search(r"(哪些|哪项|什么|哪个|有|啥|几项|几条)$", q[max(0, m.start() - 3):m.start()]):
            continue  # 有哪些措施 / 有什么减免政策: what is asked, not a document
        end = m.end()
        while (more := _MENTION_END.match(q, end)) and not more.group(0).startswith("《"):
            end = more.end()  # 若干政策实施细则: the whole document word, not its first part
        start = m.start()
        while start > 0 and not re.match(r"[，,。？?！!；;：:\s]", q[start - 1]):
            start -= 1
        if end - start >= 4:
            return start, end
    return None


_UNIT_TAIL = re.compile(r"(按职责分工|按照职责分工|分工负责|按职责|等部门|等单位|牵头单位|负责)$")


def _title_runs(q: str, grams: set[str], skip) -> list[tuple[int, int]]:
    """Spans of the question (3+ characters) that quote the title: not part of the task words."""
    out, i, n = [], 0, len(q)
    while i < n - 1:
        if q[i:i + 2] in grams and not any(a <= i < b for a, b in skip):
            j = i + 1
            while j < n - 1 and q[j:j + 2] in grams:
                j += 1
            if j + 1 - i >= 3:
                out.append((i, j + 1))
            i = j + 1
        else:
            i += 1
    return out


_GAP = re.compile(r"[\s、，,·“”\"《》〈〉]*")


def _naming_runs(q: str, runs: list[tuple[int, int]], clause: tuple[int, int] | None) -> list[tuple[int, int]]:
    """The title runs that may quote the document: all those before the end of the clause naming it, and those
    after it chained to it by spaces or punctuation only. A run further on quotes the title's words in the
    question proper (…的通知里工业和信息化部负责什么): a unit there is asked about."""
    if clause is None:  # a loose naming (那个…报告里…): the clause ends at the 里/中 after its first run
        stop = re.compile(r"[里中内]").search(q, min(runs)[1]) if runs else None
        if not stop:
            return runs
        clause = (0, stop.start())
    b = clause[1]
    kept = [r for r in runs if r[0] < b]
    for r in sorted(r for r in runs if r[0] >= b):
        if _GAP.fullmatch(q[b:r[0]]):
            kept.append(r)
            b = r[1]
    return kept


def _lower_ascii(s: str) -> str:
    return "".join(c.lower() if c.isascii() else c for c in s)


def _strip_prefix(name: str, prefixes: list[str]) -> str | None:
    for p in prefixes:
        rest = name[len(p):]
        if name.startswith(p) and (len(rest) >= 3 or (len(rest) == 2 and rest.endswith("办"))):
            return rest
    m = re.match(r"^[\u4e00-\u9fff]{2,4}?(市|县|区|镇|乡|州|省)(?=[\u4e00-\u9fff]{4,})", name)
    if m and not name[m.end():].startswith(("人民", "委员", "管理委员")):
        return name[m.end():]
    return None


def _doc_no_variants(no: str) -> list[str]:
    """郑办〔2019〕9号 -> every bracket spelling a user may type."""
    m = re.match(r"(.+?)〔(\d{4})〕(\d+)号?$", no)
    if not m:
        return [no]
    a, y, n = m.groups()
    out = []
    for l, r in [("〔", "〕"), ("[", "]"), ("(", ")"), ("【", "】"), ("〈", "〉"), ("", "")]:
        out += [f"{a}{l}{y}{r}{n}号", f"{a}{l}{y}{r}{n}"]
    out.append(f"{a}{y}年{n}号")
    out.append(f"{a}{y}{n}号")
    return [o for o in out if len(o) >= 5]


DOC_KINDS = ["实施方案", "工作方案", "整改方案", "行动方案", "行动计划", "方案", "计划", "意见", "通知", "办法"]


def title_forms(title: str, region: str | None = None) -> list[str]:
    """送表矿区2019年大气污染防治攻坚战实施方案 -> that, without the year, 送表矿区方案, 送表矿区实施方案 …"""
    t = normalize_question(normalize_title(title) or title)
    forms = {t}
    no_year = re.sub(r"\d{4}(年度?|—\d{4}年|-\d{4}年)?", "", t)
    no_year = re.sub(r"\(\d{4}[—\-－]\d{4}年?\)", "", no_year)
    forms.add(no_year)
    kind = next((k for k in DOC_KINDS if t.endswith(k)), None)
    # the place: text before the first digit, or the region, or before the first topic word
    m = re.match(r"^([\u4e00-\u9fff]{2,12}?)(?=\d|关于|大气|环境|生态|污染|工业|贯彻|中央|打赢|全面|蓝天)", t)
    place = m.group(1) if m else (normalize_question(region) if region and t.startswith(normalize_question(region)) else None)
    places = [place] if place else []
    if place:  # 登封市送表矿区 → 送表矿区 too: people drop the city above the place
        mc = re.match(r"^[\u4e00-\u9fff]{2,3}?(市|县)(?=[\u4e00-\u9fff]{3,})", place)
        if mc:
            places.append(place[mc.end():])
    for extra in places[1:]:
        forms.add("@" + extra)
        if kind:
            forms.add(extra + kind)
            if kind != "方案" and kind.endswith("方案"):
                forms.add(extra + "方案")
    if place and len(place) >= 3:
        forms.add("@" + place)  # place alone: scopes a question to this plan (marked, added as "place")
    if place and kind:
        forms.add(place + kind)
        if kind != "方案" and kind.endswith("方案"):
            forms.add(place + "方案")
        # 送表矿区 -> 送表 ; 金华经济技术开发区 -> 金华开发区
        short = _strip_suffix_place(place)
        if short and short != place and len(short) >= 3:
            forms.add("@" + short)
        if short and short != place:
            forms.add(short + kind)
            if kind.endswith("方案"):
                forms.add(short + "方案")
    # topic form: 大气污染防治攻坚战实施方案 is too generic alone; keep place-less forms only when long
    return [f for f in forms if len(f.lstrip("@")) >= 3]


def _strip_suffix_place(place: str) -> str | None:
    m = re.match(r"^(.{2,}?)(经济技术开发区|经济开发区|开发区|矿区|新区)$", place)
    if m:
        return m.group(1) + ("开发区" if "开发区" in m.group(2) else "")
    return None


# ---------------------------------------------------------------------------------------------

_cache_lock = threading.Lock()
_cache: dict[int, Lexicon] = {}


SIGNATURE_QUERIES = [  # one label count each: constant time on Neo4j, milliseconds on the embedded engine
    "MATCH (x:Document) RETURN count(x) AS n",
    # the stubs, not the loaded documents: every document is written with stub true or false, and counting
    # the 10,000 loaded ones read each whole record (their texts), 50-150 ms on the embedded engine, against
    # ~10 ms for the 1,500 stubs; store_signature gives the loaded count as before (the lexicon files stay valid)
    "MATCH (x:Document) WHERE x.stub = true RETURN count(x) AS n",
    "MATCH (x:Task) RETURN count(x) AS n",
    "MATCH (x:Unit) RETURN count(x) AS n",
    "MATCH (x:Target) RETURN count(x) AS n",
]


def store_signature(store):
    """Cheap fingerprint of what the lexicon is built from (store.stats() counts every node and
    relationship: seconds on a 10,000-plan graph): documents, loaded documents, tasks, units, targets."""
    try:
        docs, stubs, *rest = (int(store.run(q, {})[0]["n"]) for q in SIGNATURE_QUERIES)
        return (docs, docs - stubs, *rest)
    except Exception:
        return None


def lexicon_for(store, max_age: float = 30.0) -> Lexicon:
    """Lexicon built from the store, cached per store object and rebuilt when the graph changed."""
    key = id(store)
    lex = _cache.get(key)
    now = time.time()
    generation = getattr(store, "generation", None)  # this process's own loads and clears
    if lex is not None and lex.generation != generation:
        lex = None
    if lex is not None and now - lex.built_at < max_age:
        return lex
    sig = store_signature(store)
    if lex is not None and sig is not None and sig == lex.signature:
        lex.built_at = now
        return lex
    with _cache_lock:
        from . import lexicon_cache  # kept on disk between processes: no full scan at the first question

        # another thread may have read or built it while this one waited for the lock: 50 requests arriving
        # at a fresh server each read the 150 MB file again, one after another, for minutes
        done = _cache.get(key)
        if done is not None and done.generation == generation and sig is not None and done.signature == sig:
            done.built_at = time.time()
            return done
        lex = lexicon_cache.load_or_build(store, sig, Lexicon.from_store)
        lex.signature = sig
        lex.built_at = time.time()
        lex.generation = generation
        _cache[key] = lex
        _out_of_the_collector()
    return lex


def _out_of_the_collector() -> None:
    """Move every object alive now, the lexicon's among them, out of reach of Python's cyclic collector (issue 11,
    round 8). At 10,000 plans the lexicon is ~800,000 tracked objects: each full collection walked them all,
    ~300 ms with the interpreter lock held, in the middle of some question (every thread's). It holds no
    reference cycles (dropping it frees it all by reference counting), so a lexicon replaced later is freed as
    before; freezing costs nothing (no collection). At exit they are handed back, so that the interpreter's last
    collection frees them (extension modules report objects it did not free as leaks)."""
    global _unfreeze_at_exit
    gc.freeze()
    if not _unfreeze_at_exit:
        _unfreeze_at_exit = True
        atexit.register(gc.unfreeze)


_unfreeze_at_exit = False


def invalidate(store=None):
    if store is None:
        _cache.clear()
    else:
        _cache.pop(id(store), None)


# ---------------------------------------------------------------------------------------------

@dataclass
class Linked:
    question: str  # normalised
    units: list[Match] = field(default_factory=list)
    documents: list[Match] = field(default_factory=list)
    indicators: list[Match] = field(default_factory=list)
    tasks: list[Match] = field(default_factory=list)
    role: str | None = None
    period: dates.Period | None = None
    year: int | None = None
    residual: str = ""
    doc_alternatives: list[str] = field(default_factory=list)  # other documents that matched nearly as well
    ref_year: int | None = None  # the year of the named document (year-less dates refer to it)
    unknown_document: str | None = None  # the question names a plan of a place the library holds none of
    doc_spans: list[tuple[int, int]] = field(default_factory=list)  # where the question quotes a document
    unknown_unit: str | None = None  # a name in the actor slot (…里中央财政承担哪些工作) that is no unit of the graph

    def without_documents(self) -> str:
        """The question with the named documents', units' and quoted tasks' words blanked: 贯彻 in a title,
        以上 in 县级以上人民政府, 延期 in “延期缴纳税款” ask nothing."""
        quoted = [(m.start(), m.end()) for m in QUOTED.finditer(self.question)]  # “延期缴纳税款” names a task
        return self._blanked(self.doc_spans + quoted + [(m.start, m.end) for m in self.units if m.end - m.start >= 4])

    def without_titles(self) -> str:
        """The question with only the words naming its documents blanked (昌吉州2017年…方案，5月10号之前: the
        period, the actor, the things asked for are elsewhere)."""
        return self._blanked(self.doc_spans)

    def _blanked(self, spans: list[tuple[int, int]]) -> str:
        chars = list(self.question)
        for a, b in spans:
            for i in range(a, min(b, len(chars))):
                chars[i] = " "
        return "".join(chars)

    def to_dict(self) -> dict:
        return {
            "units": _dedup([m.to_dict() for m in self.units]),
            "documents": _dedup([m.to_dict() for m in self.documents]),
            "indicators": _dedup([m.to_dict() for m in self.indicators]),
            "tasks": _dedup([m.to_dict() for m in self.tasks]),
            "role": self.role, "period": self.period.to_dict() if self.period else None, "year": self.year,
        }


def _dedup(items: list[dict]) -> list[dict]:
    seen, out = set(), []
    for it in items:
        if it["key"] in seen:
            continue
        seen.add(it["key"])
        out.append(it)
    return out


def detect_role(q: str) -> str | None:
    """The one role a question asks about; None when it names none or several (负责或配合, 谁牵头、谁参与)."""
    if re.search(r"都算|都包括|都要|不管|不论|无论", q):  # 牵头、责任都算: every role
        return None
    q = re.sub(r"牵头(?:负责|落实|承担|承办)|(?:负责|承担)牵头", "牵头", q)  # one role in two words
    found = []
    for role, words in ROLE_WORDS:
        for w in words:
            if w in q:
                if role == "responsible" and w in ("管", "干") and not re.search(r"(谁|哪个|哪些).{0,3}(管|干)|管哪|干哪", q):
                    continue
                if w in WEAK_ROLE_WORDS and not re.search(rf"(?:谁|哪).{{0,6}}{w}|{w}(?![那这])[^，,。？?]{{0,3}}(?:谁|哪|什么|啥)", q):
                    continue  # 强化金融服务支持 / 抓好落实: words of a task, unless the question asks who does them
                found.append(role)
                break
    return found[0] if len(found) == 1 else None


TITLE_MIN = 2.2  # title bigrams (IDF mass, in units of the rarest) a question must quote to name a document
TITLE_MIN_BARE = 3.5  # the same without a word saying a document is meant (意见, 方案, 通知, 措施 …)
DOC_WORD = re.compile(r"意见|方案|通知|计划|计画|办法|措施|规划|细则|文件|决定|纲要|清单|十条|政策|条例|指挥部令|令第|《|行动|规定|批复|复函|意见书")
ASKS_WHO = re.compile(r"谁|哪(?:个|些|家)(?:单位|部门|机构)|责任单位|牵头单位|配合单位")
QUOTED = re.compile(r"“[^”]{4,40}”|\"[^\"]{4,40}\"|「[^」]{4,40}」")
TITLE_TIE = 0.85  # a runner-up this close to the best is named in the answer as the other candidate


def _quotes_its_title(q: str, title: str) -> bool:
    """The question quotes a term the title itself quotes (“无废城市”): a name, not a common word."""
    return any(f"“{m}”" in title for m in re.findall(r"“([^”]{3,20})”", q))


def _place_words(doc: dict) -> str:
    return f"{doc.get('title') or ''} {doc.get('issuer') or ''} {doc.get('region') or ''}"


def _in_place(lex: Lexicon, doc_id: str, asked: list[str]) -> bool:
    """Whether a document is of the place a question names (or inside it); a document whose place is
    unknown is given the benefit of the doubt."""
    if not asked:
        return True
    own = lex.places_of(doc_id)
    if not own and (lex.docs.get(doc_id) or {}).get("level") == "national":
        return False
    return not own or within(own, asked)


NEAR_TIE = 0.9  # a loaded plan within 10% of a stub's title score wins over it
_MEASURE_COUNT = re.compile(r"(\d{1,3}|[一二三四五六七八九十两]{1,4})条")


def _known_by_place(lex: Lexicon, mention: str) -> str | None:
    """`江西20条`, `陕西那份措施`: a document known by its place and its kind (or its number of measures) — the
    one loaded title holding that kind (`措施`; `20条` / `二十条`) whose issuer or title is of that place."""
    asked = places_in(mention)
    if not asked:
        return None
    if count := _MEASURE_COUNT.search(mention):
        try:
            n = int(count.group(1)) if count.group(1).isdigit() else int(cn2an.cn2an(count.group(1).replace("两", "二"), "smart"))
        except ValueError:
            return None
        forms = (f"{n}条", f"{cn2an.an2cn(n)}条")
    else:
        kinds = list(_MENTION_END.finditer(mention))
        if not kinds or kinds[-1].group(0).startswith("《"):
            return None
        forms = (kinds[-1].group(0),)
    hits = [d for d, t in lex.title_text.items() if any(f in t for f in forms) and not lex.docs.get(d, {}).get("stub")
            and lex.places_of(d) and _in_place(lex, d, asked)]
    return hits[0] if len(hits) == 1 else None


# a title in quotation marks instead of 《》 (那个“保障公路畅通的七条措施”)
QUOTED_TITLE = re.compile(r"[“\"]([^”\"]{4,40}(?:措施|方案|意见|通知|办法|规定|计划|规划|细则|决定|纲要|指南))[”\"]")
# a plan's period as its title writes it: (2024—2026年), 2021-2023年
TITLE_PERIOD = re.compile(r"[(（]?(?P<years>\d{4}\s*[—\-–~～至到]\s*\d{4}年?)[)）]?")
# a body followed by a kind of document (国办通知, 国务院那个意见, 省政府印发的方案) names the document's issuer
ISSUER_OF_KIND = re.compile(r"(?:那个|那份|这个|这份|印发的|发的|的)?(?:意见|通知|方案|文件|决定|函|令|办法|措施|计划|规划)")
# 科技厅等十八部门那个AI行动计划: the first of a document's issuers, whatever the lexicon holds of its issuer
ONE_OF_ISSUERS = re.compile(r"等(?:\d+|[一二三四五六七八九十]+)?个?(?:部门|单位|部委)(?:联合)?(?:印发|发布|出)?的?"
                            r"(?:那个|那份|这个|这份)?[\u4e00-\u9fffA-Za-z]{0,8}?(?:意见|通知|方案|文件|决定|办法|措施|计划|规划)")

def link(question: str, lex: Lexicon, today: date | None = None) -> Linked:
    q = normalize_question(question)
    out = Linked(question=q)
    hits = lex.exact(q)
    covered = []
    # 公安部门 / 教育部门 are sectors, not 公安部 / 教育部
    hits = [m for m in hits if not (m.kind == "unit" and m.surface.endswith("部") and q[m.end:m.end + 1] == "门")]
    for m in hits:
        if m.kind == "unit":
            out.units.append(m)
        elif m.kind == "document":
            if re.fullmatch(r"第\s*\d+\s*号", m.surface):  # a bare 第1号 numbers many notices: a weak hint only
                m = Match(m.kind, m.key, m.surface, m.start, m.end, m.score, "doc_no_bare")
            out.documents.append(m)
        elif m.kind == "indicator":
            out.indicators.append(m)
        covered.append((m.start, m.end))
    # 文号 typed in a form the dictionary lacks: normalise what looks like one
    for mm in re.finditer(r"([\u4e00-\u9fff]{1,8})\s*[\[(（〔【〈]?\s*(\d{4})\s*[\])）〕】〉]?\s*(\d{1,4})\s*号", q):
        if any(mm.start() < e and s < mm.end() for s, e in covered):
            continue
        no = normalize_doc_no(f"{mm.group(1)}〔{mm.group(2)}〕{mm.group(3)}号")
        for k in range(len(mm.group(1))):
            cand = normalize_doc_no(f"{mm.group(1)[k:]}〔{mm.group(2)}〕{mm.group(3)}号")
            if "no:" + cand in lex.docs:
                out.documents.append(Match("document", "no:" + cand, mm.group(0), mm.start(), mm.end(), 100, "doc_no"))
                covered.append(mm.span())
                break
        else:
            prefix = re.sub(r"^.*(了|的|是|落实|贯彻|根据|依据|按照|引用|关于|里|中)", "", mm.group(1)) or mm.group(1)
            no = normalize_doc_no(f"{prefix}〔{mm.group(2)}〕{mm.group(3)}号") or no
            out.documents.append(Match("document", "no:" + no, mm.group(0), mm.start(), mm.end(), 50, "doc_no_unknown"))
            covered.append(mm.span())
    # 公告2020年第54号 / 令 2021年 第3号 typed with spaces
    for mm in re.finditer(r"([\u4e00-\u9fff]{1,6}?)\s*(\d{4})\s*年\s*第\s*(\d{1,4})\s*号", q):
        if any(mm.start() < e and s < mm.end() for s, e in covered):
            continue
        for k in range(len(mm.group(1))):
            key = "no:" + normalize_doc_no(f"{mm.group(1)[k:]}{mm.group(2)}年第{mm.group(3)}号")
            if key in lex.docs:
                out.documents.append(Match("document", key, mm.group(0), mm.start(), mm.end(), 100, "doc_no"))
                covered.append(mm.span())
                break
    strong = [m for m in out.documents if m.how in ("doc_no", "title", "short")]
    naming = (min(m.start for m in strong), max(m.end for m in strong)) if strong else None  # the clause naming it
    if not strong:
        skip = [(m.start, m.end) for m in hits if m.kind == "unit"] + [(m.start, m.end) for m in out.documents
                                                                       if m.how.startswith("doc_no")]
        mention, scored = doc_mention(q), []
        if mention:
            a, b = mention
            # the mention only; units inside it are words of the title (济南 in 科创济南…措施), so not skipped
            no_skip = [(x.start, x.end) for x in out.documents if x.how.startswith("doc_no")]
            scored = lex.scored_documents(q, no_skip + [(0, a), (b, len(q))])
        need = TITLE_MIN if mention else TITLE_MIN_BARE
        if mention and not (scored and scored[0][1] >= need) and (named := _known_by_place(lex, q[mention[0]:mention[1]])):
            scored = [(named, need)]
        numbered = [m for m in out.documents if m.how == "doc_no_bare"]
        if numbered and not (mention and scored and scored[0][1] >= need):
            # 第1号贯彻落实的是哪个上级文件: with no title named, the number typed is the document
            out.documents = [Match(m.kind, m.key, m.surface, m.start, m.end, m.score, "doc_no") if m in numbered else m
                             for m in out.documents]
            scored, mention = [], None
        elif not mention or not scored or scored[0][1] < need:
            # no clause names a document (or the one that seems to, 试点地区的具体实施方案, names none):
            # only a loaded plan's title quoted anywhere may scope the question
            bare = lex.scored_documents(q, skip, loaded_only=True)
            if bare and bare[0][1] >= TITLE_MIN_BARE:
                scored, need, mention = bare, TITLE_MIN_BARE, None
            elif bare and _quotes_its_title(q, lex.title_text.get(bare[0][0], "")):
                scored, need, mention = bare, bare[0][1], None  # “无废城市”建设…: a title's own quoted term
            elif named := lex.named_by_term(q):
                scored, need, mention = [(named, TITLE_MIN_BARE)], TITLE_MIN_BARE, None  # 携手行动里…, unquoted
        if scored and scored[0][1] >= need and mention:
            # 烟台…行动计划 is not the 山东省 plan that shares its words: a document of another place is not the
            # one asked for; the first candidate of that place is, and with none the question names a plan
            # the library does not hold
            asked = places_in(q[mention[0]:mention[1]])
            fits = [(d, sc) for d, sc in scored if sc >= need and _in_place(lex, d, asked)]
            # on a tie the plan known to be of that place wins over one whose place is unknown (沈阳…那28条)
            fits.sort(key=lambda ds: (-ds[1], not lex.places_of(ds[0]), ds[0]))
            if asked and not fits:
                out.unknown_document = q[mention[0]:mention[1]]
                scored = []
            elif asked and fits[0][0] != scored[0][0]:
                scored = fits + [x for x in scored if x not in fits]
        if scored and scored[0][1] >= need:
            best, top = scored[0]
            out.documents = [m for m in out.documents if m.key == best and m.how != "doc_no_unknown"] or []
            out.documents.insert(0, Match("document", best, q, 0, 0, round(top, 2), "title_fuzzy"))
            covered += _naming_runs(q, _title_runs(q, lex.title_only_grams.get(best, set()), skip), mention)
            naming = mention
            out.doc_alternatives = [d for d, sc in scored[1:] if sc >= max(TITLE_MIN, top * TITLE_TIE)
                                    and not lex.docs.get(d, {}).get("stub")]
            if mention:  # 济南 in 济南促进先进制造业…措施: part of the document's name, not a unit;
                # and when the question asks who, a body inside the name is its issuer (贵州发改委…措施中…谁)
                ttext = lex.title_text.get(best, "")
                asks_who = bool(ASKS_WHO.search(q[mention[1]:]))
                # (济南 in 济南数字先锋城市推进方案: the plan's place, named before its title words)
                own_place = lambda u: u.surface in place_codes() and _in_place(lex, best, places_in(u.surface))  # noqa: E731
                out.units = [u for u in out.units if not (mention[0] <= u.start and u.end <= mention[1]
                                                          and (u.surface in ttext or asks_who or own_place(u)))]
        else:
            if not out.documents and (re.search(r"《[^》]+》", q) or QUOTED_TITLE.search(q)):
                out.documents.extend(lex.fuzzy_documents(q))
            if not any(m.how != "place" for m in out.documents):
                loose = [m for m in lex.loose_documents(q) if not any(m.start < e and s < m.end for s, e in covered)]
                if loose:
                    out.documents = [m for m in out.documents if not (loose[0].start <= m.start < loose[0].end)] + loose
                    covered += [(m.start, m.end) for m in loose]
    for m in out.documents:
        d = lex.docs.get(m.key) or {}
        if d.get("date") and not d.get("stub") and re.match(r"\d{4}", str(d["date"])):
            out.ref_year = int(str(d["date"])[:4])
            break
    if not out.documents:  # a quoted title the graph does not hold: kept, so its citations can be searched
        mq = re.search(r"《([^》]{4,60})》", q) or QUOTED_TITLE.search(q)
        if mq:
            out.documents.append(Match("document", "quote:" + mq.group(1), mq.group(0), mq.start(), mq.end(), 50,
                                       "quoted"))
    if any(m.how in ("title", "doc_no") for m in out.documents):  # named by its title or 文号: a place in the
        # question (鼓励济南市、青岛市建设…) no longer scopes it to that place's other plans
        out.documents = [m for m in out.documents if m.how != "place"]
    seen_docs: set[str] = set()
    out.documents = [m for m in out.documents if not (m.key in seen_docs or seen_docs.add(m.key))]
    if out.documents:  # 国务院办公厅关于…的意见, 那个国办通知: the named document's issuer, not a unit asked about
        issuers = " ".join(str(lex.docs.get(m.key, {}).get("issuer") or "") for m in out.documents)
        out.units = [u for u in out.units if not q.startswith("关于", u.end)
                     and not (u.key in issuers and ISSUER_OF_KIND.match(q, u.end)) and not ONE_OF_ISSUERS.match(q, u.end)]
    # 哪一级政府 / 哪个局: the body asked for, not one named
    out.units = [u for u in out.units if not re.search(r"哪[一个些]?$", q[max(0, u.start - 2):u.start])]
    # one document cited under several spellings (2018-2022 / 2018—2022): all of them
    for m in list(out.documents):
        for other in lex.title_variants(m.key):
            if other not in [x.key for x in out.documents]:
                out.documents.append(Match("document", other, m.surface, m.start, m.end, m.score, m.how))
    # words of the question that quote a linked document's title are neither units, dates nor task words
    # (国务院 in 国务院促进就业若干意见, 2035年 in the 十四五 纲要's title)
    title_spans: list[tuple[int, int]] = []
    periods = list(TITLE_PERIOD.finditer(q))
    for m in out.documents:
        if m.how != "doc_no_unknown" and m.key in lex.title_only_grams:
            title_spans += _naming_runs(q, _title_runs(q, lex.title_only_grams[m.key], [
                (x.start, x.end) for x in out.documents if x.how.startswith("doc_no")]), naming)
            # its period, which the bigrams leave out (…行动计划（2024—2026年）): not a period asked about
            title = lex.title_text.get(m.key, "") if periods and lex.docs.get(m.key, {}).get("title") else ""
            title_spans += [y.span() for y in periods if y.group("years") in title]
    out.doc_spans = title_spans + [(m.start, m.end) for m in out.documents if m.end > m.start]
    if title_spans:
        inside = lambda a, b: any(s0 <= a and b <= e0 for s0, e0 in title_spans)  # noqa: E731
        out.units = [u for u in out.units if not inside(u.start, u.end)]
        out.indicators = [m for m in out.indicators if not inside(m.start, m.end)]
        covered += title_spans
    # a quoted phrase names a task or a title (“促进大数据和人工智能应用”): the words in it are not units
    quoted = [(mq.start(), mq.end()) for mq in QUOTED.finditer(q)
              if not any(u.start == mq.start() + 1 and u.end == mq.end() - 1 for u in out.units)]
    inner = [u for u in out.units if any(a < u.start and u.end < b for a, b in quoted)]
    out.units = [u for u in out.units if u not in inner]
    covered = [span for span in covered if span not in [(u.start, u.end) for u in inner]]
    out.units.extend(lex.fuzzy_units(q, covered + quoted))  # the quote stays in the residual: it names the task
    for m in out.units:
        if m.how == "fuzzy":
            covered.append((m.start, m.end))
    out.units.sort(key=lambda m: m.start)
    out.role = detect_role(q)
    # a year inside the document's title or a quoted title (《…行动计划（2022—2025年）》) is the title's: the
    # question's period, if any, is elsewhere (…》中2025年底前要做什么)
    in_titles = list(out.doc_spans) + [(mm.start(), mm.end()) for mm in re.finditer(r"《[^》]*》", q)]  # (title spans too)
    unquoted = "".join(" " if any(a <= i < b for a, b in in_titles) else ch for i, ch in enumerate(q))
    out.period = dates.parse_period(unquoted, today, out.ref_year)
    for _ in range(3):  # 行动计划（2023—2025年）, 包头2022年…办法: the named document's own years, words of its
        # title — the question's period, if any, is elsewhere in it
        p = out.period
        if not (p and p.text and any(p.text in lex.title_text.get(m.key, "") for m in out.documents)):
            break
        out.period = dates.parse_period(q[:p.span[0]] + " " * (p.span[1] - p.span[0]) + q[p.span[1]:], today,
                                        out.ref_year)
    if out.period:
        covered.append(out.period.span)
    ym = re.search(r"(\d{4})年", q)
    if ym:
        out.year = int(ym.group(1))
    # residual: the question without linked spans, for task matching / retrieval
    chars = list(q)
    for s, e in covered:
        for i in range(s, min(e, len(chars))):
            chars[i] = " "
    out.residual = re.sub(r"\s+", " ", "".join(chars)).strip()
    chars = list(q)
    for s, e in out.doc_spans:
        if not any((s, e) == (u.start, u.end) for u in out.units):  # 人民政府 read as a place's document too
            chars[s:e] = " " * (e - s)
    slot = actor_slot("".join(chars))
    if slot and out.units and all(slot.endswith(u.surface) and COLLECTIVE_HEAD.fullmatch(slot[:-len(u.surface)])
                                  for u in out.units) and len({u.key for u in out.units}) >= 3:
        out.units = []  # 县级以上人民政府: a generic name read as every 人民政府 of the graph is not the one asked
    if not out.units and out.documents:  # only a named document can be searched for the name
        out.unknown_unit = slot
    return out


# 里中央财政承担哪些工作 / 地方政府要做什么 / 领导小组办公室负责哪几项: position first — the words before a duty verb
# that asks which tasks name the one asked about, whether or not the graph holds it as a unit
_ACTOR_SLOT = re.compile(r"(?:[里内，,\s]|(?<=[案见知划施则法号])中|^)(?P<actor>[\u4e00-\u9fff（）()、]{2,24}?)\s*(?:要|需要|应|应当|应该|都|主要|具体|还|分别)?"
                         r"(?:那边|这边|方面)?(?:要|需要|应|都|自己)?(?:负责|承担|牵头|挑头|牵着干|配合|参与|协助|承办|落实(?=的)|要做|做(?!法)|干|(?<![监主保托接掌分])管(?![理控])|被列[进入在为]?|被点名|挂在|摊上|分到)(?!部门|单位|人|方|的(?!都|是|有)|者)了?[\u4e00-\u9fff]{0,6}?(?:哪|什么|啥|几)")
_NOT_ACTOR = re.compile(r"哪|什么|谁|的$|^(?:加强|加快|推进|推动|支持|开展|建立|健全|完善|实施|落实|做好|强化|提升|促进|深化|组织|"
                        r"鼓励|优化|规范|严格|保障|提高|降低|减免|扩大)|任务|工作(?!领导小组|委员会|小组|办公室|专班)|事项|措施|方案|文件|意见|通知|计划|规定|政策|我们|大家|需要|那个|这个|上面|其中|"
                        r"^(?:各项|主要|具体|重点|都|还|要|应)$")


# X是哪几条的责任单位 / X是哪些任务的牵头单位
_ACTOR_OF = re.compile(r"(?:[里内，,\s]|(?<=[案见知划施则法号])中|^)(?P<actor>[\u4e00-\u9fff（）()、]{2,24}?)是哪[几些个项条]*"
                       r"(?:任务|工作|措施|事项)?的?(?:责任|牵头|配合|参与|主管|实施)(?:单位|部门)"
                       r"|(?:[里内，,\s]|(?<=[案见知划施则法号])中|^)(?P<listed>[\u4e00-\u9fff（）()、]{2,24}?)(?:被)?(?:列为|作为|是)"
                       r"(?:责任|牵头|配合|参与)(?:单位|部门)的?(?:是)?哪")  # X被列为责任单位的是哪几条


# what makes a name every body of a level, not one (县级以上人民政府, 地方各级政府); 市 of 市生态环境局 names a level
# the question means one body of, whichever place it is
COLLECTIVE_HEAD = re.compile(r"(?:县级以上|地方各级|各级|各|地方|上级|下级|本级|同级)(?:地方)?(?:各级)?")


def actor_slot(residual: str) -> str | None:
    m = _ACTOR_SLOT.search(residual) or _ACTOR_OF.search(residual)
    if not m:
        return None
    actor = re.sub(r"^[（）()、]*[里在]?(?:要求|请|让|需要)?", "", m.group("actor") or m.group("listed"))  # …54号）里人民银行
    return actor if len(actor) >= 2 and not _NOT_ACTOR.search(actor) else None
