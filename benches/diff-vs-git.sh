#!/usr/bin/env bash
# Whole-process speed of `prov diff --stat A B` against `git diff --no-index
# --word-diff=porcelain A B` on plain-text files of about 1,500, 100,000 and 1,000,000
# words with 1% of sentences edited and 3 paragraphs moved (made by
# benches/support/texts.rs from the demo article and the corpus read in place). The texts
# are laid out as clean texts, so prov compares them as they are; the same texts as
# pastes (title without `# `), which the normalizer cleans first, are timed too.
#
#   bash benches/diff-vs-git.sh            # all sizes
#   SIZES="1500 100k" bash benches/diff-vs-git.sh
#   ROUNDS=9 RUNS=10 bash benches/diff-vs-git.sh   # rounds of both commands in turn
#
# Texts go to target/diff-bench/<size>/{a,b}.txt. Both commands run in an empty
# temporary folder (no archive, no repository around them). Timing by hyperfine when
# installed (`apt-get install -y hyperfine`), else a loop around `date +%s%N`; maximum
# resident memory by `/usr/bin/time -v` when present. Uses CARGO_TARGET_DIR if set.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
out=$root/target/diff-bench
sizes=${SIZES:-1500 100k 1m}
runs=${RUNS:-10}
rounds=${ROUNDS:-5}

cd "$root"
cargo build --quiet --release --bin prov --example diff_texts
prov=$target/release/prov
"$target/release/examples/diff_texts" "$out"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export NO_COLOR=1

# Median wall time of a command in milliseconds, without hyperfine.
loop_ms() {
    local t0 t1 i
    local -a all=()
    for ((i = 0; i < runs; i++)); do
        t0=$(date +%s%N)
        "$@" >/dev/null 2>&1 || true
        t1=$(date +%s%N)
        all+=($(((t1 - t0) / 1000)))
    done
    printf '%s\n' "${all[@]}" | sort -n | awk '{v[NR]=$1} END {printf "%.2f", v[int((NR+1)/2)]/1000}'
}

for size in $sizes; do
    a=$out/$size/a.txt
    b=$out/$size/b.txt
    echo "== $size words: $(wc -w <"$a") / $(wc -w <"$b") (prov: $("$prov" diff --stat "$a" "$b"))"
    if command -v hyperfine >/dev/null; then
        # Rounds of both commands in turn, so that a machine that speeds up or slows down
        # during the run moves both: the figure is the median of the rounds' ratios.
        ratios=()
        for ((r = 1; r <= rounds; r++)); do
            hyperfine -N -i --warmup 3 --runs "$runs" --export-csv "$out/$size/round-$r.csv" \
                -n prov "$prov diff --stat $a $b" \
                -n git "git diff --no-index --word-diff=porcelain $a $b" >/dev/null 2>&1
            # Columns: command,mean,stddev,median,user,system,min,max (seconds).
            read -r p g < <(awk -F, 'NR == 2 {p = $4} NR == 3 {g = $4} END {print p * 1000, g * 1000}' \
                "$out/$size/round-$r.csv")
            echo "round $r: prov $p ms, git $g ms (medians of $runs)"
            ratios+=("$(awk "BEGIN {printf \"%.3f\", $p / $g}")")
        done
        echo "prov/git: $(printf '%s\n' "${ratios[@]}" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}') (median of $rounds rounds: ${ratios[*]})"
    else
        p=$(loop_ms "$prov" diff --stat "$a" "$b")
        g=$(loop_ms git diff --no-index --word-diff=porcelain "$a" "$b")
        echo "prov $p ms, git $g ms (medians of $runs; prov/git = $(awk "BEGIN {printf \"%.2f\", $p / $g}"))"
    fi
    # The same texts as pastes (no `# ` before the title): the normalizer cleans them first.
    sed '1s/^# //' "$a" >"$work/pa.txt"
    sed '1s/^# //' "$b" >"$work/pb.txt"
    p=$(loop_ms "$prov" diff --stat "$work/pa.txt" "$work/pb.txt")
    echo "prov on the texts as pastes: $p ms (median of $runs)"
    if [ -x /usr/bin/time ]; then
        for cmd in "$prov diff --stat" "git diff --no-index --word-diff=porcelain"; do
            rss=$( { /usr/bin/time -v $cmd "$a" "$b" >/dev/null || true; } 2>&1 | awk -F': ' '/Maximum resident/ {print $2}')
            echo "max RSS ${cmd%% *}: $rss KB"
        done
    fi
done
