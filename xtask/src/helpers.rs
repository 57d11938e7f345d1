//! What every xtask command shares: the cargo to run and a named step that echoes its command
//! and fails on a non-zero exit. It imports nothing from the crate, so any module may use it.
use std::{path::Path, process::Command};

use anyhow::{Context as _, bail};

/// The cargo that runs this xtask (`cargo xtask` sets `CARGO`), else the one on `PATH`.
pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// Runs `command` in `dir` as the step `name`, echoing it first; fails when it cannot start or
/// exits unsuccessfully.
pub fn step(dir: &Path, name: &str, command: &mut Command) -> anyhow::Result<()> {
    eprintln!("xtask: {name}: {command:?}");
    let status = command
        .current_dir(dir)
        .status()
        .with_context(|| format!("cannot start {name}"))?;
    if !status.success() {
        bail!("{name} failed ({status})");
    }
    Ok(())
}

/// Installs the npm packages pinned in `openapi/package-lock.json` (`npm ci`) unless every
/// path of `needed` (relative to `openapi/node_modules/`) is there already; returns that
/// `node_modules` folder.
pub fn npm_tools(openapi: &Path, needed: &[&str]) -> anyhow::Result<std::path::PathBuf> {
    let modules = openapi.join("node_modules");
    if !needed.iter().all(|path| modules.join(path).exists()) {
        step(
            openapi,
            "npm ci",
            Command::new("npm").args(["ci", "--no-audit", "--no-fund"]),
        )?;
    }
    Ok(modules)
}

/// A command-line tool published on crates.io, installed at a pinned version with its own
/// lock file (`cargo install --locked`) under `<target>/tools/<krate>-<version>/` on first
/// use and reused after; returns the path of its binary `bin`.
pub fn cargo_tool(
    target: &Path,
    krate: &str,
    version: &str,
    bin: &str,
) -> anyhow::Result<std::path::PathBuf> {
    let root = target.join("tools").join(format!("{krate}-{version}"));
    let binary = root
        .join("bin")
        .join(format!("{bin}{}", std::env::consts::EXE_SUFFIX));
    if !binary.exists() {
        step(
            target,
            &format!("install {krate} {version}"),
            Command::new(cargo())
                .args(["install", "--locked", "--version", version, "--root"])
                .arg(&root)
                .arg(krate),
        )?;
    }
    Ok(binary)
}
