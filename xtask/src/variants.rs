//! The variants of each spec that other teams' tools need, derived from its bundled JSON:
//!
//! - **dereferenced**: every local `$ref` replaced by what it names, for tools with poor
//!   reference support (of the `components`, only the security schemes stay);
//! - **OpenAPI 3.1**: `nullable` becomes a `null` type, a boolean `exclusiveMinimum` a number,
//!   a schema `example` an `examples` list, and each open enum (`x-extensible-enum`) an
//!   `anyOf` of its known values and any string, so 3.1-aware generators keep the known values
//!   and still accept new ones.
use anyhow::{Context as _, bail};
use serde_json::{Map, Value, json};

/// The bundled spec with every `$ref` resolved. Only the security schemes are left of its
/// `components`: everything else now stands where it was used.
pub fn dereferenced(spec: &Value) -> anyhow::Result<Value> {
    let mut out = spec.clone();
    resolve(spec, &mut out, &mut Vec::new())?;
    if let Some(components) = out.get_mut("components").and_then(Value::as_object_mut) {
        components.retain(|section, _| section == "securitySchemes");
    }
    Ok(out)
}

/// Replaces every `{"$ref": "#/..."}` below `value` with a copy of its target, itself
/// resolved; `trail` holds the references being resolved, so a cycle is an error rather than
/// endless recursion.
fn resolve(spec: &Value, value: &mut Value, trail: &mut Vec<String>) -> anyhow::Result<()> {
    if let Some(reference) = value.get("$ref").and_then(Value::as_str) {
        let reference = reference.to_owned();
        if trail.contains(&reference) {
            bail!("a cycle of references through {reference}: it cannot be dereferenced");
        }
        let pointer = reference
            .strip_prefix('#')
            .with_context(|| format!("{reference} is not a local reference"))?;
        let mut target = spec
            .pointer(pointer)
            .with_context(|| format!("{reference} names nothing"))?
            .clone();
        trail.push(reference);
        resolve(spec, &mut target, trail)?;
        trail.pop();
        *value = target;
        return Ok(());
    }
    match value {
        Value::Object(map) => map
            .values_mut()
            .try_for_each(|child| resolve(spec, child, trail)),
        Value::Array(items) => items
            .iter_mut()
            .try_for_each(|child| resolve(spec, child, trail)),
        _ => Ok(()),
    }
}

/// The bundled OpenAPI 3.0 spec as OpenAPI 3.1.
pub fn openapi_3_1(spec: &Value) -> Value {
    let mut out = spec.clone();
    if let Some(version) = out.get_mut("openapi") {
        *version = json!("3.1.0");
    }
    if let Some(schemas) = out.pointer_mut("/components/schemas") {
        for schema in schemas
            .as_object_mut()
            .into_iter()
            .flat_map(Map::values_mut)
        {
            upgrade_schema(schema);
        }
    }
    for path in out
        .get_mut("paths")
        .and_then(Value::as_object_mut)
        .into_iter()
        .flat_map(Map::values_mut)
    {
        upgrade_schemas_below(path);
    }
    for section in ["parameters", "responses", "requestBodies"] {
        if let Some(found) = out.pointer_mut(&format!("/components/{section}")) {
            upgrade_schemas_below(found);
        }
    }
    out
}

/// Upgrades every `schema` member found below `value` (parameters, media types).
fn upgrade_schemas_below(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if key == "schema" {
                    upgrade_schema(child);
                } else {
                    upgrade_schemas_below(child);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(upgrade_schemas_below),
        _ => {}
    }
}

/// Upgrades one schema and every schema inside it.
fn upgrade_schema(schema: &mut Value) {
    let Some(map) = schema.as_object_mut() else {
        return;
    };
    for key in ["items", "additionalProperties", "not"] {
        if let Some(child) = map.get_mut(key) {
            upgrade_schema(child);
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        for child in map
            .get_mut(key)
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            upgrade_schema(child);
        }
    }
    for child in map
        .get_mut("properties")
        .and_then(Value::as_object_mut)
        .into_iter()
        .flat_map(Map::values_mut)
    {
        upgrade_schema(child);
    }
    if let Some(example) = map.remove("example") {
        map.insert("examples".to_owned(), json!([example]));
    }
    for (flag, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if map.get(flag) == Some(&Value::Bool(true)) {
            if let Some(limit) = map.remove(bound) {
                map.insert(flag.to_owned(), limit);
            }
        } else if map.get(flag) == Some(&Value::Bool(false)) {
            map.remove(flag);
        }
    }
    if let Some(known) = map.remove("x-extensible-enum") {
        let kind = map.remove("type").unwrap_or_else(|| json!("string"));
        map.insert(
            "anyOf".to_owned(),
            json!([{"type": kind, "enum": known}, {"type": kind}]),
        );
    }
    if map.remove("nullable") == Some(Value::Bool(true)) {
        if let Some(values) = map.get_mut("enum").and_then(Value::as_array_mut) {
            values.push(Value::Null);
        }
        match map.get_mut("type") {
            Some(kind @ Value::String(_)) => *kind = json!([kind.clone(), "null"]),
            _ => {
                // A `$ref`, an `allOf` or an `anyOf`: null is one more alternative.
                let inner = Value::Object(std::mem::take(map));
                map.insert("anyOf".to_owned(), json!([inner, {"type": "null"}]));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_replaced_by_their_targets_and_cycles_are_refused() {
        let spec = json!({
            "paths": {"/a": {"get": {"responses": {"200": {"content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/A"}}}}}}}},
            "components": {"schemas": {
                "A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}}},
                "B": {"type": "string"}
            }}
        });
        let out = dereferenced(&spec).expect("dereferenced");
        assert!(!out.to_string().contains("$ref"), "{out}");
        assert_eq!(
            out.pointer(
                "/paths/~1a/get/responses/200/content/application~1json/schema/properties/b"
            ),
            Some(&json!({"type": "string"}))
        );
        let cycle = json!({"components": {"schemas": {
            "A": {"properties": {"a": {"$ref": "#/components/schemas/A"}}}
        }}});
        assert!(dereferenced(&cycle).is_err());
    }

    #[test]
    fn open_enums_nullable_fields_bounds_and_examples_take_their_3_1_forms() {
        let spec = json!({
            "openapi": "3.0.3",
            "components": {"schemas": {
                "Status": {"type": "string", "x-extensible-enum": ["a", "b"], "example": "a"},
                "Cursor": {"type": "string", "nullable": true},
                "Radius": {"type": "number", "minimum": 0, "exclusiveMinimum": true},
                "Holder": {"type": "object", "properties": {
                    "status": {"allOf": [{"$ref": "#/components/schemas/Status"}], "nullable": true}
                }}
            }}
        });
        let out = openapi_3_1(&spec);
        assert_eq!(out["openapi"], "3.1.0");
        let schemas = &out["components"]["schemas"];
        assert_eq!(
            schemas["Status"],
            json!({"anyOf": [{"type": "string", "enum": ["a", "b"]}, {"type": "string"}],
                   "examples": ["a"]})
        );
        assert_eq!(schemas["Cursor"], json!({"type": ["string", "null"]}));
        assert_eq!(
            schemas["Radius"],
            json!({"type": "number", "exclusiveMinimum": 0})
        );
        assert_eq!(
            schemas["Holder"]["properties"]["status"],
            json!({"anyOf": [{"allOf": [{"$ref": "#/components/schemas/Status"}]}, {"type": "null"}]})
        );
    }
}
