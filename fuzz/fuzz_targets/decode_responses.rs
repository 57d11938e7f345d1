//! Every response body of both APIs: decoding arbitrary bytes never panics, and whatever
//! decodes survives a round trip unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde::{Serialize, de::DeserializeOwned};
use yandex_promo::raw::{go::types as go, market::types as market};

fn round_trip<T>(data: &[u8])
where
    T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug,
{
    if let Ok(first) = serde_json::from_slice::<T>(data) {
        let encoded = serde_json::to_vec(&first).expect("what decoded encodes");
        let second: T = serde_json::from_slice(&encoded).expect("what encoded decodes");
        assert_eq!(first, second, "the round trip changed the value");
    }
}

fuzz_target!(|data: &[u8]| {
    round_trip::<go::Order>(data);
    round_trip::<go::PromocodeOrderListResponse>(data);
    round_trip::<go::PromocodeOrderCreateResponse>(data);
    round_trip::<go::PromocodeOrderCancelResponse>(data);
    round_trip::<go::CodeListResponse>(data);
    round_trip::<go::Error>(data);
    round_trip::<market::GetPromosResponse>(data);
    round_trip::<market::ApiErrorResponse>(data);
});
