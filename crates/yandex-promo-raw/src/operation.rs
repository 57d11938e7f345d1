//! What names a call: the spec's operation, generated into each API's `operations` module.

/// One operation of a spec: its `operationId`, HTTP method and path template, generated from
/// the spec (`yandex_promo_raw::go::operations`, `yandex_promo_raw::market::operations`), so
/// that logs and metrics name a call as the spec does.
///
/// ```
/// use yandex_promo_raw::market::operations::GET_PROMOS;
/// assert_eq!(GET_PROMOS.id, "getPromos");
/// assert_eq!(GET_PROMOS.method, "POST");
/// assert_eq!(GET_PROMOS.path_template, "/v2/businesses/{businessId}/promos");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Operation {
    /// The spec's `operationId`, e.g. `createPromocodeOrder`.
    pub id: &'static str,
    /// The HTTP method, upper case, e.g. `POST`.
    pub method: &'static str,
    /// The path as the spec writes it, parameters in braces, without the server's base path:
    /// `/v2/businesses/{businessId}/promos`.
    pub path_template: &'static str,
}
