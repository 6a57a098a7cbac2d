"""Everything dbt: parse the project, prepare the build file, build it (one Airflow task,
astronomer-cosmos' DbtBuildLocalOperator), generate its docs, and publish it with its Parquet
exports.

dbt always runs in-process (dbtRunner; cosmos with InvocationMode.DBT_RUNNER): a dbt process
costs seconds of imports. The build is one task rather than one per node: a task costs about two
seconds of Airflow overhead and the project has ~40 nodes; the per-node progress is in the task
log. It takes the one-slot pool `duckdb_writer` (DuckDB allows one writing process per file; the
DAG has max_active_runs=1). The profile's `keep_open: false` closes the warehouse file when dbt
ends, so the tasks after it can open or rename it even when every task runs in one process."""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sys
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from chanye.config import Settings, settings
from chanye.faults import crash_point

log = logging.getLogger(__name__)

WRITER_POOL = "duckdb_writer"
PROFILE, TARGET = "chanye", "build"  # of profiles.yml; named wherever dbt is invoked (partial parses match)
# What decides the rows the models hold; what else `dbt parse` reads.
DBT_DATA_INPUTS = ("models", "macros", "seeds", "dbt_project.yml")
DBT_PARSE_INPUTS = DBT_DATA_INPUTS + ("tests", "analyses", "profiles.yml")


def dbt_env(s: Settings) -> dict[str, str]:
    """The variables profiles.yml and the sources read."""
    return {"CHANYE_DATA_DIR": str(s.data_dir), "CHANYE_HOME": str(s.home), "CHANYE_LAKE": s.lake,
            "CHANYE_DUCKDB_MEMORY": s.duckdb_memory}


def run_dbt(command: list[str], s: Settings | None = None, target_path: Path | None = None) -> None:
    """One dbt command in this process, with the build's profile and target and chanye's settings;
    reuses the partial parse that `parse` leaves (a whole parse costs ~2 s)."""
    from dbt.cli.main import dbtRunner

    s = s or settings()
    args = [*command, "--quiet", "--project-dir", str(s.dbt_project), "--profiles-dir", str(s.dbt_project),
            "--profile", PROFILE, "--target", TARGET]
    if target_path:
        args += ["--target-path", str(target_path)]
    parsed = _parse_dir(s) / "partial_parse.msgpack"
    if command[0] != "parse" and parsed.exists():
        args += ["--partial-parse-file-path", str(parsed)]
    with _environ(dbt_env(s)):  # the profile reads them; the caller's own settings stay as they were
        result = dbtRunner().invoke(args)
    if not result.success:
        raise RuntimeError(f"dbt {command[0]} failed: {result.exception or 'see the log above'}")


@contextmanager
def _environ(values: dict[str, str]):
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _parse_dir(s: Settings) -> Path:
    return s.dbt_project / "target"


# ---------------------------------------------------------------- parse

def fingerprint(inputs: tuple[str, ...] = DBT_DATA_INPUTS, s: Settings | None = None) -> str:
    """A hash of the dbt project's files under `inputs`. By default, everything that decides what
    the models hold (SQL, macros, seeds, settings): rows built by older logic or reference data
    must not mix with new ones."""
    root = (s or settings()).dbt_project
    digest = hashlib.sha256()
    for folder in inputs:
        paths = [root / folder] if (root / folder).is_file() else sorted((root / folder).rglob("*"))
        for path in (p for p in paths if p.is_file()):
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def parse(s: Settings | None = None) -> None:
    """`dbt parse` (its errors show before any data moves; the build reuses its partial parse),
    skipped when neither the files it reads nor the variables the profile reads changed."""
    s = s or settings()
    stamp = _parse_dir(s) / ".chanye-parsed"
    current = json.dumps({"files": fingerprint(DBT_PARSE_INPUTS, s), "env": dbt_env(s), "target": [PROFILE, TARGET]},
                         sort_keys=True)
    if stamp.exists() and stamp.read_text() == current and (_parse_dir(s) / "manifest.json").exists():
        log.info("dbt project unchanged since its last parse")
        return
    run_dbt(["parse"], s)
    stamp.write_text(current)


# ---------------------------------------------------------------- build

@dataclass(frozen=True)
class BuildPlan:
    """How dbt builds this run: on a copy of the published warehouse, adding the lake commits
    its incremental models lack, or a full refresh into a new file (and why)."""

    full_refresh: bool
    reason: str

    def as_dict(self) -> dict:
        return asdict(self)


