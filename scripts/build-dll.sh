#!/usr/bin/env bash
# Cross-builds payclient.dll and its test program for 64- and 32-bit Windows
# with mingw-w64, into build/native/{x64,x86}/. Nothing built is committed.
#   scripts/build-dll.sh            both architectures
#   scripts/build-dll.sh x64        one of them
set -euo pipefail
cd "$(dirname "$0")/.."

src=native
out=build/native
# -static-libgcc: the DLL must need nothing a hospital PC lacks (only KERNEL32, WINHTTP, msvcrt).
cflags=(-std=c99 -O2 -Wall -Wextra -Werror -static-libgcc -s)

build() {
  local arch=$1 triplet=$2 def=$3
  local cc="${triplet}-gcc"
  command -v "$cc" >/dev/null || { echo "build-dll: $cc not found (apt-get install gcc-mingw-w64-${4})" >&2; exit 1; }
  mkdir -p "$out/$arch"
  "$cc" "${cflags[@]}" -shared -o "$out/$arch/payclient.dll" \
    "$src/payclient/payclient.c" "$src/payclient/$def" -lwinhttp
  "$cc" "${cflags[@]}" -o "$out/$arch/payclient_test.exe" "$src/test/payclient_test.c"
  cp "$src/payclient/payclient.h" "$src/payclient/payclient.ini" "$out/$arch/"
  echo "build-dll: $out/$arch/payclient.dll"
}

arches=("${@:-x64 x86}")
for arch in ${arches[*]}; do
  case "$arch" in
    x64) build x64 x86_64-w64-mingw32 payclient64.def x86-64 ;;
    x86) build x86 i686-w64-mingw32 payclient32.def i686 ;;
    *) echo "build-dll: unknown architecture $arch (x64 or x86)" >&2; exit 2 ;;
  esac
done
