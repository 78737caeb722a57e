#!/usr/bin/env bash
# Every benchmark of the project in one run, each against its goal or its peer, with ratios.
#
# Usage (from a fresh clone, after the README set-up, i.e. a Rust toolchain):
#   bash benches/compare.sh            # everything (~15 min on 2 cores, most of it building)
#   QUICK=1 bash benches/compare.sh    # fewer runs per measurement
#
# What it measures, and how (CPU time where the machine may be shared, since wall-clock time on
# a loaded machine measures the other tenants):
#   parse_text   prescriptions/s of parse + JSON over corpus/text, one core, CPU time, median
#                of 9 runs (bench binary in SHOHOSEN_BENCH_PASSES mode under bash `time`)
#                                                                            goal >= 50,000/s
#   jahis        2D-symbol contents/s of parse to model (real sample external-2), CPU time,
#                median of 9 runs (bench binary in JAHIS_CPU_N mode)        goal >= 200,000/s
#   master_load  13,057-row price list + 2026 target list, criterion median       goal < 100 ms
#   fee          resolve + compute for FEES.md T01, criterion median              (no goal; reported)
#   batch        10,000 generated prescriptions, jobs=1 vs 2, peak RSS (benches/batch.sh)
#                                                        goal < 100 MB RSS, >= 1.8x on 2 threads
#   pdf          whole-process `shohosen parse` vs the peer `pdftotext -layout` on every PDF of
#                ../shared/samples/pdf and corpus/pdf (benches/pdf_vs_pdftotext.sh; installs
#                poppler-utils)                                              goal ratio <= 1.0 each
# Results go to target/compare/*.log; the summary at the end is what BENCHMARKS.md records.
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/compare
mkdir -p "$out"
QUICK=${QUICK:-}
passes=${QUICK:+100}; passes=${passes:-400}
symbols=${QUICK:+40000}; symbols=${symbols:-200000}
pdf_runs=${QUICK:+5}; pdf_runs=${pdf_runs:-20}
reps=${QUICK:+3}; reps=${reps:-9}

say() { printf '%s\n' "$*" | tee -a "$out/summary.txt"; }
: >"$out/summary.txt"
say "== shohosen benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC')"
say "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')), $(free -g | awk '/Mem:/{print $2}') GiB; load $(cut -d' ' -f1-3 /proc/loadavg)"
say "toolchain: $(rustc --version)"

echo "building the benches (release profile: fat LTO, takes a few minutes)…" >&2
cargo bench --no-run --message-format=json 2>/dev/null >"$out/build.json"
exe() { # the executable of bench $1
  grep -o "\"executable\":\"[^\"]*/deps/$1-[^\"]*\"" "$out/build.json" | tail -1 | cut -d'"' -f4
}

# CPU seconds (user + sys) of a command; its stdout/stderr go to the log named $1.
cpu_secs() {
  local log=$1
  shift
  local TIMEFORMAT='%3U %3S'
  { time "$@" >"$log" 2>&1; } 2>&1 | awk '{ printf "%.3f", $1 + $2 }'
}

# --- parse_text -----------------------------------------------------------------------------
# Runs $reps times: the host's other tenants slow single runs by up to half (the VM cannot see
# them), so the median is what is reported, with the fastest and slowest run beside it.
# median_rate N SECS… → "median min max" rates, N items per run
median_rate() {
  local n=$1
  shift
  printf '%s\n' "$@" | awk -v n="$n" '{ r[NR] = n / $1 } END {
    m = NR; for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (r[j] < r[i]) { t = r[i]; r[i] = r[j]; r[j] = t }
    med = (m % 2) ? r[(m + 1) / 2] : (r[m / 2] + r[m / 2 + 1]) / 2
    printf "%.0f %.0f %.0f", med, r[1], r[m] }'
}
pt=$(exe parse_text)
times=()
for _ in $(seq "$reps"); do
  times+=("$(SHOHOSEN_BENCH_PASSES=$passes cpu_secs "$out/parse_text.log" "$pt")")
done
n=$(grep -o '^[0-9]* prescriptions' "$out/parse_text.log" | cut -d' ' -f1)
read -r rate lo hi <<<"$(median_rate "$n" "${times[@]}")"
say "parse_text:  $n prescriptions per run, $reps runs (CPU s: ${times[*]}) = median $rate/s (slowest $lo, fastest $hi); goal 50000/s; ratio to goal $(awk -v r="$rate" 'BEGIN { printf "%.2f", r / 50000 }')"

# --- jahis ------------------------------------------------------------------------------------
jb=$(exe jahis)
times=()
for _ in $(seq "$reps"); do
  times+=("$(JAHIS_CPU_N=$symbols cpu_secs "$out/jahis.log" "$jb")")
done
read -r rate lo hi <<<"$(median_rate "$symbols" "${times[@]}")"
say "jahis:       $symbols symbols per run, $reps runs (CPU s: ${times[*]}) = median $rate/s (slowest $lo, fastest $hi); goal 200000/s; ratio to goal $(awk -v r="$rate" 'BEGIN { printf "%.2f", r / 200000 }')"

# --- master_load and fee (criterion) ----------------------------------------------------------
mt=${QUICK:+2}; mt=${mt:-5}
crit() { # bench, filter → median in criterion's unit, e.g. "78.1 ms"
  "$(exe "$1")" --bench --warm-up-time 1 --measurement-time "$mt" "$2" \
    >"$out/$1.log" 2>&1 || true
  awk '/time:/ { gsub(/\[|\]/, ""); for (i = 1; i < NF; i++) if ($i == "time:") { print $(i + 3), $(i + 4); exit } }' "$out/$1.log"
}
ml=$(crit master_load 'load/price\+target')
ml_ms=$(echo "$ml" | awk '{ v = $1; u = $2; if (u == "s") v *= 1000; if (u == "µs" || u == "us") v /= 1000; printf "%.1f", v }')
say "master_load: price list + target list in $ml (median); goal < 100 ms; ratio to goal $(awk -v m="$ml_ms" 'BEGIN { printf "%.2f", m / 100 }')"
fee=$(crit fee 'resolve\+compute/T01')
say "fee:         resolve + compute T01 in $fee (median)"

# --- batch ------------------------------------------------------------------------------------
bash benches/batch.sh 10000 >"$out/batch.log" 2>&1 || say "batch: FAILED, see $out/batch.log"
grep -E 'jobs=|speed-up|control' "$out/batch.log" | sed 's/^/batch:       /' | tee -a "$out/summary.txt"

# --- pdf vs pdftotext -------------------------------------------------------------------------
bash benches/pdf_vs_pdftotext.sh "$pdf_runs" 3 >"$out/pdf.log" 2>&1 || say "pdf: FAILED, see $out/pdf.log"
sed 's/^/pdf:         /' "$out/pdf.log" | tee -a "$out/summary.txt"
say "== logs in $out/"
