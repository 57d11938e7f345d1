//! The rule catalogue of `spec-diff`: one line per rule, giving its name, whether it breaks
//! clients and what it means, and the [`Change`] a rule produces.
//!
//! Rules on schemas come in pairs, one per [`Direction`]: in what a client sends (parameters,
//! request bodies) tightening breaks and loosening is safe; in what it receives (responses)
//! loosening breaks and tightening is safe. A schema used in both directions is compared at
//! every place it is used, so a change breaking in either direction is reported as breaking.
//! It imports nothing from the crate.

/// Declares [`Rule`] with its name, whether it breaks clients and its description, once each.
macro_rules! rules {
    ($($variant:ident => $name:literal, $breaking:literal, $doc:literal;)*) => {
        /// A kind of change between two specs.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
        pub enum Rule {
            $(#[doc = $doc] $variant,)*
        }

        impl Rule {
            /// Every rule, in catalogue order.
            pub const ALL: &[Rule] = &[$(Rule::$variant,)*];

            /// The rule's name, as reported.
            pub fn name(self) -> &'static str {
                match self {
                    $(Rule::$variant => $name,)*
                }
            }

            /// Whether a change of this kind breaks existing clients.
            pub fn breaking(self) -> bool {
                match self {
                    $(Rule::$variant => $breaking,)*
                }
            }
        }
    };
}

