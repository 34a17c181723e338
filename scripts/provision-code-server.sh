#!/usr/bin/env bash
# Provisions a real VS Code for the end-to-end tests: code-server (VS Code in a browser) from the npm
# registry, the Node 24 it needs (npm package node-linux-<arch>), and Debian's chromium + libkrb5-dev.
# Everything goes into an ignored cache folder (.vscode-test/ by default), never into node_modules.
#
# Usage: bash scripts/provision-code-server.sh
#   stdout: one line, the absolute path of the code-server launcher (a wrapper that runs it on Node 24)
#   stderr: progress
# Idempotent; a second run only checks the stamp and prints the path (well under a second).
#
# Environment (all optional):
#   INITLENS_E2E_CACHE               cache folder (default: <repo>/.vscode-test)
#   INITLENS_E2E_NODE_VERSION        Node 24 version from npm's node-linux-<arch> (default below)
#   INITLENS_E2E_CODE_SERVER_VERSION code-server version (default below)
#   INITLENS_E2E_SKIP_APT=1          never call apt-get (just warn when chromium / libkrb5-dev are missing)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${INITLENS_E2E_CACHE:-$ROOT/.vscode-test}"
NODE_VERSION="${INITLENS_E2E_NODE_VERSION:-24.9.0}"
CODE_SERVER_VERSION="${INITLENS_E2E_CODE_SERVER_VERSION:-4.139.1}"

log() { printf '[provision-code-server] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

case "$(uname -m)" in
  x86_64 | amd64) ARCH=x64 ;;
  aarch64 | arm64) ARCH=arm64 ;;
  *) die "unsupported architecture $(uname -m)" ;;
esac
[ "$(uname -s)" = Linux ] || die "only Linux is supported (code-server's native modules, Debian packages)"

NODE_PREFIX="$CACHE/node24"
NODE_HOME="$NODE_PREFIX/node_modules/node-linux-$ARCH" # has bin/node and include/node (headers)
NODE_BIN="$NODE_HOME/bin/node"
CS_PREFIX="$CACHE/code-server"
CS_HOME="$CS_PREFIX/node_modules/code-server"
LAUNCHER="$CACHE/bin/code-server"
STAMP="$CACHE/.provisioned"
STAMP_TEXT="node=$NODE_VERSION code-server=$CODE_SERVER_VERSION arch=$ARCH"

mkdir -p "$CACHE"

# Everything below under a lock: node --test runs test files in parallel processes, each of which
# may provision.
exec 9>"$CACHE/.lock"
if command -v flock >/dev/null; then flock 9; fi

# --- Debian packages ----------------------------------------------------------------------------
# chromium drives the workbench (playwright-core); libkrb5-dev has the headers that code-server's
# kerberos module is compiled against. Checked on every run (cheap: dpkg-query); installed only
# when missing and we are root.
apt_missing=()
for pkg in chromium libkrb5-dev; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    apt_missing+=("$pkg")
  fi
