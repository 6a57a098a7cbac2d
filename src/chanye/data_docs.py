"""GX Data Docs that render offline: GX's page templates load Bootstrap, bootstrap-table, jQuery,
Font Awesome and its logo from CDNs, so without the internet a page is unstyled and the index's
list of validations (drawn by bootstrap-table) stays empty. The same files, taken from the npm
registry's packages (scripts/vendor_data_docs_assets.sh), ship in this package
(chanye/vendor/data_docs); `make_offline` copies them into the site and points the pages GX just
wrote at them with relative URLs, so a page works from the file system and behind the
api-server's /chanye/data-docs/ alike. Called by chanye.quality after each Data Docs build."""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

VENDOR = Path(__file__).parent / "vendor" / "data_docs"
SITE_VENDOR = Path("static") / "vendor"  # inside the site
_UNPKG = "https://unpkg.com/bootstrap-table@"
_FILTER = "/dist/extensions/filter-control/bootstrap-table-filter-control"
# Every remote script and stylesheet GX 1.24's templates name, and its copy here.
ASSETS = {
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": "bootstrap/bootstrap.min.css",
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": "bootstrap/bootstrap.min.js",
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery/jquery.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": "popper/popper.min.js",
    f"{_UNPKG}1.19.1/dist/bootstrap-table.min.css": "bootstrap-table/bootstrap-table.min.css",
    f"{_UNPKG}1.19.1/dist/bootstrap-table.min.js": "bootstrap-table/bootstrap-table.min.js",
    f"{_UNPKG}1.19.0{_FILTER}.css": "bootstrap-table/bootstrap-table-filter-control.min.css",
    f"{_UNPKG}1.19.0{_FILTER}.min.css": "bootstrap-table/bootstrap-table-filter-control.min.css",
    f"{_UNPKG}1.19.1{_FILTER}.min.js": "bootstrap-table/bootstrap-table-filter-control.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css":
        "datepicker/bootstrap-datepicker.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js":
        "datepicker/bootstrap-datepicker.min.js",
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css":
        "bootstrap-dark/bootstrap-prefers-dark.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": "fontawesome/css/all.min.css",
}
# GX's logo and icons: the package ships them in the site's static/images already.
IMAGES = "https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/"
# Vega draws the charts of profiling pages; no chanye suite renders one, so its tags go.
DROPPED = re.compile(r'<script src="https://cdn\.jsdelivr\.net/npm/vega(-lite|-embed)?@\d+"></script>\s*')
REMOTE = re.compile(r'(src|href)="(https?://[^"]+)"')
SUBRESOURCE_CHECKS = re.compile(r'\s+(integrity="[^"]*"|crossorigin="[^"]*")')


def make_offline(site: Path, since: float = 0.0) -> int:
    """Copy the vendored assets into the site (once) and rewrite the pages written at or after
    `since` (a time.time()); returns how many pages were rewritten."""
    target = site / SITE_VENDOR
    if not (target / ".complete").exists():
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(VENDOR, target, ignore=shutil.ignore_patterns("LICENSE*", "README*"))
        (target / ".complete").write_text("")
    rewritten = 0
    for page in site.rglob("*.html"):
        if page.stat().st_mtime >= since and _rewrite(page, site):
            rewritten += 1
    return rewritten


def _rewrite(page: Path, site: Path) -> bool:
    html = page.read_text(encoding="utf-8")
    root = os.path.relpath(site, page.parent).replace(os.sep, "/") + "/"

    def local(match: re.Match) -> str:
        attr, url = match.groups()
        if url in ASSETS:
            return f'{attr}="{root}{SITE_VENDOR.as_posix()}/{ASSETS[url]}"'
        if url.startswith(IMAGES):
            return f'{attr}="{root}static/images/{url[len(IMAGES):]}"'
        return match.group(0)  # links to web pages stay links

    new = REMOTE.sub(local, DROPPED.sub("", html))
    new = SUBRESOURCE_CHECKS.sub("", new)  # hashes of the CDNs' copies, not needed for local files
    if new == html:
        return False
    page.write_text(new, encoding="utf-8")
    return True


def remote_resources(page: Path) -> list[str]:
    """Scripts, stylesheets and images a page still loads from the network (links aside)."""
    html = page.read_text(encoding="utf-8")
    found = re.findall(r'<(?:script|img)[^>]+src="(https?://[^"]+)"|<link[^>]+href="(https?://[^"]+)"', html)
    return [a or b for a, b in found]
