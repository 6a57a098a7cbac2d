"""The docker-compose (CeleryExecutor) deployment: static checks of docker-compose.yaml and the
Dockerfile, so a broken deployment file fails CI even on machines without a Docker engine."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = ROOT / "docker-compose.yaml"
DOCKERFILE = ROOT / "Dockerfile"

AIRFLOW_SERVICES = [
    "airflow-init",
    "airflow-apiserver",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-triggerer",
    "airflow-worker",
]
REQUIRED_SERVICES = ["postgres", "redis", *AIRFLOW_SERVICES]
# The project folders each Airflow service mounts: host path (relative to the compose file) -> target.
PROJECT_MOUNTS = {
    "dags": "/opt/chanye/dags",
    "dbt_project": "/opt/chanye/dbt_project",
    "expectations": "/opt/chanye/expectations",
    "src": "/opt/chanye/src",
    "plugins": "/opt/chanye/plugins",
    "data/samples": "/opt/chanye/data/samples",
}
DATA_VOLUME, DATA_TARGET = "chanye-data", "/opt/chanye/data"

_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)")
ENV_EXAMPLE = ROOT / ".env.example"
# Secrets with no default in docker-compose.yaml: compose refuses to start until each is set.
CREDENTIALS = ["POSTGRES_PASSWORD", "AIRFLOW_JWT_SECRET", "AIRFLOW_API_SECRET_KEY", "AIRFLOW_FERNET_KEY",
               "_AIRFLOW_WWW_USER_PASSWORD", "FLOWER_BASIC_AUTH"]


class MissingVariable(KeyError):
    """A ${VAR:?message} compose would refuse to start without."""


def env_example() -> dict[str, str]:
    """The documented dev values (.env.example), as compose reads an env file."""
    lines = ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines if line.strip() and not line.lstrip().startswith("#"))


def interpolate(value, environ: dict[str, str] | None = None):
    """Compose-style ${VAR:-default} / ${VAR:?error} / ${VAR} / $$ substitution, with the given
    environment (default: the dev values of .env.example)."""
    if not isinstance(value, str):
        return value
    environ = env_example() if environ is None else environ

    def substitute(m: re.Match) -> str:
        name, op, arg = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(4), None, None)
        current = environ.get(name)
        unset = current is None or (op is not None and op.startswith(":") and current == "")
        if op and op.endswith("?") and unset:
            raise MissingVariable(f"{name}: {arg}")
        if op and op.endswith("-") and unset:
            return arg
        return current or ""

    return "$".join(_VAR.sub(substitute, p) for p in value.split("$$"))


def as_env(env) -> dict[str, str]:
    if env is None:
        return {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {k: str(interpolate(v)) for k, v in env.items()}


def volumes(service: dict) -> list[dict]:
    """Volumes as long-syntax dicts: type, source, target, read_only."""
    out = []
    for v in service.get("volumes", []):
        if isinstance(v, dict):
            out.append({"read_only": False, **v, "source": interpolate(v.get("source"))})
            continue
        v = interpolate(v)
        fields = v.split(":")
        source, target = fields[0], fields[1]
        mode = fields[2] if len(fields) > 2 else "rw"
        kind = "bind" if source.startswith((".", "/", "~")) else "volume"
        out.append({"type": kind, "source": source, "target": target, "read_only": "ro" in mode.split(",")})
    return out


def depends_on(service: dict) -> dict[str, str]:
    deps = service.get("depends_on", {})
    if isinstance(deps, list):
        return {d: "service_started" for d in deps}
    return {name: (spec or {}).get("condition", "service_started") for name, spec in deps.items()}


def command_text(service: dict) -> str:
    cmd = service.get("command", "")
    return " ".join(cmd) if isinstance(cmd, list) else str(cmd)


@pytest.fixture(scope="module")
def raw() -> str:
    assert COMPOSE_FILE.is_file(), "docker-compose.yaml is missing at the repository root"
    return COMPOSE_FILE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def compose(raw) -> dict:
    return yaml.safe_load(raw)  # SafeLoader resolves anchors and `<<` merge keys


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


@pytest.fixture(scope="module")
def dockerfile() -> str:
    assert DOCKERFILE.is_file(), "Dockerfile is missing at the repository root"
    return DOCKERFILE.read_text(encoding="utf-8")


def test_required_services_exist(services):
    missing = [s for s in REQUIRED_SERVICES if s not in services]
    assert not missing, f"services missing from docker-compose.yaml: {missing}"


def test_backing_service_images(services):
    assert str(services["postgres"]["image"]).startswith("postgres:16")
    assert str(services["redis"]["image"]).startswith("redis:7")


@pytest.mark.parametrize("name", AIRFLOW_SERVICES)
def test_airflow_services_use_common_anchor(raw, compose, services, name):
    assert re.search(rf"^  {re.escape(name)}:\n(?:    #.*\n)*    <<: \*airflow-common\n", raw, re.M), (
        f"{name} must start with `<<: *airflow-common`"
    )
    common_env = as_env(compose["x-airflow-common"]["environment"])
    env = as_env(services[name]["environment"])
    assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    drifted = {k for k, v in common_env.items() if env.get(k) != v}
    assert not drifted, f"{name} overrides common settings: {sorted(drifted)}"


def test_common_env_is_consistent_with_backing_services(compose, services):
    env = as_env(compose["x-airflow-common"]["environment"])
    pg_env = as_env(services["postgres"]["environment"])
    user, password, db = pg_env["POSTGRES_USER"], pg_env["POSTGRES_PASSWORD"], pg_env["POSTGRES_DB"]

    sql = urlsplit(env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"])
    results = urlsplit(env["AIRFLOW__CELERY__RESULT_BACKEND"])
    assert sql.scheme == "postgresql+psycopg2"
    assert results.scheme == "db+postgresql"
    for url in (sql, results):
        assert url.hostname == "postgres" and url.hostname in services
        assert (url.username, url.password, url.path.lstrip("/")) == (user, password, db)
        assert url.port in (None, 5432)

    broker = urlsplit(env["AIRFLOW__CELERY__BROKER_URL"])
    assert broker.scheme == "redis"
    assert broker.hostname == "redis" and broker.hostname in services
    assert broker.port in (None, 6379)
    assert broker.path in ("/0", "")


def test_common_env_paths_and_settings(compose):
    common = compose["x-airflow-common"]
    env = as_env(common["environment"])
    targets = {v["target"] for v in volumes(common)}
    assert env["CHANYE_HOME"] == "/opt/chanye"
    assert env["CHANYE_DATA_DIR"] == DATA_TARGET
    assert env["AIRFLOW__CORE__DAGS_FOLDER"] in targets
    assert env["AIRFLOW__CORE__PLUGINS_FOLDER"] in targets
    assert env["AIRFLOW_HOME"].startswith(DATA_TARGET + "/"), "logs must be on the shared volume"
    assert env["AIRFLOW__CORE__LOAD_EXAMPLES"].lower() == "false"
    assert env["AIRFLOW__API_AUTH__JWT_SECRET"], "a shared JWT secret is required by Airflow 3 workers"
    assert env["AIRFLOW__API__SECRET_KEY"]
    assert env["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS"]
    # Telemetry off.
    assert env["AIRFLOW__COSMOS__ENABLE_TELEMETRY"].lower() == "false"
    assert env["DBT_SEND_ANONYMOUS_USAGE_STATS"].lower() == "false"
    assert env["DO_NOT_TRACK"] == "1"
    assert env["SCARF_ANALYTICS"].lower() == "false"


def test_execution_api_points_at_the_apiserver(compose, services):
    env = as_env(compose["x-airflow-common"]["environment"])
    url = urlsplit(env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"])
    assert url.hostname == "airflow-apiserver" and url.hostname in services
    assert url.path == "/execution/"
    published = [str(p) for p in services["airflow-apiserver"]["ports"]]
    assert any(p.split(":")[-1] == str(url.port) for p in published)


@pytest.mark.parametrize("name", AIRFLOW_SERVICES)
def test_airflow_services_build_from_project_dockerfile(services, name):
    build = services[name].get("build")
    assert build is not None, f"{name} must be built from the project Dockerfile"
    context, dockerfile = (build, "Dockerfile") if isinstance(build, str) else (
        build.get("context", "."), build.get("dockerfile", "Dockerfile"))
    assert (COMPOSE_FILE.parent / context).resolve() == ROOT
    assert (ROOT / context / dockerfile).resolve() == DOCKERFILE


def test_dockerfile_installs_from_the_lock(dockerfile):
    lines = [ln for ln in dockerfile.splitlines() if not ln.lstrip().startswith("#")]
    text = re.sub(r"\\\n", " ", "\n".join(lines))
    base = re.search(r"^FROM\s+(\S+)", text, re.M).group(1)
    assert re.fullmatch(r"python:3\.11[-.\w]*slim[-\w]*|apache/airflow:3\.3\.\d+-python3\.11", base), base
    assert (ROOT / ".python-version").read_text().strip() == "3.11"
    assert re.search(r"^COPY\s+.*\buv\.lock\b", text, re.M), "uv.lock must be copied into the image"
    syncs = re.findall(r"uv sync[^\n]*", text)
    assert syncs, "the image must install with `uv sync`"
    final = syncs[-1]
    for flag in ("--frozen", "--no-dev", "--extra distributed"):
        assert flag in final, f"last `uv sync` lacks {flag}: {final}"
    assert "--no-install-project" not in final
    env = " ".join(re.findall(r"^ENV\s+(.*)$", text, re.M))
    assert "CHANYE_HOME=/opt/chanye" in env and "CHANYE_DATA_DIR=/opt/chanye/data" in env
    assert "AIRFLOW_HOME=" in env and re.search(r"PATH=\S*venv/bin", env)
    user = re.findall(r"^USER\s+(\S+)", text, re.M)
    assert user and user[-1] not in ("root", "0", "0:0"), "the image must run as a non-root user"
    entrypoint = re.search(r"^ENTRYPOINT\s+(.*)$", text, re.M).group(1)
    assert re.search(r"airflow\"?\s*\]?\s*$", entrypoint), "services pass airflow sub-commands"


def test_dockerfile_copy_sources_exist(dockerfile):
    """What the Dockerfile COPYs from the build context must be in the repository."""
    missing = []
    for line in dockerfile.splitlines():
        m = re.match(r"^COPY\s+(.*)$", line.strip())
        if not m or "--from=" in line:
            continue
        args = [a for a in m.group(1).split() if not a.startswith("--")]
        missing += [src for src in args[:-1] if not (ROOT / src).exists()]
    assert not missing, f"Dockerfile copies paths the repository lacks: {missing}"


def test_dockerignore_keeps_the_context_small():
    patterns = (ROOT / ".dockerignore").read_text().split()
    for p in (".git", ".venv", "data/"):
        assert p in patterns


def bind_mounts(services) -> list[tuple[str, dict]]:
    return [(name, v) for name, svc in services.items() for v in volumes(svc) if v["type"] == "bind"]


def test_every_bind_mount_source_exists(services):
    missing = sorted({v["source"] for _, v in bind_mounts(services)
                      if not (COMPOSE_FILE.parent / v["source"]).exists()})
    assert not missing, f"bind-mounted host paths missing from the repository: {missing}"


@pytest.mark.parametrize("host_path", sorted(PROJECT_MOUNTS))
def test_project_folder_exists(host_path):
    assert (ROOT / host_path).is_dir(), f"{host_path}/ is bind-mounted by docker-compose but does not exist"


@pytest.mark.parametrize("name", AIRFLOW_SERVICES)
def test_airflow_service_mounts(services, name):
    vols = volumes(services[name])
    binds = {os.path.normpath(v["source"]): v for v in vols if v["type"] == "bind"}
    for host, target in PROJECT_MOUNTS.items():
        assert host in binds and binds[host]["target"] == target, f"{name}: ./{host} -> {target}"
    assert binds["data/samples"]["read_only"], "samples are input: mount them read-only"
    data = [v for v in vols if v["type"] == "volume" and v["target"] == DATA_TARGET]
    assert data and data[0]["source"] == DATA_VOLUME, f"{name} must mount {DATA_VOLUME} at {DATA_TARGET}"


def test_named_volumes_are_declared(compose, services):
    declared = set(compose.get("volumes") or {})
    used = {v["source"] for svc in services.values() for v in volumes(svc) if v["type"] == "volume"}
    assert DATA_VOLUME in declared
    assert used <= declared, f"undeclared named volumes: {used - declared}"


def test_ports(services):
    published = {name: [interpolate(str(p), {}) for p in svc.get("ports", [])] for name, svc in services.items()}
    # The UI/API and Flower listen on this machine only unless CHANYE_BIND opens them.
    assert published["airflow-apiserver"] == ["127.0.0.1:8080:8080"]
    assert published["flower"] == ["127.0.0.1:5555:5555"]
    opened = {name: [interpolate(str(p), {"CHANYE_BIND": "0.0.0.0"}) for p in svc.get("ports", [])]
              for name, svc in services.items()}
    assert opened["airflow-apiserver"] == ["0.0.0.0:8080:8080"] and opened["flower"] == ["0.0.0.0:5555:5555"]
    # Only the UI/API and the optional flower are published; postgres and redis stay internal.
    assert {n for n, p in published.items() if p} <= {"airflow-apiserver", "flower"}


@pytest.mark.parametrize("name", CREDENTIALS)
def test_no_credential_has_a_default(raw, name):
    """Every use of a secret is ${NAME:?…}: compose stops with the message instead of starting
    with a password everyone knows."""
    uses = re.findall(rf"\$\{{{re.escape(name)}(\W[^}}]*)?\}}", raw)
    assert uses, f"{name} is not used in docker-compose.yaml"
    assert all(u.startswith(":?") and "see .env.example" in u for u in uses), uses
    with pytest.raises(MissingVariable, match=name):
        interpolate(f"${{{name}{uses[0]}}}", {})


def test_no_literal_credentials(compose, services):
    """The Postgres password and the Airflow secrets come from variables only."""
    pg = services["postgres"]["environment"]
    assert pg["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")
    common = compose["x-airflow-common"]["environment"]
    for key in ("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", "AIRFLOW__CELERY__RESULT_BACKEND"):
        assert ":${POSTGRES_PASSWORD:?" in common[key], key
    for key, var in (("AIRFLOW__API_AUTH__JWT_SECRET", "AIRFLOW_JWT_SECRET"), ("AIRFLOW__API__SECRET_KEY", "AIRFLOW_API_SECRET_KEY"),
                     ("AIRFLOW__CORE__FERNET_KEY", "AIRFLOW_FERNET_KEY")):
        assert common[key].startswith(f"${{{var}:?"), key
    dev_values = {v for k, v in env_example().items() if k in CREDENTIALS}
    assert not [v for v in dev_values if v in COMPOSE_FILE.read_text(encoding="utf-8")]


def test_env_example_documents_every_required_variable(raw):
    required = set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*):\?", raw))
    example = env_example()
    assert set(CREDENTIALS) <= required
    assert {k for k in required if not example.get(k)} == set(), "each required variable needs a dev value"
    import base64

    assert len(base64.urlsafe_b64decode(example["AIRFLOW_FERNET_KEY"])) == 32, "a fernet key is 32 url-safe base64 bytes"
    assert re.fullmatch(r"[^:,]+:[^,]+", example["FLOWER_BASIC_AUTH"])
    assert example["CHANYE_BIND"] == "127.0.0.1"
    # the real .env holds secrets: neither committed nor sent to the image build
    assert ".env" in (ROOT / ".gitignore").read_text().split()
    assert ".env" in (ROOT / ".dockerignore").read_text().split()


def test_flower_requires_a_login(compose, services):
    flower = services["flower"]
    env = flower["environment"]
    assert env["AIRFLOW__CELERY__FLOWER_BASIC_AUTH"].startswith("${FLOWER_BASIC_AUTH:?")
    # the rest of its environment is the common one
    common = as_env(compose["x-airflow-common"]["environment"])
    assert {k: v for k, v in as_env(env).items() if k in common} == common
    assert "FLOWER_BASIC_AUTH" in " ".join(flower["healthcheck"]["test"])


def test_worker_is_scalable(services):
    worker = services["airflow-worker"]
    assert "container_name" not in worker
    assert "hostname" not in worker, "a fixed hostname would give every worker replica the same celery name"
    assert not worker.get("ports"), "a fixed host port prevents --scale"
    assert command_text(worker) == "celery worker"


@pytest.mark.parametrize(("name", "probe"), [
    ("postgres", "pg_isready"),
    ("redis", "redis-cli"),
    ("airflow-apiserver", "/api/v2/"),
    ("airflow-scheduler", "8974/health"),
    ("airflow-worker", "inspect ping"),
])
def test_healthchecks(services, name, probe):
    hc = services[name].get("healthcheck")
    assert hc and not hc.get("disable"), f"{name} needs a healthcheck"
    test = " ".join(hc["test"]) if isinstance(hc["test"], list) else hc["test"]
    assert probe in test
    if name == "airflow-apiserver":
        assert re.search(r"localhost:8080/api/v2/(version|monitor/health)", test)


def test_depends_on_conditions(services):
    allowed = {"service_started", "service_healthy", "service_completed_successfully"}
    for name, svc in services.items():
        for dep, condition in depends_on(svc).items():
            assert dep in services, f"{name} depends on unknown service {dep}"
            assert condition in allowed, f"{name} -> {dep}: {condition}"
            if condition == "service_healthy":
                assert services[dep].get("healthcheck"), f"{name} waits for {dep} to be healthy: no healthcheck"
    for name in AIRFLOW_SERVICES:
        deps = depends_on(services[name])
        assert deps.get("postgres") == deps.get("redis") == "service_healthy", name
        if name != "airflow-init":
            assert deps.get("airflow-init") == "service_completed_successfully", name


def test_no_dependency_cycle(services):
    state: dict[str, str] = {}

    def visit(name, path):
        assert state.get(name) != "visiting", f"depends_on cycle: {' -> '.join(path + [name])}"
        if state.get(name) == "done":
            return
        state[name] = "visiting"
        for dep in depends_on(services[name]):
            visit(dep, path + [name])
        state[name] = "done"

    for name in services:
        visit(name, [])


def test_commands(services):
    expected = {
        "airflow-apiserver": "api-server",
        "airflow-scheduler": "scheduler",
        "airflow-dag-processor": "dag-processor",
        "airflow-triggerer": "triggerer",
        "airflow-worker": "celery worker",
    }
    for name, cmd in expected.items():
        assert command_text(services[name]) == cmd, name


def test_init_migrates_and_creates_the_duckdb_pool(services):
    init = services["airflow-init"]
    script = command_text(init)
    assert "airflow db migrate" in script
    assert re.search(r"airflow pools set duckdb_writer 1\b", script), "dbt tasks need the one-slot pool"
    assert str(init.get("user", "")).split(":")[0] == "0", "init runs as root to own the data volume"
    assert "restart" not in init, "a one-shot init must not restart"


def _compose_cli() -> list[str] | None:
    candidates = []
    if shutil.which("docker"):
        candidates.append(["docker", "compose"])
    if shutil.which("docker-compose"):
        candidates.append(["docker-compose"])
    for cli in candidates:
        out = subprocess.run([*cli, "version"], capture_output=True, text=True)
        # Only Compose v2 understands this file's syntax (service_completed_successfully, no `version:`).
        if out.returncode == 0 and re.search(r"v?2\.\d+", out.stdout):
            return cli
    return None


def test_docker_compose_config_validates():
    cli = _compose_cli()
    if cli is None:
        pytest.skip("docker compose (v2) is not installed; static checks above still ran")
    # `config` parses, interpolates and validates against the Compose spec; it needs no engine.
    out = subprocess.run([*cli, "-f", str(COMPOSE_FILE), "--env-file", str(ENV_EXAMPLE), "config", "--quiet"],
                         capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.returncode == 0, out.stderr


def test_plugins_folder_holds_airflow_plugins_only(compose):
    """Airflow exec's every .py under PLUGINS_FOLDER as a top-level module named by its stem: the
    folder holds the chanye Airflow plugin only (the package lives in src/), and no module there
    may shadow the standard library (a `numbers.py` there broke celery and the scheduler once)."""
    import sys

    env = as_env(compose["x-airflow-common"]["environment"])
    mounts = {v["target"]: v["source"] for v in volumes(compose["x-airflow-common"]) if v["type"] == "bind"}
    folder = (COMPOSE_FILE.parent / mounts[env["AIRFLOW__CORE__PLUGINS_FOLDER"]]).resolve()
    modules = [p.stem for p in folder.rglob("*.py")]
    assert modules == ["chanye_links"], modules
    assert not set(modules) & set(sys.stdlib_module_names)


def test_airflow_plugin_links_the_reports_and_the_app():
    """The plugin loads as Airflow loads it and adds the app, Data Docs and dbt docs to the UI."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("chanye_links", ROOT / "plugins" / "chanye_links.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    views = {v["name"]: v["href"] for v in module.ChanyeLinks.external_views}
    assert views["Data quality (GX Data Docs)"] == "/chanye/data-docs/index.html"
    assert views["Analysts' app"].startswith("http://127.0.0.1:")
    routes = {r.path for r in module.ChanyeLinks.fastapi_apps[0]["app"].routes}
    assert {"/data-docs", "/dbt-docs"} <= routes


