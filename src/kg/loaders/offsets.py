"""Offset bookkeeping for the cleaning pipeline.

Each cleaning step rewrites the text by a sorted list of edits ``(start, end, replacement)``;
`Doc.edit` applies them and records a `Stage` mapping new offsets back to the old ones.
Length-preserving character substitutions (`Doc.translate`) need no stage at all.
`Doc.original_offset` walks the stages backwards: a few bisects per lookup, no per-char arrays.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from typing import Callable, Iterable


class Stage:
    """Piecewise map new→old. Segment k starts at new offset ``new[k]``; if ``lin[k]`` the
    segment is copied text (old = old[k] + delta), else it is replacement text whose every
    character maps to the start of what it replaced."""

    __slots__ = ("new", "old", "lin")

    def __init__(self) -> None:
        self.new: list[int] = []
        self.old: list[int] = []
        self.lin: list[bool] = []

    def map(self, i: int) -> int:
        k = bisect_right(self.new, i) - 1
        if k < 0:
            return i
        return self.old[k] + (i - self.new[k]) if self.lin[k] else self.old[k]


Edit = tuple[int, int, str]


class Doc:
    """Text being cleaned, with its stages and warnings."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.stages: list[Stage] = []
        self.warnings: list[str] = []

    def edit(self, edits: Iterable[Edit]) -> int:
        """Apply sorted, non-overlapping edits; return how many were applied."""
        edits = [e for e in edits if e[0] != e[1] or e[2]]
        if not edits:
            return 0
        text, parts, stage, pos, npos = self.text, [], Stage(), 0, 0
        for start, end, repl in edits:
            assert start >= pos and end >= start, "edits must be sorted and disjoint"
            if start > pos:  # copied run
                stage.new.append(npos); stage.old.append(pos); stage.lin.append(True)
                parts.append(text[pos:start]); npos += start - pos
            if repl:
                stage.new.append(npos); stage.old.append(start)
                stage.lin.append(len(repl) == end - start)
                parts.append(repl); npos += len(repl)
            pos = end
        stage.new.append(npos); stage.old.append(pos); stage.lin.append(True)
        parts.append(text[pos:])
        self.text = "".join(parts)
        self.stages.append(stage)
        return len(edits)

    def sub(self, pattern: re.Pattern, repl: Callable[[re.Match], str | None] | str) -> int:
        """Regex substitution with offset tracking; `repl` returning None keeps the match."""
        edits = []
        for m in pattern.finditer(self.text):
            r = repl if isinstance(repl, str) else repl(m)
            if r is not None and r != m.group(0):
                edits.append((m.start(), m.end(), r))
        return self.edit(edits)

    def translate(self, table: dict[int, str]) -> None:
        """Length-preserving per-character substitution (no stage needed)."""
        new = self.text.translate(table)
        assert len(new) == len(self.text), "translate must preserve length"
        self.text = new

    def original_offset(self, i: int) -> int:
        for stage in reversed(self.stages):
            i = stage.map(i)
        return i


def line_bounds(text: str, i: int) -> tuple[int, int]:
    """(start, end) of the line containing offset i; end excludes the newline."""
    s = text.rfind("\n", 0, i) + 1
    e = text.find("\n", i)
    return s, (len(text) if e < 0 else e)
