//! Flitt's callbacks: verify, then parse, the notification posted to `server_callback_url`.
//!
//! Flitt posts the order as a flat JSON object (form-encoded bodies and protocol 2.0
//! `{version, data, signature}` envelopes are accepted too), signed like an API response over
//! **every** field it carries. [`Verifier::verify`] checks that signature in constant time over
//! the raw body, checks the `merchant_id`, and only then decodes the [`Order`].
//!
//! Answer a verified callback with HTTP 200 ([`acknowledge`]) once you have durably recorded
//! it; otherwise Flitt sends it again after 2, 60, 300, 600, 3600 and 86400 seconds, and with
//! `delayed=Y` one order may produce several callbacks, so make your handler idempotent on
//! `order_id` and `order_status`. Callbacks come from `54.154.216.60` and `3.75.125.89`
//! ([`CALLBACK_SOURCE_IPS`]).
//!
//! ```
//! use flitt_client::webhook::{self, Verifier};
//! use secrecy::SecretString;
//!
//! # fn main() -> Result<(), flitt_client::Error> {
//! let key = SecretString::from("test");
//! // In a test: a notification signed like Flitt signs it.
//! let body = webhook::sign_json(&key, serde_json::json!({
//!     "order_id": "order-1001", "merchant_id": 1549901, "order_status": "approved",
//!     "amount": "2500", "currency": "GEL", "response_status": "success",
//! }))?;
//! let request = http::Request::post("/flitt/callback")
//!     .header("content-type", "application/json; charset=UTF-8")
//!     .body(body)
//!     .map_err(|e| flitt_client::Error::Config(e.to_string()))?;
//!
//! let verifier = Verifier::new(1549901, key);
//! let order = verifier.verify(&request)?;
//! assert!(order.is_approved());
//! let _response = webhook::acknowledge();
//! # Ok(())
//! # }
//! ```

use std::fmt;

use secrecy::{ExposeSecret, SecretString};

use crate::auth::{Credentials, KeyKind, SignatureCheck, sign_object, verify_text_fields};
use crate::error::{Error, Result, WebhookError};
use crate::model::order::Order;
use crate::response::{RawObject, Rejection, SignaturePolicy, decode_v2_data, verify_object};

/// The addresses Flitt sends callbacks from, for an allow-list.
pub const CALLBACK_SOURCE_IPS: [std::net::Ipv4Addr; 2] = [
    std::net::Ipv4Addr::new(54, 154, 216, 60),
    std::net::Ipv4Addr::new(3, 75, 125, 89),
];

/// Verifies and parses Flitt callbacks for one merchant.
///
/// `Debug` shows the merchant id only.
#[derive(Clone)]
pub struct Verifier {
    merchant_id: u64,
    keys: Vec<SecretString>,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("merchant_id", &self.merchant_id)
            .field("keys", &format_args!("[{} redacted]", self.keys.len()))
            .finish()
    }
}

impl Verifier {
    /// A verifier for `merchant_id`'s callbacks, signed with its payment key.
    pub fn new(merchant_id: u64, secret_key: impl Into<SecretString>) -> Self {
        Verifier {
            merchant_id,
            keys: vec![secret_key.into()],
        }
    }

    /// A verifier accepting callbacks signed with the payment key or, when configured, the
    /// credit key (payout callbacks).
    ///
    /// ```
    /// use flitt_client::{Credentials, webhook::Verifier};
    /// let verifier = Verifier::from_credentials(&Credentials::test_merchant());
    /// # let _ = verifier;
    /// ```
    pub fn from_credentials(credentials: &Credentials) -> Self {
        let mut keys = Vec::with_capacity(2);
        if let Ok(key) = credentials.key(KeyKind::Payment) {
            keys.push(key.clone());
        }
        if let Ok(key) = credentials.key(KeyKind::Credit) {
            keys.push(key.clone());
        }
        Verifier {
            merchant_id: credentials.merchant_id(),
            keys,
        }
    }

    /// Also accept callbacks signed with the credit key (payouts).
    pub fn with_credit_key(mut self, credit_key: impl Into<SecretString>) -> Self {
        self.keys.push(credit_key.into());
        self
    }

