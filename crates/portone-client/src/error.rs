//! The crate's [`Error`]: what happened, and whether the request may have been processed.
//!
//! | kind | sent? | what to do |
//! |---|---|---|
//! | [`Error::InvalidRequest`] | no | fix the request ([`Error::rule`] names the rule) |
//! | [`Error::Transport`] | no | safe to retry |
//! | [`Error::Ambiguous`] | maybe | **reconcile** (e.g. [`Client::transaction_status`](crate::Client::transaction_status)) before sending a payment again |
//! | [`Error::Provider`] | yes, refused | read [`ProviderError::hint`]; retry only when [`Error::is_retryable`] |
//! | [`Error::Decode`] | yes | the answer did not decode; a 2xx payment may have gone through |
//! | [`Error::ResponseTooLarge`] | yes | the answer exceeded [`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes); a payment may have gone through |
//! | [`Error::Webhook`] | — | an inbound message failed verification or parsing |
//! | [`Error::Config`] | no | fix the client configuration |
//!
//! No variant ever holds a secret, a token, a card number or a full response body: bodies are
//! kept as scrubbed excerpts and URLs are removed from transport errors.

use std::fmt;
use std::time::Duration;

use http::StatusCode;

use crate::model::{AMOUNT_RULE_HINT, CodeClass, ResultCode, StatusReason};

/// Everything that can go wrong in this crate.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request was refused locally and **not sent**.
    #[error("invalid request ({rule}): {message}")]
    InvalidRequest {
        /// The rule that was violated.
        rule: Rule,
        /// What is wrong, naming the field.
        message: String,
    },
    /// The connection failed before the request was sent (DNS, connect, TLS). Nothing reached
    /// PortOne.
    #[error("{operation}: the request could not be sent: {source}")]
    Transport {
        /// The operation, e.g. `initiate_payment`.
        operation: &'static str,
        /// The underlying error (its URL removed).
        #[source]
        source: reqwest::Error,
    },
    /// The request may have reached PortOne and been processed, but no usable answer came back:
    /// a timeout or a connection lost after the request was written, or a 5xx answer to a call
    /// that is not idempotent. Reconcile before retrying a payment.
    #[error(
        "{operation}: outcome unknown ({reason}); the request may have been processed, reconcile before retrying"
    )]
    Ambiguous {
        /// The operation, e.g. `initiate_payment`.
        operation: &'static str,
        /// What happened, e.g. `timed out` or `HTTP 502`.
        reason: String,
        /// The HTTP status, when an answer arrived.
        status: Option<StatusCode>,
        /// PortOne's `status_code`, when the answer carried one.
        provider_code: Option<ResultCode>,
        /// Whether the operation is safe to repeat (a read).
        idempotent: bool,
        /// The underlying transport error, if any (its URL removed).
        #[source]
        source: Option<reqwest::Error>,
    },
    /// PortOne answered with an error.
    #[error(transparent)]
    Provider(Box<ProviderError>),
    /// The answer could not be decoded.
    #[error(transparent)]
    Decode(Box<DecodeError>),
    /// An inbound redirect or webhook failed verification or parsing.
    #[error(transparent)]
    Webhook(#[from] WebhookError),
    /// The answer's body was larger than
    /// [`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes) (default
    /// 4 MiB); it was refused without being read to the end.
    #[error(
        "{operation}: the HTTP {status} answer is larger than the {limit}-byte limit and was not read"
    )]
    ResponseTooLarge {
        /// The operation, e.g. `initiate_payment`.
        operation: &'static str,
        /// The HTTP status of the answer.
        status: StatusCode,
        /// The limit in bytes.
        limit: usize,
        /// The `Content-Length` the answer declared, if any.
        declared: Option<u64>,
        /// Whether the operation is safe to repeat (a read).
        idempotent: bool,
    },
    /// The client configuration is unusable (e.g. a base URL that cannot be a base, or a TLS
    /// backend that failed to initialise).
    #[error("configuration error: {0}")]
    Config(String),
}

impl Error {
    pub(crate) fn invalid(rule: Rule, message: impl Into<String>) -> Self {
        Self::InvalidRequest {
            rule,
            message: message.into(),
        }
    }

