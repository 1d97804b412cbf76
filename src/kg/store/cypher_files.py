"""Named Cypher statements kept in .cypher files inside the package (read with importlib.resources).

A file holds several statements, each after a header line `// name: NAME`; other `//` lines are
comments and are dropped (some engines reject a leading comment)."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=32)
def statements(package: str, filename: str) -> dict[str, str]:
    text = resources.files(package).joinpath(filename).read_text(encoding="utf-8")
    out: dict[str, list[str]] = {}
    name = None
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("// name:"):
            name = s.split(":", 1)[1].strip()
            out[name] = []
        elif s.startswith("//") or name is None:
            continue
        else:
            out[name].append(line)
    return {k: "\n".join(v).strip() for k, v in out.items()}
