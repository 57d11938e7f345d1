//! Tests of `spec-diff`: a small spec, a table of mutations each with the rules it must
//! produce (every rule of the catalogue at least once, both directions where a rule has two),
//! and the `$ref`, shared-schema and recursion cases. The exit statuses on the repository's
//! own specs are checked end to end in `xtask/tests/spec_diff.rs`.
mod cases;

use std::collections::BTreeSet;

use serde_yaml::Value;

use super::{parse, rules::Rule, walk};

/// A spec using each feature the rules read: path-level parameters, a shared error response,
/// `allOf` with a `$ref` part, a recursive schema, both kinds of enum, a union, a map, limits,
/// and `Tag` used in a request and a response.
const BASE: &str = r##"
openapi: 3.0.3
info: {title: Test, version: 1.0.0}
paths:
  /items:
    parameters:
      - {name: tenant, in: header, schema: {type: string}}
    get:
      operationId: listItems
      summary: List items
      description: Lists items.
      parameters:
        - {name: limit, in: query, required: true, schema: {type: integer, minimum: 1, maximum: 100}}
        - {name: cursor, in: query, schema: {type: string}}
      responses:
        '200':
          description: A page.
          headers:
            X-Rate: {schema: {type: integer}}
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Page'}
            text/plain: {}
        '404': {$ref: '#/components/responses/NotFound'}
    post:
      operationId: createItem
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/NewItem'}
      responses:
        '201':
          description: Created.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Item'}
  /tags:
    put:
      operationId: putTag
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Tag'}
      responses:
        '200':
          description: The tag.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Tag'}
components:
  responses:
    NotFound:
      description: Not found.
      content:
        application/json:
          schema: {$ref: '#/components/schemas/Error'}
  schemas:
    Page:
      type: object
      required: [items]
      properties:
        items: {type: array, maxItems: 100, items: {$ref: '#/components/schemas/Item'}}
        next: {type: string, nullable: true}
    Item:
      allOf:
        - $ref: '#/components/schemas/Base'
        - type: object
          required: [name, status]
          properties:
            name: {type: string, maxLength: 64}
            status: {type: string, enum: [active, archived]}
            kind: {type: string, x-extensible-enum: [plain, fancy]}
            price: {type: number, minimum: 0}
            sku: {type: string, pattern: '^[0-9]+$'}
            amount: {oneOf: [{type: string}, {type: number}]}
            labels: {type: object, additionalProperties: {type: string}}
            parent: {$ref: '#/components/schemas/Item'}
    Base:
      type: object
      required: [id]
      properties:
        id: {type: string, format: uuid}
    NewItem:
      type: object
      required: [name]
      properties:
        name: {type: string, minLength: 1, maxLength: 64, description: The name.}
        status: {type: string, enum: [active, archived]}
        kind: {type: string, x-extensible-enum: [plain, fancy]}
        count: {type: integer, format: int32, minimum: 1, maximum: 10, default: 1}
        code: {type: string, pattern: '^[A-Z]+$'}
        note: {type: string, nullable: true}
        amount: {oneOf: [{type: string}, {type: number}]}
        tags: {type: array, items: {type: string}, maxItems: 5}
    Tag:
      type: object
      properties:
        label: {type: string, maxLength: 20}
    Error:
      type: object
      properties:
        message: {type: string}
"##;

/// The value at `keys` (a number indexes a sequence), which must exist.
fn at<'v>(value: &'v mut Value, keys: &[&str]) -> &'v mut Value {
    keys.iter()
        .fold(value, |value, key| match key.parse::<usize>() {
            Ok(i) if value.is_sequence() => &mut value[i],
            _ => value
                .get_mut(*key)
                .unwrap_or_else(|| panic!("no key {key} in {keys:?}")),
        })
}

/// Sets `keys` (the last one may be new, or one past the end of a sequence) to `yaml`.
fn set(spec: &mut Value, keys: &[&str], yaml: &str) {
    let (last, parent) = keys.split_last().expect("a key");
    let value: Value = serde_yaml::from_str(yaml).expect("a YAML snippet");
    match at(spec, parent) {
        Value::Sequence(items) => {
            let i = last.parse::<usize>().expect("an index");
            if i == items.len() {
                items.push(value);
            } else {
                items[i] = value;
            }
        }
        Value::Mapping(map) => {
            map.insert(Value::from(*last), value);
        }
        other => panic!("{keys:?} is inside {other:?}"),
    }
}

/// Removes the last of `keys`.
fn del(spec: &mut Value, keys: &[&str]) {
    let (last, parent) = keys.split_last().expect("a key");
    match at(spec, parent) {
        Value::Sequence(items) => {
            items.remove(last.parse::<usize>().expect("an index"));
        }
        Value::Mapping(map) => {
            map.remove(*last).unwrap_or_else(|| panic!("no {keys:?}"));
        }
        other => panic!("{keys:?} is inside {other:?}"),
    }
}

fn base() -> Value {
    serde_yaml::from_str(BASE).expect("the base spec")
}

/// The changes from `old` to `new`, as (rule name, breaking) pairs, deduplicated.
fn diff(old: &Value, new: &Value) -> BTreeSet<(&'static str, bool)> {
    let text = |v: &Value| serde_yaml::to_string(v).expect("serialise");
    let old = parse(&text(old), false).expect("old parses");
    let new = parse(&text(new), false).expect("new parses");
    walk::diff(&old, &new)
        .iter()
        .map(|c| (c.rule.name(), c.breaking))
        .collect()
}

