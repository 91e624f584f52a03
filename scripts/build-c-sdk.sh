#!/usr/bin/env bash
# Builds the C SDK a backup vendor ships (Linux):
#
#   DEST/include/esecheck.h
#   DEST/lib/libesecheck.so.X.Y.Z  (SONAME libesecheck.so.X) + libesecheck.so.X + libesecheck.so
#   DEST/lib/libesecheck.a         the same, for static linking
#   DEST/lib/pkgconfig/esecheck.pc and esecheck-static.pc
#
# so that `cc app.c $(pkg-config --cflags --libs esecheck)` is all a vendor types.
# The Swift runtime is linked in (-static-stdlib): the shared library needs only glibc, libm,
# libstdc++ and libgcc; it exports only esecheck_* (a linker version script) and is stripped.
# The script fails when any of that does not hold, or when the library exceeds 16 MiB.
#
# usage: scripts/build-c-sdk.sh DEST
# ESECHECK_SCRATCH: SwiftPM's scratch path (default .build). The Swift code is compiled by
# `swift build -c release` with no extra flags, so it shares its objects with the release
# build of ese-bench; only the final links here differ.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 DEST" >&2; exit 2; }
mkdir -p "$1"
dest=$(cd "$1" && pwd)   # before leaving the caller's folder: DEST may be relative to it
cd "$(dirname "$0")/.."
scratch=${ESECHECK_SCRATCH:-.build}
header=Sources/ESECheckC/include/esecheck.h

macro() { sed -n "s/^#define ESECHECK_VERSION_$1 \([0-9]*\)$/\1/p" "$header"; }
major=$(macro MAJOR); minor=$(macro MINOR); patch=$(macro PATCH)
version="$major.$minor.$patch"
grep -q "^#define ESECHECK_VERSION \"$version\"$" "$header" || { echo "ESECHECK_VERSION disagrees with its parts" >&2; exit 1; }

swift build -c release --product ESECheckC --scratch-path "$scratch"
bin=$(swift build -c release --scratch-path "$scratch" --show-bin-path)
objects="$bin/ESECheckC.product/Objects.LinkFileList"
[ -f "$objects" ] || { echo "no $objects: SwiftPM's layout changed" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$dest/include" "$dest/lib/pkgconfig"
cp "$header" "$dest/include/esecheck.h"

# The shared library: the package's objects relinked with the runtime static, esecheck_* only.
cat > "$work/esecheck.map" <<EOF
LIBESECHECK_$major {
  global: esecheck_*;
  local: *;
};
EOF
shared="libesecheck.so.$version"
swiftc -emit-library -static-stdlib -o "$dest/lib/$shared" @"$objects" \
    -Xlinker --version-script="$work/esecheck.map" -Xlinker "-soname=libesecheck.so.$major" -Xlinker --gc-sections
strip --strip-unneeded "$dest/lib/$shared"
ln -sf "$shared" "$dest/lib/libesecheck.so.$major"
ln -sf "libesecheck.so.$major" "$dest/lib/libesecheck.so"

# The static archive: one relocatable object holding the package and the runtime libraries
# its modules name (their autolink entries), every symbol but esecheck_* made local so
# nothing clashes with the vendor's program.
toolchain=$(dirname "$(dirname "$(command -v swiftc)")")
runtime="$toolchain/lib/swift_static/linux"
autolink=$(swift-autolink-extract $(cat "$objects") -o - | grep '^-l' | sort -u)
libraries=""   # the toolchain's static runtime, pulled into the archive
system="-lstdc++"  # the C runtime, left to the vendor's link
for flag in $autolink; do
    if [ -f "$runtime/lib${flag#-l}.a" ]; then libraries="$libraries $flag"; else system="$system $flag"; fi
done
# shellcheck disable=SC2086
ld -r -o "$work/combined.o" "$runtime/x86_64/swiftrt.o" $(cat "$objects") -L"$runtime" --start-group $libraries --end-group
objcopy --wildcard --keep-global-symbol='esecheck_*' --strip-debug "$work/combined.o" "$work/esecheck.o"
rm -f "$dest/lib/libesecheck.a"
ar rcs "$dest/lib/libesecheck.a" "$work/esecheck.o"

description="Integrity checker for Microsoft ESE (JET Blue) databases and transaction logs"
cat > "$dest/lib/pkgconfig/esecheck.pc" <<EOF
prefix=$dest
includedir=\${prefix}/include
libdir=\${prefix}/lib

Name: esecheck
Description: $description
Version: $version
Cflags: -I\${includedir}
Libs: -L\${libdir} -Wl,-rpath,\${libdir} -lesecheck
EOF
cat > "$dest/lib/pkgconfig/esecheck-static.pc" <<EOF
prefix=$dest
includedir=\${prefix}/include
libdir=\${prefix}/lib

Name: esecheck-static
Description: $description (static archive)
Version: $version
Cflags: -I\${includedir}
Libs: \${libdir}/libesecheck.a $system
EOF

# What the SDK promises, checked on what was built.
library="$dest/lib/$shared"
size=$(stat -c %s "$library")
[ "$size" -le $((16 * 1024 * 1024)) ] || { echo "libesecheck.so is $size bytes, over 16 MiB" >&2; exit 1; }
exports=$(nm -D --defined-only "$library" | awk '$2 ~ /^[A-Z]$/ && $2 != "A" {print $3}' | sed 's/@.*//')
foreign=$(echo "$exports" | grep -v '^esecheck_' || true)
[ -z "$foreign" ] || { echo "exported besides esecheck_*: $foreign" >&2; exit 1; }
needed=$(readelf -d "$library" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
for lib in $needed; do
    case "$lib" in libc.so.*|libm.so.*|libstdc++.so.*|libgcc_s.so.*|ld-linux*) ;;
        *) echo "libesecheck.so needs $lib (only the C runtime is allowed)" >&2; exit 1 ;;
    esac
done
soname=$(readelf -d "$library" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$soname" = "libesecheck.so.$major" ] || { echo "SONAME is '$soname'" >&2; exit 1; }
echo "esecheck $version SDK in $dest: libesecheck.so $size bytes, $(echo "$exports" | wc -l) exports, needs: $needed;" \
     "libesecheck.a $(stat -c %s "$dest/lib/libesecheck.a") bytes"
