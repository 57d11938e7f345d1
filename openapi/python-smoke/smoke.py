"""Smoke test of the Python clients that openapi-python-client generates from our specs.

Run by `cargo xtask python-clients` against a running sandbox:
    python smoke.py http://127.0.0.1:PORT

It uses only what the generator produced (the packages `go_business` and `market` on the
path): create an order, read it, list its codes in two pages, cancel it; create, list,
update and delete a geo zone and order codes for rides from it; read zone information and the
clients of the token; list Market promos, list the offers of one promotion in two pages,
update two offers of it (one applied, one rejected with its reason) and remove the applied one.
Every step checks what it got, and any failure exits non-zero.
"""

import datetime
import sys
import time
import uuid

from go_business import AuthenticatedClient as GoClient
from go_business.api.auth import list_clients
from go_business.api.geo import (
    create_geo_restriction,
    delete_geo_restriction,
    get_zone_info,
    list_geo_restrictions,
    update_geo_restriction,
)
from go_business.api.promocodes import (
    cancel_promocode_order,
    create_promocode_order,
    get_promocode_order,
    list_promocode_order_codes,
    list_promocode_orders,
)
from go_business.models import (
    ClientList,
    CodeListResponse,
    GeoRestriction,
    GeoRestrictionRef,
    ZoneCircle,
    ZoneId,
    ZoneInfo,
    ZoneList,
    ZoneRequest,
    Order,
    PromocodeOrder,
    PromocodeOrderCancelResponse,
    PromocodeOrderCreateResponse,
    PromocodeOrderListResponse,
    Service,
)
from go_business.types import UNSET
from market import AuthenticatedClient as MarketClient
from market.api.promos import (
    delete_promo_offers,
    get_promo_offers,
    get_promos,
    update_promo_offers,
)
from market.models import (
    ApiResponseStatusType,
    DeletePromoOffersRequest,
    DeletePromoOffersResponse,
    GetPromoOffersRequest,
    GetPromoOffersResponse,
    GetPromosRequest,
    GetPromosResponse,
    MechanicsType,
    UpdatePromoOfferDiscountParamsDTO,
    UpdatePromoOfferDTO,
    UpdatePromoOfferParamsDTO,
    UpdatePromoOffersRequest,
    UpdatePromoOffersResponse,
)
from market.models import PromoOfferParticipationStatusType as Participation
from market.models import RejectedPromoOfferUpdateReasonType as UpdateRejection
from market.types import UNSET as MARKET_UNSET


def expect(value, kind, step):
    """The parsed body of a response, which must be a `kind` (not an error model)."""
    if not isinstance(value, kind):
        raise SystemExit(f"{step}: expected {kind.__name__}, got {value!r}")
    return value


def go_client(base_url):
    """The generated Go for Business client, pointed at the sandbox."""
    return GoClient(
        base_url=f"{base_url}/integration/2.0",
        token="python-smoke",
        raise_on_unexpected_status=True,
    )


def go_business(base_url):
    client = go_client(base_url)
    order = PromocodeOrder(
        value=500,
        count=5,
        active_until=datetime.date.today() + datetime.timedelta(days=30),
        name="python smoke",
        service=Service.TAXI,
    )
    token = str(uuid.uuid4())
    created = expect(
        create_promocode_order.sync(client=client, body=order, x_idempotency_token=token),
        PromocodeOrderCreateResponse,
        "create",
    )
    order_id = created.order_id
    again = expect(
        create_promocode_order.sync(client=client, body=order, x_idempotency_token=token),
        PromocodeOrderCreateResponse,
        "create again with the same token",
    )
    assert again.order_id == order_id, "the idempotency token created a second order"

    # Orders are issued asynchronously: poll until the codes exist, as the spec says.
    deadline = time.monotonic() + 10
    while True:
        info = expect(get_promocode_order.sync(client=client, order_id=order_id), Order, "info")
        if info.status != "pending" or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert info.status == "creation_success", info.status
    assert info.order_id == order_id and info.count == 5 and info.value == 500, info
    assert info.service == Service.TAXI, info.service
    assert info.pricing is not UNSET and float(info.pricing.cost) == 2500.0, info.pricing

    first = expect(
        list_promocode_order_codes.sync(client=client, order_id=order_id, limit=3),
        CodeListResponse,
        "codes, page 1",
    )
    assert len(first.codes) == 3 and first.next_cursor, first
    second = expect(
        list_promocode_order_codes.sync(
            client=client, order_id=order_id, limit=3, cursor=first.next_cursor
        ),
        CodeListResponse,
        "codes, page 2",
    )
    assert len(second.codes) == 2 and not second.next_cursor, second
    codes = {code.code for code in first.codes + second.codes}
    assert len(codes) == 5, "five distinct codes"

    orders = expect(
        list_promocode_orders.sync(client=client, limit=10),
        PromocodeOrderListResponse,
        "orders",
    )
    assert order_id in {o.order_id for o in orders.orders}

    cancelled = expect(
        cancel_promocode_order.sync(client=client, order_id=order_id),
        PromocodeOrderCancelResponse,
        "cancel",
    )
    assert cancelled.status == "cancelled", cancelled
    status = get_promocode_order.sync(client=client, order_id=order_id).status
    assert status == "cancellation_success", status
    print(f"go-business: order {order_id}, 5 codes in 2 pages, cancelled")


