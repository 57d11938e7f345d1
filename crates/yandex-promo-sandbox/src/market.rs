//! Market `getPromos`, under `/v2/businesses/{businessId}/promos`, with seeded promotions and
//! the request budget (1,000 an hour by default; 420 past it, `X-RateLimit-Resource-*` on every answer).
use std::sync::Arc;

use axum::{
    Json, Router,
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::post,
};
use chrono::{DateTime, Duration, SubsecRound as _, Utc};
use yandex_promo_raw::{
    market::types::{
        GetPromoAssortmentInfoDto, GetPromoBestsellerInfoDto, GetPromoConstraintsDto, GetPromoDto,
        GetPromoMechanicsInfoDto, GetPromoPromocodeInfoDto, GetPromosRequest, GetPromosResponse,
        GetPromosResultDto, PromoPeriodDto,
    },
    open::{ApiResponseStatusType, ChannelType, MechanicsType, PromoParticipationType},
};

use crate::{envelope::Api, state::Shared};

/// The routes of the Market promos API.
pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new().route("/v2/businesses/{business_id}/promos", post(get_promos))
}

/// The Market error envelope.
fn error(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    Api::Market.error(status, code, message)
}

async fn get_promos(
    State(shared): State<Arc<Shared>>,
    Path(business_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (allowed, limit_headers) = spend_budget(&shared);
    let mut response = answer(allowed, &business_id, &headers, &body);
    response.headers_mut().extend(limit_headers);
    response
}

fn answer(allowed: bool, business_id: &str, headers: &HeaderMap, body: &[u8]) -> Response {
    let credential = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    let bearer = credential("authorization")
        .and_then(|v| v.strip_prefix("Bearer "))
        .filter(|t| !t.is_empty());
    let api_key = credential("api-key").filter(|k| !k.is_empty());
    if bearer.is_none() && api_key.is_none() {
        return error(
            StatusCode::UNAUTHORIZED,
            "UNAUTHORIZED",
            "an Api-Key or an OAuth token is required",
        );
    }
    if !allowed {
        let status = StatusCode::from_u16(420).unwrap_or(StatusCode::TOO_MANY_REQUESTS);
        return error(
            status,
            "LIMIT_EXCEEDED",
            "the request limit of getPromos is spent",
        );
    }
    if !business_id.parse::<u64>().is_ok_and(|id| id >= 1) {
        return error(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            format!("businessId must be an integer >= 1, not {business_id:?}"),
        );
    }
    let filters: GetPromosRequest = if body.iter().all(u8::is_ascii_whitespace) {
        GetPromosRequest::default()
    } else {
        match serde_json::from_slice(body) {
            Ok(filters) => filters,
            Err(e) => {
                return error(
                    StatusCode::BAD_REQUEST,
                    "BAD_REQUEST",
                    format!("invalid request body: {e}"),
                );
            }
        }
    };
    if let Some(MechanicsType::Unknown(value)) = &filters.mechanics {
        return error(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            format!("unknown mechanics {value:?}"),
        );
    }
    if let Some(PromoParticipationType::Unknown(value)) = &filters.participation {
        return error(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            format!("unknown participation {value:?}"),
        );
    }
    let promos = seeded_promos(Utc::now())
        .into_iter()
        .filter(|(when, promo)| matches_participation(filters.participation.as_ref(), *when, promo))
        .filter(|(_, promo)| {
            filters
                .mechanics
                .as_ref()
                .is_none_or(|m| *m == promo.mechanics_info.type_)
        })
        .map(|(_, promo)| promo)
        .collect();
    Json(GetPromosResponse {
        status: ApiResponseStatusType::Ok,
        result: Some(GetPromosResultDto { promos }),
    })
    .into_response()
}

/// Counts a request against the budget window; returns whether it is within the budget and
/// the `X-RateLimit-Resource-*` headers to send.
fn spend_budget(shared: &Shared) -> (bool, HeaderMap) {
    let limit = shared.config.market_budget;
    let length = Duration::from_std(shared.config.market_window).unwrap_or(Duration::hours(1));
    let now = Utc::now();
    let mut data = shared.data();
    let window = match data.market_window {
        Some((start, used)) if now < start + length => (start, used.saturating_add(1)),
        _ => (now.trunc_subsecs(0), 1),
    };
    data.market_window = Some(window);
    drop(data);
    let (start, used) = window;
    let mut headers = HeaderMap::new();
    let mut put = |name: &'static str, value: String| {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    };
    put("x-ratelimit-resource-limit", limit.to_string());
    put(
        "x-ratelimit-resource-remaining",
        limit.saturating_sub(used).to_string(),
    );
    put("x-ratelimit-resource-until", (start + length).to_rfc2822());
    (used <= limit, headers)
}

/// When a seeded promotion runs, relative to now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum When {
    Past,
    Current,
    Future,
}

