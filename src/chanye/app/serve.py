"""`chanye ui`: the app served by Streamlit on this machine, offline (its charts' Vega assets ship
in the streamlit wheel; nothing loads from a CDN) and without usage statistics."""
from __future__ import annotations

import os
import sys
from pathlib import Path

MAIN = Path(__file__).with_name("main.py")
DEFAULT_PORT = 8501  # plugins/chanye_links.py links CHANYE_UI_URL=http://127.0.0.1:8501


def command(port: int = DEFAULT_PORT, address: str = "127.0.0.1") -> list[str]:
    return [
        sys.executable, "-m", "streamlit", "run", str(MAIN),
        "--server.address", address,
        "--server.port", str(port),
        "--server.headless", "true",
        "--server.fileWatcherType", "none",  # an installed app, not a script being edited
        "--browser.gatherUsageStats", "false",
        "--client.toolbarMode", "minimal",
        "--theme.base", "light",
    ]


def serve(port: int = DEFAULT_PORT, address: str = "127.0.0.1") -> None:
    """Replace this process by Streamlit's server (Ctrl-C stops it)."""
    from chanye.config import settings

    s = settings()
    if not s.published_warehouse.exists():
        print(f"chanye ui: no published warehouse at {s.published_warehouse} yet; the app will say so "
              "until `chanye run` publishes one", file=sys.stderr)
    print(f"chanye ui: http://{address}:{port}  (data: {s.data_dir}; Ctrl-C stops)", file=sys.stderr, flush=True)
    env = dict(os.environ, CHANYE_DATA_DIR=str(s.data_dir), CHANYE_HOME=str(s.home))
    os.execve(sys.executable, command(port, address), env)
