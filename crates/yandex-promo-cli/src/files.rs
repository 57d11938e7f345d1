//! Reading a file of rows, for the commands that take one (`market offers update`, `delete`,
//! `sync` and its `--floors`): CSV with a header row, or, when the file name ends in `.json`,
//! a JSON array of objects whose keys are the CSV's columns (a number or a string, `null` for
//! none). Every bad row is collected, with its line and column and the rule it breaks, before
//! the file is refused as a whole with [`BadFile`], which exits 2. The library's verdict on
//! rows read from a file is mapped back to their lines the same way ([`at_lines`]).
use std::{collections::BTreeMap, fmt, path::Path};

use yandex_promo::{
    ValidationError,
    market::{BestsellerLevel, Floors, Roubles},
};

/// A file that cannot be used as the command needs: bad input, so the command exits 2. Lists
/// every bad row.
#[derive(Debug, thiserror::Error)]
pub struct BadFile {
    /// The file, as given.
    file: String,
    /// What is wrong, in the order of the file.
    pub problems: Vec<Problem>,
}

/// One broken rule of a file: where, and which rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The line the row starts on (the header is line 1); `None` for the whole file.
    pub line: Option<u64>,
    /// The column, when the rule is about one cell.
    pub column: Option<String>,
    /// The rule, with the value that breaks it.
    pub rule: String,
}

impl Problem {
    /// Where the problem is: `line 4, column level`, `line 4`, or nothing for the whole file.
    pub fn place(&self) -> String {
        match (self.line, &self.column) {
            (Some(line), Some(column)) => format!("line {line}, column {column}"),
            (Some(line), None) => format!("line {line}"),
            (None, Some(column)) => format!("column {column}"),
            (None, None) => String::new(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.place() {
            place if place.is_empty() => f.write_str(&self.rule),
            place => write!(f, "{place}: {}", self.rule),
        }
    }
}

impl BadFile {
    /// The whole file is unusable (cannot be read, is not CSV or JSON).
    fn whole(path: &Path, rule: String) -> Self {
        Self::new(
            path,
            vec![Problem {
                line: None,
                column: None,
                rule,
            }],
        )
    }

    fn new(path: &Path, problems: Vec<Problem>) -> Self {
        Self {
            file: path.display().to_string(),
            problems,
        }
    }
}

impl fmt::Display for BadFile {
    /// `FILE: RULE` for a file that cannot be read at all; else `FILE has N bad rows:` and
    /// one indented line per broken rule.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let [only] = self.problems.as_slice()
            && only.line.is_none()
        {
            return write!(f, "{}: {only}", self.file);
        }
        let mut lines: Vec<Option<u64>> = self.problems.iter().map(|p| p.line).collect();
        lines.dedup();
        let rows = lines.len();
        let plural = if rows == 1 { "" } else { "s" };
        write!(f, "{} has {rows} bad row{plural}:", self.file)?;
        for problem in &self.problems {
            write!(f, "\n  {problem}")?;
        }
        Ok(())
    }
}

/// A kind of row a file holds: its columns, and how a row is read from its cells.
pub trait FileRow: Sized {
    /// The columns every row must have.
    const REQUIRED: &'static [&'static str];
    /// The columns a row may have besides.
    const OPTIONAL: &'static [&'static str] = &[];
    /// Columns of which a CSV header must have at least one (a row may still leave them
    /// blank, and say why in its own rule).
    const ONE_OF: &'static [&'static str] = &[];

    /// The row from its cells. Every broken rule is recorded in `cells` (all of them: read
    /// every cell before giving up); `None` when any was.
    fn read(cells: &mut Cells) -> Option<Self>;
}

/// The cells of one row, by column (blank cells left out), and the rules the row broke.
#[derive(Debug)]
pub struct Cells {
    line: u64,
    values: BTreeMap<String, String>,
    problems: Vec<Problem>,
}

impl Cells {
    /// A cell the row must have, parsed.
    pub fn required<T>(
        &mut self,
        column: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        match self.optional(column, parse) {
            Ok(Some(value)) => Some(value),
            Ok(None) => {
                self.problem(Some(column), "is required".into());
                None
            }
            Err(()) => None,
        }
    }

