//! The crate's error type.
//!
//! Every failure says which of these happened, because that decides what to do next:
//!
//! | variant | what happened | what to do |
//! |---|---|---|
//! | [`Error::InvalidRequest`] | a documented limit was violated; **nothing was sent** | fix the request |
//! | [`Error::Config`] | the client could not be built | fix the configuration |
//! | [`Error::Transport`] | the connection failed and **nothing was processed** (never sent, or a read-only call) | retry later |
//! | [`Error::Ambiguous`] | a payment call was sent but its outcome is unknown (timeout, lost connection, 5xx, unreadable answer) | reconcile with [`Client::reconcile`](crate::Client::reconcile) **before** any retry |
//! | [`Error::Provider`] | the gateway answered with an error (general error, 4xx, 429, 5xx on a read-only call) | see [`Error::error_code`]; reconcile if [`Error::may_have_been_processed`] |
//! | [`Error::Decode`] | the answer did not decode; carries the field path and a scrubbed excerpt | reconcile if [`Error::may_have_been_processed`] |
//! | [`Error::Webhook`] | an inbound notification was rejected | answer with an error status; the gateway retries |
//! | [`Error::ResponseTooLarge`] | the answer's body exceeded [`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes); reading stopped | reconcile if [`Error::may_have_been_processed`] |
//!
//! A declined payment is **not** an error: it is [`TransactionOutcome::Error`](crate::model::TransactionOutcome::Error).
//! No variant ever carries a secret, a card number or a raw body: excerpts are scrubbed.

use std::fmt;
use std::time::Duration;

use http::StatusCode;

use crate::model::ErrorCode;

/// A boxed error source.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The crate's error. See the [module documentation](self) for what each variant means.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request violates a documented limit and was **not sent**.
    #[error("invalid request, not sent: `{field}` {reason}")]
    InvalidRequest {
        /// The JSON path of the offending field (`customer.billingCountry`).
        field: String,
        /// What is wrong with it (never its value).
        reason: String,
    },
    /// The client configuration is invalid (e.g. an unparsable base URL).
    #[error("invalid client configuration: {0}")]
    Config(String),
    /// The connection failed and nothing was processed: the request was never sent, or the
    /// call was read-only (status, schedule get, options). Safe to retry.
    #[error("{operation}: transport error, nothing was processed: {message}")]
    Transport {
        /// The operation (`debit`, `status_by_uuid`).
        operation: &'static str,
        /// What failed.
        message: String,
        /// The underlying error, without the URL.
        #[source]
        source: Option<BoxError>,
    },
    /// A call that changes state was sent, but its outcome is unknown. **Do not retry blindly**:
    /// reconcile with [`Client::reconcile`](crate::Client::reconcile) first.
    #[error(transparent)]
    Ambiguous(Box<AmbiguousError>),
    /// The gateway answered with an error.
    #[error(transparent)]
    Provider(Box<ProviderError>),
    /// The gateway's answer could not be decoded.
    #[error(transparent)]
    Decode(Box<DecodeError>),
    /// An inbound notification was rejected.
    #[error(transparent)]
    Webhook(Box<WebhookError>),
    /// The answer's body was larger than
    /// [`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes)
    /// (declared in `Content-Length`, or counted while reading). Reading stopped at the limit
    /// and the connection was dropped; nothing of the body is kept.
    #[error(
        "{operation}: the answer (HTTP {status}) is larger than the limit of {limit} bytes{}",
        processed_note(.may_have_been_processed)
    )]
    ResponseTooLarge {
        /// The operation (`debit`, `status_by_uuid`).
        operation: &'static str,
        /// The HTTP status of the answer.
        status: StatusCode,
        /// The configured limit, in bytes.
        limit: usize,
        /// Whether the request may have been processed: a state-changing call whose answer was
        /// not a client error (4xx).
        may_have_been_processed: bool,
    },
}

impl Error {
    /// Whether the gateway may have processed the request although no result was obtained.
    /// When `true`, look the transaction up with [`Client::reconcile`](crate::Client::reconcile)
    /// before sending anything again: a retry could charge the customer twice.
    pub fn may_have_been_processed(&self) -> bool {
        match self {
            Error::Ambiguous(_) => true,
            Error::Decode(e) => e.may_have_been_processed,
            Error::Provider(e) => e.may_have_been_processed,
            Error::ResponseTooLarge {
                may_have_been_processed,
                ..
            } => *may_have_been_processed,
            _ => false,
        }
    }