def zones(base_url):
    client = go_client(base_url)
    # The centre is [longitude, latitude]: the office near Paveletskaya, Moscow.
    office = ZoneRequest(
        name="python smoke office",
        geo_type="circle",
        geo=ZoneCircle(center=[37.642639, 55.734894], radius=300),
    )
    zone_id = expect(create_geo_restriction.sync(client=client, body=office), ZoneId, "create zone").id
    first = expect(list_geo_restrictions.sync(client=client, limit=1, offset=0), ZoneList, "zones")
    assert first.amount >= 1 and first.items[0].id == zone_id, first
    assert first.items[0].geo.center == [37.642639, 55.734894], first.items[0].geo

    order = PromocodeOrder(
        value=500,
        count=5,
        active_until=datetime.date.today() + datetime.timedelta(days=30),
        geo_restrictions=[GeoRestriction(source=GeoRestrictionRef(geo_restriction_id=zone_id))],
    )
    created = expect(
        create_promocode_order.sync(client=client, body=order, x_idempotency_token=str(uuid.uuid4())),
        PromocodeOrderCreateResponse,
        "create a geo-restricted order",
    )
    info = expect(
        get_promocode_order.sync(client=client, order_id=created.order_id), Order, "info"
    )
    assert info.geo_restrictions[0].source.corp_geo_id == zone_id, info.geo_restrictions

    office.geo.radius = 500
    updated = expect(
        update_geo_restriction.sync(client=client, id=zone_id, body=office), ZoneId, "update zone"
    )
    assert updated.id == zone_id, updated
    expect(delete_geo_restriction.sync(client=client, id=zone_id), ZoneId, "delete zone")

    place = expect(get_zone_info.sync(client=client, lat=55.7558, lon=37.6173), ZoneInfo, "zoneinfo")
    assert place.tariff_classes, place
    clients = expect(list_clients.sync(client=client), ClientList, "auth/list")
    assert clients.clients[0].client_id, clients
    print(f"go-business zones: zone {zone_id} made, used in an order, updated, deleted")


# A DIRECT_DISCOUNT promotion of the sandbox with 60 eligible offers, SKU-0001..SKU-0060.
DIRECT_PROMO = "sb_direct_now"


def market_client(base_url):
    """The generated Market Partner API client, pointed at the sandbox."""
    return MarketClient(
        base_url=base_url,
        token="python-smoke",
        prefix="",
        auth_header_name="Api-Key",
        raise_on_unexpected_status=True,
    )


def market(base_url):
    client = market_client(base_url)
    everything = expect(
        get_promos.sync(business_id=42, client=client), GetPromosResponse, "getPromos"
    )
    promos = everything.result.promos
    assert promos, "the sandbox has promotions"
    filtered = expect(
        get_promos.sync(
            business_id=42,
            client=client,
            body=GetPromosRequest(mechanics=MechanicsType.MARKET_PROMOCODE),
        ),
        GetPromosResponse,
        "getPromos with a filter",
    )
    kinds = {p.mechanics_info.type_ for p in filtered.result.promos}
    assert kinds == {MechanicsType.MARKET_PROMOCODE}, kinds
    print(f"market-partner: {len(promos)} promos, {len(filtered.result.promos)} promo-code promos")


def promo_offers_page(client, step, page_token=MARKET_UNSET, limit=500):
    """One page of the offers of DIRECT_PROMO: (offers, the next page token or None)."""
    page = expect(
        get_promo_offers.sync(
            business_id=42,
            client=client,
            body=GetPromoOffersRequest(promo_id=DIRECT_PROMO),
            page_token=page_token,
            limit=limit,
        ),
        GetPromoOffersResponse,
        step,
    )
    assert page.status == ApiResponseStatusType.OK, page.status
    paging = page.result.paging
    token = None if paging is MARKET_UNSET else paging.next_page_token
    return page.result.offers, (None if token is MARKET_UNSET else token)


