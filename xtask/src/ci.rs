//! `cargo xtask ci` and `cargo xtask lint`: the whole check, step by step.
use std::{path::Path, process::Command};

use anyhow::{Context as _, bail};

/// Runs every check CI runs, in order from cheapest to dearest, stopping at the first failure.
pub fn run(root: &Path) -> anyhow::Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    step(
        root,
        "format",
        Command::new(&cargo).args(["fmt", "--all", "--check"]),
    )?;
    step(
        root,
        "clippy",
        Command::new(&cargo).args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    crate::codegen::run(root, true).context("codegen --check")?;
    lint_specs(root)?;
    step(
        root,
        "tests",
        Command::new(&cargo).args(["test", "--workspace", "--locked"]),
    )?;
    eprintln!("xtask ci: every check passed");
    Ok(())
}

/// Lints both specs with the Redocly CLI pinned in `openapi/package-lock.json`.
pub fn lint_specs(root: &Path) -> anyhow::Result<()> {
    let openapi = root.join("openapi");
    if !openapi.join("node_modules/.bin/redocly").exists() {
        step(
            &openapi,
            "npm ci",
            Command::new("npm").args(["ci", "--no-audit", "--no-fund"]),
        )?;
    }
    step(
        &openapi,
        "spec lint",
        Command::new("node_modules/.bin/redocly")
            .args(["lint", "go-business.yaml", "market-partner.yaml"])
            // The linter runs offline: no usage reports, no update checks.
            .env("REDOCLY_TELEMETRY", "off")
            .env("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true"),
    )
}

fn step(dir: &Path, name: &str, command: &mut Command) -> anyhow::Result<()> {
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
