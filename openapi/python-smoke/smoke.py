"""Smoke test of the Python clients that openapi-python-client generates from our specs.

Run by `cargo xtask python-clients` against a running sandbox:
    python smoke.py http://127.0.0.1:PORT

It uses only what the generator produced (the packages `go_business` and `market` on the
path): create an order, read it, list its codes in two pages, cancel it; create, list,
update and delete a geo zone and order codes for rides from it; read zone information and the
clients of the token; list Market promos.
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
from market.api.promos import get_promos
from market.models import GetPromosRequest, GetPromosResponse, MechanicsType


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


def market(base_url):
    client = MarketClient(
        base_url=base_url,
        token="python-smoke",
        prefix="",
        auth_header_name="Api-Key",
        raise_on_unexpected_status=True,
    )
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


if __name__ == "__main__":
    base = sys.argv[1]
    go_business(base)
    zones(base)
    market(base)
    print("python smoke test passed")
