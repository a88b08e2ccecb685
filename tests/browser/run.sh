#!/usr/bin/env bash
# make browser-test: two short runs (one measured, one simulated on 64 cores),
# then their index.html and SVG timelines opened in headless Chromium by
# check.mjs, then timeline.test.mjs (its own simulated runs, and the
# measured one). Screenshots and the runs stay in build/browser/.
#   BENCH      the bench to run (default build/bench)
#   CHROMIUM   the browser (default /usr/bin/chromium)
set -euo pipefail
cd "$(dirname "$0")/../.."

BENCH=${BENCH:-build/bench}
OUT=build/browser
rm -rf "$OUT"
mkdir -p "$OUT"

echo "browser-test: bottleneck, 4000 items, 3 repetitions, 2 cores"
"$BENCH" --workload bottleneck --items 4000 --repeat 3 --cores 2 --no-history \
    --out "$OUT/bottleneck" >"$OUT/bottleneck.log" 2>&1 ||
    { cat "$OUT/bottleneck.log"; exit 1; }
echo "browser-test: bottleneck, simulated on 64 cores"
"$BENCH" --workload bottleneck --sim --cores 64 --repeat 3 --no-history \
    --out "$OUT/sim64" >"$OUT/sim64.log" 2>&1 ||
    { cat "$OUT/sim64.log"; exit 1; }

node tests/browser/check.mjs "$OUT" "$OUT/bottleneck" "$OUT/sim64"
echo "browser-test: timelines under the cursor, at every zoom (timeline.test.mjs)"
JF_BENCH="$(realpath "$BENCH")" JF_BROWSER_RESULTS="$PWD/$OUT/bottleneck" JF_BROWSER_OUT="$PWD/$OUT" \
    node --test tests/browser/timeline.test.mjs
