//! The price levels of a "Market Bestsellers" promo (`bestPriceLevels`): the highest promo
//! price at which an offer takes part at each level, and the level a promo price reaches.
use std::{fmt, str::FromStr};

use super::{PromoOffer, Roubles};
use crate::{ValidationError, Violation};

/// A level of a "Market Bestsellers" promo. A higher level asks for a lower promo price and
/// brings the offer more promotion: Light ("Лайт-бестселлер") < Best ("Бестселлер") < Super
/// ("Супербестселлер") < Top ("Топ-бестселлер"), the order of [`Ord`].
///
/// Written `light`, `best`, `super` or `top` (in a sync file, in JSON, with [`FromStr`]).
///
/// ```
/// use yandex_promo::market::BestsellerLevel;
/// let level: BestsellerLevel = "super".parse()?;
/// assert_eq!(level, BestsellerLevel::Super);
/// assert!(BestsellerLevel::Top > level);
/// # Ok::<(), yandex_promo::ValidationError>(())
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum BestsellerLevel {
    /// Light Bestseller (`lightBestLevel`): the highest threshold, the smallest discount.
    Light,
    /// Bestseller (`bestLevel`).
    Best,
    /// Super Bestseller (`superBestLevel`).
    Super,
    /// Top Bestseller (`topBestLevel`): the lowest threshold, the largest discount.
    Top,
}

impl BestsellerLevel {
    /// Every level, from the lowest (Light) to the highest (Top).
    ///
    /// ```
    /// use yandex_promo::market::BestsellerLevel;
    /// let names: Vec<&str> = BestsellerLevel::ALL.iter().map(|l| l.as_str()).collect();
    /// assert_eq!(names, ["light", "best", "super", "top"]);
    /// ```
    pub const ALL: [Self; 4] = [Self::Light, Self::Best, Self::Super, Self::Top];

    /// The level as a sync file writes it: `light`, `best`, `super` or `top`.
    ///
    /// ```
    /// use yandex_promo::market::BestsellerLevel;
    /// assert_eq!(BestsellerLevel::Top.as_str(), "top");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Light => "light",
            Self::Best => "best",
            Self::Super => "super",
            Self::Top => "top",
        }
    }
}

impl fmt::Display for BestsellerLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for BestsellerLevel {
    type Err = ValidationError;

    /// `light`, `best`, `super` or `top`, in any case and with spaces around it; anything
    /// else is a [`ValidationError`] of the field `level`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let wanted = text.trim();
        Self::ALL
            .into_iter()
            .find(|level| level.as_str().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| ValidationError {
                violations: vec![Violation {
                    field: "level".into(),
                    rule: "must be light, best, super or top".into(),
                    value: format!("{text:?}"),
                }],
            })
    }
}

/// The thresholds of an offer in a "Market Bestsellers" promo, in roubles: for the offer to
/// take part at a level, its promo price must be no higher than that level's threshold.
/// Market may change them while the offer takes part, as it may change `maxPromoPrice`.
///
/// ```no_run
/// # async fn demo(market: yandex_promo::market::MarketClient) -> yandex_promo::Result<()> {
/// use yandex_promo::market::{BestsellerLevel, price_levels};
/// for offer in market.promos().offers("cf_bestsellers").send().await?.items {
///     if let Some(levels) = price_levels(&offer) {
///         println!("{}: top at {} or less", offer.offer_id, levels.top_best_level);
///     }
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct PriceLevels {
    /// The highest promo price at Light Bestseller (`lightBestLevel`).
    pub light_best_level: Roubles,
    /// The highest promo price at Bestseller (`bestLevel`).
    pub best_level: Roubles,
    /// The highest promo price at Super Bestseller (`superBestLevel`).
    pub super_best_level: Roubles,
    /// The highest promo price at Top Bestseller (`topBestLevel`).
    pub top_best_level: Roubles,
}

