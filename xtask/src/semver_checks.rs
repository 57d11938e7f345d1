//! `cargo xtask semver-checks`: the published library crates against their last release, with
//! cargo-semver-checks (pinned below, installed into cargo's target directory on first use).
//! It fails when the version in `Cargo.toml` is bumped too little for what changed: a
//! breaking change to a `0.y` crate needs the next minor version, to a `1.x` crate the next
//! major one.
//!
//! The last release is found the way the spec gate finds a spec's: `CHANGELOG.md` gives each
//! release a dated heading (`## [0.2.0] - 2026-12-05`), and the release is the commit that
//! first wrote it (`git log -S`). A changelog travels with every clone that has history, where
//! a tag does not. The tool does not see a public field's type change; those are written into
//! the changelog by hand (README, "Releases and compatibility").
use std::{path::Path, process::Command};

use anyhow::Context as _;

use crate::{
    helpers::{cargo_tool, commit_that_wrote, step},
    workspace::Workspace,
};

/// The checker and its version; a newer one is adopted by changing this line.
const TOOL: (&str, &str) = ("cargo-semver-checks", "0.51.0");

const CHANGELOG: &str = "CHANGELOG.md";

/// The published crates that have a library API (the CLI is a binary).
const LIBRARIES: [&str; 4] = [
    "yandex-promo-codegen",
    "yandex-promo-raw",
    "yandex-promo",
    "yandex-promo-sandbox",
];

/// Checks every published library against the last release.
pub fn run(ws: &Workspace) -> anyhow::Result<()> {
    let changelog = std::fs::read_to_string(ws.root.join(CHANGELOG))
        .with_context(|| format!("reading {CHANGELOG}"))?;
    let Some(heading) = last_release(&changelog) else {
        eprintln!("semver-checks: {CHANGELOG} has no dated release; nothing to compare");
        return Ok(());
    };
    let commit = commit_that_wrote(&ws.root, CHANGELOG, heading)?;
    let (krate, version) = TOOL;
    let tool = cargo_tool(&ws.target, krate, version, krate)?;
    check(&ws.root, &tool, &commit, heading)
}

/// Runs the checker on every library against the baseline `commit`, the release `heading`.
fn check(root: &Path, tool: &Path, commit: &str, heading: &str) -> anyhow::Result<()> {
    step(
        root,
        &format!("semver-checks against `{heading}` ({commit})"),
        Command::new(tool)
            .args(["semver-checks", "--baseline-rev", commit])
            .args(LIBRARIES.iter().flat_map(|p| ["--package", p])),
    )
}

/// The newest dated release heading of a Keep a Changelog file: `## [0.2.0] - 2026-12-05`;
/// `## [Unreleased]` and undated headings are skipped.
fn last_release(changelog: &str) -> Option<&str> {
    changelog.lines().find(|line| {
        line.strip_prefix("## [")
            .and_then(|rest| rest.split_once("] - "))
            .is_some_and(|(version, date)| {
                semver::Version::parse(version).is_ok() && is_iso_date(date.trim())
            })
    })
}

/// Whether `text` is a `YYYY-MM-DD` date.
fn is_iso_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    matches!(parts.as_slice(), [y, m, d]
        if y.len() == 4 && m.len() == 2 && d.len() == 2
            && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())))
}

#[cfg(test)]
mod tests {
    use super::last_release;

    #[test]
    fn the_last_release_is_the_first_dated_heading() {
        let changelog = "# Changelog\n\n## [Unreleased]\n\n- x\n\n## [0.3.0] - 2027-01-10\n\n\
                         ## [0.2.0] - 2026-12-05\n\n## [0.1.0]\n";
        assert_eq!(last_release(changelog), Some("## [0.3.0] - 2027-01-10"));
        assert_eq!(last_release("## [Unreleased]\n\n## [0.1.0]\n"), None);
        assert_eq!(last_release("## [0.2.0] - soon\n"), None);
    }
}
