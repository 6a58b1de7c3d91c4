//! How Flitt authenticates requests and responses: the merchant's keys and the SHA-1 "pipe"
//! signature of the Fondy protocol, built on [`payments_signing::fondy`].
//!
//! * **Protocol 1.0.1** (the default): `signature = sha1(key | v1 | v2 | …)` over the non-empty
//!   parameter values in key order, sent inside `{"request": {…}}`.
//! * **Protocol 2.0** (settlements, and any request with a nested object such as a
//!   subscription's `recurring_data`): `data = base64({"order": {…}})`,
//!   `signature = sha1(key | data)`, sent as `{"request": {"version": "2.0", "data", "signature"}}`.
//!
//! Payouts (`p2pcredit`) are signed with the merchant's **credit key**, everything else with
//! the payment key. Responses and callbacks are verified the same way over every field exactly
//! as received.

use std::borrow::Cow;
use std::fmt;

use payments_signing::fondy;
use secrecy::{ExposeSecret, SecretString};
use serde_json::value::RawValue;

use crate::error::{DecodeError, Error, Result};
use crate::params::Params;
use crate::response::{
    Envelope, RawObject, Rejection, SignaturePolicy, parse_envelope, verify_object,
};

/// A Flitt merchant's identity and keys.
///
/// `Debug` shows the merchant id only.
///
/// ```
/// use flitt_client::Credentials;
/// let credentials = Credentials::new(1549901, "test").with_credit_key("testcredit");
/// assert_eq!(credentials.merchant_id(), 1549901);
/// assert!(!format!("{credentials:?}").contains("test\""));
/// ```
#[derive(Clone)]
pub struct Credentials {
    merchant_id: u64,
    secret_key: SecretString,
    credit_key: Option<SecretString>,
}

impl Credentials {
    /// The merchant id and the payment key ("Payment key" in the merchant portal's technical
    /// settings).
    pub fn new(merchant_id: u64, secret_key: impl Into<SecretString>) -> Self {
        Credentials {
            merchant_id,
            secret_key: secret_key.into(),
            credit_key: None,
        }
    }

    /// Adds the credit key, which signs payouts (`p2pcredit`).
    pub fn with_credit_key(mut self, credit_key: impl Into<SecretString>) -> Self {
        self.credit_key = Some(credit_key.into());
        self
    }

    /// Flitt's public test merchant: `1549901`, payment key `test`, credit key `testcredit`.
    /// Requests are executed in test mode; use the test cards from Flitt's documentation.
    pub fn test_merchant() -> Self {
        Credentials::new(1_549_901, "test").with_credit_key("testcredit")
    }

    /// Reads `FLITT_MERCHANT_ID`, `FLITT_SECRET_KEY` and, optionally, `FLITT_CREDIT_KEY`.
    /// `Ok(None)` when the first two are not both set.
    pub fn from_env() -> Result<Option<Self>> {
        let (Ok(id), Ok(key)) = (
            std::env::var("FLITT_MERCHANT_ID"),
            std::env::var("FLITT_SECRET_KEY"),
        ) else {
            return Ok(None);
        };
        let merchant_id = id.trim().parse::<u64>().map_err(|_| {
            Error::Config(format!("FLITT_MERCHANT_ID must be a number, got {id:?}"))
        })?;
        let mut credentials = Credentials::new(merchant_id, key);
        if let Ok(credit) = std::env::var("FLITT_CREDIT_KEY")
            && !credit.is_empty()
        {
            credentials = credentials.with_credit_key(credit);
        }
        Ok(Some(credentials))
    }

    /// The merchant id.
    pub fn merchant_id(&self) -> u64 {
        self.merchant_id
    }

    /// Whether a credit key is configured (payouts need one).
    pub fn has_credit_key(&self) -> bool {
        self.credit_key.is_some()
    }

    pub(crate) fn key(&self, kind: KeyKind) -> Result<&SecretString> {
        match kind {
            KeyKind::Payment => Ok(&self.secret_key),
            KeyKind::Credit => self.credit_key.as_ref().ok_or_else(|| {
                Error::invalid(
                    "credit_key",
                    "is required for payouts (p2pcredit); add it with Credentials::with_credit_key",
                )
            }),
        }
    }

