//! The MSRV check, run by `cargo xtask ci`: no crate that a user of our published crates
//! compiles may ask for a newer Rust than our `rust-version`. Only one toolchain can be
//! installed on the machines CI runs on, so our own code is held to the MSRV by clippy's
//! `incompatible_msrv` lint (it reads `rust-version`), and dependencies by this check of
//! what each one declares.
use std::{collections::BTreeSet, path::Path, process::Command};

use anyhow::{Context as _, bail};
use semver::Version;
use serde_json::Value;

use crate::{helpers::cargo, workspace::metadata_json};

/// Fails when a normal or build dependency of a published crate declares a `rust-version`
/// newer than the workspace's.
pub fn run(root: &Path) -> anyhow::Result<()> {
    let metadata = metadata_json(
        Command::new(cargo())
            .args([
                "metadata",
                "--format-version",
                "1",
                "--locked",
                "--all-features",
            ])
            .current_dir(root),
    )?;
    let too_new = check(&metadata)?;
    if !too_new.is_empty() {
        bail!(
            "dependencies need a newer Rust than our rust-version: {}",
            too_new.join(", ")
        );
    }
    Ok(())
}

/// The dependencies (`name version (rust-version)`) whose `rust-version` is newer than our
/// MSRV, the `rust-version` of the published workspace members.
fn check(metadata: &Value) -> anyhow::Result<Vec<String>> {
    let packages = metadata["packages"].as_array().context("no packages")?;
    let package = |id: &str| packages.iter().find(|p| p["id"] == id);
    let published: Vec<&Value> = metadata["workspace_members"]
        .as_array()
        .context("no workspace_members")?
        .iter()
        .filter_map(|id| package(id.as_str()?))
        .filter(|p| p["publish"] != serde_json::json!([]))
        .collect();
    let msrv = published
        .iter()
        .filter_map(|p| rust_version(p))
        .min()
        .context("no published crate states a rust-version")?;
    let nodes = metadata["resolve"]["nodes"]
        .as_array()
        .context("no resolve graph")?;
    // Everything a user's build compiles: normal and build dependencies, transitively.
    let mut reached: BTreeSet<&str> = published.iter().filter_map(|p| p["id"].as_str()).collect();
    let mut queue: Vec<&str> = reached.iter().copied().collect();
    while let Some(id) = queue.pop() {
        let Some(node) = nodes.iter().find(|n| n["id"] == id) else {
            continue;
        };
        for dep in node["deps"].as_array().into_iter().flatten() {
            let used_by_users = dep["dep_kinds"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|kind| kind["kind"] != "dev");
            if let Some(dep_id) = dep["pkg"].as_str().filter(|_| used_by_users)
                && reached.insert(dep_id)
            {
                queue.push(dep_id);
            }
        }
    }
    eprintln!(
        "msrv: {} crates a user compiles; rust-version {msrv}",
        reached.len()
    );
    Ok(reached
        .iter()
        .filter_map(|id| package(id))
        .filter_map(|p| {
            let needed = rust_version(p).filter(|v| *v > msrv)?;
            Some(format!(
                "{} {} (rust-version {needed})",
                p["name"], p["version"]
            ))
        })
        .map(|line| line.replace('"', ""))
        .collect())
}

/// A package's `rust-version`, with a missing patch number read as 0.
fn rust_version(package: &Value) -> Option<Version> {
    let text = package["rust_version"].as_str()?;
    let full = match text.matches('.').count() {
        0 => format!("{text}.0.0"),
        1 => format!("{text}.0"),
        _ => text.to_owned(),
    };
    Version::parse(&full).ok()
}

#[cfg(test)]
mod tests {
    use super::check;
    use serde_json::json;

    /// Ours at 1.89; `a` (normal, 1.88) and `b` (dev only, 1.95) and `c` (through `a`, 1.90).
    fn metadata(c_version: &str) -> serde_json::Value {
        let package = |id: &str, rust: &str| json!({"id": id, "name": id, "version": "1.0.0", "rust_version": rust});
        json!({
            "packages": [
                package("ours", "1.89"), package("a", "1.88"), package("b", "1.95"),
                package("c", c_version),
            ],
            "workspace_members": ["ours"],
            "resolve": {"nodes": [
                {"id": "ours", "deps": [
                    {"pkg": "a", "dep_kinds": [{"kind": null}]},
                    {"pkg": "b", "dep_kinds": [{"kind": "dev"}]},
                ]},
                {"id": "a", "deps": [{"pkg": "c", "dep_kinds": [{"kind": "build"}]}]},
            ]},
        })
    }

    #[test]
    fn a_dependency_a_user_compiles_may_not_need_a_newer_rust() {
        assert_eq!(
            check(&metadata("1.89")).expect("checked"),
            Vec::<String>::new()
        );
        assert_eq!(
            check(&metadata("1.90.1")).expect("checked"),
            ["c 1.0.0 (rust-version 1.90.1)"]
        );
    }
}
