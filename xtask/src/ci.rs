//! `cargo xtask ci`: the whole check, step by step, cheapest first. Each step is another
//! command's `run` or a cargo invocation; the test totals CI reads are summed here.
use std::{path::Path, process::Command};

use anyhow::{Context as _, bail};

use crate::{
    helpers::{cargo, nightly_cargo, step},
    workspace::Workspace,
};

/// The crates published to crates.io, in dependency order.
const PUBLISHED: [&str; 5] = [
    "yandex-promo-codegen",
    "yandex-promo-raw",
    "yandex-promo",
    "yandex-promo-sandbox",
    "yandex-promo-cli",
];

/// Runs every check CI runs, cheapest first, stopping at the first failure.
pub fn run(ws: &Workspace) -> anyhow::Result<()> {
    let root = &ws.root;
    let cargo = cargo();
    step(
        root,
        "format",
        Command::new(&cargo).args(["fmt", "--all", "--check"]),
    )?;
    crate::layout::run(root).context("layout")?;
    crate::msrv::run(root).context("MSRV")?;
    crate::deps::deny(ws).context("cargo-deny")?;
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
    // The docs as docs.rs builds them (nightly, `--cfg docsrs`, every feature, as each
    // crate's `[package.metadata.docs.rs]` asks), strictly: a broken intra-doc link or a bad
    // doc comment fails. RUSTDOCFLAGS is set, not inherited (the encoded form would take
    // precedence, so it goes).
    step(
        root,
        "strict docs, as docs.rs builds them",
        nightly_cargo()
            .args(["doc", "--no-deps", "--locked", "--all-features"])
            .args(PUBLISHED.iter().flat_map(|p| ["--package", p]))
            .env("RUSTDOCFLAGS", "--cfg docsrs -D warnings")
            .env_remove("CARGO_ENCODED_RUSTDOCFLAGS"),
    )?;
    crate::semver_checks::run(ws).context("semver-checks")?;
    crate::codegen::run(root, true).context("codegen --check")?;
    crate::spec_gate::run(root).context("spec gate")?;
    crate::upstream::run(root, false).context("upstream drift")?;
    crate::lint::run(root)?;
    crate::docs::run(ws)?;
    let totals = run_tests(root, &cargo)?;
    feature_matrix(root, &cargo)?;
    crate::deps::minimal_versions(ws).context("minimal versions")?;
    // The fuzz targets need nightly to run; on stable they are type-checked so they keep up
    // with the API.
    step(
        root,
        "check the fuzz targets",
        Command::new(&cargo).args([
            "check",
            "--manifest-path",
            "fuzz/Cargo.toml",
            "--locked",
            "--no-default-features",
        ]),
    )?;
    crate::conformance::run(ws).context("API conformance")?;
    crate::python_clients::run(ws).context("Python clients")?;
    crate::typescript::run(ws).context("TypeScript client")?;
    crate::rust_client::run(ws).context("Rust client (openapi-to-rust)")?;
    // The crates users depend on stay publishable: packaged and built from the package alone.
    forget_unpacked_packages()?;
    // Verification builds our crates as registry packages in the shared target directory,
    // where a build from an earlier run (same id, older contents) would count as fresh.
    step(
        root,
        "clean our crates",
        Command::new(&cargo)
            .arg("clean")
            .args(PUBLISHED.iter().flat_map(|p| ["--package", p])),
    )?;
    step(
        root,
        "package",
        Command::new(&cargo)
            .args(["package", "--locked", "--allow-dirty"])
            .args(PUBLISHED.iter().flat_map(|p| ["--package", p])),
    )?;
    eprintln!("xtask ci: every check passed");
    // The closing line CI reads: the totals of every test binary, doc tests included.
    println!(
        "tests: {} passed, {} failed, {} skipped",
        totals.passed, totals.failed, totals.ignored
    );
    Ok(())
}

