//! A create request as a user or the CLI's `--file` gives it: parsing and validating never
//! panic, and an order that validates always converts to the API request.
#![no_main]

use libfuzzer_sys::fuzz_target;
use yandex_promo::go::NewOrder;

fuzz_target!(|data: &[u8]| {
    let Ok(order) = serde_json::from_slice::<NewOrder>(data) else {
        return;
    };
    let today = chrono::NaiveDate::from_ymd_opt(2025, 3, 1).expect("a date");
    match order.validate(today) {
        Ok(()) => {
            order.to_request(today).expect("a valid order converts");
        }
        Err(error) => assert!(!error.violations.is_empty(), "an error names a violation"),
    }
});
