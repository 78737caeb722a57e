#!/usr/bin/env bash
# Whole-process time per PDF: `shohosen parse` vs `pdftotext -layout FILE -`, side by side.
#
# Usage (from the crate root):  bash benches/pdf_vs_pdftotext.sh [RUNS] [WARMUP]
#
# Builds release; installs poppler-utils (pdftotext) with apt-get when missing. For each file
# times, in ONE hyperfine run (so both see the same machine load):
#   ours:     target/release/shohosen parse --format json --date 2024-10-02 FILE
#             (the real command: CLI, masters, PDF reading incl. its isolation child — a
#             fork() of the process on Linux, src/pdf/forked.rs — text parser, fees, checks,
#             JSON)
#   theirs:   pdftotext -layout FILE -
#   extract:  target/release/examples/pdf_read FILE (pdf::read in-process; extra column)
# Prints per file the mean milliseconds and the ratio ours/theirs (goal <= 1.0, aim 0.5),
# then the geometric mean of the ratios. Without hyperfine (apt-get install hyperfine) a
# loop of RUNS runs timed with `date +%s%N` is used instead. Error files (encrypted, scan)
# are timed as they are handled (non-zero exit ignored). Files: ../shared/samples/pdf/*.pdf
# and corpus/pdf/*.pdf.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-30}"
WARMUP="${2:-5}"

if ! command -v pdftotext >/dev/null 2>&1; then
  echo "installing poppler-utils (pdftotext)…" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null
fi

cargo build --release --quiet --bin shohosen --example pdf_read
BIN=target/release/shohosen
EX=target/release/examples/pdf_read
OURS="$BIN parse --format json --date 2024-10-02"

FILES=()
for f in ../shared/samples/pdf/*.pdf corpus/pdf/*.pdf; do
  [ -f "$f" ] && FILES+=("$f")
done

# mean milliseconds of RUNS runs of "$@" (output discarded)
loop_ms() {
  local start end
  for ((i = 0; i < WARMUP; i++)); do "$@" >/dev/null 2>&1 || true; done
  start=$(date +%s%N)
  for ((i = 0; i < RUNS; i++)); do "$@" >/dev/null 2>&1 || true; done
  end=$(date +%s%N)
  awk -v a="$start" -v b="$end" -v n="$RUNS" 'BEGIN { printf "%.2f", (b - a) / n / 1e6 }'
}

hyper_ms() { # $1 file; prints "ours theirs extract"
  local csv
  csv=$(mktemp)
  hyperfine -N -i --warmup "$WARMUP" --runs "$RUNS" --export-csv "$csv" \
    "$OURS $1" "pdftotext -layout $1 -" "$EX $1" >/dev/null 2>&1
  awk -F, 'NR == 2 { o = $2 } NR == 3 { t = $2 } NR == 4 { x = $2 }
    END { printf "%.2f %.2f %.2f\n", o * 1000, t * 1000, x * 1000 }' "$csv"
  rm -f "$csv"
}

if command -v hyperfine >/dev/null 2>&1; then TIMER="hyperfine -N"; else TIMER="date +%s%N loop"; fi
echo "ours:    $OURS FILE"
echo "theirs:  pdftotext -layout FILE - ($(pdftotext -v 2>&1 | head -1))"
echo "extract: $EX FILE (pdf::read in-process, for reference)"
echo "timer:   $TIMER, $WARMUP warm-up + $RUNS runs per command; whole process, output discarded"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime) on $(nproc) cores"
printf '%-38s %9s %12s %7s %11s\n' file "ours ms" "pdftotext ms" ratio "extract ms"
LOGSUM=0
N=0
WORST=0
for f in "${FILES[@]}"; do
  if [ "$TIMER" != "date +%s%N loop" ]; then
    read -r ours theirs extract < <(hyper_ms "$f")
  else
    ours=$(loop_ms $OURS "$f")
    theirs=$(loop_ms pdftotext -layout "$f" -)
    extract=$(loop_ms "$EX" "$f")
  fi
  ratio=$(awk -v o="$ours" -v t="$theirs" 'BEGIN { printf "%.2f", o / t }')
  LOGSUM=$(awk -v s="$LOGSUM" -v r="$ratio" 'BEGIN { printf "%.6f", s + log(r) }')
  WORST=$(awk -v w="$WORST" -v r="$ratio" 'BEGIN { print (r > w ? r : w) }')
  N=$((N + 1))
  printf '%-38s %9s %12s %7s %11s\n' "$(basename "$f")" "$ours" "$theirs" "$ratio" "$extract"
done
awk -v s="$LOGSUM" -v n="$N" -v w="$WORST" 'BEGIN {
  printf "geometric mean ratio over %d files: %.2f, worst %.2f (goal <= 1.0 per file, aim 0.5)\n",
    n, exp(s / n), w }'
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
