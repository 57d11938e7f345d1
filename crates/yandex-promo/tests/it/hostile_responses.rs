//! Whatever a server answers, a call ends in a value or a typed error that carries the status
//! and a bounded excerpt of the body: never a panic, never an error without its status.
use proptest::prelude::*;
use yandex_promo::{EXCERPT_CHARS, Error, RetryPolicy, go::GoClient};

use crate::support::{TOKEN, today};

/// Bodies a broken server or proxy sends: random bytes, invalid UTF-8, JSON of the wrong
/// shape, a real body cut short, an HTML page.
fn body() -> impl Strategy<Value = Vec<u8>> {
    let order = crate::support::fixture_json("go/seed003_order_info.json").to_string();
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..400),
        "\\PC{0,300}".prop_map(String::into_bytes),
        prop::sample::select(vec![
            r#"{"order_id": 5}"#,
            "[]",
            "null",
            r#"{"code": 1}"#,
            r#"{"code": "X", "message": []}"#,
            "<html><body>502 Bad Gateway</body></html>",
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
        (0..order.len()).prop_map(move |cut| order.as_bytes()[..cut].to_vec()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_answer_becomes_a_value_or_a_typed_error_with_its_status(
        status in prop::sample::select(vec![200u16, 201, 400, 401, 403, 404, 409, 429, 500, 502, 503]),
        body in body(),
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        runtime.block_on(async {
            let server = crate::support::serve(status, body.clone()).await;
            let client = GoClient::builder(TOKEN)
                .base_url(format!("{}/integration/2.0", server.uri()))
                .retry(RetryPolicy::disabled())
                .clock(yandex_promo::FixedClock::on(today()))
                .build()
                .expect("client");
            let error = match client.promocodes().order().get("any").await {
                Ok(_) => {
                    prop_assert_eq!(status, 200, "only a 200 that decodes is a value");
                    return Ok(());
                }
                Err(error) => error,
            };
            prop_assert_eq!(error.status(), Some(status), "{:?}", error);
            match &error {
                Error::Api(api) => prop_assert!(status >= 400 && api.status == status),
                Error::Decode { excerpt, .. } => {
                    prop_assert!(excerpt.chars().count() <= EXCERPT_CHARS + 1, "{}", excerpt);
                }
                other => prop_assert!(false, "unexpected {:?}", other),
            }
            prop_assert!(!error.to_string().contains(TOKEN));
            Ok(())
        })?;
    }
}
