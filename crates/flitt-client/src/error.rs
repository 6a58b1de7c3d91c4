//! The crate's error type.
//!
//! Every failure of a call says which of these happened, because that decides what to do next:
//!
//! | kind | the request… | what to do |
//! |---|---|---|
//! | [`Error::InvalidRequest`] | was not sent (it failed local validation) | fix the input |
//! | [`Error::Transport`] | was not sent (connection or TLS failed) | retry |
//! | [`Error::Ambiguous`] | may have been sent and processed | reconcile with [`Client::order_status`](crate::Client::order_status) |
//! | [`Error::Provider`] | was answered with an error by Flitt | read [`Error::provider_code`] |
//! | [`Error::Decode`] | was answered, but the answer did not decode | reconcile |
//! | [`Error::Signature`] | was answered, but the answer's signature is wrong | reconcile; investigate |
//! | [`Error::ResponseTooLarge`] | was answered with a body over [`max_response_bytes`](crate::ClientBuilder::max_response_bytes) | reconcile |
//! | [`Error::Webhook`] | (an inbound callback was rejected) | answer the callback with a 4xx |
//! | [`Error::Config`] | (the client could not be built) | fix the configuration |
//!
//! [`Error::may_have_been_processed`] answers the question that decides between retrying and
//! reconciling; [`Error::is_retryable`] says whether sending the same request again is safe.

use std::time::Duration;

use http::StatusCode;

use crate::model::ErrorCode;

/// A `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong when talking to Flitt or verifying one of its callbacks.
///
/// No variant ever contains a secret key, a card number or a CVV2: bodies are scrubbed before
/// they are kept, and requests are never kept.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request failed local validation and was **not sent**.
    #[error("invalid request: `{field}` {reason}")]
    InvalidRequest {
        /// The parameter at fault (its wire name), or the request part.
        field: &'static str,
        /// What is wrong with it.
        reason: String,
    },

    /// The request was **not sent**: the connection could not be established (DNS, connect,
    /// TLS) or the request could not be built. Sending it again is safe.
    #[error("{operation}: transport error before the request was sent: {message}")]
    Transport {
        /// The operation, e.g. `recurring`.
        operation: &'static str,
        /// What failed.
        message: String,
        /// The underlying error.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },

    /// The request **may have been sent and processed**: the connection was lost or timed out
    /// after the request was written, or the gateway (or a proxy in front of it) answered with a
    /// 5xx status. Do not blindly send a payment again: query
    /// [`Client::order_status`](crate::Client::order_status) with the same `order_id` first
    /// (error 1018 "order not found" then means it never happened).
    #[error("{operation}: outcome unknown, the request may have been processed: {message}")]
    Ambiguous {
        /// The operation, e.g. `recurring`.
        operation: &'static str,
        /// The `order_id` of the request, to reconcile with.
        order_id: Option<String>,
        /// What happened.
        message: String,
        /// The HTTP status, when a response arrived.
        status: Option<StatusCode>,
        /// Whether sending the same request again is safe (read-only calls, captures with the
        /// same amount, reversals with the same `reverse_id`).
        retry_safe: bool,
        /// The underlying error.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },

    /// Flitt answered with an error (`response_status: "failure"`), or the HTTP exchange failed
    /// with a status that says the request was refused (4xx, 429, or 5xx on a call that is safe
    /// to repeat).
    #[error("{}", .0)]
    Provider(Box<ProviderError>),

    /// The response did not decode. For an operation that creates or changes a payment, the
    /// payment may have been processed.
    #[error("{}", .0)]
    Decode(Box<DecodeError>),

    /// The response's signature is missing or does not match its fields: it was not produced
    /// by Flitt with your key, or it was altered on the way. It is never returned as a result.
    #[error("{operation}: the response signature {problem}; the response was rejected")]
    Signature {
        /// The operation, e.g. `recurring`.
        operation: &'static str,
        /// `"does not match"` or `"is missing"`.
        problem: &'static str,
        /// Whether the request may have been processed (it reached the gateway, and the
        /// operation creates or changes a payment).
        may_have_been_processed: bool,
    },

    /// An inbound callback was rejected (see [`WebhookError`]).
    #[error("callback rejected: {0}")]
    Webhook(#[from] WebhookError),

    /// The response body was larger than
    /// [`max_response_bytes`](crate::ClientBuilder::max_response_bytes): it was refused as soon
    /// as its declared length, or the bytes read so far, passed the limit, and the rest was not
    /// read. For an operation that creates or changes a payment, the payment may have been
    /// processed.
    #[error("{operation}: the response (HTTP {}) is larger than {limit} bytes and was not read", .status.as_u16())]
    ResponseTooLarge {
        /// The operation, e.g. `recurring`.
        operation: &'static str,
        /// The HTTP status of the response.
        status: StatusCode,
        /// The limit in bytes.
        limit: usize,
        /// Whether the request may have been processed (it reached the gateway, and the
        /// operation creates or changes a payment).
        may_have_been_processed: bool,
    },

    /// The client could not be built.
    #[error("invalid client configuration: {0}")]
    Config(String),
}

/// The details of [`Error::Provider`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ProviderError {
    /// The operation, e.g. `recurring`.
    pub operation: &'static str,
    /// The HTTP status (Flitt answers errors with 200).
    pub status: StatusCode,
    /// Flitt's `error_code`, when the body carried one.
    pub code: Option<ErrorCode>,
    /// Flitt's `error_code` as the text it sent (`"1014"`, whether it came as a number or a
    /// string), when the body carried one.
    pub code_text: Option<String>,
    /// Flitt's `error_message`, or a short description of the HTTP failure.
    pub message: String,
    /// Flitt's `request_id`, to quote to Flitt support.
    pub request_id: Option<String>,
    /// A scrubbed excerpt of the body (no card numbers, CVV2 or keys).
    pub body_excerpt: String,
    /// The delay the gateway asked for with `Retry-After`, if any.
    pub retry_after: Option<Duration>,
}

impl std::fmt::Display for ProviderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: Flitt answered ", self.operation)?;
        match &self.code {
            Some(code) => write!(f, "error {}: {}", code.code(), self.message)?,
            None => write!(f, "HTTP {}: {}", self.status.as_u16(), self.message)?,
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request_id {id})")?;
        }
        Ok(())
    }
}

