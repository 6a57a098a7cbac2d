"""Where things live. Every path derives from two environment variables so the same code runs
from a clone, in the test suite (temporary data dirs) and in the docker-compose deployment."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

_REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Settings:
    home: Path  # the project checkout: dags/, dbt_project/, expectations/, data/samples/
    data_dir: Path  # everything a run writes: lake, warehouse, Airflow metadata, reports

    @property
    def dbt_project(self) -> Path:
        return self.home / "dbt_project"

    @property
    def seeds_dir(self) -> Path:
        return self.dbt_project / "seeds"

    @property
    def expectations_dir(self) -> Path:
        return self.home / "expectations"

    @property
    def samples_dir(self) -> Path:
        return self.home / "data" / "samples"

    @property
    def lake(self) -> str:
        """A local folder, or an object-store URL (CHANYE_LAKE=s3://bucket/prefix): see chanye.lake."""
        return os.environ.get("CHANYE_LAKE") or str(self.data_dir / "lake")

    @property
    def warehouse_dir(self) -> Path:
        return self.data_dir / "warehouse"

    @property
    def build_warehouse(self) -> Path:
        """The file dbt writes; analysts never open it."""
        return self.warehouse_dir / "build" / "chanye.duckdb"

    @property
    def published_warehouse(self) -> Path:
        """The file analysts open read-only; replaced atomically by `publish`."""
        return self.warehouse_dir / "chanye.duckdb"

    @property
    def airflow_home(self) -> Path:
        return self.data_dir / "airflow"

    @property
    def reports_dir(self) -> Path:
        return self.data_dir / "reports"

    @property
    def data_docs_dir(self) -> Path:
        """The GX Data Docs site (the File Data Context lives in data_dir/gx)."""
        return self.data_dir / "gx" / "gx" / "uncommitted" / "data_docs" / "local_site"

    @property
    def batch_size(self) -> int:
        """Documents per mapped stage/extract task (an article file is one, a JSON-lines file one
        per line); the memory of a task follows it, the corpus size does not."""
        return int(os.environ.get("CHANYE_BATCH_SIZE", "5000"))

    @property
    def duckdb_memory(self) -> str:
        """DuckDB's memory limit for dbt (profiles.yml reads the same variable) and for reads."""
        return os.environ.get("CHANYE_DUCKDB_MEMORY", "768MB")

    @property
    def validate_rows(self) -> int:
        """Documents per chunk the gate validates at a time (memory bound of the validate task)."""
        return int(os.environ.get("CHANYE_VALIDATE_ROWS", "20000"))


def settings() -> Settings:
    home = Path(os.environ.get("CHANYE_HOME", _REPO_ROOT)).resolve()
    data_dir = Path(os.environ.get("CHANYE_DATA_DIR", home / "data")).resolve()
    return Settings(home=home, data_dir=data_dir)
