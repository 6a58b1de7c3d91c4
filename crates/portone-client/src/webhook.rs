//! Inbound messages from PortOne: verify, then parse.
//!
//! | message | how it arrives | fields covered by `signature_hash` |
//! |---|---|---|
//! | redirect | query string of `success_url`/`failure_url` | `channel_order_ref, merchant_order_ref, order_ref, status` |
//! | payment webhook | JSON POST | `amount, channel_key, channel_order_ref, country_code, currency, merchant_order_ref, method_name, order_ref, status` |
//! | payment-link webhook | JSON POST | `amount, country_code` (from `countryCode`), `currency, link_ref, merchant_order_ref, status` |
//! | refund webhook | JSON POST | **none**: parsed as [`Unverified`]; confirm with [`Client::refunds`](crate::Client::refunds) |
//!
//! The signature is `base64(HMAC-SHA256(secret, form))` over the listed fields, sorted and
//! encoded like Go's `url.Values.Encode` (a space in `method_name` becomes `+`), the amount in
//! its shortest decimal form re-rendered from the raw JSON number. It is compared in constant
//! time. Only the listed fields are authenticated: the typed values keep the others apart
//! (`details`), and PortOne asks merchants to compare amount and currency with their own order.
//!
//! ```
//! use portone_client::webhook::{Event, Signer, Verifier};
//! use secrecy::SecretString;
//!
//! let secret = SecretString::from("PORTONE_SECRET");
//! // A redirect as PortOne would send it (signed here for the example).
//! let query = Signer::new(secret.clone()).sign_redirect_query(&[
//!     ("order_ref", "2937z05mrtN17ZYigwZhfKdqEGQ"),
//!     ("merchant_order_ref", "MERCHANT1617366877238"),
//!     ("channel_order_ref", "pi_3KyTl5Jrbhj1WB8Z017xJS9i"),
//!     ("status", "Success"),
//!     ("amount", "100"),
//! ]);
//! let request = http::Request::get(format!("https://shop.example/success?{query}"))
//!     .body(Vec::<u8>::new())
//!     .unwrap();
//! match Verifier::new(secret).verify(&request).unwrap() {
//!     Event::Redirect(redirect) => assert!(redirect.status.is_success()),
//!     other => panic!("unexpected {other:?}"),
//! }
//! ```

use std::collections::BTreeMap;
use std::fmt;

use rust_decimal::Decimal;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::error::{Error, WebhookError};
use crate::lenient;
use crate::model::payment_link::PaymentLinkStatus;
use crate::model::refund::RefundStatus;
use crate::model::{ResultCode, StatusReason, Timestamp, TransactionStatus};

/// The fields a redirect's `signature_hash` covers.
pub const REDIRECT_SIGNED_FIELDS: [&str; 4] = [
    "channel_order_ref",
    "merchant_order_ref",
    "order_ref",
    "status",
];

/// The fields a payment webhook's `signature_hash` covers.
pub const PAYMENT_WEBHOOK_SIGNED_FIELDS: [&str; 9] = [
    "amount",
    "channel_key",
    "channel_order_ref",
    "country_code",
    "currency",
    "merchant_order_ref",
    "method_name",
    "order_ref",
    "status",
];

/// The fields a payment-link webhook's `signature_hash` covers (`country_code` is read from the
/// payload's `countryCode`).
pub const PAYMENT_LINK_WEBHOOK_SIGNED_FIELDS: [&str; 6] = [
    "amount",
    "country_code",
    "currency",
    "link_ref",
    "merchant_order_ref",
    "status",
];

/// Verifies inbound redirects and webhooks with the merchant's secret key.
#[derive(Clone)]
pub struct Verifier {
    secret: SecretString,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Verifier { secret: [redacted] }")
    }
}

/// A verified (or, for refunds, explicitly unverified) inbound message.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// The customer came back to `success_url` / `failure_url`.
    Redirect(Redirect),
    /// A payment webhook.
    Payment(Box<PaymentWebhook>),
    /// A payment-link webhook.
    PaymentLink(Box<PaymentLinkWebhook>),
    /// A refund webhook: PortOne does not sign these.
    Refund(Unverified<RefundWebhook>),
}

/// A message that carries no signature, so nothing in it is authenticated: anyone can send one.
/// Use it as a hint and confirm with PortOne (for refunds: [`Client::refunds`](crate::Client::refunds)).
#[derive(Debug, Clone, PartialEq)]
pub struct Unverified<T>(T);