impl PriceLevels {
    /// The highest promo price at which the offer takes part at `level`: the price a sync
    /// row naming the level sets.
    ///
    /// ```no_run
    /// # fn demo(offer: &yandex_promo::market::PromoOffer) {
    /// use yandex_promo::market::{BestsellerLevel, price_levels};
    /// if let Some(levels) = price_levels(offer) {
    ///     println!("best at {} or less", levels.threshold(BestsellerLevel::Best));
    /// }
    /// # }
    /// ```
    pub fn threshold(&self, level: BestsellerLevel) -> Roubles {
        match level {
            BestsellerLevel::Light => self.light_best_level,
            BestsellerLevel::Best => self.best_level,
            BestsellerLevel::Super => self.super_best_level,
            BestsellerLevel::Top => self.top_best_level,
        }
    }

    /// The highest level `promo_price` reaches: each threshold is inclusive ("не выше
    /// порога"), so a price equal to the top threshold is Top. `None` when the price is over
    /// every threshold. Levels that break Market's documented order are read as they are:
    /// the highest level whose threshold the price does not exceed.
    ///
    /// ```no_run
    /// # fn demo(offer: &yandex_promo::market::PromoOffer) {
    /// use yandex_promo::market::price_levels;
    /// if let Some(levels) = price_levels(offer) {
    ///     match levels.level_of(1490) {
    ///         Some(level) => println!("1490 makes it a {level} bestseller"),
    ///         None => println!("1490 is over every level"),
    ///     }
    /// }
    /// # }
    /// ```
    pub fn level_of(&self, promo_price: Roubles) -> Option<BestsellerLevel> {
        BestsellerLevel::ALL
            .into_iter()
            .rev()
            .find(|&level| promo_price <= self.threshold(level))
    }
}

/// An offer's Bestsellers levels as read from `getPromoOffers`. `None` when Market sent none
/// (the promo is not a "Market Bestsellers" one) or sent a negative threshold, which no
/// price can meet and which is treated as absent, like a negative `maxPromoPrice`.
///
/// ```no_run
/// # async fn demo(market: yandex_promo::market::MarketClient) -> yandex_promo::Result<()> {
/// use yandex_promo::market::price_levels;
/// for offer in market.promos().offers("cf_bestsellers").send().await?.items {
///     println!("{}: {:?}", offer.offer_id, price_levels(&offer));
/// }
/// # Ok(()) }
/// ```
pub fn price_levels(offer: &PromoOffer) -> Option<PriceLevels> {
    let levels = offer
        .params
        .discount_params
        .as_ref()?
        .best_price_levels
        .as_ref()?;
    let roubles = |value: i64| Roubles::try_from(value).ok();
    Some(PriceLevels {
        light_best_level: roubles(levels.light_best_level)?,
        best_level: roubles(levels.best_level)?,
        super_best_level: roubles(levels.super_best_level)?,
        top_best_level: roubles(levels.top_best_level)?,
    })
}

/// The level an offer's current promo price (`promoPrice`) reaches in a "Market
/// Bestsellers" promo. `None` when it has no levels, no promo price, or a price over every
/// threshold.
///
/// ```no_run
/// # async fn demo(market: yandex_promo::market::MarketClient) -> yandex_promo::Result<()> {
/// use yandex_promo::market::level_reached;
/// for offer in market.promos().offers("cf_bestsellers").send().await?.items {
///     let level = level_reached(&offer).map_or("-", |level| level.as_str());
///     println!("{} {level}", offer.offer_id);
/// }
/// # Ok(()) }
/// ```
pub fn level_reached(offer: &PromoOffer) -> Option<BestsellerLevel> {
    let promo_price = offer.params.discount_params.as_ref()?.promo_price?;
    price_levels(offer)?.level_of(Roubles::try_from(promo_price).ok()?)
}

#[cfg(test)]
pub(crate) mod tests {
    use yandex_promo_raw::market::types::{
        PromoOfferBestPriceLevelsDto, PromoOfferDiscountParamsDto, PromoOfferParamsDto,
    };

