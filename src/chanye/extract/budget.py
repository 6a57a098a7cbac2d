"""A time budget per document: one pathological article (a 1 MB run-on sentence, a text built to
make a regex backtrack) must not hold up the batch. The caller opens a budget around a document's
extraction; the extractors' loops call check(), which raises OverBudget once it is spent, and the
caller quarantines the document with that reason.

    with budget.per_document(seconds):   # chanye.batches, around each document
        ... check() ...                  # the extractors, once per claim or sentence
"""
from __future__ import annotations

import time
from contextlib import contextmanager
from contextvars import ContextVar

_deadline: ContextVar[float | None] = ContextVar("chanye_extract_deadline", default=None)


class OverBudget(Exception):
    """The document's extraction took longer than its budget."""

    reason = "over_budget"


@contextmanager
def per_document(seconds: float):
    token = _deadline.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


def check() -> None:
    deadline = _deadline.get()
    if deadline is not None and time.monotonic() > deadline:
        raise OverBudget("extraction took longer than its per-document budget (CHANYE_EXTRACT_SECONDS)")