impl<T> Unverified<T> {
    /// The unauthenticated content.
    pub fn unverified(&self) -> &T {
        &self.0
    }

    /// The unauthenticated content, by value.
    pub fn into_unverified(self) -> T {
        self.0
    }
}

impl Verifier {
    /// A verifier for `secret` (the same secret key the client signs with).
    pub fn new(secret: SecretString) -> Self {
        Self { secret }
    }

    /// Verifies and parses an inbound request: a redirect (query string), or a JSON webhook
    /// (payment, payment link, or unsigned refund), recognised by its fields.
    pub fn verify<B: AsRef<[u8]>>(&self, request: &http::Request<B>) -> Result<Event, Error> {
        let body = request.body().as_ref();
        let trimmed = body.trim_ascii();
        if trimmed.is_empty() {
            let query = request.uri().query().unwrap_or_default();
            if query.is_empty() {
                return Err(
                    WebhookError::Malformed("empty body and no query string".into()).into(),
                );
            }
            return self.verify_redirect(query).map(Event::Redirect);
        }
        let is_form = request
            .headers()
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if is_form {
            let text = std::str::from_utf8(trimmed)
                .map_err(|_| WebhookError::Malformed("form body is not UTF-8".into()))?;
            return self.verify_redirect(text).map(Event::Redirect);
        }
        let map = json_object(body)?;
        if map.contains_key("link_ref") {
            return self
                .verify_payment_link_webhook(body)
                .map(|w| Event::PaymentLink(Box::new(w)));
        }
        if map.contains_key("signature_hash") {
            return self
                .verify_payment_webhook(body)
                .map(|w| Event::Payment(Box::new(w)));
        }
        if ["refund_id", "refund_status", "refund_type", "refundDetails"]
            .iter()
            .any(|k| map.contains_key(*k))
        {
            return parse_refund_webhook(body).map(Event::Refund);
        }
        Err(WebhookError::MissingSignature.into())
    }

    /// Verifies a redirect's query string (without the leading `?`) and parses it.
    pub fn verify_redirect(&self, query: &str) -> Result<Redirect, Error> {
        let mut all: BTreeMap<String, String> = BTreeMap::new();
        for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
            let k = k.into_owned();
            if all.contains_key(&k)
                && (REDIRECT_SIGNED_FIELDS.contains(&k.as_str()) || k == "signature_hash")
            {
                return Err(WebhookError::Malformed(format!(
                    "the query carries `{k}` more than once"
                ))
                .into());
            }
            all.entry(k).or_insert_with(|| v.into_owned());
        }
        let signature = all
            .remove("signature_hash")
            .ok_or(WebhookError::MissingSignature)?;
        let signed: Vec<(&str, &str)> = REDIRECT_SIGNED_FIELDS
            .iter()
            .map(|f| (*f, all.get(*f).map_or("", String::as_str)))
            .collect();
        self.check(&signed, &signature)?;
        Ok(Redirect::from_fields(all))
    }

    /// Verifies a payment webhook's raw JSON body and parses it.
    pub fn verify_payment_webhook(&self, body: &[u8]) -> Result<PaymentWebhook, Error> {
        let map = json_object(body)?;
        let signature = signature_of(&map)?;
        let amount = raw_amount(body)?;
        let values = signed_values(&map, &PAYMENT_WEBHOOK_SIGNED_FIELDS, &amount, &[]);
        self.check(&as_pairs(&values), &signature)?;
        parse_typed::<PaymentWebhookWire>(body).map(PaymentWebhook::from)
    }

    /// Verifies a payment-link webhook's raw JSON body and parses it.
    pub fn verify_payment_link_webhook(&self, body: &[u8]) -> Result<PaymentLinkWebhook, Error> {
        let map = json_object(body)?;
        let signature = signature_of(&map)?;
        let amount = raw_amount(body)?;
        let values = signed_values(
            &map,
            &PAYMENT_LINK_WEBHOOK_SIGNED_FIELDS,
            &amount,
            &[("country_code", "countryCode")],
        );
        self.check(&as_pairs(&values), &signature)?;
        parse_typed(body)
    }

    fn check(&self, fields: &[(&str, &str)], signature: &str) -> Result<(), Error> {
        if payments_signing::portone::verify_signature_hash(
            self.secret.expose_secret(),
            fields.iter().copied(),
            signature,
        ) {
            Ok(())
        } else {
            Err(WebhookError::SignatureMismatch.into())
        }
    }
}

