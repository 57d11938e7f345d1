//! The sandbox against real clients over loopback; every response it gives here is checked
//! against the JSON Schemas exported by `cargo xtask codegen`.
mod auth;
mod controls;
mod market;
mod orders;
mod support;
