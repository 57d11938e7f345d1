//! `cargo xtask python-clients`: the spec in a second language. openapi-python-client (see
//! [`crate::venv`]) generates a Python client from each spec into
//! `python-clients/` in cargo's target directory, and `openapi/python-smoke/smoke.py` drives both against a
//! sandbox: create, info, codes in two pages, cancel, zones, getPromos, a promo's offers in two
//! pages, an update with a refusal, a delete.
use std::process::Command;

use crate::{helpers::step, sandbox::SandboxProcess, workspace::Workspace};

/// Each spec and the Python package generated from it.
const CLIENTS: [(&str, &str); 2] = [
    ("go-business.yaml", "go_business"),
    ("market-partner.yaml", "market"),
];

pub fn run(ws: &Workspace) -> anyhow::Result<()> {
    let root = &ws.root;
    let bin = crate::venv::tools(ws)?;
    let out = ws.target.join("python-clients");
    std::fs::create_dir_all(&out)?;
    // The generator formats its output with ruff, which it finds on PATH.
    let path = std::env::join_paths(
        std::iter::once(bin.clone()).chain(
            std::env::var_os("PATH")
                .iter()
                .flat_map(std::env::split_paths),
        ),
    )?;
    for (spec, package) in CLIENTS {
        step(
            &out,
            &format!("openapi-python-client {spec}"),
            Command::new(bin.join("openapi-python-client"))
                .args([
                    "generate",
                    "--meta",
                    "none",
                    "--overwrite",
                    "--fail-on-warning",
                ])
                .arg("--path")
                .arg(root.join("openapi").join(spec))
                .args(["--output-path", package])
                .env("PATH", &path),
        )?;
    }
    let sandbox = SandboxProcess::start(ws)?;
    step(
        &out,
        "python smoke test",
        Command::new(bin.join("python"))
            .arg(root.join("openapi/python-smoke/smoke.py"))
            .arg(sandbox.url())
            .env("PYTHONPATH", &out),
    )
}
