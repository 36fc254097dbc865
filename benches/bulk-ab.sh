#!/usr/bin/env bash
# Bulk capture at 1,000 against 100,000 captures, for one build or several side by side
# (issue 9, item 3): a batch of 1,000 corpus captures (examples/gen_corpus.rs) is captured
# with `prov snapshot --from` into fresh copies of two synthetic archives made by
# examples/gen_archive.rs through git fast-import: 1,000 captures over 200 articles, and
# 100,000 over 20,000 articles (50 captures a commit). A 300-capture batch goes first, so
# that building the match index is not timed. Much quicker than benches/scale.sh (minutes,
# not hours), for comparing builds; scale.sh remains the measure of record.
#
#   benches/bulk-ab.sh [PROV...]          (default: this tree's release build)
#   ROUNDS=2 WORK=/tmp/ab benches/bulk-ab.sh /tmp/prov-old target/release/prov
set -euo pipefail
cd "$(dirname "$0")/.."
T=${CARGO_TARGET_DIR:-target}
WORK=${WORK:-$T/bulk-ab}
ROUNDS=${ROUNDS:-2}
cargo build --release --locked --quiet --bin prov --example gen_archive --example gen_corpus
bin=$(realpath "$T/release")
[ $# -gt 0 ] || set -- "$bin/prov"
export PROV_NOW=2026-11-28T10:00:00Z GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
mkdir -p "$WORK"
cd "$WORK"
for spec in "1000 200 1" "100000 20000 50"; do
  read -r n articles batch <<<"$spec"
  if [ ! -f "a$n/.git/generated" ]; then
    rm -rf "a$n"
    "$bin/prov" init "a$n" >/dev/null
    "$bin/examples/gen_archive" "a$n" "$n" "$articles" "$batch"
    git -C "a$n" reset -q --hard
    git -C "a$n" gc -q
    touch "a$n/.git/generated"
  fi
done
[ -f warm/list.txt ] || "$bin/examples/gen_corpus" --captures 100000 --start 0 --count 300 --out warm 2>/dev/null
[ -f batch/list.txt ] || "$bin/examples/gen_corpus" --captures 100000 --start 300 --count 1000 --out batch 2>/dev/null
for round in $(seq "$ROUNDS"); do
  for prov in "$@"; do
    for n in 1000 100000; do
      # A copy whose git objects are shared (hard links; git never changes them in place),
      # and whose .git/prov is its own (the match index's tail is appended in place).
      rm -rf x
      cp -al "a$n" x
      rm -rf x/.git/prov
      [ ! -d "a$n/.git/prov" ] || cp -a "a$n/.git/prov" x/.git/prov
      "$prov" --archive x snapshot --from warm/list.txt >/dev/null 2>&1 || true
      start=$(date +%s%N)
      "$prov" --archive x snapshot --from batch/list.txt >/dev/null 2>&1 || true
      ms=$(( ($(date +%s%N) - start) / 1000000 ))
      echo "round $round, $prov, $n captures: 1,000 more in $ms ms ($(( 1000000 / ms )) captures/s)"
    done
  done
done
rm -rf x
