//! Every Market example of seed 004 decodes, and so do the edge cases the official schema
//! allows (null arrays, unknown enum values).
use yandex_promo_raw::{
    market::types::{
        ApiErrorResponse, ApiResponse, GetPromoOffersResponse, GetPromosRequest, GetPromosResponse,
        GetPromosResultDto, PromoOfferBestPriceLevelsDto,
    },
    open::{ApiResponseStatusType, ChannelType, MechanicsType, PromoParticipationType},
};

use crate::{decode, fixture};

#[test]
fn seed_004_request_decodes() {
    let request: GetPromosRequest = decode(&fixture("market/seed004_request.json"));
    assert_eq!(
        request.participation,
        Some(PromoParticipationType::ParticipatingNow)
    );
    assert_eq!(request.mechanics, Some(MechanicsType::DirectDiscount));
}

#[test]
fn seed_004_result_decodes_every_field() {
    let result: GetPromosResultDto = decode(&fixture("market/seed004_result.json"));
    let promo = &result.promos[0];
    assert_eq!(promo.id, "example");
    assert!(promo.participating);
    assert_eq!(promo.assortment_info.potential_offers, Some(0));
    assert_eq!(promo.mechanics_info.type_, MechanicsType::DirectDiscount);
    let promocode = promo
        .mechanics_info
        .promocode_info
        .as_ref()
        .expect("promocode info");
    assert_eq!(
        (promocode.promocode.as_str(), promocode.discount),
        ("example", 0)
    );
    assert!(promo.bestseller_info.bestseller);
    assert_eq!(promo.bestseller_info.renewal_enabled, Some(true));
    assert_eq!(promo.channels.as_deref(), Some(&[ChannelType::Push][..]));
    let constraints = promo.constraints.as_ref().expect("constraints");
    assert_eq!(constraints.warehouse_ids.as_deref(), Some(&[0][..]));
}

#[test]
fn seed_004_response_envelope_decodes() {
    // The docs show the envelope (`{"status": "OK"}`) and the result separately; a response
    // is the two together.
    let status: ApiResponse = decode(&fixture("market/seed004_status.json"));
    assert_eq!(status.status, ApiResponseStatusType::Ok);
    let response: GetPromosResponse = decode(&format!(
        r#"{{"status": "OK", "result": {}}}"#,
        fixture("market/seed004_result.json")
    ));
    assert_eq!(response.result.expect("result").promos.len(), 1);
}

#[test]
fn seed_004_error_envelope_decodes() {
    let error: ApiErrorResponse = decode(&fixture("market/seed004_error.json"));
    let errors = error.errors.expect("errors");
    assert_eq!(errors[0].code, "example");
    assert_eq!(errors[0].message.as_deref(), Some("example"));
}

/// Two of seed 004's samples are the doc renderer's placeholders, not payloads: `{}` for
/// objects whose required fields the official schema lists, `[null]` for an array of
/// integers, and no `status`. Decoding them must fail cleanly (an error naming the field), not
/// panic and not invent values; the schema keeps the official required lists.
#[test]
fn seed_004_renderer_placeholders_fail_with_a_clear_error() {
    for (name, missing) in [
        ("market/seed004_placeholder_body.json", "dateTimeFrom"),
        ("market/seed004_placeholder_result.json", "discount"),
    ] {
        let error = serde_json::from_str::<GetPromosResponse>(&fixture(name))
            .expect_err("placeholders are not valid payloads");
        assert!(error.to_string().contains(missing), "{name}: {error}");
    }
}

