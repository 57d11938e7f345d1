//! What every request goes through: the request log, latency, and injected failures, each
//! answered in the envelope of the API the request was for.
use std::{collections::BTreeMap, sync::Arc, time::Duration};

use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::{
        HeaderValue, StatusCode,
        header::{CONTENT_LENGTH, CONTENT_TYPE},
    },
    middleware::Next,
    response::{Html, IntoResponse, Response},
};

use crate::{
    envelope::Api,
    faults::Failure,
    state::{LoggedRequest, Shared},
};

/// Market's message for a call to a deprecated method that was refused (its error catalogue,
/// 403 errors of every method).
const METHOD_DEPRECATED: &str =
    "The method is deprecated and is occasionally forbidden. Please stop using it";

/// Logs each request, applies latency, and answers with an injected failure when one is due.
pub(crate) async fn faults_and_log(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let (request, request_body) = recorded_body(&shared, request).await;
    let logged = LoggedRequest {
        sequence: 0,
        method: request.method().to_string(),
        path: request.uri().path().to_owned(),
        query: request.uri().query().map(str::to_owned),
        headers: request
            .headers()
            .iter()
            .map(|(name, value)| {
                let shown = match name.as_str() {
                    "authorization" | "api-key" => "<redacted>".to_owned(),
                    _ => String::from_utf8_lossy(value.as_bytes()).into_owned(),
                };
                (name.as_str().to_owned(), shown)
            })
            .collect::<BTreeMap<_, _>>(),
        status: 0,
        request_body,
        response_body: None,
    };
    let api = Api::of_path(&logged.path);
    let is_control = logged.path.starts_with("/__sandbox/");
    let _in_flight = (!is_control).then(|| shared.enter());
    let (sequence, latency, failure) = {
        let mut data = shared.data();
        let sequence = data.log_request(shared.config.request_log_capacity, logged);
        let failure = if is_control {
            None
        } else {
            data.faults.take_failure()
        };
        (
            sequence,
            Duration::from_millis(data.faults.faults.latency_ms),
            failure,
        )
    };
    if !latency.is_zero() && !is_control {
        tokio::time::sleep(latency).await;
    }
    let mut response = match failure {
        Some(Failure::Status500) => api.error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL_SERVER_ERROR",
            "fault injected",
        ),
        Some(Failure::Status503) => api.error(
            StatusCode::SERVICE_UNAVAILABLE,
            "SERVICE_UNAVAILABLE",
            "fault injected",
        ),
        Some(Failure::Deprecated403) => {
            let code = match api {
                Api::Market if shared.config.market_typed_errors => {
                    "NO_ACCESS_BY_DEPRECATION_POLICY"
                }
                _ => "FORBIDDEN",
            };
            api.error(StatusCode::FORBIDDEN, code, METHOD_DEPRECATED)
        }
        Some(Failure::Html502) => (
            StatusCode::BAD_GATEWAY,
            Html("<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"),
        )
            .into_response(),
        None => in_envelope(api, next.run(request).await).await,
    };
    if !is_control {
        // Unique within this sandbox, and names it, so a test can tell it from a real one.
        let id = HeaderValue::from_str(&format!("sandbox-{sequence:08}"))
            .expect("ASCII digits are a header value");
        response.headers_mut().insert(api.request_id_header(), id);
    }
    let status = response.status().as_u16();
    let mut recorded = None;
    if shared.config.record_responses {
        let (parts, body) = response.into_parts();
        response = match axum::body::to_bytes(body, usize::MAX).await {
            Ok(bytes) => {
                recorded = Some(String::from_utf8_lossy(&bytes).into_owned());
                Response::from_parts(parts, bytes.into())
            }
            // A body that fails (an injected dropped connection) must still fail.
            Err(_) => broken_response(),
        };
    }
    shared.data().log_response(sequence, status, recorded);
    response
}

/// The largest request body the log keeps (larger ones are passed on unread).
const RECORDED_BODY_LIMIT: usize = 1 << 20;

/// The request, and its body as text when [`crate::SandboxConfig::record_responses`] is on,
/// the body is not empty and its `content-length` is at most [`RECORDED_BODY_LIMIT`]: a body
/// of unknown or larger size is left for the handler to read (and refuse) itself.
async fn recorded_body(shared: &Shared, request: Request) -> (Request, Option<String>) {
    let size = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    if !shared.config.record_responses
        || !size.is_some_and(|n| (1..=RECORDED_BODY_LIMIT).contains(&n))
    {
        return (request, None);
    }
    let (parts, body) = request.into_parts();
    match axum::body::to_bytes(body, RECORDED_BODY_LIMIT).await {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            (Request::from_parts(parts, Body::from(bytes)), Some(text))
        }
        // The connection failed mid-body: the handler sees an empty body, as it would have
        // seen a broken one.
        Err(_) => (Request::from_parts(parts, Body::empty()), None),
    }
}

/// An error the routing layer or an extractor answered by itself (405 for a known path with
/// another method, 413 for a body too large, 400 for a malformed query, ...) comes as plain
/// text; it is answered again in the envelope of the request's API, its text as the message.
async fn in_envelope(api: Api, response: Response) -> Response {
    let status = response.status();
    let is_json = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let text = match axum::body::to_bytes(response.into_body(), 64 * 1024).await {
        Ok(bytes) if !bytes.is_empty() => String::from_utf8_lossy(&bytes).into_owned(),
        _ => status.canonical_reason().unwrap_or("error").to_owned(),
    };
    let code = status
        .canonical_reason()
        .unwrap_or("ERROR")
        .to_ascii_uppercase()
        .replace(' ', "_");
    api.error(status, &code, text)
}

/// A 200 whose body fails mid-stream: the server drops the connection after the order was
/// committed, as a crashed proxy would.
pub(crate) fn broken_response() -> Response {
    let failing = futures::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "fault injected",
        ))
    });
    Response::builder()
        .status(StatusCode::OK)
        .header("content-type", "application/json")
        .body(Body::from_stream(failing))
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}
