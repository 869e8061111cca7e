#!/usr/bin/env bash
# Soak test on loopback: starts `./strata serve` (with the launcher's server GC settings), loads it with 32 clients
# (streams with random hang-ups, abandoned requests, oversized and malformed bodies), then checks 5xx, streams,
# /health and RSS after idling against the post-warm-up level. Figures go to docs/reliability.md.
#   scripts/soak.sh [SOAK_SECONDS (default 300)] [MODEL (default ../shared/models/stories260K-F32.gguf)]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
soak="${1:-300}"
model="${2:-$here/../shared/models/stories260K-F32.gguf}"
warmup=60 idle=45
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
cd "$here"
[ -n "${SOAK_SKIP_BUILD:-}" ] || mvn -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/fuzz-cp.txt -Dmdep.includeScope=test >&2
log="$here/target/soak-server.log"
./strata serve -m "$model" --host 127.0.0.1 --port 0 --parallel 4 --queue-size 16 -t 2 > "$log" 2>&1 &
launcher=$!
trap 'kill "$launcher" 2>/dev/null || true' EXIT
port=""
for _ in $(seq 1 240); do
  port="$(grep -o 'http://127.0.0.1:[0-9]*' "$log" | head -1 | cut -d: -f3 || true)"
  [ -n "$port" ] && break
  sleep 0.5
done
[ -n "$port" ] || { echo "soak: the server did not start:" >&2; cat "$log" >&2; exit 1; }
pid="$(pgrep -P "$launcher" java || echo "$launcher")"
echo "soak: server pid $pid on port $port; warm-up ${warmup}s, soak ${soak}s, idle ${idle}s" >&2
"$JAVA_HOME/bin/java" -cp "target/test-classes:target/classes:$(cat target/fuzz-cp.txt)" dev.strata.server.SoakRunner \
  "$port" "$pid" "$warmup" "$soak" "$idle"
