//! Market's error envelope (`{"status": "ERROR", "errors": [{code, message}]}`), read into
//! the crate's [`ApiError`](crate::ApiError) parts, with what Market's error catalogue lets
//! the client recognise: the promo errors and the deprecated method, as an
//! [`ApiErrorKind`] with advice.
//!
//! A kind is read from a typed code (`ApiErrorCodeType`) when an entry carries one, and from
//! the documented message otherwise: the promos operations answer `BAD_REQUEST` with the
//! message today, and are expected to move to the typed codes. A typed code wins over any
//! message. Messages are matched by prefix, trimmed, ignoring ASCII case and runs of
//! whitespace, so trailing punctuation or a reworded tail does not hide them.
use yandex_promo_raw::market::types::ApiErrorResponse;

use crate::{
    ApiErrorKind, ErrorCode, ErrorEntry,
    call::{ErrorBody, VendorError},
};

/// The start of each message of Market's error catalogue (docs site,
/// `concepts/error-codes`, section "promos", and the 403 of every method), with its kind.
const MESSAGES: [(&str, ApiErrorKind); 5] = [
    ("Promo has ended", ApiErrorKind::PromoEnded),
    (
        "The limit for promo update requests with a single offerId",
        ApiErrorKind::SingleOfferThrottled,
    ),
    (
        "Not enough parameters in request: offerIds or deleteAllOffers",
        ApiErrorKind::OfferIdsOrDeleteAllMissing,
    ),
    (
        "Too many parameters in request: only one of parameters offerIds",
        ApiErrorKind::OfferIdsAndDeleteAllBoth,
    ),
    (
        "The method is deprecated and is occasionally forbidden",
        ApiErrorKind::MethodDeprecated,
    ),
];

/// The kind a typed code names. `NO_ACCESS_BY_DEPRECATION_POLICY` is inferred from the name
/// in upstream's `ApiErrorCodeType`: the docs describe that 403 by its message only. No
/// typed code is known for the two delete-parameter errors.
fn kind_of_code(code: &ErrorCode) -> Option<ApiErrorKind> {
    Some(match code {
        ErrorCode::PromoEnded => ApiErrorKind::PromoEnded,
        ErrorCode::PromoEntryDeadlineExceeded => ApiErrorKind::PromoEntryDeadlineExceeded,
        ErrorCode::PromoMechanicsNotSupported => ApiErrorKind::PromoMechanicsNotSupported,
        ErrorCode::PromoSingleOfferTaskLimitExceeded => ApiErrorKind::SingleOfferThrottled,
        ErrorCode::NoAccessByDeprecationPolicy => ApiErrorKind::MethodDeprecated,
        _ => return None,
    })
}

/// The kind a catalogue message names.
fn kind_of_message(message: &str) -> Option<ApiErrorKind> {
    let message = message.split_whitespace().collect::<Vec<_>>().join(" ");
    MESSAGES
        .iter()
        .find(|(prefix, _)| starts_with_ignoring_case(&message, prefix))
        .map(|&(_, kind)| kind)
}

/// Whether `text` starts with `prefix`, ignoring ASCII case (byte-wise: never splits a
/// character, so any text is safe).
fn starts_with_ignoring_case(text: &str, prefix: &str) -> bool {
    text.as_bytes()
        .get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// The kind of an error answer: any entry's typed code first, then any entry's message.
pub(crate) fn kind_of(errors: &[ErrorEntry]) -> Option<ApiErrorKind> {
    errors
        .iter()
        .find_map(|entry| kind_of_code(&entry.code))
        .or_else(|| {
            errors
                .iter()
                .find_map(|entry| entry.message.as_deref().and_then(kind_of_message))
        })
}

/// What to do about an error of this kind, when the promo is not known (the promos calls
/// name it: see `promos::naming_the_promo`).
pub(crate) fn hint_for(kind: ApiErrorKind) -> &'static str {
    match kind {
        ApiErrorKind::PromoEnded => {
            "the promo has ended: check its id; getPromos lists the promos you can join"
        }
        ApiErrorKind::SingleOfferThrottled => {
            "Market limits promo requests that carry a single offerId: send several offers of \
             the same promo in one request, or wait and try again later"
        }
        ApiErrorKind::MethodDeprecated => {
            "Market refuses a growing share of the calls to this deprecated method: stop \
             using it"
        }
        ApiErrorKind::OfferIdsOrDeleteAllMissing | ApiErrorKind::OfferIdsAndDeleteAllBoth => {
            "a delete names either offerIds or deleteAllOffers, exactly one of them"
        }
        ApiErrorKind::PromoEntryDeadlineExceeded => {
            "the promo's deadline for putting offers in has passed"
        }
        ApiErrorKind::PromoMechanicsNotSupported => {
            "this operation does not support the promo's mechanics (getPromos shows them)"
        }
    }
}

