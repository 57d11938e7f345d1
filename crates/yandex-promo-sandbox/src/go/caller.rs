//! Who a Go for Business request acts for, and the parameters it asks with: the plumbing
//! every Go route shares (orders, zones, zone info, the clients of a token), with the
//! vendor's 400/401/403 answers.
use std::{collections::HashMap, str::FromStr, sync::Arc};

use axum::{
    extract::{FromRequestParts, Query},
    http::{HeaderMap, StatusCode, request::Parts},
};

use crate::{
    envelope::{Api, Refusal},
    state::Shared,
};

/// A refusal in Go's envelope with this status, vendor code and message.
pub(crate) fn reject(
    status: StatusCode,
    code: &'static str,
    message: impl Into<String>,
) -> Refusal {
    Api::Go.refuse(status, code, message)
}

/// A 400 `BAD_REQUEST` with this message.
pub(crate) fn bad_request(message: impl Into<String>) -> Refusal {
    reject(StatusCode::BAD_REQUEST, "BAD_REQUEST", message)
}

/// The OAuth token of a request: 401 without one. Enough for `auth/list`, which lists the
/// token's clients instead of acting for one.
pub(crate) struct Token(pub(crate) String);

impl Token {
    fn of(headers: &HeaderMap) -> Result<Self, Refusal> {
        headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| Self(t.to_owned()))
            .ok_or_else(|| {
                reject(
                    StatusCode::UNAUTHORIZED,
                    "UNAUTHORIZED",
                    "an OAuth token is required",
                )
            })
    }

    /// The corporate clients this token may act for.
    pub(crate) fn clients<'s>(&self, shared: &'s Shared) -> Vec<&'s str> {
        let config = &shared.config;
        match config.tokens.get(&self.0) {
            Some(clients) => clients.iter().map(String::as_str).collect(),
            None => vec![config.default_corp_client.as_str()],
        }
    }
}

impl FromRequestParts<Arc<Shared>> for Token {
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, _: &Arc<Shared>) -> Result<Self, Refusal> {
        Self::of(&parts.headers)
    }
}

/// Who a request acts for and what it asks: every Go handler but `auth/list` starts here.
pub(crate) struct Caller {
    /// The corporate client, from the token and `X-YaTaxi-Selected-Corp-Client-Id`.
    pub(crate) client: String,
    /// The query parameters.
    pub(crate) params: HashMap<String, String>,
}

impl Caller {
    /// A query parameter that must be present and non-empty.
    pub(crate) fn required(&self, name: &str) -> Result<&str, Refusal> {
        self.params
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| bad_request(format!("the parameter {name} is required")))
    }

    /// A page size (`limit`): at least 1, or `default` when absent (`None`: required).
    pub(crate) fn limit(&self, default: Option<usize>) -> Result<usize, Refusal> {
        self.number("limit", default, |n| *n >= 1, "a positive integer")
    }

    /// A numeric query parameter within `valid`, or `default` when absent (`None`: required).
    pub(crate) fn number<T>(
        &self,
        name: &str,
        default: Option<T>,
        valid: impl Fn(&T) -> bool,
        rule: &str,
    ) -> Result<T, Refusal>
    where
        T: FromStr,
    {
        let Some(text) = self.params.get(name) else {
            return default.ok_or_else(|| bad_request(format!("the parameter {name} is required")));
        };
        text.parse::<T>()
            .ok()
            .filter(valid)
            .ok_or_else(|| bad_request(format!("{name} must be {rule}, not {text:?}")))
    }
}

impl FromRequestParts<Arc<Shared>> for Caller {
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, shared: &Arc<Shared>) -> Result<Self, Refusal> {
        let token = Token::of(&parts.headers)?;
        let allowed = token.clients(shared);
        let selected = parts
            .headers
            .get("x-yataxi-selected-corp-client-id")
            .and_then(|v| v.to_str().ok());
        let client = match selected {
            Some(client) if allowed.contains(&client) => client.to_owned(),
            Some(_) => {
                return Err(reject(
                    StatusCode::FORBIDDEN,
                    "SELECTED_CLIENT_ACCESS_DENIED",
                    "the login has no access to the selected client",
                ));
            }
            None if allowed.len() == 1 => allowed[0].to_owned(),
            None => {
                return Err(reject(
                    StatusCode::FORBIDDEN,
                    "SELECT_CLIENT_HEADER_REQUIRED",
                    "X-YaTaxi-Selected-Corp-Client-Id is required: the token gives access to several clients",
                ));
            }
        };
        let Query(params) = Query::<HashMap<String, String>>::try_from_uri(&parts.uri)
            .map_err(|e| bad_request(e.body_text()))?;
        Ok(Self { client, params })
    }
}
