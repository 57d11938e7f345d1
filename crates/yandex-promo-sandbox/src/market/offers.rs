//! `getPromoOffers`, `updatePromoOffers` and `deletePromoOffers` over the assortments of
//! [`super::assortment`], with the documented request rules: at most 500 offers a request,
//! valid and unique offer ids, `offerIds` or `deleteAllOffers` (never both), page sizes
//! 1 to 500, and opaque page tokens that stay valid while the assortment changes; and the
//! promo errors of Market's error catalogue, with its messages: "Promo has ended", the
//! single-offer throttle, the two delete-parameter errors. `statusType` is refused from
//! 2026-10-12, the date the docs give for switching it off (how it is refused is the
//! sandbox's assumption).
use std::{
    collections::{HashMap, HashSet},
    time::Instant,
};

use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, NaiveDate, Utc};
use yandex_promo_raw::{
    market::types::{
        DeletePromoOffersRequest, DeletePromoOffersResponse, DeletePromoOffersResultDto,
        GetPromoOffersRequest, GetPromoOffersResponse, GetPromoOffersResultDto,
        PackagingForwardScrollingPagerDto, UpdatePromoOffersRequest, UpdatePromoOffersResponse,
        UpdatePromoOffersResultDto,
    },
    open::ApiResponseStatusType,
};

use super::{assortment, gate, promos};
use crate::{envelope::Refusal, state::Shared};

/// The most offers (or ids) one update or delete may carry.
const MAX_BATCH: usize = 500;
/// The page size when the query names none.
const DEFAULT_LIMIT: usize = 250;
/// The largest page.
const MAX_LIMIT: usize = 500;

/// The catalogue's message for a promo that has ended.
const PROMO_ENDED: &str = "Promo has ended";
/// The catalogue's message for the single-offer throttle.
const SINGLE_OFFER_LIMIT: &str = "The limit for promo update requests with a single offerId \
    has been exceeded. Please wait or use batch requests with multiple offerIds for the same \
    promoId.";
/// The catalogue's message for a delete with neither `offerIds` nor `deleteAllOffers`.
const DELETE_PARAMS_MISSING: &str =
    "Not enough parameters in request: offerIds or deleteAllOffers should be specified";
/// The catalogue's message for a delete with both `offerIds` and `deleteAllOffers`.
const DELETE_PARAMS_BOTH: &str = "Too many parameters in request: only one of parameters \
    offerIds or deleteAllOffers should be specified";

/// The day `statusType` was switched off ("Параметр устарел и будет отключен 12.10.2026").
fn status_type_cut_off() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 10, 12).expect("a valid date")
}

/// A promo error of the catalogue: a 400 with its message, coded `BAD_REQUEST`, or `typed`
/// (its `ApiErrorCodeType`) when the sandbox sends typed codes.
fn promo_error(shared: &Shared, typed: &'static str, message: &str) -> Refusal {
    let code = if shared.config.market_typed_errors {
        typed
    } else {
        "BAD_REQUEST"
    };
    gate::error(StatusCode::BAD_REQUEST, code, message)
}

/// What an offers operation checks of its promo before its work: that it is known (404), that
/// it has not ended ("Promo has ended"), and, for an update or delete that carries exactly one
/// offer id, the single-offer throttle. Every one-offer request is counted in the promo's
/// window, the refused ones too, as Market's budgets count every request.
fn admit_promo(shared: &Shared, promo_id: &str, one_offer: bool) -> Result<(), Refusal> {
    let now = Utc::now();
    let mut data = shared.data();
    let market = &mut data.market;
    if promos::has_ended(promo_id, &market.ended, now).ok_or_else(|| unknown_promo(promo_id))? {
        return Err(promo_error(shared, "PROMO_ENDED", PROMO_ENDED));
    }
    let Some((limit, window)) = shared
        .config
        .market_single_offer_limit
        .filter(|_| one_offer)
    else {
        return Ok(());
    };
    // A window's end not yet reached (or a clock that went back) keeps counting in it.
    let in_window = |start: DateTime<Utc>| {
        !now.signed_duration_since(start)
            .to_std()
            .is_ok_and(|elapsed| elapsed >= window)
    };
    let counted = match market.single_offer.get(promo_id) {
        Some(&(start, used)) if in_window(start) => (start, used.saturating_add(1)),
        _ => (now, 1),
    };
    market.single_offer.insert(promo_id.to_owned(), counted);
    if counted.1 > limit {
        return Err(promo_error(
            shared,
            "PROMO_SINGLE_OFFER_TASK_LIMIT_EXCEEDED",
            SINGLE_OFFER_LIMIT,
        ));
    }
    Ok(())
}

