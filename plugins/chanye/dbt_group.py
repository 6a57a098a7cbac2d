"""The dbt project rendered as Airflow tasks with astronomer-cosmos (one task per seed/model,
each running `dbt build` on its node, so tests run right after their model).

DuckDB allows one writing process per file, so every dbt task takes the one-slot pool
`duckdb_writer` (and the DAG has max_active_runs=1). dbt runs in-process (dbtRunner, about five
times faster per task than a subprocess); the profile's `keep_open: false` makes dbt-duckdb close
the warehouse file after each invocation, so the tasks after it can copy or open the file even
when `airflow dags test` runs every task in one process."""
from __future__ import annotations

import sys
from pathlib import Path

from chanye.config import settings

WRITER_POOL = "duckdb_writer"


def dbt_executable() -> str:
    return str(Path(sys.executable).with_name("dbt"))


def manifest_path() -> Path:
    return settings().dbt_project / "target" / "manifest.json"


def warehouse_task_group(group_id: str = "warehouse"):
    from cosmos import DbtTaskGroup, ExecutionConfig, ProfileConfig, ProjectConfig, RenderConfig
    from cosmos.constants import ExecutionMode, InvocationMode, LoadMode, TestBehavior, TestIndirectSelection

    s = settings()
    manifest = manifest_path()
    if not manifest.exists():
        raise FileNotFoundError(f"dbt manifest missing at {manifest}: run `chanye prepare` (make run does) first")
    return DbtTaskGroup(
        group_id=group_id,
        project_config=ProjectConfig(
            dbt_project_path=s.dbt_project,
            manifest_path=manifest,
            install_dbt_deps=False,
            env_vars={"CHANYE_DATA_DIR": str(s.data_dir), "CHANYE_HOME": str(s.home)},
        ),
        profile_config=ProfileConfig(
            profile_name="chanye",
            target_name="build",
            profiles_yml_filepath=s.dbt_project / "profiles.yml",
        ),
        execution_config=ExecutionConfig(
            execution_mode=ExecutionMode.LOCAL,
            # A model's task runs only the tests whose parents are all selected; tests spanning two
            # nodes (relationships) run in their own task after both, whatever order workers take.
            test_indirect_selection=TestIndirectSelection.CAUTIOUS,
            invocation_mode=InvocationMode.DBT_RUNNER,
            dbt_executable_path=dbt_executable(),
        ),
        render_config=RenderConfig(
            load_method=LoadMode.DBT_MANIFEST,
            test_behavior=TestBehavior.BUILD,
            # a test on two nodes (relationships) runs after both, as its own task
            should_detach_multiple_parents_tests=True,
        ),
        operator_args={"pool": WRITER_POOL, "install_deps": False},
    )