/// The details of [`Error::Decode`].
#[derive(Debug)]
#[non_exhaustive]
pub struct DecodeError {
    /// The operation, e.g. `recurring`.
    pub operation: &'static str,
    /// The HTTP status of the response.
    pub status: StatusCode,
    /// Where decoding failed, e.g. `response.order_status` or
    /// `response.additional_info.transaction_id`; empty when the body is not JSON at all.
    pub path: String,
    /// What was wrong.
    pub message: String,
    /// A scrubbed excerpt of the body (no card numbers, CVV2 or keys).
    pub body_excerpt: String,
    /// Whether the request may have been processed.
    pub may_have_been_processed: bool,
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: the response (HTTP {}) did not decode",
            self.operation,
            self.status.as_u16()
        )?;
        if !self.path.is_empty() {
            write!(f, " at `{}`", self.path)?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for DecodeError {}

/// Why an inbound callback was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The request is not a `POST`.
    #[error("method {0} is not POST")]
    Method(String),
    /// The body is neither JSON nor form-encoded, or is empty.
    #[error("unsupported or missing body: {0}")]
    Body(String),
    /// The body has no `signature`.
    #[error("the notification carries no signature")]
    MissingSignature,
    /// The signature does not match the fields under the configured key(s).
    #[error("the signature does not match")]
    BadSignature,
    /// The notification is for another merchant.
    #[error("merchant_id {received} is not {expected}")]
    MerchantMismatch {
        /// The merchant configured in the verifier.
        expected: u64,
        /// The merchant in the notification (empty when absent).
        received: String,
    },
    /// The signed notification did not decode into an order.
    #[error("the notification did not decode at `{path}`: {message}")]
    Decode {
        /// The failing field path.
        path: String,
        /// What was wrong.
        message: String,
    },
}