fn unknown_promo(promo_id: &str) -> Refusal {
    gate::error(
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        format!("no promo {promo_id:?}"),
    )
}

/// The offer id a page token continues after. Tokens are the last id of a page, encoded, so
/// they stay valid when offers before or after them change.
fn token_of(offer_id: &str) -> String {
    URL_SAFE_NO_PAD.encode(offer_id)
}

fn offer_after(token: &str) -> Result<String, Refusal> {
    URL_SAFE_NO_PAD
        .decode(token)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(|| gate::bad_request(format!("invalid page_token {token:?}")))
}

/// `ShopSku`'s rules: 1 to 255 characters, not blank, no control characters but the tab.
/// `field` names the id in the refusal; it is built only when the id is refused.
fn check_offer_id(field: impl FnOnce() -> String, offer_id: &str) -> Result<(), Refusal> {
    let chars = offer_id.chars().count();
    let control = offer_id
        .chars()
        .any(|c| matches!(c, '\x00'..='\x08' | '\x0a'..='\x1f' | '\x7f'));
    if (1..=255).contains(&chars) && !offer_id.trim().is_empty() && !control {
        Ok(())
    } else {
        Err(gate::bad_request(format!(
            "{}: {offer_id:?} is not a valid SKU (1 to 255 characters, not blank, no control characters)",
            field()
        )))
    }
}

/// `getPromoOffers`.
pub(super) fn list(
    shared: &Shared,
    query: &HashMap<String, String>,
    body: &[u8],
) -> Result<Response, Refusal> {
    let request: GetPromoOffersRequest = gate::json_body(body)?;
    let limit = match query.get("limit") {
        None => DEFAULT_LIMIT,
        Some(raw) => raw
            .parse()
            .ok()
            .filter(|l| (1..=MAX_LIMIT).contains(l))
            .ok_or_else(|| {
                gate::bad_request(format!("limit must be 1 to {MAX_LIMIT}, not {raw:?}"))
            })?,
    };
    // The spec's name is `pageToken`; `page_token` is its documented alias.
    let after = match query.get("page_token").or_else(|| query.get("pageToken")) {
        Some(token) => Some(offer_after(token)?),
        None => None,
    };
    // Our assumption of how the switched-off parameter is refused: a 400 that names it.
    if request.status_type.is_some() && shared.today() >= status_type_cut_off() {
        return Err(gate::bad_request(
            "statusType was switched off on 2026-10-12: use statuses",
        ));
    }
    let filters: Vec<String> = match (&request.statuses, &request.status_type) {
        (Some(_), Some(_)) => {
            return Err(gate::bad_request(
                "send statuses or the deprecated statusType, not both",
            ));
        }
        (Some(statuses), None) if statuses.is_empty() => {
            return Err(gate::bad_request("statuses must not be empty"));
        }
        (Some(statuses), None) => statuses.iter().map(ToString::to_string).collect(),
        (None, Some(status_type)) => vec![status_type.to_string()],
        (None, None) => Vec::new(),
    };
    admit_promo(shared, &request.promo_id, false)?;
    let mut data = shared.data();
    let assortment = data
        .market
        .assortments
        .promo(&request.promo_id, Instant::now())
        .ok_or_else(|| unknown_promo(&request.promo_id))?;
    let keep = |status: &_| {
        filters.is_empty()
            || filters
                .iter()
                .any(|f| assortment::matches_filter(f, status))
    };
    let (offers, more) = assortment.page(after.as_deref(), limit, keep);
    drop(data);
    let next_page_token = offers
        .last()
        .filter(|_| more)
        .map(|last| token_of(&last.offer_id));
    Ok(Json(GetPromoOffersResponse {
        status: ApiResponseStatusType::Ok,
        result: Some(GetPromoOffersResultDto {
            offers,
            paging: Some(PackagingForwardScrollingPagerDto { next_page_token }),
        }),
    })
    .into_response())
}

/// Refuses a price the API's `int64` cannot hold.
fn check_prices_fit(
    index: usize,
    offer: &yandex_promo_raw::market::types::UpdatePromoOfferDto,
) -> Result<(), Refusal> {
    let discount = offer
        .params
        .as_ref()
        .and_then(|p| p.discount_params.as_ref());
    let prices = discount
        .into_iter()
        .flat_map(|d| [d.price, d.promo_price])
        .flatten();
    match prices.map(u64::from).find(|p| i64::try_from(*p).is_err()) {
        Some(price) => Err(gate::bad_request(format!(
            "offers[{index}]: {price} is not an int64 price"
        ))),
        None => Ok(()),
    }
}

