//! `cargo xtask bench`: the runtime benchmarks (the `yandex-promo-bench` binary, in release)
//! and, with `--build`, the cold build cost of a binary depending on yandex-promo against one
//! depending only on reqwest, serde_json and tokio.
use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
    process::Command,
    time::{Duration, Instant},
};

use anyhow::{Context as _, bail};
use serde_json::Value;

use crate::{helpers::cargo, workspace::Workspace};

/// Runs the benchmarks; the report goes to stdout and to `bench/` in cargo's target directory.
pub fn run(ws: &Workspace, quick: bool, build: bool) -> anyhow::Result<()> {
    let root = &ws.root;
    let out = ws.target.join("bench");
    std::fs::create_dir_all(&out)?;
    let report = if build {
        build_cost(root, &out)?
    } else {
        let sdk = crate::venv::prepare(
            ws,
            "bench-venv",
            "crates/yandex-promo-bench/vendor-sdk-requirements.txt",
        )?;
        runtime(root, quick, &sdk.join("python"))?
    };
    let file = out.join(if build { "build-cost.md" } else { "report.md" });
    std::fs::write(&file, &report)?;
    print!("{report}");
    eprintln!("xtask bench: written to {}", file.display());
    Ok(())
}

/// The runtime benchmarks, the vendor's Python SDK (run by `python`) included.
fn runtime(root: &Path, quick: bool, python: &Path) -> anyhow::Result<String> {
    let mut command = Command::new(cargo());
    command
        .current_dir(root)
        .args(["run", "--release", "--locked", "--quiet"])
        .args(["--package", "yandex-promo-bench", "--", "run"])
        .arg("--vendor-python")
        .arg(python);
    if quick {
        command.arg("--quick");
    }
    let output = command
        .stderr(std::process::Stdio::inherit())
        .output()
        .context("cargo run yandex-promo-bench")?;
    if !output.status.success() {
        bail!("the benchmarks failed ({})", output.status);
    }
    Ok(String::from_utf8(output.stdout)?)
}

/// The TLS backends compared, by yandex-promo's feature.
const TLS: [&str; 3] = ["rustls", "rustls-ring", "native-tls"];

/// What the floor depends on for yandex-promo's TLS feature `tls`: reqwest's feature, and any
/// other dependency that feature needs (the `ring` provider, which reqwest does not bring).
fn floor_tls(tls: &str) -> (&'static str, &'static str) {
    match tls {
        "rustls-ring" => (
            "rustls-no-provider",
            r#"rustls = { version = "0.23", default-features = false, features = ["ring", "std", "tls12"] }"#,
        ),
        "native-tls" => ("native-tls", ""),
        _ => ("rustls", ""),
    }
}

/// The floor: a binary depending on reqwest (with yandex-promo's reqwest features), serde_json
/// and tokio.
fn floor_manifest(tls: &str) -> String {
    let (reqwest_tls, extra) = floor_tls(tls);
    format!(
        r#"[package]
name = "floor"
version = "0.0.0"
edition = "2024"

[dependencies]
reqwest = {{ version = "0.13", default-features = false, features = ["json", "query", "stream", "{reqwest_tls}"] }}
serde_json = "1"
{extra}
tokio = {{ version = "1", features = ["rt", "macros"] }}

[workspace]
"#
    )
}

const FLOOR_MAIN: &str = r#"#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::args().nth(1).unwrap_or_default();
    let body: serde_json::Value = reqwest::get(url).await?.json().await?;
    println!("{body}");
    Ok(())
}
"#;

const OURS_MAIN: &str = r#"#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = yandex_promo::go::GoClient::from_env()?;
    let page = client.promocodes().order().list().send().await?;
    println!("{}", page.items.len());
    Ok(())
}
"#;

/// A binary depending on yandex-promo (with one TLS feature) and tokio.
fn ours_manifest(root: &Path, tls: &str) -> String {
    let path = root.join("crates/yandex-promo");
    format!(
        r#"[package]
name = "ours"
version = "0.0.0"
edition = "2024"

[dependencies]
yandex-promo = {{ path = "{}", default-features = false, features = ["{tls}"] }}
tokio = {{ version = "1", features = ["rt", "macros"] }}

[workspace]
"#,
        path.display()
    )
}

/// One cold build: wall time, compilation units, and seconds per crate from `--timings`.
#[derive(Debug)]
struct Build {
    wall: Duration,
    crates: BTreeMap<String, f64>,
}