fn matches_participation(
    filter: Option<&PromoParticipationType>,
    when: When,
    promo: &GetPromoDto,
) -> bool {
    match filter {
        None => when != When::Past,
        Some(PromoParticipationType::ParticipatingNow) => {
            when == When::Current && promo.participating
        }
        Some(PromoParticipationType::Participated) => when == When::Past,
        Some(_) => false,
    }
}

/// Promotions covering every mechanics, both participation filters, promo code and
/// bestseller info, channels and warehouse constraints; dated around `now`.
fn seeded_promos(now: DateTime<Utc>) -> Vec<(When, GetPromoDto)> {
    let day = |days: i64| {
        (now + Duration::days(days))
            .date_naive()
            .and_hms_opt(0, 0, 0)
            .expect("midnight")
            .and_utc()
    };
    let promo = |id: &str, name: &str, from: i64, to: i64, mechanics: MechanicsType| GetPromoDto {
        id: id.to_owned(),
        name: name.to_owned(),
        period: PromoPeriodDto {
            date_time_from: day(from),
            date_time_to: day(to),
        },
        participating: false,
        assortment_info: GetPromoAssortmentInfoDto {
            active_offers: 0,
            potential_offers: Some(120),
            processing: Some(false),
        },
        mechanics_info: GetPromoMechanicsInfoDto {
            type_: mechanics,
            promocode_info: None,
        },
        bestseller_info: GetPromoBestsellerInfoDto {
            bestseller: false,
            entry_deadline: None,
            renewal_enabled: None,
        },
        channels: None,
        constraints: None,
    };
    let mut direct = promo(
        "sb_direct_now",
        "Direct discount week",
        -3,
        4,
        MechanicsType::DirectDiscount,
    );
    direct.participating = true;
    direct.assortment_info.active_offers = 35;
    direct.channels = Some(vec![ChannelType::Push, ChannelType::MainPageCarousel]);

    let mut flash = promo(
        "sb_flash_soon",
        "Flash sale",
        2,
        3,
        MechanicsType::BlueFlash,
    );
    flash.channels = Some(vec![ChannelType::StretchMain]);

    let mut promocode = promo(
        "sb_promocode_now",
        "Promo code SANDBOX10",
        -1,
        10,
        MechanicsType::MarketPromocode,
    );
    promocode.participating = true;
    promocode.assortment_info.active_offers = 12;
    promocode.mechanics_info.promocode_info = Some(GetPromoPromocodeInfoDto {
        promocode: "SANDBOX10".to_owned(),
        discount: 10,
    });
    promocode.constraints = Some(GetPromoConstraintsDto {
        warehouse_ids: Some(vec![101, 202]),
    });
    promocode.channels = Some(vec![ChannelType::Cpa, ChannelType::PostTelegram]);

    let mut bestseller = promo(
        "sb_bestsellers_next",
        "Market Bestsellers",
        5,
        35,
        MechanicsType::DirectDiscount,
    );
    bestseller.bestseller_info = GetPromoBestsellerInfoDto {
        bestseller: true,
        entry_deadline: Some(day(4)),
        renewal_enabled: Some(true),
    };

    let mut past = promo(
        "sb_past_flash",
        "Last month's flash sale",
        -40,
        -33,
        MechanicsType::BlueFlash,
    );
    past.participating = true;
    past.assortment_info = GetPromoAssortmentInfoDto {
        active_offers: 8,
        potential_offers: None,
        processing: None,
    };

    vec![
        (When::Current, direct),
        (When::Future, flash),
        (When::Current, promocode),
        (When::Future, bestseller),
        (When::Past, past),
    ]
}
