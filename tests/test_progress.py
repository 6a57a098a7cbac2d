"""What `chanye run` prints tells the truth: each task's own duration (not the time since the DAG
started) and peak memory, and summary counts that say what they count."""
from __future__ import annotations

import logging
import os
import re
import sys

FAKE_DAG_TEST = """
import time
def say(s): print("2026-12-01T00:00:00.000000Z [info     ] [DAG TEST] " + s, flush=True)
say("starting task_id=slow map_index=-1"); time.sleep(1.5); say("end task task_id=slow map_index=-1")
say("starting task_id=fast map_index=0"); say("end task task_id=fast map_index=0")
say("starting task_id=broken map_index=-1"); print("... new_state=failed ...", flush=True)
say("end task task_id=broken map_index=-1")
"""


def test_each_task_reports_its_own_duration(tmp_path, caplog):
    from chanye import runner

    caplog.set_level(logging.INFO, logger="chanye")
    runner.run_command([sys.executable, "-c", FAKE_DAG_TEST], dict(os.environ), tmp_path / "log", "fake dags test")
    lines = {m[1]: (m[2], float(m[3])) for r in caplog.records
             if (m := re.search(r"task (\S+)\s+(.+?)\s+([\d.]+) s\s+peak\s+\d+ MB", r.getMessage()))}
    assert set(lines) == {"slow", "fast[0]", "broken"}
    assert lines["slow"][1] >= 1.4
    assert lines["fast[0]"][1] < 0.5  # its own time, not 1.5 s since the start
    assert lines["broken"][0] == "FAILED" and lines["fast[0]"][0] == "done"


def test_summary_counts_say_what_they_count():
    from chanye import report

    summary = {
        "run_id": "manual__x", "input_files": 3, "documents_staged": 4, "duplicates": 0, "quarantined": 1,
        "facts_extracted": 9, "warehouse_build": "incremental", "build_reason": "r", "mart_rows": {"dim_document": 4},
        "lake": "l", "warehouse": "w", "parquet": "p", "dbt_docs": "d", "data_docs": "g", "data_quality_report": "q.html",
        "data_quality": {"inputs": {"passed": 3, "expectations": 3, "warnings": 0, "rows": 3},
                         "documents": {"passed": 14, "expectations": 14, "warnings": 0, "rows": 4},
                         "facts": {"passed": 23, "expectations": 24, "warnings": 1, "rows": 9}},
    }
    text = report.format_summary(summary)
    assert "inputs          3/3 expectations passed on 3 input files" in text
    assert "documents       14/14 expectations passed on 4 documents" in text
    assert "facts           23/24 expectations passed on 9 facts, 1 warnings" in text


def test_nothing_new_says_so():
    from chanye import report

    text = report.format_summary({"run_id": "scheduled__x", "nothing_new": True, "input": "/data/inbox",
                                  "mart_rows": {"dim_document": 4}, "warehouse": "/data/warehouse/chanye.duckdb"})
    assert "nothing new in /data/inbox" in text and "unchanged" in text
