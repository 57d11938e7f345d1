//! Walks two specs side by side: the info block, paths, operations, their parameters
//! (path-level ones included), request bodies and responses, handing every schema pair to
//! [`SchemaDiff`] with the direction its data flows in.
use openapiv3::{
    MediaType, OpenAPI, Operation, Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr,
    Response, StatusCode,
};

use super::{
    rules::{Change, Direction, Rule},
    schema_diff::SchemaDiff,
    shape::{Resolver, SRef},
};

/// Every change from `old` to `new`, in the order of the specs.
pub fn diff(old: &OpenAPI, new: &OpenAPI) -> Vec<Change> {
    let mut walk = Walk {
        old: Resolver { doc: old },
        new: Resolver { doc: new },
        changes: Vec::new(),
    };
    walk.document();
    walk.changes
}

#[derive(Debug)]
struct Walk<'a> {
    old: Resolver<'a>,
    new: Resolver<'a>,
    changes: Vec<Change>,
}

/// The methods an operation may sit under, as `openapiv3` names a path item's fields.
fn operations(item: &PathItem) -> Vec<(&'static str, &Operation)> {
    [
        ("GET", &item.get),
        ("PUT", &item.put),
        ("POST", &item.post),
        ("DELETE", &item.delete),
        ("OPTIONS", &item.options),
        ("HEAD", &item.head),
        ("PATCH", &item.patch),
        ("TRACE", &item.trace),
    ]
    .into_iter()
    .filter_map(|(method, op)| op.as_ref().map(|op| (method, op)))
    .collect()
}

fn status_key(status: &StatusCode) -> String {
    status.to_string()
}

impl<'a> Walk<'a> {
    fn push(&mut self, rule: Rule, location: impl Into<String>, message: impl Into<String>) {
        self.changes
            .push(Change::new(rule, location.into(), message.into()));
    }

    /// Reports `was` → `is` of a `required` flag as `rules[0]` (made required) or `rules[1]`
    /// (made optional); the message starts with `what`.
    fn required(&mut self, (was, is): (bool, bool), rules: [Rule; 2], location: &str, what: &str) {
        match (was, is) {
            (false, true) => self.push(rules[0], location, format!("{what}made required")),
            (true, false) => self.push(rules[1], location, format!("{what}made optional")),
            _ => {}
        }
    }

    fn text(
        &mut self,
        rule: Rule,
        location: &str,
        what: &str,
        a: &Option<String>,
        b: &Option<String>,
    ) {
        if a != b {
            self.push(rule, location, format!("{what} changed"));
        }
    }

    fn document(&mut self) {
        let (old, new) = (self.old.doc, self.new.doc);
        if old.info != new.info {
            self.push(Rule::InfoChanged, "info", "the info block changed");
        }
        let old_paths = || {
            old.paths
                .paths
                .iter()
                .filter_map(|(p, i)| i.as_item().map(|i| (p, i)))
        };
        let new_paths = || {
            new.paths
                .paths
                .iter()
                .filter_map(|(p, i)| i.as_item().map(|i| (p, i)))
        };
        for (path, item) in old_paths() {
            match new.paths.paths.get(path).and_then(ReferenceOr::as_item) {
                Some(other) => self.path(path, item, other),
                None => self.push(
                    Rule::PathRemoved,
                    path.as_str(),
                    format!("path {path} removed"),
                ),
            }
        }
        for (path, _) in new_paths().filter(|(p, _)| !old.paths.paths.contains_key(*p)) {
            self.push(Rule::PathAdded, path.as_str(), format!("path {path} added"));
        }
    }

    fn path(&mut self, path: &str, old: &'a PathItem, new: &'a PathItem) {
        let new_ops = operations(new);
        for (method, op) in operations(old) {
            let location = format!("{method} {path}");
            match new_ops.iter().find(|(m, _)| *m == method) {
                Some(&(_, other)) => {
                    let params = (old.parameters.as_slice(), new.parameters.as_slice());
                    self.operation(&location, op, other, params);
                }
                None => self.push(Rule::OperationRemoved, &location, "operation removed"),
            }
        }
        let old_ops = operations(old);
        for (method, _) in new_ops
            .iter()
            .filter(|(m, _)| !old_ops.iter().any(|(o, _)| o == m))
        {
            self.push(
                Rule::OperationAdded,
                format!("{method} {path}"),
                "operation added",
            );
        }
    }

    fn operation(
        &mut self,
        at: &str,
        old: &'a Operation,
        new: &'a Operation,
        path_params: (&'a [ReferenceOr<Parameter>], &'a [ReferenceOr<Parameter>]),
    ) {
        if old.operation_id != new.operation_id {
            let message = format!(
                "operationId {} -> {}",
                old.operation_id.as_deref().unwrap_or("none"),
                new.operation_id.as_deref().unwrap_or("none")
            );
            self.push(Rule::OperationIdChanged, at, message);
        }
        self.text(
            Rule::SummaryChanged,
            at,
            "summary",
            &old.summary,
            &new.summary,
        );
        self.text(
            Rule::DescriptionChanged,
            at,
            "description",
            &old.description,
            &new.description,
        );
        if old.deprecated != new.deprecated {
            let message = if new.deprecated {
                "deprecated"
            } else {
                "no longer deprecated"
            };
            self.push(Rule::DeprecationChanged, at, message);
        }
        let old_params = self.parameters(self.old, path_params.0, &old.parameters);
        let new_params = self.parameters(self.new, path_params.1, &new.parameters);
        self.compare_parameters(at, &old_params, &new_params);
        self.request_body(at, old, new);
        self.responses(at, old, new);
    }

