//! A spec's `$ref`s resolved, and each schema flattened into a [`Shape`]: the facts the
//! comparison reads, whatever way `openapiv3` typed them, with `allOf` parts merged (their
//! properties and `required` lists united) and the `$ref`s followed to reach it recorded.
//! It imports nothing from the crate.
use std::collections::BTreeSet;

use openapiv3::{
    AdditionalProperties, Header, OpenAPI, Parameter, ReferenceOr, RequestBody, Response, Schema,
    SchemaKind, Type,
};
use serde_json::Value;

/// How many `$ref`s may be chained (a ref to a ref ...) before giving up.
const MAX_HOPS: usize = 32;

/// A schema as written: a `$ref` or inline.
#[derive(Debug, Clone, Copy)]
pub enum SRef<'a> {
    Ref(&'a str),
    Item(&'a Schema),
}

impl<'a> From<&'a ReferenceOr<Schema>> for SRef<'a> {
    fn from(value: &'a ReferenceOr<Schema>) -> Self {
        match value {
            ReferenceOr::Reference { reference } => SRef::Ref(reference),
            ReferenceOr::Item(schema) => SRef::Item(schema),
        }
    }
}

impl<'a> From<&'a ReferenceOr<Box<Schema>>> for SRef<'a> {
    fn from(value: &'a ReferenceOr<Box<Schema>>) -> Self {
        match value {
            ReferenceOr::Reference { reference } => SRef::Ref(reference),
            ReferenceOr::Item(schema) => SRef::Item(schema),
        }
    }
}

/// Follows `$ref`s inside one document's `components`.
#[derive(Debug, Clone, Copy)]
pub struct Resolver<'a> {
    pub doc: &'a OpenAPI,
}

/// Follows a chain of refs with `get` (component name → entry) until an item.
fn follow<'a, T>(
    mut entry: &'a ReferenceOr<T>,
    prefix: &str,
    get: impl Fn(&str) -> Option<&'a ReferenceOr<T>>,
) -> Option<&'a T> {
    for _ in 0..MAX_HOPS {
        match entry {
            ReferenceOr::Item(item) => return Some(item),
            ReferenceOr::Reference { reference } => {
                entry = get(reference.strip_prefix(prefix)?)?;
            }
        }
    }
    None
}

