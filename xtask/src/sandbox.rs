//! A sandbox served by the CLI (`yandex-promo sandbox`) on a free loopback port, for the
//! external tools that test against it.
use std::{
    net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream},
    process::{Child, Command},
    thread::sleep,
    time::{Duration, Instant},
};

use anyhow::{Context as _, bail};

use crate::{
    helpers::{cargo, step},
    workspace::Workspace,
};

/// A running sandbox process; dropping it stops it, however the checks end.
#[derive(Debug)]
pub struct SandboxProcess {
    pub addr: SocketAddr,
    child: Child,
}

impl SandboxProcess {
    /// Builds the CLI and starts its sandbox, waiting until it listens.
    pub fn start(ws: &Workspace) -> anyhow::Result<Self> {
        step(
            &ws.root,
            "build the CLI",
            Command::new(cargo()).args(["build", "--locked", "--package", "yandex-promo-cli"]),
        )?;
        let addr = free_port()?;
        let child = Command::new(ws.debug_binary("yandex-promo"))
            .args(["sandbox", "--addr", &addr.to_string()])
            .spawn()
            .context("cannot start the sandbox")?;
        let mut sandbox = Self { addr, child };
        sandbox.wait_until_listening()?;
        Ok(sandbox)
    }

    /// The server root, e.g. `http://127.0.0.1:41234`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn wait_until_listening(&mut self) -> anyhow::Result<()> {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if TcpStream::connect(self.addr).is_ok() {
                return Ok(());
            }
            if let Some(status) = self.child.try_wait()? {
                bail!("the sandbox exited ({status})");
            }
            sleep(Duration::from_millis(50));
        }
        bail!("the sandbox did not listen on {} within 30 s", self.addr)
    }
}

impl Drop for SandboxProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> anyhow::Result<SocketAddr> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).context("no free port")?;
    Ok(listener.local_addr()?)
}
