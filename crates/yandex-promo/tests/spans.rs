//! Every attempt has its span, whichever way a subscriber filters: a call that succeeds at
//! once is made outside the send loop only when its span would reach nobody. A test binary
//! of its own, like `logs.rs`: `tracing` caches per-callsite interest process-wide.
use std::sync::{
    Mutex,
    atomic::{AtomicU64, Ordering},
};

use tracing::{
    Event, Metadata, Subscriber,
    span::{Attributes, Id, Record},
};
use wiremock::{Mock, MockServer, ResponseTemplate, matchers::any};

#[path = "it/support.rs"]
#[allow(dead_code, unused_imports)]
mod support;

/// A subscriber that wants spans and nothing else (as an exporter of traces may), and keeps
/// the names of the spans made.
#[derive(Default)]
struct SpansOnly {
    next: AtomicU64,
    spans: Mutex<Vec<&'static str>>,
}

impl Subscriber for SpansOnly {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.is_span()
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        self.spans
            .lock()
            .expect("lock")
            .push(span.metadata().name());
        Id::from_u64(self.next.fetch_add(1, Ordering::Relaxed) + 1)
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, _: &Event<'_>) {}

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

#[tokio::test]
async fn a_subscriber_of_spans_alone_sees_the_span_of_a_call_that_succeeds_at_once() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200).set_body_json(support::order_json("o-1", "pending")),
        )
        .mount(&server)
        .await;
    let client = support::go_client(&server);
    let subscriber = std::sync::Arc::new(SpansOnly::default());
    let _guard = tracing::subscriber::set_default(subscriber.clone());
    client
        .promocodes()
        .order()
        .get("o-1")
        .await
        .expect("the order");
    let spans = subscriber.spans.lock().expect("lock").clone();
    assert_eq!(spans, ["yandex_promo"], "one attempt, one span");
}