    /// The keys whose values must never appear in an error excerpt.
    pub(crate) fn secrets(&self) -> Vec<&str> {
        let mut out = vec![self.secret_key.expose_secret()];
        if let Some(credit) = &self.credit_key {
            out.push(credit.expose_secret());
        }
        out
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("merchant_id", &self.merchant_id)
            .field("secret_key", &"[REDACTED]")
            .field(
                "credit_key",
                &self.credit_key.as_ref().map(|_| "[REDACTED]"),
            )
            .finish()
    }
}

/// Verifies the signature of a raw Flitt API answer over every field exactly as received: the
/// `response` object (protocol 1.0.1), each entry of an array answer, or the `data` of a
/// protocol 2.0 answer. This is the check every operation of the [`Client`](crate::Client)
/// runs before decoding; use it when you receive Flitt's answers through your own HTTP stack
/// (the `decode_*_response` methods of the client run it too, then decode).
///
/// `Ok(())` when every object is signed with `key`; [`Error::Signature`] when a signature is
/// missing or does not match (Flitt does not sign its request errors, so an error answer fails
/// here: read it with a `decode_*_response` method); [`Error::Decode`] when the body is not a
/// Flitt answer.
///
/// ```
/// use flitt_client::{SecretString, auth::verify_response};
/// # fn main() -> Result<(), flitt_client::Error> {
/// let key = SecretString::from("test");
/// // An answer signed over all of its fields, as Flitt signs them.
/// let signature = payments_signing::fondy::sign(
///     "test",
///     [("amount", "4600"), ("order_id", "o-1"), ("order_status", "approved")],
/// );
/// let signed = format!(
///     r#"{{"response": {{"order_id": "o-1", "order_status": "approved", "amount": 4600, "signature": "{signature}"}}}}"#
/// );
/// verify_response(&key, http::StatusCode::OK, signed.as_bytes())?;
/// let tampered = signed.replace("4600", "4601");
/// assert!(verify_response(&key, http::StatusCode::OK, tampered.as_bytes()).is_err());
/// # Ok(())
/// # }
/// ```
pub fn verify_response(key: &SecretString, status: http::StatusCode, body: &[u8]) -> Result<()> {
    const OPERATION: &str = "verify_response";
    let malformed = |path: String, message: String| {
        Error::Decode(Box::new(DecodeError {
            operation: OPERATION,
            status,
            path,
            message,
            body_excerpt: crate::error::scrub(body, &[key.expose_secret()]),
            may_have_been_processed: false,
        }))
    };
    let rejected = |rejection: Rejection| match rejection {
        Rejection::MissingSignature => Error::Signature {
            operation: OPERATION,
            problem: "is missing",
            may_have_been_processed: false,
        },
        Rejection::BadSignature => Error::Signature {
            operation: OPERATION,
            problem: "does not match",
            may_have_been_processed: false,
        },
        Rejection::Malformed(e) => {
            let e = e.within("response");
            malformed(e.path, e.message)
        }
    };
    let objects = match parse_envelope(body).map_err(|e| malformed(e.path, e.message))? {
        Envelope::Object(object) => vec![object],
        Envelope::Array(items) => items,
    };
    for object in objects {
        let mut storage = String::new();
        verify_object(object, &[key], SignaturePolicy::Required, &mut storage).map_err(rejected)?;
    }
    Ok(())
}

/// Which key signs an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyKind {
    /// The payment key: every operation except payouts.
    Payment,
    /// The credit key: payouts.
    Credit,
}

/// The protocol a request is sent with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Protocol {
    V1,
    V2,
}

