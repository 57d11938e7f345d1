//! The seller's floors: per offer, the lowest promo price the seller accepts, so that no
//! plan puts an offer in a promo at a loss.
use std::collections::{BTreeMap, HashMap, hash_map::Entry};

use super::Roubles;
use super::offer_update::{MAX_ROUBLES, check_offer_id, trim};
use crate::{ValidationError, error::Violations};

/// Per offer id, the lowest promo price the seller accepts. A sync given floors refuses a
/// desired price (or level) below an offer's floor; an offer without a floor is not limited.
///
/// ```
/// use yandex_promo::market::Floors;
/// let floors = Floors::new([("SKU-1042", 1290), ("SKU-77", 650)])?;
/// assert_eq!(floors.get("SKU-1042"), Some(1290));
/// assert_eq!(floors.get("SKU-5"), None);
/// # Ok::<(), yandex_promo::ValidationError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Floors(BTreeMap<String, Roubles>);

impl Floors {
    /// Floors from `(offer id, floor)` rows, as a floors file lists them. Ids are trimmed,
    /// as Market trims them.
    ///
    /// ```
    /// use yandex_promo::market::Floors;
    /// let error = Floors::new([("SKU-1", 0), (" ", 500), ("SKU-1 ", 700)]).unwrap_err();
    /// assert_eq!(error.violations.len(), 3); // every bad row, at once
    /// assert_eq!(error.violations[0].field, "floors[\"SKU-1\"].floor");
    /// ```
    ///
    /// # Errors
    /// Every broken rule, each naming its row: each id 1 to 255 characters, not blank,
    /// without control characters; each floor a whole number of roubles from 1 to 2^63 - 1;
    /// no id twice.
    pub fn new<I: Into<String>>(
        rows: impl IntoIterator<Item = (I, Roubles)>,
    ) -> Result<Self, ValidationError> {
        let mut violations = Violations::default();
        let mut first_seen: HashMap<String, usize> = HashMap::new();
        let mut floors = BTreeMap::new();
        for (index, (offer_id, floor)) in rows.into_iter().enumerate() {
            let offer_id = trim(offer_id.into());
            let id_field = format!("floors[{index}].offer_id");
            let id_ok = check_offer_id(&mut violations, &id_field, &offer_id);
            let field = if id_ok {
                format!("floors[{offer_id:?}]")
            } else {
                format!("floors[{index}]")
            };
            violations.check(
                (1..=MAX_ROUBLES).contains(&floor),
                format!("{field}.floor"),
                format!("must be a whole number of roubles from 1 to {MAX_ROUBLES}"),
                floor,
            );
            match first_seen.entry(offer_id.clone()) {
                Entry::Occupied(first) => violations.check(
                    false,
                    id_field,
                    format!("must not repeat floors[{}]", first.get()),
                    format!("{offer_id:?}"),
                ),
                Entry::Vacant(slot) => {
                    slot.insert(index);
                    floors.insert(offer_id, floor);
                }
            }
        }
        violations.finish()?;
        Ok(Self(floors))
    }

    /// The floor of an offer, if the seller set one (the id is trimmed, as Market trims it).
    ///
    /// ```
    /// let floors = yandex_promo::market::Floors::new([("SKU-1042", 1290)])?;
    /// assert_eq!(floors.get(" SKU-1042"), Some(1290));
    /// # Ok::<(), yandex_promo::ValidationError>(())
    /// ```
    pub fn get(&self, offer_id: &str) -> Option<Roubles> {
        self.0.get(offer_id.trim()).copied()
    }

    /// How many offers have a floor.
    ///
    /// ```
    /// let floors = yandex_promo::market::Floors::new([("SKU-1042", 1290), ("SKU-77", 650)])?;
    /// assert_eq!(floors.len(), 2);
    /// # Ok::<(), yandex_promo::ValidationError>(())
    /// ```
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no offer has a floor.
    ///
    /// ```
    /// let none = yandex_promo::market::Floors::new(Vec::<(String, u64)>::new())?;
    /// assert!(none.is_empty());
    /// # Ok::<(), yandex_promo::ValidationError>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bad_row_is_named_at_once() {
        let error = Floors::new([
            ("SKU-1", 0),
            ("", 500),
            ("SKU-2", u64::MAX),
            (" SKU-1 ", 700),
            ("SKU-3\n", 700),
        ])
        .expect_err("bad rows");
        let named: Vec<(&str, &str)> = error
            .violations
            .iter()
            .map(|v| (v.field.as_str(), v.rule.as_str()))
            .collect();
        assert_eq!(
            named,
            [
                (
                    "floors[\"SKU-1\"].floor",
                    "must be a whole number of roubles from 1 to 9223372036854775807"
                ),
                ("floors[1].offer_id", "must be 1 to 255 characters, not 0"),
                (
                    "floors[\"SKU-2\"].floor",
                    "must be a whole number of roubles from 1 to 9223372036854775807"
                ),
                ("floors[3].offer_id", "must not repeat floors[0]"),
            ]
        );
        assert_eq!(error.violations.len(), 4, "SKU-3\\n is trimmed: {error}");
    }

    #[test]
    fn the_floor_bounds_are_inclusive_and_ids_are_trimmed() {
        let floors = Floors::new([(" SKU-1 ", 1), ("SKU-2", MAX_ROUBLES)]).expect("valid");
        assert_eq!(floors.get("SKU-1"), Some(1));
        assert_eq!(floors.get("SKU-2 "), Some(MAX_ROUBLES));
        assert_eq!(floors.len(), 2);
        assert!(!floors.is_empty());
        assert!(Floors::default().is_empty());
    }
}
