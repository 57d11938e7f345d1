//! The release discipline of our dependencies: `cargo xtask minimal-versions` and
//! `cargo xtask deny`.
//!
//! - `minimal_versions`: a requirement in `[workspace.dependencies]` is a promise that every
//!   version from that floor up works, yet our `Cargo.lock` only ever tests the newest. This
//!   resolves our direct dependencies to their floors (`-Z direct-minimal-versions`, nightly)
//!   and checks the workspace against them, on a copy under `minimal-versions/` in cargo's
//!   target directory so the real lock file is never touched.
//! - `deny`: cargo-deny (pinned, installed from crates.io on first use) holds the dependency
//!   graph to `deny.toml`: licences from the reviewed allow-list only, no wildcard
//!   requirements, crates.io as the only source. Advisories are not checked: their database
//!   cannot be fetched on the build machines.
use std::{fs, path::Path, process::Command};

use anyhow::Context as _;

use crate::{
    helpers::{cargo, cargo_tool, nightly_cargo, step},
    workspace::Workspace,
};

/// cargo-deny and its version; a newer one is adopted by changing this line (and reading
/// its changelog: its configuration format moves).
const CARGO_DENY: (&str, &str) = ("cargo-deny", "0.20.2");

/// Directories never copied into the minimal-versions workspace: build output (any crate's,
/// the fuzz workspace's included), git's store, npm packages.
const NOT_COPIED: [&str; 3] = ["target", ".git", "node_modules"];

/// Resolves the direct dependencies to the lowest versions our requirements allow and checks
/// every crate, target and feature of the workspace against them.
pub fn minimal_versions(ws: &Workspace) -> anyhow::Result<()> {
    let dir = ws.target.join("minimal-versions");
    let src = dir.join("src");
    // A fresh copy each run: a file deleted from the workspace must not linger here.
    if src.exists() {
        fs::remove_dir_all(&src).with_context(|| format!("removing {}", src.display()))?;
    }
    copy_tree(&ws.root, &src, &ws.target)?;
    // `-Z` needs nightly cargo, but only to resolve: the check runs on the stable toolchain
    // that builds everything else, since the floors must hold for the compilers users have.
    // Nothing `cargo xtask` puts in the environment misleads either: `rustup run nightly`
    // replaces its RUSTUP_TOOLCHAIN, it sets no RUSTC, and `--target-dir` beats
    // CARGO_TARGET_DIR.
    step(
        &src,
        "resolve the direct dependencies to their floors",
        nightly_cargo().args(["update", "-Z", "direct-minimal-versions"]),
    )?;
    // Every feature, so that the floor of an optional dependency (rustls, for `rustls-ring`)
    // is held too. Its own target directory: these builds never mix with the workspace's.
    step(
        &src,
        "check the workspace at its dependency floors",
        Command::new(cargo())
            .args([
                "check",
                "--workspace",
                "--all-targets",
                "--all-features",
                "--locked",
                "--target-dir",
            ])
            .arg(dir.join("target")),
    )
}

/// Checks licences, wildcard requirements and sources of the whole dependency graph (every
/// feature, every platform) against `deny.toml`.
pub fn deny(ws: &Workspace) -> anyhow::Result<()> {
    let (krate, version) = CARGO_DENY;
    let cargo_deny = cargo_tool(&ws.target, krate, version, krate)?;
    // Not `--offline`: cargo may have to download the manifests of crates only other
    // platforms use (from crates.io; advisories, the one fetch from elsewhere, are not run).
    step(
        &ws.root,
        "cargo-deny: licences, bans, sources",
        Command::new(cargo_deny)
            .arg("--manifest-path")
            .arg(ws.root.join("Cargo.toml"))
            .arg("--config")
            .arg(ws.root.join("deny.toml"))
            .args([
                "--all-features",
                "--locked",
                "check",
                "licenses",
                "bans",
                "sources",
            ]),
    )
}

/// Copies the directory `from` into `to` (created), file by file, leaving out `NOT_COPIED`
/// and `target_dir` (cargo's target directory may sit inside the workspace under any name, and
/// the copy is made inside it). A symbolic link is copied as what it points to.
fn copy_tree(from: &Path, to: &Path, target_dir: &Path) -> anyhow::Result<()> {
    fs::create_dir_all(to).with_context(|| format!("creating {}", to.display()))?;
    for entry in fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        let path = entry.path();
        let destination = to.join(entry.file_name());
        // `is_dir` follows a symbolic link, `fs::copy` too.
        if path.is_dir() {
            let skipped = NOT_COPIED.iter().any(|name| entry.file_name() == *name);
            if !skipped && path != target_dir {
                copy_tree(&path, &destination, target_dir)?;
            }
        } else {
            fs::copy(&path, &destination).with_context(|| format!("copying {}", path.display()))?;
        }
    }
    Ok(())
}
