//! Compares two schemas, direction-aware, down through properties, array items,
//! `additionalProperties` and `oneOf`/`anyOf` variants, with `$ref`s resolved (so a renamed
//! schema with every reference updated compares equal). A pair of schemas already being
//! compared higher up the same path is not entered again, which ends recursive `$ref`s.
use serde_json::Value;

use super::{
    rules::{Change, Direction, Rule},
    shape::{Additional, Resolver, SRef, Shape},
};

/// Limits where a smaller value is the narrower one; for every other limit a larger value is
/// (flags such as `uniqueItems` count 1 when set, so setting one narrows).
const UPPER_BOUNDS: [&str; 4] = ["maximum", "maxLength", "maxItems", "maxProperties"];

/// How many schemas deep a comparison goes before stopping (besides the recursion guard).
const MAX_DEPTH: usize = 64;

/// Compares schemas of two specs in one direction, collecting changes.
#[derive(Debug)]
pub struct SchemaDiff<'a, 'c> {
    pub old: Resolver<'a>,
    pub new: Resolver<'a>,
    pub direction: Direction,
    /// Where the schema sits: `GET /path 200 application/json`.
    pub base: &'c str,
    pub changes: &'c mut Vec<Change>,
    /// The `$ref` pairs being compared on the current path.
    stack: Vec<(Vec<String>, Vec<String>)>,
}

impl<'a, 'c> SchemaDiff<'a, 'c> {
    pub fn new(
        old: Resolver<'a>,
        new: Resolver<'a>,
        direction: Direction,
        base: &'c str,
        changes: &'c mut Vec<Change>,
    ) -> Self {
        SchemaDiff {
            old,
            new,
            direction,
            base,
            changes,
            stack: Vec::new(),
        }
    }

    fn push(&mut self, rule: Rule, path: &str, message: String) {
        let location = if path.is_empty() {
            self.base.to_owned()
        } else {
            format!("{} {path}", self.base)
        };
        self.changes.push(Change::new(rule, location, message));
    }

    fn pick(&self, request: Rule, response: Rule) -> Rule {
        self.direction.pick(request, response)
    }

    /// Compares the schema at `path` (`""` for the root, `orders[].status` below it).
    pub fn compare(&mut self, old: SRef<'a>, new: SRef<'a>, path: &str) {
        let (old, new) = (self.old.shape(old), self.new.shape(new));
        let key = (old.refs.clone(), new.refs.clone());
        let guarded = !key.0.is_empty() || !key.1.is_empty();
        if self.stack.len() >= MAX_DEPTH || (guarded && self.stack.contains(&key)) {
            return;
        }
        self.stack.push(key);
        self.compare_shapes(&old, &new, path);
        self.stack.pop();
    }

    fn compare_shapes(&mut self, old: &Shape<'a>, new: &Shape<'a>, path: &str) {
        self.documentation(old, new, path);
        if old.kind != new.kind {
            match (&old.kind, &new.kind) {
                (None, Some(kind)) => self.narrowed(path, format!("type {kind} set")),
                (Some(kind), None) => self.widened(path, format!("type {kind} dropped")),
                (Some(a), Some(b)) => {
                    let rule = self.pick(Rule::RequestTypeChanged, Rule::ResponseTypeChanged);
                    self.push(rule, path, format!("type {a} -> {b}"));
                    return;
                }
                (None, None) => {}
            }
        }
        match (old.nullable, new.nullable) {
            (false, true) => {
                let rule = self.pick(Rule::RequestNullableAdded, Rule::ResponseNullableAdded);
                self.push(rule, path, "became nullable".to_owned());
            }
            (true, false) => {
                let rule = self.pick(Rule::RequestNullableRemoved, Rule::ResponseNullableRemoved);
                self.push(rule, path, "no longer nullable".to_owned());
            }
            _ => {}
        }
        self.format(old, new, path);
        self.limits(old, new, path);
        self.enums(old, new, path);
        self.properties(old, new, path);
        self.additional(old, new, path);
        if let (Some(a), Some(b)) = (old.items, new.items) {
            self.compare(a, b, &format!("{path}[]"));
        }
        self.variants(old, new, path);
    }

    fn documentation(&mut self, old: &Shape<'a>, new: &Shape<'a>, path: &str) {
        if old.description != new.description {
            self.push(
                Rule::DescriptionChanged,
                path,
                "description changed".to_owned(),
            );
        }
        if old.example != new.example {
            self.push(Rule::ExampleChanged, path, "example changed".to_owned());
        }
        if old.default != new.default {
            let message = format!("default {} -> {}", show(&old.default), show(&new.default));
            self.push(Rule::DefaultChanged, path, message);
        }
        if old.deprecated != new.deprecated {
            let message = if new.deprecated {
                "deprecated"
            } else {
                "no longer deprecated"
            };
            self.push(Rule::DeprecationChanged, path, message.to_owned());
        }
    }