def _lock() -> dict:
    import tomllib

    return tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_runtime_imports_are_in_the_deployed_environment():
    """The image installs `--no-dev --extra distributed`: every third-party module that src/,
    plugins/ and dags/ import must come from that closure, not from a dev-group package."""
    import importlib.metadata as md
    import sys

    packages = {_norm(p["name"]): p for p in _lock()["package"]}
    project = packages["chanye"]
    todo = [d for d in project.get("dependencies", [])]
    todo += project.get("optional-dependencies", {}).get("distributed", [])
    closure: set[str] = set()
    while todo:
        dep = todo.pop()
        name = _norm(dep["name"])
        extras = dep.get("extra", [])
        key = f"{name}[{','.join(extras)}]"
        if key in closure:
            continue
        closure.update({name, key})
        pkg = packages.get(name, {})
        todo += pkg.get("dependencies", [])
        for extra in extras:
            todo += pkg.get("optional-dependencies", {}).get(extra, [])

    imported = set()
    for folder in ("src", "plugins", "dags"):
        for path in (ROOT / folder).rglob("*.py"):
            for m in re.finditer(r"^\s*(?:from|import)\s+([A-Za-z_]\w*)", path.read_text(encoding="utf-8"), re.M):
                imported.add(m.group(1))
    providers = md.packages_distributions()
    local = {"chanye"} | {p.stem for p in (ROOT / "dags").glob("*.py")}
    missing = {}
    for module in sorted(imported - set(sys.stdlib_module_names) - local - {"__future__"}):
        dists = {_norm(d) for d in providers.get(module, [])}
        if not dists:
            continue  # not installed here either: other tests will fail on the import itself
        if not dists & closure:
            missing[module] = sorted(dists)
    assert not missing, (
        f"imported by src/, plugins/ or dags/ but not installed by `uv sync --no-dev --extra distributed`: "
        f"{missing} (add them to [project].dependencies)"
    )


def test_locked_celery_works_with_the_locked_celery_provider():
    """apache-airflow-providers-celery <= 3.26 imports `retry` from celery.backends.database, which
    celery 5.7 removed: the scheduler and every worker then die at start-up."""
    packages = {_norm(p["name"]): p["version"] for p in _lock()["package"]}
    provider, celery = packages.get("apache-airflow-providers-celery"), packages.get("celery")
    assert provider and celery, "the distributed extra must lock the celery provider and celery"

    def key(v: str) -> tuple[int, ...]:
        return tuple(int(x) for x in re.findall(r"\d+", v)[:3])

    if key(provider) <= (3, 26, 0):
        assert key(celery) < (5, 7), (
            f"celery {celery} is incompatible with apache-airflow-providers-celery {provider}: "
            "constrain `celery[redis]>=5.5,<5.7` in the distributed extra"
        )
