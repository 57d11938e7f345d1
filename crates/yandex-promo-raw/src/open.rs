//! Open enums: the vendor enums of both specs, with an `Unknown` case.
//!
//! Neither vendor documents its status lists as closed, and Market asks clients to treat an
//! unknown value as a default rather than fail. typify generates closed enums, so the code
//! generator replaces these schemas with the types below: a value the spec does not list
//! decodes as `Unknown(value)` and serialises back unchanged.
//!
//! Decoding such a value also logs a `tracing` warning, `unknown value of an open enum`, with
//! the enum's name (`type`) and the value (`value`, escaped and cut to 64 characters): an
//! `Unknown` never fails a call, so without it nobody would learn that the vendor added a
//! status until some code mishandled it. Each (type, value) pair warns once per process, and
//! the process remembers at most 1024 of them: past that, one last warning says that further
//! unknown values go unreported, so a server sending endless distinct values cannot grow
//! memory or flood the logs. Only decoding warns (serde's `Deserialize`: values a server
//! sent); `From<&str>` and `FromStr` build values the caller chose, and stay silent. The
//! warning's target is this module, `yandex_promo_raw::open`.

use std::{
    collections::{HashMap, HashSet},
    fmt,
    sync::{Mutex, OnceLock, PoisonError},
};

/// Defines an open string enum: known variants, `Unknown(String)`, lossless serde and
/// `FromStr`/`Display` round trips, and a string JSON Schema listing the known values.
/// Deserialising an unknown value warns, once per value (see the module docs).
///
/// Exported for `yandex-promo`'s own open enums; not part of this crate's public API.
#[doc(hidden)]
#[macro_export]
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $name:ident {
            $($(#[$variant_meta:meta])* $variant:ident = $wire:literal,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$variant_meta])* $variant,)+
            /// A value this version of the crate does not know, kept as it was received.
            Unknown(String),
        }

        impl $name {
            /// Every value the spec lists, in its order.
            pub const KNOWN: &'static [Self] = &[$(Self::$variant),+];

            /// The wire form of the value.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)+
                    Self::Unknown(other) => other,
                }
            }

            /// Whether the value is one the spec does not list.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown(_))
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($wire => Self::$variant,)+
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> Result<Self, ::std::convert::Infallible> {
                Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.pad(self.as_str())
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Self, D::Error> {
                let value =
                    <::std::borrow::Cow<'de, str> as $crate::__private::serde::Deserialize>::deserialize(
                        deserializer,
                    )?;
                Ok(match Self::from(value.as_ref()) {
                    Self::Unknown(_) => {
                        $crate::open::report_unknown(stringify!($name), &value);
                        Self::Unknown(value.into_owned())
                    }
                    known => known,
                })
            }
        }

        $crate::__open_enum_schema!($name, [$($wire),+]);
    };
}

/// How many distinct (type, value) pairs the process remembers, across every open enum;
/// past it, unknown values are no longer reported.
const REMEMBERED: usize = 1024;

/// How many characters of an unknown value a warning shows (and the process remembers).
const SHOWN_CHARS: usize = 64;

/// Warns that an open enum decoded a value it does not know: once per (type, value) per
/// process, and not at all past `REMEMBERED` pairs. Called by `open_enum!`'s `Deserialize`.
#[doc(hidden)]
pub fn report_unknown(type_name: &'static str, value: &str) {
    // Nobody listens: neither lock nor remember, so that a subscriber installed later still
    // hears about the value.
    if !tracing::enabled!(tracing::Level::WARN) {
        return;
    }
    static SEEN: OnceLock<Mutex<Seen>> = OnceLock::new();
    let head = head(value);
    let note = SEEN
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .note(type_name, head, REMEMBERED);
    // The lock is released: a subscriber may do anything, decoding included.
    match note {
        Note::New => tracing::warn!(
            "type" = type_name,
            value = ?Shown { head, len: value.len() },
            "unknown value of an open enum"
        ),
        Note::Full => tracing::warn!(
            limit = REMEMBERED,
            "too many distinct unknown values of open enums: further ones are not reported"
        ),
        Note::Quiet => {}
    }
}

/// The first [`SHOWN_CHARS`] characters of a value.
fn head(value: &str) -> &str {
    match value.char_indices().nth(SHOWN_CHARS) {
        Some((end, _)) => &value[..end],
        None => value,
    }
}

/// An unknown value as a warning shows it: the head, escaped and quoted, then its full length
/// if it was cut.
struct Shown<'a> {
    head: &'a str,
    len: usize,
}

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.head)?;
        if self.head.len() < self.len {
            write!(f, "… ({} bytes)", self.len)?;
        }
        Ok(())
    }
}

