//! Pivot callbacks (webhooks): verify, parse, confirm, acknowledge.
//!
//! Pivot `POST`s `{"event": "...", "data": {...}}` to the URL registered in the dashboard, with
//! the merchant's **Callback API Key** in `X-API-Key`. The payload is **not signed**: the key
//! is the only proof of origin, so [`Verifier`] compares it in constant time before parsing,
//! and [`Event::confirm`] re-reads the session (or refund) from the API before you act on it.
//! Answer `200` ([`acknowledge`]) once the event is stored; Pivot retries on 5xx, 408 and 429
//! after 5 min, 15 min, 1 h, 3 h, 6 h and 12 h.
//!
//! ```
//! use session_tokenize_client::webhook::{self, Event, EventType, Verifier};
//!
//! let verifier = Verifier::new("my-callback-api-key");
//! // In a test, build a request the way Pivot sends it:
//! let body = br#"{"event":"PAYMENT.PAID","data":{"id":"bca0b57a-391e-4f6f-bfef-8cd37492ee5b","status":"PAID"}}"#;
//! let request = webhook::sign_notification("my-callback-api-key", body.to_vec());
//!
//! let event = verifier.verify(&request)?;
//! assert_eq!(event.event_type, EventType::PaymentPaid);
//! let response = webhook::acknowledge(); // 200
//! assert_eq!(response.status(), 200);
//! # Ok::<(), session_tokenize_client::Error>(())
//! ```

use std::fmt;

use payments_signing::digest::{constant_time_eq, sha512_hex};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use crate::error::WebhookError;
use crate::model::refund::Refund;
use crate::model::session::PaymentSession;
use crate::model::wire_enum;
use crate::{Client, Error, scrub};

/// The header that carries the Callback API Key.
pub const API_KEY_HEADER: &str = "x-api-key";

wire_enum! {
    /// The `event` of a callback.
    pub enum EventType {
        /// The session is being processed by the partner.
        PaymentProcessing => "PAYMENT.PROCESSING",
        /// A `SINGLE` session was paid.
        PaymentPaid => "PAYMENT.PAID",
        /// A charge of a `MULTIPLE` session succeeded.
        ChargeSuccess => "CHARGE.SUCCESS",
        /// The session was cancelled (by the shopper, a timeout or by hand).
        PaymentCancelled => "PAYMENT.CANCELLED",
        /// The dashboard's test delivery.
        PaymentTest => "PAYMENT.TEST",
        /// A refund was requested.
        RefundPending => "REFUND.PENDING",
        /// A refund waits for the fallback bank transfer (Pivot spells it
        /// `REFUND.WAITING_BANK_TRANFER`).
        RefundWaitingBankTransfer => "REFUND.WAITING_BANK_TRANFER" | "REFUND.WAITING_BANK_TRANSFER",
        /// A refund succeeded.
        RefundSuccess => "REFUND.SUCCESS",
        /// A refund failed.
        RefundFailed => "REFUND.FAILED",
    }
}

impl EventType {
    /// Whether the event is about a Payment Session (`PAYMENT.*`, `CHARGE.*`).
    pub fn is_payment(&self) -> bool {
        let raw = self.as_str();
        raw.starts_with("PAYMENT.") || raw.starts_with("CHARGE.")
    }

    /// Whether the event is about a refund (`REFUND.*`).
    pub fn is_refund(&self) -> bool {
        self.as_str().starts_with("REFUND.")
    }
}

/// What a callback is about.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum EventData {
    /// A Payment Session (payment and charge events).
    PaymentSession(Box<PaymentSession>),
    /// A refund (refund events).
    Refund(Box<Refund>),
    /// An unknown event, or a test delivery whose data is not a session, kept as JSON.
    Other(serde_json::Value),
}

/// A verified callback.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Event {
    /// The `event` field.
    pub event_type: EventType,
    /// The `data` field, typed.
    pub data: EventData,
}

