"""Progress of a long validation, on stderr: a Rich bar in a terminal, nothing when piped.

The bar appears only once validation has taken `DELAY` seconds, so a small base or a warm
store shows nothing at all, and Rich is imported only then.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

DELAY = 1.0  # seconds of validation before a bar is worth showing


class ValidationProgress:
    """A `loader.Progress` callback: told (files done, files in all) as validation goes."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.bar: Any = None
        self.task: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if time.monotonic() - self.started < DELAY or not sys.stderr.isatty():
                return
            from rich.console import Console
            from rich.progress import Progress

            self.bar = Progress(console=Console(file=sys.stderr), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("validating fact files", total=total)
        self.bar.update(self.task, completed=done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


@contextmanager
def validation_progress() -> Iterator[ValidationProgress]:
    progress = ValidationProgress()
    try:
        yield progress
    finally:
        progress.close()
