//! Integration tests of the ergonomic crate against real HTTP servers on loopback.
mod codes;
mod differential;
mod differential_offers;
mod fault_injection;
mod geo;
mod hostile_responses;
mod issue;
mod market;
mod market_errors;
mod orders;
mod retries;
mod sandbox;
mod secrets;
mod support;
mod usage;
mod validation;
