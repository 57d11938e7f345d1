//! `cargo xtask lint`: both specs linted with the Redocly CLI pinned in
//! `openapi/package-lock.json`, installed with `npm ci` on first use.
use std::{path::Path, process::Command};

use crate::helpers::step;

/// Lints both specs with the Redocly CLI pinned in `openapi/package-lock.json`.
pub fn run(root: &Path) -> anyhow::Result<()> {
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
