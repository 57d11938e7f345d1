//! Go for Business's error body (`{code, message}`), read into the crate's
//! [`ApiError`](crate::ApiError) parts, with the advice only Go can give: which setting picks
//! the corporate client when a token has several.
use yandex_promo_raw::go::types::Error as GoErrorBody;

use super::ENV_CORP_CLIENT_ID;
use crate::{
    ErrorCode,
    call::{ErrorBody, VendorError},
};

impl VendorError for GoErrorBody {
    fn into_body(self) -> ErrorBody {
        let code = ErrorCode::from_wire(self.code.as_deref().unwrap_or_default());
        let hint = (code == ErrorCode::SelectClientHeaderRequired).then(|| {
            format!(
                "pick the corporate client to act for: `GoClientBuilder::corp_client_id`, \
                 `--corp-client-id` or {ENV_CORP_CLIENT_ID}; `yandex-promo clients` lists the \
                 token's clients"
            )
        });
        ErrorBody {
            code,
            message: Some(self.message),
            errors: Vec::new(),
            hint,
            kind: None,
        }
    }
}