/// The unknown values already reported, by type.
#[derive(Debug, Default)]
struct Seen {
    values: HashMap<&'static str, HashSet<Box<str>>>,
    count: usize,
    full: bool,
}

/// What to log about an unknown value.
#[derive(Debug, PartialEq, Eq)]
enum Note {
    /// The first time: warn.
    New,
    /// Seen before, or past the limit: nothing.
    Quiet,
    /// The first value past the limit: say that reporting stops.
    Full,
}

impl Seen {
    /// Remembers `(type_name, head)` unless `limit` pairs are already remembered.
    fn note(&mut self, type_name: &'static str, head: &str, limit: usize) -> Note {
        if self
            .values
            .get(type_name)
            .is_some_and(|values| values.contains(head))
        {
            return Note::Quiet;
        }
        if self.count >= limit {
            return if std::mem::replace(&mut self.full, true) {
                Note::Quiet
            } else {
                Note::Full
            };
        }
        self.values
            .entry(type_name)
            .or_default()
            .insert(head.into());
        self.count += 1;
        Note::New
    }
}

/// The `schemars::JsonSchema` impl of an open enum, with the `schemars` feature; nothing
/// without it. A macro of its own so the feature is this crate's, not the caller's.
#[cfg(feature = "schemars")]
#[doc(hidden)]
#[macro_export]
macro_rules! __open_enum_schema {
    ($name:ident, [$($wire:literal),+]) => {
        impl $crate::__private::schemars::JsonSchema for $name {
            fn schema_name() -> String {
                stringify!($name).to_owned()
            }

            fn json_schema(
                _: &mut $crate::__private::schemars::r#gen::SchemaGenerator,
            ) -> $crate::__private::schemars::schema::Schema {
                $crate::__private::open_enum_schema(&[$($wire),+])
            }
        }
    };
}

#[cfg(not(feature = "schemars"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __open_enum_schema {
    ($($anything:tt)*) => {};
}

/// The JSON Schema of an open enum: any string, with the known values as `examples`.
#[cfg(feature = "schemars")]
#[doc(hidden)]
pub fn open_enum_schema(known: &[&str]) -> schemars::schema::Schema {
    schemars::schema::SchemaObject {
        instance_type: Some(schemars::schema::InstanceType::String.into()),
        metadata: Some(Box::new(schemars::schema::Metadata {
            description: Some(format!(
                "Open enum: one of {}, or a value added by the vendor later.",
                known.join(", ")
            )),
            examples: known.iter().map(|v| serde_json::json!(v)).collect(),
            ..Default::default()
        })),
        ..Default::default()
    }
    .into()
}

open_enum! {
    /// The status of a Go for Business promo code order.
    OrderStatus {
        /// The codes are being issued.
        Pending = "pending",
        /// The codes were issued.
        CreationSuccess = "creation_success",
        /// The codes could not be issued.
        CreationFailed = "creation_failed",
        /// The order was cancelled.
        CancellationSuccess = "cancellation_success",
        /// The order could not be cancelled.
        CancellationFailed = "cancellation_failed",
    }
}

open_enum! {
    /// The status of a Go for Business promo code.
    CodeStatus {
        /// The code can be used.
        Active = "active",
        /// The code was used.
        Used = "used",
    }
}

open_enum! {
    /// The Yandex service a promo code order is for.
    Service {
        /// Yandex Go taxi rides.
        Taxi = "taxi",
        /// Yandex Lavka grocery delivery.
        Grocery = "grocery",
        /// Yandex Eats food delivery.
        Eats = "eats",
        /// Filling stations.
        Fuel = "fuel",
        /// Yandex Cargo.
        Cargo = "cargo",
    }
}

open_enum! {
    /// A Yandex Go taxi tariff class.
    TariffClass {
        /// Economy.
        Econom = "econom",
        /// Comfort.
        Business = "business",
        /// Comfort+.
        Comfortplus = "comfortplus",
        /// Minivan.
        Minivan = "minivan",
        /// Child.
        ChildTariff = "child_tariff",
        /// Business.
        Vip = "vip",
        /// Premier.
        Ultimate = "ultimate",
        /// Élite.
        Maybach = "maybach",
        /// Cruise.
        PremiumVan = "premium_van",
        /// Walking courier.
        CourierWalking = "courier_walking",
        /// Express.
        Express = "express",
        /// Cargo.
        Cargo = "cargo",
        /// Cargo by the hour.
        CargoHour = "cargo_hour",
    }
}

open_enum! {
    /// The shape of a Go for Business geo zone. One value today; open, since the docs do not
    /// call the list closed.
    GeoType {
        /// A circle: a centre and a radius in metres.
        Circle = "circle",
    }
}

