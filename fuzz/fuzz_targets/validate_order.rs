//! A create request as a user or the CLI's `--file` gives it: the API's shape (the generated
//! `PromocodeOrder`), converted to a `NewOrder` and validated. Parsing, converting and
//! validating never panic, and an order that validates always converts back to a request.
#![no_main]

use libfuzzer_sys::fuzz_target;
use yandex_promo::{go::NewOrder, raw::go::types::PromocodeOrder};

fuzz_target!(|data: &[u8]| {
    let Ok(request) = serde_json::from_slice::<PromocodeOrder>(data) else {
        return;
    };
    let order = NewOrder::from(request);
    let today = chrono::NaiveDate::from_ymd_opt(2025, 3, 1).expect("a date");
    match order.validate(today) {
        Ok(()) => {
            order.to_request(today).expect("a valid order converts");
        }
        Err(error) => assert!(!error.violations.is_empty(), "an error names a violation"),
    }
});
