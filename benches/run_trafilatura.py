"""Run trafilatura (its defaults) over pages named on stdin, one `NAME<TAB>PATH<TAB>OUT_DIR`
a line, writing OUT_DIR/NAME.txt; print pages/s of the extraction loop on stderr.
(Not named trafilatura.py: it would import itself.) Called by benches/trafilatura.sh and, timed as a whole process, by examples/score.rs."""
import pathlib
import sys
import time

import trafilatura

jobs = [line.rstrip("\n").split("\t") for line in sys.stdin if line.strip()]
# Read and decoded up front, as prov's bench holds its pages in memory.
pages = [(n, pathlib.Path(p).read_bytes().decode("utf-8", "replace"), pathlib.Path(o))
         for n, p, o in jobs]
start = time.perf_counter()
results = [(n, o, trafilatura.extract(html) or "") for n, html, o in pages]
elapsed = time.perf_counter() - start
for n, o, text in results:
    o.mkdir(parents=True, exist_ok=True)
    (o / f"{n}.txt").write_text(text, encoding="utf-8")
print(f"trafilatura {trafilatura.__version__}: {len(pages)} pages in {elapsed:.2f} s, "
      f"{len(pages) / max(elapsed, 1e-9):.1f} pages/s in its loop (single thread)",
      file=sys.stderr)