    /// A cell the row may leave blank: `Ok(None)` then; `Err` when it does not parse (the
    /// rule is recorded).
    pub fn optional<T>(
        &mut self,
        column: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<Option<T>, ()> {
        // A cell the file already gave in a form no column takes (a JSON array, say).
        if self
            .problems
            .iter()
            .any(|p| p.column.as_deref() == Some(column))
        {
            return Err(());
        }
        let Some(text) = self.values.get(column) else {
            return Ok(None);
        };
        match parse(text) {
            Ok(value) => Ok(Some(value)),
            Err(rule) => {
                self.problem(Some(column), rule);
                Err(())
            }
        }
    }

    /// Records a rule the row breaks, about one column or the whole row.
    pub fn problem(&mut self, column: Option<&str>, rule: String) {
        self.problems.push(Problem {
            line: Some(self.line),
            column: column.map(str::to_owned),
            rule,
        });
    }
}

/// A cell as text.
pub fn text(cell: &str) -> Result<String, String> {
    Ok(cell.to_owned())
}

/// A cell as whole roubles.
pub fn roubles(cell: &str) -> Result<Roubles, String> {
    cell.parse()
        .map_err(|_| format!("must be a whole number of roubles, not {cell:?}"))
}

/// A cell as a "Market Bestsellers" level: `light`, `best`, `super` or `top`.
pub fn level(cell: &str) -> Result<BestsellerLevel, String> {
    cell.parse().map_err(|_| {
        let known: Vec<&str> = BestsellerLevel::ALL.iter().map(|l| l.as_str()).collect();
        format!("unknown level {cell:?} ({})", known.join(", "))
    })
}

/// Every row of the file at `path`, with the line it starts on: CSV, or a JSON array of
/// objects when the name ends in `.json`. Cells are trimmed; a blank cell is no cell.
///
/// # Errors
/// [`BadFile`] with every bad row, when the file cannot be read or any row breaks a rule.
pub fn read_rows<T: FileRow>(path: &Path) -> Result<Vec<(u64, T)>, BadFile> {
    let (rows, problems) = read_some_rows(path)?;
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(BadFile::new(path, problems))
    }
}

/// The good rows of a file, each with its line, and the problems of the others.
type SomeRows<T> = (Vec<(u64, T)>, Vec<Problem>);

/// The rows of the file that are good, and the problems of the others (so that a check of
/// the good rows can add its own); an error only when no row can be read at all.
fn read_some_rows<T: FileRow>(path: &Path) -> Result<SomeRows<T>, BadFile> {
    let json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let bytes = std::fs::read(path)
        .map_err(|e| BadFile::whole(path, format!("cannot read the file: {e}")))?;
    let records = if json {
        json_records::<T>(&bytes)
    } else {
        csv_records::<T>(&bytes)
    }
    .map_err(|problems| BadFile::new(path, problems))?;
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for record in records {
        match record {
            Err(problem) => problems.push(problem),
            Ok(mut cells) => match T::read(&mut cells) {
                Some(row) if cells.problems.is_empty() => rows.push((cells.line, row)),
                _ => problems.append(&mut cells.problems),
            },
        }
    }
    Ok((rows, problems))
}

/// A row's cells, or why it has none (a row of the wrong shape).
type Record = Result<Cells, Problem>;

/// Whether `column` is one of `T`'s.
fn known<T: FileRow>(column: &str) -> bool {
    T::REQUIRED.contains(&column) || T::OPTIONAL.contains(&column) || T::ONE_OF.contains(&column)
}

/// The columns `T` reads, for a rule's text.
fn columns<T: FileRow>() -> String {
    let mut all: Vec<&str> = T::REQUIRED.to_vec();
    for column in T::ONE_OF.iter().chain(T::OPTIONAL) {
        if !all.contains(column) {
            all.push(column);
        }
    }
    all.join(", ")
}

fn unknown_column<T: FileRow>(line: u64, column: &str) -> Problem {
    Problem {
        line: Some(line),
        column: Some(column.to_owned()),
        rule: format!("is not a column of this file ({})", columns::<T>()),
    }
}

