"""Cut long lists into pages and offer the next one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from handlers.reply import Action, ActionKind

T = TypeVar("T")

PAGE_SIZE = 8


def paginate(items: Sequence[T], page: int, size: int = PAGE_SIZE) -> tuple[list[T], int, int]:
    """Return one page of `items`, the page number actually shown and the number of pages."""
    pages = max(1, -(-len(items) // size))
    page = min(max(1, page), pages)
    start = (page - 1) * size
    return list(items[start : start + size]), page, pages


def more_action(base_command: str, page: int, pages: int) -> Action | None:
    """Return a 'More' button running `base_command page:N+1`, or None on the last page."""
    if page >= pages:
        return None
    return Action(kind=ActionKind.RUN, label="More", command=f"{base_command} page:{page + 1}")


def page_note(total: int, page: int, pages: int) -> str | None:
    """Return 'Page 2 of 3 (19 in all).' when there is more than one page."""
    return f"Page {page} of {pages} ({total} in all)." if pages > 1 else None
