#!/usr/bin/env bash
# Cross-builds payclient.dll and its test program for 64- and 32-bit Windows
# with mingw-w64, into build/native/{x64,x86}/. Nothing built is committed.
#   scripts/build-dll.sh            both architectures
#   scripts/build-dll.sh x64        one of them
set -euo pipefail
cd "$(dirname "$0")/.."

src=native
out=build/native
# -static-libgcc: the DLL must need nothing a hospital PC lacks, only DLLs of Windows itself
# (KERNEL32, ADVAPI32, WINHTTP, BCRYPT, msvcrt). Sources are UTF-8, and so are the strings they hold.
cflags=(-std=c99 -O2 -Wall -Wextra -Werror -static-libgcc -s -finput-charset=UTF-8 -fexec-charset=UTF-8)
# The platform-independent part (envelope, JSON, SM3/SM4, the client) and the Windows part.
core=(client.c envelope.c json.c text.c sm3.c sm4.c)
windows=(payclient.c host_win.c crypto_cng.c)
envelope=(envelope.c json.c text.c sm3.c sm4.c)

build() {
  local arch=$1 triplet=$2 def=$3
  local cc="${triplet}-gcc"
  command -v "$cc" >/dev/null || { echo "build-dll: $cc not found (apt-get install gcc-mingw-w64-${4})" >&2; exit 1; }
  mkdir -p "$out/$arch"
  "$cc" "${cflags[@]}" -shared -o "$out/$arch/payclient.dll" \
    "${core[@]/#/$src/payclient/}" "${windows[@]/#/$src/payclient/}" "$src/payclient/$def" -lwinhttp -lbcrypt
  "$cc" "${cflags[@]}" -o "$out/$arch/payclient_test.exe" "$src/test/payclient_test.c" -ladvapi32
  # The envelope alone, for the test vectors of docs/test-vectors.json (AES through CNG needs Windows).
  "$cc" "${cflags[@]}" -I"$src/payclient" -o "$out/$arch/envelope_cli.exe" "$src/test/envelope_cli.c" \
    "${envelope[@]/#/$src/payclient/}" "$src/payclient/crypto_cng.c" -lbcrypt
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
