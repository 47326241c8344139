#!/usr/bin/env bash
# Prepares a fresh Debian machine for building and testing zkml-chain. Idempotent: re-running only checks.
# - Rust: the machine's rustup toolchain (stable) is used; nothing is downloaded outside crates.io.
# - Python (for the demo's training step only): a virtualenv in .venv with numpy and scikit-learn from PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v cc >/dev/null || need_apt+=(build-essential)
command -v pkg-config >/dev/null || need_apt+=(pkg-config)
python3 -c 'import venv, ensurepip' 2>/dev/null || need_apt+=(python3-venv)
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

if [ "${ZKML_SKIP_PYTHON:-0}" != 1 ]; then
  if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
  fi
  if ! .venv/bin/python -c 'import numpy, sklearn' 2>/dev/null; then
    echo "setup: installing numpy and scikit-learn into .venv"
    .venv/bin/pip install -q numpy scikit-learn
  fi
fi
echo "setup: ok"
