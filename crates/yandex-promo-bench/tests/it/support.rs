//! What the test modules share: running the real `yandex-promo-bench` binary and failing with
//! its stderr when it does not succeed.
use std::process::{Command, Output};

/// Runs `yandex-promo-bench` with `args`; panics, showing its stderr, unless it succeeds.
pub fn bench(args: &[&str]) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_yandex-promo-bench"))
        .args(args)
        .output()
        .expect("the benchmark binary starts");
    assert!(
        output.status.success(),
        "yandex-promo-bench {args:?} failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    output
}