def prepare_build(full_refresh: bool = False) -> dict:
    """The file dbt builds into: a copy of the published warehouse (the incremental models add
    only the lake commits after what they hold; a run whose marts gate fails leaves nothing
    behind, the next starts again from what was published), or a new file for a full refresh:
    when asked, before the first publish, or when the dbt project changed since."""
    from chanye import corrections

    s = settings()
    corrections.ensure_store()  # dbt applies analysts' corrections in every build (source `corrections`)
    build = s.build_warehouse
    build.parent.mkdir(parents=True, exist_ok=True)
    for f in (build, build.with_name(build.name + ".wal")):
        f.unlink(missing_ok=True)
    shutil.rmtree(_build_docs_dir(s), ignore_errors=True)  # a failed run's docs are not this run's
    published_with = _fingerprint_file(s.published_warehouse)
    reason = (
        "asked for" if full_refresh
        else "nothing published yet" if not s.published_warehouse.exists()
        else "the dbt project changed since the last publish"
        if not published_with.exists() or published_with.read_text() != fingerprint()
        else None
    )
    if reason:
        log.info("full refresh (%s): dbt builds a new warehouse from the whole lake", reason)
        return BuildPlan(True, reason).as_dict()
    tmp = build.with_name(f".{build.name}.{os.getpid()}.tmp")
    shutil.copyfile(s.published_warehouse, tmp)
    os.replace(tmp, build)
    log.info("incremental: dbt adds the new lake commits to a copy of %s", s.published_warehouse)
    return BuildPlan(False, "the published warehouse lacks only new lake commits").as_dict()


def dbt_build_task(plan_task_id: str = "prepare_build", task_id: str = "dbt_build"):
    """The cosmos operator that runs `dbt build` (each node's tests right after it), a full
    refresh when the plan of `plan_task_id` says so."""
    from cosmos import ProfileConfig
    from cosmos.constants import InvocationMode
    from cosmos.operators.local import DbtBuildLocalOperator

    s = settings()
    return DbtBuildLocalOperator(
        task_id=task_id,
        project_dir=str(s.dbt_project),
        profile_config=ProfileConfig(profile_name=PROFILE, target_name=TARGET,
                                     profiles_yml_filepath=s.dbt_project / "profiles.yml"),
        env=dbt_env(s),
        append_env=True,
        invocation_mode=InvocationMode.DBT_RUNNER,
        dbt_executable_path=str(Path(sys.executable).with_name("dbt")),
        install_deps=False,
        full_refresh=f"{{{{ ti.xcom_pull(task_ids='{plan_task_id}')['full_refresh'] }}}}",
        # where cosmos keeps dbt's partial parse between runs (without it every build parses the
        # whole project: ~3 s); `parse` seeds it
        cache_dir=s.airflow_home / "cosmos" / "dbt_build",
        pool=WRITER_POOL,
        # cosmos would emit an asset per model pointing at the build file, which publish renames
        # away; the DAG's publish task emits the published warehouse instead
        emit_datasets=False,
    )


# ---------------------------------------------------------------- docs and publish

def build_docs(plan: dict) -> str:
    """The dbt docs site (one static HTML file) for the build, published next to the warehouse.
    An incremental build runs the same project as the published one (prepare_build compares
    fingerprints), so its published site stays as it is."""
    s = settings()
    published = s.warehouse_dir / "docs" / "static_index.html"
    if not plan["full_refresh"] and published.exists():
        log.info("incremental build of an unchanged dbt project: the published docs site stays")
        return str(published)
    target = _build_docs_dir(s)
    run_dbt(["docs", "generate", "--static"], s, target_path=target)
    return str(target / "static_index.html")


# What analysts get is one release folder: the DuckDB file, its tables as Parquet and the dbt
# docs, built together. Publishing switches the `current` symlink to a new release with one atomic
# rename, so the warehouse and its exports always change together; the published paths
# (settings().published_warehouse, warehouse/parquet, warehouse/docs) are fixed symlinks into
# `current`. A release is complete when its DuckDB file is in it (moved in last); a crash before
# the switch leaves the old release current, and the retried publish (or the next run's recovery)
# switches to the complete one or removes the incomplete one.

RELEASES, CURRENT = "releases", "current"
RELEASE_ID_FORMAT = "%Y%m%dT%H%M%S%fZ"  # UTC, fixed width: sorts in time order as a string


def publish() -> str:
    """Swap the validated build in for analysts: a new release (the DuckDB file, its tables as
    Parquet, the dbt docs site) made current with one atomic switch; readers holding the old
    file keep reading it."""
    s = settings()
    if s.build_warehouse.exists():
        release = _releases_dir(s) / datetime.now(timezone.utc).strftime(RELEASE_ID_FORMAT)
        release.mkdir(parents=True)
        export_parquet(s.build_warehouse, release / "parquet")
        _release_docs(s, release / "docs")
        _fingerprint_file(release / s.published_warehouse.name).write_text(fingerprint())
        crash_point("publish-before-complete")
        os.replace(s.build_warehouse, release / s.published_warehouse.name)  # last: the release is complete
        crash_point("publish-before-switch")
    else:  # a retried publish: the build is already in a release, current or about to be
        log.info("no new build: finishing this run's publish")
    finish_publish(s)
    log.info("published %s (+ parquet/, docs/)", s.published_warehouse)
    return str(s.published_warehouse)


