"""Named crash points for the robustness tests: with CHANYE_FAULT=<name> the process dies at that
point the way `kill -9` kills it (no cleanup, no exit handlers), so a test can check that the next
run finishes or undoes what the dead one left. Unset (always, outside tests) it does nothing."""
from __future__ import annotations

import os

KILLED = 137  # the exit status of a process killed by SIGKILL, as a shell reports it


def crash_point(name: str) -> None:
    if os.environ.get("CHANYE_FAULT") == name:
        os._exit(KILLED)
