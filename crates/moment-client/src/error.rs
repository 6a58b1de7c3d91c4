//! The crate's [`Error`] and the details it carries.
//!
//! Every failure of this crate is an [`Error`]. Its variant says *what happened*; its predicates
//! answer the questions a payments backend has to decide on:
//!
//! * [`Error::may_have_been_processed`]: could Moment have acted on the request (created the
//!   session, captured the money)? If so, do not send a *new* request: retry with the same
//!   [`Error::idempotency_key`] (Moment replays the stored result for 24 hours) or retrieve the
//!   object.
//! * [`Error::is_retryable`]: is sending the same request again (with the same idempotency key)
//!   reasonable?
//! * [`Error::status`], [`Error::provider_code`] and [`Error::retry_after`]: what the gateway
//!   said, when it answered.

use std::fmt;
use std::time::Duration;

use http::StatusCode;
use serde::Deserialize;
use serde_json::{Map, Value};

/// Everything that can go wrong when talking to Moment or verifying its webhooks.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request is invalid; nothing was sent.
    #[error("invalid request, not sent: {message}")]
    InvalidRequest {
        /// What is wrong, naming the field.
        message: String,
    },
    /// The configuration is invalid: the secret key, the base URL, the user-agent suffix, the
    /// HTTP client, or a webhook secret. Nothing was sent.
    #[error("invalid configuration: {message}")]
    Config {
        /// What is wrong, naming the setting (never its secret value).
        message: String,
    },
    /// The request could not be delivered and nothing can have changed at Moment: the connection
    /// could not be established, or a read-only request (`GET`) failed in transit.
    #[error("{operation}: the request could not be completed ({source}); nothing was processed")]
    Transport {
        /// The operation, e.g. `retrieve_payment`.
        operation: &'static str,
        /// The underlying HTTP client error.
        #[source]
        source: reqwest::Error,
    },
    /// The request may have reached Moment and been processed, but no usable answer arrived
    /// (a timeout or a connection lost after the request was written, or a body that could not
    /// be read). Retry with the same [`Error::idempotency_key`], or retrieve the object.
    #[error("{operation}: the request may have been processed: {reason}")]
    Ambiguous {
        /// The operation, e.g. `create_payment_session`.
        operation: &'static str,
        /// What happened.
        reason: String,
        /// The HTTP status, when a status line arrived before the failure.
        status: Option<StatusCode>,
        /// The `Idempotency-Key` the request carried.
        idempotency_key: Option<String>,
        /// The underlying HTTP client error, if any.
        #[source]
        source: Option<reqwest::Error>,
    },
    /// Moment answered with an error (an RFC 9457 problem, or an unexpected non-2xx body).
    #[error(transparent)]
    Provider(Box<ProviderError>),
    /// Moment answered with a success status, but the body did not decode.
    #[error(transparent)]
    Decode(Box<DecodeError>),
    /// An inbound webhook did not verify.
    #[error(transparent)]
    Webhook(#[from] WebhookError),
    /// Moment's answer was larger than
    /// [`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes) allows;
    /// the client stopped reading it (the declared `Content-Length`, or the bytes read so far,
    /// passed the limit).
    ///
    /// A `POST` answered this way [may have been processed](Error::may_have_been_processed):
    /// retrieve the object, or retry with the same [`Error::idempotency_key`].
    #[error(
        "{operation}: Moment's answer ({status}) is larger than the limit of {limit} bytes; \
         it was not read"
    )]
    ResponseTooLarge {
        /// The operation, e.g. `retrieve_payment`.
        operation: &'static str,
        /// The request's method (`POST` requests may have been processed).
        method: http::Method,
        /// The HTTP status of the answer.
        status: StatusCode,
        /// The limit in force, in bytes.
        limit: usize,
        /// The `Idempotency-Key` the request carried.
        idempotency_key: Option<String>,
    },
}

impl Error {
    /// Whether Moment may have acted on the request.
    ///
    /// `true` for [`Error::Ambiguous`]; for a `5xx` or `409 Conflict` answer to a `POST`; for
    /// a `POST` whose success response did not decode (the object exists, only its description
    /// was unreadable); and for a `POST` whose answer was too large to read. When this is
    /// `true`, never send a *new* request for the same payment: reuse the idempotency key or
    /// retrieve the object.
    pub fn may_have_been_processed(&self) -> bool {
        match self {
            Error::InvalidRequest { .. }
            | Error::Config { .. }
            | Error::Transport { .. }
            | Error::Webhook(_) => false,
            Error::Ambiguous { .. } => true,
            Error::Provider(e) => e.may_have_been_processed(),
            Error::Decode(e) => e.may_have_been_processed,
            Error::ResponseTooLarge { method, .. } => *method == http::Method::POST,
        }
    }

