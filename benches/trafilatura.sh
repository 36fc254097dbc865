#!/usr/bin/env bash
# Run trafilatura 2.3.1 (from PyPI, in a venv under target/) over the fundus corpus,
# single-threaded, saving each page's text to target/trafilatura/<Page>.txt and printing
# pages/s. Its outputs are what `cargo run --release --example score -- --trafilatura
# target/trafilatura` scores like for like. Not part of CI.
#
# Usage: benches/trafilatura.sh [PAGES_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
pages="${1:-$here/../shared/corpus/fundus/pages}"
target="${CARGO_TARGET_DIR:-$here/target}"
venv="$target/trafilatura-venv"
out="$target/trafilatura"
if ! "$venv/bin/python" -c 'import trafilatura, lxml_html_clean, sys; sys.exit(trafilatura.__version__ != "2.3.1")' 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet 'trafilatura==2.3.1' lxml_html_clean
fi
mkdir -p "$out"
"$venv/bin/python" - "$pages" "$out" <<'PY'
import pathlib, sys, time
import trafilatura

pages, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
docs = [(p.stem, p.read_bytes()) for p in sorted(pages.glob("*.html"))]
# Decoded once up front, as prov's bench holds its pages in memory.
texts = [(name, raw.decode("utf-8")) for name, raw in docs]
trafilatura.extract(texts[0][1])  # warm-up: imports and caches
results = []
start = time.perf_counter()
for name, html in texts:
    results.append((name, trafilatura.extract(html) or ""))  # its defaults
elapsed = time.perf_counter() - start
for name, text in results:
    (out / f"{name}.txt").write_text(text, encoding="utf-8")
mb = sum(len(raw) for _, raw in docs) / 1e6
print(f"trafilatura {trafilatura.__version__}: {len(texts)} pages in {elapsed:.2f} s, "
      f"{len(texts) / elapsed:.1f} pages/s, {mb / elapsed:.1f} MB/s (single thread)")
PY