    fn narrowed(&mut self, path: &str, message: String) {
        let rule = self.pick(Rule::RequestLimitNarrowed, Rule::ResponseLimitNarrowed);
        self.push(rule, path, message);
    }

    fn widened(&mut self, path: &str, message: String) {
        let rule = self.pick(Rule::RequestLimitWidened, Rule::ResponseLimitWidened);
        self.push(rule, path, message);
    }

    fn constraint_changed(&mut self, path: &str, message: String) {
        let rule = self.pick(
            Rule::RequestConstraintChanged,
            Rule::ResponseConstraintChanged,
        );
        self.push(rule, path, message);
    }

    fn format(&mut self, old: &Shape<'a>, new: &Shape<'a>, path: &str) {
        match (&old.format, &new.format) {
            (None, Some(f)) => self.narrowed(path, format!("format {f} added")),
            (Some(f), None) => self.widened(path, format!("format {f} removed")),
            (Some(a), Some(b)) if a != b => {
                let rule = self.pick(Rule::RequestFormatChanged, Rule::ResponseFormatChanged);
                self.push(rule, path, format!("format {a} -> {b}"));
            }
            _ => {}
        }
    }

    fn limits(&mut self, old: &Shape<'a>, new: &Shape<'a>, path: &str) {
        let mut keywords: Vec<&'static str> = old.limits.iter().map(|l| l.0).collect();
        keywords.extend(new.limits.iter().map(|l| l.0));
        keywords.sort_unstable();
        keywords.dedup();
        for keyword in keywords {
            let (a, b) = (old.limit(keyword), new.limit(keyword));
            let message = format!("{keyword} {} -> {}", show_limit(a), show_limit(b));
            let narrower = match (a, b) {
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (Some(a), Some(b)) if keyword == "multipleOf" => {
                    if b % a == 0.0 {
                        b != a
                    } else if a % b == 0.0 {
                        false
                    } else {
                        self.constraint_changed(path, message);
                        continue;
                    }
                }
                (Some(a), Some(b)) if a != b => (b < a) == UPPER_BOUNDS.contains(&keyword),
                _ => continue,
            };
            if narrower {
                self.narrowed(path, message);
            } else {
                self.widened(path, message);
            }
        }
        match (&old.pattern, &new.pattern) {
            (None, Some(p)) => self.narrowed(path, format!("pattern {p} added")),
            (Some(p), None) => self.widened(path, format!("pattern {p} removed")),
            (Some(a), Some(b)) if a != b => {
                self.constraint_changed(path, format!("pattern {a} -> {b}"));
            }
            _ => {}
        }
    }

    /// Closed `enum`s and `x-extensible-enum`s: values added or removed, and a switch between
    /// the two.
    fn enums(&mut self, old: &Shape<'a>, new: &Shape<'a>, path: &str) {
        let closed = self.pick(Rule::RequestEnumValueAdded, Rule::ResponseEnumValueAdded);
        let closed_removed = self.pick(
            Rule::RequestEnumValueRemoved,
            Rule::ResponseEnumValueRemoved,
        );
        let open = self.pick(
            Rule::RequestExtensibleEnumValueAdded,
            Rule::ResponseExtensibleEnumValueAdded,
        );
        let open_removed = self.pick(
            Rule::RequestExtensibleEnumValueRemoved,
            Rule::ResponseExtensibleEnumValueRemoved,
        );
        let (added, removed, a, b) = match (
            (&old.enumeration, &old.extensible),
            (&new.enumeration, &new.extensible),
        ) {
            ((Some(a), _), (Some(b), _)) => (closed, closed_removed, a, b),
            ((None, None), (Some(b), _)) => {
                return self.narrowed(path, format!("enum {} set", list(b)));
            }
            ((Some(a), _), (None, None)) => {
                return self.widened(path, format!("enum {} dropped", list(a)));
            }
            ((Some(a), _), (None, Some(b))) => {
                let rule = self.pick(
                    Rule::RequestEnumMadeExtensible,
                    Rule::ResponseEnumMadeExtensible,
                );
                self.push(rule, path, "enum became x-extensible-enum".to_owned());
                (open, open_removed, a, b)
            }
            ((None, Some(a)), (Some(b), _)) => {
                let rule = self.pick(Rule::RequestEnumMadeClosed, Rule::ResponseEnumMadeClosed);
                self.push(rule, path, "x-extensible-enum became enum".to_owned());
                (closed, closed_removed, a, b)
            }
            ((None, a), (None, b)) => match (a, b) {
                (None, None) => return,
                _ => (
                    open,
                    open_removed,
                    a.as_ref().unwrap_or(&EMPTY),
                    b.as_ref().unwrap_or(&EMPTY),
                ),
            },
        };
        for value in b.iter().filter(|v| !a.contains(v)) {
            self.push(added, path, format!("value {value} added"));
        }
        for value in a.iter().filter(|v| !b.contains(v)) {
            self.push(removed, path, format!("value {value} removed"));
        }
    }

