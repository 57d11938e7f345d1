//! Where the workspace is, and where cargo puts what it builds. Every output of the xtasks
//! (the sandbox binary, the Python venv, generated clients, reports) lives in cargo's target
//! directory, wherever `CARGO_TARGET_DIR`, `build.target-dir` or a config file put it: cargo
//! itself is asked, never assumed to use `target/`.
use std::{
    path::{Path, PathBuf},
    process::Command,
};

use anyhow::{Context as _, bail};

use crate::helpers::cargo;

/// The workspace and its target directory.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// The workspace root (where `Cargo.toml` and `openapi/` are).
    pub root: PathBuf,
    /// Cargo's target directory for this workspace.
    pub target: PathBuf,
}

impl Workspace {
    /// The workspace this xtask belongs to, with the target directory cargo reports for it.
    pub fn locate() -> anyhow::Result<Self> {
        let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let root = manifest_dir
            .parent()
            .context("xtask has no parent directory")?
            .to_path_buf();
        let target = target_directory(&mut cargo_metadata(&root))?;
        Ok(Self { root, target })
    }

    /// A binary of this workspace built in the dev profile, e.g. `yandex-promo`.
    pub fn debug_binary(&self, name: &str) -> PathBuf {
        self.target
            .join("debug")
            .join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
    }
}

/// Runs a `cargo metadata` command and parses what it prints.
pub fn metadata_json(metadata: &mut Command) -> anyhow::Result<serde_json::Value> {
    let output = metadata.output().context("running cargo metadata")?;
    if !output.status.success() {
        bail!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    serde_json::from_slice(&output.stdout).context("cargo metadata printed no JSON")
}

/// `cargo metadata` for the workspace at `root`, without dependencies (fast, offline).
fn cargo_metadata(root: &Path) -> Command {
    let mut command = Command::new(cargo());
    command
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--manifest-path",
        ])
        .arg(root.join("Cargo.toml"));
    command
}

/// Runs a `cargo metadata` command and reads its `target_directory`.
fn target_directory(metadata: &mut Command) -> anyhow::Result<PathBuf> {
    let metadata = metadata_json(metadata)?;
    metadata["target_directory"]
        .as_str()
        .map(PathBuf::from)
        .context("cargo metadata names no target_directory")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_target_directory_follows_cargo_target_dir() {
        let ws = Workspace::locate().expect("the workspace");
        let elsewhere = std::env::temp_dir().join("yandex-promo-xtask-target-test");
        let mut metadata = cargo_metadata(&ws.root);
        metadata.env("CARGO_TARGET_DIR", &elsewhere);
        assert_eq!(
            target_directory(&mut metadata).expect("metadata"),
            elsewhere
        );

        let mut metadata = cargo_metadata(&ws.root);
        metadata.env_remove("CARGO_TARGET_DIR");
        metadata.env("CARGO_BUILD_TARGET_DIR", &elsewhere);
        assert_eq!(
            target_directory(&mut metadata).expect("metadata"),
            elsewhere
        );
    }
}
