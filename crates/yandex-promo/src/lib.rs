//! The ergonomic client for Yandex Go for Business promo codes and Yandex Market promos.
//!
//! This crate is being built on top of [`yandex_promo_raw`], the client generated from the
//! workspace's OpenAPI specs; until its own API lands, the generated clients are re-exported
//! as [`raw`].
#![forbid(unsafe_code)]
#![deny(missing_docs)]

/// The generated low-level clients, for anything this crate does not wrap.
pub use yandex_promo_raw as raw;
