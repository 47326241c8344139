# Shared build settings, sourced by the scripts: a persistent target directory outside the clone (warm CI
# runs), and at most one cargo build at a time.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/zkml-target}"

# The runtime's Wasm: rustup's own target if installed, else the linked trixie toolchain from setup.sh.
if ! { rustup target list --installed 2>/dev/null | grep -qx wasm32v1-none; }; then
  export WASM_BUILD_TOOLCHAIN="${WASM_BUILD_TOOLCHAIN:-zkml-wasm}"
  export WASM_BUILD_STD="${WASM_BUILD_STD:-1}"
fi
# The target directory is outside the workspace: tell the Wasm builder where Cargo.lock is.
export WASM_BUILD_WORKSPACE_HINT="${WASM_BUILD_WORKSPACE_HINT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
