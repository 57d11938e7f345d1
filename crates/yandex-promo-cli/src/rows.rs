//! What a listed item looks like as a row: the CSV of an export and the table a command prints
//! share one header and one rendering. An offer's `level` is the "Market Bestsellers" level its
//! promo price reaches (blank in other promos). The usage report's orders and series points
//! are rows too, for `report --output`.
use serde::Serialize;
use yandex_promo::{
    go::{Code, OrderUsage, SeriesPoint},
    market::{PromoOffer, level_reached},
};

/// An item of an export: its JSON form, and its CSV row.
pub trait Row: Serialize {
    /// The CSV header.
    const HEADER: &'static [&'static str];
    /// The CSV row, in the header's order.
    fn record(&self) -> Vec<String>;
}

impl Row for Code {
    const HEADER: &'static [&'static str] = &["id", "code", "status", "is_revoked", "used_at"];

    fn record(&self) -> Vec<String> {
        let used: Vec<String> = self.used_at.iter().map(|t| t.to_rfc3339()).collect();
        vec![
            self.id.to_string(),
            self.code.clone(),
            self.status.to_string(),
            self.is_revoked.to_string(),
            used.join(" "),
        ]
    }
}

impl Row for PromoOffer {
    const HEADER: &'static [&'static str] = &[
        "offer_id",
        "status",
        "price",
        "promo_price",
        "max_promo_price",
        "level",
        "campaign_ids",
    ];

    fn record(&self) -> Vec<String> {
        let prices = self.params.discount_params.as_ref();
        let price = |p: Option<i64>| p.map(|p| p.to_string()).unwrap_or_default();
        let campaigns: Vec<String> = self
            .auto_participating_details
            .iter()
            .flat_map(|d| d.campaign_ids.iter().flatten())
            .map(ToString::to_string)
            .collect();
        vec![
            self.offer_id.clone(),
            self.status.to_string(),
            price(prices.and_then(|p| p.price)),
            price(prices.and_then(|p| p.promo_price)),
            price(prices.and_then(|p| p.max_promo_price)),
            level_reached(self)
                .map(|l| l.as_str().to_owned())
                .unwrap_or_default(),
            campaigns.join(" "),
        ]
    }
}

impl Row for OrderUsage {
    const HEADER: &'static [&'static str] = &[
        "order_id",
        "name",
        "status",
        "value",
        "count",
        "codes",
        "used_codes",
        "usages",
        "revoked",
        "unused",
        "first_use",
        "last_use",
        "share_used",
        "error",
    ];

    fn record(&self) -> Vec<String> {
        let text = |value: Option<String>| value.unwrap_or_default();
        vec![
            self.order_id.to_string(),
            text(self.name.clone()),
            text(self.status.as_ref().map(ToString::to_string)),
            text(self.value.map(|v| v.to_string())),
            text(self.count.map(|c| c.to_string())),
            self.figures.codes.to_string(),
            self.figures.used_codes.to_string(),
            self.figures.usages.to_string(),
            self.figures.revoked.to_string(),
            self.figures.unused.to_string(),
            text(self.figures.first_use.map(|t| t.to_rfc3339())),
            text(self.figures.last_use.map(|t| t.to_rfc3339())),
            self.figures.share_used.to_string(),
            text(self.error.clone()),
        ]
    }
}

impl Row for SeriesPoint {
    const HEADER: &'static [&'static str] = &["start", "usages"];

    fn record(&self) -> Vec<String> {
        vec![self.start.to_rfc3339(), self.usages.to_string()]
    }
}
