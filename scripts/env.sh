# Shared build settings, sourced by the scripts: a persistent target directory outside the clone (warm CI
# runs), and at most one cargo build at a time.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/zkml-target}"
