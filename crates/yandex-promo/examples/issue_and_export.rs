//! Issues a series of promo codes, waits until they are ready, and prints them.
//!
//! Runs offline on an in-process sandbox; set `YANDEX_GO_TOKEN` (and optionally
//! `YANDEX_GO_CORP_CLIENT_ID`) to run it against the real API instead:
//!
//! ```sh
//! cargo run -p yandex-promo --example issue_and_export
//! ```
mod support;

use std::time::Duration;

use chrono::Days;
use futures::TryStreamExt as _;
use yandex_promo::{
    Clock as _, SystemClock,
    go::{GoClient, NewOrder},
    raw::open::{OrderStatus, TariffClass},
};
use yandex_promo_sandbox::RunningSandbox;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // Keep the sandbox alive for the whole run.
    let (client, _sandbox) = support::real_or_sandbox(
        GoClient::from_env(),
        yandex_promo::go::ENV_TOKEN,
        RunningSandbox::go_base_url,
        |sandbox| {
            GoClient::builder("sandbox")
                .base_url(sandbox.go_base_url())
                .build()
        },
    )
    .await?;
    let orders = client.promocodes().order();

    let order = NewOrder::new(300, 10, SystemClock.today() + Days::new(14))
        .name("Welcome rides")
        .classes([TariffClass::Econom, TariffClass::Business]);
    let created = orders.create(order).send().await?;
    // Store the token beside the order id: repeating the create with it never makes a second order.
    println!(
        "created {} with idempotency token {}",
        created.order_id, created.idempotency_token
    );

    loop {
        let order = orders.get(&created.order_id).await?;
        match order.status {
            OrderStatus::CreationSuccess => break,
            OrderStatus::Pending => tokio::time::sleep(Duration::from_millis(200)).await,
            other => anyhow::bail!("the order ended as {other}"),
        }
    }

    let codes: Vec<_> = orders
        .code()
        .list(&created.order_id)
        .stream()
        .try_collect()
        .await?;
    for code in &codes {
        println!("{}\t{}", code.code, code.status);
    }
    Ok(())
}
