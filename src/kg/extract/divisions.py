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


SHORT_SUFFIX = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "地区", "省", "市", "盟")


@lru_cache(maxsize=1)
def place_codes() -> dict[str, str]:
    """Division names, full and short (山东省, 山东, 烟台市, 烟台, 登封市, 登封) → adcode prefix (37, 3706,
    410185), so that a place named in a question can be checked against a document's place."""
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the cpca package (administrative divisions) is not installed")
    path = Path(list(spec.submodule_search_locations)[0]) / "resources" / "adcodes.csv"
    out: dict[str, str] = {}
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            code, name = row["adcode"], row["name"]
            county = code[4:6] != "00" and name not in MUNICIPALITIES
            prefix = code if county else code[:2] if code[2:6] == "0000" or name in MUNICIPALITIES else code[:4]
            if len(name) < 3 and county:
                continue  # 城区, 郊区: words, not places
            # short forms: 山东, 烟台, 登封; not for districts (新区, 城区 are words)
            short = next((name[:-len(x)] for x in SHORT_SUFFIX + ("县",) if name.endswith(x)), name)
            for key in (name, short) if len(short) >= 2 and not (county and name.endswith("区")) else (name,):
                if key not in out or len(prefix) < len(out[key]):  # 湘潭 is 湘潭市 before 湘潭县
                    out[key] = prefix
    return out


def places_in(text: str) -> list[str]:
    """Adcode prefixes of the provinces and cities a text names, longest name first at each position."""
    table, found, i = place_codes(), [], 0
    while i < len(text):
        for j in range(min(len(text), i + 8), i + 1, -1):
            if text[i:j] in table:
                found.append(table[text[i:j]])
                i = j
                break
        else:
            i += 1
    return found


def within(inner: list[str], outer: list[str]) -> bool:
    """Whether some place of `inner` is one of `outer` or inside it (青岛 3702 is inside 山东 37; 山东 is not
    inside 青岛)."""
    return any(x.startswith(y) for x in inner for y in outer)