    /// Verifies an inbound callback and returns its order.
    ///
    /// Accepts `POST` with a JSON (`application/json`) or form-encoded
    /// (`application/x-www-form-urlencoded`) body, and `GET` with the fields in the query (the
    /// browser return to `response_url`).
    pub fn verify<B: AsRef<[u8]>>(&self, request: &http::Request<B>) -> Result<Order> {
        let content_type = request
            .headers()
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok());
        match *request.method() {
            http::Method::POST => self.verify_body(content_type, request.body().as_ref()),
            http::Method::GET => {
                let query = request.uri().query().unwrap_or_default();
                self.verify_body(Some("application/x-www-form-urlencoded"), query.as_bytes())
            }
            ref other => Err(WebhookError::Method(other.to_string()).into()),
        }
    }

    /// Verifies a callback from its `Content-Type` and raw body, for frameworks that do not
    /// hand out an [`http::Request`].
    pub fn verify_body(&self, content_type: Option<&str>, body: &[u8]) -> Result<Order> {
        let trimmed = body.trim_ascii();
        if trimmed.is_empty() {
            return Err(WebhookError::Body("the body is empty".into()).into());
        }
        let is_form = match content_type.map(|c| c.to_ascii_lowercase()) {
            Some(c) if c.contains("application/x-www-form-urlencoded") => true,
            Some(c) if c.contains("json") => false,
            _ => !trimmed.starts_with(b"{"),
        };
        let mut storage = String::new();
        let object = if is_form {
            self.verify_form(trimmed, &mut storage)?
        } else {
            self.verify_json(trimmed, &mut storage)?
        };
        let received = object.text_of("merchant_id").unwrap_or_default();
        if received.trim() != self.merchant_id.to_string() {
            return Err(WebhookError::MerchantMismatch {
                expected: self.merchant_id,
                received: received.into_owned(),
            }
            .into());
        }
        Order::from_raw(&object).map_err(|e| {
            Error::Webhook(WebhookError::Decode {
                path: e.path,
                message: e.message,
            })
        })
    }

    fn keys(&self) -> Vec<&SecretString> {
        self.keys.iter().collect()
    }

    fn verify_json<'b: 's, 's>(
        &self,
        body: &'b [u8],
        storage: &'s mut String,
    ) -> Result<RawObject<'s>> {
        let text = std::str::from_utf8(body)
            .map_err(|_| WebhookError::Body("the body is not UTF-8".into()))?;
        let mut object = RawObject::parse(text)
            .map_err(|e| WebhookError::Body(format!("not a JSON object: {}", e.message)))?;
        // Tolerate the API's `{"response": {…}}` envelope.
        if object.fields().len() == 1
            && let Some(inner) = object.get("response")
        {
            object = RawObject::parse(inner.get())
                .map_err(|e| WebhookError::Body(format!("`response`: {}", e.message)))?;
        }
        verify_object(object, &self.keys(), SignaturePolicy::Required, storage).map_err(|r| {
            Error::Webhook(match r {
                Rejection::MissingSignature => WebhookError::MissingSignature,
                Rejection::BadSignature => WebhookError::BadSignature,
                Rejection::Malformed(e) => WebhookError::Decode {
                    path: e.path,
                    message: e.message,
                },
            })
        })
    }

    fn verify_form<'s>(&self, body: &[u8], storage: &'s mut String) -> Result<RawObject<'s>> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body)
            .map_err(|e| WebhookError::Body(format!("not form-encoded: {e}")))?;
        let get = |key: &str| {
            pairs
                .iter()
                .rev()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
        };
        if get("version") == Some("2.0")
            && let Some(data) = get("data")
        {
            let signature = get("signature")
                .filter(|s| !s.is_empty())
                .ok_or(WebhookError::MissingSignature)?;
            let valid = self.keys.iter().any(|key| {
                payments_signing::fondy::verify_v2(key.expose_secret(), data, signature)
            });
            if !valid {
                return Err(WebhookError::BadSignature.into());
            }
            return decode_v2_data(data, storage).map_err(|e| {
                Error::Webhook(WebhookError::Decode {
                    path: e.path,
                    message: e.message,
                })
            });
        }
        let mut outcome = SignatureCheck::Missing;
        for key in &self.keys {
            outcome = verify_text_fields(key, &pairs);
            if outcome != SignatureCheck::Mismatch {
                break;
            }
        }
        match outcome {
            SignatureCheck::Valid => RawObject::from_text_pairs(&pairs, storage)
                .map_err(|e| Error::Webhook(WebhookError::Body(e.message))),
            SignatureCheck::Missing => Err(WebhookError::MissingSignature.into()),
            SignatureCheck::Mismatch => Err(WebhookError::BadSignature.into()),
        }
    }
}