open_enum! {
    /// A token's role for a corporate client (`auth/list`). Undocumented; `client` is seen.
    ClientRole {
        /// The token acts as the client.
        Client = "client",
    }
}

open_enum! {
    /// Market `getPromos`' participation filter. A request vocabulary, open like the others so
    /// that a caller can send a value Market adds before this crate knows it.
    PromoParticipationType {
        /// Current promotions the seller takes part in.
        ParticipatingNow = "PARTICIPATING_NOW",
        /// Finished promotions the seller took part in during the last year.
        Participated = "PARTICIPATED",
    }
}

open_enum! {
    /// The type of a Yandex Market promotion.
    MechanicsType {
        /// Direct discount.
        DirectDiscount = "DIRECT_DISCOUNT",
        /// Flash promotion.
        BlueFlash = "BLUE_FLASH",
        /// Discount by promo code.
        MarketPromocode = "MARKET_PROMOCODE",
    }
}

open_enum! {
    /// The status of a Yandex Market response envelope.
    ApiResponseStatusType {
        /// No errors.
        Ok = "OK",
        /// The request failed.
        Error = "ERROR",
    }
}

open_enum! {
    /// A channel through which a Yandex Market promotion is advertised.
    ChannelType {
        /// Push notification from the Yandex Market app.
        Push = "PUSH",
        /// Top banner of the home page.
        StretchMain = "STRETCH_MAIN",
        /// Promotions carousel of the home page.
        MainPageCarousel = "MAIN_PAGE_CAROUSEL",
        /// Product on a retail-event page.
        ProductRetailPage = "PRODUCT_RETAIL_PAGE",
        /// Promotions carousel of the web home page.
        MainPageCarouselWeb = "MAIN_PAGE_CAROUSEL_WEB",
        /// Product on the promotion's landing page.
        ProductSeparateLanding = "PRODUCT_SEPARATE_LANDING",
        /// Shelf in the categories.
        SuperShelfCategory = "SUPER_SHELF_CATEGORY",
        /// Carousel on a retail-event landing page.
        CarouselRetailPage = "CAROUSEL_RETAIL_PAGE",
        /// Pop-up in the app.
        PopupApplication = "POPUP_APPLICATION",
        /// Post in the Telegram channel.
        PostTelegram = "POST_TELEGRAM",
        /// Advertising in the partner network.
        Cpa = "CPA",
        /// Advertising in Yandex Direct.
        WebPerformanceDirect = "WEB_PERFORMANCE_DIRECT",
        /// Advertising in AppStore and Google Play.
        AppPerformance = "APP_PERFORMANCE",
        /// Banner in pickup points.
        BannerPickupPoint = "BANNER_PICKUP_POINT",
        /// Advertising with bloggers.
        BloggerPerformance = "BLOGGER_PERFORMANCE",
        /// Banner in digital channels and social networks.
        DigitalChannelBanner = "DIGITAL_CHANNEL_BANNER",
        /// Advertising in other Yandex services.
        YandexEcosystemChannels = "YANDEX_ECOSYSTEM_CHANNELS",
        /// Banner on partner home pages.
        PartnersMainBanner = "PARTNERS_MAIN_BANNER",
        /// Other.
        Other = "OTHER",
    }
}

open_enum! {
    /// An offer's status in a promo. `AUTO` and `PARTIALLY_AUTO` offers were added by Market
    /// (in every shop, or in the shops of `autoParticipatingDetails.campaignIds`); `RENEWED`,
    /// `RENEW_FAILED` and `MINIMUM_FOR_PROMOS` occur in "Market Bestsellers" promos only.
    PromoOfferParticipationStatusType {
        /// Added by Market in every shop of the business where the offer is for sale.
        Auto = "AUTO",
        /// Added by Market in some shops (`autoParticipatingDetails.campaignIds`).
        PartiallyAuto = "PARTIALLY_AUTO",
        /// Added by the seller.
        Manual = "MANUAL",
        /// Not in the promo.
        NotParticipating = "NOT_PARTICIPATING",
        /// Carried over from the previous "Market Bestsellers" promo.
        Renewed = "RENEWED",
        /// Could not be carried over from the previous "Market Bestsellers" promo.
        RenewFailed = "RENEW_FAILED",
        /// In the promo at `maxPromoPrice`, by the seller's minimum price for promos.
        MinimumForPromos = "MINIMUM_FOR_PROMOS",
    }
}

