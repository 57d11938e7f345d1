//! `getPromos`: the seeded promotions, dated around now, with the assortment figures of each
//! (`activeOffers`, `potentialOffers`, `processing`) read from its assortment; a promo ended
//! early (`SandboxHandle::end_promo`) is listed as a past one that ended then. Also whether a
//! promo has ended, for the offers operations' "Promo has ended".
use std::{
    collections::{BTreeMap, HashMap},
    time::Instant,
};

use axum::{
    Json,
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Duration, Utc};
use yandex_promo_raw::{
    market::types::{
        GetPromoAssortmentInfoDto, GetPromoBestsellerInfoDto, GetPromoConstraintsDto, GetPromoDto,
        GetPromoMechanicsInfoDto, GetPromoPromocodeInfoDto, GetPromosRequest, GetPromosResponse,
        GetPromosResultDto, PromoPeriodDto,
    },
    open::{ApiResponseStatusType, ChannelType, MechanicsType, PromoParticipationType},
};

use super::{gate, seed};
use crate::{envelope::Refusal, state::Shared};

/// `getPromos`.
pub(super) fn list(
    shared: &Shared,
    _: &HashMap<String, String>,
    body: &[u8],
) -> Result<Response, Refusal> {
    let filters: GetPromosRequest = if body.iter().all(u8::is_ascii_whitespace) {
        GetPromosRequest::default()
    } else {
        gate::json_body(body)?
    };
    if let Some(MechanicsType::Unknown(value)) = &filters.mechanics {
        return Err(gate::bad_request(format!("unknown mechanics {value:?}")));
    }
    if let Some(PromoParticipationType::Unknown(value)) = &filters.participation {
        return Err(gate::bad_request(format!(
            "unknown participation {value:?}"
        )));
    }
    let mut data = shared.data();
    let now = Instant::now();
    let promos = seeded_promos(Utc::now())
        .into_iter()
        .map(|(when, promo)| {
            let (when, mut promo) = ended_early(when, promo, &data.market.ended);
            if let Some(assortment) = data.market.assortments.promo(&promo.id, now) {
                let (active, potential) = assortment.counts();
                // A finished promo has nothing left to join and nothing to process: the
                // optional fields are absent, as the service may leave them.
                let running = when != When::Past;
                promo.assortment_info = GetPromoAssortmentInfoDto {
                    active_offers: i32::try_from(active).unwrap_or(i32::MAX),
                    potential_offers: running.then(|| i32::try_from(potential).unwrap_or(i32::MAX)),
                    processing: running.then(|| assortment.processing()),
                };
                promo.participating = active > 0;
            }
            (when, promo)
        })
        .filter(|(when, promo)| matches_participation(filters.participation.as_ref(), *when, promo))
        .filter(|(_, promo)| {
            filters
                .mechanics
                .as_ref()
                .is_none_or(|m| *m == promo.mechanics_info.type_)
        })
        .map(|(_, promo)| promo)
        .collect();
    drop(data);
    Ok(Json(GetPromosResponse {
        status: ApiResponseStatusType::Ok,
        result: Some(GetPromosResultDto { promos }),
    })
    .into_response())
}

/// A promo the sandbox ended early (`ended` holds when) as a past one: its period ends then
/// (or at its own end, if that came first), and starts no later.
fn ended_early(
    when: When,
    mut promo: GetPromoDto,
    ended: &BTreeMap<String, DateTime<Utc>>,
) -> (When, GetPromoDto) {
    let Some(&at) = ended.get(&promo.id) else {
        return (when, promo);
    };
    let period = &mut promo.period;
    period.date_time_to = period.date_time_to.min(at);
    period.date_time_from = period.date_time_from.min(period.date_time_to);
    (When::Past, promo)
}

/// Whether a promo has ended by `now`: its period is over, or the sandbox ended it early
/// (it is in `ended`). `None` for an unknown promo.
pub(super) fn has_ended(
    promo_id: &str,
    ended: &BTreeMap<String, DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Option<bool> {
    seeded_promos(now)
        .into_iter()
        .find(|(_, promo)| promo.id == promo_id)
        .map(|(_, promo)| ended.contains_key(promo_id) || promo.period.date_time_to <= now)
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
        // Both come from the promo's assortment when it is listed.
        participating: false,
        assortment_info: GetPromoAssortmentInfoDto {
            active_offers: 0,
            potential_offers: None,
            processing: None,
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
        seed::DIRECT_NOW,
        "Direct discount week",
        -3,
        4,
        MechanicsType::DirectDiscount,
    );
    direct.channels = Some(vec![ChannelType::Push, ChannelType::MainPageCarousel]);

    let mut flash = promo(
        seed::FLASH_SOON,
        "Flash sale",
        2,
        3,
        MechanicsType::BlueFlash,
    );
    flash.channels = Some(vec![ChannelType::StretchMain]);

    let mut promocode = promo(
        seed::PROMOCODE_NOW,
        "Promo code SANDBOX10",
        -1,
        10,
        MechanicsType::MarketPromocode,
    );
    promocode.mechanics_info.promocode_info = Some(GetPromoPromocodeInfoDto {
        promocode: "SANDBOX10".to_owned(),
        discount: 10,
    });
    promocode.constraints = Some(GetPromoConstraintsDto {
        warehouse_ids: Some(vec![101, 202]),
    });
    promocode.channels = Some(vec![ChannelType::Cpa, ChannelType::PostTelegram]);

    let mut bestseller = promo(
        seed::BESTSELLERS_NEXT,
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

    let past = promo(
        seed::PAST_FLASH,
        "Last month's flash sale",
        -40,
        -33,
        MechanicsType::BlueFlash,
    );

    vec![
        (When::Current, direct),
        (When::Future, flash),
        (When::Current, promocode),
        (When::Future, bestseller),
        (When::Past, past),
    ]
}

/// The last instant offers may join or change in a seeded promo: its `entryDeadline`, else its
/// end. `None` for an unknown promo.
pub(super) fn entry_deadline(promo_id: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    seeded_promos(now)
        .into_iter()
        .find(|(_, promo)| promo.id == promo_id)
        .map(|(_, promo)| {
            promo
                .bestseller_info
                .entry_deadline
                .unwrap_or(promo.period.date_time_to)
        })
}
