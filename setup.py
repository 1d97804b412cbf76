"""Build hook: ship the project's top-level data folders inside the package.

`qa/`, `loaders/` and `ontology/` stay the source of truth in git; building a wheel copies them to
`kg/_data/<folder>/` so an installed policy-kg reads them with importlib.resources (kg.resources).
An editable install skips the copy: kg.resources then reads the folders of the checkout directly.
Everything else is configured in pyproject.toml.
"""
from __future__ import annotations

import os
import shutil

from setuptools import setup
from setuptools.command.build_py import build_py

DATA_FOLDERS = ("qa", "loaders", "ontology")  # kept in step with kg.resources.DATA_FOLDERS
SKIP_DIRS = {"__pycache__", ".git", ".pytest_cache"}
SKIP_SUFFIXES = (".pyc", ".pyo", "~", ".swp")


class build_py_with_data(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        here = os.path.dirname(os.path.abspath(__file__))
        for name in DATA_FOLDERS:
            src = os.path.join(here, name)
            if not os.path.isdir(src):
                raise SystemExit(f"setup.py: data folder {name}/ is missing from the source tree")
            dest = os.path.join(self.build_lib, "kg", "_data", name)
            if os.path.isdir(dest):
                shutil.rmtree(dest)
            for root, dirs, files in os.walk(src):
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
                out = os.path.join(dest, os.path.relpath(root, src))
                os.makedirs(out, exist_ok=True)
                for f in sorted(files):
                    if f.startswith(".") or f.endswith(SKIP_SUFFIXES):
                        continue
                    shutil.copyfile(os.path.join(root, f), os.path.join(out, f))


setup(cmdclass={"build_py": build_py_with_data})
