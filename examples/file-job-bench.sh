#!/usr/bin/env bash
# Times an end-to-end file job: generates ROWS trades (CSV), then runs examples/big/job.sql, which
# reads the file twice (a filter + projection to JSON, and a 1-minute VWAP to CSV).
# Usage: examples/file-job-bench.sh [ROWS]   (default 1000000)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROWS="${1:-1000000}"
DIR="$ROOT/examples/big"
awk -v n="$ROWS" 'BEGIN {
  srand(1); print "id,symbol,price,qty,ts";
  for (i = 0; i < n; i++) printf "%d,S%03d,%d.%04d,%d,1700%09d\n", i, int(rand()*500), 100+int(rand()*100), int(rand()*10000), 1+int(rand()*999), i
}' > "$DIR/trades.csv"
"$ROOT/bin/velo" check "$DIR/job.sql" > /dev/null   # builds if needed, outside the timing
start=$(date +%s%N)
"$ROOT/bin/velo" run "$DIR/job.sql"
end=$(date +%s%N)
ms=$(( (end - start) / 1000000 ))
echo "2 jobs x $ROWS records in ${ms} ms (JVM start included): $(( 2 * ROWS * 1000 / (ms > 0 ? ms : 1) )) records/s read"
