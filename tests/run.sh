#!/usr/bin/env bash
# run.sh - runs cmocka test programs and sums their verdicts into one line.
# Usage: tests/run.sh PROGRAM...   Exit status: 0 when every program passed.
set -u
passed=0 failed=0 skipped=0 broken=0
for t in "$@"; do
    echo "== $t"
    out=$("./$t" 2>&1)
    rc=$?
    printf '%s\n' "$out"
    p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
    f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
    s=$(printf '%s\n' "$out" | sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' | tail -n 1)
    skipped=$((skipped + ${s:-0}))
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
    if [ "$rc" -ne 0 ] && [ -z "$f" ]; then
        echo "$t: exited with status $rc"   # crashed, or a sanitizer stopped it
        broken=$((broken + 1))
    fi
done
failed=$((failed + broken))
if [ "$skipped" -gt 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
else
    echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
