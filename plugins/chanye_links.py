"""chanye in the Airflow UI: links to what a run publishes, beside the DAG that produces it.

An Airflow plugin in the Airflow sense (the chanye package itself is installed from src/): the
api-server serves the data-quality reports (GX Data Docs) and the dbt docs site of the data
directory under /chanye/, and the navigation gets a link to each and to the analysts' app
(`chanye ui`, CHANYE_UI_URL). Every Airflow component imports this file: it stays light."""
from __future__ import annotations

import os

from airflow.plugins_manager import AirflowPlugin

UI_URL = os.environ.get("CHANYE_UI_URL", "http://127.0.0.1:8501")
URL_PREFIX = "/chanye"


def _reports_app():
    """Static files of the data directory the analysts and operators read: Data Docs, dbt docs."""
    from fastapi import FastAPI
    from fastapi.staticfiles import StaticFiles

    from chanye.config import settings

    s = settings()
    app = FastAPI(title="chanye reports")
    app.mount("/data-docs", StaticFiles(directory=s.data_docs_dir, html=True, check_dir=False), name="data-docs")
    app.mount("/dbt-docs", StaticFiles(directory=s.warehouse_dir / "docs", html=True, check_dir=False), name="dbt-docs")
    return app


class ChanyeLinks(AirflowPlugin):
    name = "chanye"
    fastapi_apps = [{"app": _reports_app(), "url_prefix": URL_PREFIX, "name": "chanye reports"}]
    external_views = [
        {"name": "Analysts' app", "href": UI_URL, "destination": "nav", "category": "chanye"},
        {"name": "Data quality (GX Data Docs)", "href": f"{URL_PREFIX}/data-docs/index.html",
         "destination": "nav", "category": "chanye"},
        {"name": "Warehouse docs (dbt)", "href": f"{URL_PREFIX}/dbt-docs/static_index.html",
         "destination": "nav", "category": "chanye"},
    ]
