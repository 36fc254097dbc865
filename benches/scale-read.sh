#!/usr/bin/env bash
# The read side at scale: builds archives of 1,000, 10,000 and 100,000 synthetic captures
# (examples/gen_archive.rs through git fast-import; 20,000 articles in the largest) and times
# `prov log ARTICLE`, `prov log`, `prov show REF`, `prov diff A B` and `prov verify` (MB/s
# of raw and text bytes re-hashed) with hyperfine. Not in CI.
#
#   benches/scale-read.sh [WORKDIR] [SIZES...]      (default: target/scale-read, 1000 10000 100000)
#   PROV=/path/to/prov benches/scale-read.sh ...     (time another build, e.g. a baseline)
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-${CARGO_TARGET_DIR:-target}/scale-read}
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 100000)
cargo build --release --locked --quiet --example gen_archive --bin prov
bin=${CARGO_TARGET_DIR:-target}/release
prov=${PROV:-$bin/prov}
mkdir -p "$work"
export PROV_NOW=2026-11-28T10:00:00Z GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
for n in "${sizes[@]}"; do
  articles=$(( n / 5 )); [ "$articles" -le 20000 ] || articles=20000
  dir=$work/a$n
  if [ ! -f "$dir/.git/generated" ]; then
    rm -rf "$dir"
    "$bin/prov" init "$dir" >/dev/null
    start=$(date +%s%N)
    # One commit per capture up to 10,000; beyond, batches of 50 (see examples/gen_archive.rs).
    batch=1; [ "$n" -le 10000 ] || batch=50
    "$bin/examples/gen_archive" "$dir" "$n" "$articles" "$batch"
    git -C "$dir" reset -q --hard
    git -C "$dir" gc -q
    echo "generated $n captures over $articles articles in $(( ($(date +%s%N) - start) / 1000000 )) ms"
    touch "$dir/.git/generated"
  fi
  # Warm whatever the build under test keeps under .git/prov, then time it.
  last=$(( (n - 1) % articles ))
  art=$(printf 'story-%06d' "$last")
  "$prov" --archive "$dir" log "$art" >/dev/null
  a=$("$prov" --archive "$dir" log "$art" --json | grep -m1 '"capture"' | cut -d'"' -f4)
  b=$("$prov" --archive "$dir" log "$art" --json | grep '"capture"' | tail -1 | cut -d'"' -f4)
  echo "== $n captures (prov: $prov)"
  hyperfine -N --warmup 2 --runs 10 --style basic --export-markdown "$work/read-$n.md" \
    "$prov --archive $dir log $art" \
    "$prov --archive $dir show $art" \
    "$prov --archive $dir diff $a $b"
  "$prov" --archive "$dir" log >/dev/null
  hyperfine -N --warmup 1 --runs 3 --style basic "$prov --archive $dir log"
  "$prov" --archive "$dir" verify >/dev/null
  start=$(date +%s%N)
  out=$("$prov" --archive "$dir" verify --json)
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  bytes=$(echo "$out" | grep -m1 '"bytes"' | tr -dc 0-9)
  echo "verify: $bytes bytes in $ms ms = $(( bytes / 1000 / (ms > 0 ? ms : 1) )) MB/s"
  echo "disk: work tree $(du -sk --exclude=.git "$dir" | cut -f1) KB, .git $(du -sk "$dir/.git" | cut -f1) KB"
done
