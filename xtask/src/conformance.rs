//! `cargo xtask conformance`: schemathesis (pinned in `openapi/requirements-conformance.txt`,
//! installed into `target/conformance-venv` on first use) against a sandbox started from the
//! CLI, with both specs. Bounded: a fixed number of examples per operation.
use std::{
    net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream},
    path::{Path, PathBuf},
    process::{Child, Command},
    thread::sleep,
    time::{Duration, Instant},
};

use anyhow::{Context as _, bail};

use crate::ci::step;

/// Examples per operation: enough to cover every parameter, small enough for CI.
const MAX_EXAMPLES: &str = "100";

/// What schemathesis checks: the answers conform to the spec. Checks about how the server
/// treats schema-valid input are left out, because the service enforces rules the schema
/// cannot state (the 90-day window, per-service value ranges), and so does the sandbox.
const CHECKS: &str = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance";

pub fn run(root: &Path) -> anyhow::Result<()> {
    let schemathesis = install(root)?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    step(
        root,
        "build the CLI",
        Command::new(&cargo).args(["build", "--locked", "--package", "yandex-promo-cli"]),
    )?;
    let addr = free_port()?;
    let mut sandbox = Sandbox(
        Command::new(root.join("target/debug/yandex-promo"))
            .args(["sandbox", "--addr", &addr.to_string()])
            .spawn()
            .context("cannot start the sandbox")?,
    );
    wait_until_listening(addr, &mut sandbox.0)?;
    // The sandbox accepts any token; pinning the corporate client to the one it serves lets
    // the generated requests reach past the 403 of an unknown client.
    let go_headers = [
        "Authorization: Bearer conformance",
        "X-YaTaxi-Selected-Corp-Client-Id: sandbox-client",
    ];
    let targets = [
        (
            "go-business.yaml",
            format!("http://{addr}/integration/2.0"),
            &go_headers[..],
        ),
        (
            "market-partner.yaml",
            format!("http://{addr}"),
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
                .env(
                    "HYPOTHESIS_STORAGE_DIRECTORY",
                    root.join("target/hypothesis"),
                ),
        )?;
    }
    Ok(())
}

/// The schemathesis executable, installed into a venv from the pinned requirements.
fn install(root: &Path) -> anyhow::Result<PathBuf> {
    let venv = root.join("target/conformance-venv");
    let executable = venv.join("bin/schemathesis");
    if executable.exists() {
        return Ok(executable);
    }
    step(
        root,
        "python venv",
        Command::new("python3").args(["-m", "venv"]).arg(&venv),
    )?;
    step(
        root,
        "pip install schemathesis",
        Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check", "-r"])
            .arg(root.join("openapi/requirements-conformance.txt")),
    )?;
    Ok(executable)
}

fn free_port() -> anyhow::Result<SocketAddr> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).context("no free port")?;
    Ok(listener.local_addr()?)
}

fn wait_until_listening(addr: SocketAddr, child: &mut Child) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if TcpStream::connect(addr).is_ok() {
            return Ok(());
        }
        if let Some(status) = child.try_wait()? {
            bail!("the sandbox exited ({status})");
        }
        sleep(Duration::from_millis(50));
    }
    bail!("the sandbox did not listen on {addr} within 30 s")
}

/// Stops the sandbox however the checks end.
struct Sandbox(Child);

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