impl Error {
    /// Whether the request may have reached Flitt and been processed — a payment may exist even
    /// though this call failed. When `true`, do not send a payment again with a new `order_id`:
    /// reconcile with [`Client::order_status`](crate::Client::order_status).
    ///
    /// ```
    /// # fn f(err: flitt_client::Error) {
    /// if err.may_have_been_processed() {
    ///     // query the order status before doing anything else
    /// }
    /// # }
    /// ```
    pub fn may_have_been_processed(&self) -> bool {
        match self {
            Error::Ambiguous { .. } => true,
            Error::Decode(d) => d.may_have_been_processed,
            Error::Signature {
                may_have_been_processed,
                ..
            }
            | Error::ResponseTooLarge {
                may_have_been_processed,
                ..
            } => *may_have_been_processed,
            Error::InvalidRequest { .. }
            | Error::Transport { .. }
            | Error::Provider(_)
            | Error::Webhook(_)
            | Error::Config(_) => false,
        }
    }

    /// Whether sending the same request again is safe and may succeed: transport failures
    /// before sending, rate limiting (429), and failures of calls that are safe to repeat.
    /// Payment creation that ended ambiguously is **not** retryable: reconcile first.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport { .. } => true,
            Error::Ambiguous { retry_safe, .. } => *retry_safe,
            Error::Provider(p) => {
                p.code.is_none()
                    && (p.status == StatusCode::TOO_MANY_REQUESTS || p.status.is_server_error())
            }
            Error::InvalidRequest { .. }
            | Error::Decode(_)
            | Error::Signature { .. }
            | Error::ResponseTooLarge { .. }
            | Error::Webhook(_)
            | Error::Config(_) => false,
        }
    }

    /// The HTTP status, when a response was received.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Ambiguous { status, .. } => *status,
            Error::Provider(p) => Some(p.status),
            Error::Decode(d) => Some(d.status),
            Error::ResponseTooLarge { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Flitt's error code as the text it sent (e.g. `"1014"` "Invalid signature", `"1018"`
    /// "Order not found"), when Flitt answered with a request error. See
    /// [`error_code`](Self::error_code) for the typed code.
    ///
    /// ```
    /// # fn f(err: flitt_client::Error) {
    /// if err.provider_code() == Some("1018") {
    ///     // the order does not exist
    /// }
    /// # }
    /// ```
    pub fn provider_code(&self) -> Option<&str> {
        match self {
            Error::Provider(p) => p.code_text.as_deref(),
            _ => None,
        }
    }

    /// Flitt's error code, typed, when Flitt answered with a request error.
    ///
    /// ```
    /// use flitt_client::{Error, ErrorCode};
    /// # fn f(err: Error) {
    /// if err.error_code() == Some(ErrorCode::OrderNotFound) {
    ///     // the order does not exist
    /// }
    /// # }
    /// ```
    pub fn error_code(&self) -> Option<ErrorCode> {
        match self {
            Error::Provider(p) => p.code,
            _ => None,
        }
    }

    /// The delay the gateway asked for with `Retry-After`, if any.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Provider(p) => p.retry_after,
            _ => None,
        }
    }

    pub(crate) fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        Error::InvalidRequest {
            field,
            reason: reason.into(),
        }
    }
}