    /// Whether sending the **same** request again may succeed and is safe: transport failures
    /// before sending, rate limits, maintenance and 5xx answers to read-only calls. Always
    /// `false` when [`may_have_been_processed`](Self::may_have_been_processed) is `true`.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport { .. } => true,
            Error::Provider(e) if e.may_have_been_processed => false,
            Error::Provider(e) => {
                e.code.as_ref().is_some_and(ErrorCode::is_temporary)
                    || e.status.is_some_and(|s| {
                        s == StatusCode::TOO_MANY_REQUESTS
                            || s == StatusCode::REQUEST_TIMEOUT
                            || s.is_server_error()
                    })
            }
            _ => false,
        }
    }

    /// The HTTP status of the gateway's answer, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Ambiguous(e) => e.status,
            Error::Provider(e) => e.status,
            Error::Decode(e) => Some(e.status),
            Error::ResponseTooLarge { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The gateway's error code as the text it sent (`"1004"`), when it sent one.
    ///
    /// ```
    /// # use cardflo_client::Error;
    /// # fn check(error: &Error) {
    /// if error.provider_code() == Some("3004") {
    ///     // the merchantTransactionId was used before
    /// }
    /// # }
    /// ```
    pub fn provider_code(&self) -> Option<&str> {
        match self {
            Error::Ambiguous(e) => e.raw_code.as_deref(),
            Error::Provider(e) => e.raw_code.as_deref(),
            _ => None,
        }
    }

    /// The gateway's error code, typed ([`ErrorCode::Unknown`] keeps a code this crate does not
    /// know), when it sent one.
    ///
    /// ```
    /// # use cardflo_client::{Error, model::ErrorCode};
    /// # fn check(error: &Error) {
    /// if error.error_code() == Some(&ErrorCode::DuplicateTransactionId) {
    ///     // the merchantTransactionId was used before
    /// }
    /// # }
    /// ```
    pub fn error_code(&self) -> Option<&ErrorCode> {
        match self {
            Error::Ambiguous(e) => e.code.as_ref(),
            Error::Provider(e) => e.code.as_ref(),
            _ => None,
        }
    }

    /// How long the gateway asked to wait (`Retry-After`), when it did.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Provider(e) => e.retry_after,
            _ => None,
        }
    }

    /// Whether the gateway reported error 8001, "transaction not found": the transaction was
    /// never created, so it is safe to send it again with the same `merchantTransactionId`.
    pub fn is_transaction_not_found(&self) -> bool {
        matches!(self.error_code(), Some(ErrorCode::TransactionNotFound))
    }

    pub(crate) fn invalid_request(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::InvalidRequest {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

fn processed_note(may_have_been_processed: &bool) -> &'static str {
    if *may_have_been_processed {
        "; the request may have been processed, reconcile before retrying"
    } else {
        ""
    }
}

/// Why the outcome of a state-changing call is unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AmbiguousReason {
    /// No answer arrived within the timeout.
    Timeout,
    /// The connection broke after (part of) the request was written.
    ConnectionLost,
    /// The gateway (or a proxy in front of it) answered with a 5xx status.
    ServerError,
    /// The answer's body could not be read completely.
    IncompleteResponse,
}

impl fmt::Display for AmbiguousReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AmbiguousReason::Timeout => "timed out waiting for the answer",
            AmbiguousReason::ConnectionLost => "connection lost after sending",
            AmbiguousReason::ServerError => "server error",
            AmbiguousReason::IncompleteResponse => "incomplete answer",
        })
    }
}

/// A state-changing call whose outcome is unknown. See [`Error::Ambiguous`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub struct AmbiguousError {
    /// The operation (`debit`, `capture`, `start_schedule`).
    pub operation: &'static str,
    /// Why the outcome is unknown.
    pub reason: AmbiguousReason,
    /// The `merchantTransactionId` to reconcile with, for transaction calls.
    pub merchant_transaction_id: Option<String>,
    /// The HTTP status, when an answer arrived.
    pub status: Option<StatusCode>,
    /// The gateway's error code, when the answer carried one.
    pub code: Option<ErrorCode>,
    /// The error code as the gateway sent it (`"1008"`).
    pub raw_code: Option<String>,
    /// A scrubbed excerpt of the answer's body, when there was one.
    pub body_excerpt: Option<String>,
    /// The underlying transport error, without the URL.
    #[source]
    pub source: Option<BoxError>,
}

impl fmt::Display for AmbiguousError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: the request may have been processed ({}",
            self.operation, self.reason
        )?;
        if let Some(status) = self.status {
            write!(f, ", HTTP {}", status.as_u16())?;
        }
        f.write_str("); reconcile by merchantTransactionId before retrying")
    }
}

impl AmbiguousError {
    pub(crate) fn new(operation: &'static str, reason: AmbiguousReason) -> Self {
        Self {
            operation,
            reason,
            merchant_transaction_id: None,
            status: None,
            code: None,
            raw_code: None,
            body_excerpt: None,
            source: None,
        }
    }

    pub(crate) fn with_status(mut self, status: StatusCode) -> Self {
        self.status = Some(status);
        self
    }
}

