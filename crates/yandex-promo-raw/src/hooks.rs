//! Hooks the generator wires into every operation (see `yandex-promo-codegen`).

/// progenitor 0.15 adds `api-version: <info.version>` to every request. Neither Yandex API
/// documents that header (Market's spec version is `LATEST`), so it never leaves the client.
pub(crate) fn strip_api_version(request: &mut reqwest::Request) {
    request.headers_mut().remove("api-version");
}
