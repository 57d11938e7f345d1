//! Market's error envelope (`{"status": "ERROR", "errors": [{code, message}]}`), read into
//! the crate's [`ApiError`](crate::ApiError) parts.
use yandex_promo_raw::market::types::ApiErrorResponse;

use crate::{
    ErrorCode, ErrorEntry,
    call::{ErrorBody, VendorError},
};

impl VendorError for ApiErrorResponse {
    fn into_body(self) -> ErrorBody {
        let errors: Vec<ErrorEntry> = self
            .errors
            .unwrap_or_default()
            .into_iter()
            .map(|e| ErrorEntry {
                code: ErrorCode::from(e.code.as_str()),
                message: e.message,
            })
            .collect();
        let (code, message) = errors.first().map_or_else(
            || (ErrorCode::Unknown(String::new()), None),
            |first| (first.code.clone(), first.message.clone()),
        );
        ErrorBody {
            code,
            message,
            errors,
            hint: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn market_error_envelope_keeps_every_entry() {
        let body: ApiErrorResponse = serde_json::from_str(
            r#"{"status": "ERROR", "errors": [{"code": "BAD_REQUEST", "message": "a"}, {"code": "OTHER"}]}"#,
        )
        .expect("decodes");
        let body = body.into_body();
        assert_eq!(body.code, ErrorCode::BadRequest);
        assert_eq!(body.message.as_deref(), Some("a"));
        assert_eq!(body.errors.len(), 2);
        assert_eq!(body.errors[1].code, ErrorCode::Unknown("OTHER".into()));
        assert_eq!(body.hint, None);
    }
}
