#!/usr/bin/env bash
# Whole-process time per PDF: shohosen vs `pdftotext -layout FILE -`, side by side in one run.
#
# Usage (from the crate root):  bash benches/pdf_vs_pdftotext.sh [RUNS]
#
# Builds release; installs poppler-utils (pdftotext) with apt-get when missing. Times
# `shohosen parse FILE` when the binary has that subcommand, otherwise the example
# `pdf_read FILE` (pdf::read on the file, lines printed) — the output says which. Uses hyperfine
# when installed (apt-get install hyperfine), else a loop of RUNS runs with `date +%s%N`.
# Prints per file the mean milliseconds of both and the ratio (goal <= 1.0, aim 0.5), then the
# geometric mean of the ratios. Files: ../shared/samples/pdf/*.pdf and corpus/pdf/*.pdf.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-20}"

if ! command -v pdftotext >/dev/null 2>&1; then
  echo "installing poppler-utils (pdftotext)…" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null
fi

cargo build --release --quiet --bin shohosen --example pdf_read
BIN=target/release/shohosen
if "$BIN" --help 2>/dev/null | grep -qw parse; then
  OURS=("$BIN" parse)
  WHAT="shohosen parse FILE"
else
  OURS=(target/release/examples/pdf_read)
  WHAT="examples/pdf_read FILE (pdf::read; 'shohosen parse' not wired yet)"
fi

FILES=()
for f in ../shared/samples/pdf/*.pdf corpus/pdf/*.pdf; do
  [ -f "$f" ] && FILES+=("$f")
done

# mean milliseconds of RUNS runs of "$@" (output discarded, failures counted as runs too:
# error files such as the encrypted one are timed as they are handled)
loop_ms() {
  local start end
  "$@" >/dev/null 2>&1 || true   # warm-up (page cache)
  start=$(date +%s%N)
  for ((i = 0; i < RUNS; i++)); do "$@" >/dev/null 2>&1 || true; done
  end=$(date +%s%N)
  awk -v a="$start" -v b="$end" -v n="$RUNS" 'BEGIN { printf "%.2f", (b - a) / n / 1e6 }'
}

hyper_ms() { # $1 file; prints "ours theirs"
  local csv
  csv=$(mktemp)
  hyperfine -N -i --warmup 3 --runs "$RUNS" --export-csv "$csv" \
    "${OURS[*]} $1" "pdftotext -layout $1 -" >/dev/null 2>&1
  awk -F, 'NR == 2 { o = $2 } NR == 3 { t = $2 } END { printf "%.2f %.2f\n", o * 1000, t * 1000 }' "$csv"
  rm -f "$csv"
}

if command -v hyperfine >/dev/null 2>&1; then TIMER=hyperfine; else TIMER="date +%s%N loop"; fi
echo "ours: $WHAT"
echo "theirs: pdftotext -layout FILE - ($(pdftotext -v 2>&1 | head -1))"
echo "timer: $TIMER, $RUNS runs per command; whole process, output discarded"
printf '%-42s %10s %12s %7s\n' file "ours ms" "pdftotext ms" ratio
LOGSUM=0
N=0
for f in "${FILES[@]}"; do
  if [ "$TIMER" = hyperfine ]; then
    read -r ours theirs < <(hyper_ms "$f")
  else
    ours=$(loop_ms "${OURS[@]}" "$f")
    theirs=$(loop_ms pdftotext -layout "$f" -)
  fi
  ratio=$(awk -v o="$ours" -v t="$theirs" 'BEGIN { printf "%.2f", o / t }')
  LOGSUM=$(awk -v s="$LOGSUM" -v r="$ratio" 'BEGIN { printf "%.6f", s + log(r) }')
  N=$((N + 1))
  printf '%-42s %10s %12s %7s\n' "$(basename "$f")" "$ours" "$theirs" "$ratio"
done
awk -v s="$LOGSUM" -v n="$N" 'BEGIN { printf "geometric mean ratio over %d files: %.2f (goal <= 1.0, aim 0.5)\n", n, exp(s / n) }'
