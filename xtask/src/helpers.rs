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

/// Runs git in `root` and returns its output.
pub fn git(root: &Path, args: &[&str]) -> anyhow::Result<String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(root)
        .output()
        .context("cannot run git")?;
    if !output.status.success() {
        bail!(
            "git {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(String::from_utf8(output.stdout)?)
}

/// The commit that first wrote the line `heading` into `file` (relative to `root`): how a
/// release is found from a changelog, on any clone with history, without tags.
pub fn commit_that_wrote(root: &Path, file: &str, heading: &str) -> anyhow::Result<String> {
    // In a shallow clone the oldest commit at hand would be taken for the one that wrote
    // the heading, and the checks would compare with the wrong release.
    if git(root, &["rev-parse", "--is-shallow-repository"])?.trim() == "true" {
        bail!("the clone is shallow: fetch the whole history (git fetch --unshallow)");
    }
    let commits = git(
        root,
        &["log", "--reverse", "--format=%H", "-S", heading, "--", file],
    )?;
    commits
        .lines()
        .next()
        .map(str::to_owned)
        .with_context(|| format!("no commit wrote `{heading}` into {file}"))
}

/// A cargo command for the checks that need nightly features (`-Z` flags, `--cfg docsrs`
/// docs): `cargo +nightly` where rustup has a nightly toolchain (`.ci/run` installs one),
/// else the stable cargo with `RUSTC_BOOTSTRAP=1`, which unlocks the same features on a
/// stable compiler, so a machine that cannot fetch nightly still runs the check.
pub fn nightly_cargo() -> Command {
    let has_nightly = Command::new("rustup")
        .args(["run", "nightly", "cargo", "--version"])
        .output()
        .is_ok_and(|output| output.status.success());
    if has_nightly {
        let mut command = Command::new("rustup");
        command.args(["run", "nightly", "cargo"]);
        command
    } else {
        eprintln!("xtask: no nightly toolchain; using stable cargo with RUSTC_BOOTSTRAP=1");
        let mut command = Command::new(cargo());
        command.env("RUSTC_BOOTSTRAP", "1");
        command
    }
}