/// The answer Flitt expects once a callback is recorded: HTTP 200.
///
/// ```
/// let response = flitt_client::webhook::acknowledge();
/// assert_eq!(response.status(), 200);
/// ```
pub fn acknowledge() -> http::Response<&'static str> {
    let mut response = http::Response::new("OK");
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

/// Signs a flat JSON notification the way Flitt does (every scalar field; an existing
/// `signature` is replaced) and returns the body to post — for testing your callback handler.
///
/// Fails when `notification` is not a JSON object.
pub fn sign_json(key: &SecretString, notification: serde_json::Value) -> Result<Vec<u8>> {
    let serde_json::Value::Object(mut object) = notification else {
        return Err(Error::invalid("notification", "must be a JSON object"));
    };
    object.remove("signature");
    object.remove("response_signature_string");
    let signature = sign_object(key.expose_secret(), &object);
    object.insert("signature".into(), signature.into());
    serde_json::to_vec(&object).map_err(|e| Error::invalid("notification", e.to_string()))
}

/// A complete signed callback request, as Flitt would post it to your `server_callback_url`
/// (`POST /`, `Content-Type: application/json`, the flat JSON body signed over every scalar
/// field; an existing `signature` is replaced) — for testing your callback handler end to end.
///
/// Fails when `notification` is not a JSON object.
///
/// ```
/// use flitt_client::webhook::{self, Verifier};
/// use flitt_client::SecretString;
///
/// # fn main() -> Result<(), flitt_client::Error> {
/// let key = SecretString::from("test");
/// let request = webhook::sign_notification(&key, serde_json::json!({
///     "order_id": "order-1001", "merchant_id": 1549901, "order_status": "declined",
///     "amount": 2500, "currency": "GEL", "response_code": 1000,
/// }))?;
/// let order = Verifier::new(1549901, key).verify(&request)?;
/// assert!(!order.is_approved());
/// # Ok(())
/// # }
/// ```
pub fn sign_notification(
    key: &SecretString,
    notification: serde_json::Value,
) -> Result<http::Request<Vec<u8>>> {
    let body = sign_json(key, notification)?;
    http::Request::builder()
        .method(http::Method::POST)
        .uri("/")
        .header(
            http::header::CONTENT_TYPE,
            "application/json; charset=utf-8",
        )
        .body(body)
        .map_err(|e| Error::invalid("notification", e.to_string()))
}

/// Signs a form-encoded notification (every field; an existing `signature` is replaced) and
/// returns the body to post — for testing your callback handler.
///
/// ```
/// use secrecy::SecretString;
/// let body = flitt_client::webhook::sign_form(
///     &SecretString::from("test"),
///     &[("order_id", "order-1"), ("merchant_id", "1549901"), ("order_status", "approved")],
/// );
/// assert!(body.contains("signature="));
/// ```
pub fn sign_form(key: &SecretString, fields: &[(&str, &str)]) -> String {
    let kept: Vec<(&str, &str)> = fields
        .iter()
        .copied()
        .filter(|(k, _)| *k != "signature" && *k != "response_signature_string")
        .collect();
    let signature = payments_signing::fondy::sign(key.expose_secret(), kept.iter().copied());
    let mut all = kept;
    all.push(("signature", &signature));
    serde_urlencoded::to_string(&all).unwrap_or_default()
}
