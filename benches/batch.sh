#!/usr/bin/env bash
# Batch QA benchmark (issue: 10,000 prescriptions in < 100 MB peak RSS, >= 1.8x on 2 threads).
# Usage: benches/batch.sh [N]     (default 10000). Installs GNU time if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
command -v /usr/bin/time >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
cargo build --release -q
dir=target/batch-$n
[ -d "$dir" ] && [ "$(ls "$dir" | wc -l)" -eq "$n" ] || { rm -rf "$dir"; cargo run --release -q --example gen_batch -- "$dir" "$n"; }
bin=target/release/shohosen
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $n prescriptions"
declare -A wall
for jobs in 1 2; do
  # Warm the page cache once, then measure.
  $bin check --format json --ndjson --jobs $jobs --date 2024-10-07 "$dir" >/dev/null || true
  /usr/bin/time -f "%e %M" -o /tmp/shohosen-batch-time $bin check --ndjson --jobs $jobs --date 2024-10-07 "$dir" >/dev/null || true
  read -r secs rss < <(tail -n 1 /tmp/shohosen-batch-time)
  wall[$jobs]=$secs
  echo "jobs=$jobs: ${secs}s wall, peak RSS $((rss / 1024)) MB, $(awk -v n=$n -v s=$secs 'BEGIN{printf "%.0f", n/s}') prescriptions/s"
done
awk -v a="${wall[1]}" -v b="${wall[2]}" 'BEGIN{printf "speed-up 2 threads over 1: %.2fx\n", a/b}'
# Control: what the machine itself gives two parallel CPU-bound processes (no I/O, no sharing).
# A VM whose two vCPUs share a physical core or a busy host cannot show 2x, whatever the code.
if command -v python3 >/dev/null; then
  spin() { python3 -c 's=0
for i in range(6000000): s+=i*i'; }
  t0=$(date +%s%N); spin; t1=$(date +%s%N); spin & spin & wait; t2=$(date +%s%N)
  awk -v a=$((t1 - t0)) -v b=$((t2 - t1)) 'BEGIN{printf "control: two CPU-bound processes run %.2fx as fast as one (the machine'"'"'s ceiling)\n", 2*a/b}'
fi
