//! The crate's [`Error`] and the provider error it carries.
//!
//! The question that matters after a failed payment call is *may Pivot have processed it?*
//! [`Error::may_have_been_processed`] answers it: when it is `true`, do not simply create a new
//! payment — retry with the same [`RequestId`] (creates and confirms are idempotent under it) or
//! reconcile with [`Client::get_payment_session`](crate::Client::get_payment_session) /
//! [`Client::get_payment_sessions_by_reference`](crate::Client::get_payment_sessions_by_reference).

use std::fmt;
use std::time::Duration;

use http::StatusCode;
use serde::Deserialize;

use crate::auth::RequestId;
use crate::model::wire_enum;

/// Everything that can go wrong in this crate.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request broke a documented limit and was **not sent**.
    #[error("invalid request: `{field}` {message}")]
    InvalidRequest {
        /// The offending field, as Pivot names it (e.g. `statementDescriptor`).
        field: String,
        /// What is wrong with it.
        message: String,
    },

    /// The client could not be configured (bad base URL, TLS back end failure).
    #[error("invalid client configuration: {message}")]
    Config {
        /// What is wrong.
        message: String,
    },

    /// The request failed before it reached Pivot (DNS, connect, TLS), or a read-only request
    /// failed. Nothing was processed.
    #[error("transport error: {source}")]
    Transport {
        /// The underlying HTTP client error.
        #[source]
        source: reqwest::Error,
    },

    /// The request may have reached Pivot and been processed, but no usable answer came back: a
    /// timeout or a lost connection after the request was written, or a 5xx answer to a
    /// request that changes state.
    ///
    /// When [`request_id`](Error::request_id) is set, sending the same request again with that
    /// `X-REQUEST-ID` is safe (Pivot replays the original answer); otherwise reconcile by
    /// reading the resource back before acting again.
    #[error("the request may have been processed by Pivot: {reason}")]
    Ambiguous {
        /// What happened.
        reason: String,
        /// The HTTP status, when Pivot answered.
        status: Option<StatusCode>,
        /// The idempotency key the request carried.
        request_id: Option<RequestId>,
        /// The underlying HTTP client error, if any.
        #[source]
        source: Option<reqwest::Error>,
    },

    /// Pivot answered with an error.
    #[error("{0}")]
    Provider(Box<ProviderError>),

    /// A response (or callback body) could not be decoded: the field path, the status and a
    /// scrubbed excerpt are in the [`DecodeError`].
    #[error("{0}")]
    Decode(Box<DecodeError>),

    /// The response body was larger than
    /// [`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes) (by its
    /// `Content-Length`, or while it was being read): the client stopped reading and closed the
    /// connection without buffering the rest.
    #[error("the response to HTTP status {status} is larger than the limit of {limit} bytes")]
    ResponseTooLarge {
        /// The HTTP status of the response.
        status: StatusCode,
        /// The limit that was exceeded, in bytes.
        limit: usize,
        /// Whether the request may have changed state on Pivot's side: a create, confirm,
        /// cancel, capture or refund answered with a success or a server error.
        processed: bool,
        /// The `X-REQUEST-ID` the request carried, if any.
        request_id: Option<RequestId>,
    },

    /// An inbound callback was rejected.
    #[error("callback rejected: {0}")]
    Webhook(#[from] WebhookError),

    /// Card encryption failed, usually because the session's `encryptionKey` is not a Base64
    /// RSA SubjectPublicKeyInfo.
    #[error("card encryption failed: {message}")]
    Encryption {
        /// What went wrong.
        message: String,
    },
}

