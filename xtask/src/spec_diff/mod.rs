//! `cargo xtask spec-diff OLD NEW [--json]`: every change between two OpenAPI 3.0 files,
//! each classified as breaking or safe for existing clients, direction-aware (see [`rules`]).
//!
//! - `rules`: the catalogue (one line per rule name), [`Change`] and [`Direction`];
//! - `shape`: `$ref` resolution and the flattened view of a schema (`allOf` merged);
//! - `schema_diff`: the comparison of two schemas in one direction;
//! - `walk`: paths, operations, parameters, bodies and responses, side by side.
//!
//! Other commands call [`diff_texts`] on two specs' text. The report has one line per change; `--json` prints one document
//! `{"changes": [{"rule", "breaking", "location", "message"}]}` instead. The exit status is 0
//! when nothing breaks, 1 when something does and 2 when a file cannot be read or parsed.
mod rules;
mod schema_diff;
mod shape;
mod walk;

#[cfg(test)]
mod tests;

use std::{path::Path, process::ExitCode};

use anyhow::Context as _;
use openapiv3::OpenAPI;

pub use rules::Change;

/// The exit status for a file that cannot be read or parsed.
const UNREADABLE: u8 = 2;

/// Compares the specs at `old` and `new`, prints the report and returns the exit status.
pub fn run(old: &Path, new: &Path, json: bool) -> ExitCode {
    let changes = read(old)
        .and_then(|old_text| Ok((old_text, read(new)?)))
        .and_then(|(old_text, new_text)| {
            diff_texts(&old_text, &new_text)
                .with_context(|| format!("comparing {} with {}", old.display(), new.display()))
        });
    let changes = match changes {
        Ok(changes) => changes,
        Err(error) => {
            eprintln!("spec-diff: {error:#}");
            return ExitCode::from(UNREADABLE);
        }
    };
    if json {
        println!("{}", to_json(&changes));
    } else {
        for change in &changes {
            println!("{}", line(change));
        }
    }
    let breaking = changes.iter().filter(|c| c.breaking).count();
    eprintln!(
        "spec-diff: {} change(s), {breaking} breaking",
        changes.len()
    );
    ExitCode::from(u8::from(breaking > 0))
}

/// The name of every rule of the catalogue, in catalogue order (for lists that name rules,
/// such as the upstream check's allow-list).
pub fn rule_names() -> impl Iterator<Item = &'static str> {
    rules::Rule::ALL.iter().map(|rule| rule.name())
}

/// Every change from the spec text `old` to `new` (YAML, or JSON), for other commands.
pub fn diff_texts(old: &str, new: &str) -> anyhow::Result<Vec<Change>> {
    let old = parse_text(old).context("parsing the old spec")?;
    let new = parse_text(new).context("parsing the new spec")?;
    Ok(walk::diff(&old, &new))
}

fn read(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}

/// Parses a spec's text: JSON when it starts with `{`, else YAML.
fn parse_text(text: &str) -> anyhow::Result<OpenAPI> {
    parse(text, text.trim_start().starts_with('{'))
}

/// Parses a spec's text into `openapiv3`'s model.
fn parse(text: &str, json: bool) -> anyhow::Result<OpenAPI> {
    let spec: OpenAPI = if json {
        serde_json::from_str(text)?
    } else {
        serde_yaml::from_str(text)?
    };
    anyhow::ensure!(
        spec.openapi.starts_with("3.0"),
        "not an OpenAPI 3.0 document (openapi: {})",
        spec.openapi
    );
    Ok(spec)
}

/// One report line: `BREAKING  rule  location: message`.
fn line(change: &Change) -> String {
    let verdict = if change.breaking { "BREAKING" } else { "safe" };
    format!(
        "{verdict:<8}  {:<38}  {}: {}",
        change.rule.name(),
        change.location,
        change.message
    )
}

/// The `--json` document.
fn to_json(changes: &[Change]) -> String {
    let changes: Vec<serde_json::Value> = changes
        .iter()
        .map(|c| {
            serde_json::json!({
                "rule": c.rule.name(),
                "breaking": c.breaking,
                "location": c.location,
                "message": c.message,
            })
        })
        .collect();
    serde_json::to_string_pretty(&serde_json::json!({ "changes": changes }))
        .unwrap_or_else(|_| "{\"changes\": []}".to_owned())
}