    fn properties(&mut self, old: &Shape<'a>, new: &Shape<'a>, path: &str) {
        let join = |name: &str| {
            if path.is_empty() {
                name.to_owned()
            } else {
                format!("{path}.{name}")
            }
        };
        for &(name, schema) in &old.properties {
            let at = join(name);
            let Some(other) = new.property(name) else {
                let rule = self.pick(Rule::RequestPropertyRemoved, Rule::ResponsePropertyRemoved);
                self.push(rule, &at, format!("property {name} removed"));
                continue;
            };
            match (old.required.contains(name), new.required.contains(name)) {
                (false, true) => {
                    let rule = self.pick(
                        Rule::RequestPropertyMadeRequired,
                        Rule::ResponsePropertyMadeRequired,
                    );
                    self.push(rule, &at, format!("property {name} made required"));
                }
                (true, false) => {
                    let rule = self.pick(
                        Rule::RequestPropertyMadeOptional,
                        Rule::ResponsePropertyMadeOptional,
                    );
                    self.push(rule, &at, format!("property {name} made optional"));
                }
                _ => {}
            }
            self.compare(schema, other, &at);
        }
        for &(name, _) in new
            .properties
            .iter()
            .filter(|p| old.property(p.0).is_none())
        {
            let required = new.required.contains(name);
            let rule = match (self.direction, required) {
                (Direction::Request, true) => Rule::RequestRequiredPropertyAdded,
                (Direction::Request, false) => Rule::RequestPropertyAdded,
                (Direction::Response, _) => Rule::ResponsePropertyAdded,
            };
            let how = if required { "required" } else { "optional" };
            self.push(rule, &join(name), format!("{how} property {name} added"));
        }
    }

    fn additional(&mut self, old: &Shape<'a>, new: &Shape<'a>, path: &str) {
        let message = "additionalProperties";
        match (old.additional, new.additional) {
            (Additional::Schema(a), Additional::Schema(b)) => {
                self.compare(a, b, &format!("{path}{{}}"));
            }
            (Additional::Allowed, Additional::Allowed)
            | (Additional::Forbidden, Additional::Forbidden) => {}
            (Additional::Allowed, _) | (_, Additional::Forbidden) => {
                self.narrowed(path, format!("{message} restricted"));
            }
            _ => self.widened(path, format!("{message} loosened")),
        }
    }

    /// `oneOf`/`anyOf` variants, matched by `$ref` name, then by position.
    fn variants(&mut self, old: &Shape<'a>, new: &Shape<'a>, path: &str) {
        let name = |s: &SRef<'_>| match s {
            SRef::Ref(r) => Some(r.rsplit('/').next().unwrap_or(r).to_owned()),
            SRef::Item(_) => None,
        };
        let mut unmatched_new: Vec<(usize, SRef<'a>)> =
            new.variants.iter().copied().enumerate().collect();
        let mut unmatched_old = Vec::new();
        for (i, variant) in old.variants.iter().enumerate() {
            let found = name(variant).and_then(|n| {
                unmatched_new
                    .iter()
                    .position(|(_, v)| name(v).as_deref() == Some(n.as_str()))
            });
            match found {
                Some(at) => {
                    let (_, other) = unmatched_new.remove(at);
                    self.compare(*variant, other, &format!("{path}<{i}>"));
                }
                None => unmatched_old.push((i, *variant)),
            }
        }
        let inline_pairs = unmatched_old.len().min(unmatched_new.len());
        for ((i, a), (_, b)) in unmatched_old
            .drain(..inline_pairs)
            .zip(unmatched_new.drain(..inline_pairs))
        {
            self.compare(a, b, &format!("{path}<{i}>"));
        }
        for (i, _) in unmatched_old {
            self.narrowed(path, format!("variant {i} removed"));
        }
        for (i, _) in unmatched_new {
            self.widened(path, format!("variant {i} added"));
        }
    }
}

static EMPTY: Vec<Value> = Vec::new();

fn show(value: &Option<Value>) -> String {
    value
        .as_ref()
        .map_or_else(|| "none".to_owned(), Value::to_string)
}

fn show_limit(value: Option<f64>) -> String {
    value.map_or_else(|| "none".to_owned(), |v| v.to_string())
}

fn list(values: &[Value]) -> String {
    let shown: Vec<String> = values.iter().map(Value::to_string).collect();
    format!("[{}]", shown.join(", "))
}