impl Error {
    pub(crate) fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::InvalidRequest {
            field: field.into(),
            message: message.into(),
        }
    }

    pub(crate) fn encryption(message: impl Into<String>) -> Self {
        Self::Encryption {
            message: message.into(),
        }
    }

    pub(crate) fn decode(
        path: impl Into<String>,
        message: impl Into<String>,
        status: Option<StatusCode>,
        excerpt: String,
        processed: bool,
    ) -> Self {
        Self::Decode(Box::new(DecodeError {
            path: path.into(),
            message: message.into(),
            status,
            excerpt,
            processed,
        }))
    }

    /// Whether Pivot may have processed the request. When `true`, never send a *new* payment
    /// for the same purchase: retry with the same [`RequestId`] or reconcile first.
    pub fn may_have_been_processed(&self) -> bool {
        match self {
            Self::Ambiguous { .. } => true,
            Self::Decode(d) => d.processed,
            Self::ResponseTooLarge { processed, .. } => *processed,
            _ => false,
        }
    }

    /// Whether sending the same call again is safe and may succeed: transport failures before
    /// sending, rate limits and gateway errors, and ambiguous outcomes of calls that carry an
    /// `X-REQUEST-ID` (retry with the same id).
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Transport { .. } => true,
            Self::Ambiguous { request_id, .. } => request_id.is_some(),
            Self::Provider(p) => {
                p.status == StatusCode::TOO_MANY_REQUESTS
                    || p.status == StatusCode::REQUEST_TIMEOUT
                    || p.status.is_server_error()
            }
            _ => false,
        }
    }

    /// The HTTP status of Pivot's answer, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Provider(p) => Some(p.status),
            Self::Ambiguous { status, .. } => *status,
            Self::Decode(d) => d.status,
            Self::ResponseTooLarge { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Pivot's error code as it sent it (`api_validation_error`, `idempotency_error`, …), when
    /// it sent one. [`error_code`](Self::error_code) gives it typed.
    pub fn provider_code(&self) -> Option<&str> {
        self.error_code().map(ErrorCode::as_str)
    }

    /// Pivot's error code, typed, when it sent one.
    ///
    /// ```
    /// use session_tokenize_client::error::ErrorCode;
    /// # fn handle(error: session_tokenize_client::Error) {
    /// if error.error_code() == Some(&ErrorCode::IdempotencyError) {
    ///     // the same X-REQUEST-ID was sent with a different body
    /// }
    /// # }
    /// ```
    pub fn error_code(&self) -> Option<&ErrorCode> {
        match self {
            Self::Provider(p) => p.code.as_ref(),
            _ => None,
        }
    }

    /// The delay Pivot asked for in `Retry-After` (seconds or an HTTP date), when it sent one.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Provider(p) => p.retry_after,
            _ => None,
        }
    }

    /// The `X-REQUEST-ID` the failed request carried, if any.
    pub fn request_id(&self) -> Option<&RequestId> {
        match self {
            Self::Ambiguous { request_id, .. } | Self::ResponseTooLarge { request_id, .. } => {
                request_id.as_ref()
            }
            Self::Provider(p) => p.request_id.as_ref(),
            _ => None,
        }
    }

    /// The decode error, when a response or callback body did not decode.
    pub fn as_decode(&self) -> Option<&DecodeError> {
        match self {
            Self::Decode(d) => Some(d),
            _ => None,
        }
    }

    /// The provider error, when Pivot answered with one.
    pub fn as_provider(&self) -> Option<&ProviderError> {
        match self {
            Self::Provider(p) => Some(p),
            _ => None,
        }
    }
}

/// A response or callback body that did not decode.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DecodeError {
    /// The path of the field that failed, e.g. `data.chargeDetails[0].amount.value`; empty
    /// when the body as a whole is wrong (empty, not JSON, nested too deeply).
    pub path: String,
    /// What was wrong with it (card data masked).
    pub message: String,
    /// The HTTP status of the response, if this was a response.
    pub status: Option<StatusCode>,
    /// The start of the body, with card numbers, CVCs, tokens and secrets masked.
    pub excerpt: String,
    /// Whether the request that produced this response changed state on Pivot's side
    /// (a successful answer to a create, confirm, cancel, capture or refund).
    pub processed: bool,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "could not decode the response at `{}`: {}",
            self.path, self.message
        )
    }
}

/// An error answer from Pivot.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ProviderError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The `code` field (`api_validation_error`, `credentials_invalid`, …).
    pub code: Option<ErrorCode>,
    /// The `message` field.
    pub message: Option<String>,
    /// The `error.type` field.
    pub error_type: Option<ErrorType>,
    /// The `error.details` field: which request fields were invalid.
    pub details: Vec<ErrorDetail>,
    /// The trace id to quote to Pivot support (`error.trace_id` or `error.traceId`).
    pub trace_id: Option<String>,
    /// The `X-REQUEST-ID` the request carried, if any.
    pub request_id: Option<RequestId>,
    /// The delay Pivot asked for in `Retry-After`, if any.
    pub retry_after: Option<Duration>,
    /// The start of the body, with card numbers, CVCs, tokens and secrets masked.
    pub body_excerpt: String,
}

impl fmt::Display for ProviderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pivot answered HTTP {}", self.status.as_u16())?;
        if let Some(code) = &self.code {
            write!(f, " {code}")?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        for detail in &self.details {
            match (&detail.field, &detail.message) {
                (Some(field), Some(message)) => write!(f, "; {field}: {message}")?,
                (None, Some(message)) => write!(f, "; {message}")?,
                (Some(field), None) => write!(f, "; {field}")?,
                (None, None) => {}
            }
        }
        if let Some(trace) = &self.trace_id {
            write!(f, " (trace id {trace})")?;
        }
        Ok(())
    }
}

/// One invalid field reported in `error.details`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ErrorDetail {
    /// The field name, when Pivot named one.
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub field: Option<String>,
    /// What is wrong with it.
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub message: Option<String>,
}

wire_enum! {
    /// `error.type`.
    pub enum ErrorType {
        /// Validation error or invalid request (usually 4xx).
        ApiError => "API_ERROR",
        /// Error on Pivot's side (usually 5xx).
        GatewayError => "GATEWAY_ERROR",
        /// Error from one of Pivot's payment channels.
        PartnerError => "PARTNER_ERROR",
    }
}