/// The rows of a CSV file; the header's problems alone when it has any.
fn csv_records<T: FileRow>(bytes: &[u8]) -> Result<Vec<Record>, Vec<Problem>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(bytes);
    let lines = Lines::of(bytes);
    let at_header = |rule: String| Problem {
        line: Some(1),
        column: None,
        rule,
    };
    let header = reader
        .headers()
        .map_err(|e| vec![at_header(format!("not a CSV header: {e}"))])?
        .clone();
    let mut problems = Vec::new();
    for (index, column) in header.iter().enumerate() {
        if !known::<T>(column) {
            problems.push(unknown_column::<T>(1, column));
        } else if header.iter().take(index).any(|c| c == column) {
            problems.push(Problem {
                line: Some(1),
                column: Some(column.to_owned()),
                rule: "is in the header twice".into(),
            });
        }
    }
    let missing: Vec<&str> = T::REQUIRED
        .iter()
        .copied()
        .filter(|c| !header.iter().any(|h| h == *c))
        .collect();
    if !missing.is_empty() {
        problems.push(at_header(format!(
            "the header lacks the column{} {}",
            if missing.len() == 1 { "" } else { "s" },
            missing.join(", ")
        )));
    }
    if !T::ONE_OF.is_empty() && !T::ONE_OF.iter().any(|c| header.iter().any(|h| h == *c)) {
        problems.push(at_header(format!(
            "the header needs a column {}",
            T::ONE_OF.join(" or ")
        )));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut records = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line = error.position().map(|at| lines.of_record(bytes, at));
                let fatal = !matches!(error.kind(), csv::ErrorKind::Utf8 { .. });
                records.push(Err(Problem {
                    line,
                    column: None,
                    rule: error.to_string(),
                }));
                if fatal {
                    break;
                }
                continue;
            }
        };
        let line = record.position().map_or(0, |at| lines.of_record(bytes, at));
        if record.len() != header.len() {
            records.push(Err(Problem {
                line: Some(line),
                column: None,
                rule: format!("has {} cells, the header {}", record.len(), header.len()),
            }));
            continue;
        }
        let values = header
            .iter()
            .zip(record.iter())
            .filter(|(_, cell)| !cell.is_empty())
            .map(|(column, cell)| (column.to_owned(), cell.to_owned()))
            .collect();
        records.push(Ok(Cells {
            line,
            values,
            problems: Vec::new(),
        }));
    }
    Ok(records)
}

/// Where the lines of a file end, so that the line of any byte is a binary search: counting
/// from the start for every row made a large file's rows cost the square of its size.
struct Lines(Vec<usize>);

impl Lines {
    fn of(bytes: &[u8]) -> Self {
        Self(
            bytes
                .iter()
                .enumerate()
                .filter(|&(_, &b)| b == b'\n')
                .map(|(at, _)| at)
                .collect(),
        )
    }

    /// The line (from 1) of byte `offset`.
    fn at(&self, offset: usize) -> u64 {
        let newlines = self.0.partition_point(|&newline| newline < offset);
        u64::try_from(newlines)
            .unwrap_or(u64::MAX)
            .saturating_add(1)
    }

    /// The line a CSV record starts on. The reader's own count leaves out the blank lines it
    /// skips, so the line is counted from the record's first byte instead.
    fn of_record(&self, bytes: &[u8], at: &csv::Position) -> u64 {
        let mut offset = usize::try_from(at.byte()).unwrap_or(usize::MAX);
        while bytes
            .get(offset)
            .is_some_and(|b| matches!(b, b'\r' | b'\n'))
        {
            offset += 1;
        }
        self.at(offset)
    }
}

/// The offsets of the items of the JSON array `bytes` (already known to be valid JSON).
fn item_offsets(bytes: &[u8]) -> Vec<usize> {
    let skip = |mut at: usize| {
        while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
            at += 1;
        }
        at
    };
    let mut offsets = Vec::new();
    // Past the byte-order mark, if any, and the `[`.
    let mut at = skip(usize::from(bytes.starts_with(b"\xEF\xBB\xBF")) * 3) + 1;
    loop {
        at = skip(at);
        if bytes.get(at).is_none_or(|&b| b == b']') {
            break;
        }
        offsets.push(at);
        let mut item =
            serde_json::Deserializer::from_slice(&bytes[at..]).into_iter::<serde::de::IgnoredAny>();
        if !matches!(item.next(), Some(Ok(_))) {
            break;
        }
        at = skip(at + item.byte_offset());
        if bytes.get(at) != Some(&b',') {
            break;
        }
        at += 1;
    }
    offsets
}

