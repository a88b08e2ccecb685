#!/bin/sh
# check-api.sh - the public API is what include/jefferson/ says it is.
#
#   mk/check-api.sh INCLUDE_DIR SHARED_LIB
#
# 1. Every header of INCLUDE_DIR/jefferson/ compiles alone, twice in a row
#    (include guard), as C11 with -Wall -Wextra -Werror and no feature
#    macros, and includes only libc headers and its siblings.
# 2. The shared library exports (nm -D --defined-only) exactly the
#    functions the headers declare JF_API: nothing internal leaks out,
#    nothing declared is missing.
# Prints what is wrong and exits 1; prints one summary line and exits 0.
set -eu

inc=$1
lib=$2
cc=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

# The headers of ISO C11's library.
libc='assert|complex|ctype|errno|fenv|float|inttypes|iso646|limits|locale|math|setjmp|signal'
libc="$libc|stdalign|stdarg|stdatomic|stdbool|stddef|stdint|stdio|stdlib|stdnoreturn|string"
libc="$libc|tgmath|threads|time|uchar|wchar|wctype"
for h in "$inc"/jefferson/*.h; do
    name=jefferson/${h##*/}
    bad=$(grep -E '^[[:space:]]*#[[:space:]]*include' "$h" |
          grep -Ev "<($libc)\.h>|\"jefferson/[a-z_]+\.h\"" || true)
    if [ -n "$bad" ]; then
        echo "check-api: $name includes more than libc and jefferson/: $bad" >&2
        fail=1
    fi
    printf '#include "%s"\n#include "%s"\ntypedef int check_api_nonempty;\n' \
        "$name" "$name" >"$tmp/alone.c"
    if ! "$cc" -std=c11 -Wall -Wextra -Werror -pedantic -I"$inc" -fsyntax-only \
            "$tmp/alone.c" 2>"$tmp/err"; then
        echo "check-api: $name does not compile alone:" >&2
        sed 's/^/    /' "$tmp/err" >&2
        fail=1
    fi
done

# Declared: the function named on every JF_API line.
sed -n 's/^JF_API [^(]*[ *]\(jf_[a-z0-9_]*\)(.*/\1/p' "$inc"/jefferson/*.h |
    sort -u >"$tmp/declared"
nm -D --defined-only "$lib" | awk '{ print $NF }' | sort -u >"$tmp/exported"
extra=$(comm -13 "$tmp/declared" "$tmp/exported")
missing=$(comm -23 "$tmp/declared" "$tmp/exported")
if [ -n "$extra" ]; then
    echo "check-api: ${lib##*/} exports what include/jefferson/ does not declare:" $extra >&2
    fail=1
fi
if [ -n "$missing" ]; then
    echo "check-api: ${lib##*/} lacks what include/jefferson/ declares:" $missing >&2
    fail=1
fi
[ "$fail" = 0 ] || exit 1
echo "check-api: $(ls "$inc"/jefferson/*.h | wc -l) headers compile alone;" \
     "${lib##*/} exports their $(wc -l <"$tmp/declared") functions and nothing else"
