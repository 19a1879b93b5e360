#!/usr/bin/env bash
# Installs everything the host tests need on a clean Debian 12 machine, as root, offline except for
# the npm registry and Debian's apt repositories: Chromium (the browser Playwright drives), the
# headers and binaries code-server's native modules need, and code-server itself (a real VS Code
# server with a Node extension host) from npm.
#
# Usage: bash test/host/setup-code-server.sh [DEST] [VERSION]
#   DEST     install folder; default $KF_CODE_SERVER_DIR, else
#            $HOME/.cache/kube-forecast/code-server-VERSION (outside the clone, so a reused machine
#            skips the install).
#   VERSION  code-server version; default 4.100.3 (VS Code 1.100.3, the newest built for Node 20).
# Idempotent: DEST/.complete records a finished install and makes later runs return at once.
# Why each fix below is needed: /work/shared/reference/vscode-host.md, section 1.
set -euo pipefail

VERSION=${2:-4.100.3}
DEST=${1:-${KF_CODE_SERVER_DIR:-$HOME/.cache/kube-forecast/code-server-$VERSION}}
DEST=$(realpath -m "$DEST")
say() { echo "[setup-code-server] $*" >&2; }

installed() { [ -f "$DEST/.complete" ] && [ "$(cat "$DEST/.complete")" = "$VERSION" ] \
  && [ -x "$DEST/node_modules/.bin/code-server" ]; }

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

node_major=$(node -p 'process.versions.node.split(".")[0]')
want_major=$(npm view "code-server@$VERSION" engines.node 2>/dev/null | grep -o '[0-9]\+' | head -1 || true)
if [ -n "$want_major" ] && [ "$want_major" != "$node_major" ]; then
  say "code-server $VERSION needs Node $want_major but this is Node $node_major; use 4.100.3 on Node 20"
  exit 1
fi

# ---- 3. Seed @vscode/ripgrep's download cache: its postinstall otherwise asks api.github.com and
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

# ---- 4. code-server from npm. unsafe_perm: its postinstall refuses root otherwise. yes: node-pty's
#         postinstall runs `npx node-gyp`, which this machine's npmrc (yes=false) would cancel.
#         nodedir: node-gyp builds against the running Node's headers.
[ -f "$DEST/package.json" ] || echo '{ "name": "kf-code-server", "private": true }' > "$DEST/package.json"
say "npm install code-server@$VERSION into $DEST (native modules compile: ~1.5 min on 2 cores)"
start=$(date +%s)
if ! (cd "$DEST" && env npm_config_unsafe_perm=true npm_config_yes=true npm_config_fund=false \
      npm_config_audit=false npm_config_update_notifier=false \
      npm_config_nodedir="$(dirname "$(dirname "$(command -v node)")")" \
      npm install --no-audit --no-fund "code-server@$VERSION" >"$DEST/install.log" 2>&1); then
  tail -30 "$DEST/install.log" >&2
  say "npm install failed; full log: $DEST/install.log"
  exit 1
fi
env XDG_CONFIG_HOME="$work" XDG_DATA_HOME="$work" XDG_CACHE_HOME="$work" \
  "$DEST/node_modules/.bin/code-server" --version >/dev/null 2>&1 \
  || { say "installed code-server does not start: $DEST/node_modules/.bin/code-server --version"; exit 1; }
echo "$VERSION" > "$DEST/.complete"
say "installed code-server $VERSION in $(( $(date +%s) - start ))s: $DEST ($(du -sh "$DEST" | cut -f1))"