    /// Whether sending the same request again (with the same idempotency key) is reasonable:
    /// transport failures, ambiguous outcomes, `429 Too Many Requests` and `5xx` answers.
    ///
    /// The client has already retried these as often as
    /// [`ClientBuilder::max_retries`](crate::ClientBuilder::max_retries) allows.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport { .. } | Error::Ambiguous { .. } => true,
            Error::Provider(e) => e.is_retryable(),
            Error::InvalidRequest { .. }
            | Error::Config { .. }
            | Error::Decode(_)
            | Error::Webhook(_)
            | Error::ResponseTooLarge { .. } => false,
        }
    }

    /// The HTTP status of Moment's answer, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Ambiguous { status, .. } => *status,
            Error::Provider(e) => Some(e.status()),
            Error::Decode(e) => e.status,
            Error::ResponseTooLarge { status, .. } => Some(*status),
            Error::InvalidRequest { .. }
            | Error::Config { .. }
            | Error::Transport { .. }
            | Error::Webhook(_) => None,
        }
    }

    /// The gateway's error code as the text it sent, when it sent one (see
    /// [`ProviderError::provider_code`]): e.g. `not-found` for a problem of type
    /// `https://api.momentco.io/docs/errors#not-found`.
    pub fn provider_code(&self) -> Option<&str> {
        match self {
            Error::Provider(e) => e.provider_code(),
            _ => None,
        }
    }

    /// The `Idempotency-Key` the failed request carried, so that it can be retried safely.
    pub fn idempotency_key(&self) -> Option<&str> {
        match self {
            Error::Ambiguous {
                idempotency_key, ..
            } => idempotency_key.as_deref(),
            Error::Provider(e) => e.idempotency_key(),
            Error::Decode(e) => e.idempotency_key.as_deref(),
            Error::ResponseTooLarge {
                idempotency_key, ..
            } => idempotency_key.as_deref(),
            _ => None,
        }
    }

    /// The provider error, when Moment answered with one.
    pub fn as_provider(&self) -> Option<&ProviderError> {
        match self {
            Error::Provider(e) => Some(e),
            _ => None,
        }
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Error::InvalidRequest {
            message: message.into(),
        }
    }

    pub(crate) fn config(message: impl Into<String>) -> Self {
        Error::Config {
            message: message.into(),
        }
    }

    /// How long Moment asked to wait before trying again (`Retry-After`, in seconds or as an
    /// HTTP date), when it answered with one.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Provider(e) => e.retry_after(),
            _ => None,
        }
    }
}

/// What kind of error Moment answered with, from the HTTP status and, for `409 Conflict`, the
/// operation and the problem's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ProviderErrorKind {
    /// `400 Bad Request`: the request was malformed.
    BadRequest,
    /// `401 Unauthorized`: no valid API key was provided.
    Unauthorized,
    /// `402 Request Failed`: the parameters were valid but the request failed.
    RequestFailed,
    /// `403 Forbidden`: the key lacks the permission (for example a restricted or expired key).
    Forbidden,
    /// `404 Not Found`.
    NotFound,
    /// `409 Conflict` because the `Idempotency-Key` was already used for a different request, or
    /// a request with that key is still in progress. Do not generate a new key automatically:
    /// find out what the first request did.
    IdempotencyConflict,
    /// `409 Conflict` on a capture: the authorisation has expired and can no longer be captured.
    AuthorizationExpired,
    /// Any other `409 Conflict`.
    Conflict,
    /// `422 Unprocessable Content`: the request was understood but is semantically invalid.
    Unprocessable,
    /// `429 Too Many Requests`.
    RateLimited,
    /// `5xx`: a server-side failure.
    Server,
    /// Any other status.
    Other,
}

