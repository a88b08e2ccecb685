#!/usr/bin/env bash
# run.sh - reruns every measurement of docs/scheduling-study.md.
#
# Usage: docs/study/run.sh [OUT_DIR]     (default /tmp/jefferson-study)
# Prints markdown tables to stdout; the runs' results directories (with
# their SVG timelines and index.html) are kept under OUT_DIR. Real runs
# use this machine's cores; simulated runs (--sim) are deterministic.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-/tmp/jefferson-study}
bench=build/bench
mkdir -p "$out"
[ -x "$bench" ] || make -s

policies="exhaustive dhondt sainte-lague adams"

# One run; prints its CSV rows without the header.
run() {
    local dir=$1
    shift
    "$bench" "$@" --out "$out/$dir" --force --no-history --format csv 2>/dev/null | tail -n +2
}

# median wall (ms) of a strategy/policy row from CSV on stdin
col() { awk -F, -v s="$1" -v p="$2" '$2==s && $3==p {printf "%.2f", $6/1e6}'; }
eff() { awk -F, -v s="$1" -v p="$2" '$2==s && $3==p {printf "%.0f%%", $18*100}'; }

echo "## 1. Policies: median wall ms (efficiency)"
echo
for mode in real sim; do
    if [ "$mode" = real ]; then cores_list="2"; else cores_list="8 32 256"; fi
    for cores in $cores_list; do
        echo "### $mode, $cores cores"
        echo
        echo "| workload | $(echo $policies | sed 's/ / | /g') |"
        echo "|---|---|---|---|---|"
        for w in bottleneck balanced skewed phase-shift many-stages tiny-items mixed; do
            row="| $w"
            for p in $policies; do
                if [ "$mode" = real ]; then
                    csv=$(run "p-$w-$p-$cores" --workload "$w" --cores "$cores" --strategy scheduled \
                          --policy "$p" --repeat 5 --no-trace --no-baseline)
                else
                    items=$((cores >= 32 ? 400000 : 100000))
                    csv=$(run "p-$w-$p-$cores-sim" --workload "$w" --cores "$cores" --sim \
                          --strategy scheduled --policy "$p" --items "$items" --no-trace --no-baseline)
                fi
                row="$row | $(echo "$csv" | col scheduled "$p") ($(echo "$csv" | eff scheduled "$p"))"
            done
            echo "$row |"
        done
        echo
    done
done

echo "## 2. Batch size: throughput and latency (bursty, real, 2 cores, scheduled dhondt)"
echo
echo "| batch | median ms | items/s | p50 latency µs | p99 latency µs |"
echo "|---:|---:|---:|---:|---:|"
for b in 1 4 16 64 256 adaptive; do
    batch=(--batch "$b"); [ "$b" = adaptive ] && batch=()
    run "b-$b" --workload bursty --cores 2 --strategy scheduled "${batch[@]}" --repeat 3 \
        --no-trace --no-baseline |
        awk -F, -v b="$b" '$2=="scheduled" {printf "| %s | %.2f | %.0f | %.1f | %.1f |\n",
            b, $6/1e6, $15, $21/1e3, $23/1e3}'
done
echo
echo "| batch | tiny-items median ms | efficiency |"
echo "|---:|---:|---:|"
for b in 1 4 16 64 256 adaptive; do
    batch=(--batch "$b"); [ "$b" = adaptive ] && batch=()
    run "bt-$b" --workload tiny-items --cores 2 --strategy scheduled "${batch[@]}" --repeat 3 \
        --no-trace --no-baseline |
        awk -F, -v b="$b" '$2=="scheduled" {printf "| %s | %.2f | %.0f%% |\n", b, $6/1e6, $18*100}'
done
echo

echo "## 3. Efficiency as cores grow (simulated, skewed, 400000 items)"
echo
echo "| cores | single | per-stage | n-per-stage | scheduled (dhondt) | scheduled (adams) |"
echo "|---:|---:|---:|---:|---:|---:|"
for cores in 1 2 4 8 16 64 256; do
    a=$(run "c-$cores" --workload skewed --cores "$cores" --sim --items 400000 --no-trace \
        --strategy all)
    d=$(run "c-$cores-adams" --workload skewed --cores "$cores" --sim --items 400000 --no-trace \
        --strategy scheduled --policy adams --no-baseline)
    echo "| $cores | $(echo "$a" | eff single '') | $(echo "$a" | eff per-stage '') |" \
         "$(echo "$a" | eff n-per-stage '') | $(echo "$a" | eff scheduled dhondt) |" \
         "$(echo "$d" | eff scheduled adams) |"
done
echo

echo "## 4. Following a moving bottleneck (phase-shift)"
echo
echo "| policy | real 2 cores ms (eff) | sim 8 cores ms (eff) |"
echo "|---|---:|---:|"
for p in $policies; do
    r=$(run "ph-$p" --workload phase-shift --cores 2 --strategy scheduled --policy "$p" --repeat 3)
    s=$(run "ph-$p-sim" --workload phase-shift --cores 8 --sim --strategy scheduled --policy "$p")
    echo "| $p | $(echo "$r" | col scheduled "$p") ($(echo "$r" | eff scheduled "$p")) |" \
         "$(echo "$s" | col scheduled "$p") ($(echo "$s" | eff scheduled "$p")) |"
done
echo
echo "Timelines: $out/ph-*/index.html"
