#!/usr/bin/env bash
# Scale benchmark (issue 9): builds archives of SIZES captures (N/5 articles each, generated
# from the fundus corpus pages by examples/gen_corpus.rs, read in place), and measures
#   - capture throughput: `prov snapshot --from LIST` of files, in batches of BATCH, against
#     `git fast-import` of the same raw files, one commit each, same layout, in the same run;
#   - `prov log ARTICLE`, `prov log`, `prov diff A B`, `prov show`, `prov verify` (MB/s);
#   - the archive's size on disk, work tree and .git apart (and fast-import's .git).
# Inputs are generated a batch at a time under the target folder and deleted after use.
#
#   SIZES="1000 10000" benches/scale.sh      # a quick run
#   SIZES=100000 nice benches/scale.sh       # the long one (about 25 GB of work tree)
# Env: SIZES (default "1000 10000 100000"), BATCH (2000), KEEP=1 keeps the archives,
# RUNS (hyperfine runs per read command, 10), SKIP_BUILD=1 (use the binaries already built),
# SPARSE=1 (archives made with `prov init --sparse`: raw files in git alone, not the work tree),
# SKIP_FASTIMPORT=1 (prov alone: no fast-import baseline, about half the time at 100,000).
# Results: $WORK/results.md; the pages that could not be captured, with why: $WORK/failed-N.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-"1000 10000 100000"}
BATCH=${BATCH:-2000}
RUNS=${RUNS:-10}
T=${CARGO_TARGET_DIR:-target}
WORK=${WORK:-$T/scale-bench}
export PROV_NOW=2025-01-01T00:00:00Z
# A fixed identity, the same for prov and fast-import.
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1

[ "${SKIP_BUILD:-0}" = 1 ] || cargo build --release --locked --bin prov --example gen_corpus >&2
PROV=$(realpath "$T/release/prov")
GEN=$(realpath "$T/release/examples/gen_corpus")
mkdir -p "$WORK"
WORK=$(realpath "$WORK")
OUT=$WORK/results.md
now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.${2:-1}f\", $1 }"; }

# Mean seconds of a command: hyperfine when installed, else a small loop.
mean() {
    if command -v hyperfine >/dev/null; then
        hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$WORK/h.json" "$@" >/dev/null 2>&1
        python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["mean"])' "$WORK/h.json"
    else
        local t0 t1
        t0=$(now)
        for _ in $(seq "$RUNS"); do $1 >/dev/null 2>&1 || true; done
        t1=$(now)
        calc "($t1 - $t0) / $RUNS" 4
    fi
}

{
    echo "# benches/scale.sh, $(date -u +%Y-%m-%dT%H:%MZ)"
    echo
    echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "BATCH=$BATCH, prov jobs: default (one per core), zlib level 1 (prov), fast-import: git's defaults, sparse work tree: $([ "${SPARSE:-0}" = 1 ] && echo yes || echo no)"
    echo
} >"$OUT"

