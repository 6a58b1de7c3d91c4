//! Moment's answers, decoded from their raw parts.
//!
//! Each function takes what came back for one operation — the status, the headers and the raw
//! body bytes — and gives what the [`Client`](crate::Client) method gives: the object, or the
//! same [`Error`]. The client runs exactly these functions on every answer (after reading at
//! most [`max_response_bytes`](crate::ClientBuilder::max_response_bytes) of the body), so they
//! serve to decode answers obtained another way (a proxy, a queue, a recorded exchange) and to
//! test the decoding in isolation.
//!
//! * A `2xx` body is decoded into the object; a body that does not decode is an
//!   [`Error::Decode`] naming the field path, with a scrubbed excerpt. Nesting deeper than 128
//!   levels is refused as a decode error, never by exhausting the stack.
//! * Any other status is an [`Error::Provider`]: the RFC 9457 problem document when the body is
//!   one, the `Retry-After` header (seconds or an HTTP date), `Idempotent-Replayed`.
//!
//! ```
//! use http::{HeaderMap, StatusCode};
//! use moment_client::{decode, Error, ProviderErrorKind};
//!
//! let body = br#"{"id": "pay_rOaZNqKZMFxsRb2NBL1cj", "status": "succeeded", "amount": 100001, "currency": "ZAR"}"#;
//! let payment = decode::retrieve_payment(StatusCode::OK, &HeaderMap::new(), body)?;
//! assert!(payment.is_succeeded());
//!
//! let problem = br#"{"type": "https://api.momentco.io/docs/errors#not-found", "title": "The requested resource was not found", "status": 404}"#;
//! let error = decode::retrieve_payment(StatusCode::NOT_FOUND, &HeaderMap::new(), problem).unwrap_err();
//! assert_eq!(error.provider_code(), Some("not-found"));
//! assert_eq!(error.as_provider().map(|p| p.kind()), Some(ProviderErrorKind::NotFound));
//! # Ok::<(), Error>(())
//! ```

use std::time::{Duration, SystemTime};

use http::header::{CONTENT_TYPE, RETRY_AFTER};
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use crate::Error;
use crate::client::{IDEMPOTENT_REPLAYED_HEADER, Operation};
use crate::error::{DecodeError, ProviderError};
use crate::model::{Payment, PaymentSession};

