//! `-v` and `RUST_LOG`: each attempt of each call on stderr (operation, status, retries), never
//! a token or key even at the most verbose level, stdout still one JSON document with
//! `--json`, and nothing at all without them. The assertions name no span field, only the
//! values the library records (the operation id, the status code), whatever the fields' names.
use yandex_promo::go;
use yandex_promo_sandbox::{Failure, Faults, RunningSandbox, SandboxConfig};

use crate::support::{self, cli, text};

/// A token and a key no one would print by chance.
const SECRET: &str = "y0_SECRET_TOKEN_c0ffee";

async fn sandbox() -> RunningSandbox {
    support::sandbox(SandboxConfig {
        ready_after: std::time::Duration::ZERO,
        ..SandboxConfig::default()
    })
    .await
}

/// Runs `orders list` against `sandbox` with the secret token in the environment and `args`
/// (and `RUST_LOG` when given); asserts it succeeds and prints the secret nowhere, and returns
/// stdout and stderr.
fn orders_list(sandbox: &RunningSandbox, args: &[&str], rust_log: Option<&str>) -> [String; 2] {
    let mut command = cli();
    command
        .env(go::ENV_TOKEN, SECRET)
        .env(go::ENV_BASE_URL, sandbox.go_base_url())
        .args(args)
        .args(["orders", "list"]);
    if let Some(filter) = rust_log {
        command.env("RUST_LOG", filter);
    }
    let output = command.output().expect("runs");
    let [stdout, stderr] = [text(&output.stdout), text(&output.stderr)];
    assert!(output.status.success(), "{args:?} {rust_log:?}: {stderr}");
    assert!(
        !stdout.contains(SECRET) && !stderr.contains(SECRET),
        "the token was printed ({args:?} {rust_log:?}):\n{stdout}\n{stderr}"
    );
    assert!(!stderr.contains('\u{1b}'), "colours on a pipe:\n{stderr}");
    [stdout, stderr]
}

/// The lines of `stderr` about an attempt at `operation` that answered `status`.
fn attempts<'a>(stderr: &'a str, operation: &str, status: u16) -> Vec<&'a str> {
    let status = format!("={status}");
    stderr
        .lines()
        .filter(|line| line.contains(operation) && line.contains(&status))
        .collect()
}

/// Whether `stderr` holds a `trace` line of the HTTP stack, the level that may show headers.
fn http_stack_traces(stderr: &str) -> bool {
    stderr.lines().any(|line| {
        line.contains(" TRACE ")
            && ["hyper", "reqwest", "h2::", "rustls"]
                .iter()
                .any(|name| line.contains(name))
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn the_most_verbose_level_shows_each_attempt_and_never_a_secret() {
    let sandbox = sandbox().await;
    for (args, rust_log) in [
        (&["-vvv"][..], None),
        (&[][..], Some("trace")),
        (
            &["-vvv"][..],
            Some("trace,hyper=trace,reqwest=trace,h2=trace"),
        ),
    ] {
        let [stdout, stderr] = orders_list(&sandbox, args, rust_log);
        assert!(
            stdout.contains("ORDER"),
            "the table still comes out:\n{stdout}"
        );
        assert!(
            !attempts(&stderr, "listPromocodeOrders", 200).is_empty(),
            "{args:?} {rust_log:?}: no attempt shown:\n{stderr}"
        );
        assert!(
            stderr.contains("hyper_util") || stderr.contains("reqwest"),
            "{args:?} {rust_log:?}: the HTTP stack is shown at debug:\n{stderr}"
        );
        assert!(
            !http_stack_traces(&stderr),
            "{args:?} {rust_log:?}: the HTTP stack is capped at debug:\n{stderr}"
        );
    }

    // A Market key, given as a flag.
    let output = cli()
        .args(["-vvv", "--market-api-key", SECRET, "--business-id", "42"])
        .args(["--market-base-url", &sandbox.market_base_url()])
        .args(["market", "promos"])
        .env("RUST_LOG", "trace")
        .output()
        .expect("runs");
    let [stdout, stderr] = [text(&output.stdout), text(&output.stderr)];
    assert!(output.status.success(), "{stderr}");
    assert!(
        !stdout.contains(SECRET) && !stderr.contains(SECRET),
        "{stderr}"
    );
    assert!(!attempts(&stderr, "getPromos", 200).is_empty(), "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn with_json_and_v_stdout_is_one_document_and_stderr_the_attempts() {
    let sandbox = sandbox().await;
    sandbox.handle().set_faults(Faults {
        fail_next: 1,
        failure: Failure::Status503,
        ..Faults::default()
    });
    let [stdout, stderr] = orders_list(&sandbox, &["--json", "-v"], None);
    let document: serde_json::Value = serde_json::from_str(&stdout).expect("one JSON document");
    assert!(document.is_array(), "{document}");
    let failed = attempts(&stderr, "listPromocodeOrders", 503);
    let answered = attempts(&stderr, "listPromocodeOrders", 200);
    assert_eq!(answered.len(), 1, "one answered attempt:\n{stderr}");
    assert!(
        !failed.is_empty() && failed.iter().any(|line| line.contains("retrying")),
        "the failed attempt and its retry:\n{stderr}"
    );
    assert!(!stderr.contains("DEBUG"), "-v stays at info:\n{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn without_v_or_rust_log_stderr_stays_quiet() {
    let sandbox = sandbox().await;
    // `cli()` removes RUST_LOG; an empty one is no filter either.
    for rust_log in [None, Some("")] {
        let [stdout, stderr] = orders_list(&sandbox, &[], rust_log);
        assert!(stdout.contains("ORDER"), "{stdout}");
        assert_eq!(stderr, "", "{rust_log:?}");
    }
    // A bad RUST_LOG is said once and ignored; the command still runs.
    let [_, stderr] = orders_list(&sandbox, &[], Some("yandex_promo=loud"));
    assert!(
        stderr.starts_with("warning: ignoring RUST_LOG=\"yandex_promo=loud\""),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}
