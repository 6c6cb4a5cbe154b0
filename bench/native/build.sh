#!/bin/sh
# Builds the native MuJoCo anchor of `npm run bench -- mujoco --native BIN` on Debian 12 (bookworm),
# whose apt offers MuJoCo 2.2.2 (libmujoco-dev). Nothing is installed system-wide: the packages are
# downloaded with `apt-get download` and unpacked into OUT_DIR, and the binary finds its libraries
# there through an rpath (DT_RPATH, which also serves libmujoco's own dependencies). Needs gcc.
# usage: bench/native/build.sh [OUT_DIR] (default ${TMPDIR:-/tmp}/maxent-mujoco-native); prints the
# binary's path.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-${TMPDIR:-/tmp}/maxent-mujoco-native}
mkdir -p "$out/debs" "$out/root"
cd "$out/debs"
apt-get download libmujoco-dev libmujoco2.2.2 libccd2 liblodepng0 libtinyxml2-9 >/dev/null 2>&1 \
  || { echo "apt-get download failed: Debian's libmujoco-dev (bookworm: 2.2.2) and its libraries are needed" >&2; exit 1; }
for f in *.deb; do dpkg -x "$f" "$out/root"; done
lib="$out/root/usr/lib/x86_64-linux-gnu"
[ -d "$lib" ] || lib=$(dirname "$(find "$out/root" -name 'libmujoco.so' | head -n 1)")
gcc -O2 -o "$out/mujoco_step" "$here/mujoco_step.c" -I "$out/root/usr/include" -L "$lib" \
  -Wl,--disable-new-dtags,-rpath,"$lib" -Wl,-rpath-link,"$lib" -lmujoco -lm
echo "$out/mujoco_step"