impl<'a> Resolver<'a> {
    pub fn parameter(&self, entry: &'a ReferenceOr<Parameter>) -> Option<&'a Parameter> {
        let parameters = self.doc.components.as_ref().map(|c| &c.parameters);
        follow(entry, "#/components/parameters/", |name| {
            parameters?.get(name)
        })
    }

    pub fn request_body(&self, entry: &'a ReferenceOr<RequestBody>) -> Option<&'a RequestBody> {
        let bodies = self.doc.components.as_ref().map(|c| &c.request_bodies);
        follow(entry, "#/components/requestBodies/", |name| {
            bodies?.get(name)
        })
    }

    pub fn response(&self, entry: &'a ReferenceOr<Response>) -> Option<&'a Response> {
        let responses = self.doc.components.as_ref().map(|c| &c.responses);
        follow(entry, "#/components/responses/", |name| {
            responses?.get(name)
        })
    }

    pub fn header(&self, entry: &'a ReferenceOr<Header>) -> Option<&'a Header> {
        let headers = self.doc.components.as_ref().map(|c| &c.headers);
        follow(entry, "#/components/headers/", |name| headers?.get(name))
    }

    /// The schema a `$ref` names, following refs to refs; `None` when it does not resolve.
    fn schema(&self, reference: &str) -> Option<&'a Schema> {
        let schemas = &self.doc.components.as_ref()?.schemas;
        let entry = schemas.get(reference.strip_prefix("#/components/schemas/")?)?;
        follow(entry, "#/components/schemas/", |name| schemas.get(name))
    }

    /// The flattened form of `schema`.
    pub fn shape(&self, schema: SRef<'a>) -> Shape<'a> {
        let mut shape = Shape::default();
        let mut visiting = BTreeSet::new();
        self.absorb(&mut shape, schema, &mut visiting);
        shape
    }

    /// Adds what `schema` says to `shape` (the first word on each fact wins, so the outer
    /// schema's description beats an `allOf` part's). `visiting` guards recursive `allOf`s.
    fn absorb(&self, shape: &mut Shape<'a>, schema: SRef<'a>, visiting: &mut BTreeSet<&'a str>) {
        let schema = match schema {
            SRef::Item(schema) => schema,
            SRef::Ref(reference) => {
                if !visiting.insert(reference) {
                    return;
                }
                shape.refs.push(reference.to_owned());
                match self.schema(reference) {
                    Some(schema) => schema,
                    None => {
                        shape.kind.get_or_insert(format!("unresolved {reference}"));
                        return;
                    }
                }
            }
        };
        let data = &schema.schema_data;
        shape.nullable |= data.nullable;
        shape.deprecated |= data.deprecated;
        let text = [data.title.as_deref(), data.description.as_deref()];
        if shape.description.is_none() && text.iter().any(Option::is_some) {
            shape.description = Some(
                text.iter()
                    .flatten()
                    .copied()
                    .collect::<Vec<_>>()
                    .join("\n"),
            );
        }
        if shape.example.is_none() {
            shape.example.clone_from(&data.example);
        }
        if shape.default.is_none() {
            shape.default.clone_from(&data.default);
        }
        if let Some(Value::Array(values)) = data.extensions.get("x-extensible-enum") {
            shape.extensible.get_or_insert_with(|| values.clone());
        }
        match &schema.schema_kind {
            SchemaKind::Type(typed) => self.absorb_type(shape, typed),
            SchemaKind::OneOf { one_of } => shape.variants("oneOf", one_of),
            SchemaKind::AnyOf { any_of } => shape.variants("anyOf", any_of),
            SchemaKind::AllOf { all_of } => {
                for part in all_of {
                    self.absorb(shape, part.into(), visiting);
                }
            }
            SchemaKind::Not { .. } => {
                shape.kind.get_or_insert_with(|| "not".to_owned());
            }
            SchemaKind::Any(any) => {
                if let Some(typ) = &any.typ {
                    shape.kind.get_or_insert_with(|| typ.clone());
                }
                shape.format(any.format.clone());
                if shape.pattern.is_none() {
                    shape.pattern.clone_from(&any.pattern);
                }
                shape.bound("multipleOf", any.multiple_of);
                shape.flag("exclusiveMinimum", any.exclusive_minimum.unwrap_or(false));
                shape.flag("exclusiveMaximum", any.exclusive_maximum.unwrap_or(false));
                shape.bound("minimum", any.minimum);
                shape.bound("maximum", any.maximum);
                shape.object(&any.properties, &any.required, &any.additional_properties);
                shape.count("minProperties", any.min_properties);
                shape.count("maxProperties", any.max_properties);
                if shape.items.is_none() {
                    shape.items = any.items.as_ref().map(SRef::from);
                }
                shape.count("minItems", any.min_items);
                shape.count("maxItems", any.max_items);
                shape.flag("uniqueItems", any.unique_items.unwrap_or(false));
                shape.enumeration(any.enumeration.clone());
                shape.count("minLength", any.min_length);
                shape.count("maxLength", any.max_length);
                shape.variants("oneOf", &any.one_of);
                shape.variants("anyOf", &any.any_of);
                for part in &any.all_of {
                    self.absorb(shape, part.into(), visiting);
                }
                if any.not.is_some() {
                    shape.kind.get_or_insert_with(|| "not".to_owned());
                }
            }
        }
    }

    fn absorb_type(&self, shape: &mut Shape<'a>, typed: &'a Type) {
        match typed {
            Type::String(s) => {
                shape.kind.get_or_insert_with(|| "string".to_owned());
                shape.format(string_of(&s.format));
                if shape.pattern.is_none() {
                    shape.pattern.clone_from(&s.pattern);
                }
                shape.enumeration(s.enumeration.iter().map(json).collect());
                shape.count("minLength", s.min_length);
                shape.count("maxLength", s.max_length);
            }
            Type::Number(n) => {
                shape.kind.get_or_insert_with(|| "number".to_owned());
                shape.format(string_of(&n.format));
                shape.bound("multipleOf", n.multiple_of);
                shape.flag("exclusiveMinimum", n.exclusive_minimum);
                shape.flag("exclusiveMaximum", n.exclusive_maximum);
                shape.bound("minimum", n.minimum);
                shape.bound("maximum", n.maximum);
                shape.enumeration(n.enumeration.iter().map(json).collect());
            }
            Type::Integer(i) => {
                shape.kind.get_or_insert_with(|| "integer".to_owned());
                shape.format(string_of(&i.format));
                #[allow(clippy::cast_precision_loss)] // limits compare as numbers
                let float = |v: Option<i64>| v.map(|v| v as f64);
                shape.bound("multipleOf", float(i.multiple_of));
                shape.flag("exclusiveMinimum", i.exclusive_minimum);
                shape.flag("exclusiveMaximum", i.exclusive_maximum);
                shape.bound("minimum", float(i.minimum));
                shape.bound("maximum", float(i.maximum));
                shape.enumeration(i.enumeration.iter().map(json).collect());
            }
            Type::Object(o) => {
                shape.kind.get_or_insert_with(|| "object".to_owned());
                shape.object(&o.properties, &o.required, &o.additional_properties);
                shape.count("minProperties", o.min_properties);
                shape.count("maxProperties", o.max_properties);
            }
            Type::Array(a) => {
                shape.kind.get_or_insert_with(|| "array".to_owned());
                if shape.items.is_none() {
                    shape.items = a.items.as_ref().map(SRef::from);
                }
                shape.count("minItems", a.min_items);
                shape.count("maxItems", a.max_items);
                shape.flag("uniqueItems", a.unique_items);
            }
            Type::Boolean(b) => {
                shape.kind.get_or_insert_with(|| "boolean".to_owned());
                shape.enumeration(b.enumeration.iter().map(json).collect());
            }
        }
    }
}

/// An enum value (`None` is `null`) as JSON.
fn json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// A typed `format` as its string, `None` when empty.
fn string_of<T: serde::Serialize>(format: &T) -> Option<String> {
    json(format).as_str().map(str::to_owned)
}

/// What a schema says about keys beyond its properties.
#[derive(Debug, Clone, Copy, Default)]
pub enum Additional<'a> {
    /// Absent or `true`.
    #[default]
    Allowed,
    /// `false`.
    Forbidden,
    Schema(SRef<'a>),
}

/// The facts of one schema that the comparison reads.
#[derive(Debug, Default)]
pub struct Shape<'a> {
    /// The `$ref`s followed to build it (the schema's identity, for the recursion guard).
    pub refs: Vec<String>,
    /// `string`, `object`, … ; `oneOf`/`anyOf` for a union; `None` for any value.
    pub kind: Option<String>,
    pub format: Option<String>,
    pub nullable: bool,
    pub deprecated: bool,
    pub description: Option<String>,
    pub example: Option<Value>,
    pub default: Option<Value>,
    /// A closed `enum`.
    pub enumeration: Option<Vec<Value>>,
    /// An `x-extensible-enum`: known values, more may appear.
    pub extensible: Option<Vec<Value>>,
    pub pattern: Option<String>,
    /// Numeric limits by keyword (flags such as `uniqueItems` are 1 when set).
    pub limits: Vec<(&'static str, f64)>,
    pub properties: Vec<(&'a str, SRef<'a>)>,
    pub required: BTreeSet<&'a str>,
    pub additional: Additional<'a>,
    pub items: Option<SRef<'a>>,
    pub variants: Vec<SRef<'a>>,
}

impl<'a> Shape<'a> {
    pub fn limit(&self, keyword: &str) -> Option<f64> {
        self.limits.iter().find(|(k, _)| *k == keyword).map(|l| l.1)
    }

    pub fn property(&self, name: &str) -> Option<SRef<'a>> {
        self.properties
            .iter()
            .find(|(n, _)| *n == name)
            .map(|p| p.1)
    }

    fn bound(&mut self, keyword: &'static str, value: Option<f64>) {
        if let Some(value) = value
            && self.limit(keyword).is_none()
        {
            self.limits.push((keyword, value));
        }
    }

    #[allow(clippy::cast_precision_loss)] // lengths and counts are far below 2^52
    fn count(&mut self, keyword: &'static str, value: Option<usize>) {
        self.bound(keyword, value.map(|v| v as f64));
    }

    fn flag(&mut self, keyword: &'static str, set: bool) {
        self.bound(keyword, set.then_some(1.0));
    }

    fn format(&mut self, format: Option<String>) {
        if self.format.is_none() {
            self.format = format.filter(|f| !f.is_empty());
        }
    }

    fn enumeration(&mut self, values: Vec<Value>) {
        if !values.is_empty() && self.enumeration.is_none() {
            self.enumeration = Some(values);
        }
    }

    fn variants(&mut self, kind: &str, variants: &'a [ReferenceOr<Schema>]) {
        if !variants.is_empty() && self.variants.is_empty() {
            self.kind.get_or_insert_with(|| kind.to_owned());
            self.variants = variants.iter().map(SRef::from).collect();
        }
    }

    /// Unites properties and `required` (an `allOf` part adds to what is there).
    fn object(
        &mut self,
        properties: impl IntoIterator<Item = (&'a String, &'a ReferenceOr<Box<Schema>>)>,
        required: &'a [String],
        additional: &'a Option<AdditionalProperties>,
    ) {
        let mut any = !required.is_empty();
        for (name, schema) in properties {
            any = true;
            if self.property(name).is_none() {
                self.properties.push((name, schema.into()));
            }
        }
        if any {
            self.kind.get_or_insert_with(|| "object".to_owned());
        }
        self.required.extend(required.iter().map(String::as_str));
        if matches!(self.additional, Additional::Allowed) {
            self.additional = match additional {
                Some(AdditionalProperties::Any(false)) => Additional::Forbidden,
                Some(AdditionalProperties::Schema(schema)) => {
                    Additional::Schema(schema.as_ref().into())
                }
                _ => Additional::Allowed,
            };
        }
    }
}