wire_enum! {
    /// Pivot's error `code`.
    pub enum ErrorCode {
        /// 400: the request was invalid, or a downstream provider failed.
        ApiValidationError => "api_validation_error",
        /// 401: the access token is invalid.
        CredentialsInvalid => "credentials_invalid",
        /// 403: the merchant setup is incomplete (e.g. no redirect URL configured).
        ResourceNotComplete => "resource_not_complete",
        /// 403: the credentials lack the permission.
        ForbiddenAccess => "forbidden_access",
        /// 404: no such URL.
        NotFound => "not_found",
        /// 404: no resource with that id.
        ResourceMissing => "resource_missing",
        /// 409: a record with these details exists already.
        DuplicateError => "duplicate_error",
        /// 409: the same `X-REQUEST-ID` was sent with a different payload.
        IdempotencyError => "idempotency_error",
        /// 429: rate limited.
        FrequencyAboveLimit => "frequency_above_limit",
        /// 400: not enough balance (reported for inquiries on behalf of a master account).
        BalanceInsufficient => "balance_insufficient",
        /// 500.
        InternalError => "internal_error",
        /// 502.
        BadGateway => "bad_gateway",
        /// 503.
        ServiceUnavailable => "service_unavailable",
        /// 504.
        GatewayTimeout => "gateway_timeout",
    }
}

/// Why an inbound callback was rejected.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The request has no `X-API-Key` header.
    #[error("the X-API-Key header is missing")]
    MissingApiKey,
    /// The `X-API-Key` header does not match the configured Callback API Key.
    #[error("the X-API-Key header does not match the Callback API Key")]
    ApiKeyMismatch,
    /// The request is not a `POST`.
    #[error("callbacks are POST requests, got {0}")]
    Method(http::Method),
}

/// The `error` object of an error envelope, as sent.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct WireError {
    #[serde(rename = "type", deserialize_with = "crate::de::opt_enum")]
    pub(crate) error_type: Option<ErrorType>,
    #[serde(deserialize_with = "crate::de::null_as_empty")]
    pub(crate) details: Vec<ErrorDetail>,
    #[serde(alias = "traceId", deserialize_with = "crate::de::opt_string")]
    pub(crate) trace_id: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provider(status: u16) -> Error {
        Error::Provider(Box::new(ProviderError {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::IM_A_TEAPOT),
            code: None,
            message: None,
            error_type: None,
            details: Vec::new(),
            trace_id: None,
            request_id: None,
            retry_after: None,
            body_excerpt: String::new(),
        }))
    }

    #[test]
    fn only_ambiguous_outcomes_may_have_been_processed() {
        let ambiguous = Error::Ambiguous {
            reason: "timeout".into(),
            status: None,
            request_id: None,
            source: None,
        };
        assert!(ambiguous.may_have_been_processed());
        assert!(!ambiguous.is_retryable(), "no idempotency key: reconcile");
        assert!(!provider(400).may_have_been_processed());
        assert!(!Error::invalid("x", "y").may_have_been_processed());
    }

    #[test]
    fn rate_limits_and_gateway_errors_are_retryable_validation_errors_are_not() {
        assert!(provider(429).is_retryable());
        assert!(provider(503).is_retryable());
        assert!(!provider(400).is_retryable());
        assert!(!provider(409).is_retryable());
        assert_eq!(
            provider(503).status(),
            Some(StatusCode::SERVICE_UNAVAILABLE)
        );
    }

    #[test]
    fn the_shared_predicates_read_every_kind() {
        let mut limited = provider(429);
        if let Error::Provider(p) = &mut limited {
            p.code = Some(ErrorCode::FrequencyAboveLimit);
            p.retry_after = Some(Duration::from_secs(3));
        }
        assert_eq!(limited.provider_code(), Some("frequency_above_limit"));
        assert_eq!(limited.error_code(), Some(&ErrorCode::FrequencyAboveLimit));
        assert_eq!(limited.retry_after(), Some(Duration::from_secs(3)));

        let unknown = ErrorCode::from("brand_new_code");
        assert_eq!(unknown.as_str(), "brand_new_code");

        let too_large = Error::ResponseTooLarge {
            status: StatusCode::OK,
            limit: 10,
            processed: true,
            request_id: None,
        };
        assert!(too_large.may_have_been_processed());
        assert!(!too_large.is_retryable());
        assert_eq!(too_large.status(), Some(StatusCode::OK));

        let decode = Error::decode(
            "data.id",
            "missing",
            Some(StatusCode::OK),
            String::new(),
            true,
        );
        assert!(decode.may_have_been_processed());
        assert_eq!(decode.as_decode().map(|d| d.path.as_str()), Some("data.id"));
        assert_eq!(
            decode.to_string(),
            "could not decode the response at `data.id`: missing"
        );
    }
}
