//! Verify, then parse, Moment's webhooks (Standard Webhooks v1).
//!
//! Moment signs every delivery with three headers: `webhook-id` (unique per message, the same on
//! every retry), `webhook-timestamp` (Unix seconds, new on every retry) and `webhook-signature`
//! (space-separated `v1,<base64>` entries). The signature is HMAC-SHA256 over
//! `{id}.{timestamp}.{raw body}` with the base64-decoded part of the `whsec_…` secret.
//!
//! [`Verifier::verify`] checks the timestamp against a tolerance (default 180 s, Moment's
//! recommendation), tries every `v1` signature in constant time over the **raw** body bytes, and
//! only then parses the event. Acknowledge with a `2xx` ([`acknowledge`]) and de-duplicate on
//! [`Event::webhook_id`].
//!
//! Every inbound body goes through [`Verifier::verify`] (or [`Verifier::verify_parts`], the
//! same code from a header map and raw bytes): nothing is parsed before the signature
//! verifies, and a verified body that is not a Moment event (wrong types, truncated, nested
//! deeper than 128 levels) is an [`Error::Decode`], never a panic.
//!
//! ```
//! use moment_client::webhook::{self, Verifier};
//! use moment_client::{EventType, SecretString};
//!
//! let secret = SecretString::from("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
//! let body = br#"{"id": "evt_1", "type": "payment.succeeded", "data": {"id": "pay_1", "status": "succeeded"}}"#;
//! let now = std::time::SystemTime::now();
//!
//! // What Moment sends (here signed by the test helper):
//! let request = webhook::sign_notification(&secret, "msg_1", now, body.to_vec())?;
//!
//! let event = Verifier::new(&secret)?.verify(&request)?;
//! assert_eq!(event.event_type, EventType::PaymentSucceeded);
//! assert_eq!(event.webhook_id, "msg_1");
//! # Ok::<(), moment_client::Error>(())
//! ```

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::HeaderMap;
use payments_signing::standard_webhooks::{self, WebhookKey};
use secrecy::{ExposeSecret, SecretString};

use crate::Error;
use crate::error::WebhookError;
use crate::model::Event;

/// The header carrying the message id.
pub const WEBHOOK_ID: &str = "webhook-id";
/// The header carrying the signing time (Unix seconds).
pub const WEBHOOK_TIMESTAMP: &str = "webhook-timestamp";
/// The header carrying the signatures.
pub const WEBHOOK_SIGNATURE: &str = "webhook-signature";

/// The default tolerance between `webhook-timestamp` and the receiver's clock: 3 minutes, as
/// Moment recommends.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(180);

type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// Verifies and parses inbound webhooks. Build it once from the endpoint's secret; it is cheap to
/// clone and `Send + Sync`.
#[derive(Clone)]
pub struct Verifier {
    key: WebhookKey,
    tolerance: Duration,
    clock: Clock,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("secret", &"[REDACTED]")
            .field("tolerance", &self.tolerance)
            .finish_non_exhaustive()
    }
}

/// A delivery whose signature and timestamp verified, before parsing.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct VerifiedWebhook<'a> {
    /// The `webhook-id` header.
    pub webhook_id: String,
    /// The `webhook-timestamp` header, in Unix seconds.
    pub webhook_timestamp: i64,
    /// The raw body that was verified.
    pub body: &'a [u8],
}

impl VerifiedWebhook<'_> {
    /// Parses the body as a Moment event.
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] naming the failing field (e.g. `data.amount`).
    pub fn event(&self) -> Result<Event, Error> {
        Event::parse(self.webhook_id.clone(), self.webhook_timestamp, self.body)
            .map_err(Error::Decode)
    }
}

impl Verifier {
    /// A verifier for the endpoint's secret (`whsec_…` or bare base64), with the default
    /// tolerance of 180 s and the system clock.
    ///
    /// ```
    /// use std::time::Duration;
    /// use moment_client::{webhook::Verifier, SecretString};
    ///
    /// let verifier = Verifier::new(&SecretString::from("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))?
    ///     .tolerance(Duration::from_secs(300));
    /// # let _ = verifier;
    /// # Ok::<(), moment_client::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the secret is not base64 (the message never contains it).
    pub fn new(secret: &SecretString) -> Result<Self, Error> {
        Ok(Verifier {
            key: key(secret)?,
            tolerance: DEFAULT_TOLERANCE,
            clock: Arc::new(SystemTime::now),
        })
    }

