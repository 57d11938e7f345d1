//! `sandbox`: serve a sandbox of both APIs on an address until interrupted, for other tools
//! (and this one, given the URLs it prints) to talk to.
use std::net::SocketAddr;

use anyhow::Context as _;
use clap::Args;

use crate::output::Output;

// The variant's doc comment in `main.rs` is the command's help.
#[derive(Debug, Args)]
pub struct SandboxArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Serve the test controls under /__sandbox/.
    #[arg(long)]
    admin: bool,
    /// Seed the order ids, code ids and codes: the same requests give the same ones.
    #[arg(long)]
    seed: Option<u64>,
}

/// Runs `sandbox`: says its URLs, then serves until the sandbox stops or Ctrl-C.
pub async fn run(args: SandboxArgs, out: Output) -> anyhow::Result<()> {
    let SandboxArgs { addr, admin, seed } = args;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let config = yandex_promo_sandbox::SandboxConfig {
        admin_routes: admin,
        seed,
        ..Default::default()
    };
    let urls = serde_json::json!({
        "go_base_url": format!("http://{addr}/integration/2.0"),
        "market_base_url": format!("http://{addr}"),
    });
    out.result(
        &urls,
        &format!(
            "sandbox: Go for Business at http://{addr}/integration/2.0, Market at http://{addr}"
        ),
    )?;
    tokio::select! {
        served = yandex_promo_sandbox::serve(listener, config) => served?,
        _ = tokio::signal::ctrl_c() => out.note("sandbox: stopped"),
    }
    Ok(())
}
