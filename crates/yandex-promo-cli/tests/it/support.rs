//! What the CLI tests share: the binary with a clean environment, sandboxes to run it
//! against (one with codes used at known times), dates, and the masks of snapshots.
//! `tests/kill.rs` compiles this file too and uses only part of it.
use assert_cmd::Command;
use chrono::{DateTime, Utc};
use futures::TryStreamExt as _;
use yandex_promo::{
    go::{self, Code, GoClient, NewOrder},
    market,
};
use yandex_promo_sandbox::{RunningSandbox, SandboxConfig};

/// The `yandex-promo` binary cargo built for the tests.
pub fn binary() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin("yandex-promo")
}

/// The binary, with no credentials and no `RUST_LOG`: those in the environment of whoever
/// runs the tests must not leak in (nor tracing lines into stderr).
pub fn cli() -> Command {
    let mut command = Command::new(binary());
    command.env_remove("RUST_LOG");
    for name in [
        go::ENV_TOKEN,
        go::ENV_CORP_CLIENT_ID,
        go::ENV_BASE_URL,
        market::ENV_API_KEY,
        market::ENV_OAUTH_TOKEN,
        market::ENV_BUSINESS_ID,
        market::ENV_BASE_URL,
    ] {
        command.env_remove(name);
    }
    command
}

/// The binary with a Go for Business token (any will do) and `sandbox`'s Go URL in its
/// environment.
pub fn go_cli(sandbox: &RunningSandbox) -> Command {
    let mut command = cli();
    command
        .env(go::ENV_TOKEN, "any")
        .env(go::ENV_BASE_URL, sandbox.go_base_url());
    command
}

/// A sandbox started in the test's process, on a free port.
pub async fn sandbox(config: SandboxConfig) -> RunningSandbox {
    yandex_promo_sandbox::start(config).await.expect("sandbox")
}

/// An order to make for [`used_orders`]: value, codes, rides per code, and its usages as
/// (code position, when).
type Plan = (i64, i64, i64, &'static [(usize, &'static str)]);

/// A sandbox (orders issued at once) holding two orders whose codes were used at known
/// times, and their ids. The first: 10 codes worth 300, two rides each; code 0 used on
/// 2026-03-01 at 10:00 and 2026-03-03 at 09:00, code 1 on 2026-03-01 at 12:30, code 2 on
/// 2026-03-03 at 20:00 (UTC). The second: 5 codes worth 500; code 0 used on 2026-03-01 at
/// 23:30 (02:30 on the 2nd in Moscow), one unused code revoked.
pub async fn used_orders() -> (RunningSandbox, [String; 2]) {
    let sandbox = sandbox(SandboxConfig {
        ready_after: std::time::Duration::ZERO,
        ..SandboxConfig::default()
    })
    .await;
    let client = GoClient::builder("any")
        .base_url(sandbox.go_base_url())
        .build()
        .expect("a client");
    let orders = client.promocodes().order();
    let active_until = chrono::Utc::now().date_naive() + chrono::Days::new(30);
    let mut ids = Vec::new();
    let plans: [Plan; 2] = [
        (
            300,
            10,
            2,
            &[
                (0, "2026-03-01T10:00:00Z"),
                (0, "2026-03-03T09:00:00Z"),
                (1, "2026-03-01T12:30:00Z"),
                (2, "2026-03-03T20:00:00Z"),
            ],
        ),
        (500, 5, 1, &[(0, "2026-03-01T23:30:00Z")]),
    ];
    for (value, count, uses, usages) in plans {
        let order = NewOrder::new(value, count, active_until).max_usages_count(uses);
        let id = orders.create(order).send().await.expect("created").order_id;
        let codes: Vec<Code> = orders
            .code()
            .list(&id)
            .stream()
            .try_collect()
            .await
            .expect("codes");
        for &(n, at) in usages {
            let at: DateTime<Utc> = at.parse().expect("a time");
            sandbox
                .handle()
                .record_usage(id.as_str(), codes[n].id.as_str(), at)
                .expect("a usage");
        }
        ids.push(id.to_string());
    }
    sandbox.handle().revoke_codes(&ids[1], 1).expect("an order");
    let ids = ids.try_into().expect("two orders");
    (sandbox, ids)
}

/// The day `days` after today, as `--active-until` takes it.
pub fn until(days: u64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Days::new(days)).to_string()
}

/// What a command printed, as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

/// Masks what changes from run to run: the client's random idempotency tokens, dates, ports
/// and poll counts.
macro_rules! masked {
    ($($body:tt)*) => {
        insta::with_settings!({filters => vec![
            (r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "[TOKEN]"),
            (r"\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:\d{2}))?", "[DATE]"),
            (r"127\.0\.0\.1:\d+", "127.0.0.1:[PORT]"),
            (r"after \d+ polls", "after [N] polls"),
        ]}, { $($body)* });
    };
}
pub(crate) use masked;
