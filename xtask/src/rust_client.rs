//! `cargo xtask rust-client`: the specs in Rust through a generator that is not progenitor.
//! openapi-to-rust (pinned below, installed from crates.io into cargo's target directory on
//! first use) writes one module per spec into a copy of `openapi/rust-smoke/` under
//! `rust-smoke/` in the target directory; the crate is built there with its committed lock
//! file and every warning an error, and its smoke test runs against a sandbox: an order
//! created, read and its codes listed, a zone created and listed; Market promos and a promo's
//! offers listed, two offers updated, one rejected. The generated code is never edited.
use std::{fs, path::Path, process::Command};

use anyhow::Context as _;

use crate::{
    helpers::{cargo, cargo_tool, step},
    sandbox::SandboxProcess,
    workspace::Workspace,
};

/// The generator and its version; a newer one is adopted by changing this line.
const GENERATOR: (&str, &str) = ("openapi-to-rust", "0.23.0");

/// The specs (`openapi/<name>.yaml`), each generated into the module `<name>` with `-` as `_`.
const SPECS: [&str; 2] = ["go-business", "market-partner"];

/// The committed files of the smoke crate, copied as they are.
const CRATE_FILES: [&str; 4] = ["Cargo.toml", "Cargo.lock", "src/lib.rs", "src/main.rs"];

/// Generates both clients, builds the smoke crate and runs it on a sandbox.
pub fn run(ws: &Workspace) -> anyhow::Result<()> {
    let (krate, version) = GENERATOR;
    let generator = cargo_tool(&ws.target, krate, version, krate)?;
    let source = ws.root.join("openapi/rust-smoke");
    let smoke = ws.target.join("rust-smoke");
    fs::create_dir_all(smoke.join("src"))?;
    for file in CRATE_FILES {
        fs::copy(source.join(file), smoke.join(file))
            .with_context(|| format!("copying openapi/rust-smoke/{file}"))?;
    }
    for spec in SPECS {
        let module = spec.replace('-', "_");
        let out = smoke.join("src").join(&module);
        // A module left by an older generator must not outlive it.
        if out.exists() {
            fs::remove_dir_all(&out)?;
        }
        step(
            &ws.root,
            &format!("{krate} {spec}.yaml"),
            Command::new(&generator)
                .arg("generate")
                .arg(Path::new("openapi").join(format!("{spec}.yaml")))
                .arg("--output-dir")
                .arg(&out)
                .args(["--module-name", &module, "--quiet"]),
        )?;
    }
    // Its own target directory: the smoke crate's dependencies (reqwest 0.13 among them) are
    // not the workspace's, and its builds must not disturb the workspace's.
    step(
        &smoke,
        "build the Rust smoke test",
        Command::new(cargo())
            .args(["build", "--locked", "--manifest-path"])
            .arg(smoke.join("Cargo.toml"))
            .arg("--target-dir")
            .arg(smoke.join("target")),
    )?;
    let sandbox = SandboxProcess::start(ws)?;
    step(
        &smoke,
        "rust smoke test",
        Command::new(smoke.join("target/debug/rust-smoke")).arg(sandbox.url()),
    )
}