/// Every feature combination a user may pick, beyond the default the tests above ran with.
/// Plain HTTP (no TLS feature) runs the library's whole suite, since it must still work
/// against the sandbox; each other TLS choice runs the unit tests, which build a client with
/// it (its crypto provider found); `schemars` is checked on and off. Running the integration
/// suite again per TLS choice would add minutes and nothing: it talks plain HTTP.
fn feature_matrix(root: &Path, cargo: &str) -> anyhow::Result<()> {
    let library = [
        "--locked",
        "--package",
        "yandex-promo",
        "--no-default-features",
    ];
    step(
        root,
        "features: none (plain HTTP), the whole suite",
        Command::new(cargo).arg("test").args(library),
    )?;
    for tls in ["rustls-ring", "native-tls"] {
        step(
            root,
            &format!("features: {tls}, unit tests"),
            Command::new(cargo)
                .arg("test")
                .args(library)
                .args(["--features", tls, "--lib"]),
        )?;
    }
    for features in [&[][..], &["--features", "schemars"]] {
        step(
            root,
            &format!("yandex-promo-raw {features:?}"),
            Command::new(cargo)
                .args([
                    "check",
                    "--locked",
                    "--package",
                    "yandex-promo-raw",
                    "--lib",
                ])
                .args(features),
        )?;
    }
    Ok(())
}

/// Removes this workspace's crates from the source caches of local registries.
///
/// `cargo package` verifies each package by unpacking it from a temporary local registry into
/// `$CARGO_HOME/registry/src/-<hash>/`, and reuses an unpacked copy of the same version even
/// when its contents changed; a second run would verify stale sources. Only copies from local
/// registries (directory names without a host) and only `yandex-promo*` crates are removed.
fn forget_unpacked_packages() -> anyhow::Result<()> {
    let cargo_home = match std::env::var_os("CARGO_HOME") {
        Some(home) => std::path::PathBuf::from(home),
        None => std::path::PathBuf::from(std::env::var_os("HOME").context("HOME is not set")?)
            .join(".cargo"),
    };
    let Ok(registries) = std::fs::read_dir(cargo_home.join("registry/src")) else {
        return Ok(());
    };
    for registry in registries {
        let registry = registry?.path();
        let is_local = registry
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('-'));
        if !is_local {
            continue;
        }
        for unpacked in std::fs::read_dir(&registry)? {
            let unpacked = unpacked?.path();
            let ours = unpacked
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("yandex-promo"));
            if ours {
                std::fs::remove_dir_all(&unpacked)
                    .with_context(|| format!("removing {}", unpacked.display()))?;
            }
        }
    }
    Ok(())
}

/// What `cargo test` reported, summed over its `test result:` lines.
#[derive(Debug, Default, PartialEq, Eq)]
struct TestTotals {
    passed: u64,
    failed: u64,
    ignored: u64,
}

impl TestTotals {
    /// Adds one `test result: ok. 3 passed; 0 failed; 1 ignored; ...` line.
    fn add_line(&mut self, line: &str) {
        let Some(counts) = line.trim().strip_prefix("test result: ") else {
            return;
        };
        for part in counts.split(';') {
            let mut words = part.split_whitespace().rev();
            let (Some(label), Some(number)) = (words.next(), words.next()) else {
                continue;
            };
            let Ok(number) = number.parse::<u64>() else {
                continue;
            };
            match label {
                "passed" => self.passed += number,
                "failed" => self.failed += number,
                "ignored" => self.ignored += number,
                _ => {}
            }
        }
    }
}

/// Runs the workspace's tests, echoing their output, and returns the totals.
fn run_tests(root: &Path, cargo: &str) -> anyhow::Result<TestTotals> {
    let mut command = Command::new(cargo);
    command
        .args(["test", "--workspace", "--locked"])
        .current_dir(root);
    eprintln!("xtask: tests: {command:?}");
    let output = command
        .stderr(std::process::Stdio::inherit())
        .output()
        .context("cannot start cargo test")?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    print!("{stdout}");
    let mut totals = TestTotals::default();
    stdout.lines().for_each(|line| totals.add_line(line));
    if !output.status.success() {
        bail!(
            "tests failed ({}): {} passed, {} failed",
            output.status,
            totals.passed,
            totals.failed
        );
    }
    Ok(totals)
}

#[cfg(test)]
mod tests {
    use super::TestTotals;

    #[test]
    fn totals_sum_every_result_line_and_ignore_the_rest() {
        let mut totals = TestTotals::default();
        for line in [
            "test result: ok. 36 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.23s",
            "test decode_go::sdk_error_body_decodes ... ok",
            "test result: FAILED. 2 passed; 1 failed; 6 ignored; 0 measured; 0 filtered out",
        ] {
            totals.add_line(line);
        }
        assert_eq!(
            totals,
            TestTotals {
                passed: 38,
                failed: 1,
                ignored: 6
            }
        );
    }
}
