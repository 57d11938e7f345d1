//! The sandbox on its own, over plain HTTP as any client sees it, one module per area: each
//! API's error envelope (faults and unknown routes included), the fields the real API always
//! sends, the create rules' answer, zones and clients, Market's offer rules and promo errors,
//! seeded determinism, the router without a socket, and code usages, revocation and the usage
//! demo. Every response is checked against the JSON Schemas exported from the specs.
mod codes;
mod faults;
mod geo;
mod market;
mod orders;
mod promo_errors;
mod server;
mod support;
mod usage;
