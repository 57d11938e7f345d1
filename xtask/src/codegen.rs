//! `cargo xtask codegen [--check]`: every committed file derived from `openapi/*.yaml`.
//!
//! - `openapi/generated/<spec>.json`: the bundled JSON form of each spec, for other teams,
//!   and its variants (see `variants`): `<spec>.dereferenced.json` and
//!   `<spec>.openapi-3.1.json`;
//! - `crates/yandex-promo-raw/spec/<spec>.json`: the same, as the raw crate's build input
//!   (a published build script may not read outside its crate);
//! - `openapi/generated/rust/<module>.rs`: the generated client, formatted, for review;
//! - `openapi/generated/schemas/<spec>/<Type>.json`: JSON Schemas of the request and
//!   response types, exported by the `export-schemas` binary from the generated types.
use std::{
    collections::BTreeMap,
    fs,
    path::{Path, PathBuf},
    process::Command,
};

use anyhow::{Context as _, bail};
use similar::TextDiff;

const GENERATED_DIR: &str = "openapi/generated";
const RAW_SPEC_DIR: &str = "crates/yandex-promo-raw/spec";

/// Regenerates every artifact, or with `check` compares them and fails with a diff.
pub fn run(root: &Path, check: bool) -> anyhow::Result<()> {
    let mut expected = BTreeMap::new();
    for api in yandex_promo_codegen::APIS {
        let yaml_path = root.join("openapi").join(format!("{}.yaml", api.spec_stem));
        let bundle = bundle(&yaml_path)?;
        let code = yandex_promo_codegen::generate(&api, &bundle)
            .with_context(|| format!("generating `{}` from {}", api.module, yaml_path.display()))?;
        let generated = root.join(GENERATED_DIR);
        let spec: serde_json::Value = serde_json::from_str(&bundle)?;
        let dereferenced = crate::variants::dereferenced(&spec)
            .with_context(|| format!("dereferencing {}", yaml_path.display()))?;
        for (suffix, variant) in [
            ("dereferenced", dereferenced),
            ("openapi-3.1", crate::variants::openapi_3_1(&spec)),
        ] {
            expected.insert(
                generated.join(format!("{}.{suffix}.json", api.spec_stem)),
                serde_json::to_string_pretty(&variant)? + "\n",
            );
        }
        expected.insert(
            generated.join(format!("{}.json", api.spec_stem)),
            bundle.clone(),
        );
        expected.insert(
            root.join(RAW_SPEC_DIR)
                .join(format!("{}.json", api.spec_stem)),
            bundle,
        );
        expected.insert(
            root.join(GENERATED_DIR)
                .join("rust")
                .join(format!("{}.rs", api.module)),
            code,
        );
    }
    if !check {
        // The schema exporter compiles the raw crate, which reads the synced spec copies.
        write_all(root, &expected, &[])?;
    }
    for (path, schema) in exported_schemas(root)? {
        expected.insert(path, schema);
    }
    if check {
        compare_all(root, &expected)
    } else {
        write_all(root, &expected, &[GENERATED_DIR, RAW_SPEC_DIR])
    }
}

/// The bundled JSON form of a YAML spec. Our specs use local `$ref`s only, so bundling is a
/// faithful conversion to pretty-printed JSON.
fn bundle(yaml_path: &Path) -> anyhow::Result<String> {
    let text = fs::read_to_string(yaml_path)
        .with_context(|| format!("reading {}", yaml_path.display()))?;
    let value: serde_json::Value =
        serde_yaml::from_str(&text).with_context(|| format!("parsing {}", yaml_path.display()))?;
    Ok(serde_json::to_string_pretty(&value)? + "\n")
}

/// Runs the `export-schemas` binary and splits its output into one file per type.
fn exported_schemas(root: &Path) -> anyhow::Result<Vec<(PathBuf, String)>> {
    let cargo = crate::helpers::cargo();
    let output = Command::new(cargo)
        .args([
            "run",
            "--quiet",
            "--package",
            "xtask",
            "--bin",
            "export-schemas",
        ])
        .current_dir(root)
        .output()
        .context("cannot run the export-schemas binary")?;
    if !output.status.success() {
        bail!(
            "export-schemas failed ({}):\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let by_spec: BTreeMap<String, BTreeMap<String, serde_json::Value>> =
        serde_json::from_slice(&output.stdout).context("export-schemas printed invalid JSON")?;
    let mut files = Vec::new();
    for (spec, schemas) in by_spec {
        for (name, schema) in schemas {
            let path = root
                .join(GENERATED_DIR)
                .join("schemas")
                .join(&spec)
                .join(format!("{name}.json"));
            files.push((path, serde_json::to_string_pretty(&schema)? + "\n"));
        }
    }
    Ok(files)
}

/// Writes every expected file, and removes files under `owned_dirs` that are no longer produced.
fn write_all(
    root: &Path,
    expected: &BTreeMap<PathBuf, String>,
    owned_dirs: &[&str],
) -> anyhow::Result<()> {
    for (path, content) in expected {
        if fs::read_to_string(path).ok().as_deref() == Some(content.as_str()) {
            continue;
        }
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        fs::write(path, content).with_context(|| format!("writing {}", path.display()))?;
        eprintln!("codegen: wrote {}", relative(root, path));
    }
    for dir in owned_dirs {
        for stale in files_under(&root.join(dir))? {
            if !expected.contains_key(&stale) {
                fs::remove_file(&stale).with_context(|| format!("removing {}", stale.display()))?;
                eprintln!("codegen: removed {}", relative(root, &stale));
            }
        }
    }
    Ok(())
}

/// Compares every expected file with what is on disk and fails with a unified diff.
fn compare_all(root: &Path, expected: &BTreeMap<PathBuf, String>) -> anyhow::Result<()> {
    let mut stale = Vec::new();
    for (path, content) in expected {
        let actual = fs::read_to_string(path).unwrap_or_default();
        if actual != *content {
            let name = relative(root, path);
            let diff = TextDiff::from_lines(&actual, content);
            print!(
                "{}",
                diff.unified_diff().context_radius(3).header(&name, &name)
            );
            stale.push(name);
        }
    }
    for dir in [GENERATED_DIR, RAW_SPEC_DIR] {
        for path in files_under(&root.join(dir))? {
            if !expected.contains_key(&path) {
                stale.push(format!("{} (no longer generated)", relative(root, &path)));
            }
        }
    }
    if !stale.is_empty() {
        bail!(
            "{} derived file(s) are stale; run `cargo xtask codegen`:\n  {}",
            stale.len(),
            stale.join("\n  ")
        );
    }
    eprintln!("codegen: {} derived files are up to date", expected.len());
    Ok(())
}

fn files_under(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return Ok(files);
    };
    for entry in entries {
        let path = entry?.path();
        if path.is_dir() {
            files.extend(files_under(&path)?);
        } else {
            files.push(path);
        }
    }
    Ok(files)
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}