for N in $SIZES; do
    A=$WORK/archive-$N
    F=$WORK/fastimport-$N
    IN=$WORK/in
    rm -rf "$A" "$F" "$IN" "$WORK/failed-$N.txt"
    if [ "${SPARSE:-0}" = 1 ]; then "$PROV" init --sparse "$A" >/dev/null; else "$PROV" init "$A" >/dev/null; fi
    git init -q -b main "$F"
    start=0
    prov_s=0
    fi_s=0
    bytes=0
    failed=0
    rates=""
    while [ "$start" -lt "$N" ]; do
        count=$((N - start < BATCH ? N - start : BATCH))
        stream=(--fast-import "$IN/fi.stream")
        [ "$start" -gt 0 ] && stream+=(--continue)
        [ "${SKIP_FASTIMPORT:-0}" = 1 ] && stream=()
        "$GEN" --captures "$N" --start "$start" --count "$count" --out "$IN" "${stream[@]}" 2>/dev/null
        bytes=$((bytes + $(du -sb --exclude=fi.stream --exclude=list.txt "$IN" | cut -f1)))
        t0=$(now)
        # Exit 2 when a page could not be cleaned (named in snapshot.err): counted, not fatal.
        (cd "$A" && "$PROV" snapshot --from "$IN/list.txt" >"$WORK/snapshot.out" 2>"$WORK/snapshot.err") || true
        t1=$(now)
        failed=$((failed + $(grep -vc '^prov: \[' "$WORK/snapshot.err" || true)))
        grep -v '^prov: \[' "$WORK/snapshot.err" >>"$WORK/failed-$N.txt" || true
        [ "${SKIP_FASTIMPORT:-0}" = 1 ] || (cd "$F" && git fast-import --quiet <"$IN/fi.stream")
        t2=$(now)
        p=$(calc "$t1 - $t0" 3)
        f=$(calc "$t2 - $t1" 3)
        prov_s=$(calc "$prov_s + $p" 3)
        fi_s=$(calc "$fi_s + $f" 3)
        rate=$(calc "$count / $p" 0)
        rates="$rates $rate"
        echo "N=$N batch $start+$count: prov $p s ($rate captures/s), fast-import $f s" >&2
        rm -rf "$IN"
        start=$((start + count))
    done
    captures=$(cd "$A" && git rev-list --count HEAD)
    articles=$(find "$A/snapshots" -mindepth 1 -maxdepth 1 -type d | wc -l)
    # Reads: the article and copy of the last capture; its first two captures for diff.
    last=$(cd "$A" && git log -1 --format=%s | sed 's/^Capture //')
    article=${last%%/*}
    copy_path=$(echo "$last" | cut -d' ' -f1)
    capture=${last##* }
    first2=$(ls "$A/snapshots/$copy_path" | head -2 | tr '\n' ' ')
    set -- $first2
    diff_a=$1
    diff_b=${2:-$1}
    log_a=$(mean "$PROV --archive $A log $article")
    log_all=$(mean "$PROV --archive $A log")
    show=$(mean "$PROV --archive $A show $capture")
    diffs=$(mean "$PROV --archive $A diff $diff_a $diff_b")
    v0=$(now)
    verified=$("$PROV" --archive "$A" verify | grep -o '[0-9]* bytes re-hashed' | cut -d' ' -f1)
    v1=$(now)
    verify_s=$(calc "$v1 - $v0" 3)
    # Again: a later run reuses what the first learned of each adding commit (folder facts).
    "$PROV" --archive "$A" verify >/dev/null
    v2=$(now)
    verify2_s=$(calc "$v2 - $v1" 3)
    git -C "$F" gc --quiet --auto >/dev/null 2>&1 || true
    wt=$(du -sb --exclude=.git "$A" | cut -f1)
    gd=$(du -sb "$A/.git" | cut -f1)
    fd=$(du -sb "$F/.git" | cut -f1)
    {
        echo "## $N captures ($captures commits, $((N / 5)) articles generated, $articles in the archive, $(calc "$bytes / 1e6" 0) MB of pages, $failed not captured)"
        echo
        echo "| measure | figure |"
        echo "|---|---|"
        echo "| prov snapshot --from, all batches | $prov_s s, $(calc "$N / $prov_s" 0) captures/s |"
        if [ "${SKIP_FASTIMPORT:-0}" != 1 ]; then
            echo "| git fast-import, same raw files | $fi_s s, $(calc "$N / $fi_s" 0) captures/s |"
            echo "| prov / fast-import rate | $(calc "$fi_s / $prov_s" 2) |"
        fi
        echo "| captures/s per batch (first ... last) |$rates |"
        echo "| prov log $article | $(calc "$log_a * 1000" 0) ms |"
        echo "| prov log (all) | $(calc "$log_all * 1000" 0) ms |"
        echo "| prov show $capture | $(calc "$show * 1000" 0) ms |"
        echo "| prov diff $diff_a $diff_b | $(calc "$diffs * 1000" 0) ms |"
        echo "| prov verify, first run | $verify_s s, $(calc "${verified:-0} / 1e6 / $verify_s" 0) MB/s ($(calc "${verified:-0} / 1e6" 0) MB re-hashed) |"
        echo "| prov verify, again | $verify2_s s, $(calc "${verified:-0} / 1e6 / $verify2_s" 0) MB/s |"
        echo "| work tree / .git (prov) | $(calc "$wt / 1e6" 0) MB / $(calc "$gd / 1e6" 0) MB |"
        [ "${SKIP_FASTIMPORT:-0}" = 1 ] || echo "| .git (fast-import) | $(calc "$fd / 1e6" 0) MB |"
        echo
    } >>"$OUT"
    [ "${KEEP:-0}" = 1 ] || rm -rf "$A" "$F"
done
cat "$OUT"