impl Event {
    /// Parses a callback body **without verifying it**. Use [`Verifier::verify`] for requests
    /// from the network; this is for bodies you verified yourself or stored earlier.
    pub fn parse(body: &[u8]) -> Result<Self, Error> {
        #[derive(Deserialize)]
        struct Raw {
            event: String,
            #[serde(default)]
            data: serde_json::Value,
        }
        let raw: Raw = decode(body)?;
        let event_type = EventType::from(raw.event.as_str());
        let data = if event_type == EventType::PaymentTest {
            // Test events may carry any data: a session when it is one, the raw data otherwise.
            // Decoded from a borrow of the data, so the raw data needs no copy.
            match PaymentSession::deserialize(&raw.data) {
                Ok(session) => EventData::PaymentSession(Box::new(session)),
                Err(_) => EventData::Other(raw.data),
            }
        } else if event_type.is_payment() {
            EventData::PaymentSession(Box::new(decode_value::<PaymentSession>(&raw.data, body)?))
        } else if event_type.is_refund() {
            EventData::Refund(Box::new(decode_value::<Refund>(&raw.data, body)?))
        } else {
            EventData::Other(raw.data)
        };
        Ok(Self { event_type, data })
    }

    /// The Payment Session, for payment events.
    pub fn payment_session(&self) -> Option<&PaymentSession> {
        match &self.data {
            EventData::PaymentSession(s) => Some(s),
            _ => None,
        }
    }

    /// The refund, for refund events.
    pub fn refund(&self) -> Option<&Refund> {
        match &self.data {
            EventData::Refund(r) => Some(r),
            _ => None,
        }
    }

    /// Re-reads the event's subject from the API. The callback is unsigned, so act on what
    /// this returns — e.g. fulfil only if the fresh session [`is_paid`](PaymentSession::is_paid)
    /// — not on the callback body.
    ///
    /// ```no_run
    /// # use session_tokenize_client::{Client, webhook::{Confirmed, Event}};
    /// # async fn demo(client: Client, event: Event) -> Result<(), session_tokenize_client::Error> {
    /// match event.confirm(&client).await? {
    ///     Confirmed::PaymentSession(session) if session.is_paid() => { /* fulfil */ }
    ///     Confirmed::Refund(refund) => { /* update the refund */ let _ = refund; }
    ///     _ => { /* nothing to do yet */ }
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn confirm(&self, client: &Client) -> Result<Confirmed, Error> {
        match &self.data {
            EventData::PaymentSession(session) => client
                .get_payment_session(&session.id)
                .await
                .map(|s| Confirmed::PaymentSession(Box::new(s))),
            EventData::Refund(refund) => client
                .get_refund(&refund.id)
                .await
                .map(|r| Confirmed::Refund(Box::new(r))),
            EventData::Other(_) => Ok(Confirmed::Nothing),
        }
    }
}

/// The current state of a callback's subject, read from the API by [`Event::confirm`].
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Confirmed {
    /// The session as the API reports it now.
    PaymentSession(Box<PaymentSession>),
    /// The refund as the API reports it now.
    Refund(Box<Refund>),
    /// Unknown or test events: nothing to re-read.
    Nothing,
}

/// Decodes the whole body. Plain serde_json first; only a failure decodes the same bytes again
/// with the path tracked (it fails at the same place) to name the failing field.
fn decode<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Error> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value = match T::deserialize(&mut deserializer) {
        Ok(value) => value,
        Err(plain) => return Err(decode_error::<T>(body, plain)),
    };
    // Bytes after the JSON value (other than whitespace) make the whole body suspect.
    deserializer
        .end()
        .map_err(|e| Error::decode("", e.to_string(), None, scrub::excerpt(body), false))?;
    Ok(value)
}

#[cold]
fn decode_error<T: serde::de::DeserializeOwned>(body: &[u8], plain: serde_json::Error) -> Error {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let (path, error) = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Err(e) => (e.path().to_string(), e.into_inner()),
        // Unreachable (the same bytes decode the same way); keep the first error.
        Ok(_) => (String::new(), plain),
    };
    let message = scrub::mask_text(&error.to_string());
    Error::decode(
        crate::de::error_path(&path, &message),
        message,
        None,
        scrub::excerpt(body),
        false,
    )
}

/// Decodes `data` (borrowed: nothing is copied). Plain serde first; only a failure decodes it
/// again with the path tracked to name the failing field.
fn decode_value<T: serde::de::DeserializeOwned>(
    value: &serde_json::Value,
    body: &[u8],
) -> Result<T, Error> {
    T::deserialize(value).map_err(|plain| decode_value_error::<T>(value, body, plain))
}