    /// `true` when the request may have reached PortOne and been acted upon although no
    /// successful answer was received: reconcile (look the order up) before sending a payment
    /// again.
    pub fn may_have_been_processed(&self) -> bool {
        match self {
            Self::Ambiguous { .. } => true,
            // A 2xx whose body did not decode: the call went through.
            Self::Decode(e) => e.status.is_success(),
            // Unread: unless PortOne refused the call (4xx), a payment may have gone through.
            Self::ResponseTooLarge {
                status, idempotent, ..
            } => !idempotent && !status.is_client_error(),
            _ => false,
        }
    }

    /// `true` when sending the same request again is safe and may succeed: nothing was sent,
    /// PortOne asked to slow down (429), or a read failed in a way that may be transient.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Transport { .. } => true,
            Self::Ambiguous { idempotent, .. } => *idempotent,
            Self::Provider(e) => {
                e.status == StatusCode::TOO_MANY_REQUESTS
                    || (e.idempotent && e.status.is_server_error())
            }
            _ => false,
        }
    }

    /// The HTTP status, when PortOne answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Ambiguous { status, .. } => *status,
            Self::Provider(e) => Some(e.status),
            Self::Decode(e) => Some(e.status),
            Self::ResponseTooLarge { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// PortOne's `status_code` as the text it sent (e.g. `"4054"`), when the answer carried one.
    pub fn provider_code(&self) -> Option<&str> {
        self.error_code().map(ResultCode::as_str)
    }

    /// PortOne's `status_code`, typed ([`ResultCode::class`] tells pending, validation, bank
    /// and channel errors apart), when the answer carried one.
    pub fn error_code(&self) -> Option<&ResultCode> {
        match self {
            Self::Ambiguous { provider_code, .. } => provider_code.as_ref(),
            Self::Provider(e) => e.code.as_ref(),
            _ => None,
        }
    }

    /// The delay PortOne asked for with `Retry-After` (seconds or an HTTP date), if any.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Provider(e) => e.retry_after,
            _ => None,
        }
    }

    /// The rule an [`Error::InvalidRequest`] names.
    pub fn rule(&self) -> Option<Rule> {
        match self {
            Self::InvalidRequest { rule, .. } => Some(*rule),
            _ => None,
        }
    }

    /// The troubleshooting advice PortOne's documentation gives for this error, if any.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            Self::Provider(e) => e.hint(),
            Self::InvalidRequest {
                rule: Rule::OrderAmountSum,
                ..
            } => Some(AMOUNT_RULE_HINT),
            Self::InvalidRequest {
                rule: Rule::Environment,
                ..
            } => StatusReason::InvalidEnvironment.hint(),
            _ => None,
        }
    }

    /// The error PortOne answered with, if this is [`Error::Provider`].
    pub fn as_provider(&self) -> Option<&ProviderError> {
        match self {
            Self::Provider(e) => Some(e),
            _ => None,
        }
    }

    /// The decode failure, if this is [`Error::Decode`].
    pub fn as_decode(&self) -> Option<&DecodeError> {
        match self {
            Self::Decode(e) => Some(e),
            _ => None,
        }
    }
}