    use super::*;
    use crate::market::OfferStatus;

    /// An offer of a Bestsellers promo with the levels `[light, best, super, top]`.
    pub(crate) fn bestseller(
        id: &str,
        status: OfferStatus,
        prices: Option<(i64, i64)>,
        max_promo_price: Option<i64>,
        levels: Option<[i64; 4]>,
    ) -> PromoOffer {
        PromoOffer {
            offer_id: id.to_owned(),
            status,
            params: PromoOfferParamsDto {
                discount_params: Some(PromoOfferDiscountParamsDto {
                    price: prices.map(|p| p.0),
                    promo_price: prices.map(|p| p.1),
                    max_promo_price,
                    best_price_levels: levels.map(|[light, best, super_, top]| {
                        PromoOfferBestPriceLevelsDto {
                            light_best_level: light,
                            best_level: best,
                            super_best_level: super_,
                            top_best_level: top,
                        }
                    }),
                }),
            },
            auto_participating_details: None,
        }
    }

    fn levels() -> PriceLevels {
        PriceLevels {
            light_best_level: 950,
            best_level: 900,
            super_best_level: 850,
            top_best_level: 800,
        }
    }

    #[test]
    fn level_of_is_inclusive_at_every_threshold() {
        use BestsellerLevel::{Best, Light, Super, Top};
        let levels = levels();
        let cases = [
            (1, Some(Top)),
            (800, Some(Top)),
            (801, Some(Super)),
            (850, Some(Super)),
            (851, Some(Best)),
            (900, Some(Best)),
            (901, Some(Light)),
            (950, Some(Light)),
            (951, None),
            (u64::MAX, None),
        ];
        for (price, level) in cases {
            assert_eq!(levels.level_of(price), level, "promo price {price}");
        }
        for level in BestsellerLevel::ALL {
            assert_eq!(levels.level_of(levels.threshold(level)), Some(level));
        }
    }

    #[test]
    fn negative_levels_from_the_wire_are_absent() {
        let fine = bestseller(
            "a",
            OfferStatus::Manual,
            Some((1000, 850)),
            None,
            Some([950, 900, 850, 800]),
        );
        assert_eq!(price_levels(&fine), Some(levels()));
        assert_eq!(level_reached(&fine), Some(BestsellerLevel::Super));
        for at in 0..4 {
            let mut wire = [950, 900, 850, 800];
            wire[at] = -1;
            let offer = bestseller(
                "a",
                OfferStatus::Manual,
                Some((1000, 850)),
                None,
                Some(wire),
            );
            assert_eq!(price_levels(&offer), None, "negative at {at}");
            assert_eq!(level_reached(&offer), None);
        }
        let not_bestsellers = bestseller("a", OfferStatus::Manual, Some((1000, 850)), None, None);
        assert_eq!(price_levels(&not_bestsellers), None);
        let negative_price = bestseller(
            "a",
            OfferStatus::Manual,
            Some((1000, -5)),
            None,
            Some([950, 900, 850, 800]),
        );
        assert_eq!(level_reached(&negative_price), None);
    }

    #[test]
    fn levels_parse_in_any_case_and_name_the_field_otherwise() {
        assert_eq!(" Top ".parse::<BestsellerLevel>(), Ok(BestsellerLevel::Top));
        for level in BestsellerLevel::ALL {
            assert_eq!(level.as_str().parse(), Ok(level));
            assert_eq!(level.to_string(), level.as_str());
        }
        let error = "gold".parse::<BestsellerLevel>().expect_err("not a level");
        assert_eq!(error.violations[0].field, "level");
        assert_eq!(
            error.violations[0].rule,
            "must be light, best, super or top"
        );
        assert_eq!(error.violations[0].value, "\"gold\"");
        let json = serde_json::to_string(&BestsellerLevel::Super).expect("serializes");
        assert_eq!(json, "\"super\"");
    }
}
