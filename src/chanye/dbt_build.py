"""The dbt project as one Airflow task (astronomer-cosmos' DbtBuildLocalOperator): `dbt build`
builds the seeds and models in dependency order and runs each node's tests right after it.

One task rather than one per node: a task costs about two seconds of Airflow overhead, and the
project has ~40 nodes; the per-node progress is in the task log. The task takes the one-slot pool
`duckdb_writer` (DuckDB allows one writing process per file; the DAG has max_active_runs=1). dbt
runs in-process (dbtRunner); the profile's `keep_open: false` closes the warehouse file when dbt
ends, so the tasks after it can open or copy it even when `airflow dags test` runs every task in
one process."""
from __future__ import annotations

import sys
from pathlib import Path

from chanye.config import settings

WRITER_POOL = "duckdb_writer"
PROFILE, TARGET = "chanye", "build"  # of profiles.yml; named explicitly wherever dbt is invoked


def dbt_executable() -> str:
    return str(Path(sys.executable).with_name("dbt"))


def dbt_env(s) -> dict[str, str]:
    """The variables profiles.yml and the sources read."""
    return {"CHANYE_DATA_DIR": str(s.data_dir), "CHANYE_HOME": str(s.home), "CHANYE_LAKE": s.lake,
            "CHANYE_DUCKDB_MEMORY": s.duckdb_memory}


def dbt_build_task(task_id: str = "dbt_build", full_refresh: bool | str = False):
    """`full_refresh` (templated) rebuilds the incremental models from the whole lake."""
    from cosmos import ProfileConfig
    from cosmos.constants import InvocationMode
    from cosmos.operators.local import DbtBuildLocalOperator

    s = settings()
    return DbtBuildLocalOperator(
        task_id=task_id,
        project_dir=str(s.dbt_project),
        profile_config=ProfileConfig(
            profile_name=PROFILE,
            target_name=TARGET,
            profiles_yml_filepath=s.dbt_project / "profiles.yml",
        ),
        env=dbt_env(s),
        append_env=True,
        invocation_mode=InvocationMode.DBT_RUNNER,
        dbt_executable_path=dbt_executable(),
        install_deps=False,
        full_refresh=full_refresh,
        # where cosmos keeps dbt's partial parse between runs (without it, every build parses the
        # whole project: ~3 s); prepare's `dbt parse` seeds it
        cache_dir=s.airflow_home / "cosmos" / "dbt_build",
        pool=WRITER_POOL,
    )