/// The rules checked before a request is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Rule {
    /// An environment (`sandbox` or `live`) must be chosen (PortOne: `INVALID_ENVIRONMENT`).
    Environment,
    /// A required field is missing or empty.
    Required,
    /// An amount is zero, negative or too large.
    AmountRange,
    /// An amount has more than two decimals or cannot be sent exactly.
    AmountPrecision,
    /// `sum(price × quantity) + shipping_charges (+ tax) − promo_discount` must equal `amount`
    /// when order items are given, and the merchant details carrying the shipping charges and
    /// promo discount must be present.
    OrderAmountSum,
    /// An order item is invalid (quantity zero, empty name or id).
    OrderItem,
    /// A currency is not a 3-letter ISO 4217 code.
    Currency,
    /// A country code is not a 2-letter ISO 3166 code.
    CountryCode,
    /// A URL does not parse as an absolute URL.
    Url,
    /// A card number is not 12–19 digits with a valid Luhn check digit.
    CardNumber,
    /// A CVV/CVC is not 3 or 4 digits.
    Cvv,
    /// An expiry month/year is not `MM` (01–12) / `YYYY`.
    CardExpiry,
    /// A phone number is not `+` followed by 8–15 digits.
    Phone,
    /// An OTP is not 4–8 digits.
    Otp,
    /// A reference used in a URL path is empty or contains characters other than letters,
    /// digits, `-`, `_` and `.`.
    Reference,
    /// A value is outside its documented range (e.g. `expiry_hours` zero).
    Range,
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Environment => "environment",
            Self::Required => "required",
            Self::AmountRange => "amount-range",
            Self::AmountPrecision => "amount-precision",
            Self::OrderAmountSum => "order-amount-sum",
            Self::OrderItem => "order-item",
            Self::Currency => "currency",
            Self::CountryCode => "country-code",
            Self::Url => "url",
            Self::CardNumber => "card-number",
            Self::Cvv => "cvv",
            Self::CardExpiry => "card-expiry",
            Self::Phone => "phone",
            Self::Otp => "otp",
            Self::Reference => "reference",
            Self::Range => "range",
        })
    }
}

/// PortOne answered with an error.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ProviderError {
    /// The operation, e.g. `create_payment_link`.
    pub operation: &'static str,
    /// The HTTP status (200 when PortOne reported a failure in a 200 answer).
    pub status: StatusCode,
    /// PortOne's `status_code`.
    pub code: Option<ResultCode>,
    /// PortOne's `status_reason` (or `status_message`).
    pub reason: Option<StatusReason>,
    /// PortOne's `message`, scrubbed.
    pub message: Option<String>,
    /// A scrubbed excerpt of the body.
    pub body: String,
    /// The `Retry-After` delay PortOne asked for.
    pub retry_after: Option<Duration>,
    pub(crate) idempotent: bool,
}

impl ProviderError {
    /// The class of [`ProviderError::code`].
    pub fn class(&self) -> CodeClass {
        self.code
            .as_ref()
            .map_or(CodeClass::Unknown, ResultCode::class)
    }

    /// The troubleshooting advice PortOne's documentation gives for this error, if any.
    pub fn hint(&self) -> Option<&'static str> {
        if let Some(hint) = self.reason.as_ref().and_then(StatusReason::hint) {
            return Some(hint);
        }
        let message = self
            .message
            .as_deref()
            .unwrap_or_default()
            .to_ascii_lowercase();
        if message.contains("summation of order value") {
            return Some(AMOUNT_RULE_HINT);
        }
        if message.contains("environment") {
            return StatusReason::InvalidEnvironment.hint();
        }
        None
    }
}

impl fmt::Display for ProviderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: PortOne answered HTTP {}",
            self.operation, self.status
        )?;
        if let Some(code) = &self.code {
            write!(f, " {code}")?;
        }
        if let Some(reason) = &self.reason {
            write!(f, " {reason}")?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        if let Some(hint) = self.hint() {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ProviderError {}

/// An answer that could not be decoded.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DecodeError {
    /// The operation, e.g. `transaction_status`.
    pub operation: &'static str,
    /// The HTTP status of the answer.
    pub status: StatusCode,
    /// The path of the field that failed (`content.status`, `refundDetails[0].amount`); `.` for
    /// the document itself (empty, not JSON, truncated).
    pub path: String,
    /// What was wrong, scrubbed.
    pub message: String,
    /// A scrubbed excerpt of the body.
    pub excerpt: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: could not decode the HTTP {} answer at `{}`: {} (body: {:?})",
            self.operation, self.status, self.path, self.message, self.excerpt
        )
    }
}

impl std::error::Error for DecodeError {}

/// Why an inbound redirect or webhook was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The message carries no `signature_hash`.
    #[error("the message carries no signature_hash")]
    MissingSignature,
    /// The `signature_hash` does not match the signed fields (tampered, or another secret).
    #[error("signature_hash does not match the signed fields")]
    SignatureMismatch,
    /// The message is not what was expected (not JSON, wrong type, not a query string).
    #[error("malformed message: {0}")]
    Malformed(String),
    /// The message is of no kind this verifier knows.
    #[error("unrecognised message: {0}")]
    Unrecognised(String),
}
