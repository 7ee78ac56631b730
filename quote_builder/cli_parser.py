"""Sub-commands whose options are added only when the command is used.

A cold command pays for every ``add_argument`` of every command's parser: about 120 options
over 60 commands and sub-commands, 5-10 ms of a ``quote-builder price`` that is meant to
start in a tenth of a second. ``Commands`` (the action of ``add_subparsers``) knows every
command's name and help up front, so ``--help``, a mistyped command's "invalid choice"
message and the usage lines read as before; each command's own options (and its
sub-commands) are added by its ``build`` function when argparse reaches that command, or
for all commands at once by ``build_all`` (``cli.build_parser()`` does this unless asked
for the lazy parser, so shell completion and the tests see every option).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import Any

Build = Callable[[argparse.ArgumentParser], None]


class Commands(argparse._SubParsersAction):  # type: ignore[type-arg]
    """``parser.add_subparsers(action=Commands, ...)``; then ``add_command``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._unbuilt: dict[str, tuple[argparse.ArgumentParser, Build]] = {}

    def add_command(self, name: str, build: Build, **kwargs: Any) -> argparse.ArgumentParser:
        """A command ``name`` (``kwargs`` as for ``add_parser``: help, description) whose
        options ``build(parser)`` adds when they are first needed."""
        parser: argparse.ArgumentParser = self.add_parser(name, **kwargs)
        self._unbuilt[name] = (parser, build)
        return parser

    def build(self, name: str) -> None:
        entry = self._unbuilt.pop(name, None)
        if entry is not None:
            parser, build = entry
            build(parser)

    def build_all(self) -> None:
        for name in list(self._unbuilt):
            self.build(name)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        if values and isinstance(values, Sequence) and isinstance(values[0], str):
            self.build(values[0])  # an unknown name is refused by argparse below
        super().__call__(parser, namespace, values, option_string)