/// Serializes and signs a request: the bytes to send, and the protocol used. The body is the
/// canonical JSON (keys in byte order, no spaces) of `{"request": {…}}`, written directly from
/// the parameters.
pub(crate) fn encode_request(params: &Params<'_>, key: &SecretString) -> (Vec<u8>, Protocol) {
    let secret = key.expose_secret();
    let mut body = Vec::with_capacity(256);
    body.extend_from_slice(b"{\"request\":");
    let protocol = if params.needs_v2() {
        let mut order = Vec::with_capacity(256);
        order.extend_from_slice(b"{\"order\":");
        params.write_json(None, &mut order);
        order.push(b'}');
        let data = fondy::encode_v2_data(&order);
        let signature = fondy::sign_v2(secret, &data);
        // `{"data", "signature", "version"}` in key order.
        body.extend_from_slice(b"{\"data\":");
        let _ = serde_json::to_writer(&mut body, &data);
        body.extend_from_slice(b",\"signature\":");
        let _ = serde_json::to_writer(&mut body, &signature);
        body.extend_from_slice(b",\"version\":\"2.0\"}");
        Protocol::V2
    } else {
        let signature =
            payments_signing::digest::sha1_hex(params.signature_string(secret).as_bytes());
        params.write_json(Some(("signature", &signature)), &mut body);
        Protocol::V1
    };
    body.push(b'}');
    (body, protocol)
}

/// The text a field takes part in a protocol 1.0.1 signature with, exactly as received:
/// strings as they are (JSON-in-string verbatim), numbers as their JSON text, booleans as
/// `True`/`False` (the gateway's own rendering); `None` for null, and for objects and arrays
/// (which have no defined text form and never occur in documented flat responses).
pub(crate) fn signing_text(raw: &RawValue) -> Option<Cow<'_, str>> {
    let text = raw.get().trim();
    match text.as_bytes().first()? {
        b'"' => json_string(text),
        b'n' | b'{' | b'[' => None,
        b't' => Some(Cow::Borrowed("True")),
        b'f' => Some(Cow::Borrowed("False")),
        _ => Some(Cow::Borrowed(text)),
    }
}

/// The value of a JSON string (`text` is its JSON text, as parsed), borrowed when it has no
/// escapes.
pub(crate) fn json_string(text: &str) -> Option<Cow<'_, str>> {
    let inner = text.strip_prefix('"').and_then(|t| t.strip_suffix('"'));
    match inner {
        Some(inner) if !inner.contains('\\') => Some(Cow::Borrowed(inner)),
        _ => inner
            .and_then(unescape_short)
            .or_else(|| serde_json::from_str::<String>(text).ok())
            .map(Cow::Owned),
    }
}

/// The inside of a parsed JSON string unescaped in one copy, when its escapes are all of the
/// one-character kind (`\"`, `\\`, `\n`…); `None` for a `\u` escape (left to `serde_json`).
fn unescape_short(inner: &str) -> Option<String> {
    let mut out = String::with_capacity(inner.len());
    let mut rest = inner;
    while let Some(i) = rest.find('\\') {
        out.push_str(rest.get(..i)?);
        out.push(match rest.as_bytes().get(i + 1)? {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            _ => return None,
        });
        rest = rest.get(i + 2..)?;
    }
    out.push_str(rest);
    Some(out)
}

/// The outcome of checking a signed object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SignatureCheck {
    Valid,
    Missing,
    Mismatch,
}

/// Verifies a protocol 1.0.1 signature over every field of a received object (each value's
/// text borrowed from the object where it has no escapes).
pub(crate) fn verify_fields(key: &SecretString, object: &RawObject<'_>) -> SignatureCheck {
    let Some(signature) = object.text_of("signature").filter(|s| !s.is_empty()) else {
        return SignatureCheck::Missing;
    };
    let secret = key.expose_secret();
    let expected = payments_signing::digest::sha1_hex(object.signature_string(secret).as_bytes());
    if signature_matches(&expected, &signature) {
        SignatureCheck::Valid
    } else {
        SignatureCheck::Mismatch
    }
}

/// Whether a received signature is `expected` (lower-case hex), compared in constant time and
/// case-insensitively in the hex digits, as [`fondy::verify`] compares them.
fn signature_matches(expected: &str, received: &str) -> bool {
    let received = received.trim().as_bytes();
    // Lower-casing keeps the length; a longer text than any digest cannot match.
    let mut lower = [0u8; 128];
    let Some(lower) = lower.get_mut(..received.len()) else {
        return false;
    };
    lower.copy_from_slice(received);
    lower.make_ascii_lowercase();
    payments_signing::digest::constant_time_eq(expected.as_bytes(), lower)
}

