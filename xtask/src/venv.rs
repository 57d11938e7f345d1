//! Python venvs in cargo's target directory, installed on first use from pinned requirements:
//! the tools CI uses (schemathesis, openapi-python-client, `openapi/requirements.txt`), and the
//! vendor SDK the benchmarks compare with (`crates/yandex-promo-bench/vendor-sdk-requirements.txt`).
use std::{path::PathBuf, process::Command};

use crate::{helpers::step, workspace::Workspace};

/// The `bin` directory of the CI tools' venv.
pub fn tools(ws: &Workspace) -> anyhow::Result<PathBuf> {
    prepare(ws, "python-venv", "openapi/requirements.txt")
}

/// The `bin` directory of the venv `name`, installing `requirements` (a path from the
/// workspace root) when they changed since the last install.
pub fn prepare(ws: &Workspace, name: &str, requirements: &str) -> anyhow::Result<PathBuf> {
    let root = &ws.root;
    let venv = ws.target.join(name);
    let pins = std::fs::read_to_string(root.join(requirements))?;
    let installed = venv.join("installed-requirements.txt");
    if std::fs::read_to_string(&installed).is_ok_and(|done| done == pins) {
        return Ok(venv.join("bin"));
    }
    if !venv.join("bin/pip").exists() {
        step(
            root,
            "python venv",
            Command::new("python3").args(["-m", "venv"]).arg(&venv),
        )?;
    }
    step(
        root,
        "pip install the pinned requirements",
        Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check", "-r"])
            .arg(root.join(requirements)),
    )?;
    std::fs::write(installed, pins)?;
    Ok(venv.join("bin"))
}
