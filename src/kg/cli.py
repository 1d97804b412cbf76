"""`policykg` command line. Each stage registers its own sub-commands in its `commands.py`,
so this file only wires them together."""
from __future__ import annotations

import argparse
import importlib
import sys

# module that owns the sub-commands, in the order they appear in --help
COMMAND_MODULES = ["kg.extract.commands", "kg.app_commands", "kg.store.commands", "kg.qa.commands", "kg.api.commands",
                   "kg.supervision.commands"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="policykg", description="政策实施方案知识图谱 / policy plan knowledge graph")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:  # a real missing dependency, not a stage not built yet
                raise
            continue
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