impl VendorError for ApiErrorResponse {
    fn into_body(self) -> ErrorBody {
        let errors: Vec<ErrorEntry> = self
            .errors
            .unwrap_or_default()
            .into_iter()
            .map(|e| ErrorEntry {
                code: ErrorCode::from_wire(e.code.as_str()),
                message: e.message,
            })
            .collect();
        let (code, message) = errors.first().map_or_else(
            || (ErrorCode::Unknown(String::new()), None),
            |first| (first.code.clone(), first.message.clone()),
        );
        let kind = kind_of(&errors);
        ErrorBody {
            code,
            message,
            errors,
            hint: kind.map(|kind| hint_for(kind).to_owned()),
            kind,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(json: &str) -> ErrorBody {
        serde_json::from_str::<ApiErrorResponse>(json)
            .expect("decodes")
            .into_body()
    }

    #[test]
    fn market_error_envelope_keeps_every_entry() {
        let body = body(
            r#"{"status": "ERROR", "errors": [{"code": "BAD_REQUEST", "message": "a"}, {"code": "OTHER"}]}"#,
        );
        assert_eq!(body.code, ErrorCode::BadRequest);
        assert_eq!(body.message.as_deref(), Some("a"));
        assert_eq!(body.errors.len(), 2);
        assert_eq!(body.errors[1].code, ErrorCode::Unknown("OTHER".into()));
        assert_eq!(body.hint, None);
        assert_eq!(body.kind, None);
    }

    #[test]
    fn messages_match_trimmed_by_prefix_ignoring_case_and_spacing() {
        for (message, kind) in [
            ("Promo has ended", Some(ApiErrorKind::PromoEnded)),
            ("  promo HAS ended.\n", Some(ApiErrorKind::PromoEnded)),
            (
                "The limit for promo update requests with a single\n  offerId has been exceeded.",
                Some(ApiErrorKind::SingleOfferThrottled),
            ),
            (
                "The method is deprecated and is occasionally forbidden. Please stop using it",
                Some(ApiErrorKind::MethodDeprecated),
            ),
            ("Promo has", None),
            ("The promo has ended", None),
            ("", None),
            ("Ünïcödé ✓ that is shorter than nothing", None),
            ("П", None),
        ] {
            assert_eq!(kind_of_message(message), kind, "{message:?}");
        }
    }

    #[test]
    fn a_typed_code_on_any_entry_wins_over_every_message() {
        let body = body(
            r#"{"status": "ERROR", "errors": [
                {"code": "BAD_REQUEST", "message": "Promo has ended"},
                {"code": "PROMO_SINGLE_OFFER_TASK_LIMIT_EXCEEDED", "message": "whatever"}]}"#,
        );
        assert_eq!(body.kind, Some(ApiErrorKind::SingleOfferThrottled));
        assert!(body.hint.is_some_and(|h| h.contains("several offers")));
    }

    #[test]
    fn a_later_entry_message_is_recognised() {
        let body = body(
            r#"{"status": "ERROR", "errors": [{"code": "BAD_REQUEST"}, {"code": "BAD_REQUEST", "message": "Promo has ended"}]}"#,
        );
        assert_eq!(body.kind, Some(ApiErrorKind::PromoEnded));
    }

    proptest::proptest! {
        #[test]
        fn any_message_is_read_without_panicking(message in "\\PC{0,80}") {
            let _ = kind_of_message(&message);
        }
    }
}
