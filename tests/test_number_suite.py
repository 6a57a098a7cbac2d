"""The external number-form suite (../shared/eval/numbers: forms from public parsers' test suites,
each in a sentence of a short article) must not regress: at least RIGHT_AT_LEAST forms read right
and not one wrong number. The cases are read from ../shared at run time, never copied here."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from conftest import REPO, SHARED

SUITE = SHARED / "eval" / "numbers"
RIGHT_AT_LEAST = 299  # of 299


@pytest.mark.skipif(not (SUITE / "run.sh").is_file(), reason="../shared/eval/numbers is not present")
@pytest.mark.skipif(shutil.which("uv") is None, reason="the suite runs `uv run chanye extract`")
def test_external_number_forms():
    out = subprocess.run(["bash", str(SUITE / "run.sh"), "--misses"], cwd=REPO, capture_output=True,
                         text=True, timeout=600)
    m = re.search(r"external number forms: (\d+)/(\d+) right, (\d+) wrong numbers", out.stdout)
    assert m, out.stdout[-2000:] + out.stderr[-2000:]
    right, wrong = int(m.group(1)), int(m.group(3))
    assert wrong == 0, out.stdout
    assert right >= RIGHT_AT_LEAST, out.stdout
