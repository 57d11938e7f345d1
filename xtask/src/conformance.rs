//! `cargo xtask conformance`: schemathesis (see [`crate::venv`]) against a sandbox started
//! from the CLI, with both specs. Bounded: a fixed number of examples per operation.
use std::process::Command;

use crate::{helpers::step, sandbox::SandboxProcess, workspace::Workspace};

/// Examples per operation: enough to cover every parameter, small enough for CI.
const MAX_EXAMPLES: &str = "100";

/// What schemathesis checks: the answers conform to the spec. Checks about how the server
/// treats schema-valid input are left out, because the service enforces rules the schema
/// cannot state (the 90-day window, per-service value ranges), and so does the sandbox.
const CHECKS: &str = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance";

pub fn run(ws: &Workspace) -> anyhow::Result<()> {
    let root = &ws.root;
    let schemathesis = crate::venv::tools(ws)?.join("schemathesis");
    let sandbox = SandboxProcess::start(ws)?;
    // The sandbox accepts any token; pinning the corporate client to the one it serves lets
    // the generated requests reach past the 403 of an unknown client.
    let go_headers = [
        "Authorization: Bearer conformance",
        "X-YaTaxi-Selected-Corp-Client-Id: sandbox-client",
    ];
    let targets = [
        (
            "go-business.yaml",
            format!("{}/integration/2.0", sandbox.url()),
            &go_headers[..],
        ),
        (
            "market-partner.yaml",
            sandbox.url(),
            &["Api-Key: conformance"][..],
        ),
    ];
    for (spec, url, headers) in targets {
        let mut command = Command::new(&schemathesis);
        command.args(["run", spec, "--url", &url, "--checks", CHECKS]);
        for header in headers {
            command.args(["--header", header]);
        }
        step(
            &root.join("openapi"),
            &format!("schemathesis {spec}"),
            command
                .args(["--max-examples", MAX_EXAMPLES, "--seed", "1", "--no-color"])
                .env("HYPOTHESIS_STORAGE_DIRECTORY", ws.target.join("hypothesis")),
        )?;
    }
    Ok(())
}
