"""The lake on object storage by configuration alone: with CHANYE_LAKE=s3://bucket/prefix (and the
usual AWS variables) the whole pipeline runs through Airflow against a local S3 endpoint (moto's
server), nothing of the lake lands on local disk, and the warehouse holds what a local lake gives."""
from __future__ import annotations

import socket

import duckdb
import pytest

from conftest import SEEDS, needs_seeds

pytestmark = needs_seeds
BUCKET = "chanye-test"
FACT_COLUMNS = "fact_id, metric_id, region_code, year, value, unit, modality"


@pytest.fixture(scope="module")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture()
def bucket(s3_endpoint, monkeypatch):
    import fsspec

    for name, value in {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
                        "AWS_DEFAULT_REGION": "us-east-1", "AWS_ENDPOINT_URL": s3_endpoint}.items():
        monkeypatch.setenv(name, value)
    fs = fsspec.filesystem("s3", skip_instance_cache=True)
    fs.mkdir(BUCKET)
    return fs


def facts(warehouse_file) -> list[tuple]:
    with duckdb.connect(str(warehouse_file), read_only=True) as con:
        return con.execute(f"select {FACT_COLUMNS} from fct_metric_observation order by fact_id").fetchall()


def test_pipeline_with_the_lake_on_s3(seeds_run, data_dir, bucket, tmp_path, monkeypatch):
    from chanye import runner
    from chanye.config import settings

    monkeypatch.setenv("CHANYE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CHANYE_LAKE", f"s3://{BUCKET}/lake")
    summary = runner.run(SEEDS)

    assert summary["lake"] == f"s3://{BUCKET}/lake"
    assert not (tmp_path / "data" / "lake").exists()
    stored = bucket.find(f"{BUCKET}/lake")
    assert {path.split("/")[2] for path in stored} >= {"documents", "facts", "mentions", "events", "minhash", "manifest"}
    assert not any("/_pending/" in path for path in stored)  # the commit moved everything
    assert summary["mart_rows"] == seeds_run["mart_rows"]
    assert facts(settings().published_warehouse) == facts(data_dir / "warehouse" / "chanye.duckdb")

    again = runner.run(SEEDS)  # the manifest, read back from the bucket, skips every file
    assert again["input_files"] == 0 and again["documents_staged"] == 0
    assert again["mart_rows"] == summary["mart_rows"]
