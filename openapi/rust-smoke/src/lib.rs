//! The generated clients, one module per spec, exactly as openapi-to-rust wrote them (into
//! this folder, by `cargo xtask rust-client`). Compiled with every warning an error, so a
//! generator that writes code rustc objects to fails the check.
#![deny(warnings)]

pub mod go_business;
pub mod market_partner;
