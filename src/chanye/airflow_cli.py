"""The `airflow` command for one-shot runs (`python -m chanye.airflow_cli dags test ...`): the same
CLI, ending without the interpreter's teardown.

A process that imported Airflow, dbt, GX and pandas spends ~3 s freeing its objects after the
work is done. Exit handlers still run first (Airflow disposes of its DB engine, logging flushes,
multiprocessing joins its children); only the object-by-object teardown is skipped."""
from __future__ import annotations

import atexit
import os
import sys


def exit_code(code: object) -> int:
    """SystemExit's code as a process exit status (None is success, a message is failure)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def main() -> None:
    from airflow.__main__ import main as airflow_main

    sys.argv[0] = "airflow"
    try:
        code = exit_code(airflow_main())
    except SystemExit as stop:
        code = exit_code(stop.code)
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    main()