/// The rows of a JSON file: an array of objects.
fn json_records<T: FileRow>(bytes: &[u8]) -> Result<Vec<Record>, Vec<Problem>> {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let value: serde_json::Value = serde_json::from_slice(text).map_err(|e| {
        vec![Problem {
            line: Some(u64::try_from(e.line()).unwrap_or(0)),
            column: None,
            rule: format!("not JSON: {e}"),
        }]
    })?;
    let serde_json::Value::Array(items) = value else {
        return Err(vec![Problem {
            line: Some(1),
            column: None,
            rule: "must be a JSON array of objects, one a row".into(),
        }]);
    };
    let offsets = item_offsets(bytes);
    let lines = Lines::of(bytes);
    let records = items
        .into_iter()
        .enumerate()
        .map(|(index, item)| {
            let line = offsets.get(index).map_or(0, |&at| lines.at(at));
            let serde_json::Value::Object(object) = item else {
                return Err(Problem {
                    line: Some(line),
                    column: None,
                    rule: format!("must be an object with the keys {}", columns::<T>()),
                });
            };
            let mut cells = Cells {
                line,
                values: BTreeMap::new(),
                problems: Vec::new(),
            };
            for (key, value) in object {
                if !known::<T>(&key) {
                    cells.problems.push(unknown_column::<T>(line, &key));
                    continue;
                }
                let cell = match value {
                    serde_json::Value::Null => continue,
                    serde_json::Value::String(text) => text.trim().to_owned(),
                    serde_json::Value::Number(number) => number.to_string(),
                    other => {
                        let kind = match other {
                            serde_json::Value::Bool(_) => "a boolean",
                            serde_json::Value::Array(_) => "an array",
                            _ => "an object",
                        };
                        cells.problem(
                            Some(&key),
                            format!("must be a string or a number, not {kind}"),
                        );
                        continue;
                    }
                };
                if !cell.is_empty() {
                    cells.values.insert(key, cell);
                }
            }
            Ok(cells)
        })
        .collect();
    Ok(records)
}

/// The library's verdict on rows read from `path`, each broken rule at its row's line.
/// `rows` are the rows' lines and offer ids, in the order they were given to the library,
/// whose fields read `{array}[index].column` or `{array}["id"].column`, in row order.
pub fn at_lines(
    path: &Path,
    error: &ValidationError,
    array: &str,
    rows: &[(u64, &str)],
) -> BadFile {
    let mut cursor = 0;
    let problems = error
        .violations
        .iter()
        .map(|violation| {
            let rule = format!(
                "{} (got {})",
                lines_for_indices(&violation.rule, array, rows),
                violation.value
            );
            let place = violation
                .field
                .strip_prefix(array)
                .and_then(|rest| rest.strip_prefix('['))
                .and_then(|rest| {
                    let (index, column) = row_of(rest, rows, cursor)?;
                    cursor = index;
                    Some((rows[index].0, column))
                });
            match place {
                Some((line, column)) => Problem {
                    line: Some(line),
                    column: column.map(str::to_owned),
                    rule,
                },
                None => Problem {
                    line: None,
                    column: Some(violation.field.clone()),
                    rule,
                },
            }
        })
        .collect();
    BadFile::new(path, problems)
}

