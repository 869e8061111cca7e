#!/usr/bin/env bash
# The server's 8 streaming clients against `bench --batch 8`, alternated round by round so both see the
# same machine (issue #14: aggregate t/s within 10 % of the bench). Usage:
#   scripts/serve-vs-bench.sh MODEL.gguf [ROUNDS=3] [TOKENS=128] [PORT=8089]
# Prints one line per round (bench S_TG and whole-run t/s, server aggregate t/s, both ratios) and each ratio's mean
# with a t-interval.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
model="${1:?usage: scripts/serve-vs-bench.sh MODEL.gguf [ROUNDS] [TOKENS] [PORT]}"
rounds="${2:-3}"; tokens="${3:-128}"; port="${4:-8089}"
strata="$here/strata"
# the load test's prompt, "Once upon a time", is 5 tokens with BOS on the Llama 3 vocabulary
prompt_tokens=5

"$strata" serve -m "$model" -t 2 --parallel 8 --port "$port" >/tmp/serve-vs-bench.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 1; done
# warm-up: the server's JIT, so round one is not its compile time
"$strata" loadtest --url "http://127.0.0.1:$port" --clients 8 --requests 1 -n 32 >/dev/null

ratios=(); whole=()
for r in $(seq 1 "$rounds"); do
  # S_TG: the bench's decode steps only. T: its whole run, the 8 prompts' prefill included, as the load test's
  # wall time includes each request's time to first token; 8 x TOKENS / T is the same work as the 8 clients'
  b=$("$strata" bench -m "$model" -t 2 -n "$tokens" --batch 8 --batch-prompt "$prompt_tokens" -r 1 2>/dev/null \
      | awk -F'|' '/^\| +[0-9]+ \| +[0-9]+ \| +8 \|/ {gsub(/ /, "", $9); gsub(/ /, "", $11); print $9, $11}')
  s=$("$strata" loadtest --url "http://127.0.0.1:$port" --clients 8 --requests 1 -n "$tokens" 2>/dev/null \
      | awk -F'|' '/^\| 8 \|/ {gsub(/ /, "", $7); print $7}')
  read -r stg total_s <<<"$b"
  same=$(awk -v t="$total_s" -v n="$tokens" 'BEGIN {printf "%.2f", 8 * n / t}')
  ratio=$(awk -v s="$s" -v b="$stg" 'BEGIN {printf "%.3f", s / b}')
  ratio_same=$(awk -v s="$s" -v b="$same" 'BEGIN {printf "%.3f", s / b}')
  ratios+=("$ratio"); whole+=("$ratio_same")
  echo "round $r: bench --batch 8 S_TG $stg t/s (whole run $same t/s), server 8 clients $s t/s; server / bench S_TG $ratio, / whole run $ratio_same"
done
interval() {
  awk -v what="$1" '{x[NR]=$1; s+=$1} END {m=s/NR; for (i=1;i<=NR;i++) v+=(x[i]-m)^2; sd=NR>1?sqrt(v/(NR-1)):0;
    t[1]=12.71; t[2]=4.30; t[3]=3.18; t[4]=2.78; t[5]=2.57; t[6]=2.45; t[7]=2.36; t[8]=2.31; t[9]=2.26; t[10]=2.23; t[11]=2.20;
    t[12]=2.18; t[13]=2.16; t[14]=2.14; t[15]=2.13; t[16]=2.12; t[17]=2.11; t[18]=2.10; t[19]=2.09; tq=(NR-1 in t)?t[NR-1]:2.0;
    printf "server / %s: mean %.3f, 95%% t-interval %.3f .. %.3f (n = %d)\n", what, m, m - tq*sd/sqrt(NR), m + tq*sd/sqrt(NR), NR}'
}
printf '%s\n' "${ratios[@]}" | interval "bench S_TG"
printf '%s\n' "${whole[@]}" | interval "bench whole run"
