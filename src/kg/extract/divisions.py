"""Administrative divisions (province / city / county) from the adcode list the `cpca` package ships,
so that 登封市 is a county-level city and 崂山区 a district, not guessed from the last character.

The list is read as a data file; cpca itself (and pandas) is never imported.
"""
from __future__ import annotations

import csv
import importlib.util
from functools import lru_cache
from pathlib import Path

MUNICIPALITIES = {"北京市", "天津市", "上海市", "重庆市"}


@lru_cache(maxsize=1)
def divisions() -> dict[str, str]:
    """Division name → level (province | city | county); a name used at two levels keeps the higher."""
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the cpca package (administrative divisions) is not installed")
    path = Path(list(spec.submodule_search_locations)[0]) / "resources" / "adcodes.csv"
    rank = {"province": 0, "city": 1, "county": 2}
    out: dict[str, str] = {}
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            code, name = row["adcode"], row["name"]
            level = "province" if code[2:6] == "0000" else "city" if code[4:6] == "00" else "county"
            if name in MUNICIPALITIES:
                level = "province"
            if name not in out or rank[level] < rank[out[name]]:
                out[name] = level
    return out


def division_prefix(name: str) -> tuple[str, str] | None:
    """The most specific division a name starts with (北京市石景山区人民政府 → 石景山区, county)."""
    table = divisions()
    best = None
    i = 0
    while i < len(name):
        for j in range(min(len(name), i + 10), i + 1, -1):
            if name[i:j] in table:
                best = (name[i:j], table[name[i:j]])
                i = j
                break
        else:
            break  # divisions only chain from the start: 北京市 + 石景山区
    return best