/// Names of the rules in a diff.
fn names(changes: &BTreeSet<(&'static str, bool)>) -> BTreeSet<&'static str> {
    changes.iter().map(|c| c.0).collect()
}

#[test]
fn every_case_is_classified_as_expected() {
    let mut failures = Vec::new();
    for case in cases::all() {
        let old = base();
        let mut new = base();
        (case.mutate)(&mut new);
        let changes = diff(&old, &new);
        let expected: BTreeSet<&str> = case.rules.iter().copied().collect();
        let breaking = changes.iter().any(|c| c.1);
        if names(&changes) != expected || breaking != case.breaking {
            failures.push(format!(
                "{}: expected {expected:?} (breaking {}), got {changes:?}",
                case.name, case.breaking
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_rule_has_a_case() {
    let cases = cases::all();
    assert!(cases.len() >= 30, "{} cases", cases.len());
    let covered: BTreeSet<&str> = cases.iter().flat_map(|c| c.rules.iter().copied()).collect();
    let missing: Vec<&str> = Rule::ALL
        .iter()
        .map(|r| r.name())
        .filter(|name| !covered.contains(name))
        .collect();
    assert!(missing.is_empty(), "rules without a case: {missing:?}");
    let mut names: Vec<&str> = Rule::ALL.iter().map(|r| r.name()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), Rule::ALL.len(), "rule names are unique");
}

#[test]
fn a_spec_against_itself_has_no_changes() {
    assert!(diff(&base(), &base()).is_empty());
}

/// Replaces every `$ref` to `from` by one to `to`, anywhere in `value`.
fn retarget(value: &mut Value, from: &str, to: &str) {
    match value {
        Value::Mapping(map) => {
            for (key, item) in map.iter_mut() {
                if key.as_str() == Some("$ref") && item.as_str() == Some(from) {
                    *item = Value::from(to);
                } else {
                    retarget(item, from, to);
                }
            }
        }
        Value::Sequence(items) => items.iter_mut().for_each(|i| retarget(i, from, to)),
        _ => {}
    }
}

#[test]
fn renaming_a_schema_with_every_ref_updated_is_safe() {
    let mut new = base();
    let schemas = at(&mut new, &["components", "schemas"])
        .as_mapping_mut()
        .expect("schemas");
    let item = schemas.remove("Item").expect("Item");
    schemas.insert(Value::from("Thing"), item);
    retarget(
        &mut new,
        "#/components/schemas/Item",
        "#/components/schemas/Thing",
    );
    assert!(diff(&base(), &new).is_empty());
    // The recursive `parent` now points at the renamed schema too: still nothing.
    let parent = at(&mut new, &["components", "schemas", "Thing", "allOf", "1"]);
    assert!(parent["properties"]["parent"]["$ref"] == "#/components/schemas/Thing");
}

#[test]
fn a_schema_used_in_both_directions_breaks_when_narrowed_or_widened() {
    for (max, rules) in [
        ("10", ["request-limit-narrowed", "response-limit-narrowed"]),
        ("40", ["request-limit-widened", "response-limit-widened"]),
    ] {
        let mut new = base();
        set(
            &mut new,
            &[
                "components",
                "schemas",
                "Tag",
                "properties",
                "label",
                "maxLength",
            ],
            max,
        );
        let changes = diff(&base(), &new);
        assert_eq!(names(&changes), rules.into_iter().collect(), "{max}");
        assert!(changes.iter().any(|c| c.1), "maxLength {max} breaks a side");
    }
}

#[test]
fn a_closed_response_enum_breaks_on_a_new_value_an_extensible_one_does_not() {
    let props = ["components", "schemas", "Item", "allOf", "1", "properties"];
    let mut closed = base();
    set(
        &mut closed,
        &[&props[..], &["status", "enum", "2"]].concat(),
        "deleted",
    );
    assert_eq!(
        diff(&base(), &closed),
        [("response-enum-value-added", true)].into_iter().collect()
    );
    let mut open = base();
    let extensible = [&props[..], &["kind", "x-extensible-enum", "2"]].concat();
    set(&mut open, &extensible, "odd");
    assert_eq!(
        diff(&base(), &open),
        [("response-extensible-enum-value-added", false)]
            .into_iter()
            .collect()
    );
}

#[test]
fn a_recursive_schema_that_changes_is_compared_once_per_place() {
    let mut new = base();
    let props = ["components", "schemas", "Item", "allOf", "1", "properties"];
    del(&mut new, &[&props[..], &["name"]].concat());
    let old = parse(&serde_yaml::to_string(&base()).expect("yaml"), false).expect("old");
    let new = parse(&serde_yaml::to_string(&new).expect("yaml"), false).expect("new");
    let locations: Vec<String> = walk::diff(&old, &new)
        .into_iter()
        .map(|c| c.location)
        .collect();
    assert_eq!(
        locations,
        [
            "GET /items 200 application/json items[].name",
            "POST /items 201 application/json name",
        ]
    );
}

#[test]
fn text_that_is_not_a_spec_does_not_parse() {
    assert!(parse("openapi: [", false).is_err());
    assert!(
        parse("{\"openapi\": \"3.0.3\"}", true).is_err(),
        "no info or paths"
    );
    assert!(parse(&BASE.replace("3.0.3", "2.0"), false).is_err());
}