done
# code-server's postinstall compiles its native modules (node-gyp): a C++ toolchain and Python.
command -v g++ >/dev/null && command -v make >/dev/null || apt_missing+=(build-essential)
command -v python3 >/dev/null || apt_missing+=(python3)
if [ "${#apt_missing[@]}" -gt 0 ]; then
  if [ "${INITLENS_E2E_SKIP_APT:-}" != 1 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "apt-get install ${apt_missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq -o Dpkg::Use-Pty=0 "${apt_missing[@]}" >&2
  else
    log "warning: missing Debian packages: ${apt_missing[*]} (run as root: apt-get install -y ${apt_missing[*]})"
  fi
fi

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$STAMP_TEXT" ] && [ -x "$LAUNCHER" ] && [ -x "$NODE_BIN" ] \
  && [ -f "$CS_HOME/out/node/entry.js" ]; then
  echo "$LAUNCHER"
  exit 0
fi
rm -f "$STAMP"
t0=$SECONDS

# npm's own settings: the user's ~/.npmrc may set nodedir (it does here: /usr, Node 20's headers);
# everything native must be built against Node 24's headers.
export npm_config_nodedir="$NODE_HOME"
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

# --- Node 24 --------------------------------------------------------------------------------------
if [ ! -x "$NODE_BIN" ] || [ "$("$NODE_BIN" --version 2>/dev/null)" != "v$NODE_VERSION" ]; then
  log "installing Node $NODE_VERSION (npm: node-linux-$ARCH) into $NODE_PREFIX"
  rm -rf "$NODE_PREFIX"
  mkdir -p "$NODE_PREFIX"
  echo '{"name":"initlens-e2e-node24","private":true}' >"$NODE_PREFIX/package.json"
  npm install --prefix "$NODE_PREFIX" --no-save --ignore-scripts --loglevel=error \
    "node-linux-$ARCH@$NODE_VERSION" >&2
  [ -x "$NODE_BIN" ] || die "node-linux-$ARCH did not ship bin/node"
fi
log "node: $("$NODE_BIN" --version) ($NODE_BIN)"

# From here on, `node` (and npm's child processes, node-gyp) are Node 24.
export PATH="$NODE_HOME/bin:$PATH"

# --- code-server ----------------------------------------------------------------------------------
installed_cs=""
if [ -f "$CS_HOME/package.json" ]; then
  installed_cs="$(node -p "require('$CS_HOME/package.json').version" 2>/dev/null || true)"
fi
if [ "$installed_cs" != "$CODE_SERVER_VERSION" ] || [ ! -f "$CS_PREFIX/.postinstall-done" ]; then
  log "installing code-server $CODE_SERVER_VERSION into $CS_PREFIX (download, then a native build: 2-3 minutes)"
  rm -rf "$CS_PREFIX"
  mkdir -p "$CS_PREFIX"
  echo '{"name":"initlens-e2e-code-server","private":true}' >"$CS_PREFIX/package.json"
  # --ignore-scripts: npm 11 will not run a dependency's install script unless allowed
  # (allowScripts), and code-server's needs an environment of its own anyway: we run it below.
  npm install --prefix "$CS_PREFIX" --no-save --ignore-scripts --loglevel=error \
    "code-server@$CODE_SERVER_VERSION" >&2

  # code-server's postinstall.sh runs `npm install` in lib/vscode and lib/vscode/extensions, which
  # compiles VS Code's native modules with node-gyp against Node 24's headers (npm_config_nodedir,
  # so nothing is downloaded): about two minutes on two cores. It reads the Node major version from
  # npm_config_user_agent and refuses anything but 24.
  log "running code-server's postinstall"
  npm_version="$(npm --version)"
  (
    cd "$CS_HOME"
    export npm_config_user_agent="npm/$npm_version node/v$NODE_VERSION linux $ARCH workspaces/false"
    export npm_config_ignore_scripts=false # the native builds are install scripts
    sh ./postinstall.sh
  ) >"$CS_PREFIX/postinstall.log" 2>&1 || {
    tail -n 40 "$CS_PREFIX/postinstall.log" >&2
    die "code-server's postinstall failed (log: $CS_PREFIX/postinstall.log)"
  }
  touch "$CS_PREFIX/.postinstall-done"
fi

# --- launcher: code-server on Node 24 whatever node is on PATH ----------------------------------
mkdir -p "$(dirname "$LAUNCHER")"
cat >"$LAUNCHER.tmp" <<EOF
#!/bin/sh
# Generated by scripts/provision-code-server.sh: runs code-server $CODE_SERVER_VERSION on Node $NODE_VERSION.
exec "$NODE_BIN" "$CS_HOME/out/node/entry.js" "\$@"
EOF
chmod +x "$LAUNCHER.tmp"
mv "$LAUNCHER.tmp" "$LAUNCHER"

# --- verify ------------------------------------------------------------------------------------
# An explicit (empty) --config and XDG_DATA_HOME: code-server would write ~/.config/code-server/
# config.yaml and ~/.local/share/code-server otherwise.
: >"$CACHE/empty-config.yaml"
version="$(XDG_DATA_HOME="$CACHE/xdg-data" "$LAUNCHER" --config "$CACHE/empty-config.yaml" --version)" \
  || die "code-server --version failed"
log "code-server: $version ($((SECONDS - t0)) s)"
case "$version" in
  "$CODE_SERVER_VERSION "*) ;;
  *) die "unexpected code-server version: $version" ;;
esac

echo "$STAMP_TEXT" >"$STAMP"
echo "$LAUNCHER"
