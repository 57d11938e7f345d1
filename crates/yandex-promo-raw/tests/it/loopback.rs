//! Credentials for the generated clients, for tests against the recording loopback server
//! of `yandex-promo-test-support`.
use yandex_promo_raw::RequestHeaders;
use yandex_promo_test_support::{API_KEY, TOKEN};

/// Headers that authenticate with the Go for Business OAuth token.
pub fn bearer() -> RequestHeaders {
    RequestHeaders::new()
        .with_bearer(TOKEN)
        .expect("valid token")
}

/// Headers that authenticate with the Market API key.
pub fn api_key() -> RequestHeaders {
    RequestHeaders::new()
        .with_api_key(API_KEY)
        .expect("valid key")
}
