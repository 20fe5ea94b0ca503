"""The error a deal filter that cannot be read raises: what is wrong, and values to try."""

from __future__ import annotations

from collections.abc import Iterable


class FilterProblem(ValueError):
    """A filter cannot be read: the message says why, `names` are close values to try."""

    def __init__(self, message: str, names: Iterable[str] = (), key: str = "") -> None:
        super().__init__(message)
        self.names = list(names)
        self.key = key
