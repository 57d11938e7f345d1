/**
 * Smoke test of a TypeScript client of our specs: the types that openapi-typescript generates
 * from each spec (`@api/go-business`, `@api/market-partner`, written to cargo's target
 * directory and never edited) driven through openapi-fetch's typed `fetch`.
 *
 * Run by `cargo xtask typescript-client` against a running sandbox, after `tsc` checked it
 * with the strict settings of tsconfig.json:
 *     node smoke.cjs http://127.0.0.1:PORT
 *
 * It mirrors ../python-smoke/smoke.py, shorter: create an order (twice with one idempotency
 * token), read it until its codes are issued, list its codes in two pages; create a geo zone
 * and list the zones; list Market promos, list the offers of one promotion in two pages and
 * update two of them, one applied and one rejected with its reason. Every step checks what it
 * got, and any failure exits non-zero.
 */
import { randomUUID } from "node:crypto";

import createClient from "openapi-fetch";

import type {
    components as GoComponents,
    operations as GoOperations,
    paths as GoPaths,
} from "@api/go-business";
import type {
    components as MarketComponents,
    operations as MarketOperations,
    paths as MarketPaths,
} from "@api/market-partner";

type PromocodeOrder = GoComponents["schemas"]["PromocodeOrder"];
type PromoOffer = MarketComponents["schemas"]["GetPromoOfferDTO"];
type OfferUpdate = MarketComponents["schemas"]["UpdatePromoOfferDTO"];
// Queries built a piece at a time are typed by hand: openapi-fetch infers its options from the
// literal it is given, and such inference does not reject an unknown key inside a conditional.
type CodesQuery = GoOperations["listPromocodeOrderCodes"]["parameters"]["query"];
type OffersQuery = NonNullable<MarketOperations["getPromoOffers"]["parameters"]["query"]>;

/** Fails the smoke test with `message` unless `condition` holds. */
function check(condition: boolean, message: string): asserts condition {
    if (!condition) {
        throw new Error(message);
    }
}

/** The parsed body of a successful response; fails with the status and error body otherwise. */
function expect<T>(
    result: { data?: T; error?: unknown; response: Response },
    step: string,
): T {
    if (result.data === undefined) {
        const body = JSON.stringify(result.error);
        throw new Error(`${step}: HTTP ${result.response.status} ${body}`);
    }
    return result.data;
}

function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

function goClient(base: string) {
    return createClient<GoPaths>({
        baseUrl: `${base}/integration/2.0`,
        headers: { Authorization: "Bearer typescript-smoke" },
    });
}

async function goBusiness(base: string): Promise<void> {
    const go = goClient(base);
    const activeUntil = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString().slice(0, 10);
    const order: PromocodeOrder = {
        value: 500,
        count: 5,
        active_until: activeUntil,
        name: "typescript smoke",
        service: "taxi",
    };
    const token = randomUUID();
    const create = () =>
        go.POST("/promocodes/orders/create", {
            params: { header: { "X-Idempotency-Token": token } },
            body: order,
        });
    const orderId = expect(await create(), "create").order_id;
    const again = expect(await create(), "create again with the same token").order_id;
    check(again === orderId, `the idempotency token created a second order: ${again}`);

    // Orders are issued asynchronously: poll until the codes exist, as the spec says.
    const read = async () => {
        const info = await go.GET("/promocodes/orders/info", {
            params: { query: { order_id: orderId } },
        });
        return expect(info, "info");
    };
    const deadline = Date.now() + 10_000;
    let info = await read();
    while (info.status === "pending" && Date.now() < deadline) {
        await sleep(50);
        info = await read();
    }
    check(info.status === "creation_success", `order status ${info.status}`);
    const { count, value } = info;
    check(info.order_id === orderId && count === 5 && value === 500, `${count} × ${value}`);
    check(info.service === "taxi", `service ${info.service}`);
    check(Number(info.pricing.cost) === 2500, `cost ${info.pricing.cost}`);

    const codes = (cursor?: string) => {
        const query: CodesQuery = { order_id: orderId, limit: 3 };
        if (cursor !== undefined) {
            query.cursor = cursor;
        }
        return go.GET("/promocodes/orders/codes/list", { params: { query } });
    };
    const first = expect(await codes(), "codes, page 1");
    check(first.codes.length === 3 && typeof first.next_cursor === "string", JSON.stringify(first));
    const second = expect(await codes(first.next_cursor), "codes, page 2");
    check(second.codes.length === 2 && !second.next_cursor, JSON.stringify(second));
    const distinct = new Set([...first.codes, ...second.codes].map((code) => code.code));
    check(distinct.size === 5, `${distinct.size} distinct codes, not 5`);

    // The centre is [longitude, latitude]: the office near Paveletskaya, Moscow.
    const zone = expect(
        await go.POST("/geo_restrictions/create", {
            body: {
                name: `typescript smoke office ${token.slice(0, 8)}`,
                geo_type: "circle",
                geo: { center: [37.642639, 55.734894], radius: 300 },
            },
        }),
        "create zone",
    ).id;
    const zones = expect(
        await go.GET("/geo_restrictions/list", { params: { query: { limit: 1, offset: 0 } } }),
        "zones",
    );
    const listed = zones.items[0];
    check(zones.amount >= 1 && listed?.id === zone, `zones ${JSON.stringify(zones)}`);
    const [longitude, latitude] = listed.geo.center;
    check(longitude === 37.642639 && latitude === 55.734894, `centre ${listed.geo.center}`);
    console.log(`go-business: order ${orderId}, 5 codes in 2 pages; zone ${zone} made and listed`);
}

