#!/usr/bin/env bash
# trafilatura 2.3.1 (from PyPI, in a venv under target/) over both dev corpora,
# single-threaded, saving each page's text to target/trafilatura/<corpus>/<page>.txt and
# printing pages/s. `cargo run --release --example score -- --trafilatura` runs it itself
# (timed as a whole process beside `prov normalize`) and scores its outputs like prov's.
# Not part of CI.
#
# Usage: benches/trafilatura.sh            install if needed, then run over both corpora
#        benches/trafilatura.sh install    install if needed, print the venv's python
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
corpus="$here/../shared/corpus"
target="${CARGO_TARGET_DIR:-$here/target}"
venv="$target/trafilatura-venv"
out="$target/trafilatura"
if ! "$venv/bin/python" -c 'import trafilatura, sys; sys.exit(trafilatura.__version__ != "2.3.1")' 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet 'trafilatura==2.3.1' lxml_html_clean >&2
fi
if [[ "${1:-}" == install ]]; then
    echo "$venv/bin/python"
    exit 0
fi
{
    for p in "$corpus"/fundus/pages/*.html; do
        n="$(basename "$p" .html)"
        printf '%s\t%s\t%s\n' "$n" "$p" "$out/fundus"
    done
    for p in "$corpus"/readability/pages/*/source.html; do
        n="$(basename "$(dirname "$p")")"
        printf '%s\t%s\t%s\n' "$n" "$p" "$out/readability"
    done
} | "$venv/bin/python" "$here/benches/run_trafilatura.py"
