"""Progress bars for long work (loading a folder, OCR pages, embedding tasks): tqdm on stderr with
rate and ETA, silent when stderr is not a terminal (pipes, CI, the API server's logs)."""
from __future__ import annotations

import os
import sys


def enabled() -> bool:
    if os.environ.get("KG_PROGRESS") in ("0", "off", "no"):
        return False
    if os.environ.get("KG_PROGRESS") in ("1", "on", "yes"):
        return True
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def bar(total: int | None = None, desc: str = "", unit: str = "file", leave: bool = True):
    """A tqdm bar (a no-op one when disabled). Use as a context manager; `bar.update(n)`."""
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit=unit, leave=leave, disable=not enabled(), file=sys.stderr,
                dynamic_ncols=True, mininterval=0.5,
                bar_format="{desc}: {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} "
                           "[{elapsed}<{remaining}, {rate_fmt}]")


def write(line: str) -> None:
    """Print a line to stdout without breaking a bar that is on screen."""
    from tqdm import tqdm

    tqdm.write(line, file=sys.stdout)
