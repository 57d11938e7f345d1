//! The Python tools CI uses (schemathesis, openapi-python-client), pinned in
//! `openapi/requirements.txt` and installed into `python-venv/` in cargo's target directory on first use.
use std::{path::PathBuf, process::Command};

use crate::{ci::step, workspace::Workspace};

/// The venv's `bin` directory, installing the pinned tools when the pins changed since.
pub fn tools(ws: &Workspace) -> anyhow::Result<PathBuf> {
    let root = &ws.root;
    let venv = ws.target.join("python-venv");
    let requirements = std::fs::read_to_string(root.join("openapi/requirements.txt"))?;
    let installed = venv.join("installed-requirements.txt");
    if std::fs::read_to_string(&installed).is_ok_and(|done| done == requirements) {
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
        "pip install the pinned tools",
        Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check", "-r"])
            .arg(root.join("openapi/requirements.txt")),
    )?;
    std::fs::write(installed, requirements)?;
    Ok(venv.join("bin"))
}