// A DIRECT_DISCOUNT promotion of the sandbox with 60 eligible offers, SKU-0001..SKU-0060.
const DIRECT_PROMO = "sb_direct_now";
const BUSINESS = { businessId: 42 };

function marketClient(base: string) {
    return createClient<MarketPaths>({
        baseUrl: base,
        headers: { "Api-Key": "typescript-smoke" },
    });
}

async function market(base: string): Promise<void> {
    const market = marketClient(base);
    const promos = expect(
        await market.POST("/v2/businesses/{businessId}/promos", {
            params: { path: BUSINESS },
            body: {},
        }),
        "getPromos",
    );
    check(promos.status === "OK", `getPromos status ${promos.status}`);
    const all = promos.result?.promos ?? [];
    check(all.some((promo) => promo.id === DIRECT_PROMO), `no ${DIRECT_PROMO} in ${all.length}`);

    // 60 offers in pages of 40: the first page carries a token, the second (20 offers) none.
    const offers = async (step: string, pageToken?: string) => {
        const query: OffersQuery = { limit: 40 };
        if (pageToken !== undefined) {
            query.pageToken = pageToken;
        }
        const page = expect(
            await market.POST("/v2/businesses/{businessId}/promos/offers", {
                params: { path: BUSINESS, query },
                body: { promoId: DIRECT_PROMO },
            }),
            step,
        );
        check(page.status === "OK" && page.result !== undefined, `${step}: ${page.status}`);
        return { offers: page.result.offers, next: page.result.paging?.nextPageToken };
    };
    const everyOffer = async (step: string) => {
        const all = await offers(step);
        for (let next = all.next; next !== undefined; ) {
            const more = await offers(step, next);
            all.offers.push(...more.offers);
            next = more.next;
        }
        return all.offers;
    };
    const first = await offers("getPromoOffers, page 1");
    check(first.offers.length === 40 && first.next !== undefined, `${first.offers.length} offers`);
    const second = await offers("getPromoOffers, page 2", first.next);
    check(second.offers.length === 20 && !second.next, `${second.offers.length} offers`);
    const byId = new Map<string, PromoOffer>(
        [...first.offers, ...second.offers].map((offer) => [offer.offerId, offer]),
    );
    check(byId.size === 60, `${byId.size} distinct offers, not 60`);

    // One offer to add, at its cap (maxPromoPrice), and one without a cap whose promo price is
    // above 95% of its price, so it must be rejected with PROMO_PRICE_BIGGER_THAN_MAX.
    const idle = [...byId.values()].filter((o) => o.status === "NOT_PARTICIPATING");
    const added = idle.find((o) => o.params.discountParams?.maxPromoPrice !== undefined);
    const refused = idle.find((o) => o.params.discountParams?.maxPromoPrice === undefined);
    check(added !== undefined && refused !== undefined, "no offers to add, with and without a cap");
    const cap = added.params.discountParams?.maxPromoPrice ?? 0;
    const price = cap + Math.floor(cap / 5);
    const offer = (offerId: string, oldPrice: number, promoPrice: number): OfferUpdate => ({
        offerId,
        params: { discountParams: { price: oldPrice, promoPrice } },
    });
    const updated = expect(
        await market.POST("/v2/businesses/{businessId}/promos/offers/update", {
            params: { path: BUSINESS },
            body: {
                promoId: DIRECT_PROMO,
                offers: [offer(added.offerId, price, cap), offer(refused.offerId, 1000, 990)],
            },
        }),
        "updatePromoOffers",
    );
    check(updated.status === "OK", `updatePromoOffers status ${updated.status}`);
    const rejected = updated.result?.rejectedOffers ?? [];
    const [rejection] = rejected;
    check(rejected.length === 1 && rejection !== undefined, `rejected ${JSON.stringify(rejected)}`);
    check(rejection.offerId === refused.offerId, `rejected ${rejection.offerId}`);
    check(rejection.reason === "PROMO_PRICE_BIGGER_THAN_MAX", `rejected for ${rejection.reason}`);

    // The sandbox applies changes at once (the real API takes 4-6 hours).
    const after = await everyOffer("getPromoOffers after the update");
    const applied = after.find((o) => o.offerId === added.offerId);
    check(applied?.status === "MANUAL", `${added.offerId} now: ${JSON.stringify(applied)}`);
    console.log(
        `market-partner: ${all.length} promos; ${DIRECT_PROMO} has 60 offers in 2 pages; ` +
            `${added.offerId} added at ${cap}/${price}, ` +
            `${refused.offerId} rejected (${rejection.reason})`,
    );
}

async function main(): Promise<void> {
    const base = process.argv[2];
    check(base !== undefined, "usage: node smoke.cjs http://127.0.0.1:PORT");
    await goBusiness(base);
    await market(base);
    console.log("typescript smoke test passed");
}

main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
});
