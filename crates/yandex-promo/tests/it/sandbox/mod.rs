//! The client against the sandbox over loopback: the whole life of an order, idempotency,
//! corporate clients, Market's budgets and promo offers, the test controls. Every response the sandbox gives
//! here is checked against the JSON Schemas exported from the specs.
mod auth;
mod controls;
mod guard;
mod levels;
mod market;
mod offers;
mod orders;
mod promo_errors;
