#!/bin/sh
# examples-check.sh - examples/ built and run against an installed libjefferson.
#
# Installs this tree into a temporary DESTDIR (PREFIX=/opt/jefferson), copies
# examples/ out of the tree, builds them with pkg-config alone
# (PKG_CONFIG_PATH and PKG_CONFIG_SYSROOT_DIR pointing into the DESTDIR):
# once against the shared library (run with LD_LIBRARY_PATH into the
# DESTDIR, and checked to load that library) and once against
# libjefferson.a; builds and runs the README's library example. Then runs
# each program under every strategy the library has (and every policy for
# scheduled) on a small input, compares its output with what coreutils or
# awk compute, and checks the timeline and the page it wrote. Last, make
# uninstall must leave no file in the DESTDIR. Run by `make
# examples-check`; exits 1 at the first difference.
set -eu

make=${MAKE:-make}
src=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dest=$tmp/dest
prefix=/opt/jefferson

fail() {
    echo "examples-check: $*" >&2
    exit 1
}

$make -s install DESTDIR="$dest" PREFIX="$prefix" >/dev/null
export PKG_CONFIG_PATH="$dest$prefix/lib/pkgconfig"
export PKG_CONFIG_SYSROOT_DIR="$dest"
pkg-config --exists jefferson || fail "pkg-config does not find the installed jefferson.pc"

mkdir "$tmp/shared" "$tmp/static"
cp "$src"/examples/*.c "$src"/examples/*.h "$src"/examples/Makefile "$tmp/shared/"
cp "$tmp"/shared/* "$tmp/static/"
$make -s -C "$tmp/shared" CFLAGS='-O2 -Werror' >/dev/null
$make -s -C "$tmp/static" CFLAGS='-O2 -Werror' LINK=static >/dev/null
readelf -d "$tmp/static/wordfreq" | grep -q 'libjefferson' &&
    fail "the static build still needs libjefferson.so"
LD_LIBRARY_PATH="$dest$prefix/lib" ldd "$tmp/shared/wordfreq" |
    grep -q "libjefferson.so.[0-9]* => $dest$prefix/lib/" ||
    fail "the shared build does not load the installed libjefferson.so"

# The README's example, as a user would build it: one cc line.
sed -n '/<!-- library-example:begin -->/,/<!-- library-example:end -->/p' "$src/README.md" |
    sed '/^<!--/d; /^```/d' >"$tmp/readme.c"
[ -s "$tmp/readme.c" ] || fail "README.md has no library example"
${CC:-cc} -std=c11 -Wall -Wextra -Werror -Wno-unused-parameter -o "$tmp/readme" "$tmp/readme.c" \
    $(pkg-config --cflags --libs jefferson) || fail "the README's example does not build"
(cd "$tmp" && LD_LIBRARY_PATH="$dest$prefix/lib" ./readme >readme.out) ||
    fail "the README's example failed: $(cat "$tmp/readme.out")"
grep -q '^100000 items in .* in order: 1 (success)$' "$tmp/readme.out" &&
    grep -q '<svg' "$tmp/upper.svg" ||
    fail "the README's example printed '$(cat "$tmp/readme.out")' or wrote no upper.svg"

# Inputs and what the output must be.
export LC_ALL=C
cat "$src/README.md" "$src/docs/engine.md" >"$tmp/text"
tr -cs '[:alnum:]' '\n' <"$tmp/text" | tr '[:upper:]' '[:lower:]' | grep -v '^$' | sort |
    uniq -c | sort -k1,1nr -k2,2 | awk '{ print $1, $2 }' >"$tmp/words.want"
awk -v logs="$tmp/logs" -v want="$tmp/logs.want" 'BEGIN {
    split("error info warn", level, " ")
    for (i = 0; i < 600; i++) {
        if (i % 13 == 5) { print "not json " i >logs; continue }
        l = level[i % 3 + 1]; ts = sprintf("2026-12-07T12:%02d:%02dZ", int(i / 60), i % 60)
        msg = i % 7 == 0 ? "said \\\"hi\\\" to C:\\\\temp" : "request " i " done"
        json = "{\"ts\":\"" ts "\", \"level\":\"" l "\",\"service\":\"svc" i % 5 "\","
        json = json "\"msg\":\"" msg "\""
        fmt = "ts=" ts " level=" l " service=svc" i % 5 " msg=\"" msg "\""
        if (i % 11 == 0) { json = json ",\"code\": " i; fmt = fmt " code=" i }
        print json "}" >logs
        if (l == "error") print fmt >want
    }
}'

strategies=$(LD_LIBRARY_PATH="$dest$prefix/lib" "$tmp/shared/wordfreq" --strategy list)
[ -n "$strategies" ] || fail "wordfreq --strategy list printed nothing"
runs=0
# check_run PROGRAM WANT ARGS...: the output is WANT's, the SVG and page are there.
check_run() {
    prog=$1 want=$2
    shift 2
    rm -rf "$tmp/out" "$tmp/page" "$tmp/timeline.svg" && mkdir "$tmp/page"
    LD_LIBRARY_PATH="$dest$prefix/lib" "$prog" --cores 2 --out "$tmp/out" \
        --svg "$tmp/timeline.svg" --html "$tmp/page" "$@" 2>"$tmp/err" ||
        fail "${prog##*/} $*: exit $? ($(tail -n 1 "$tmp/err"))"
    cmp -s "$tmp/out" "$want" || fail "${prog##*/} $*: output differs from $want"
    grep -q '<svg' "$tmp/timeline.svg" || fail "${prog##*/} $*: no SVG timeline"
    [ -s "$tmp/page/index.html" ] && [ -s "$tmp/page/timeline.svg" ] ||
        fail "${prog##*/} $*: no page"
    runs=$((runs + 1))
}
for build in shared static; do
    for s in $strategies; do
        policies=dhondt
        [ "$s" != scheduled ] || policies="exhaustive dhondt sainte-lague adams"
        for p in $policies; do
            check_run "$tmp/$build/wordfreq" "$tmp/words.want" --strategy "$s" --policy "$p" \
                "$tmp/text"
            check_run "$tmp/$build/logfilter" "$tmp/logs.want" --strategy "$s" --policy "$p" \
                --where level=error "$tmp/logs"
        done
    done
done
# make uninstall takes back every file install put there.
$make -s uninstall DESTDIR="$dest" PREFIX="$prefix" >/dev/null
left=$(find "$dest" ! -type d)
[ -z "$left" ] || fail "make uninstall left" $left

echo "examples-check: wordfreq and logfilter built against $prefix in a DESTDIR" \
     "(shared and static), $runs runs over $(echo $strategies | wc -w) strategies: outputs right"
