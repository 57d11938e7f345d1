//! Open enums: the vendor enums of both specs, with an `Unknown` case.
//!
//! Neither vendor documents its status lists as closed, and Market asks clients to treat an
//! unknown value as a default rather than fail. typify generates closed enums, so the code
//! generator replaces these schemas with the types below: a value the spec does not list
//! decodes as `Unknown(value)` and serialises back unchanged.

/// Defines an open string enum: known variants, `Unknown(String)`, lossless serde and
/// `FromStr`/`Display` round trips, and a string JSON Schema listing the known values.
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
                    Self::Unknown(_) => Self::Unknown(value.into_owned()),
                    known => known,
                })
            }
        }

        $crate::__open_enum_schema!($name, [$($wire),+]);
    };
}

/// The `schemars::JsonSchema` impl of an open enum, with the `schemars` feature; nothing
/// without it. A macro of its own so the feature is this crate's, not the caller's.
#[cfg(feature = "schemars")]
#[doc(hidden)]
#[macro_export]
macro_rules! __open_enum_schema {
    ($name:ident, [$($wire:literal),+]) => {
        // Expanded in the caller, where rustdoc cannot see this macro's `cfg`: say it.
        #[cfg_attr(docsrs, doc(cfg(feature = "schemars")))]
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
