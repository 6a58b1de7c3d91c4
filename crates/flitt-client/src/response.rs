//! Turning a response body into verified, typed values: envelope, request errors, signature
//! (protocol 1.0.1 over every field as received, or 2.0 over `data`), then typed decoding with
//! the failing field path.

use std::collections::BTreeMap;

use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use crate::auth::{SignatureCheck, signing_text, verify_fields};

/// A JSON object as received: its text, and its fields with their raw values.
#[derive(Debug)]
pub(crate) struct RawObject {
    text: Box<RawValue>,
    fields: BTreeMap<String, Box<RawValue>>,
}

/// Where and why decoding failed.
#[derive(Debug, Clone)]
pub(crate) struct FieldError {
    pub(crate) path: String,
    pub(crate) message: String,
}

impl FieldError {
    pub(crate) fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            path: path.into(),
            message: message.into(),
        }
    }

    /// Prefixes the path with a parent (`response`, `additional_info`, `[2]`).
    pub(crate) fn within(mut self, parent: &str) -> Self {
        self.path = if self.path.is_empty() {
            parent.to_owned()
        } else if self.path.starts_with('[') {
            format!("{parent}{}", self.path)
        } else {
            format!("{parent}.{}", self.path)
        };
        self
    }
}

impl RawObject {
    /// Parses an object; `Err` when the text is not a JSON object.
    pub(crate) fn parse(text: &str) -> Result<Self, FieldError> {
        let fields: BTreeMap<String, Box<RawValue>> = serde_json::from_str(text)
            .map_err(|e| FieldError::new("", format!("expected a JSON object: {e}")))?;
        let text = RawValue::from_string(text.trim().to_owned())
            .map_err(|e| FieldError::new("", e.to_string()))?;
        Ok(RawObject { text, fields })
    }

    /// Builds an object from text pairs (a form-encoded body): every value is a string.
    pub(crate) fn from_text_pairs(pairs: &[(String, String)]) -> Result<Self, FieldError> {
        let mut map = serde_json::Map::new();
        for (k, v) in pairs {
            map.insert(k.clone(), serde_json::Value::String(v.clone()));
        }
        Self::parse(&serde_json::Value::Object(map).to_string())
    }

    pub(crate) fn get(&self, key: &str) -> Option<&RawValue> {
        self.fields.get(key).map(|b| &**b)
    }

    /// The text form of a field (as it takes part in a signature).
    pub(crate) fn text_of(&self, key: &str) -> Option<String> {
        self.get(key).and_then(signing_text)
    }

    pub(crate) fn fields(&self) -> &BTreeMap<String, Box<RawValue>> {
        &self.fields
    }

    /// Decodes the whole object into a typed value, naming the failing field.
    pub(crate) fn decode<T: DeserializeOwned>(&self) -> Result<T, FieldError> {
        decode_text(self.text.get())
    }

    /// The fields not in `known`, as JSON values.
    pub(crate) fn extra(&self, known: &[&str]) -> BTreeMap<String, serde_json::Value> {
        self.fields
            .iter()
            .filter(|(k, _)| !known.contains(&k.as_str()))
            .filter_map(|(k, v)| {
                serde_json::from_str::<serde_json::Value>(v.get())
                    .ok()
                    .map(|value| (k.clone(), value))
            })
            .collect()
    }

    /// Whether this is a request error (`response_status: failure`, or an `error_code`).
    pub(crate) fn is_failure(&self) -> bool {
        self.text_of("response_status")
            .is_some_and(|s| s.eq_ignore_ascii_case("failure"))
            || self.text_of("error_code").is_some()
    }

    /// Whether this is a protocol 2.0 envelope (`version: "2.0"` and `data`).
    pub(crate) fn is_v2(&self) -> bool {
        self.text_of("version").as_deref() == Some("2.0") && self.get("data").is_some()
    }
}

/// Decodes JSON text into a typed value, naming the failing field.
pub(crate) fn decode_text<T: DeserializeOwned>(text: &str) -> Result<T, FieldError> {
    let mut de = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { String::new() } else { path };
        FieldError::new(path, e.into_inner().to_string())
    })
}

/// A Flitt request error, decoded.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct FailureBody {
    #[serde(default, deserialize_with = "crate::model::de::opt_code")]
    pub(crate) error_code: Option<crate::model::ErrorCode>,
    #[serde(default, deserialize_with = "crate::model::de::opt_text")]
    pub(crate) error_message: Option<String>,
    #[serde(default, deserialize_with = "crate::model::de::opt_text")]
    pub(crate) request_id: Option<String>,
}

/// Why a signed object was not accepted.
#[derive(Debug)]
pub(crate) enum Rejection {
    /// The signature is missing.
    MissingSignature,
    /// The signature does not match.
    BadSignature,
    /// The object (or its 2.0 `data`) is malformed.
    Malformed(FieldError),
}

