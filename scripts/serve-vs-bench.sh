#!/usr/bin/env bash
# The server's 8 streaming clients against `bench --batch 8`, alternated round by round so both see the
# same machine (issue #14: aggregate t/s within 10 % of the bench). Usage:
#   scripts/serve-vs-bench.sh MODEL.gguf [ROUNDS=3] [TOKENS=128] [PORT=8089]
# Prints one line per round (bench S t/s, server aggregate t/s, ratio) and the mean ratio with a t-interval.
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

ratios=()
for r in $(seq 1 "$rounds"); do
  # S t/s: all tokens (prompts and generated) over the whole run, as the load test's aggregate counts its wall time
  b=$("$strata" bench -m "$model" -t 2 -n "$tokens" --batch 8 --batch-prompt "$prompt_tokens" -r 1 2>/dev/null \
      | awk -F'|' '/^\| +[0-9]+ \| +[0-9]+ \| +8 \|/ {gsub(/ /, "", $9); gsub(/ /, "", $12); print $9, $12}')
  s=$("$strata" loadtest --url "http://127.0.0.1:$port" --clients 8 --requests 1 -n "$tokens" 2>/dev/null \
      | awk -F'|' '/^\| 8 \|/ {gsub(/ /, "", $7); print $7}')
  read -r stg total <<<"$b"
  ratio=$(awk -v s="$s" -v b="$stg" 'BEGIN {printf "%.3f", s / b}')
  ratios+=("$ratio")
  echo "round $r: bench --batch 8 S_TG $stg t/s (S $total incl. prompts), server 8 clients $s t/s, server / bench S_TG $ratio"
done
printf '%s\n' "${ratios[@]}" | awk '{x[NR]=$1; s+=$1} END {m=s/NR; for (i=1;i<=NR;i++) v+=(x[i]-m)^2; sd=NR>1?sqrt(v/(NR-1)):0;
  t[1]=12.71; t[2]=4.30; t[3]=3.18; t[4]=2.78; t[5]=2.57; t[6]=2.45; t[7]=2.36; t[8]=2.31; t[9]=2.26; tq=(NR-1 in t)?t[NR-1]:2.0;
  printf "mean ratio %.3f, 95%% t-interval %.3f .. %.3f (n = %d)\n", m, m - tq*sd/sqrt(NR), m + tq*sd/sqrt(NR), NR}'