rules! {
    // The document, paths and operations.
    InfoChanged => "info-changed", false, "The info block (title, version, description) changed.";
    PathAdded => "path-added", false, "A path was added.";
    PathRemoved => "path-removed", true, "A path was removed with all its operations.";
    OperationAdded => "operation-added", false, "An operation was added to an existing path.";
    OperationRemoved => "operation-removed", true, "An operation was removed.";
    OperationIdChanged => "operation-id-changed", true, "An operationId was renamed (generated clients rename the method).";
    SummaryChanged => "summary-changed", false, "A summary changed.";
    DescriptionChanged => "description-changed", false, "A description or title changed.";
    DeprecationChanged => "deprecation-changed", false, "An operation, parameter or schema was deprecated or undeprecated.";
    ExampleChanged => "example-changed", false, "An example changed.";
    DefaultChanged => "default-changed", false, "A schema's default changed.";
    // Parameters (what the client sends).
    ParameterRemoved => "parameter-removed", true, "A parameter was removed.";
    ParameterRenamed => "parameter-renamed", true, "A parameter was replaced by one of another name in the same place.";
    ParameterMadeRequired => "parameter-made-required", true, "An optional parameter became required.";
    ParameterMadeOptional => "parameter-made-optional", false, "A required parameter became optional.";
    RequiredParameterAdded => "required-parameter-added", true, "A required parameter was added.";
    OptionalParameterAdded => "optional-parameter-added", false, "An optional parameter was added.";
    // Request bodies.
    RequestBodyAdded => "request-body-added", false, "An optional request body was added.";
    RequiredRequestBodyAdded => "required-request-body-added", true, "A required request body was added.";
    RequestBodyRemoved => "request-body-removed", true, "The request body was removed (what clients send is no longer read).";
    RequestBodyMadeRequired => "request-body-made-required", true, "The request body became required.";
    RequestBodyMadeOptional => "request-body-made-optional", false, "The request body became optional.";
    RequestMediaTypeAdded => "request-media-type-added", false, "A request media type was added.";
    RequestMediaTypeRemoved => "request-media-type-removed", true, "A request media type was removed.";
    // Responses.
    ResponseStatusAdded => "response-status-added", false, "A response status was added.";
    ResponseSuccessStatusRemoved => "response-success-status-removed", true, "A success (2XX) response was removed.";
    ResponseStatusRemoved => "response-status-removed", false, "A non-success response was removed.";
    ResponseMediaTypeAdded => "response-media-type-added", false, "A response media type was added.";
    ResponseMediaTypeRemoved => "response-media-type-removed", true, "A response media type was removed (or replaced).";
    ResponseSchemaAdded => "response-schema-added", false, "A response media type gained a schema.";
    ResponseSchemaRemoved => "response-schema-removed", true, "A response media type lost its schema.";
    ResponseHeaderAdded => "response-header-added", false, "A response header was added.";
    ResponseHeaderRemoved => "response-header-removed", true, "A response header was removed.";
    // Schemas in what the client sends.
    RequestPropertyAdded => "request-property-added", false, "An optional request property was added.";
    RequestRequiredPropertyAdded => "request-required-property-added", true, "A required request property was added.";
    RequestPropertyRemoved => "request-property-removed", true, "A request property was removed.";
    RequestPropertyMadeRequired => "request-property-made-required", true, "A request property became required.";
    RequestPropertyMadeOptional => "request-property-made-optional", false, "A request property became optional.";
    RequestTypeChanged => "request-type-changed", true, "A request schema's type changed.";
    RequestFormatChanged => "request-format-changed", true, "A request schema's format changed.";
    RequestNullableAdded => "request-nullable-added", false, "A request schema became nullable.";
    RequestNullableRemoved => "request-nullable-removed", true, "A request schema is no longer nullable.";
    RequestLimitNarrowed => "request-limit-narrowed", true, "A request limit was narrowed (maximum, minimum, lengths, items, pattern, enum, format or type added, …).";
    RequestLimitWidened => "request-limit-widened", false, "A request limit was widened or removed.";
    RequestConstraintChanged => "request-constraint-changed", true, "A request constraint changed neither wider nor narrower (a pattern replaced).";
    RequestEnumValueAdded => "request-enum-value-added", false, "A value was added to a request enum.";
    RequestEnumValueRemoved => "request-enum-value-removed", true, "A value was removed from a request enum.";
    RequestExtensibleEnumValueAdded => "request-extensible-enum-value-added", false, "A value was added to a request x-extensible-enum.";
    RequestExtensibleEnumValueRemoved => "request-extensible-enum-value-removed", true, "A value was removed from a request x-extensible-enum.";
    RequestEnumMadeExtensible => "request-enum-made-extensible", false, "A request enum became an x-extensible-enum.";
    RequestEnumMadeClosed => "request-enum-made-closed", false, "A request x-extensible-enum became a closed enum.";
    // Schemas in what the client receives.
    ResponsePropertyAdded => "response-property-added", false, "A response property was added.";
    ResponsePropertyRemoved => "response-property-removed", true, "A response property was removed.";
    ResponsePropertyMadeRequired => "response-property-made-required", false, "A response property became required (always sent).";
    ResponsePropertyMadeOptional => "response-property-made-optional", true, "A response property is no longer required (may be absent).";
    ResponseTypeChanged => "response-type-changed", true, "A response schema's type changed.";
    ResponseFormatChanged => "response-format-changed", true, "A response schema's format changed.";
    ResponseNullableAdded => "response-nullable-added", true, "A response schema became nullable.";
    ResponseNullableRemoved => "response-nullable-removed", false, "A response schema is no longer nullable.";
    ResponseLimitNarrowed => "response-limit-narrowed", false, "A response limit was narrowed.";
    ResponseLimitWidened => "response-limit-widened", true, "A response limit was widened or removed (maximum, lengths, items, pattern, enum, oneOf variant added, …).";
    ResponseConstraintChanged => "response-constraint-changed", true, "A response constraint changed neither wider nor narrower (a pattern replaced).";
    ResponseEnumValueAdded => "response-enum-value-added", true, "A value was added to a closed response enum (typed clients reject it).";
    ResponseEnumValueRemoved => "response-enum-value-removed", false, "A value was removed from a response enum.";
    ResponseExtensibleEnumValueAdded => "response-extensible-enum-value-added", false, "A value was added to a response x-extensible-enum (clients accept unknown values).";
    ResponseExtensibleEnumValueRemoved => "response-extensible-enum-value-removed", false, "A value was removed from a response x-extensible-enum.";
    ResponseEnumMadeExtensible => "response-enum-made-extensible", true, "A closed response enum became an x-extensible-enum (unknown values may now arrive).";
    ResponseEnumMadeClosed => "response-enum-made-closed", false, "A response x-extensible-enum became a closed enum.";
}

/// Which way data flows for the schema being compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// What the client sends: parameters and request bodies.
    Request,
    /// What the client receives: responses.
    Response,
}

impl Direction {
    /// The request rule or the response rule of a pair.
    pub fn pick(self, request: Rule, response: Rule) -> Rule {
        match self {
            Direction::Request => request,
            Direction::Response => response,
        }
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One change found between the two specs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub rule: Rule,
    /// Whether it breaks existing clients (the rule's verdict).
    pub breaking: bool,
    /// Where: `GET /path 200 application/json orders[].status`.
    pub location: String,
    pub message: String,
}

impl Change {
    pub fn new(rule: Rule, location: String, message: String) -> Self {
        Change {
            rule,
            breaking: rule.breaking(),
            location,
            message,
        }
    }
}