/// An RFC 9457 problem-details document, as Moment sends on errors.
///
/// Members beyond the five standard ones are kept in [`Problem::extra`].
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Problem {
    /// `type`: a URI identifying the problem type, e.g.
    /// `https://api.momentco.io/docs/errors#not-found`.
    #[serde(rename = "type", default)]
    pub problem_type: Option<String>,
    /// `title`: a short summary.
    #[serde(default)]
    pub title: Option<String>,
    /// `status`: the HTTP status as Moment states it in the body.
    #[serde(default, deserialize_with = "crate::model::common::lenient_u16")]
    pub status: Option<u16>,
    /// `detail`: an explanation specific to this occurrence.
    #[serde(default)]
    pub detail: Option<String>,
    /// `instance`: the URI of this occurrence, often the request path.
    #[serde(default)]
    pub instance: Option<String>,
    /// Any extension members.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Problem {
    /// The document with credentials removed from every text member (keys, bearer tokens) and
    /// the values of credential members (`secret`, `client_token`) replaced.
    fn scrubbed(mut self) -> Self {
        for text in [
            &mut self.problem_type,
            &mut self.title,
            &mut self.detail,
            &mut self.instance,
        ]
        .into_iter()
        .flatten()
        {
            *text = crate::scrub::scrub(text);
        }
        for (name, value) in self.extra.iter_mut() {
            scrub_member(name, value);
        }
        self
    }

    /// The machine-readable code: an extension member `code` or `error_code` if present,
    /// otherwise the fragment of the `type` URI (`not-found` for `…/docs/errors#not-found`).
    pub fn code(&self) -> Option<&str> {
        ["code", "error_code"]
            .iter()
            .find_map(|name| self.extra.get(*name).and_then(Value::as_str))
            .or_else(|| {
                self.problem_type
                    .as_deref()
                    .and_then(|t| t.rsplit_once('#'))
                    .map(|(_, fragment)| fragment)
                    .filter(|fragment| !fragment.is_empty())
            })
    }

    fn mentions(&self, needle: &str) -> bool {
        let fields = [
            self.problem_type.as_deref(),
            self.title.as_deref(),
            self.detail.as_deref(),
            self.code(),
        ];
        fields
            .iter()
            .flatten()
            .any(|text| text.to_ascii_lowercase().contains(needle))
    }
}

/// Scrubs one JSON member of a problem document (depth is bounded by the JSON parser's
/// recursion limit).
fn scrub_member(name: &str, value: &mut Value) {
    if crate::scrub::is_secret_member(name) && !value.is_null() {
        *value = Value::String("[REDACTED]".to_owned());
        return;
    }
    match value {
        Value::String(text) => *text = crate::scrub::scrub(text),
        Value::Array(items) => items.iter_mut().for_each(|v| scrub_member("", v)),
        Value::Object(map) => map.iter_mut().for_each(|(k, v)| scrub_member(k, v)),
        _ => {}
    }
}

/// Moment answered a request with an error status.
#[derive(Debug, Clone)]
pub struct ProviderError {
    pub(crate) operation: &'static str,
    pub(crate) post: bool,
    pub(crate) status: StatusCode,
    pub(crate) kind: ProviderErrorKind,
    pub(crate) problem: Option<Problem>,
    pub(crate) body_excerpt: String,
    pub(crate) idempotency_key: Option<String>,
    pub(crate) retry_after: Option<Duration>,
    pub(crate) replayed: bool,
}

impl ProviderError {
    /// Builds the error from an answer to `operation`.
    pub(crate) fn new(
        operation: crate::client::Operation,
        status: StatusCode,
        body: &[u8],
        idempotency_key: Option<String>,
        retry_after: Option<Duration>,
        replayed: bool,
    ) -> Self {
        // The problem document is kept scrubbed: it is part of the error's `Debug`.
        let problem = serde_json::from_slice::<Problem>(body)
            .ok()
            .map(Problem::scrubbed);
        let kind = classify(status, problem.as_ref(), operation);
        ProviderError {
            operation: operation.as_str(),
            post: operation.is_post(),
            status,
            kind,
            problem,
            body_excerpt: crate::scrub::excerpt(body),
            idempotency_key,
            retry_after,
            replayed,
        }
    }

    /// The operation that failed, e.g. `capture_payment`.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// What kind of error this is.
    pub fn kind(&self) -> ProviderErrorKind {
        self.kind
    }

    /// The problem document, when the body was one.
    pub fn problem(&self) -> Option<&Problem> {
        self.problem.as_ref()
    }