/// Parses a refund webhook. PortOne does not sign these: the result is [`Unverified`].
pub fn parse_refund_webhook(body: &[u8]) -> Result<Unverified<RefundWebhook>, Error> {
    parse_typed(body).map(Unverified)
}

/// The answer to send back to PortOne once a webhook is verified and stored: `200 OK`.
///
/// ```
/// let response = portone_client::webhook::acknowledge();
/// assert_eq!(response.status(), http::StatusCode::OK);
/// ```
pub fn acknowledge() -> http::Response<&'static str> {
    let mut response = http::Response::new("OK");
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("text/plain"),
    );
    response
}

/// Builds a webhook request signed the way PortOne signs them, for testing your handler:
/// `POST` with a JSON body whose `signature_hash` is set — a payment-link webhook when the body
/// has `link_ref`, otherwise a payment webhook. [`Verifier::verify`] accepts it.
///
/// ```
/// use portone_client::webhook::{sign_notification, Event, Verifier};
/// use portone_client::SecretString;
///
/// let secret = SecretString::from("PORTONE_SECRET");
/// let body = br#"{"amount":100,"currency":"USD","order_ref":"2937z05mrtN17ZYigwZhfKdqEGQ","merchant_order_ref":"MERCHANT1617366877238","channel_order_ref":"pi_3KyTl5Jrbhj1WB8Z017xJS9i","channel_key":"STRIPE","method_name":"Stripe Card","country_code":"US","status":"Success"}"#;
/// let request = sign_notification(&secret, body.to_vec())?;
/// assert_eq!(request.method(), http::Method::POST);
/// match Verifier::new(secret).verify(&request)? {
///     Event::Payment(payment) => assert!(payment.status.is_success()),
///     other => panic!("unexpected {other:?}"),
/// }
/// # Ok::<(), portone_client::Error>(())
/// ```
///
/// # Errors
///
/// [`Error::Webhook`] when `body` is not a JSON object.
pub fn sign_notification(
    secret: &SecretString,
    body: Vec<u8>,
) -> Result<http::Request<Vec<u8>>, Error> {
    let signer = Signer::new(secret.clone());
    let is_link = json_object(&body)?.contains_key("link_ref");
    let signed = if is_link {
        signer.sign_payment_link_webhook(&body)?
    } else {
        signer.sign_payment_webhook(&body)?
    };
    let mut request = http::Request::new(signed);
    *request.method_mut() = http::Method::POST;
    request.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    Ok(request)
}

/// Builds the request of a customer coming back to `url` (your `success_url` or
/// `failure_url`) with `params` and their `signature_hash` appended to the query, the way
/// PortOne redirects, for testing your handler. [`Verifier::verify`] accepts it.
///
/// ```
/// use portone_client::webhook::{sign_redirect, Event, Verifier};
/// use portone_client::SecretString;
///
/// let secret = SecretString::from("PORTONE_SECRET");
/// let request = sign_redirect(&secret, "https://shop.example/success?cart=7", &[
///     ("order_ref", "2937z05mrtN17ZYigwZhfKdqEGQ"),
///     ("merchant_order_ref", "MERCHANT1617366877238"),
///     ("channel_order_ref", "pi_3KyTl5Jrbhj1WB8Z017xJS9i"),
///     ("status", "Success"),
/// ])?;
/// let Event::Redirect(redirect) = Verifier::new(secret).verify(&request)? else { panic!() };
/// assert_eq!(redirect.details.extra["cart"], "7");
/// # Ok::<(), portone_client::Error>(())
/// ```
///
/// # Errors
///
/// [`Error::Webhook`] when `url` does not parse as an absolute URL.
pub fn sign_redirect(
    secret: &SecretString,
    url: &str,
    params: &[(&str, &str)],
) -> Result<http::Request<Vec<u8>>, Error> {
    let mut parsed = url::Url::parse(url)
        .map_err(|e| WebhookError::Malformed(format!("the redirect URL does not parse: {e}")))?;
    let mut all: Vec<(String, String)> = parsed
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    all.extend(
        params
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    let pairs: Vec<(&str, &str)> = all.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let query = Signer::new(secret.clone()).sign_redirect_query(&pairs);
    parsed.set_query(Some(&query));
    let uri: http::Uri = parsed
        .as_str()
        .parse()
        .map_err(|_| WebhookError::Malformed("the redirect URL is not a valid URI".into()))?;
    let mut request = http::Request::new(Vec::new());
    *request.uri_mut() = uri;
    Ok(request)
}

fn json_object(body: &[u8]) -> Result<Map<String, Value>, Error> {
    refuse_deep(body)?;
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(WebhookError::Malformed("the body is not a JSON object".into()).into()),
        Err(e) => Err(WebhookError::Malformed(format!("the body is not JSON ({e})")).into()),
    }
}

