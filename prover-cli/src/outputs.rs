//! What the CLI writes: never over an existing file unless `--force` says so (and never over a secret key),
//! and checked before any slow work, so a refusal costs nothing and a long proof is never thrown away because
//! its output path was wrong.
use anyhow::{bail, ensure, Result};
use std::path::{Path, PathBuf};

/// Fails if any of `paths` exists (unless `force`), or cannot be written as a file: it is a directory, or a
/// file stands where one of its parent directories would go.
pub(crate) fn refuse_existing(paths: &[PathBuf], force: bool) -> Result<()> {
    for p in paths {
        ensure!(!p.is_dir(), "{} is a directory; give a file path", p.display());
        if p.exists() && !force {
            bail!("{} already exists; refusing to replace it (pass --force to replace it)", p.display());
        }
        let mut parent = p.parent();
        while let Some(dir) = parent.filter(|d| !d.as_os_str().is_empty()) {
            ensure!(!dir.exists() || dir.is_dir(), "cannot write {}: {} is a file, not a directory", p.display(), dir.display());
            parent = dir.parent();
        }
    }
    Ok(())
}

/// The two files of `keygen --out PREFIX`, refused if PREFIX names a directory (it would write
/// `DIR/_public.json`) or if either file exists: a replaced secret key can never decrypt the models of
/// bounties posted with the old one, so there is no `--force` for it.
pub(crate) fn key_pair_paths(prefix: &Path) -> Result<(PathBuf, PathBuf)> {
    let text = prefix.to_string_lossy();
    let names_dir = prefix.is_dir() || text.ends_with('/') || text.ends_with(std::path::MAIN_SEPARATOR) || prefix.file_name().is_none();
    ensure!(!names_dir, "--out {} names a directory; give a file prefix such as {}", prefix.display(), prefix.join("org").display());
    let (public, secret) = (crate::with_ext(prefix, "_public.json"), crate::with_ext(prefix, "_secret.json"));
    for p in [&secret, &public] {
        if p.exists() {
            bail!(
                "{} already exists; refusing to replace a key pair (models delivered to its public key can only be decrypted with its secret key). Choose another --out, or move the old files away yourself",
                p.display()
            );
        }
    }
    refuse_existing(&[public.clone(), secret.clone()], false)?;
    Ok((public, secret))
}

/// PREFIX.pk and PREFIX.vk, as `setup` writes them.
pub(crate) fn key_files(prefix: &Path, force: bool) -> Result<()> {
    refuse_existing(&[crate::with_ext(prefix, ".pk"), crate::with_ext(prefix, ".vk")], force)
}

/// W.npy and b.npy (a linear regression) or model.json (other kinds) in `dir`.
pub(crate) fn model_files(dir: &Path, force: bool) -> Result<()> {
    ensure!(!dir.exists() || dir.is_dir(), "{} is a file; --out names a directory for W.npy and b.npy", dir.display());
    refuse_existing(&[dir.join("W.npy"), dir.join("b.npy"), dir.join("model.json")], force)
}

/// X.npy and Y.npy in `dir`.
pub(crate) fn dataset_files(dir: &Path, force: bool) -> Result<()> {
    ensure!(!dir.exists() || dir.is_dir(), "{} is a file; --path names a directory for X.npy and Y.npy", dir.display());
    refuse_existing(&[dir.join("X.npy"), dir.join("Y.npy")], force)
}