    /// Accepts timestamps up to `tolerance` away from the clock, in either direction (default
    /// [`DEFAULT_TOLERANCE`], 180 s).
    #[must_use]
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Uses another clock (for tests, or a clock you trust more than the system's).
    #[must_use]
    pub fn clock(mut self, clock: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Verifies an inbound request, then parses its event.
    ///
    /// # Errors
    ///
    /// [`Error::Webhook`] when a header is missing or the timestamp or signature does not
    /// verify (answer `400`, or `401`); [`Error::Decode`] when the verified body is not a Moment
    /// event.
    pub fn verify<B: AsRef<[u8]>>(&self, request: &http::Request<B>) -> Result<Event, Error> {
        self.verify_parts(request.headers(), request.body().as_ref())
    }

    /// [`Verifier::verify`] from the headers and raw body, for frameworks without
    /// `http::Request`.
    ///
    /// # Errors
    ///
    /// As [`Verifier::verify`].
    pub fn verify_parts(&self, headers: &HeaderMap, body: &[u8]) -> Result<Event, Error> {
        self.verify_signature(headers, body)?.event()
    }

    /// Checks the headers and signature only, returning the verified body unparsed (for events
    /// you parse yourself).
    ///
    /// # Errors
    ///
    /// [`Error::Webhook`] as in [`Verifier::verify`].
    pub fn verify_signature<'a>(
        &self,
        headers: &HeaderMap,
        body: &'a [u8],
    ) -> Result<VerifiedWebhook<'a>, Error> {
        let id = header(headers, WEBHOOK_ID)?;
        let timestamp = header(headers, WEBHOOK_TIMESTAMP)?;
        let signature = header(headers, WEBHOOK_SIGNATURE)?;
        standard_webhooks::verify(
            &self.key,
            id,
            timestamp,
            body,
            signature,
            (self.clock)(),
            self.tolerance,
        )
        .map_err(|e| Error::Webhook(e.into()))?;
        let webhook_timestamp = timestamp
            .trim()
            .parse()
            .map_err(|_| Error::Webhook(WebhookError::InvalidTimestamp))?;
        Ok(VerifiedWebhook {
            webhook_id: id.to_owned(),
            webhook_timestamp,
            body,
        })
    }
}

fn key(secret: &SecretString) -> Result<WebhookKey, Error> {
    WebhookKey::from_secret(secret.expose_secret())
        .map_err(|_| Error::config("the webhook secret is not `whsec_` followed by base64"))
}

fn header<'h>(headers: &'h HeaderMap, name: &'static str) -> Result<&'h str, Error> {
    let value = headers
        .get(name)
        .ok_or(Error::Webhook(WebhookError::MissingHeader(name)))?;
    value
        .to_str()
        .map_err(|_| Error::Webhook(WebhookError::InvalidHeader(name)))
}

/// The `webhook-signature` value (`v1,<base64>`) for a message, for your tests.
///
/// ```
/// use moment_client::{webhook, SecretString};
/// let secret = SecretString::from("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
/// assert_eq!(
///     webhook::sign(&secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1_614_265_330, br#"{"test": 2432232314}"#)?,
///     "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
/// );
/// # Ok::<(), moment_client::Error>(())
/// ```
///
/// # Errors
///
/// [`Error::Config`] when the secret is not base64.
pub fn sign(
    secret: &SecretString,
    webhook_id: &str,
    timestamp: i64,
    body: &[u8],
) -> Result<String, Error> {
    Ok(standard_webhooks::sign(
        &key(secret)?,
        webhook_id,
        timestamp,
        body,
    ))
}

/// A complete signed delivery, as Moment would `POST` it, for your handler's tests:
/// `POST /webhooks/moment` with `Content-Type: application/json`, `webhook-id`,
/// `webhook-timestamp` (`at`, in Unix seconds) and `webhook-signature` over the body as given.
///
/// ```
/// use moment_client::{webhook, SecretString};
/// let secret = SecretString::from("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
/// let body = br#"{"id": "evt_1", "type": "payment.voided", "data": {"id": "pay_1"}}"#.to_vec();
/// let request = webhook::sign_notification(&secret, "msg_1", std::time::SystemTime::now(), body)?;
/// assert!(request.headers().contains_key("webhook-signature"));
/// let event = webhook::Verifier::new(&secret)?.verify(&request)?;
/// assert_eq!(event.webhook_id, "msg_1");
/// # Ok::<(), moment_client::Error>(())
/// ```
///
/// # Errors
///
/// [`Error::Config`] when the secret is not base64; [`Error::InvalidRequest`] when the id is
/// not header text.
pub fn sign_notification(
    secret: &SecretString,
    webhook_id: &str,
    at: SystemTime,
    body: Vec<u8>,
) -> Result<http::Request<Vec<u8>>, Error> {
    let timestamp = match at.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_secs()).map_or(i64::MIN, |s| -s),
    };
    let signature = sign(secret, webhook_id, timestamp, &body)?;
    http::Request::builder()
        .method(http::Method::POST)
        .uri("/webhooks/moment")
        .header(http::header::CONTENT_TYPE, "application/json")
        .header(WEBHOOK_ID, webhook_id)
        .header(WEBHOOK_TIMESTAMP, timestamp.to_string())
        .header(WEBHOOK_SIGNATURE, signature)
        .body(body)
        .map_err(|e| Error::invalid(format!("the webhook request cannot be built: {e}")))
}

/// The answer to a verified delivery: `200 OK` with an empty body, as Moment documents. Anything
/// other than a `2xx` makes Moment deliver again.
///
/// ```
/// assert_eq!(moment_client::webhook::acknowledge().status(), http::StatusCode::OK);
/// ```
pub fn acknowledge() -> http::Response<Vec<u8>> {
    let mut response = http::Response::new(Vec::new());
    *response.status_mut() = http::StatusCode::OK;
    response
}