def finish_publish(s: Settings | None = None) -> str | None:
    """Make the newest complete release current (if it is not yet) and the published paths point
    into `current`; remove releases no one needs. The recovery of a publish that died before its
    switch: that release passed the marts gate, so it rolls forward. Returns the release switched to."""
    s = s or settings()
    newest = _newest_unpublished_release(s)
    if newest:
        _replace_with_symlink(s.warehouse_dir / CURRENT, f"{RELEASES}/{newest.name}")
    if _current_release(s):
        for name in _published_names(s):
            _replace_with_symlink(s.warehouse_dir / name, f"{CURRENT}/{name}")
    remove_stale_releases(s)
    return newest.name if newest else None


def remove_stale_releases(s: Settings | None = None) -> list[str]:
    """Incomplete releases, releases older than the one before the current one (a reader may still
    hold that one's file open), and temp leftovers of interrupted publishes. Only the writer (the
    holder of the data dir's lock) calls this."""
    s = s or settings()
    current = _current_release(s)
    complete = [r.name for r in _complete_releases(s)]
    previous = [name for name in complete if current and name < current.name][-1:]
    removed = []
    for release in sorted(_releases_dir(s).glob("*")) if _releases_dir(s).is_dir() else []:
        stale = (release.name not in complete  # died before its DuckDB file was moved in
                 or (current is not None and release.name < current.name and release.name not in previous))
        if stale:
            removed.append(str(release))
            _remove_path(release)
    leftovers = [*s.warehouse_dir.glob(".parquet-*"), *s.warehouse_dir.glob(".*-old-*"),
                 *s.warehouse_dir.glob(".*.link.tmp"), *s.build_warehouse.parent.glob(".*.tmp")]
    for leftover in leftovers:
        removed.append(str(leftover))
        _remove_path(leftover)
    if removed:
        log.info("removed %d stale release folders and temp files", len(removed))
    return removed


def _releases_dir(s: Settings) -> Path:
    return s.warehouse_dir / RELEASES


def _published_names(s: Settings) -> list[str]:
    """What a release holds, each published as warehouse/<name> -> current/<name>."""
    return [s.published_warehouse.name, _fingerprint_file(s.published_warehouse).name, "parquet", "docs"]


def _is_complete(release: Path, s: Settings) -> bool:
    return (release / s.published_warehouse.name).is_file()


def _complete_releases(s: Settings) -> list[Path]:
    folder = _releases_dir(s)
    return sorted(r for r in folder.glob("*") if not r.name.startswith(".") and _is_complete(r, s)) if folder.is_dir() else []


def _current_release(s: Settings) -> Path | None:
    link = s.warehouse_dir / CURRENT
    return link.resolve() if link.is_symlink() and link.exists() else None


def _newest_unpublished_release(s: Settings) -> Path | None:
    complete, current = _complete_releases(s), _current_release(s)
    if complete and (current is None or complete[-1].name > current.name):
        return complete[-1]
    return None


def _release_docs(s: Settings, target: Path) -> None:
    """This build's docs site, or (an incremental build of an unchanged project: build_docs kept
    it) the published one; linked, not moved, so a publish that dies before its release is
    complete can be retried with them (prepare_build clears the build's docs)."""
    built, published = _build_docs_dir(s), s.warehouse_dir / "docs"
    source = built if built.is_dir() else published if published.is_dir() else None
    if source:
        shutil.copytree(source, target, copy_function=_link_or_copy)


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _replace_with_symlink(path: Path, target: str) -> None:
    """Point path at target with one atomic rename (a symlink made beside it, renamed over it). A
    real folder there (the layout before releases) is moved aside first."""
    if path.is_symlink() and os.readlink(path) == target:
        return
    if path.is_dir() and not path.is_symlink():
        aside = path.with_name(f".{path.name}-old-{os.getpid()}")
        os.replace(path, aside)
        shutil.rmtree(aside, ignore_errors=True)
    link = path.with_name(f".{path.name}.link.tmp")
    link.unlink(missing_ok=True)
    os.symlink(target, link)
    os.replace(link, path)


def _remove_path(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def export_parquet(warehouse_file: Path, out: Path) -> Path:
    """Every analyst-facing table as one Parquet file, for tools that do not read DuckDB."""
    from chanye import warehouse

    out.mkdir(parents=True, exist_ok=True)
    with warehouse.connect_read_only(warehouse_file) as con:
        for table in warehouse.analyst_tables(con):
            con.table(table).write_parquet(str(out / f"{table}.parquet"), compression="zstd")
    return out


def _build_docs_dir(s: Settings) -> Path:
    return s.build_warehouse.parent / "docs"


def _fingerprint_file(warehouse_file: Path) -> Path:
    return warehouse_file.with_name(warehouse_file.name + ".dbt-fingerprint")
