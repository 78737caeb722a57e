#!/usr/bin/env bash
# Usage: fuzz/run.sh TARGET MINUTES   (TARGET: text | jahis | pdf | pipeline)
#
# Runs a cargo-fuzz (libFuzzer + AddressSanitizer) target for MINUTES, seeded from corpus/.
# Toolchain: the machine's stable Rust. cargo-fuzz needs nightly-only -Z flags; stable rustc
# ships the sanitizer runtimes, so RUSTC_BOOTSTRAP=1 lets the stable compiler accept them.
# Crashes land in fuzz/artifacts/TARGET/; each one gets a regression test before it is fixed.
set -euo pipefail
target=${1:?target: text | jahis | pdf | pipeline}
minutes=${2:-10}
here=$(cd "$(dirname "$0")" && pwd)
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
seeds="$here/corpus/$target"
mkdir -p "$seeds"
case "$target" in
  text) src=(text checks fees) ;;
  jahis) src=(jahis) ;;
  pdf) src=(pdf) ;;
  pipeline) src=(text checks fees jahis pdf bad) ;;
  *) echo "unknown target $target" >&2; exit 2 ;;
esac
for d in "${src[@]}"; do
  [ -d "$here/../corpus/$d" ] || continue
  find "$here/../corpus/$d" -maxdepth 1 -type f ! -name '*.json' ! -name '*.args' ! -name '*.md' \
    -exec cp -n {} "$seeds/" \;
done
cd "$here/.."
RUSTC_BOOTSTRAP=1 cargo fuzz run --fuzz-dir fuzz "$target" "$seeds" -- \
  -max_total_time=$((minutes * 60)) -timeout=10 -rss_limit_mb=2048 -max_len=200000