/// A body nested more than 128 levels deep is refused before any parser walks it.
fn refuse_deep(body: &[u8]) -> Result<(), Error> {
    if lenient::nested_deeper_than(body, lenient::MAX_JSON_DEPTH) {
        return Err(WebhookError::Malformed(format!(
            "the body is nested deeper than {} levels",
            lenient::MAX_JSON_DEPTH
        ))
        .into());
    }
    Ok(())
}

fn signature_of(map: &Map<String, Value>) -> Result<String, Error> {
    match map.get("signature_hash") {
        Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
        _ => Err(WebhookError::MissingSignature.into()),
    }
}

/// The amount as signed: the shortest form of the raw JSON number text (or of a string's
/// content); empty when absent.
fn raw_amount(body: &[u8]) -> Result<String, Error> {
    #[derive(Deserialize)]
    struct AmountOnly<'a> {
        #[serde(borrow, default)]
        amount: Option<&'a RawValue>,
    }
    let parsed: AmountOnly<'_> = serde_json::from_slice(body)
        .map_err(|e| WebhookError::Malformed(format!("the body is not JSON ({e})")))?;
    let Some(raw) = parsed.amount else {
        return Ok(String::new());
    };
    let text = raw.get().trim();
    if text == "null" {
        return Ok(String::new());
    }
    let number = if text.starts_with('"') {
        serde_json::from_str::<String>(text)
            .map_err(|_| WebhookError::Malformed("amount is not a string or number".into()))?
    } else {
        text.to_owned()
    };
    payments_signing::portone::canonical_amount(&number)
        .ok_or_else(|| WebhookError::Malformed("amount is not a decimal number".into()).into())
}

/// The signed fields' values as text: strings as they are, other scalars as JSON text, absent
/// or null as empty. `renames` maps a signed name to the payload key it is read from first.
fn signed_values(
    map: &Map<String, Value>,
    fields: &[&'static str],
    amount: &str,
    renames: &[(&str, &str)],
) -> Vec<(&'static str, String)> {
    fields
        .iter()
        .map(|field| {
            if *field == "amount" {
                return (*field, amount.to_owned());
            }
            let source = renames
                .iter()
                .find(|(signed, _)| signed == field)
                .and_then(|(_, payload)| map.get(*payload).filter(|v| !v.is_null()))
                .or_else(|| map.get(*field));
            let text = match source {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(s)) => s.clone(),
                Some(other) => other.to_string(),
            };
            (*field, text)
        })
        .collect()
}

fn as_pairs<'a>(values: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    values.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

fn parse_typed<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Error> {
    refuse_deep(body)?;
    // Plain serde_json first; a body that fails is decoded again with path tracking, which
    // fails at the same place with the same error.
    if let Ok(value) = T::deserialize(&mut serde_json::Deserializer::from_slice(body)) {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let message = crate::scrub::scrub_text(&e.into_inner().to_string(), &[]);
        WebhookError::Malformed(format!("`{path}`: {message}")).into()
    })
}

/// Signs messages the way PortOne does, to test your webhook and redirect handlers.
#[derive(Clone)]
pub struct Signer {
    secret: SecretString,
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Signer { secret: [redacted] }")
    }
}

impl Signer {
    /// A signer for `secret`.
    pub fn new(secret: SecretString) -> Self {
        Self { secret }
    }

    /// A redirect query string with these parameters plus their `signature_hash` (over the four
    /// signed fields; absent ones count as empty).
    pub fn sign_redirect_query(&self, params: &[(&str, &str)]) -> String {
        let signed: Vec<(&str, &str)> = REDIRECT_SIGNED_FIELDS
            .iter()
            .map(|f| {
                (
                    *f,
                    params.iter().find(|(k, _)| k == f).map_or("", |(_, v)| *v),
                )
            })
            .collect();
        let hash = payments_signing::portone::signature_hash(self.secret.expose_secret(), signed);
        let mut out = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in params {
            out.append_pair(k, v);
        }
        out.append_pair("signature_hash", &hash);
        out.finish()
    }

    /// The payment webhook `body` (JSON) with its `signature_hash` set.
    pub fn sign_payment_webhook(&self, body: &[u8]) -> Result<Vec<u8>, Error> {
        self.sign_json(body, &PAYMENT_WEBHOOK_SIGNED_FIELDS, &[])
    }