    /// An operation's parameters: the path item's, overridden by the operation's own (same
    /// name and place), with `$ref`s resolved.
    fn parameters(
        &self,
        resolver: Resolver<'a>,
        path_level: &'a [ReferenceOr<Parameter>],
        own: &'a [ReferenceOr<Parameter>],
    ) -> Vec<&'a Parameter> {
        let mut all: Vec<&'a Parameter> = Vec::new();
        for entry in path_level.iter().chain(own) {
            let Some(param) = resolver.parameter(entry) else {
                continue;
            };
            all.retain(|p| key(p) != key(param));
            all.push(param);
        }
        all
    }

    fn compare_parameters(&mut self, at: &str, old: &[&'a Parameter], new: &[&'a Parameter]) {
        let mut removed = Vec::new();
        for &param in old {
            let (place, name) = key(param);
            let location = format!("{at} {place} {name}");
            let Some(&other) = new.iter().find(|p| key(p) == key(param)) else {
                removed.push(param);
                continue;
            };
            let (a, b) = (param.parameter_data_ref(), other.parameter_data_ref());
            self.required(
                (a.required, b.required),
                [Rule::ParameterMadeRequired, Rule::ParameterMadeOptional],
                &location,
                "",
            );
            self.text(
                Rule::DescriptionChanged,
                &location,
                "description",
                &a.description,
                &b.description,
            );
            if a.deprecated.unwrap_or(false) != b.deprecated.unwrap_or(false) {
                self.push(Rule::DeprecationChanged, &location, "deprecation changed");
            }
            if a.example != b.example || a.examples != b.examples {
                self.push(Rule::ExampleChanged, &location, "example changed");
            }
            match (&a.format, &b.format) {
                (ParameterSchemaOrContent::Schema(x), ParameterSchemaOrContent::Schema(y)) => {
                    let base = format!("{at} {place}");
                    let mut diff = SchemaDiff::new(
                        self.old,
                        self.new,
                        Direction::Request,
                        &base,
                        &mut self.changes,
                    );
                    diff.compare(x.into(), y.into(), name);
                }
                (ParameterSchemaOrContent::Content(x), ParameterSchemaOrContent::Content(y)) => {
                    self.content(&location, x, y, Direction::Request);
                }
                _ => self.push(
                    Rule::RequestTypeChanged,
                    &location,
                    "schema became content or back",
                ),
            }
        }
        let mut added: Vec<&'a Parameter> = new
            .iter()
            .copied()
            .filter(|p| !old.iter().any(|o| key(o) == key(p)))
            .collect();
        for param in removed {
            let (place, name) = key(param);
            let location = format!("{at} {place} {name}");
            match added.iter().position(|p| key(p).0 == place) {
                Some(i) => {
                    let renamed = added.remove(i);
                    let message = format!("{name} -> {}", key(renamed).1);
                    self.push(Rule::ParameterRenamed, location, message);
                }
                None => self.push(Rule::ParameterRemoved, location, "parameter removed"),
            }
        }
        for param in added {
            let (place, name) = key(param);
            let (rule, how) = if param.parameter_data_ref().required {
                (Rule::RequiredParameterAdded, "required")
            } else {
                (Rule::OptionalParameterAdded, "optional")
            };
            self.push(
                rule,
                format!("{at} {place} {name}"),
                format!("{how} parameter added"),
            );
        }
    }

    fn request_body(&mut self, at: &str, old: &'a Operation, new: &'a Operation) {
        let old_body = old
            .request_body
            .as_ref()
            .and_then(|b| self.old.request_body(b));
        let new_body = new
            .request_body
            .as_ref()
            .and_then(|b| self.new.request_body(b));
        let location = format!("{at} request");
        match (old_body, new_body) {
            (None, None) => {}
            (None, Some(b)) if b.required => self.push(
                Rule::RequiredRequestBodyAdded,
                location,
                "required body added",
            ),
            (None, Some(_)) => self.push(Rule::RequestBodyAdded, location, "optional body added"),
            (Some(_), None) => self.push(Rule::RequestBodyRemoved, location, "body removed"),
            (Some(a), Some(b)) => {
                self.required(
                    (a.required, b.required),
                    [Rule::RequestBodyMadeRequired, Rule::RequestBodyMadeOptional],
                    &location,
                    "body ",
                );
                self.text(
                    Rule::DescriptionChanged,
                    &location,
                    "description",
                    &a.description,
                    &b.description,
                );
                self.content(&location, &a.content, &b.content, Direction::Request);
            }
        }
    }

    fn responses(&mut self, at: &str, old: &'a Operation, new: &'a Operation) {
        let entries = |op: &'a Operation| {
            let mut all: Vec<(String, &'a ReferenceOr<Response>)> = op
                .responses
                .responses
                .iter()
                .map(|(s, r)| (status_key(s), r))
                .collect();
            all.extend(
                op.responses
                    .default
                    .iter()
                    .map(|r| ("default".to_owned(), r)),
            );
            all
        };
        let (old_entries, new_entries) = (entries(old), entries(new));
        for (status, entry) in &old_entries {
            let location = format!("{at} {status}");
            let success = status.starts_with('2');
            let other = new_entries.iter().find(|(s, _)| s == status);
            let (Some(a), Some(b)) = (
                self.old.response(entry),
                other.and_then(|(_, r)| self.new.response(r)),
            ) else {
                if other.is_none() {
                    let rule = if success {
                        Rule::ResponseSuccessStatusRemoved
                    } else {
                        Rule::ResponseStatusRemoved
                    };
                    self.push(rule, location, format!("response {status} removed"));
                }
                continue;
            };
            if a.description != b.description {
                self.push(Rule::DescriptionChanged, &location, "description changed");
            }
            for (name, header) in &a.headers {
                if !b.headers.contains_key(name) {
                    self.push(
                        Rule::ResponseHeaderRemoved,
                        format!("{location} header {name}"),
                        "header removed",
                    );
                    continue;
                }
                let old_header = self.old.header(header).map(|h| &h.format);
                let new_header = b.headers.get(name).and_then(|h| self.new.header(h));
                if let (
                    Some(ParameterSchemaOrContent::Schema(x)),
                    Some(ParameterSchemaOrContent::Schema(y)),
                ) = (old_header, new_header.map(|h| &h.format))
                {
                    let base = format!("{location} header");
                    let mut diff = SchemaDiff::new(
                        self.old,
                        self.new,
                        Direction::Response,
                        &base,
                        &mut self.changes,
                    );
                    diff.compare(x.into(), y.into(), name);
                }
            }
            for name in b.headers.keys().filter(|n| !a.headers.contains_key(*n)) {
                self.push(
                    Rule::ResponseHeaderAdded,
                    format!("{location} header {name}"),
                    "header added",
                );
            }
            self.content(&location, &a.content, &b.content, Direction::Response);
        }
        for (status, _) in new_entries
            .iter()
            .filter(|(s, _)| !old_entries.iter().any(|(o, _)| o == s))
        {
            self.push(
                Rule::ResponseStatusAdded,
                format!("{at} {status}"),
                format!("response {status} added"),
            );
        }
    }

    /// Media types of a body, parameter or response, and the schema of each.
    fn content(
        &mut self,
        at: &str,
        old: impl IntoIterator<Item = (&'a String, &'a MediaType)> + Copy,
        new: impl IntoIterator<Item = (&'a String, &'a MediaType)> + Copy,
        direction: Direction,
    ) {
        let added = direction.pick(Rule::RequestMediaTypeAdded, Rule::ResponseMediaTypeAdded);
        let removed = direction.pick(
            Rule::RequestMediaTypeRemoved,
            Rule::ResponseMediaTypeRemoved,
        );
        for (media, a) in old {
            let location = format!("{at} {media}");
            let Some((_, b)) = new.into_iter().find(|(m, _)| *m == media) else {
                self.push(removed, location, format!("media type {media} removed"));
                continue;
            };
            if a.example != b.example || a.examples != b.examples {
                self.push(Rule::ExampleChanged, &location, "example changed");
            }
            match (&a.schema, &b.schema) {
                (Some(x), Some(y)) => {
                    let mut diff = SchemaDiff::new(
                        self.old,
                        self.new,
                        direction,
                        &location,
                        &mut self.changes,
                    );
                    diff.compare(SRef::from(x), SRef::from(y), "");
                }
                (None, None) => {}
                (None, Some(_)) => match direction {
                    Direction::Request => {
                        self.push(Rule::RequestLimitNarrowed, location, "schema added")
                    }
                    Direction::Response => {
                        self.push(Rule::ResponseSchemaAdded, location, "schema added")
                    }
                },
                (Some(_), None) => match direction {
                    Direction::Request => {
                        self.push(Rule::RequestLimitWidened, location, "schema removed")
                    }
                    Direction::Response => {
                        self.push(Rule::ResponseSchemaRemoved, location, "schema removed")
                    }
                },
            }
        }
        for (media, _) in new {
            if !old.into_iter().any(|(m, _)| m == media) {
                self.push(
                    added,
                    format!("{at} {media}"),
                    format!("media type {media} added"),
                );
            }
        }
    }
}

/// A parameter's identity: where it goes and its name.
fn key(param: &Parameter) -> (&'static str, &str) {
    let place = match param {
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Path { .. } => "path",
        Parameter::Cookie { .. } => "cookie",
    };
    (place, &param.parameter_data_ref().name)
}
