"""The one exception loaders raise."""
from __future__ import annotations


class LoadError(Exception):
    """A file that cannot be loaded; ``str(e)`` is ``"{path}: {reason}"`` on one line."""

    def __init__(self, path: str, reason: str) -> None:
        self.path, self.reason = str(path), " ".join(str(reason).split())
        super().__init__(f"{self.path}: {self.reason}")
