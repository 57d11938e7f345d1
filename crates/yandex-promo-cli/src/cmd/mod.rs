//! One module per top-level command, named as `--help` names it: `yandex-promo orders create`
//! lives in `orders.rs`, `yandex-promo market offers sync` in `market/offers.rs`. Each module
//! owns its clap types and a `run` that `main.rs` calls; commands never use each other, and
//! what several of them share lives outside `cmd/`, at the crate root.
pub mod clients;
pub mod codes;
pub mod completions;
pub mod demo;
pub mod issue;
pub mod market;
pub mod orders;
pub mod report;
pub mod sandbox;
pub mod zones;
