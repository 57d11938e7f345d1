//! The table of mutations of the base spec, each with the exact set of rules it produces and
//! whether the result breaks clients.
use serde_yaml::Value;

use super::{del, set};

/// One mutation and what it must produce.
pub struct Case {
    pub name: &'static str,
    pub mutate: fn(&mut Value),
    pub rules: &'static [&'static str],
    pub breaking: bool,
}

const GET: [&str; 3] = ["paths", "/items", "get"];
const POST: [&str; 3] = ["paths", "/items", "post"];
const PUT_TAG: [&str; 3] = ["paths", "/tags", "put"];
const NEW_ITEM: [&str; 4] = ["components", "schemas", "NewItem", "properties"];
const ITEM: [&str; 6] = ["components", "schemas", "Item", "allOf", "1", "properties"];
const POST_JSON: [&str; 6] = [
    "paths",
    "/items",
    "post",
    "requestBody",
    "content",
    "application/json",
];
const GET_200: [&str; 5] = ["paths", "/items", "get", "responses", "200"];

/// `prefix` followed by `rest`.
fn k<'a>(prefix: &[&'a str], rest: &[&'a str]) -> Vec<&'a str> {
    [prefix, rest].concat()
}

macro_rules! cases {
    ($($name:literal => [$($rule:literal),*], $breaking:literal, |$s:ident| $body:expr;)*) => {
        vec![$(Case {
            name: $name,
            mutate: |$s: &mut Value| { $body; },
            rules: &[$($rule),*],
            breaking: $breaking,
        },)*]
    };
}

/// Every case, grouped as the catalogue is.
#[allow(clippy::too_many_lines)] // a table
pub fn all() -> Vec<Case> {
    cases! {
        // The document, paths and operations.
        "info version" => ["info-changed"], false, |s| set(s, &["info", "version"], "1.1.0");
        "path removed" => ["path-removed"], true, |s| del(s, &["paths", "/tags"]);
        "path added" => ["path-added"], false,
            |s| set(s, &["paths", "/more"], "{get: {responses: {'200': {description: ok}}}}");
        "operation removed" => ["operation-removed"], true, |s| del(s, &POST);
        "operation added" => ["operation-added"], false,
            |s| set(s, &["paths", "/tags", "get"], "{responses: {'200': {description: ok}}}");
        "operationId renamed" => ["operation-id-changed"], true,
            |s| set(s, &k(&GET, &["operationId"]), "getItems");
        "summary" => ["summary-changed"], false, |s| set(s, &k(&GET, &["summary"]), "Items");
        "operation description" => ["description-changed"], false,
            |s| set(s, &k(&GET, &["description"]), "Lists the items.");
        "operation deprecated" => ["deprecation-changed"], false,
            |s| set(s, &k(&GET, &["deprecated"]), "true");
        // Parameters.
        "parameter removed" => ["parameter-removed"], true,
            |s| del(s, &k(&GET, &["parameters", "1"]));
        "parameter renamed" => ["parameter-renamed"], true,
            |s| set(s, &k(&GET, &["parameters", "1", "name"]), "after");
        "parameter made required" => ["parameter-made-required"], true,
            |s| set(s, &k(&GET, &["parameters", "1", "required"]), "true");
        "path-level parameter made required" => ["parameter-made-required"], true,
            |s| set(s, &["paths", "/items", "parameters", "0", "required"], "true");
        "parameter made optional" => ["parameter-made-optional"], false,
            |s| set(s, &k(&GET, &["parameters", "0", "required"]), "false");
        "required parameter added" => ["required-parameter-added"], true,
            |s| set(s, &k(&GET, &["parameters", "2"]), "{name: q, in: query, required: true, schema: {type: string}}");
        "optional parameter added" => ["optional-parameter-added"], false,
            |s| set(s, &k(&GET, &["parameters", "2"]), "{name: q, in: query, schema: {type: string}}");
        "parameter maximum lowered" => ["request-limit-narrowed"], true,
            |s| set(s, &k(&GET, &["parameters", "0", "schema", "maximum"]), "50");
        "parameter maximum raised" => ["request-limit-widened"], false,
            |s| set(s, &k(&GET, &["parameters", "0", "schema", "maximum"]), "500");
        "parameter description" => ["description-changed"], false,
            |s| set(s, &k(&GET, &["parameters", "1", "description"]), "Where to go on.");
        // Request bodies.
        "body made optional" => ["request-body-made-optional"], false,
            |s| set(s, &k(&POST, &["requestBody", "required"]), "false");
        "body made required" => ["request-body-made-required"], true,
            |s| set(s, &k(&PUT_TAG, &["requestBody", "required"]), "true");
        "body removed" => ["request-body-removed"], true, |s| del(s, &k(&POST, &["requestBody"]));
        "optional body added" => ["request-body-added"], false,
            |s| set(s, &k(&GET, &["requestBody"]), "{content: {text/plain: {schema: {type: string}}}}");
        "required body added" => ["required-request-body-added"], true,
            |s| set(s, &k(&GET, &["requestBody"]), "{required: true, content: {text/plain: {}}}");
        "request media type added" => ["request-media-type-added"], false,
            |s| set(s, &k(&POST, &["requestBody", "content", "application/xml"]), "{}");
        "request media type replaced" => ["request-media-type-removed", "request-media-type-added"], true,
            |s| { del(s, &POST_JSON); set(s, &k(&POST, &["requestBody", "content", "text/plain"]), "{}") };
        "request schema dropped" => ["request-limit-widened"], false,
            |s| del(s, &k(&POST_JSON, &["schema"]));
        // Request schemas.
        "request property added" => ["request-property-added"], false,
            |s| set(s, &k(&NEW_ITEM, &["extra"]), "{type: string}");
        "request required property added" => ["request-required-property-added"], true,
            |s| { set(s, &k(&NEW_ITEM, &["extra"]), "{type: string}");
                  set(s, &["components", "schemas", "NewItem", "required", "1"], "extra") };
        "request property removed" => ["request-property-removed"], true, |s| del(s, &k(&NEW_ITEM, &["code"]));
        "request property made required" => ["request-property-made-required"], true,
            |s| set(s, &["components", "schemas", "NewItem", "required", "1"], "code");
        "request property made optional" => ["request-property-made-optional"], false,
            |s| set(s, &["components", "schemas", "NewItem", "required"], "[]");
        "request type changed" => ["request-type-changed"], true,
            |s| set(s, &k(&NEW_ITEM, &["code"]), "{type: integer}");
        "request format changed" => ["request-format-changed"], true,
            |s| set(s, &k(&NEW_ITEM, &["count", "format"]), "int64");
        "request nullable added" => ["request-nullable-added"], false,
            |s| set(s, &k(&NEW_ITEM, &["code", "nullable"]), "true");
        "request nullable removed" => ["request-nullable-removed"], true,
            |s| set(s, &k(&NEW_ITEM, &["note", "nullable"]), "false");
        "request maxLength lowered" => ["request-limit-narrowed"], true,
            |s| set(s, &k(&NEW_ITEM, &["name", "maxLength"]), "32");
        "request minLength raised" => ["request-limit-narrowed"], true,
            |s| set(s, &k(&NEW_ITEM, &["name", "minLength"]), "2");
        "request minimum raised" => ["request-limit-narrowed"], true,
            |s| set(s, &k(&NEW_ITEM, &["count", "minimum"]), "2");
        "request maxItems lowered" => ["request-limit-narrowed"], true,
            |s| set(s, &k(&NEW_ITEM, &["tags", "maxItems"]), "3");
        "request pattern added" => ["request-limit-narrowed"], true,
            |s| set(s, &k(&NEW_ITEM, &["note", "pattern"]), "'^[a-z]*$'");
        "request format added" => ["request-limit-narrowed"], true,
            |s| set(s, &k(&NEW_ITEM, &["note", "format"]), "email");
        "request maxLength raised" => ["request-limit-widened"], false,
            |s| set(s, &k(&NEW_ITEM, &["name", "maxLength"]), "128");
        "request pattern removed" => ["request-limit-widened"], false,
            |s| del(s, &k(&NEW_ITEM, &["code", "pattern"]));
        "request pattern replaced" => ["request-constraint-changed"], true,
            |s| set(s, &k(&NEW_ITEM, &["code", "pattern"]), "'^[A-Z0-9]+$'");
        "request union variant removed" => ["request-limit-narrowed"], true,
            |s| del(s, &k(&NEW_ITEM, &["amount", "oneOf", "1"]));
        "request union variant added" => ["request-limit-widened"], false,
            |s| set(s, &k(&NEW_ITEM, &["amount", "oneOf", "2"]), "{type: boolean}");
        "request enum value added" => ["request-enum-value-added"], false,
            |s| set(s, &k(&NEW_ITEM, &["status", "enum", "2"]), "deleted");
        "request enum value removed" => ["request-enum-value-removed"], true,
            |s| del(s, &k(&NEW_ITEM, &["status", "enum", "1"]));
        "request extensible value added" => ["request-extensible-enum-value-added"], false,
            |s| set(s, &k(&NEW_ITEM, &["kind", "x-extensible-enum", "2"]), "odd");
        "request extensible value removed" => ["request-extensible-enum-value-removed"], true,
            |s| del(s, &k(&NEW_ITEM, &["kind", "x-extensible-enum", "1"]));
        "request enum made extensible" => ["request-enum-made-extensible"], false,
            |s| set(s, &k(&NEW_ITEM, &["status"]), "{type: string, x-extensible-enum: [active, archived]}");
        "request enum made closed" => ["request-enum-made-closed"], false,
            |s| set(s, &k(&NEW_ITEM, &["kind"]), "{type: string, enum: [plain, fancy]}");
        "request default changed" => ["default-changed"], false,
            |s| set(s, &k(&NEW_ITEM, &["count", "default"]), "2");
        "schema example added" => ["example-changed"], false,
            |s| set(s, &k(&NEW_ITEM, &["name", "example"]), "Widget");
        "schema deprecated" => ["deprecation-changed"], false,
            |s| set(s, &k(&NEW_ITEM, &["code", "deprecated"]), "true");
        // Responses.
        "success status removed" => ["response-success-status-removed"], true,
            |s| del(s, &k(&POST, &["responses", "201"]));
        "error status removed" => ["response-status-removed"], false,
            |s| del(s, &k(&GET, &["responses", "404"]));
        "status added" => ["response-status-added"], false,
            |s| set(s, &k(&POST, &["responses", "409"]), "{description: Conflict.}");
        "response media type replaced" => ["response-media-type-removed", "response-media-type-added"], true,
            |s| { del(s, &k(&GET_200, &["content", "application/json"]));
                  set(s, &k(&GET_200, &["content", "text/csv"]), "{schema: {type: string}}") };
        "response media type added" => ["response-media-type-added"], false,
            |s| set(s, &k(&GET_200, &["content", "text/csv"]), "{}");
        "response schema removed" => ["response-schema-removed"], true,
            |s| del(s, &k(&GET_200, &["content", "application/json", "schema"]));
        "response schema added" => ["response-schema-added"], false,
            |s| set(s, &k(&GET_200, &["content", "text/plain", "schema"]), "{type: string}");
        "response header removed" => ["response-header-removed"], true,
            |s| del(s, &k(&GET_200, &["headers", "X-Rate"]));
        "response header added" => ["response-header-added"], false,
            |s| set(s, &k(&GET_200, &["headers", "X-Next"]), "{schema: {type: string}}");
        "response header type changed" => ["response-type-changed"], true,
            |s| set(s, &k(&GET_200, &["headers", "X-Rate", "schema", "type"]), "string");
        "shared error response changed" => ["response-property-removed"], true,
            |s| del(s, &["components", "schemas", "Error", "properties", "message"]);
        // Response schemas (through `allOf`, arrays and the recursive `parent`).
        "response property added" => ["response-property-added"], false,
            |s| set(s, &k(&ITEM, &["extra"]), "{type: string}");
        "response property removed" => ["response-property-removed"], true, |s| del(s, &k(&ITEM, &["kind"]));
        "response property in allOf $ref removed" => ["response-property-removed"], true,
            |s| del(s, &["components", "schemas", "Base", "properties", "id"]);
        "response property made optional" => ["response-property-made-optional"], true,
            |s| set(s, &["components", "schemas", "Item", "allOf", "1", "required"], "[name]");
        "response property made required" => ["response-property-made-required"], false,
            |s| set(s, &["components", "schemas", "Item", "allOf", "1", "required", "2"], "price");
        "response type changed" => ["response-type-changed"], true,
            |s| set(s, &k(&ITEM, &["price", "type"]), "string");
        "response format changed" => ["response-format-changed"], true,
            |s| set(s, &["components", "schemas", "Base", "properties", "id", "format"], "uri");
        "response nullable added" => ["response-nullable-added"], true,
            |s| set(s, &k(&ITEM, &["name", "nullable"]), "true");
        "response nullable removed" => ["response-nullable-removed"], false,
            |s| set(s, &["components", "schemas", "Page", "properties", "next", "nullable"], "false");
        "response maxLength raised" => ["response-limit-widened"], true,
            |s| set(s, &k(&ITEM, &["name", "maxLength"]), "128");
        "response maxItems raised" => ["response-limit-widened"], true,
            |s| set(s, &["components", "schemas", "Page", "properties", "items", "maxItems"], "200");
        "response minimum dropped" => ["response-limit-widened"], true,
            |s| del(s, &k(&ITEM, &["price", "minimum"]));
        "response union variant added" => ["response-limit-widened"], true,
            |s| set(s, &k(&ITEM, &["amount", "oneOf", "2"]), "{type: boolean}");
        "response maxLength lowered" => ["response-limit-narrowed"], false,
            |s| set(s, &k(&ITEM, &["name", "maxLength"]), "32");
        "response map closed" => ["response-limit-narrowed"], false,
            |s| set(s, &k(&ITEM, &["labels", "additionalProperties"]), "false");
        "response map value type changed" => ["response-type-changed"], true,
            |s| set(s, &k(&ITEM, &["labels", "additionalProperties"]), "{type: integer}");
        "response pattern replaced" => ["response-constraint-changed"], true,
            |s| set(s, &k(&ITEM, &["sku", "pattern"]), "'^[0-9]{4}$'");
        "response enum value added" => ["response-enum-value-added"], true,
            |s| set(s, &k(&ITEM, &["status", "enum", "2"]), "deleted");
        "response enum value removed" => ["response-enum-value-removed"], false,
            |s| del(s, &k(&ITEM, &["status", "enum", "1"]));
        "response extensible value added" => ["response-extensible-enum-value-added"], false,
            |s| set(s, &k(&ITEM, &["kind", "x-extensible-enum", "2"]), "odd");
        "response extensible value removed" => ["response-extensible-enum-value-removed"], false,
            |s| del(s, &k(&ITEM, &["kind", "x-extensible-enum", "1"]));
        "response enum made extensible" => ["response-enum-made-extensible"], true,
            |s| set(s, &k(&ITEM, &["status"]), "{type: string, x-extensible-enum: [active, archived]}");
        "response enum made closed" => ["response-enum-made-closed"], false,
            |s| set(s, &k(&ITEM, &["kind"]), "{type: string, enum: [plain, fancy]}");
        "response description" => ["description-changed"], false,
            |s| set(s, &k(&GET_200, &["description"]), "One page.");
    }
}