/// A rule with each row it names by index (`must not repeat floors[0]`) named by its line
/// instead (`must not repeat line 2`).
fn lines_for_indices(rule: &str, array: &str, rows: &[(u64, &str)]) -> String {
    let opening = format!("{array}[");
    let mut out = String::new();
    let mut rest = rule;
    while let Some(at) = rest.find(&opening) {
        out.push_str(&rest[..at]);
        let after = &rest[at + opening.len()..];
        let line = after.split_once(']').and_then(|(index, tail)| {
            let line = rows.get(index.parse::<usize>().ok()?)?.0;
            Some((line, tail))
        });
        match line {
            Some((line, tail)) => {
                out.push_str(&format!("line {line}"));
                rest = tail;
            }
            None => {
                out.push_str(&opening);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The row a field names (`3].price` by index, `"SKU-1"].price` by id: the first row at or
/// after `from` with that id, as violations come in row order) and the column it names.
fn row_of<'f>(
    rest: &'f str,
    rows: &[(u64, &str)],
    from: usize,
) -> Option<(usize, Option<&'f str>)> {
    let column = |after: &'f str| after.strip_prefix('.').filter(|c| !c.is_empty());
    if let Some((index, after)) = rest.split_once(']')
        && let Ok(index) = index.parse::<usize>()
    {
        return (index < rows.len()).then(|| (index, column(after)));
    }
    (from..rows.len()).chain(0..from).find_map(|index| {
        let named = format!("{:?}]", rows[index].1.trim());
        rest.strip_prefix(named.as_str())
            .map(|after| (index, column(after)))
    })
}

/// One row of a floors file: an offer and the lowest promo price the seller accepts for it.
#[derive(Debug)]
struct FloorRow {
    offer_id: String,
    floor: Roubles,
}

impl FileRow for FloorRow {
    const REQUIRED: &'static [&'static str] = &["offer_id", "floor"];

    fn read(cells: &mut Cells) -> Option<Self> {
        let offer_id = cells.required("offer_id", text);
        let floor = cells.required("floor", roubles);
        Some(Self {
            offer_id: offer_id?,
            floor: floor?,
        })
    }
}

/// The seller's floors from a file with the columns `offer_id,floor` (CSV, or JSON when the
/// name ends in `.json`), checked by [`Floors::new`]: every bad row named by its line.
///
/// # Errors
/// [`BadFile`] with every bad row.
pub fn read_floors(path: &Path) -> Result<Floors, BadFile> {
    let (rows, mut problems) = read_some_rows::<FloorRow>(path)?;
    let floors = Floors::new(
        rows.iter()
            .map(|(_, row)| (row.offer_id.as_str(), row.floor)),
    );
    match floors {
        Ok(floors) if problems.is_empty() => return Ok(floors),
        Ok(_) => {}
        Err(error) => {
            let ids: Vec<(u64, &str)> = rows
                .iter()
                .map(|(line, row)| (*line, row.offer_id.as_str()))
                .collect();
            problems.extend(at_lines(path, &error, "floors", &ids).problems);
            // In the file's order; a row's own problems stay in theirs.
            problems.sort_by_key(|p| p.line);
        }
    }
    Err(BadFile::new(path, problems))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Row {
        id: String,
        n: Roubles,
        level: Option<BestsellerLevel>,
    }

    impl FileRow for Row {
        const REQUIRED: &'static [&'static str] = &["id", "n"];
        const OPTIONAL: &'static [&'static str] = &["level"];

        fn read(cells: &mut Cells) -> Option<Self> {
            let id = cells.required("id", text);
            let n = cells.required("n", roubles);
            let level = cells.optional("level", level).ok()?;
            Some(Self {
                id: id?,
                n: n?,
                level,
            })
        }
    }

    fn read(name: &str, text: &str) -> Result<Vec<(u64, Row)>, BadFile> {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        read_rows::<Row>(&path)
    }

    fn problems(result: Result<Vec<(u64, Row)>, BadFile>) -> Vec<String> {
        result
            .expect_err("bad")
            .problems
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn csv_and_json_read_alike_with_lines() {
        let csv = read("a.csv", "id,n,level\na,1,\n\nb , 2 ,TOP\n").expect("good");
        let json = read(
            "a.json",
            "[\n  {\"id\": \"a\", \"n\": 1, \"level\": null},\n\n  {\"id\": \" b \", \"n\": \"2\", \"level\": \"top\"}\n]",
        )
        .expect("good");
        let top = Some(BestsellerLevel::Top);
        let expected = |first: u64, second: u64| {
            vec![
                (
                    first,
                    Row {
                        id: "a".into(),
                        n: 1,
                        level: None,
                    },
                ),
                (
                    second,
                    Row {
                        id: "b".into(),
                        n: 2,
                        level: top,
                    },
                ),
            ]
        };
        assert_eq!(csv, expected(2, 4));
        assert_eq!(json, expected(2, 4));
        assert_eq!(read("e.json", "[]").expect("empty"), []);
        let blank_lines = "id,n\r\n\r\na,1\r\n\r\n\r\nb,2";
        let lines: Vec<u64> = read("b.csv", blank_lines)
            .expect("good")
            .into_iter()
            .map(|(line, _)| line)
            .collect();
        assert_eq!(lines, [3, 6], "blank lines count");
        let found = problems(read("c.csv", &format!("{blank_lines},\r\n")));
        assert_eq!(found, ["line 6: has 3 cells, the header 2"]);
    }

    #[test]
    fn every_bad_row_is_named_with_its_line_and_column() {
        let found = problems(read(
            "a.csv",
            "id,n,level\na,1.5,gold\n,2,\nc,3\nd,4,best\n",
        ));
        assert_eq!(
            found,
            [
                "line 2, column n: must be a whole number of roubles, not \"1.5\"",
                "line 2, column level: unknown level \"gold\" (light, best, super, top)",
                "line 3, column id: is required",
                "line 4: has 2 cells, the header 3",
            ]
        );
        let found = problems(read(
            "a.json",
            "[{\"id\": \"a\", \"n\": -1},\n 5,\n {\"id\": [1], \"n\": 2, \"extra\": 1}]",
        ));
        assert_eq!(
            found,
            [
                "line 1, column n: must be a whole number of roubles, not \"-1\"",
                "line 2: must be an object with the keys id, n, level",
                "line 3, column extra: is not a column of this file (id, n, level)",
                "line 3, column id: must be a string or a number, not an array",
            ]
        );
    }

    #[test]
    fn a_bad_header_or_a_bad_file_is_named_once() {
        let bad = read("a.csv", "id,x,id\n1,2,3\n").expect_err("bad header");
        assert_eq!(
            bad.to_string(),
            format!(
                "{} has 1 bad row:\n  line 1, column x: is not a column of this file (id, n, level)\n  line 1, column id: is in the header twice\n  line 1: the header lacks the column n",
                bad.file
            )
        );
        let found = problems(read("a.json", "{\"id\": 1}"));
        assert_eq!(
            found,
            ["line 1: must be a JSON array of objects, one a row"]
        );
        let found = problems(read("a.json", "[\n{\"id\": 1,}]"));
        assert!(found[0].starts_with("line 2: not JSON: "), "{found:?}");
        let missing = read_rows::<Row>(Path::new("/nonexistent/a.csv")).expect_err("no file");
        assert!(
            missing
                .to_string()
                .starts_with("/nonexistent/a.csv: cannot read the file: "),
            "{missing}"
        );
    }

    #[test]
    fn floors_are_checked_by_the_library_and_named_by_line() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("floors.csv");
        std::fs::write(
            &path,
            "offer_id,floor\nSKU-1,500\nSKU-2,0\nSKU-1,700\nSKU-3,abc\n",
        )
        .expect("write");
        let found: Vec<String> = read_floors(&path)
            .expect_err("bad")
            .problems
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            found,
            [
                "line 3, column floor: must be a whole number of roubles from 1 to 9223372036854775807 (got 0)",
                "line 4, column offer_id: must not repeat line 2 (got \"SKU-1\")",
                "line 5, column floor: must be a whole number of roubles, not \"abc\"",
            ]
        );
        std::fs::write(&path, "offer_id,floor\nSKU-1,500\nSKU-2,0\nSKU-1,0\n").expect("write");
        let found: Vec<String> = read_floors(&path)
            .expect_err("bad")
            .problems
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            found,
            [
                "line 3, column floor: must be a whole number of roubles from 1 to 9223372036854775807 (got 0)",
                "line 4, column floor: must be a whole number of roubles from 1 to 9223372036854775807 (got 0)",
                "line 4, column offer_id: must not repeat line 2 (got \"SKU-1\")",
            ]
        );
        std::fs::write(&path, "offer_id,floor\nSKU-1,500\n").expect("write");
        assert_eq!(read_floors(&path).expect("good").get("SKU-1"), Some(500));
    }
}
