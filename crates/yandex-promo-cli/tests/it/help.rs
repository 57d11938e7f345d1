//! `--help` and `completions`: the flags use the spec's names, the connection options have
//! their own heading, and a script comes out for each shell.
use crate::support::{cli, text};

#[test]
fn flags_use_the_spec_vocabulary_and_group_the_connection_options() {
    let help = cli()
        .args(["orders", "create", "--help"])
        .output()
        .expect("runs");
    let help = text(&help.stdout);
    for flag in [
        "--active-until",
        "--active-from",
        "--max-usages-count",
        "--service",
    ] {
        assert!(help.contains(flag), "{flag} in:\n{help}");
    }
    let heading = help
        .find("Connection (flags or environment):")
        .expect("a heading");
    let token = help.find("--go-token").expect("the token flag");
    let own = help.find("--value").expect("the command's own flag");
    assert!(own < heading && heading < token, "{help}");

    let unknown = cli()
        .args(["orders", "create", "--value", "500", "--count", "5"])
        .args(["--until", "2030-01-01", "--service", "boat"])
        .output()
        .expect("runs");
    assert_eq!(
        unknown.status.code(),
        Some(2),
        "clap refuses an unknown service"
    );
    assert!(text(&unknown.stderr).contains("[possible values: taxi, grocery, eats, fuel, cargo]"));
}

#[test]
fn completions_are_generated_for_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        let output = cli().args(["completions", shell]).output().expect("runs");
        assert!(output.status.success(), "{shell}");
        let script = text(&output.stdout);
        assert!(
            script.contains("yandex-promo") && script.contains("orders"),
            "{shell}"
        );
    }
}