/// Refuses an empty list or one over [`MAX_BATCH`].
fn check_batch(field: &str, len: usize) -> Result<(), Refusal> {
    if (1..=MAX_BATCH).contains(&len) {
        Ok(())
    } else {
        Err(gate::bad_request(format!(
            "{field} must hold 1 to {MAX_BATCH} items, not {len}"
        )))
    }
}

/// `updatePromoOffers`.
pub(super) fn update(
    shared: &Shared,
    _: &HashMap<String, String>,
    body: &[u8],
) -> Result<Response, Refusal> {
    let mut request: UpdatePromoOffersRequest = gate::json_body(body)?;
    check_batch("offers", request.offers.len())?;
    for (index, offer) in request.offers.iter_mut().enumerate() {
        check_offer_id(|| format!("offers[{index}].offerId"), &offer.offer_id)?;
        check_prices_fit(index, offer)?;
        // The service trims the spaces around an SKU.
        offer.offer_id = offer.offer_id.trim().to_owned();
    }
    let distinct: HashSet<&str> = request.offers.iter().map(|o| o.offer_id.as_str()).collect();
    admit_promo(shared, &request.promo_id, distinct.len() == 1)?;
    let now = Utc::now();
    let deadline = promos::entry_deadline(&request.promo_id, now)
        .ok_or_else(|| unknown_promo(&request.promo_id))?;
    let delay = shared.config.market_apply_delay;
    let answer = shared.data().market.assortments.update(
        &request.promo_id,
        &request.offers,
        now > deadline,
        Instant::now(),
        delay,
    );
    let (rejected, warned) = answer.ok_or_else(|| unknown_promo(&request.promo_id))?;
    Ok(Json(UpdatePromoOffersResponse {
        status: ApiResponseStatusType::Ok,
        result: Some(UpdatePromoOffersResultDto {
            rejected_offers: (!rejected.is_empty()).then_some(rejected),
            warning_offers: (!warned.is_empty()).then_some(warned),
        }),
    })
    .into_response())
}

/// `deletePromoOffers`.
pub(super) fn delete(
    shared: &Shared,
    _: &HashMap<String, String>,
    body: &[u8],
) -> Result<Response, Refusal> {
    let request: DeletePromoOffersRequest = gate::json_body(body)?;
    let delay = shared.config.market_apply_delay;
    let all = request.delete_all_offers == Some(true);
    let result = match (&request.offer_ids, all) {
        (Some(_), true) => return Err(gate::bad_request(DELETE_PARAMS_BOTH)),
        (None, false) => return Err(gate::bad_request(DELETE_PARAMS_MISSING)),
        (None, true) => {
            admit_promo(shared, &request.promo_id, false)?;
            let mut data = shared.data();
            let assortment = data
                .market
                .assortments
                .promo(&request.promo_id, Instant::now())
                .ok_or_else(|| unknown_promo(&request.promo_id))?;
            assortment.remove_all(Instant::now(), delay);
            None
        }
        (Some(ids), false) => {
            check_batch("offerIds", ids.len())?;
            // The service trims the spaces around an SKU: ids are unique once trimmed.
            let mut seen = HashSet::with_capacity(ids.len());
            let mut trimmed: Vec<String> = Vec::with_capacity(ids.len());
            for (index, id) in ids.iter().enumerate() {
                check_offer_id(|| format!("offerIds[{index}]"), id)?;
                if !seen.insert(id.trim()) {
                    return Err(gate::bad_request(format!(
                        "offerIds[{index}]: {id:?} repeats (the ids must be unique)"
                    )));
                }
                trimmed.push(id.trim().to_owned());
            }
            admit_promo(shared, &request.promo_id, trimmed.len() == 1)?;
            let rejected = shared
                .data()
                .market
                .assortments
                .delete(&request.promo_id, &trimmed, Instant::now(), delay)
                .ok_or_else(|| unknown_promo(&request.promo_id))?;
            Some(DeletePromoOffersResultDto {
                rejected_offers: (!rejected.is_empty()).then_some(rejected),
            })
        }
    };
    Ok(Json(DeletePromoOffersResponse {
        status: ApiResponseStatusType::Ok,
        result,
    })
    .into_response())
}
