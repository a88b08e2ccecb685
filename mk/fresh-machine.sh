#!/bin/bash
# fresh-machine.sh - the README's set-up on a machine that has none of the packages.
#
#   mk/fresh-machine.sh [demo-test|test-demo|ci] [DIR]
#
# Builds a minimal Debian (bookworm) root with debootstrap in DIR (default
# /var/tmp/jefferson-fresh; kept and reused as the pristine base), copies
# it, clones this repository's HEAD into the copy and, inside it with
# chroot, runs:
#   demo-test  `make demo` then `make test` (the README's order; default)
#   test-demo  `make test` then `make demo`
#   ci         `bash .ci/run`, as CI runs it
# Prints each command's exit status and whether `make demo` showed the tbb
# row; the full log is DIR/<mode>.log. Needs root, debootstrap and the
# network (Debian's mirror). Exit status: 0 when every command passed.
set -euo pipefail

mode=${1:-demo-test}
dir=${2:-/var/tmp/jefferson-fresh}
repo=$(cd "$(dirname "$0")/.." && pwd)

case "$mode" in
demo-test) cmds=("make demo" "make test") ;;
test-demo) cmds=("make test" "make demo") ;;
ci) cmds=("bash .ci/run") ;;
*) echo "fresh-machine: unknown mode \"$mode\" (demo-test, test-demo, ci)" >&2; exit 2 ;;
esac
[ "$(id -u)" = 0 ] || { echo "fresh-machine: needs root (debootstrap, chroot)" >&2; exit 2; }
command -v debootstrap >/dev/null ||
    { echo "fresh-machine: needs debootstrap (apt-get install debootstrap)" >&2; exit 2; }

mkdir -p "$dir"
base=$dir/base
if [ ! -x "$base/usr/bin/make" ]; then
    echo "fresh-machine: building a minimal bookworm root in $base (a few minutes)"
    rm -rf "$base"
    debootstrap --variant=minbase --include=gcc,g++,make,git,ca-certificates \
        bookworm "$base" http://deb.debian.org/debian >"$dir/debootstrap.log" 2>&1 ||
        { tail -n 20 "$dir/debootstrap.log"; exit 1; }
fi

root=$dir/$mode
log=$dir/$mode.log
rm -rf "$root"
cp -a "$base" "$root"
cp /etc/resolv.conf "$root/etc/resolv.conf"
# The host's own certificate authorities (a proxy's, say), so that apt and
# npm reach the network from the root as they do from the host.
if ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then
    cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
    chroot "$root" update-ca-certificates >/dev/null 2>&1 || true
fi
mounts=()
cleanup() {
    for m in "${mounts[@]}"; do umount -R "$m" 2>/dev/null || true; done
}
trap cleanup EXIT
for m in proc sys dev; do
    mount --rbind "/$m" "$root/$m"
    mounts+=("$root/$m")
done
git clone -q "$repo" "$root/jefferson"

: >"$log"
status=0
for c in "${cmds[@]}"; do
    start=$SECONDS
    rc=0
    chroot "$root" /usr/bin/env NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt \
        /bin/bash -c "cd /jefferson && $c" >>"$log" 2>&1 || rc=$?
    echo "fresh-machine: $c: exit $rc in $((SECONDS - start)) s"
    [ "$rc" = 0 ] || status=1
done
if [ "$mode" != ci ]; then
    if grep -Eq '^tbb +' "$log"; then
        echo "fresh-machine: make demo showed the tbb row"
    else
        echo "fresh-machine: make demo showed NO tbb row"
        status=1
    fi
fi
echo "fresh-machine: log in $log"
exit $status
