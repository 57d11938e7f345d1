//! Codes: three pages as a stream, prefetching, and resuming after an error mid-stream.
use std::time::Duration;

use futures::{StreamExt as _, TryStreamExt as _};
use serde_json::json;
use wiremock::{
    Mock, MockServer, ResponseTemplate,
    matchers::{method, path, query_param, query_param_is_missing},
};
use yandex_promo::{Cursor, raw::open::CodeStatus};

use crate::support::{go_client, requests_sent, requests_snapshot};

const CODES_PATH: &str = "/integration/2.0/promocodes/orders/codes/list";

/// Serves three pages of two codes (`C0`..`C5`) at cursors none, `p2`, `p3`; the page at
/// `failing` first answers `failures` times with a 503.
async fn three_pages(failing: Option<(&str, u64)>) -> MockServer {
    let server = MockServer::start().await;
    let pages = [
        (None, Some("p2")),
        (Some("p2"), Some("p3")),
        (Some("p3"), None),
    ];
    for (index, (cursor, next)) in pages.into_iter().enumerate() {
        let matcher = || {
            let m = Mock::given(method("GET"))
                .and(path(CODES_PATH))
                .and(query_param("order_id", "o-1"));
            match cursor {
                Some(cursor) => m.and(query_param("cursor", cursor)),
                None => m.and(query_param_is_missing("cursor")),
            }
        };
        if let Some((at, times)) = failing
            && Some(at) == cursor
        {
            matcher()
                .respond_with(
                    ResponseTemplate::new(503).set_body_json(json!({"code": "UNAVAILABLE"})),
                )
                .up_to_n_times(times)
                .with_priority(1)
                .mount(&server)
                .await;
        }
        let codes: Vec<_> = (index * 2..index * 2 + 2)
            .map(|n| json!({"id": format!("id{n}"), "code": format!("C{n}"), "status": "active", "usages": []}))
            .collect();
        let body = match next {
            Some(next) => json!({"codes": codes, "next_cursor": next}),
            None => json!({"codes": codes, "next_cursor": null}),
        };
        matcher()
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .mount(&server)
            .await;
    }
    server
}

fn names(codes: &[yandex_promo::go::Code]) -> Vec<String> {
    codes.iter().map(|c| c.code.clone()).collect()
}

#[tokio::test]
async fn codes_stream_reads_three_pages_in_order() {
    let server = three_pages(None).await;
    let codes: Vec<_> = go_client(&server)
        .promocodes()
        .order()
        .code()
        .list("o-1")
        .page_size(2)
        .stream()
        .try_collect()
        .await
        .expect("codes");
    assert_eq!(names(&codes), ["C0", "C1", "C2", "C3", "C4", "C5"]);
    assert!(
        codes
            .iter()
            .all(|c| c.status == CodeStatus::Active && !c.is_revoked)
    );
    insta::assert_snapshot!(requests_snapshot(&server).await);
}

#[tokio::test]
async fn pages_expose_cursors_for_callers_who_persist_progress() {
    let server = three_pages(None).await;
    let pages: Vec<_> = go_client(&server)
        .promocodes()
        .order()
        .code()
        .list("o-1")
        .pages()
        .try_collect()
        .await
        .expect("pages");
    let cursors: Vec<_> = pages
        .iter()
        .map(|p| (p.cursor.clone(), p.next_cursor.clone()))
        .collect();
    assert_eq!(
        cursors,
        [
            (None, Some(Cursor::new("p2"))),
            (Some(Cursor::new("p2")), Some(Cursor::new("p3"))),
            (Some(Cursor::new("p3")), None)
        ]
    );
}

#[tokio::test]
async fn the_next_page_is_fetched_while_the_caller_handles_the_current_one() {
    let server = three_pages(None).await;
    let mut codes = go_client(&server)
        .promocodes()
        .order()
        .code()
        .list("o-1")
        .stream();
    let first = codes.next().await.expect("an item").expect("ok");
    assert_eq!(first.code, "C0");
    // The caller is busy with C0 and has not asked for more; page two still arrives.
    let mut received = 0;
    for _ in 0..500 {
        received = requests_sent(&server).await;
        if received == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(
        received, 2,
        "page two was requested ahead; page three was not"
    );
    drop(codes);
}

#[tokio::test]
async fn an_error_on_page_two_then_resume_yields_every_code_exactly_once() {
    // Page two fails on every attempt of the first listing (4 attempts), then recovers.
    let server = three_pages(Some(("p2", 4))).await;
    let client = go_client(&server);
    let mut seen = Vec::new();
    let mut stream = client.promocodes().order().code().list("o-1").stream();
    let error = loop {
        match stream.next().await {
            Some(Ok(code)) => seen.push(code),
            Some(Err(error)) => break error,
            None => panic!("the listing should have failed on page two"),
        }
    };
    assert_eq!(names(&seen), ["C0", "C1"]);
    assert_eq!(error.error.status(), Some(503));
    assert_eq!(error.resume_from, Some(Cursor::new("p2")));
    assert!(
        stream.next().await.is_none(),
        "the stream ends after its error"
    );

    let rest: Vec<_> = client
        .promocodes()
        .order()
        .code()
        .list("o-1")
        .resume_from(error.resume_from.expect("cursor"))
        .stream()
        .try_collect()
        .await
        .expect("resumed");
    seen.extend(rest);
    assert_eq!(names(&seen), ["C0", "C1", "C2", "C3", "C4", "C5"]);
}

#[tokio::test]
async fn a_page_size_of_zero_is_refused_before_sending() {
    let server = three_pages(None).await;
    let error = go_client(&server)
        .promocodes()
        .order()
        .code()
        .list("o-1")
        .page_size(0)
        .send()
        .await
        .expect_err("0");
    assert_eq!(
        error.violations().expect("validation")[0].field,
        "page_size"
    );
    assert!(requests_sent(&server).await == 0);
}
