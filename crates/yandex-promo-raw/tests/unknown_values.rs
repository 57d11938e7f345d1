//! Decoding an unknown value of an open enum warns once per type and value. A test binary of
//! its own: `tracing` caches per-callsite interest process-wide, so a thread-local subscriber
//! is only reliable when no other test in the process touches the same callsites at the same
//! time; and the set of values already reported is process-wide too.
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tracing::{
    Event, Level, Subscriber,
    field::{Field, Visit},
};
use tracing_subscriber::{Layer, layer::Context, prelude::*};
use yandex_promo_raw::open::{ChannelType, CodeStatus, OrderStatus};

/// One event: its level, target and fields, each formatted with `Debug`.
#[derive(Debug, Clone)]
struct Recorded {
    level: Level,
    target: String,
    fields: Vec<(String, String)>,
}

impl Recorded {
    fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

impl Visit for Recorded {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.fields
            .push((field.name().to_owned(), format!("{value:?}")));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.fields
            .push((field.name().to_owned(), value.to_owned()));
    }
}

/// A layer that keeps every event.
#[derive(Clone, Default)]
struct Events(Arc<Mutex<Vec<Recorded>>>);

impl<S: Subscriber> Layer<S> for Events {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let mut recorded = Recorded {
            level: *event.metadata().level(),
            target: event.metadata().target().to_owned(),
            fields: Vec::new(),
        };
        event.record(&mut recorded);
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(recorded);
    }
}

impl Events {
    /// Takes the events recorded so far.
    fn take(&self) -> Vec<Recorded> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

/// Runs `f` with a subscriber that records every event, one test at a time.
fn capture(f: impl FnOnce(&Events)) {
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    let _serial: MutexGuard<'_, ()> = ONE_AT_A_TIME.lock().unwrap_or_else(PoisonError::into_inner);
    let events = Events::default();
    let subscriber = tracing_subscriber::registry().with(events.clone());
    tracing::subscriber::with_default(subscriber, || f(&events));
}

fn decode<T: serde::de::DeserializeOwned>(json: &str) -> T {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("does not decode: {e}\n{json}"))
}

/// The (type, value) of each `unknown value of an open enum` warning.
fn unknown_warnings(events: &[Recorded]) -> Vec<(String, String)> {
    events
        .iter()
        .filter(|e| e.field("message") == Some("unknown value of an open enum"))
        .map(|e| {
            assert_eq!(e.level, Level::WARN);
            assert_eq!(e.target, "yandex_promo_raw::open");
            (
                e.field("type").expect("a type").to_owned(),
                e.field("value").expect("a value").to_owned(),
            )
        })
        .collect()
}

#[test]
fn an_unknown_value_warns_once_per_type_and_value() {
    capture(|events| {
        let first: OrderStatus = decode(r#""unknown_values_rs_on_hold""#);
        let again: OrderStatus = decode(r#""unknown_values_rs_on_hold""#);
        let second: OrderStatus = decode(r#""unknown_values_rs_frozen""#);
        assert!(first.is_unknown() && again.is_unknown() && second.is_unknown());
        assert_eq!(
            unknown_warnings(&events.take()),
            [
                (
                    "OrderStatus".to_owned(),
                    r#""unknown_values_rs_on_hold""#.to_owned()
                ),
                (
                    "OrderStatus".to_owned(),
                    r#""unknown_values_rs_frozen""#.to_owned()
                ),
            ]
        );

        // The same value in another open enum is news of its own; in a body, as well.
        let other: CodeStatus = decode(r#""unknown_values_rs_on_hold""#);
        assert!(other.is_unknown());
        let in_body: Vec<OrderStatus> =
            decode(r#"["pending", "unknown_values_rs_frozen", "unknown_values_rs_on_hold"]"#);
        assert_eq!(in_body[0], OrderStatus::Pending);
        assert_eq!(
            unknown_warnings(&events.take()),
            [(
                "CodeStatus".to_owned(),
                r#""unknown_values_rs_on_hold""#.to_owned()
            )]
        );
    });
}

#[test]
fn a_known_value_warns_nothing_nor_does_from_str() {
    capture(|events| {
        for status in OrderStatus::KNOWN {
            let wire = serde_json::to_string(status).expect("serialises");
            assert_eq!(&decode::<OrderStatus>(&wire), status);
        }
        for channel in ChannelType::KNOWN {
            let wire = serde_json::to_string(channel).expect("serialises");
            assert_eq!(&decode::<ChannelType>(&wire), channel);
        }
        // A value the caller builds is no news about the vendor.
        let built: OrderStatus = "unknown_values_rs_built".parse().expect("infallible");
        assert!(built.is_unknown());
        assert!(OrderStatus::from("unknown_values_rs_built_too").is_unknown());
        let events = events.take();
        assert!(events.is_empty(), "{events:?}");
    });
}

#[test]
fn a_hostile_value_is_escaped_and_cut() {
    capture(|events| {
        let value = format!("unknown_values_rs\n\u{1b}[31m{}", "x".repeat(10_000));
        let json = serde_json::to_string(&value).expect("serialises");
        assert_eq!(decode::<OrderStatus>(&json).as_str(), value);
        let warnings = unknown_warnings(&events.take());
        let [(type_name, shown)] = &warnings[..] else {
            panic!("one warning expected: {warnings:?}");
        };
        assert_eq!(type_name, "OrderStatus");
        let head: String = value.chars().take(64).collect();
        assert_eq!(
            shown,
            &format!("{head:?}… ({} bytes)", value.len()),
            "escaped, cut to 64 characters, with the full length"
        );
        assert!(shown.starts_with(r#""unknown_values_rs\n\u{1b}[31m"#));
    });
}
