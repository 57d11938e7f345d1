//! `cargo xtask lint`: both specs, and the dereferenced and OpenAPI 3.1 variants made from
//! them, linted with the Redocly CLI pinned in `openapi/package-lock.json`; and the Redocly
//! command itself, installed with `npm ci` on first use, for `docs` too.
use std::{path::Path, process::Command};

use crate::helpers::{npm_tools, step};

/// What `lint` checks, relative to `openapi/`.
const LINTED: [&str; 6] = [
    "go-business.yaml",
    "market-partner.yaml",
    "generated/go-business.dereferenced.json",
    "generated/market-partner.dereferenced.json",
    "generated/go-business.openapi-3.1.json",
    "generated/market-partner.openapi-3.1.json",
];

/// Lints both specs and their variants.
pub fn run(root: &Path) -> anyhow::Result<()> {
    let openapi = root.join("openapi");
    step(
        &openapi,
        "spec lint",
        redocly(root)?.arg("lint").args(LINTED),
    )
}

/// The pinned Redocly CLI, to run in `openapi/` (the `step` that runs it sets the directory),
/// offline (no usage reports, no update checks); installed from the lock file when missing.
pub fn redocly(root: &Path) -> anyhow::Result<Command> {
    let modules = npm_tools(&root.join("openapi"), &[".bin/redocly"])?;
    let mut command = Command::new(modules.join(".bin/redocly"));
    command
        .env("REDOCLY_TELEMETRY", "off")
        .env("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
    Ok(command)
}