#[cold]
fn decode_value_error<T: serde::de::DeserializeOwned>(
    value: &serde_json::Value,
    body: &[u8],
    plain: serde_json::Error,
) -> Error {
    // The owned value, as the path-tracking decode always read it.
    let (path, error) = match serde_path_to_error::deserialize::<_, T>(value.clone()) {
        Err(e) => (e.path().to_string(), e.into_inner()),
        // Unreachable (the value decodes the same way); keep the first error.
        Ok(_) => (String::new(), plain),
    };
    let message = scrub::mask_text(&error.to_string());
    let inner = crate::de::error_path(&path, &message);
    let path = if inner.is_empty() {
        "data".to_owned()
    } else {
        format!("data.{inner}")
    };
    Error::decode(path, message, None, scrub::excerpt(body), false)
}

/// Verifies callbacks against the merchant's Callback API Key (Dashboard → Setting →
/// Developer Settings → Callbacks).
#[derive(Clone)]
pub struct Verifier {
    key_digest: String,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Verifier { callback_api_key: [REDACTED] }")
    }
}

impl Verifier {
    /// A verifier for `callback_api_key`.
    pub fn new(callback_api_key: impl Into<SecretString>) -> Self {
        let key: SecretString = callback_api_key.into();
        Self {
            key_digest: sha512_hex(key.expose_secret().as_bytes()),
        }
    }

    /// Checks that `request` is a `POST` whose `X-API-Key` equals the Callback API Key
    /// (compared in constant time), then parses its body into an [`Event`].
    ///
    /// ```
    /// use session_tokenize_client::webhook::{self, Verifier};
    ///
    /// let verifier = Verifier::new("right-key");
    /// let forged = webhook::sign_notification("wrong-key", br#"{"event":"PAYMENT.PAID","data":{}}"#.to_vec());
    /// assert!(verifier.verify(&forged).is_err());
    /// ```
    pub fn verify<B: AsRef<[u8]>>(&self, request: &http::Request<B>) -> Result<Event, Error> {
        if request.method() != http::Method::POST {
            return Err(WebhookError::Method(request.method().clone()).into());
        }
        self.verify_parts(request.headers(), request.body().as_ref())
    }

    /// Like [`verify`](Self::verify), for frameworks that hand over headers and body
    /// separately.
    pub fn verify_parts(&self, headers: &http::HeaderMap, body: &[u8]) -> Result<Event, Error> {
        let provided = headers
            .get(API_KEY_HEADER)
            .ok_or(WebhookError::MissingApiKey)?;
        // Hashing both sides gives equal-length inputs, so the comparison time reveals
        // nothing about the key, not even its length.
        let provided_digest = sha512_hex(provided.as_bytes());
        if !constant_time_eq(provided_digest.as_bytes(), self.key_digest.as_bytes()) {
            return Err(WebhookError::ApiKeyMismatch.into());
        }
        Event::parse(body)
    }
}

/// The answer Pivot expects once a callback is stored: `200 OK`.
pub fn acknowledge() -> http::Response<&'static str> {
    let mut response = http::Response::new("OK");
    *response.status_mut() = http::StatusCode::OK;
    response
}

/// Builds a callback request the way Pivot sends it (`POST`, `X-API-Key`, JSON content type),
/// for testing your handler.
///
/// ```
/// use session_tokenize_client::webhook::{sign_notification, Verifier};
///
/// let request = sign_notification("test-key", br#"{"event":"REFUND.SUCCESS","data":{"id":"r1","status":"SUCCESS"}}"#.to_vec());
/// let event = Verifier::new("test-key").verify(&request)?;
/// assert_eq!(event.refund().map(|r| r.id.as_str()), Some("r1"));
/// # Ok::<(), session_tokenize_client::Error>(())
/// ```
pub fn sign_notification(callback_api_key: &str, body: Vec<u8>) -> http::Request<Vec<u8>> {
    let mut request = http::Request::new(body);
    *request.method_mut() = http::Method::POST;
    let headers = request.headers_mut();
    if let Ok(mut key) = http::HeaderValue::try_from(callback_api_key) {
        key.set_sensitive(true);
        headers.insert(API_KEY_HEADER, key);
    }
    headers.insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/JSON"),
    );
    headers.insert(
        http::header::ACCEPT,
        http::HeaderValue::from_static("application/JSON"),
    );
    request
}
