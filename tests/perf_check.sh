#!/usr/bin/env bash
# perf_check.sh - the CI performance check: fixed runs compared with results/baseline/.
#
# Usage: tests/perf_check.sh [--suite all|sim|real] [--baseline DIR] [--update]
#   --suite     sim: simulated runs, deterministic metrics compared within 0.5%;
#               real: short measured runs, a regression is >50% slower and significant
#               (each suspect rerun twice before it counts); all (default): both
#   --baseline  where the baseline result files are (default results/baseline)
#   --update    run the suite and write its results as the new baseline instead
# Environment: JF_BENCH (default build/bench), JF_WORKLOADS as for bench.
# Prints every run's table and its comparison with the baseline.
# Exit status: 0 no regression, 1 a regression, 2 a baseline missing or unusable.
set -u
cd "$(dirname "$0")/.."

bench=${JF_BENCH:-build/bench}
baseline=results/baseline
suite=all
update=0
while [ $# -gt 0 ]; do
    case $1 in
    --suite) suite=$2; shift 2 ;;
    --baseline) baseline=$2; shift 2 ;;
    --update) update=1; shift ;;
    *) echo "perf-check: unknown argument $1 (see tests/perf_check.sh)" >&2; exit 2 ;;
    esac
done
case $suite in all | sim | real) ;; *) echo "perf-check: --suite all|sim|real" >&2; exit 2 ;; esac

# name|bench arguments. Simulated runs are deterministic: one repetition each.
sim_cases=(
    "sim-bottleneck|--workload bottleneck --cores 64"
    "sim-balanced|--workload balanced --cores 2"
    "sim-phase-shift|--workload phase-shift --cores 16"
    "sim-many-stages|--workload many-stages --cores 256 --items 10000"
    "sim-bursty-exhaustive|--workload bursty --cores 8 --strategy scheduled
                           --policy exhaustive"
    "sim-skewed-sainte-lague|--workload skewed --cores 32 --strategy scheduled
                             --policy sainte-lague"
)
# Measured runs: short, on 2 cores, compared with a gross threshold. The
# engine's strategies only: tbb would check the TBB library, not jefferson.
engine="--strategy single,per-stage,n-per-stage,scheduled"
real_cases=(
    "real-bottleneck|--workload bottleneck --cores 2 --items 10000 --repeat 7 --warmup 1 $engine"
    "real-balanced|--workload balanced --cores 2 --items 10000 --repeat 7 --warmup 1 $engine"
)
cases=()
[ "$suite" = real ] || cases+=("${sim_cases[@]}")
[ "$suite" = sim ] || cases+=("${real_cases[@]}")

tmp=$(mktemp -d "${TMPDIR:-/tmp}/perf-check.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$baseline" || exit 2

failed=() broken=() passed=0
for c in "${cases[@]}"; do
    name=${c%%|*}
    set -f # split the arguments on white space (newlines too), expand no globs
    args=(${c#*|})
    set +f
    args+=(--no-trace --no-history --out "$tmp/$name")
    case $name in sim-*) args+=(--sim) ;; esac
    if [ "$update" = 1 ]; then
        echo "== perf-baseline: $name: bench ${args[*]}"
        if "$bench" "${args[@]}" && cp "$tmp/$name/result.json" "$baseline/$name.json"; then
            passed=$((passed + 1))
        else
            broken+=("$name")
        fi
        echo
        continue
    fi
    case $name in real-*) args+=(--threshold 50 --confirm 2) ;; esac
    args+=(--compare "$baseline/$name.json")
    echo "== perf-check: $name: bench ${args[*]}"
    if [ ! -f "$baseline/$name.json" ]; then
        echo "perf-check: $name: no baseline $baseline/$name.json (make perf-baseline)" >&2
        broken+=("$name")
        continue
    fi
    "$bench" "${args[@]}"
    case $? in
    0) passed=$((passed + 1)) ;;
    1) failed+=("$name") ;;
    *) broken+=("$name") ;;
    esac
    echo
done

what=checks
[ "$update" = 1 ] && what="baseline files written to $baseline"
echo "perf-check: ${#cases[@]} $what: $passed passed, ${#failed[@]} regressed," \
    "${#broken[@]} unusable"
[ ${#failed[@]} -eq 0 ] || echo "perf-check: REGRESSION in ${failed[*]}"
[ ${#broken[@]} -eq 0 ] || echo "perf-check: could not check ${broken[*]}"
[ ${#broken[@]} -eq 0 ] || exit 2
[ ${#failed[@]} -eq 0 ] || exit 1
exit 0
