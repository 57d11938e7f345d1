//! What the CLI tests share: the binary with a clean environment, sandboxes to run it
//! against, dates, and the masks of snapshots. `tests/kill.rs` compiles this file too and
//! uses only part of it.
use assert_cmd::Command;
use yandex_promo::{go, market};
use yandex_promo_sandbox::{RunningSandbox, SandboxConfig};

/// The `yandex-promo` binary cargo built for the tests.
pub fn binary() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin("yandex-promo")
}

/// The binary, with no credentials: those in the environment of whoever runs the tests must
/// not leak in.
pub fn cli() -> Command {
    let mut command = Command::new(binary());
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
