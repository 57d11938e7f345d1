//! `clients`: the corporate clients the Go for Business token may act for, whose ids
//! `--corp-client-id` takes.
use crate::context::Context;

/// Runs `clients`.
pub async fn run(context: &mut Context) -> anyhow::Result<()> {
    let clients = context.go().await?.corp_clients().list().await?;
    context.out.clients(&clients)
}