    /// The payment-link webhook `body` (JSON) with its `signature_hash` set.
    pub fn sign_payment_link_webhook(&self, body: &[u8]) -> Result<Vec<u8>, Error> {
        self.sign_json(
            body,
            &PAYMENT_LINK_WEBHOOK_SIGNED_FIELDS,
            &[("country_code", "countryCode")],
        )
    }

    fn sign_json(
        &self,
        body: &[u8],
        fields: &[&'static str],
        renames: &[(&str, &str)],
    ) -> Result<Vec<u8>, Error> {
        let mut map = json_object(body)?;
        let amount = raw_amount(body)?;
        let values = signed_values(&map, fields, &amount, renames);
        let hash = payments_signing::portone::signature_hash(
            self.secret.expose_secret(),
            as_pairs(&values),
        );
        map.insert("signature_hash".into(), Value::String(hash));
        serde_json::to_vec(&map)
            .map_err(|e| WebhookError::Malformed(format!("cannot serialize: {e}")).into())
    }
}

/// A verified redirect. Only the four signed fields are authenticated; everything else PortOne
/// appends is in [`Redirect::details`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Redirect {
    /// PortOne's order reference (signed).
    pub order_ref: String,
    /// The merchant order id (signed).
    pub merchant_order_ref: String,
    /// The payment channel's reference (signed).
    pub channel_order_ref: String,
    /// The status (signed). Only `Success` means paid.
    pub status: TransactionStatus,
    /// The unsigned parameters.
    pub details: RedirectDetails,
}

/// The parameters of a redirect that the signature does **not** cover.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct RedirectDetails {
    /// Amount (compare with your order).
    pub amount: Option<Decimal>,
    /// Currency (compare with your order).
    pub currency: Option<String>,
    /// Result code.
    pub status_code: Option<ResultCode>,
    /// Result name.
    pub status_reason: Option<StatusReason>,
    /// The channel's reason text.
    pub status_channel_reason: Option<String>,
    /// Message.
    pub message: Option<String>,
    /// Channel key.
    pub channel_key: Option<String>,
    /// Method key.
    pub method_key: Option<String>,
    /// Method name.
    pub method_name: Option<String>,
    /// The payment link's order reference.
    pub link_order_ref: Option<String>,
    /// Every other parameter (buyer details, merchant branding, your own query parameters).
    pub extra: BTreeMap<String, String>,
}

impl Redirect {
    fn from_fields(mut all: BTreeMap<String, String>) -> Self {
        let mut take = |k: &str| all.remove(k).filter(|v| !v.is_empty());
        let order_ref = take("order_ref").unwrap_or_default();
        let merchant_order_ref = take("merchant_order_ref").unwrap_or_default();
        let channel_order_ref = take("channel_order_ref").unwrap_or_default();
        let status = TransactionStatus::from_wire(&take("status").unwrap_or_default());
        let details = RedirectDetails {
            amount: take("amount").and_then(|a| lenient::decimal_from_text(a.trim())),
            currency: take("currency"),
            status_code: take("status_code").map(ResultCode::new),
            status_reason: take("status_reason").map(|r| StatusReason::from_wire(&r)),
            status_channel_reason: take("status_channel_reason"),
            message: take("message"),
            channel_key: take("channel_key"),
            method_key: take("method_key"),
            method_name: take("method_name"),
            link_order_ref: take("link_order_ref"),
            extra: BTreeMap::new(),
        };
        Self {
            order_ref,
            merchant_order_ref,
            channel_order_ref,
            status,
            details: RedirectDetails {
                extra: all,
                ..details
            },
        }
    }
}

/// A verified payment webhook. The signed fields are at the top; the rest is in
/// [`PaymentWebhook::details`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct PaymentWebhook {
    /// Amount (signed).
    pub amount: Option<Decimal>,
    /// Currency (signed).
    pub currency: Option<String>,
    /// PortOne's order reference (signed).
    pub order_ref: Option<String>,
    /// The payment channel's reference (signed).
    pub channel_order_ref: Option<String>,
    /// The merchant order id (signed).
    pub merchant_order_ref: Option<String>,
    /// Country code (signed).
    pub country_code: Option<String>,
    /// Status (signed). Only `Success` means paid.
    pub status: TransactionStatus,
    /// Channel key (signed).
    pub channel_key: Option<String>,
    /// Method name (signed), e.g. `Payletter Credit Card`.
    pub method_name: Option<String>,
    /// The fields the signature does not cover.
    pub details: PaymentWebhookDetails,
}