    /// The gateway's error code (see [`Problem::code`]).
    pub fn provider_code(&self) -> Option<&str> {
        self.problem.as_ref().and_then(Problem::code)
    }

    /// The start of the response body, with keys and tokens removed (for logs and support).
    pub fn body_excerpt(&self) -> &str {
        &self.body_excerpt
    }

    /// The `Idempotency-Key` the request carried.
    pub fn idempotency_key(&self) -> Option<&str> {
        self.idempotency_key.as_deref()
    }

    /// The `Retry-After` Moment sent, if any.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// Whether Moment marked the answer `Idempotent-Replayed: true`: it is the stored answer
    /// to an earlier request with the same key.
    pub fn replayed(&self) -> bool {
        self.replayed
    }

    /// Whether Moment may have acted on the request: a `5xx` answer to a `POST`, or a conflict
    /// on its idempotency key (an earlier request with that key was, or is being, processed).
    pub fn may_have_been_processed(&self) -> bool {
        self.post
            && (self.status.is_server_error()
                || self.kind == ProviderErrorKind::IdempotencyConflict)
    }

    /// Whether retrying (with the same key) is reasonable: `429` and `5xx`.
    pub fn is_retryable(&self) -> bool {
        self.status == StatusCode::TOO_MANY_REQUESTS || self.status.is_server_error()
    }
}

impl fmt::Display for ProviderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: Moment answered {}", self.operation, self.status)?;
        match &self.problem {
            Some(problem) => {
                if let Some(title) = &problem.title {
                    write!(f, ": {}", crate::scrub::scrub(title))?;
                }
                if let Some(detail) = &problem.detail {
                    write!(f, " ({})", crate::scrub::scrub(detail))?;
                }
                Ok(())
            }
            None if self.body_excerpt.is_empty() => f.write_str(" with an empty body"),
            None => write!(f, " with a non-problem body: {}", self.body_excerpt),
        }
    }
}

impl std::error::Error for ProviderError {}

fn classify(
    status: StatusCode,
    problem: Option<&Problem>,
    operation: crate::client::Operation,
) -> ProviderErrorKind {
    use crate::client::Operation;
    match status.as_u16() {
        400 => ProviderErrorKind::BadRequest,
        401 => ProviderErrorKind::Unauthorized,
        402 => ProviderErrorKind::RequestFailed,
        403 => ProviderErrorKind::Forbidden,
        404 => ProviderErrorKind::NotFound,
        409 => {
            let about_key = problem.is_some_and(|p| p.mentions("idempot"));
            if about_key {
                ProviderErrorKind::IdempotencyConflict
            } else if operation == Operation::CapturePayment {
                // The documented other cause of a 409 on a capture.
                ProviderErrorKind::AuthorizationExpired
            } else if operation == Operation::CreatePaymentSession {
                // Creating a session has no other documented conflict.
                ProviderErrorKind::IdempotencyConflict
            } else {
                ProviderErrorKind::Conflict
            }
        }
        422 => ProviderErrorKind::Unprocessable,
        429 => ProviderErrorKind::RateLimited,
        500..=599 => ProviderErrorKind::Server,
        _ => ProviderErrorKind::Other,
    }
}

/// A success response that did not decode into the expected type.
#[derive(Debug, Clone)]
pub struct DecodeError {
    pub(crate) operation: &'static str,
    pub(crate) status: Option<StatusCode>,
    pub(crate) path: String,
    pub(crate) message: String,
    pub(crate) excerpt: String,
    pub(crate) content_type: Option<String>,
    pub(crate) idempotency_key: Option<String>,
    pub(crate) may_have_been_processed: bool,
}

impl DecodeError {
    /// Decodes `body` as `T`, naming the failing field path on error.
    pub(crate) fn decode<T: serde::de::DeserializeOwned>(
        operation: &'static str,
        body: &[u8],
    ) -> Result<T, Box<DecodeError>> {
        // The plain decode is the fast path; only a body that fails is decoded again with the
        // path tracking (which allocates for every key it passes) to name the failing field.
        // Decoding is deterministic, so the second pass fails at the same place.
        if let Ok(value) = serde_json::from_slice::<T>(body) {
            return Ok(value);
        }
        let mut de = serde_json::Deserializer::from_slice(body);
        let (path, inner) = match serde_path_to_error::deserialize::<_, T>(&mut de) {
            Ok(value) => match de.end() {
                Ok(()) => return Ok(value),
                Err(e) => (String::new(), e),
            },
            Err(e) => {
                let path = e.path().to_string();
                (path, e.into_inner())
            }
        };
        let message = if body.iter().all(u8::is_ascii_whitespace) {
            "the body is empty".to_owned()
        } else if inner.is_eof() {
            format!("the body is truncated JSON ({inner})")
        } else if inner.is_syntax() {
            format!("the body is not JSON ({inner})")
        } else {
            inner.to_string()
        };
        let path = if path == "." { String::new() } else { path };
        Err(Box::new(DecodeError::new(operation, path, &message, body)))
    }