/// The gateway answered with an error. See [`Error::Provider`].
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub struct ProviderError {
    /// The operation (`debit`, `status_by_uuid`).
    pub operation: &'static str,
    /// The HTTP status of the answer.
    pub status: Option<StatusCode>,
    /// The gateway's error code (`errorCode`/`code`), when present.
    pub code: Option<ErrorCode>,
    /// The error code as the gateway sent it (`"1004"`; a JSON number as its digits).
    pub raw_code: Option<String>,
    /// The gateway's message (`errorMessage`/`message`), scrubbed.
    pub message: Option<String>,
    /// The `Retry-After` the gateway asked for.
    pub retry_after: Option<Duration>,
    /// A scrubbed excerpt of the answer's body.
    pub body_excerpt: String,
    /// Whether a state-changing call may have been processed despite the error: the gateway
    /// reported a failure of its own or of the upstream system (codes 1001, 1008, 3001, 3005,
    /// 9999) rather than a rejected request.
    pub may_have_been_processed: bool,
}

impl ProviderError {
    /// Error codes that report a failure during processing rather than a rejected request.
    pub(crate) fn code_may_mean_processed(code: Option<&ErrorCode>) -> bool {
        matches!(
            code,
            Some(
                ErrorCode::InvalidResponse
                    | ErrorCode::UnexpectedSystemError
                    | ErrorCode::Timeout
                    | ErrorCode::CommunicationError
                    | ErrorCode::UnknownError
            )
        )
    }
}

impl fmt::Display for ProviderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: the gateway answered with an error", self.operation)?;
        if let Some(code) = &self.code {
            write!(f, " {code}")?;
        }
        if let Some(status) = self.status {
            write!(f, " (HTTP {})", status.as_u16())?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        if self.may_have_been_processed {
            f.write_str("; the request may have been processed, reconcile before retrying")?;
        }
        Ok(())
    }
}

/// The gateway's answer could not be decoded. See [`Error::Decode`].
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub struct DecodeError {
    /// The operation (`debit`, `status_by_uuid`).
    pub operation: &'static str,
    /// The HTTP status of the answer.
    pub status: StatusCode,
    /// The JSON path of the field that failed (`returnData.expiryMonth`; `.` for the whole body).
    pub path: String,
    /// What was wrong (scrubbed).
    pub message: String,
    /// A scrubbed excerpt of the body.
    pub body_excerpt: String,
    /// Whether the request may have been processed (a state-changing call answered with a
    /// success status whose body could not be read).
    pub may_have_been_processed: bool,
}

impl DecodeError {
    pub(crate) fn new(
        operation: &'static str,
        status: StatusCode,
        path: String,
        message: String,
        body_excerpt: String,
        may_have_been_processed: bool,
    ) -> Self {
        Self {
            operation,
            status,
            path,
            message,
            body_excerpt,
            may_have_been_processed,
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: cannot decode the answer (HTTP {}) at `{}`: {}",
            self.operation,
            self.status.as_u16(),
            self.path,
            self.message
        )?;
        if self.may_have_been_processed {
            f.write_str("; the request may have been processed, reconcile before retrying")?;
        }
        Ok(())
    }
}

/// Why an inbound notification was rejected. See [`Error::Webhook`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// A required header is missing.
    #[error("notification rejected: missing header `{0}`")]
    MissingHeader(&'static str),
    /// A header is present but not readable (not visible ASCII).
    #[error("notification rejected: unreadable header `{0}`")]
    InvalidHeader(&'static str),
    /// The `Date`/`X-Date` header is not an HTTP date.
    #[error("notification rejected: the date header is not an HTTP date")]
    InvalidDate,
    /// The signed date is further from now than the tolerance: a stale or replayed notification.
    #[error(
        "notification rejected: the signed date is {skew_seconds} s away from now (tolerance {tolerance_seconds} s)"
    )]
    OutsideTolerance {
        /// How far the signed date is from now.
        skew_seconds: u64,
        /// The configured tolerance.
        tolerance_seconds: u64,
    },
    /// `X-Signature` does not match the request.
    #[error("notification rejected: invalid signature")]
    InvalidSignature,
    /// The verified body is not a notification.
    #[error("notification verified but not decodable at `{path}`: {message}")]
    Payload {
        /// The JSON path of the field that failed.
        path: String,
        /// What was wrong (scrubbed).
        message: String,
        /// A scrubbed excerpt of the body.
        body_excerpt: String,
    },
}

impl From<WebhookError> for Error {
    fn from(e: WebhookError) -> Self {
        Error::Webhook(Box::new(e))
    }
}

impl From<AmbiguousError> for Error {
    fn from(e: AmbiguousError) -> Self {
        Error::Ambiguous(Box::new(e))
    }
}

impl From<ProviderError> for Error {
    fn from(e: ProviderError) -> Self {
        Error::Provider(Box::new(e))
    }
}

impl From<DecodeError> for Error {
    fn from(e: DecodeError) -> Self {
        Error::Decode(Box::new(e))
    }
}