def promo_offers_by_id(client, step):
    """Every offer of DIRECT_PROMO by its offerId, following the page tokens."""
    offers, token = promo_offers_page(client, step)
    while token:
        more, token = promo_offers_page(client, step, page_token=token)
        offers += more
    return {offer.offer_id: offer for offer in offers}


def market_offers(base_url):
    client = market_client(base_url)

    # 60 offers in pages of 40: the first page carries a token, the second (20 offers) none.
    first, token = promo_offers_page(client, "getPromoOffers, page 1", limit=40)
    assert len(first) == 40 and token, (len(first), token)
    second, last = promo_offers_page(client, "getPromoOffers, page 2", page_token=token, limit=40)
    assert len(second) == 20 and not last, (len(second), last)
    ids = [offer.offer_id for offer in first + second]
    assert len(set(ids)) == 60, "an offer repeats across the pages"
    assert {o.offer_id for o in first}.isdisjoint(o.offer_id for o in second), ids

    # One offer to add, with a cap (maxPromoPrice), and one without a cap whose promo price
    # is above 95% of its price, so it must be rejected with PROMO_PRICE_BIGGER_THAN_MAX.
    offers = {offer.offer_id: offer for offer in first + second}
    idle = [o for o in offers.values() if o.status == Participation.NOT_PARTICIPATING]
    capped = [o for o in idle if o.params.discount_params.max_promo_price is not MARKET_UNSET]
    uncapped = [o for o in idle if o.params.discount_params.max_promo_price is MARKET_UNSET]
    assert capped and uncapped, "the promotion has offers to add, with and without a cap"
    added, refused = capped[0], uncapped[0]
    cap = added.params.discount_params.max_promo_price
    price, promo_price = cap + cap // 5, cap  # the promo price at the cap, 83% of the price

    def offer(offer_id, price, promo_price):
        return UpdatePromoOfferDTO(
            offer_id=offer_id,
            params=UpdatePromoOfferParamsDTO(
                discount_params=UpdatePromoOfferDiscountParamsDTO(
                    price=price, promo_price=promo_price
                )
            ),
        )

    updated = expect(
        update_promo_offers.sync(
            business_id=42,
            client=client,
            body=UpdatePromoOffersRequest(
                promo_id=DIRECT_PROMO,
                offers=[
                    offer(added.offer_id, price, promo_price),
                    offer(refused.offer_id, 1000, 990),
                ],
            ),
        ),
        UpdatePromoOffersResponse,
        "updatePromoOffers",
    )
    assert updated.status == ApiResponseStatusType.OK, updated.status
    rejected = updated.result.rejected_offers
    assert rejected and len(rejected) == 1, rejected
    assert rejected[0].offer_id == refused.offer_id, rejected[0]
    assert rejected[0].reason == UpdateRejection.PROMO_PRICE_BIGGER_THAN_MAX, rejected[0]

    # The sandbox applies changes at once (the real API takes 4-6 hours).
    now = promo_offers_by_id(client, "getPromoOffers after the update")
    applied = now[added.offer_id]
    assert applied.status == Participation.MANUAL, applied
    params = applied.params.discount_params
    assert (params.price, params.promo_price) == (price, promo_price), params
    assert params.max_promo_price == cap, params
    untouched = now[refused.offer_id]
    assert untouched.status == Participation.NOT_PARTICIPATING, untouched
    assert untouched.params.discount_params.price is MARKET_UNSET, untouched

    deleted = expect(
        delete_promo_offers.sync(
            business_id=42,
            client=client,
            body=DeletePromoOffersRequest(promo_id=DIRECT_PROMO, offer_ids=[added.offer_id]),
        ),
        DeletePromoOffersResponse,
        "deletePromoOffers",
    )
    assert deleted.status == ApiResponseStatusType.OK, deleted.status
    assert deleted.result is MARKET_UNSET or not deleted.result.rejected_offers, deleted.result
    after = promo_offers_by_id(client, "getPromoOffers after the delete")[added.offer_id]
    assert after.status == Participation.NOT_PARTICIPATING, after
    assert after.params.discount_params.promo_price is MARKET_UNSET, after
    print(
        f"market-partner offers: 60 offers in 2 pages; {added.offer_id} added at "
        f"{promo_price}/{price}, {refused.offer_id} rejected ({rejected[0].reason}); "
        f"{added.offer_id} removed"
    )


if __name__ == "__main__":
    base = sys.argv[1]
    go_business(base)
    zones(base)
    market(base)
    market_offers(base)
    print("python smoke test passed")
