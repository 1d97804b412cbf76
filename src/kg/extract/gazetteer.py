"""Organisation gazetteer: national bodies with their short and former names, and the naming grammar
of local bodies (place + department stem + 厅/局/委/办…), read from loaders/gazetteer/*.tsv.

Extraction uses it to recognise a name in a role position and to give national bodies one canonical
name (发改委 = 发展改革委 = 国家发展和改革委员会); QA uses the same data to link the short forms
people type. It raises confidence: a name it does not know can still be a unit.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.resources import read_text

# places a local body's name starts with: 省/市/县…, a named place (济南市, 崂山区), or a collective (各县区)
PLACE = (r"(?:各|全)?(?:[\u4e00-\u9fff]{1,8}?(?:自治区|自治州|自治县|特别行政区|省|市|州|盟|县|旗|区|镇|乡|街道|新区|开发区|园区))?"
         r"(?:[（(][\u4e00-\u9fff、]{1,8}[）)])?")
LEVEL_WORDS = "省|市|州|县|区|旗|镇|乡|盟"
# prefixes that make a short form national in any document
NATIONAL_PREFIX = re.compile(r"^(?:国家|国务院|中央|全国|中国|中华全国|中共中央|共青团中央)")


@dataclass(frozen=True)
class Body:
    name: str  # full official name
    kind: str  # ministry, agency, party, people, … (local: department, commission, office…)
    category: str = ""


def _rows(name: str) -> list[list[str]]:
    rows = []
    for line in read_text("loaders", "gazetteer", name).splitlines()[1:]:
        if line.strip() and not line.startswith("#"):
            rows.append([c.strip() for c in line.split("\t")])
    return rows


@lru_cache(maxsize=1)
def national_bodies() -> dict[str, Body]:
    """Every name and short form of a national body → the body."""
    out: dict[str, Body] = {}
    for row in _rows("national.tsv"):
        row += [""] * (4 - len(row))
        body = Body(row[0], row[1], row[2])
        for form in [row[0]] + [a for a in row[3].split("|") if a]:
            out.setdefault(form, body)
    return out


@lru_cache(maxsize=1)
def _local_grammar() -> re.Pattern:
    """place + (full or short department form): 省发展改革委, 济南市科技局, 崂山区政府, 团市委."""
    forms = set()
    for row in _rows("local_departments.tsv"):
        row += [""] * (4 - len(row))
        forms.update(f for f in row[1].split("|") + row[2].split("|") if f)
    forms |= {"人民政府", "政府", "管委会", "管理委员会", "党委", "党工委", "委员会", "办公室", "办公厅"}
    alternatives = "|".join(sorted((re.escape(f) for f in forms), key=len, reverse=True))
    return re.compile(rf"^{PLACE}(?:{LEVEL_WORDS})?(?:委|政府)?(?:{alternatives})(?:[（(][\u4e00-\u9fff、]{{2,12}}[）)])?$")


def national_body(name: str, national_document: bool) -> Body | None:
    """The national body a name denotes: any known form in a national document; elsewhere only a
    form that is national by itself (国家发展改革委, 人力资源社会保障部) — a county plan's 发改委 is
    the county's."""
    body = national_bodies().get(name)
    if body is None:
        return None
    if national_document or NATIONAL_PREFIX.match(name) or name == body.name or name.endswith(("部", "总局", "总署")):
        return body
    return None


def is_known_body(name: str) -> bool:
    """A national body's name or short form, or a local name built by the naming grammar."""
    return name in national_bodies() or bool(_local_grammar().match(name))


@lru_cache(maxsize=1)
def _local_rows() -> list[list[str]]:
    """Each local department stem's forms (full first), from local_departments.tsv."""
    out = []
    for row in _rows("local_departments.tsv"):
        row += [""] * (4 - len(row))
        forms = [f for f in row[1].split("|") + row[2].split("|") if f]
        out.append(sorted(set(forms), key=lambda f: (-len(f), f)))
    return out


@lru_cache(maxsize=1)
def _sectors() -> dict[str, frozenset[str]]:
    """A department's sector word (its form without 厅/局/委…: 人社, 人力资源社会保障) → every sector word of
    the same stem, for the 人社部门 / 人力资源社会保障部门 a plan speaks of as a kind of body."""
    out: dict[str, frozenset[str]] = {}
    for forms in _local_rows():
        words = {re.sub(r"(?:委员会|办公室|厅|局|委|办)$", "", f) for f in forms}
        words = frozenset(w for w in words if len(w) >= 2 and not w.startswith("委"))
        for w in words:
            out.setdefault(w, words)
    return out


def sector_forms(word: str) -> frozenset[str]:
    """人社 → {人社, 人力资源社会保障, 人力资源和社会保障}; a word that is no department's sector → {}."""
    return _sectors().get(word, frozenset())


FULL_ENDING = {"委": "委员会", "办": "办公室"}  # 发展改革委 → 发展和改革委员会; 局, 厅 stay


@lru_cache(maxsize=4096)
def full_local_form(name: str) -> str | None:
    """A local body's official full name from a short form (省发展改革委 → 省发展和改革委员会), when the naming
    grammar knows its stem; None otherwise."""
    for row in _rows("local_departments.tsv"):
        row += [""] * (4 - len(row))
        fulls = [f for f in row[1].split("|") if f]
        for form in sorted([f for f in row[1].split("|") + row[2].split("|") if f], key=len, reverse=True):
            if name.endswith(form) and name != form:
                ending = FULL_ENDING.get(form[-1], form[-1])
                full = next((f for f in fulls if f.endswith(ending)), None)
                return name[:-len(form)] + full if full else None
    return None


@lru_cache(maxsize=65536)
def local_forms(name: str) -> frozenset[str]:
    """The other names of a local body: its level prefix with every form of its stem that ends like it
    (市人力资源社会保障局 → 市人社局, 人社局, 市人力资源和社会保障局…; 局 stays 局, 厅 stays 厅)."""
    for forms in _local_rows():
        for form in forms:
            if name.endswith(form) and len(name) - len(form) <= 8:
                prefix = name[:-len(form)]
                if prefix and not re.fullmatch(rf"{PLACE}(?:{LEVEL_WORDS})?", prefix):
                    continue
                same = [f for f in forms if f[-1] == form[-1]]
                out = {prefix + f for f in same}
                if prefix in ("省", "市", "县", "区", "州", "旗") or not prefix:
                    out |= set(same)  # a level word alone: the bare form (人社局) is what people type
                return frozenset(out - {name})
    return frozenset()