fn cold_build(root: &Path, dir: &Path, manifest: &str, main: &str) -> anyhow::Result<Build> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    std::fs::create_dir_all(dir.join("src"))?;
    std::fs::write(dir.join("Cargo.toml"), manifest)?;
    std::fs::write(dir.join("src/main.rs"), main)?;
    // Our lock file pins the same versions of every dependency both crates share.
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))?;
    eprintln!("xtask bench: cold build of {}", dir.display());
    let started = Instant::now();
    let status = Command::new(cargo())
        .current_dir(dir)
        .args(["build", "--timings"])
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .status()?;
    let wall = started.elapsed();
    if !status.success() {
        bail!("the build in {} failed", dir.display());
    }
    let timings = dir.join("target/cargo-timings/cargo-timing.html");
    let html = std::fs::read_to_string(&timings)
        .with_context(|| format!("reading {}", timings.display()))?;
    Ok(Build {
        wall,
        crates: unit_seconds(&html)?,
    })
}

/// Seconds per crate (its build script and library added up) from a `--timings` report,
/// which embeds its data as `const UNIT_DATA = [...];`.
fn unit_seconds(html: &str) -> anyhow::Result<BTreeMap<String, f64>> {
    let start = html
        .find("const UNIT_DATA = ")
        .context("no UNIT_DATA in the timings report")?
        + "const UNIT_DATA = ".len();
    let end = start
        + html[start..]
            .find(";\n")
            .context("UNIT_DATA is not closed")?;
    let units: Vec<Value> = serde_json::from_str(&html[start..end])?;
    let mut crates = BTreeMap::new();
    for unit in units {
        let name = unit["name"].as_str().unwrap_or("?").to_owned();
        *crates.entry(name).or_insert(0.0) += unit["duration"].as_f64().unwrap_or(0.0);
    }
    Ok(crates)
}

fn build_cost(root: &Path, out: &Path) -> anyhow::Result<String> {
    let dir: PathBuf = out.join("build-cost");
    let mut report = String::from("## Build cost: a fresh binary, cold `cargo build` (dev)\n\n");
    report.push_str("| TLS | reqwest + serde_json + tokio | yandex-promo + tokio | ratio |\n");
    report.push_str("|---|---|---|---|\n");
    let mut builds = Vec::new();
    for tls in TLS {
        let floor = cold_build(
            root,
            &dir.join(format!("floor-{tls}")),
            &floor_manifest(tls),
            FLOOR_MAIN,
        )?;
        let ours = cold_build(
            root,
            &dir.join(format!("ours-{tls}")),
            &ours_manifest(root, tls),
            OURS_MAIN,
        )?;
        report.push_str(&format!(
            "| {tls} | {:.1} s, {} crates | {:.1} s, {} crates | {:.2} |\n",
            floor.wall.as_secs_f64(),
            floor.crates.len(),
            ours.wall.as_secs_f64(),
            ours.crates.len(),
            ours.wall.as_secs_f64() / floor.wall.as_secs_f64()
        ));
        builds.push((tls, floor, ours));
    }
    for (tls, floor, ours) in &builds {
        report.push_str(&format!(
            "\nWhere the {tls} build of yandex-promo spends its time (`--timings`, CPU seconds per \
             crate, build script included; `new`: not built by the floor):\n\n"
        ));
        report.push_str("| crate | seconds | |\n|---|---|---|\n");
        let mut slowest: Vec<_> = ours.crates.iter().collect();
        slowest.sort_by(|a, b| b.1.total_cmp(a.1));
        for (name, seconds) in slowest.into_iter().take(12) {
            let new = if floor.crates.contains_key(name) {
                ""
            } else {
                "new"
            };
            report.push_str(&format!("| {name} | {seconds:.1} | {new} |\n"));
        }
        let extra: Vec<f64> = ours
            .crates
            .iter()
            .filter(|(name, _)| !floor.crates.contains_key(*name))
            .map(|(_, seconds)| *seconds)
            .collect();
        report.push_str(&format!(
            "\nCrates only yandex-promo needs: {}, {:.1} CPU seconds.\n",
            extra.len(),
            extra.iter().sum::<f64>()
        ));
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_data_is_summed_per_crate() {
        let html = "<script>\nconst UNIT_DATA = [{\"name\":\"a\",\"duration\":1.5},\
                    {\"name\":\"a\",\"duration\":0.5},{\"name\":\"b\",\"duration\":2}];\nconst X = 1;";
        let crates = unit_seconds(html).expect("parsed");
        assert_eq!(crates["a"], 2.0);
        assert_eq!(crates["b"], 2.0);
        assert!(unit_seconds("<html></html>").is_err());
    }
}