open_enum! {
    /// Why Market refused to put an offer in a promo or change its prices.
    RejectedPromoOfferUpdateReasonType {
        /// The business has no offer with this SKU.
        OfferDoesNotExist = "OFFER_DOES_NOT_EXIST",
        /// The offer appears more than once in the request.
        OfferDuplication = "OFFER_DUPLICATION",
        /// The offer does not meet the promo's conditions.
        OfferNotEligibleForPromo = "OFFER_NOT_ELIGIBLE_FOR_PROMO",
        /// Not added for technical reasons.
        OfferPromosMaxByteSizeExceeded = "OFFER_PROMOS_MAX_BYTE_SIZE_EXCEEDED",
        /// The deadline for adding offers to the promo has passed.
        DeadlineForFocusPromosExceeded = "DEADLINE_FOR_FOCUS_PROMOS_EXCEEDED",
        /// No strikethrough price (`price`).
        EmptyOldPrice = "EMPTY_OLD_PRICE",
        /// No promo price (`promoPrice`).
        EmptyPromoPrice = "EMPTY_PROMO_PRICE",
        /// The promo price is above `maxPromoPrice`.
        MaxPromoPriceExceeded = "MAX_PROMO_PRICE_EXCEEDED",
        /// The promo price is above 95% of the strikethrough price.
        PromoPriceBiggerThanMax = "PROMO_PRICE_BIGGER_THAN_MAX",
        /// The promo price is below 1% of the strikethrough price.
        PromoPriceSmallerThanMin = "PROMO_PRICE_SMALLER_THAN_MIN",
        /// The promo price is too large.
        PriceTooBig = "PRICE_TOO_BIG",
        /// The strikethrough price is too large.
        OldPriceTooBig = "OLD_PRICE_TOO_BIG",
    }
}

open_enum! {
    /// Why Market refused to take an offer out of a promo.
    RejectedPromoOfferDeleteReasonType {
        /// The business has no offer with this SKU.
        OfferDoesNotExist = "OFFER_DOES_NOT_EXIST",
    }
}

open_enum! {
    /// A warning about an offer that was put in a promo: the promo price may not show
    /// everywhere.
    PromoOfferUpdateWarningCodeType {
        /// A large difference from the catalogue price: check for a mistake.
        DeepDiscountOffer = "DEEP_DISCOUNT_OFFER",
        /// The price in every shop is below the promo price: the promo price will not show.
        CatalogPriceIsLowerThanPromo = "CATALOG_PRICE_IS_LOWER_THAN_PROMO",
        /// A shop's own price is below the promo price: that shop shows its price.
        ShopPricesAreLowerThanPromo = "SHOP_PRICES_ARE_LOWER_THAN_PROMO",
        /// In some shop the offer does not meet the promo's conditions.
        ShopOfferNotEligibleForPromo = "SHOP_OFFER_NOT_ELIGIBLE_FOR_PROMO",
    }
}

#[cfg(test)]
mod tests {
    use super::{Note, SHOWN_CHARS, Seen, Shown, head};

    #[test]
    fn each_type_and_value_is_noted_once() {
        let mut seen = Seen::default();
        assert_eq!(seen.note("OrderStatus", "on_hold", 8), Note::New);
        assert_eq!(seen.note("OrderStatus", "on_hold", 8), Note::Quiet);
        assert_eq!(seen.note("CodeStatus", "on_hold", 8), Note::New);
        assert_eq!(seen.note("OrderStatus", "frozen", 8), Note::New);
    }

    #[test]
    fn past_the_limit_one_note_says_so_and_then_nothing() {
        let mut seen = Seen::default();
        assert_eq!(seen.note("OrderStatus", "a", 2), Note::New);
        assert_eq!(seen.note("OrderStatus", "b", 2), Note::New);
        assert_eq!(seen.note("OrderStatus", "c", 2), Note::Full);
        assert_eq!(seen.note("OrderStatus", "d", 2), Note::Quiet);
        assert_eq!(seen.note("CodeStatus", "c", 2), Note::Quiet);
        assert_eq!(seen.note("OrderStatus", "a", 2), Note::Quiet);
        assert_eq!(seen.count, 2, "nothing is remembered past the limit");
    }

    #[test]
    fn a_long_value_is_cut_on_a_character_boundary() {
        let value = "ж".repeat(SHOWN_CHARS + 10);
        assert_eq!(head(&value).chars().count(), SHOWN_CHARS);
        assert_eq!(head("short"), "short");
        let shown = Shown {
            head: head(&value),
            len: value.len(),
        };
        assert_eq!(
            format!("{shown:?}"),
            format!("{:?}… ({} bytes)", "ж".repeat(SHOWN_CHARS), value.len())
        );
    }

    #[test]
    fn a_value_is_shown_escaped() {
        let value = "a\nb\u{1b}[31m\"";
        let shown = Shown {
            head: head(value),
            len: value.len(),
        };
        assert_eq!(format!("{shown:?}"), r#""a\nb\u{1b}[31m\"""#);
    }
}
