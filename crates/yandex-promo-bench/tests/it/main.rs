//! Integration tests of the benchmark binary, laid out like the main crate's `tests/it/`: one
//! module per area, shared helpers in `support`.
mod smoke;
mod support;
