//! The `yandex-promo` binary, run as users run it: against the embedded sandbox, and against
//! a sandbox started by the test. Sandboxes are seeded, so ids and codes are the same on every
//! run; the snapshots mask only what the service or the clock makes differ.
//!
//! One module per area of the command line (`orders`, `zones`, `issue`, `report`, `market`,
//! `demo`, `help` for help and completions, `connection` for credentials and the embedded
//! sandbox, `verbose` for `-v` and `RUST_LOG`), and one `support` module for what they share.
//! The kill test is its own binary, `tests/kill.rs`.
mod connection;
mod demo;
mod help;
mod issue;
mod market;
mod orders;
mod report;
mod support;
mod verbose;
mod zones;
