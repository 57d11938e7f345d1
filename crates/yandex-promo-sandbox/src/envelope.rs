//! Each API's own error body. Every error the sandbox gives, from a handler, an injected
//! fault, the fallback route or axum itself (the middleware re-wraps a plain-text 405 or 413),
//! comes in the envelope its API documents. The one deliberate exception is the injected
//! HTML 502, which stands for a proxy in front of the service.
use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde_json::{Value, json};

/// Which API a request is for, told by its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Api {
    /// Go for Business: `{code, message, details?}`.
    Go,
    /// Market: `{status: "ERROR", errors: [{code, message}]}`.
    Market,
}

impl Api {
    /// Market serves under `/v2/`; everything else, the test controls included, answers in
    /// the Go shape.
    pub(crate) fn of_path(path: &str) -> Self {
        if path.starts_with("/v2/") {
            Self::Market
        } else {
            Self::Go
        }
    }

    /// The response header that carries the request's id. Neither API documents one: Go
    /// for Business clients quote `X-Ya-Request-Id` to support (the name Yandex services
    /// use), and for Market the common `X-Request-Id` is assumed.
    pub(crate) fn request_id_header(self) -> &'static str {
        match self {
            Self::Go => "x-ya-request-id",
            Self::Market => "x-request-id",
        }
    }

    /// The API's error body with `code` and `message`.
    pub(crate) fn error(
        self,
        status: StatusCode,
        code: &str,
        message: impl Into<String>,
    ) -> Response {
        let message = message.into();
        let body = match self {
            Self::Go => json!({"code": code, "message": message}),
            Self::Market => {
                json!({"status": "ERROR", "errors": [{"code": code, "message": message}]})
            }
        };
        (status, Json(body)).into_response()
    }
}

/// A request refused with its API's error body; handlers return it with `?`.
#[derive(Debug)]
pub(crate) struct Refusal {
    api: Api,
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl Api {
    /// A refusal in this API's envelope.
    pub(crate) fn refuse(
        self,
        status: StatusCode,
        code: &'static str,
        message: impl Into<String>,
    ) -> Refusal {
        Refusal {
            api: self,
            status,
            code,
            message: message.into(),
        }
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        self.api.error(self.status, self.code, self.message)
    }
}

/// A Go for Business error body with structured `details`, the one field of the vendor's
/// error shape whose content is not documented: the sandbox lists every broken rule there.
pub(crate) fn go_error_with_details(
    status: StatusCode,
    code: &str,
    message: impl Into<String>,
    details: Value,
) -> Response {
    let body = json!({"code": code, "message": message.into(), "details": details});
    (status, Json(body)).into_response()
}
