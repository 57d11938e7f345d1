//! The output file of an issuance: its format, where it and its journal live, and the
//! bytes of its header and rows. Writing them durably is the export phase's job.
use std::{
    fs::File,
    io::Write as _,
    path::{Path, PathBuf},
};

use super::{
    Issuance,
    journal::{Journal, Position, Record, sync_dir},
};
use crate::{Error, Result, go::Code};

/// How issued codes are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum IssueFormat {
    /// CSV with a header: `order_id,code_id,code,value,active_until`.
    #[default]
    Csv,
    /// One JSON object a line, with the same fields.
    JsonLines,
}

/// The journal beside an output: `codes.csv` → `codes.csv.journal`.
pub fn default_journal(output: &Path) -> PathBuf {
    with_suffix(output, ".journal")
}

/// `path` with `suffix` appended to its file name (`codes.csv` -> `codes.csv.journal`).
pub(super) fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

pub(super) fn output_error(path: &Path, error: std::io::Error) -> Error {
    Error::Output {
        path: path.to_owned(),
        error,
    }
}

impl Issuance {
    /// Creates the partial output with its header, durably, and journals where it stands.
    pub(super) fn start_output(&self, journal: &mut Journal, partial: &Path) -> Result<Position> {
        let header: &[u8] = match self.format {
            IssueFormat::Csv => b"order_id,code_id,code,value,active_until\n",
            IssueFormat::JsonLines => b"",
        };
        let write = || -> std::io::Result<()> {
            let mut file = File::create(partial)?;
            file.write_all(header)?;
            file.sync_all()?;
            sync_dir(partial)
        };
        write().map_err(|e| output_error(partial, e))?;
        let position = Position {
            bytes: header.len() as u64,
            ..Position::default()
        };
        journal.append(Record::Written {
            next_order: 0,
            next_cursor: None,
            codes: 0,
            bytes: position.bytes,
            order_codes: 0,
        })?;
        Ok(position)
    }

    /// The output lines of one page of codes.
    pub(super) fn rows(&self, order_id: &str, codes: &[Code]) -> Result<Vec<u8>> {
        let template = self.plan.template();
        let value = template.value().to_string();
        let until = template.active_until().to_string();
        let invalid = |e: &dyn std::fmt::Display| {
            output_error(&self.partial_path(), std::io::Error::other(e.to_string()))
        };
        let mut out = Vec::new();
        match self.format {
            IssueFormat::Csv => {
                let mut writer = csv::Writer::from_writer(&mut out);
                for code in codes {
                    let row = [
                        order_id,
                        code.id.as_str(),
                        code.code.as_str(),
                        &value,
                        &until,
                    ];
                    writer.write_record(row).map_err(|e| invalid(&e))?;
                }
                writer.flush().map_err(|e| invalid(&e))?;
            }
            IssueFormat::JsonLines => {
                for code in codes {
                    let line = serde_json::json!({
                        "order_id": order_id, "code_id": code.id, "code": code.code,
                        "value": template.value(), "active_until": until,
                    });
                    serde_json::to_writer(&mut out, &line).map_err(|e| invalid(&e))?;
                    out.push(b'\n');
                }
            }
        }
        Ok(out)
    }
}
