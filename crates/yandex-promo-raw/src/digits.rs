//! A non-empty string of ASCII digits: one end of a bank card BIN range (the spec's
//! `BinNumber`). Hand-written so that the client needs no regex engine at run time for the
//! spec's only pattern, `^[0-9]+$`.
use std::{fmt, ops::Deref, str::FromStr};

use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

/// ASCII digits, at least one, e.g. `"220070"`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Digits(String);

/// Why a string is not [`Digits`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotDigits(String);

impl fmt::Display for NotDigits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not a non-empty string of ASCII digits", self.0)
    }
}

impl std::error::Error for NotDigits {}

impl Digits {
    /// Whether `text` is what a `Digits` holds: ASCII digits, at least one.
    ///
    /// ```
    /// use yandex_promo_raw::Digits;
    /// assert!(Digits::accepts("220070"));
    /// assert!(!Digits::accepts("") && !Digits::accepts("22 00"));
    /// ```
    pub fn accepts(text: &str) -> bool {
        !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Digits {
    type Error = NotDigits;

    fn try_from(value: String) -> Result<Self, NotDigits> {
        if Self::accepts(&value) {
            Ok(Self(value))
        } else {
            Err(NotDigits(value))
        }
    }
}

impl TryFrom<&str> for Digits {
    type Error = NotDigits;

    fn try_from(value: &str) -> Result<Self, NotDigits> {
        Self::try_from(value.to_owned())
    }
}

impl FromStr for Digits {
    type Err = NotDigits;

    fn from_str(value: &str) -> Result<Self, NotDigits> {
        Self::try_from(value)
    }
}

impl Deref for Digits {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Digits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

impl Serialize for Digits {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Digits {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::try_from(String::deserialize(deserializer)?).map_err(de::Error::custom)
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for Digits {
    fn schema_name() -> String {
        "BinNumber".to_owned()
    }

    fn json_schema(_: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
        schemars::schema::SchemaObject {
            instance_type: Some(schemars::schema::InstanceType::String.into()),
            string: Some(Box::new(schemars::schema::StringValidation {
                pattern: Some("^[0-9]+$".to_owned()),
                ..Default::default()
            })),
            ..Default::default()
        }
        .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_non_empty_ascii_digits_are_accepted() {
        assert_eq!(
            "220070".parse::<Digits>().map(|d| d.to_string()),
            Ok("220070".to_owned())
        );
        for bad in ["", "12a", " 1", "１２", "-1"] {
            assert!(bad.parse::<Digits>().is_err(), "{bad:?}");
            let json = serde_json::to_string(bad).expect("encodes");
            assert!(serde_json::from_str::<Digits>(&json).is_err(), "{bad:?}");
        }
    }
}
