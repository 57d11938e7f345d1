//! `cargo xtask typescript-client`: the spec in a third language, from stock npm tools pinned
//! in `openapi/package-lock.json` (installed with `npm ci` on first use) and never patched.
//! openapi-typescript turns each spec into types (`ts-smoke/types/*.d.ts` in cargo's target
//! directory); `tsc` checks `openapi/ts-smoke/smoke.cts` against them with the strict settings
//! of `openapi/ts-smoke/tsconfig.json` and compiles it to `ts-smoke/js/`; node runs it against
//! a sandbox, through openapi-fetch: an order created, read and its codes listed, a zone created
//! and listed; Market promos and a promo's offers listed, two offers updated, one rejected.
use std::process::Command;

use crate::{
    helpers::{npm_tools, step},
    sandbox::SandboxProcess,
    workspace::Workspace,
};

/// The specs (`openapi/<name>.yaml`), each imported by the smoke test as `@api/<name>`.
const SPECS: [&str; 2] = ["go-business", "market-partner"];

/// What `npm ci` installs that this check uses, relative to `openapi/node_modules/`.
const INSTALLED: [&str; 4] = [
    ".bin/openapi-typescript",
    ".bin/tsc",
    "openapi-fetch",
    "@types/node",
];

/// Generates the types, type-checks and compiles the smoke test, and runs it on a sandbox.
pub fn run(ws: &Workspace) -> anyhow::Result<()> {
    let openapi = ws.root.join("openapi");
    let modules = npm_tools(&openapi, &INSTALLED)?;
    let out = ws.target.join("ts-smoke");
    std::fs::create_dir_all(out.join("types"))?;
    for spec in SPECS {
        // `--redocly`: the generator validates the spec first, with this configuration (it says
        // why it is not `../redocly.yaml`); `--default-non-nullable false`: a property is
        // required only when the spec's `required` says so, not because it has a `default`.
        step(
            &openapi,
            &format!("openapi-typescript {spec}.yaml"),
            Command::new(modules.join(".bin/openapi-typescript"))
                .arg(format!("{spec}.yaml"))
                .args(["--redocly", "ts-smoke/redocly.yaml"])
                .args(["--default-non-nullable", "false"])
                .arg("--output")
                .arg(out.join("types").join(format!("{spec}.d.ts"))),
        )?;
    }
    // The committed settings, plus what only this run knows: where the types and the
    // JavaScript are.
    let tsconfig = serde_json::json!({
        "extends": openapi.join("ts-smoke/tsconfig.json").to_string_lossy(),
        "compilerOptions": { "paths": { "@api/*": ["./types/*"] }, "outDir": "./js" },
    });
    std::fs::write(
        out.join("tsconfig.json"),
        serde_json::to_string_pretty(&tsconfig)?,
    )?;
    step(
        &out,
        "tsc --strict",
        Command::new(modules.join(".bin/tsc")).args(["--project", "tsconfig.json"]),
    )?;
    let sandbox = SandboxProcess::start(ws)?;
    // The compiled smoke test is CommonJS, so NODE_PATH lets it find openapi-fetch.
    step(
        &out,
        "typescript smoke test",
        Command::new("node")
            .arg(out.join("js/smoke.cjs"))
            .arg(sandbox.url())
            .env("NODE_PATH", &modules),
    )
}
