//! The one conversion from command-line values to the crate's enums (services, tariff
//! classes, participation, mechanics): the values offered are the enum's known values, in
//! the spec's spelling, so nothing here copies a list that could drift from the spec.
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};

/// A parser that accepts exactly the `known` values of an open enum, in the spec's spelling
/// or in the kebab-case spelling earlier versions of this tool took (`direct-discount` for
/// `DIRECT_DISCOUNT`), and yields the enum value.
pub fn known<E>(known: &'static [E], wire: fn(&E) -> &str) -> impl TypedValueParser<Value = E>
where
    E: Clone + Send + Sync + 'static,
{
    let values = known.iter().map(move |value| {
        let spelled = wire(value);
        let kebab = kebab(spelled);
        let possible = PossibleValue::new(spelled.to_owned());
        if kebab == spelled {
            possible
        } else {
            possible.alias(kebab)
        }
    });
    PossibleValuesParser::new(values).try_map(move |chosen: String| {
        known
            .iter()
            .find(|value| kebab(wire(value)) == kebab(&chosen))
            .cloned()
            .ok_or_else(|| format!("{chosen:?} is not a known value"))
    })
}

/// The kebab-case spelling of a spec value: `DIRECT_DISCOUNT` -> `direct-discount`.
fn kebab(text: &str) -> String {
    text.to_ascii_lowercase().replace('_', "-")
}

#[cfg(test)]
mod tests {
    use clap::{Arg, Command};
    use yandex_promo::market::MechanicsType;

    use super::*;

    fn parse(value: &str) -> Result<MechanicsType, clap::Error> {
        let command = Command::new("t").arg(
            Arg::new("m")
                .long("m")
                .value_parser(known(MechanicsType::KNOWN, MechanicsType::as_str)),
        );
        let matches = command.try_get_matches_from(["t", "--m", value])?;
        Ok(matches.get_one::<MechanicsType>("m").cloned().expect("set"))
    }

    #[test]
    fn the_spec_spelling_and_the_old_kebab_spelling_both_parse() {
        assert_eq!(
            parse("DIRECT_DISCOUNT").ok(),
            Some(MechanicsType::DirectDiscount)
        );
        assert_eq!(
            parse("direct-discount").ok(),
            Some(MechanicsType::DirectDiscount)
        );
        assert!(parse("free-lunch").is_err());
    }
}