#[test]
fn null_arrays_absent_objects_and_unknown_enums_decode() {
    let response: GetPromosResponse = decode(
        r#"{"status": "WARNING", "result": {"promos": [{
            "id": "p", "name": "n", "participating": false,
            "period": {"dateTimeFrom": "2025-01-01T00:00:00.123456+03:00",
                       "dateTimeTo": "2025-02-01T00:00:00Z"},
            "assortmentInfo": {"activeOffers": 3},
            "mechanicsInfo": {"type": "MYSTERY_BOX"},
            "bestsellerInfo": {"bestseller": false},
            "channels": null,
            "constraints": {"warehouseIds": null},
            "newField": true}]}}"#,
    );
    assert_eq!(
        response.status,
        ApiResponseStatusType::Unknown("WARNING".into())
    );
    let promo = &response.result.expect("result").promos[0];
    assert_eq!(
        promo.mechanics_info.type_,
        MechanicsType::Unknown("MYSTERY_BOX".into())
    );
    assert_eq!(promo.channels, None);
    assert_eq!(
        promo
            .constraints
            .as_ref()
            .expect("constraints")
            .warehouse_ids,
        None
    );
    assert_eq!(
        promo.period.date_time_from.to_rfc3339(),
        "2024-12-31T21:00:00.123456+00:00"
    );
}

#[test]
fn unknown_channel_decodes_beside_known_ones() {
    let result: GetPromosResultDto = decode(
        r#"{"promos": [{"id": "p", "name": "n", "participating": true,
            "period": {"dateTimeFrom": "2025-01-01T00:00:00Z", "dateTimeTo": "2025-01-02T00:00:00Z"},
            "assortmentInfo": {"activeOffers": 0}, "mechanicsInfo": {"type": "BLUE_FLASH"},
            "bestsellerInfo": {"bestseller": false},
            "channels": ["PUSH", "HOLOGRAM", "OTHER"]}]}"#,
    );
    assert_eq!(
        result.promos[0].channels.as_deref(),
        Some(
            &[
                ChannelType::Push,
                ChannelType::Unknown("HOLOGRAM".into()),
                ChannelType::Other
            ][..]
        )
    );
}

/// The "Market Bestsellers" price levels of `getPromoOffers` (documented on the docs site,
/// ahead of the official spec) decode into their four thresholds.
#[test]
fn a_bestsellers_page_decodes_with_its_levels() {
    let page: GetPromoOffersResponse = decode(&fixture("market/bestsellers_page.json"));
    let offers = page.result.expect("result").offers;
    let levels = |i: usize| {
        offers[i]
            .params
            .discount_params
            .as_ref()
            .and_then(|d| d.best_price_levels.clone())
            .expect("levels")
    };
    assert_eq!(
        levels(0),
        PromoOfferBestPriceLevelsDto {
            light_best_level: 4990,
            best_level: 4690,
            super_best_level: 4390,
            top_best_level: 3990,
        }
    );
    assert_eq!(levels(1).top_best_level, 1490);
}

#[test]
fn a_page_without_levels_still_decodes() {
    let page: GetPromoOffersResponse = decode(
        r#"{"status": "OK", "result": {"offers": [{"offerId": "SKU-1", "status": "AUTO",
            "params": {"discountParams": {"price": 1000, "promoPrice": 900,
                                          "maxPromoPrice": 950}}}]}}"#,
    );
    let offers = page.result.expect("result").offers;
    let params = offers[0].params.discount_params.as_ref().expect("params");
    assert_eq!(params.best_price_levels, None);
    assert_eq!(params.max_promo_price, Some(950));
}

#[test]
fn levels_missing_a_threshold_fail_with_its_name() {
    let error = serde_json::from_str::<PromoOfferBestPriceLevelsDto>(
        r#"{"lightBestLevel": 3, "bestLevel": 2, "superBestLevel": 1}"#,
    )
    .expect_err("all four thresholds are required");
    assert!(error.to_string().contains("topBestLevel"), "{error}");
}

/// `ApiErrorDTO.code` is an open list in the spec and a string here: a typed promo code and a
/// code no list names decode alike.
#[test]
fn typed_and_unlisted_error_codes_decode() {
    let error: ApiErrorResponse = decode(
        r#"{"status": "ERROR", "errors": [
            {"code": "PROMO_SINGLE_OFFER_TASK_LIMIT_EXCEEDED", "message": "wait"},
            {"code": "SOMETHING_NEW"}]}"#,
    );
    let codes: Vec<_> = error
        .errors
        .expect("errors")
        .into_iter()
        .map(|e| e.code)
        .collect();
    assert_eq!(
        codes,
        ["PROMO_SINGLE_OFFER_TASK_LIMIT_EXCEEDED", "SOMETHING_NEW"]
    );
}