/// Decodes the answer to [`Client::create_payment_session`](crate::Client::create_payment_session)
/// (`POST /collect/payment_sessions`).
///
/// ```
/// use http::{HeaderMap, StatusCode};
/// let body = br#"{"id": "ps_1", "amount": 10000, "currency": "ZAR", "status": "active", "client_token": "ct_1"}"#;
/// let session = moment_client::decode::create_payment_session(StatusCode::CREATED, &HeaderMap::new(), body)?;
/// assert_eq!(session.amount, Some(10_000));
///
/// // A 409 on a create is a reused idempotency key; the session may exist.
/// let error = moment_client::decode::create_payment_session(StatusCode::CONFLICT, &HeaderMap::new(), b"{}").unwrap_err();
/// assert!(error.may_have_been_processed());
/// # Ok::<(), moment_client::Error>(())
/// ```
///
/// # Errors
///
/// [`Error::Decode`] for a `2xx` body that is not a session (it
/// [may have been created](Error::may_have_been_processed)), [`Error::Provider`] for any other
/// status.
pub fn create_payment_session(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<PaymentSession, Error> {
    raw(Operation::CreatePaymentSession, status, headers, body)
}

/// Decodes the answer to
/// [`Client::retrieve_payment_session`](crate::Client::retrieve_payment_session)
/// (`GET /collect/payment_sessions/{id}`).
///
/// ```
/// use http::{HeaderMap, StatusCode};
/// let body = br#"{"id": "ps_kfAWZgfQIoeG0q", "status": "completed", "payment_outcome": "paid"}"#;
/// let session = moment_client::decode::retrieve_payment_session(StatusCode::OK, &HeaderMap::new(), body)?;
/// assert!(session.is_paid());
/// # Ok::<(), moment_client::Error>(())
/// ```
///
/// # Errors
///
/// [`Error::Decode`] for a `2xx` body that is not a session, [`Error::Provider`] for any other
/// status.
pub fn retrieve_payment_session(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<PaymentSession, Error> {
    raw(Operation::RetrievePaymentSession, status, headers, body)
}

/// Decodes the answer to [`Client::retrieve_payment`](crate::Client::retrieve_payment)
/// (`GET /collect/payments/{id}`).
///
/// ```
/// use http::{HeaderMap, StatusCode};
/// let error = moment_client::decode::retrieve_payment(StatusCode::OK, &HeaderMap::new(), br#"{"id": "pay_1", "amount": "ten"}"#)
///     .unwrap_err();
/// assert!(error.to_string().contains("`amount`"));
/// ```
///
/// # Errors
///
/// [`Error::Decode`] for a `2xx` body that is not a payment, [`Error::Provider`] for any other
/// status.
pub fn retrieve_payment(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Payment, Error> {
    raw(Operation::RetrievePayment, status, headers, body)
}

/// Decodes the answer to [`Client::capture_payment`](crate::Client::capture_payment)
/// (`POST /collect/payments/{id}/captures`).
///
/// ```
/// use http::{HeaderMap, StatusCode};
/// use moment_client::ProviderErrorKind;
/// let problem = br#"{"type": "https://api.momentco.io/docs/errors#conflict", "title": "Conflict", "status": 409}"#;
/// let error = moment_client::decode::capture_payment(StatusCode::CONFLICT, &HeaderMap::new(), problem).unwrap_err();
/// assert_eq!(error.as_provider().map(|p| p.kind()), Some(ProviderErrorKind::AuthorizationExpired));
/// ```
///
/// # Errors
///
/// [`Error::Decode`] for a `2xx` body that is not a payment (the capture
/// [may have happened](Error::may_have_been_processed)), [`Error::Provider`] for any other
/// status.
pub fn capture_payment(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Payment, Error> {
    raw(Operation::CapturePayment, status, headers, body)
}

/// Decodes the answer to [`Client::void_payment`](crate::Client::void_payment)
/// (`POST /collect/payments/{id}/voids`).
///
/// ```
/// use http::{HeaderMap, HeaderValue, StatusCode};
/// let mut headers = HeaderMap::new();
/// headers.insert("retry-after", HeaderValue::from_static("7"));
/// let error = moment_client::decode::void_payment(StatusCode::SERVICE_UNAVAILABLE, &headers, b"").unwrap_err();
/// assert_eq!(error.retry_after(), Some(std::time::Duration::from_secs(7)));
/// assert!(error.may_have_been_processed() && error.is_retryable());
/// ```
///
/// # Errors
///
/// [`Error::Decode`] for a `2xx` body that is not a payment, [`Error::Provider`] for any other
/// status.
pub fn void_payment(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Payment, Error> {
    raw(Operation::VoidPayment, status, headers, body)
}

fn raw<T: DeserializeOwned>(
    operation: Operation,
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<T, Error> {
    answer(operation, status, headers, body, SystemTime::now(), None).map(|a| a.value)
}

/// A decoded answer, with what the client reports beside the object.
#[derive(Debug)]
pub(crate) struct Answer<T> {
    pub(crate) value: T,
    pub(crate) replayed: bool,
    pub(crate) status: StatusCode,
    pub(crate) idempotency_key: Option<String>,
}

/// Decodes an answer to `operation`; `now` reads a `Retry-After` date, `idempotency_key` is the
/// key the request carried.
pub(crate) fn answer<T: DeserializeOwned>(
    operation: Operation,
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    now: SystemTime,
    idempotency_key: Option<&str>,
) -> Result<Answer<T>, Error> {
    let replayed = header_text(headers, IDEMPOTENT_REPLAYED_HEADER)
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    if status.is_success() {
        return match DecodeError::decode::<T>(operation.as_str(), body) {
            Ok(value) => Ok(Answer {
                value,
                replayed,
                status,
                idempotency_key: idempotency_key.map(str::to_owned),
            }),
            Err(mut error) => {
                error.status = Some(status);
                error.content_type = header_text(headers, CONTENT_TYPE.as_str()).map(str::to_owned);
                error.idempotency_key = idempotency_key.map(str::to_owned);
                error.may_have_been_processed = operation.is_post();
                Err(Error::Decode(error))
            }
        };
    }
    Err(Error::Provider(Box::new(ProviderError::new(
        operation,
        status,
        body,
        idempotency_key.map(str::to_owned),
        retry_after(headers, now),
        replayed,
    ))))
}

fn header_text<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// `Retry-After` as a delay: whole seconds, or an HTTP date relative to `now`.
fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = header_text(headers, RETRY_AFTER.as_str())?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = payments_signing::http::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use http::HeaderValue;

    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_480);
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(7)));
        // 1445412480 is Wed, 21 Oct 2015 07:28:00 GMT.
        headers.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:30 GMT"),
        );
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(30)));
        headers.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:27:00 GMT"),
        );
        assert_eq!(retry_after(&headers, now), Some(Duration::ZERO));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers, now), None);
    }
}
