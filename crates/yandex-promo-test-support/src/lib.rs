//! What the workspace's test suites share, in one place (as oxide.rs keeps its
//! `test-common` crate): the vendor examples in `fixtures/`, a recording loopback server with
//! request snapshots that fail on a stray credential, and the check that responses match the
//! JSON Schemas exported from the specs.
//!
//! It depends on none of the workspace's crates, so the client, the generated crate and the
//! sandbox can all use it without a dependency cycle.
#![forbid(unsafe_code)]
#![warn(unreachable_pub)]

mod fixtures;
mod schemas;
mod wire;

pub use fixtures::{fixture, fixture_json, workspace_root};

/// The date tests say it is: the request date a test's client clock and sandbox agree on,
/// so the 90-day rule gives the same answer on every day the suite runs.
pub fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2025, 3, 1).expect("a valid date")
}
pub use schemas::{Exchange, assert_conforms};
pub use wire::{
    API_KEY, CORP_CLIENT, Sent, TOKEN, assert_no_secret, pairs, requests_sent, requests_snapshot,
    serve, the_only_request,
};
