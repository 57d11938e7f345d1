//! Integration tests of the ergonomic crate against real HTTP servers on loopback.
mod codes;
mod differential;
mod geo;
mod issue;
mod hostile_responses;
mod market;
mod orders;
mod retries;
mod sandbox;
mod secrets;
mod support;
mod validation;
