"""The article's main region, through chanye.regions when it is importable.

The gazetteer is optional at staging time: if it is missing or fails, region_code stays None
rather than losing the document. A failed import is retried after RETRY_SECONDS, so a module that
appears later (or is fixed) is picked up without restarting the worker.
"""
from __future__ import annotations

import logging
import time

log = logging.getLogger(__name__)
RETRY_SECONDS = 30.0
_gazetteer = None
_failed_at: float | None = None


def _load():
    global _gazetteer, _failed_at
    if _gazetteer is not None:
        return _gazetteer
    if _failed_at is not None and time.monotonic() - _failed_at < RETRY_SECONDS:
        return None
    try:
        from chanye.regions import gazetteer

        _gazetteer = gazetteer()
        _failed_at = None
    except Exception as exc:  # noqa: BLE001 - optional dependency, any failure means "no region"
        _failed_at = time.monotonic()
        log.warning("region gazetteer unavailable (%s); region_code left empty", exc)
    return _gazetteer


def main_region(text: str, title: str | None) -> str | None:
    gazetteer = _load()
    if gazetteer is None:
        return None
    try:
        return gazetteer.main_region(text, title=title)
    except Exception as exc:  # noqa: BLE001
        log.warning("main_region failed (%s); region_code left empty", exc)
        return None


def reset() -> None:
    """Forget the loaded gazetteer (tests, or after the regions data changed)."""
    global _gazetteer, _failed_at
    _gazetteer = None
    _failed_at = None
