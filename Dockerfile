# syntax=docker/dockerfile:1
# The chanye image for the docker-compose (CeleryExecutor) deployment: every Airflow component
# (api-server, scheduler, dag-processor, triggerer, celery workers) runs this one image.
#
# Base: the official python:3.11-slim image, not apache/airflow. uv.lock is the single source of
# truth for every version, Airflow included; the apache/airflow image ships its own
# constraint-pinned Airflow in ~/.local, so `uv sync` on top of it would duplicate or fight those
# pins. Slim + the lock gives one environment, the same one `uv sync` builds on a laptop and in CI.
# Every locked package has a manylinux wheel for cp311 (x86_64 and aarch64): no compiler needed.
FROM python:3.11-slim-bookworm

# curl: container healthchecks; tini: PID 1 that forwards SIGTERM to the single airflow process
# (a celery worker then does a warm shutdown, finishing its running tasks).
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl tini \
    && rm -rf /var/lib/apt/lists/*

# uv pinned to the version that wrote uv.lock.
RUN pip install --no-cache-dir uv==0.13.9

ENV UV_PROJECT_ENVIRONMENT=/opt/venv \
    UV_PYTHON=/usr/local/bin/python3.11 \
    UV_PYTHON_DOWNLOADS=never \
    UV_LINK_MODE=copy \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1

WORKDIR /opt/chanye

# 1. Dependencies only: this layer is rebuilt only when the lock changes.
COPY pyproject.toml uv.lock README.md ./
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --extra distributed --no-install-project

# 2. The chanye package, installed editable: the .pth file points at /opt/chanye/src, so the
#    code docker-compose bind-mounts there is the code that runs.
COPY src/ src/
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --extra distributed

# 3. The rest of the project, so the image also runs without bind mounts (e.g. a worker on
#    another machine); compose mounts the checkout over these. data/samples is not baked in.
COPY dags/ dags/
COPY dbt_project/ dbt_project/
COPY expectations/ expectations/
COPY plugins/ plugins/

# Paths: see src/chanye/config.py. AIRFLOW_HOME (airflow.cfg, logs, the SimpleAuthManager
# password file) lives on the shared data volume so every component sees the same task logs.
ENV CHANYE_HOME=/opt/chanye \
    CHANYE_DATA_DIR=/opt/chanye/data \
    AIRFLOW_HOME=/opt/chanye/data/airflow \
    PATH=/opt/venv/bin:$PATH \
    HOME=/home/airflow

# Non-root user, uid 50000 / gid 0 like the official Airflow image. Compose may run the containers
# as the host's uid (AIRFLOW_UID) with gid 0, so everything writable is group-0 writable. The data
# directories are created here so a new named volume starts with the right owner.
RUN useradd --uid 50000 --gid 0 --home-dir /home/airflow --create-home --shell /bin/bash airflow \
    && mkdir -p /opt/chanye/data/airflow/logs /opt/chanye/data/lake /opt/chanye/data/warehouse \
                /opt/chanye/data/reports \
    && chown -R 50000:0 /opt/chanye/data /home/airflow \
    && chmod -R g+rwX /opt/chanye/data /home/airflow

USER 50000
EXPOSE 8080

# `docker run IMAGE scheduler` == `airflow scheduler`; compose passes the sub-command.
ENTRYPOINT ["/usr/bin/tini", "--", "airflow"]
CMD ["version"]
