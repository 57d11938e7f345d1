//! `cargo xtask docs`: a self-contained HTML reference of each spec, written by the pinned
//! Redocly CLI with its scripts inlined (no CDN), into `docs/` in cargo's target directory.
//! Not committed: it is derived, and large.
use std::{fs, path::Path};

use anyhow::{Context as _, bail};

use crate::{helpers::step, lint::redocly, workspace::Workspace};

/// The specs to document, as `openapi/<stem>.yaml`.
const SPECS: [&str; 2] = ["go-business", "market-partner"];

/// Writes `<target>/docs/<spec>.html` for each spec and checks that it loads no script from
/// the network.
pub fn run(ws: &Workspace) -> anyhow::Result<()> {
    let out = ws.target.join("docs");
    fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
    for spec in SPECS {
        let html = out.join(format!("{spec}.html"));
        step(
            &ws.root.join("openapi"),
            &format!("HTML reference of {spec}"),
            redocly(&ws.root)?
                .args([
                    "build-docs",
                    &format!("{spec}.yaml"),
                    "--inlineBundle",
                    "-o",
                ])
                .arg(&html),
        )?;
        check_offline(&html)?;
        eprintln!("docs: wrote {}", html.display());
    }
    Ok(())
}

/// Fails when the page would fetch a script or style sheet from elsewhere.
fn check_offline(html: &Path) -> anyhow::Result<()> {
    let page = fs::read_to_string(html).with_context(|| format!("reading {}", html.display()))?;
    for remote in ["<script src=\"http", "<link rel=\"stylesheet\" href=\"http"] {
        if page.contains(remote) {
            bail!(
                "{} loads `{remote}…`: it would not open offline",
                html.display()
            );
        }
    }
    Ok(())
}