/// The fields of a payment webhook that the signature does **not** cover.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct PaymentWebhookDetails {
    /// Result code.
    pub status_code: Option<ResultCode>,
    /// Result name.
    pub status_reason: Option<StatusReason>,
    /// The channel's reason text.
    pub status_channel_reason: Option<String>,
    /// Method key.
    pub method_key: Option<String>,
    /// Method sub-type.
    pub method_sub_type: Option<String>,
    /// When the payment was made (Go format).
    pub created_at: Option<Timestamp>,
    /// Refunds are allowed.
    pub is_refund_allowed: Option<bool>,
    /// Several partial refunds are allowed.
    pub is_multi_refund_allowed: Option<bool>,
    /// The environment the payment was made in.
    pub environment: Option<String>,
    /// The payment link the payment came through.
    pub payment_link_ref: Option<String>,
    /// The masked card number.
    pub masked_card_number: Option<String>,
    /// The refund status, when refunded.
    pub refund_status: Option<String>,
    /// Every other field (buyer, merchant, cross-border and installment details, …).
    pub extra: Map<String, Value>,
}

/// The payment webhook as sent: one flat object (so a failing field is named by its path).
#[derive(Deserialize)]
struct PaymentWebhookWire {
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    amount: Option<Decimal>,
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    currency: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    order_ref: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    channel_order_ref: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    merchant_order_ref: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    country_code: Option<String>,
    status: TransactionStatus,
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    channel_key: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    method_name: Option<String>,
    #[serde(default)]
    status_code: Option<ResultCode>,
    #[serde(default, alias = "status_message")]
    status_reason: Option<StatusReason>,
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    status_channel_reason: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    method_key: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    method_sub_type: Option<String>,
    #[serde(default)]
    created_at: Option<Timestamp>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    is_refund_allowed: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    is_multi_refund_allowed: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    environment: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    payment_link_ref: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    masked_card_number: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    refund_status: Option<String>,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

impl From<PaymentWebhookWire> for PaymentWebhook {
    fn from(w: PaymentWebhookWire) -> Self {
        let mut extra = w.extra;
        extra.remove("signature_hash");
        Self {
            amount: w.amount,
            currency: w.currency,
            order_ref: w.order_ref,
            channel_order_ref: w.channel_order_ref,
            merchant_order_ref: w.merchant_order_ref,
            country_code: w.country_code,
            status: w.status,
            channel_key: w.channel_key,
            method_name: w.method_name,
            details: PaymentWebhookDetails {
                status_code: w.status_code,
                status_reason: w.status_reason,
                status_channel_reason: w.status_channel_reason,
                method_key: w.method_key,
                method_sub_type: w.method_sub_type,
                created_at: w.created_at,
                is_refund_allowed: w.is_refund_allowed,
                is_multi_refund_allowed: w.is_multi_refund_allowed,
                environment: w.environment,
                payment_link_ref: w.payment_link_ref,
                masked_card_number: w.masked_card_number,
                refund_status: w.refund_status,
                extra,
            },
        }
    }
}

/// A verified payment-link webhook.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct PaymentLinkWebhook {
    /// The link's reference (signed).
    pub link_ref: String,
    /// Amount (signed).
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    pub amount: Option<Decimal>,
    /// Currency (signed).
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub currency: Option<String>,
    /// Country code (signed; sent as `countryCode`).
    #[serde(
        default,
        rename = "countryCode",
        alias = "country_code",
        deserialize_with = "lenient::opt_nonempty"
    )]
    pub country_code: Option<String>,
    /// The merchant order id (signed).
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub merchant_order_ref: Option<String>,
    /// Status (signed). Only `Success` means paid.
    pub status: PaymentLinkStatus,
    /// The fields the signature does not cover (`link`, `success_url`, `chaipaykey`,
    /// `portone_key`, customer and merchant fields, …).
    #[serde(flatten)]
    pub details: Map<String, Value>,
}

/// A refund webhook (unsigned: see [`Unverified`]).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct RefundWebhook {
    /// PortOne's order reference of the refunded payment.
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub order_ref: Option<String>,
    /// The merchant order id.
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub merchant_order_ref: Option<String>,
    /// PortOne's refund id.
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub refund_id: Option<String>,
    /// Amount refunded.
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    pub amount: Option<Decimal>,
    /// Currency.
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub currency: Option<String>,
    /// Refund status.
    #[serde(default)]
    pub refund_status: Option<RefundStatus>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
