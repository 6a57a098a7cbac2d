#!/usr/bin/env bash
# Re-creates src/chanye/vendor/data_docs/: the scripts, styles and fonts GX Data Docs pages load
# from CDNs, taken from the npm registry's packages (npm pack: no install, no scripts run), so the
# pages render offline (chanye.data_docs points them here). Run it only to change a version; the
# files are committed. Versions are the ones GX 1.24's page templates name.
set -euo pipefail
out="$(cd "$(dirname "$0")/.." && pwd)/src/chanye/vendor/data_docs"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
fetch() {  # package@version -> unpacked in ./<name>/
  local dir="$1"; shift
  mkdir -p "$dir"
  tar xzf "$(npm pack "$@" --silent | tail -1)" -C "$dir" --strip-components=1
}
fetch bootstrap bootstrap@4.3.1
fetch jquery jquery@3.7.1
fetch popper popper.js@1.12.9
fetch bootstrap-table bootstrap-table@1.19.1
fetch datepicker bootstrap-datepicker@1.9.0
fetch bootstrap-dark @forevolve/bootstrap-dark@1.1.0
fetch fontawesome @fortawesome/fontawesome-free@6.6.0

rm -rf "$out"
mkdir -p "$out"/{bootstrap,jquery,popper,bootstrap-table,datepicker,bootstrap-dark,fontawesome/css,fontawesome/webfonts}
cp bootstrap/dist/css/bootstrap.min.css bootstrap/dist/js/bootstrap.min.js bootstrap/LICENSE "$out/bootstrap/"
cp jquery/dist/jquery.min.js jquery/LICENSE.txt "$out/jquery/"
cp popper/dist/umd/popper.min.js "$out/popper/" && cp popper/README.md "$out/popper/README.md"
cp bootstrap-table/dist/bootstrap-table.min.css bootstrap-table/dist/bootstrap-table.min.js bootstrap-table/LICENSE \
   bootstrap-table/dist/extensions/filter-control/bootstrap-table-filter-control.min.css \
   bootstrap-table/dist/extensions/filter-control/bootstrap-table-filter-control.min.js "$out/bootstrap-table/"
cp datepicker/dist/css/bootstrap-datepicker.min.css datepicker/dist/js/bootstrap-datepicker.min.js datepicker/LICENSE "$out/datepicker/"
cp bootstrap-dark/dist/css/bootstrap-prefers-dark.min.css bootstrap-dark/LICENSE "$out/bootstrap-dark/"
cp fontawesome/css/all.min.css "$out/fontawesome/css/"
cp fontawesome/LICENSE.txt "$out/fontawesome/"
# woff2 only: every browser the pages are read in loads it first (the ttf fallbacks are not needed)
cp fontawesome/webfonts/*.woff2 "$out/fontawesome/webfonts/"
du -sh "$out"
