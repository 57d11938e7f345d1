//! The one type for file formats. `issue` writes CSV or JSON lines, the exports of `codes
//! export` and `market offers list` write CSV or a JSON array: one enum holds them all, and
//! each command offers only its own formats, with its own words for what the file holds,
//! through `Format::parser`.
use std::fmt;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};

/// A file format, as `--format` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Comma-separated values with a header row.
    Csv,
    /// One JSON array of items.
    Json,
    /// One JSON object a line.
    Jsonl,
}

impl Format {
    /// Every format.
    const ALL: [Self; 3] = [Self::Csv, Self::Json, Self::Jsonl];

    /// The name `--format` takes.
    pub fn name(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Json => "json",
            Self::Jsonl => "jsonl",
        }
    }

    /// A parser that accepts exactly the formats of `choices`, each shown in `--help` with
    /// its text (what the file holds depends on the command).
    pub fn parser(choices: &'static [(Self, &'static str)]) -> impl TypedValueParser<Value = Self> {
        let values = choices
            .iter()
            .map(|(format, help)| PossibleValue::new(format.name()).help(*help));
        PossibleValuesParser::new(values).try_map(|chosen: String| {
            Self::ALL
                .into_iter()
                .find(|format| format.name() == chosen)
                .ok_or_else(|| format!("{chosen:?} is not a format"))
        })
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
