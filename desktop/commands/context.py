"""What every command handler receives, and small helpers shared by commands."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TextIO

from desktop import paths
from desktop.workspace import Workspace


@dataclass
class Context:
    """What a command handler gets: the data dir, output streams and the workspace."""

    args: argparse.Namespace
    out: TextIO
    err: TextIO
    _workspace: Workspace | None = field(default=None, repr=False)

    @property
    def workspace(self) -> Workspace:
        if self._workspace is None:
            self._workspace = Workspace(paths.resolve(self.args.data_dir))
        return self._workspace

    @property
    def json(self) -> bool:
        return bool(getattr(self.args, "json", False))

    def emit(self, data: Any, text: str | Callable[[], str]) -> None:
        """Print `data` as JSON with --json, else the human text."""
        if self.json:
            json.dump(data, self.out, ensure_ascii=False, indent=2, default=str)
            self.out.write("\n")
        else:
            self.out.write((text() if callable(text) else text).rstrip("\n") + "\n")

    def close(self) -> None:
        if self._workspace is not None:
            self._workspace.close()


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="machine-readable output")