/// Whether an unsigned object is acceptable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SignaturePolicy {
    /// A signature must be present and valid (anything that reports money state).
    Required,
    /// Verified when present (checkout links, 3-D Secure challenges, list entries).
    IfPresent,
}

/// Verifies a received object with one of the keys and returns the signed content: the object
/// itself (protocol 1.0.1) or the decoded `order` of a 2.0 envelope.
pub(crate) fn verify_object(
    object: RawObject,
    keys: &[&SecretString],
    policy: SignaturePolicy,
) -> Result<RawObject, Rejection> {
    if object.is_v2() {
        let data = object
            .text_of("data")
            .ok_or_else(|| Rejection::Malformed(FieldError::new("data", "expected a string")))?;
        let Some(signature) = object.text_of("signature").filter(|s| !s.is_empty()) else {
            return Err(Rejection::MissingSignature);
        };
        if !keys
            .iter()
            .any(|key| payments_signing::fondy::verify_v2(key.expose_secret(), &data, &signature))
        {
            return Err(Rejection::BadSignature);
        }
        return decode_v2_data(&data).map_err(Rejection::Malformed);
    }
    let mut outcome = SignatureCheck::Missing;
    for key in keys {
        outcome = verify_fields(key, object.fields());
        if outcome != SignatureCheck::Mismatch {
            break;
        }
    }
    match (outcome, policy) {
        (SignatureCheck::Valid, _) | (SignatureCheck::Missing, SignaturePolicy::IfPresent) => {
            Ok(object)
        }
        (SignatureCheck::Missing, SignaturePolicy::Required) => Err(Rejection::MissingSignature),
        (SignatureCheck::Mismatch, _) => Err(Rejection::BadSignature),
    }
}

/// The `order` object inside protocol 2.0 `data` (base64 of `{"order": {…}}`).
pub(crate) fn decode_v2_data(data: &str) -> Result<RawObject, FieldError> {
    let bytes = payments_signing::digest::base64_decode(data.trim())
        .ok_or_else(|| FieldError::new("data", "is not valid base64"))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| FieldError::new("data", "does not decode to UTF-8 text"))?;
    let outer = RawObject::parse(&text).map_err(|e| e.within("data"))?;
    match outer.get("order") {
        Some(order) => RawObject::parse(order.get()).map_err(|e| e.within("data.order")),
        // Some 2.0 answers carry the fields directly.
        None => Ok(outer),
    }
}

/// A response body, parsed just enough to find what is inside the envelope.
#[derive(Debug)]
pub(crate) enum Envelope {
    /// `{"response": {…}}`.
    Object(RawObject),
    /// A JSON array (`transaction_list`).
    Array(Vec<RawObject>),
}

/// Parses the body: JSON, then the `response` member when there is one.
pub(crate) fn parse_envelope(body: &[u8]) -> Result<Envelope, FieldError> {
    let text =
        std::str::from_utf8(body).map_err(|_| FieldError::new("", "the body is not UTF-8 text"))?;
    if text.trim().is_empty() {
        return Err(FieldError::new("", "the body is empty"));
    }
    let value: Box<RawValue> = serde_json::from_str(text)
        .map_err(|e| FieldError::new("", format!("the body is not JSON: {e}")))?;
    let trimmed = value.get().trim_start();
    if trimmed.starts_with('[') {
        let items: Vec<Box<RawValue>> =
            serde_json::from_str(value.get()).map_err(|e| FieldError::new("", e.to_string()))?;
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            out.push(RawObject::parse(item.get()).map_err(|e| e.within(&format!("[{i}]")))?);
        }
        return Ok(Envelope::Array(out));
    }
    let outer = RawObject::parse(value.get())?;
    match outer.get("response") {
        Some(inner) => {
            let inner_text = inner.get();
            if inner_text.trim_start().starts_with('[') {
                let items: Vec<Box<RawValue>> = serde_json::from_str(inner_text)
                    .map_err(|e| FieldError::new("response", e.to_string()))?;
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    out.push(
                        RawObject::parse(item.get())
                            .map_err(|e| e.within(&format!("response[{i}]")))?,
                    );
                }
                Ok(Envelope::Array(out))
            } else {
                Ok(Envelope::Object(
                    RawObject::parse(inner_text).map_err(|e| e.within("response"))?,
                ))
            }
        }
        None => Err(FieldError::new("response", "missing field `response`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_errors_name_what_is_wrong() {
        assert!(parse_envelope(b"").is_err());
        assert!(parse_envelope(b"<html>502 Bad Gateway</html>").is_err());
        assert!(parse_envelope(br#"{"response": {"order_id": "1""#).is_err());
        let err = parse_envelope(br#"{"other": 1}"#).err().map(|e| e.path);
        assert_eq!(err.as_deref(), Some("response"));
        let err = parse_envelope(br#"{"response": 5}"#).err().map(|e| e.path);
        assert_eq!(err.as_deref(), Some("response"));
        assert!(matches!(parse_envelope(b"[]"), Ok(Envelope::Array(v)) if v.is_empty()));
    }
}