/// Masks card numbers, CVV2 values, tokens of card data and the given secrets in a body before
/// it is kept in an error, and cuts it to a short excerpt.
pub(crate) fn scrub(body: &[u8], secrets: &[&str]) -> String {
    const MAX: usize = 512;
    // Only the head of a body is ever shown, so only the head is scrubbed (a large body must
    // not cost more than a small one). A cut through a run of digits drops the run, so a card
    // number split by the cut cannot show its first digits unmasked.
    const HEAD: usize = 4096;
    let head = if body.len() > HEAD {
        let cut = &body[..HEAD];
        let keep = cut
            .iter()
            .rposition(|b| !(b.is_ascii_digit() || *b == b' ' || *b == b'-'))
            .map_or(0, |i| i + 1);
        &cut[..keep]
    } else {
        body
    };
    let text = String::from_utf8_lossy(head);
    let mut out = mask_sensitive_values(&text);
    out = mask_digit_runs(&out);
    for secret in secrets {
        if !secret.is_empty() {
            out = out.replace(secret, "[REDACTED]");
        }
    }
    if out.chars().count() > MAX || head.len() < body.len() {
        let cut: String = out.chars().take(MAX).collect();
        format!("{cut}…")
    } else {
        out
    }
}

/// Keys whose values never appear in an excerpt.
const SENSITIVE_KEYS: [&str; 6] = [
    "card_number",
    "receiver_card_number",
    "cvv2",
    "expiry_date",
    "pares",
    "pareq",
];

/// Replaces the value of `"key": "value"` / `key=value` pairs for sensitive keys.
fn mask_sensitive_values(text: &str) -> String {
    let mut out = text.to_owned();
    for key in SENSITIVE_KEYS {
        // JSON: "key" : "value" or "key": 123
        let quoted = format!("\"{key}\"");
        let mut search_from = 0;
        while let Some(found) = out[search_from..].find(&quoted) {
            let key_end = search_from + found + quoted.len();
            let rest = &out[key_end..];
            let after_colon = rest.trim_start();
            if !after_colon.starts_with(':') {
                search_from = key_end;
                continue;
            }
            let colon_at = key_end + (rest.len() - after_colon.len());
            let value_part = out[colon_at + 1..].trim_start();
            let value_start = out.len() - value_part.len();
            let value_len = json_scalar_len(value_part);
            out.replace_range(value_start..value_start + value_len, "\"[REDACTED]\"");
            search_from = value_start + "\"[REDACTED]\"".len();
        }
        // Form: key=value
        let eq = format!("{key}=");
        let mut search_from = 0;
        while let Some(found) = out[search_from..].find(&eq) {
            let start = search_from + found;
            let boundary_ok =
                start == 0 || matches!(out.as_bytes()[start - 1], b'&' | b'?' | b'\n' | b' ');
            let value_start = start + eq.len();
            if !boundary_ok {
                search_from = value_start;
                continue;
            }
            let value_len = out[value_start..]
                .find('&')
                .unwrap_or(out.len() - value_start);
            out.replace_range(value_start..value_start + value_len, "[REDACTED]");
            search_from = value_start + "[REDACTED]".len();
        }
    }
    out
}

/// The length of the JSON scalar at the start of `s` (a string with escapes, or a bare token).
fn json_scalar_len(s: &str) -> usize {
    let bytes = s.as_bytes();
    if bytes.first() == Some(&b'"') {
        let mut i = 1;
        while i < bytes.len() {
            match bytes[i] {
                b'\\' => i += 2,
                b'"' => return i + 1,
                _ => i += 1,
            }
        }
        bytes.len()
    } else {
        s.find([',', '}', ']', '\n', '\r', ' ']).unwrap_or(s.len())
    }
}