/// Verifies a protocol 1.0.1 signature over text fields (a form-encoded callback).
pub(crate) fn verify_text_fields(
    key: &SecretString,
    fields: &[(String, String)],
) -> SignatureCheck {
    let Some(signature) = fields
        .iter()
        .rev()
        .find(|(k, _)| k == "signature")
        .map(|(_, v)| v.as_str())
        .filter(|s| !s.is_empty())
    else {
        return SignatureCheck::Missing;
    };
    let pairs = fields.iter().map(|(k, v)| (k.as_str(), v.as_str()));
    if fondy::verify(key.expose_secret(), pairs, signature) {
        SignatureCheck::Valid
    } else {
        SignatureCheck::Mismatch
    }
}

/// Signs a flat JSON object the way Flitt signs responses and callbacks (every scalar field).
pub(crate) fn sign_object(
    secret: &str,
    object: &serde_json::Map<String, serde_json::Value>,
) -> String {
    let pairs = object.iter().filter_map(|(k, v)| {
        let raw = serde_json::value::to_raw_value(v).ok()?;
        signing_text(&raw).map(|text| (k.as_str(), text.into_owned()))
    });
    fondy::sign(secret, pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_unescape_as_serde_json_unescapes_them() {
        for value in [
            "",
            "plain",
            "a\"b\\c/d\u{8}\u{c}\n\r\t",
            "é \u{1}\u{1f} \u{7f} \"\"",
            "\\",
            "\"",
            "x\u{2028}😀",
        ] {
            let text = serde_json::to_string(value).unwrap_or_default();
            let escaped_solidus = text.replace('/', "\\/");
            for text in [text, escaped_solidus, format!("{:?}", value)] {
                assert_eq!(
                    json_string(&text).map(Cow::into_owned),
                    serde_json::from_str::<String>(&text).ok(),
                    "{text}"
                );
            }
        }
        assert_eq!(
            json_string(r#""\u00e9\ud83d\ude00\"""#).as_deref(),
            Some("é😀\"")
        );
    }

    #[test]
    fn signatures_compare_as_the_primitive_compares_them() {
        let expected = payments_signing::digest::sha1_hex(b"|x");
        for received in [
            expected.clone(),
            expected.to_ascii_uppercase(),
            format!("  {expected}\n"),
            expected[..39].to_owned(),
            format!("{expected}0"),
            String::new(),
            "é".repeat(100),
        ] {
            assert_eq!(
                signature_matches(&expected, &received),
                fondy::verify("", [("a", "x")], &received) && !received.is_empty(),
                "{received:?}"
            );
        }
    }

    fn raw(text: &str) -> Box<RawValue> {
        RawValue::from_string(text.to_owned()).unwrap_or_else(|e| unreachable!("{e}"))
    }

    #[test]
    fn fields_render_as_received() {
        assert_eq!(signing_text(&raw(r#""a\"b""#)).as_deref(), Some("a\"b"));
        assert_eq!(signing_text(&raw("1549901")).as_deref(), Some("1549901"));
        assert_eq!(signing_text(&raw("0.0")).as_deref(), Some("0.0"));
        assert_eq!(signing_text(&raw("null")), None);
        assert_eq!(signing_text(&raw("{\"a\":1}")), None);
        assert_eq!(signing_text(&raw("true")).as_deref(), Some("True"));
    }

    #[test]
    fn credit_key_is_required_for_payouts() {
        let credentials = Credentials::new(1, "k");
        assert!(matches!(
            credentials.key(KeyKind::Credit),
            Err(Error::InvalidRequest {
                field: "credit_key",
                ..
            })
        ));
        assert!(credentials.key(KeyKind::Payment).is_ok());
    }

    #[test]
    fn debug_redacts_both_keys() {
        let shown = format!(
            "{:?}",
            Credentials::new(7, "pay-key-1").with_credit_key("credit-key-2")
        );
        assert!(
            !shown.contains("pay-key-1") && !shown.contains("credit-key-2"),
            "{shown}"
        );
        assert!(shown.contains('7'));
    }

    /// The request as a JSON value, then written canonically: what the body must be.
    fn canonical_body(params: &Params<'_>, key: &str) -> Vec<u8> {
        let mut object = serde_json::Map::new();
        let mut pairs = Vec::new();
        for (k, v) in &params.map_for_tests() {
            object.insert((*k).to_owned(), v.clone());
            if let Some(text) = v.as_str() {
                pairs.push((*k, text.to_owned()));
            } else if v.is_u64() {
                pairs.push((*k, v.to_string()));
            }
        }
        let request = if params.needs_v2() {
            let order = serde_json::json!({ "order": object });
            let data = fondy::encode_v2_data(crate::params::canonical_json(&order).as_bytes());
            let signature = fondy::sign_v2(key, &data);
            serde_json::json!({"version": "2.0", "data": data, "signature": signature})
        } else {
            object.insert("signature".into(), fondy::sign(key, pairs).into());
            serde_json::Value::Object(object)
        };
        crate::params::canonical_json(&serde_json::json!({ "request": request })).into_bytes()
    }

    #[test]
    fn request_bodies_are_the_canonical_json_of_the_request() {
        let key = SecretString::from("test");
        let mut params = Params::new();
        let owned = String::from("a \"quoted\" \\ value é ✓\n");
        params
            .text_ref("order_desc", owned.as_str(), 100)
            .unwrap_or_else(|e| unreachable!("{e}"));
        params
            .text("order_id", "o1", 10)
            .unwrap_or_else(|e| unreachable!("{e}"));
        params
            .text("zeta", "last", 10)
            .unwrap_or_else(|e| unreachable!("{e}"));
        params
            .text("sig", "before the signature", 100)
            .unwrap_or_else(|e| unreachable!("{e}"));
        params
            .int("amount", 4600, 1, 10_000)
            .unwrap_or_else(|e| unreachable!("{e}"));
        params.flag("preauth", Some(true));
        let (body, protocol) = encode_request(&params, &key);
        assert_eq!(protocol, Protocol::V1);
        assert_eq!(
            String::from_utf8_lossy(&body),
            String::from_utf8_lossy(&canonical_body(&params, "test"))
        );
        // A parameter named like the signature is replaced by it.
        params
            .text("signature", "mine", 10)
            .unwrap_or_else(|e| unreachable!("{e}"));
        let (body, _) = encode_request(&params, &key);
        let value: serde_json::Value =
            serde_json::from_slice(&body).unwrap_or_else(|e| unreachable!("{e}"));
        assert_ne!(value["request"]["signature"], "mine");
        assert_eq!(body.iter().filter(|b| **b == b':').count(), 8);
        // Protocol 2.0, with a nested value.
        params.json(
            "recurring_data",
            serde_json::json!({"b": [1, "x"], "a": null}),
        );
        let (body, protocol) = encode_request(&params, &key);
        assert_eq!(protocol, Protocol::V2);
        assert_eq!(
            String::from_utf8_lossy(&body),
            String::from_utf8_lossy(&canonical_body(&params, "test"))
        );
    }

    #[test]
    fn v2_request_signs_the_base64_data() {
        let mut params = Params::new();
        params
            .text("order_id", "o1", 10)
            .unwrap_or_else(|e| unreachable!("{e}"));
        params.force_v2();
        let key = SecretString::from("test");
        let (body, protocol) = encode_request(&params, &key);
        assert_eq!(protocol, Protocol::V2);
        let value: serde_json::Value =
            serde_json::from_slice(&body).unwrap_or_else(|e| unreachable!("{e}"));
        let data = value["request"]["data"].as_str().unwrap_or_default();
        // Independently: base64 of {"order":{"order_id":"o1"}} and sha1("test|" + data).
        assert_eq!(
            payments_signing::digest::base64_decode(data).as_deref(),
            Some(&br#"{"order":{"order_id":"o1"}}"#[..])
        );
        assert_eq!(
            value["request"]["signature"].as_str(),
            Some(payments_signing::digest::sha1_hex(format!("test|{data}").as_bytes()).as_str())
        );
        assert_eq!(value["request"]["version"], "2.0");
    }
}
