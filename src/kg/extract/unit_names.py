"""One canonical name per unit within a document, every surface form kept as an alias.

- a name without the document's place prefix is the prefixed one (各行政村 → 矿区各行政村, 药监局 → 省药监局);
- a one-character typo of a more frequent name is that name (矿区工商质检所 → 矿区工商质监所);
- `矿区西送表村、丁村`: a short list item borrows the prefix of the item before it.
"""
from __future__ import annotations

import re
from collections import Counter

from rapidfuzz.distance import Levenshtein

PLACE_PREFIX = re.compile(r"^([\u4e00-\u9fff]{1,5}?(?:矿区|开发区|园区|新区|区|市|县|州|镇|乡|省))(?=[\u4e00-\u9fff]{2,})")
KINDS = [
    ("village", re.compile(r"(?:村|社区|居委会)$")),
    ("government", re.compile(r"(?:人民政府|政府|管委会|管理委员会|党委|党工委|工作委员会)$")),
    ("enterprise", re.compile(r"(?:公司|集团|企业|厂)$")),
    ("team", re.compile(r"(?:支队|大队|中队|队)$")),
    ("collective", re.compile(r"^各")),
    ("department", re.compile(r"(?:局|厅|委|办|部|署|所|科|站|中心|办公室|院|室|处)$")),
]


def unit_kind(name: str) -> str:
    for kind, rx in KINDS:
        if rx.search(name):
            return kind
    return "unit"


LEVELS = ("省", "市", "州", "县", "区", "旗")  # a bare level prefix (省药监局), not a place name
DISTINGUISHING = set("东西南北中上下前后新老大小一二三四五六七八九十")


def _differs_meaningfully(a: str, b: str) -> bool:
    """东岗村/西岗村, 一中队/二中队 differ by one character and are still different units."""
    return any(x != y and (x in DISTINGUISHING or y in DISTINGUISHING) for x, y in zip(a, b))


def place_prefixes(names: list[str]) -> set[str]:
    """Place prefixes that at least two distinct unit names in the document start with (矿区, 州…)."""
    counts = Counter()
    for name in set(names):
        m = PLACE_PREFIX.match(name)
        if m:
            counts[m.group(1)] += 1
    return {p for p, n in counts.items() if n >= 2}


def canonical_names(surface: list[str], prefixes: set[str]) -> dict[str, str]:
    """Map every surface form to its canonical name, from all forms seen in one document;
    `prefixes` are the document's place prefixes (see place_prefixes)."""
    freq = Counter(surface)
    canon = {name: name for name in freq}
    for name in freq:
        if "各" + name in freq:  # 县市环保部门 / 各县市环保部门
            canon[name] = "各" + name
        for p in sorted(prefixes) + list(LEVELS):  # 药监局 / 省药监局 in one document: one body
            if not name.startswith(p) and (p + name) in freq:
                canon[name] = p + name
                break
    by_len: dict[int, list[str]] = {}
    for name in freq:
        by_len.setdefault(len(name), []).append(name)
    for names in by_len.values():
        for a in names:
            if len(a) < 4:
                continue
            for b in names:
                if a == b or canon[a] != a or a[-1] != b[-1] or a[:2] != b[:2]:
                    continue
                if unit_kind(a) == "village" or _differs_meaningfully(a, b):
                    continue
                if Levenshtein.distance(a, b) == 1 and (freq[b], -surface.index(b)) > (freq[a], -surface.index(a)):
                    canon[a] = b
    return {n: canon[canon[n]] for n in canon}