    pub(crate) fn new(operation: &'static str, path: String, message: &str, body: &[u8]) -> Self {
        DecodeError {
            operation,
            status: None,
            path,
            message: crate::scrub::scrub(message),
            excerpt: crate::scrub::excerpt(body),
            content_type: None,
            idempotency_key: None,
            may_have_been_processed: false,
        }
    }

    /// The operation whose answer did not decode (`webhook` for inbound events).
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The HTTP status of the answer.
    pub fn status(&self) -> Option<StatusCode> {
        self.status
    }

    /// The path of the field that failed, e.g. `data.amount` (empty when the body as a whole
    /// was not JSON).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What went wrong.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The start of the body, with keys and tokens removed.
    pub fn excerpt(&self) -> &str {
        &self.excerpt
    }

    /// The response's `Content-Type`, if it had one.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: the response", self.operation)?;
        if let Some(status) = self.status {
            write!(f, " ({status})")?;
        }
        f.write_str(" did not decode")?;
        if !self.path.is_empty() {
            write!(f, " at `{}`", self.path)?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for DecodeError {}

/// Why an inbound webhook was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// A required header (`webhook-id`, `webhook-timestamp` or `webhook-signature`) is missing.
    #[error("the webhook has no `{0}` header")]
    MissingHeader(&'static str),
    /// A header is not visible ASCII.
    #[error("the webhook's `{0}` header is not valid text")]
    InvalidHeader(&'static str),
    /// `webhook-timestamp` is not a Unix timestamp in seconds.
    #[error("the webhook-timestamp header is not a Unix timestamp")]
    InvalidTimestamp,
    /// The timestamp is older than the tolerance allows (a replay or a very late delivery).
    #[error("the webhook-timestamp is older than the tolerance allows")]
    TimestampTooOld,
    /// The timestamp is further in the future than the tolerance allows.
    #[error("the webhook-timestamp is further in the future than the tolerance allows")]
    TimestampTooNew,
    /// No `v1` signature of the `webhook-signature` header matches the message.
    #[error("no v1 signature in the webhook-signature header matches")]
    NoMatchingSignature,
}

impl From<payments_signing::standard_webhooks::VerifyError> for WebhookError {
    fn from(e: payments_signing::standard_webhooks::VerifyError) -> Self {
        use payments_signing::standard_webhooks::VerifyError as V;
        match e {
            V::InvalidTimestamp => WebhookError::InvalidTimestamp,
            V::TimestampTooOld => WebhookError::TimestampTooOld,
            V::TimestampTooNew => WebhookError::TimestampTooNew,
            _ => WebhookError::NoMatchingSignature,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_documents_are_scrubbed_before_they_are_kept() {
        let body = br#"{"type":"https://api.momentco.io/docs/errors#bad-request","title":"Bad request","status":400,"detail":"the key sk_test_4eC39HqLyjWDarjtT1zdp7dc is not valid here","secret":"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw","nested":{"client_token":"ct_abc","note":"Bearer eyJhbGciOi.x.y"},"code":"bad_request"}"#;
        let error = ProviderError::new(
            crate::client::Operation::RetrievePaymentSession,
            StatusCode::BAD_REQUEST,
            body,
            None,
            None,
            false,
        );
        let shown = format!("{error:?} {error:#?}");
        for secret in [
            "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "ct_abc",
            "eyJhbGciOi",
        ] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        let problem = error.problem().expect("a problem document");
        assert_eq!(
            problem.detail.as_deref(),
            Some("the key [REDACTED] is not valid here")
        );
        // What is not a credential stays usable.
        assert_eq!(problem.code(), Some("bad_request"));
        assert_eq!(problem.title.as_deref(), Some("Bad request"));
    }
}