/// Masks every run of 13 to 19 digits (possibly separated by single spaces or dashes), the
/// shape of a card number, keeping its first 6 and last 4 digits.
fn mask_digit_runs(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_ascii_alphanumeric()) {
            // Collect a run of digits with single separators.
            let mut j = i;
            let mut digits = Vec::new();
            while j < chars.len() {
                if chars[j].is_ascii_digit() {
                    digits.push(j);
                    j += 1;
                } else if (chars[j] == ' ' || chars[j] == '-')
                    && j + 1 < chars.len()
                    && chars[j + 1].is_ascii_digit()
                {
                    j += 1;
                } else {
                    break;
                }
            }
            let ends_cleanly = j == chars.len() || !chars[j].is_ascii_alphanumeric();
            if (13..=19).contains(&digits.len()) && ends_cleanly {
                let keep_head = 6;
                let keep_tail = 4;
                for (n, &pos) in digits.iter().enumerate() {
                    if n < keep_head || n >= digits.len() - keep_tail {
                        out.push(chars[pos]);
                    } else {
                        out.push('X');
                    }
                }
                i = j;
                continue;
            }
            // Not a card number: copy the run as it is.
            for c in &chars[i..j] {
                out.push(*c);
            }
            i = j;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrub_masks_card_numbers_cvv_and_secrets() {
        let body = br#"{"request":{"card_number":"4444555566661111","cvv2":"123","note":"card 4444 5555 6666 1111","rrn":"332518927710","key":"s3cr3t-key"}}"#;
        let out = scrub(body, &["s3cr3t-key"]);
        assert!(!out.contains("4444555566661111"), "{out}");
        assert!(!out.contains("4444 5555 6666 1111"), "{out}");
        assert!(!out.contains("\"123\""), "{out}");
        assert!(!out.contains("s3cr3t-key"), "{out}");
        // A 12-digit RRN is not a card number and stays readable.
        assert!(out.contains("332518927710"), "{out}");
    }

    #[test]
    fn scrub_masks_form_values_and_cuts_long_bodies() {
        let out = scrub(b"order_id=1&cvv2=987&card_number=5555666644441111", &[]);
        assert_eq!(out, "order_id=1&cvv2=[REDACTED]&card_number=[REDACTED]");
        let long = "a".repeat(2000);
        assert!(scrub(long.as_bytes(), &[]).chars().count() <= 513);
    }

    #[test]
    fn scrub_reads_only_the_head_of_a_large_body_and_never_shows_a_cut_card_number() {
        // A card number straddling the cut at 4096 bytes: its first digits must not show.
        let mut body = "x".repeat(4090).into_bytes();
        body.extend_from_slice(b"4444555566661111 and more");
        body.extend_from_slice(&vec![b'y'; 10 * 1024 * 1024]);
        let started = std::time::Instant::now();
        let out = scrub(&body, &[]);
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        assert!(!out.contains("444455"), "{out}");
        assert!(out.ends_with('…'));
        // Many sensitive keys in a large body cost no more than in a small one.
        let many = r#"{"cvv2": "123", "card_number": "4444555566661111"} "#.repeat(200_000);
        let started = std::time::Instant::now();
        let out = scrub(many.as_bytes(), &[]);
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        assert!(!out.contains("\"123\"") && !out.contains("4444555566661111"));
    }

    #[test]
    fn predicates_follow_the_kind() {
        let ambiguous = Error::Ambiguous {
            operation: "recurring",
            order_id: Some("o1".into()),
            message: "timed out".into(),
            status: None,
            retry_safe: false,
            source: None,
        };
        assert!(ambiguous.may_have_been_processed());
        assert!(!ambiguous.is_retryable());
        let transport = Error::Transport {
            operation: "recurring",
            message: "connection refused".into(),
            source: None,
        };
        assert!(!transport.may_have_been_processed());
        assert!(transport.is_retryable());
        let provider = Error::Provider(Box::new(ProviderError {
            operation: "recurring",
            status: StatusCode::OK,
            code: Some(ErrorCode::OrderNotFound),
            code_text: Some("1018".into()),
            message: "Order not found".into(),
            request_id: None,
            body_excerpt: String::new(),
            retry_after: None,
        }));
        assert!(!provider.may_have_been_processed());
        assert!(!provider.is_retryable());
        assert_eq!(provider.error_code(), Some(ErrorCode::OrderNotFound));
        assert_eq!(provider.provider_code(), Some("1018"));
        assert_eq!(provider.status(), Some(StatusCode::OK));
    }
}
