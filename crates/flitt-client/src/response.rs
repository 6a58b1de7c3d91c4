//! Turning a response body into verified, typed values: envelope, request errors, signature
//! (protocol 1.0.1 over every field as received, or 2.0 over `data`), then typed decoding with
//! the failing field path.
//!
//! Everything here borrows from the body: an object is parsed once into its fields' raw
//! values (keys and values are slices of the body), the signature is checked over those, and
//! the typed value is read from the same fields. Only a failing decode reads the text again,
//! with path tracking, to name the failing field.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use secrecy::{ExposeSecret, SecretString};
use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::auth::{SignatureCheck, signing_text, verify_fields};

/// One field of a received object: its key and its value exactly as received.
pub(crate) type RawField<'a> = (Cow<'a, str>, &'a RawValue);

/// A JSON object as received, borrowed from the text it was parsed from: its text, and its
/// fields with their raw values in key (byte) order. A key received more than once keeps its
/// last value, as a map would.
#[derive(Debug)]
pub(crate) struct RawObject<'a> {
    text: Source<'a>,
    fields: Vec<RawField<'a>>,
    /// Whether a key was received more than once (typed decoding then reads the text, which
    /// reports the duplicate).
    duplicates: bool,
    /// Each field's text form (as it takes part in a signature), once computed for a
    /// signature check; empty until then.
    texts: Vec<Option<Cow<'a, str>>>,
}

/// Where an object's text is: the text itself, or the `response` member of an answer body
/// whose fields were read in the same pass as the body (the text is then found again only when
/// a failing decode needs it).
#[derive(Debug, Clone, Copy)]
enum Source<'a> {
    Text(&'a str),
    ResponseOf(&'a str),
}

impl<'a> Source<'a> {
    fn text(self) -> &'a str {
        match self {
            Source::Text(text) => text,
            // The body was read as an object whose last `response` member is this object.
            Source::ResponseOf(body) => parse_fields(body)
                .ok()
                .and_then(|fields| {
                    fields
                        .into_iter()
                        .rev()
                        .find(|(k, _)| k == "response")
                        .map(|(_, v)| v.get().trim())
                })
                .unwrap_or(body),
        }
    }
}

/// A field that takes part in no signature and whose text form (an unescaped copy, as it is
/// usually JSON-escaped) is computed only when asked for.
fn text_on_demand(key: &str) -> bool {
    key == "response_signature_string"
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

/// Parses the fields of a JSON object (the whole text must be one object), borrowing keys and
/// raw values from the text. Errors are those of reading the text as a map.
fn parse_fields(text: &str) -> Result<Vec<RawField<'_>>, serde_json::Error> {
    // A field takes at least 6 bytes (`"k":1,`); most take far more.
    let capacity = (text.len() / 24).clamp(4, 64);
    let mut de = serde_json::Deserializer::from_str(text);
    let fields = FieldsSeed { capacity }.deserialize(&mut de)?;
    de.end()?;
    Ok(fields)
}

struct FieldsSeed {
    capacity: usize,
}

impl<'de> DeserializeSeed<'de> for FieldsSeed {
    type Value = Vec<RawField<'de>>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for FieldsSeed {
    type Value = Vec<RawField<'de>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // What a map reports, so that errors read as they always have.
        f.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut fields = Vec::with_capacity(self.capacity);
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let value: &'de RawValue = map.next_value()?;
            fields.push((key, value));
        }
        Ok(fields)
    }
}

/// A key, borrowed from the text unless it has escapes.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

/// Sorts fields by key; a repeated key keeps its last value. Returns whether a key repeated.
fn sort_fields(fields: &mut Vec<RawField<'_>>) -> bool {
    // Raw values are slices of one text: their addresses give the order they were received in.
    fields.sort_unstable_by(|a, b| {
        a.0.as_bytes()
            .cmp(b.0.as_bytes())
            .then_with(|| a.1.get().as_ptr().cmp(&b.1.get().as_ptr()))
    });
    let mut duplicates = false;
    fields.dedup_by(|later, earlier| {
        if later.0 == earlier.0 {
            std::mem::swap(later, earlier);
            duplicates = true;
            true
        } else {
            false
        }
    });
    duplicates
}

impl<'a> RawObject<'a> {
    /// Parses an object; `Err` when the text is not a JSON object.
    pub(crate) fn parse(text: &'a str) -> Result<Self, FieldError> {
        let mut fields = parse_fields(text)
            .map_err(|e| FieldError::new("", format!("expected a JSON object: {e}")))?;
        let duplicates = sort_fields(&mut fields);
        Ok(RawObject {
            text: Source::Text(text.trim()),
            fields,
            duplicates,
            texts: Vec::new(),
        })
    }

    /// Builds an object from text pairs (a form-encoded body): every value is a string. The
    /// object's text is written to `storage`.
    pub(crate) fn from_text_pairs(
        pairs: &[(String, String)],
        storage: &'a mut String,
    ) -> Result<Self, FieldError> {
        let mut map = serde_json::Map::new();
        for (k, v) in pairs {
            map.insert(k.clone(), serde_json::Value::String(v.clone()));
        }
        *storage = serde_json::Value::Object(map).to_string();
        let storage: &'a String = storage;
        Self::parse(storage)
    }

    fn position(&self, key: &str) -> Option<usize> {
        self.fields
            .binary_search_by(|(k, _)| k.as_bytes().cmp(key.as_bytes()))
            .ok()
    }

    pub(crate) fn get(&self, key: &str) -> Option<&'a RawValue> {
        self.position(key)
            .and_then(|i| self.fields.get(i))
            .map(|(_, v)| *v)
    }

    /// The text form of a field (as it takes part in a signature).
    pub(crate) fn text_of(&self, key: &str) -> Option<Cow<'_, str>> {
        let i = self.position(key)?;
        match self.texts.get(i) {
            Some(text) if !text_on_demand(key) => text.as_deref().map(Cow::Borrowed),
            _ => self.fields.get(i).and_then(|(_, v)| signing_text(v)),
        }
    }

    /// Computes the text form of every field that takes part in a signature, once (a
    /// signature check reads them all, later lookups share them).
    pub(crate) fn compute_texts(&mut self) {
        if self.texts.len() != self.fields.len() {
            self.texts = self
                .fields
                .iter()
                .map(|(k, v)| {
                    if text_on_demand(k) {
                        None
                    } else {
                        signing_text(v)
                    }
                })
                .collect();
        }
    }

    /// The protocol 1.0.1 signature string of the object: `secret`, then the non-empty text
    /// of every field that takes part, in key order, joined by `|` (what
    /// [`payments_signing::fondy::signature_string`] builds, written from the fields, which
    /// are already in key order without repeats).
    pub(crate) fn signature_string(&self, secret: &str) -> String {
        let signed = |(i, (k, v)): (usize, &'_ RawField<'a>)| -> Option<Cow<'_, str>> {
            if payments_signing::fondy::EXCLUDED_KEYS.contains(&k.as_ref()) {
                return None;
            }
            let text = match self.texts.get(i) {
                Some(text) => text.as_deref().map(Cow::Borrowed),
                None => signing_text(v),
            };
            text.filter(|t| !t.is_empty())
        };
        let len = secret.len()
            + self
                .fields
                .iter()
                .enumerate()
                .filter_map(signed)
                .map(|t| t.len() + 1)
                .sum::<usize>();
        let mut out = String::with_capacity(len);
        out.push_str(secret);
        for text in self.fields.iter().enumerate().filter_map(signed) {
            out.push('|');
            out.push_str(&text);
        }
        out
    }

    /// The fields in key order.
    pub(crate) fn fields(&self) -> &[RawField<'a>] {
        &self.fields
    }

    /// Decodes the whole object into a typed value, naming the failing field.
    pub(crate) fn decode<T: DeserializeOwned>(&self) -> Result<T, FieldError> {
        if !self.duplicates
            && let Ok(value) = T::deserialize(FieldsDeserializer {
                fields: &self.fields,
            })
        {
            return Ok(value);
        }
        decode_text(self.text.text())
    }

    /// The fields not in `known`, as JSON values.
    pub(crate) fn extra(&self, known: &[&str]) -> BTreeMap<String, serde_json::Value> {
        self.extra_by(|k| known.contains(&k))
    }

    /// The fields for which `known` is false, as JSON values (a value that does not parse into
    /// one, e.g. nested too deeply, is left out).
    pub(crate) fn extra_by(
        &self,
        known: impl Fn(&str) -> bool,
    ) -> BTreeMap<String, serde_json::Value> {
        self.fields
            .iter()
            .filter(|(k, _)| !known(k))
            .filter_map(|(k, v)| {
                serde_json::from_str::<serde_json::Value>(v.get())
                    .ok()
                    .map(|value| (k.clone().into_owned(), value))
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

/// Decodes the text of a JSON object into a typed value, with the fields `known` does not
/// accept as JSON values (a repeated key keeps its last value; a value that does not parse
/// into one is left out): what parsing a [`RawObject`], decoding it and taking
/// [`RawObject::extra_by`] gives.
///
/// Usually in one pass over the text: the typed value is read from it as `serde_json` reads
/// it (fields it does not accept are set aside, as raw values, instead of being ignored by
/// it). Anything that does not succeed that way takes the general route, which gives the same
/// errors as before.
pub(crate) fn decode_with_extra<T: DeserializeOwned>(
    text: &str,
    known: impl Fn(&str) -> bool,
) -> Result<(T, BTreeMap<String, serde_json::Value>), FieldError> {
    let mut unknown = Vec::new();
    let mut de = serde_json::Deserializer::from_str(text);
    let one_pass = T::deserialize(SetAside {
        de: &mut de,
        known: &known,
        unknown: &mut unknown,
    });
    if let Ok(value) = one_pass
        && de.end().is_ok()
    {
        return Ok((value, extra_values(&unknown)));
    }
    decode_fields_with_extra(text, known)
}

/// [`decode_with_extra`] from the object's fields (parsed first), the text giving the error.
/// The typed value is read from the fields in the order received, so a repeated field it
/// reads fails there (and the text, read again, gives the error).
fn decode_fields_with_extra<T: DeserializeOwned>(
    text: &str,
    known: impl Fn(&str) -> bool,
) -> Result<(T, BTreeMap<String, serde_json::Value>), FieldError> {
    let fields = parse_fields(text)
        .map_err(|e| FieldError::new("", format!("expected a JSON object: {e}")))?;
    let value = match T::deserialize(FieldsDeserializer { fields: &fields }) {
        Ok(value) => value,
        Err(_) => decode_text(text)?,
    };
    let unknown: Vec<_> = fields.into_iter().filter(|(k, _)| !known(k)).collect();
    Ok((value, extra_values(&unknown)))
}

/// Fields as JSON values, in the order received: a repeated key keeps its last value (and is
/// left out when that does not parse into one, e.g. nested too deeply).
fn extra_values(fields: &[RawField<'_>]) -> BTreeMap<String, serde_json::Value> {
    let mut extra = BTreeMap::new();
    for (k, v) in fields {
        match serde_json::from_str::<serde_json::Value>(v.get()) {
            Ok(value) => {
                extra.insert(k.clone().into_owned(), value);
            }
            Err(_) => {
                extra.remove(k.as_ref());
            }
        }
    }
    extra
}

/// Reads an object from JSON text for a typed value, showing it only the fields `known`
/// accepts; the others are set aside, as raw values, in `unknown`. The typed value ignores
/// fields it does not know, so it is what reading the text directly gives. Only an object
/// is read (anything else is an error).
struct SetAside<'x, 'de, F> {
    de: &'x mut serde_json::Deserializer<serde_json::de::StrRead<'de>>,
    known: &'x F,
    unknown: &'x mut Vec<RawField<'de>>,
}

impl<'x, 'de, F: Fn(&str) -> bool> Deserializer<'de> for SetAside<'x, 'de, F> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.de.deserialize_map(SetAsideVisitor {
            visitor,
            known: self.known,
            unknown: self.unknown,
        })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

struct SetAsideVisitor<'x, 'de, V, F> {
    visitor: V,
    known: &'x F,
    unknown: &'x mut Vec<RawField<'de>>,
}

impl<'x, 'de, V: Visitor<'de>, F: Fn(&str) -> bool> Visitor<'de>
    for SetAsideVisitor<'x, 'de, V, F>
{
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        self.visitor.visit_map(SetAsideMap {
            map,
            known: self.known,
            unknown: self.unknown,
        })
    }
}

struct SetAsideMap<'x, 'de, A, F> {
    map: A,
    known: &'x F,
    unknown: &'x mut Vec<RawField<'de>>,
}

impl<'x, 'de, A: MapAccess<'de>, F: Fn(&str) -> bool> MapAccess<'de>
    for SetAsideMap<'x, 'de, A, F>
{
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        while let Some(key) = self.map.next_key_seed(KeySeed)? {
            if (self.known)(&key) {
                return match key {
                    Cow::Borrowed(key) => seed
                        .deserialize(de::value::BorrowedStrDeserializer::new(key))
                        .map(Some),
                    Cow::Owned(key) => seed
                        .deserialize(de::value::StringDeserializer::new(key))
                        .map(Some),
                };
            }
            let value: &'de RawValue = self.map.next_value()?;
            self.unknown.push((key, value));
        }
        Ok(None)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<S::Value, Self::Error> {
        self.map.next_value_seed(seed)
    }
}

/// Decodes JSON text into a typed value, naming the failing field. Plain decoding first; only
/// when it fails is the text decoded again with path tracking (decoding is deterministic, so
/// the second pass fails at the same place).
pub(crate) fn decode_text<T: DeserializeOwned>(text: &str) -> Result<T, FieldError> {
    if let Ok(value) = serde_json::from_str(text) {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { String::new() } else { path };
        FieldError::new(path, e.into_inner().to_string())
    })
}

/// Reads a typed value from already parsed fields, as if from the object's text. Used only
/// where success means the same value as decoding the text: any error (including a nested
/// value, see [`RawDeserializer`]) sends the caller to the text.
struct FieldsDeserializer<'a, 'f> {
    fields: &'f [RawField<'a>],
}

impl<'de, 'f> Deserializer<'de> for FieldsDeserializer<'de, 'f> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_map(FieldsAccess {
            fields: self.fields.iter(),
            value: None,
        })
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.deserialize_any(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.deserialize_any(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_unit()
    }

    // Anything else is not how an object is read: let the text decide.
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct enum identifier
    }
}

struct FieldsAccess<'a, 'f> {
    fields: std::slice::Iter<'f, RawField<'a>>,
    value: Option<&'a RawValue>,
}

impl<'de, 'f> MapAccess<'de> for FieldsAccess<'de, 'f> {
    type Error = serde_json::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        let Some((key, value)) = self.fields.next() else {
            return Ok(None);
        };
        self.value = Some(value);
        match key {
            Cow::Borrowed(key) => seed
                .deserialize(de::value::BorrowedStrDeserializer::new(key))
                .map(Some),
            Cow::Owned(key) => seed
                .deserialize(de::value::StrDeserializer::new(key))
                .map(Some),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        match self.value.take() {
            Some(raw) => seed.deserialize(RawDeserializer(raw)),
            None => Err(de::Error::custom("value requested before its key")),
        }
    }
}

/// One raw field value, read with `serde_json` exactly as it reads it inside the object.
/// A nested value (object or array) is refused: inside the object it would be one level
/// deeper, so `serde_json`'s depth limit could decide differently; the text decides instead.
/// Ignoring a value does not read it again (it was checked when the object was parsed).
struct RawDeserializer<'a>(&'a RawValue);

impl<'a> RawDeserializer<'a> {
    fn reader(
        &self,
    ) -> Result<serde_json::Deserializer<serde_json::de::StrRead<'a>>, serde_json::Error> {
        let text = self.0.get();
        if matches!(text.as_bytes().first(), Some(b'{' | b'[')) {
            return Err(de::Error::custom("nested value"));
        }
        Ok(serde_json::Deserializer::from_str(text))
    }
}

macro_rules! read_raw {
    ($($method:ident($($arg:ident: $ty:ty),*);)*) => {
        $(
            fn $method<V: Visitor<'de>>(
                self,
                $($arg: $ty,)*
                visitor: V,
            ) -> Result<V::Value, Self::Error> {
                let mut de = self.reader()?;
                let value = (&mut de).$method($($arg,)* visitor)?;
                de.end()?;
                Ok(value)
            }
        )*
    };
}

impl<'de> Deserializer<'de> for RawDeserializer<'de> {
    type Error = serde_json::Error;

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_unit()
    }

    read_raw! {
        deserialize_any();
        deserialize_bool();
        deserialize_i8();
        deserialize_i16();
        deserialize_i32();
        deserialize_i64();
        deserialize_i128();
        deserialize_u8();
        deserialize_u16();
        deserialize_u32();
        deserialize_u64();
        deserialize_u128();
        deserialize_f32();
        deserialize_f64();
        deserialize_char();
        deserialize_str();
        deserialize_string();
        deserialize_bytes();
        deserialize_byte_buf();
        deserialize_option();
        deserialize_unit();
        deserialize_unit_struct(name: &'static str);
        deserialize_newtype_struct(name: &'static str);
        deserialize_seq();
        deserialize_tuple(len: usize);
        deserialize_tuple_struct(name: &'static str, len: usize);
        deserialize_map();
        deserialize_struct(name: &'static str, fields: &'static [&'static str]);
        deserialize_enum(name: &'static str, variants: &'static [&'static str]);
        deserialize_identifier();
    }
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
/// itself (protocol 1.0.1) or the decoded `order` of a 2.0 envelope, whose text is kept in
/// `storage`.
pub(crate) fn verify_object<'a: 's, 's>(
    object: RawObject<'a>,
    keys: &[&SecretString],
    policy: SignaturePolicy,
    storage: &'s mut String,
) -> Result<RawObject<'s>, Rejection> {
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
        return decode_v2_data(&data, storage).map_err(Rejection::Malformed);
    }
    let mut object = object;
    object.compute_texts();
    let mut outcome = SignatureCheck::Missing;
    for key in keys {
        outcome = verify_fields(key, &object);
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

/// The `order` object inside protocol 2.0 `data` (base64 of `{"order": {…}}`); the decoded
/// text is kept in `storage`.
pub(crate) fn decode_v2_data<'s>(
    data: &str,
    storage: &'s mut String,
) -> Result<RawObject<'s>, FieldError> {
    let bytes = payments_signing::digest::base64_decode(data.trim())
        .ok_or_else(|| FieldError::new("data", "is not valid base64"))?;
    *storage = String::from_utf8(bytes)
        .map_err(|_| FieldError::new("data", "does not decode to UTF-8 text"))?;
    let text: &'s String = storage;
    let outer = RawObject::parse(text).map_err(|e| e.within("data"))?;
    match outer.get("order") {
        Some(order) => RawObject::parse(order.get()).map_err(|e| e.within("data.order")),
        // Some 2.0 answers carry the fields directly.
        None => Ok(outer),
    }
}

/// A response body, parsed just enough to find what is inside the envelope.
#[derive(Debug)]
pub(crate) enum Envelope<'a> {
    /// `{"response": {…}}`.
    Object(RawObject<'a>),
    /// A JSON array (`transaction_list`).
    Array(Vec<RawObject<'a>>),
}

/// The objects of a JSON array, each named by its index (under `parent`) when it is not one.
fn parse_items<'a>(items: &[&'a RawValue], parent: &str) -> Result<Vec<RawObject<'a>>, FieldError> {
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        out.push(RawObject::parse(item.get()).map_err(|e| e.within(&format!("{parent}[{i}]")))?);
    }
    Ok(out)
}

/// Parses the body: JSON, then the `response` member when there is one. The body is read once
/// (and the `response` member once more, into its fields); a body that does not parse that
/// way is read again step by step to describe what is wrong with it.
pub(crate) fn parse_envelope(body: &[u8]) -> Result<Envelope<'_>, FieldError> {
    let text =
        std::str::from_utf8(body).map_err(|_| FieldError::new("", "the body is not UTF-8 text"))?;
    if text.trim_start().is_empty() {
        return Err(FieldError::new("", "the body is empty"));
    }
    if text.trim_start().starts_with('[') {
        // Any JSON array parses into raw items; anything else is not JSON.
        if let Ok(items) = serde_json::from_str::<Vec<&RawValue>>(text) {
            return parse_items(&items, "").map(Envelope::Array);
        }
    } else {
        // The usual answer, `{"response": {…}}`, in one pass: the body's members are checked
        // and the `response` object is read into its fields as it goes by.
        let capacity = (text.len() / 24).clamp(4, 64);
        let mut de = serde_json::Deserializer::from_str(text);
        if let Ok(Some(mut fields)) = de.deserialize_map(EnvelopeVisitor { capacity })
            && de.end().is_ok()
        {
            let duplicates = sort_fields(&mut fields);
            return Ok(Envelope::Object(RawObject {
                text: Source::ResponseOf(text),
                fields,
                duplicates,
                texts: Vec::new(),
            }));
        }
        // Anything else that is a JSON object parses into its fields.
        if let Ok(mut fields) = parse_fields(text) {
            let duplicates = sort_fields(&mut fields);
            return inside_envelope(&RawObject {
                text: Source::Text(text.trim()),
                fields,
                duplicates,
                texts: Vec::new(),
            });
        }
    }
    let value: &RawValue = serde_json::from_str(text)
        .map_err(|e| FieldError::new("", format!("the body is not JSON: {e}")))?;
    if value.get().trim_start().starts_with('[') {
        let items: Vec<&RawValue> =
            serde_json::from_str(value.get()).map_err(|e| FieldError::new("", e.to_string()))?;
        return parse_items(&items, "").map(Envelope::Array);
    }
    inside_envelope(&RawObject::parse(value.get())?)
}

/// Reads an answer body that is an object whose (last) `response` member is an object: the
/// fields of that member, as [`RawObject::parse`] reads them from its text. `None` when there
/// is no `response` member; an error when the body is not such an object (the caller then
/// takes the general route, which describes what it is).
struct EnvelopeVisitor {
    capacity: usize,
}

impl<'de> Visitor<'de> for EnvelopeVisitor {
    type Value = Option<Vec<RawField<'de>>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut response = None;
        while let Some(key) = map.next_key_seed(KeySeed)? {
            if key == "response" {
                response = Some(map.next_value_seed(FieldsSeed {
                    capacity: self.capacity,
                })?);
            } else {
                map.next_value::<de::IgnoredAny>()?;
            }
        }
        Ok(response)
    }
}

/// What the `response` member of the outer object holds.
fn inside_envelope<'a>(outer: &RawObject<'a>) -> Result<Envelope<'a>, FieldError> {
    match outer.get("response") {
        Some(inner) => {
            let inner_text = inner.get();
            if inner_text.trim_start().starts_with('[') {
                let items: Vec<&RawValue> = serde_json::from_str(inner_text)
                    .map_err(|e| FieldError::new("response", e.to_string()))?;
                parse_items(&items, "response").map(Envelope::Array)
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

    #[test]
    fn the_envelope_read_in_one_pass_is_the_response_member_read_alone() {
        use crate::model::order::AdditionalInfo;
        let bodies: [&[u8]; 5] = [
            br#"{"response": {"b": "2", "a": 1, "b": "3"}}"#,
            br#" {"response": {"a": 1}, "x": {"y": []}, "respons\u0065": {"is_test": "Y"}} "#,
            br#"{"x": [[]], "response": {}}"#,
            br#"{"response": {"client_fee": 1, "client_fee": 2}, "z": null}"#,
            br#"{"response": {"k\u00e9": "v\"w"}}"#,
        ];
        for body in bodies {
            let Ok(Envelope::Object(fast)) = parse_envelope(body) else {
                unreachable!("{body:?}");
            };
            assert!(matches!(fast.text, Source::ResponseOf(_)));
            let text = std::str::from_utf8(body).unwrap_or_default();
            let outer = object(text);
            let inner = outer.get("response").map(RawValue::get).unwrap_or_default();
            let slow = object(inner);
            assert_eq!(fast.text.text(), inner);
            assert_eq!(fast.duplicates, slow.duplicates);
            let pairs = |o: &RawObject<'_>| -> Vec<(String, String)> {
                o.fields
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.get().to_owned()))
                    .collect()
            };
            assert_eq!(pairs(&fast), pairs(&slow));
            let fast_info = fast.decode::<AdditionalInfo>().map_err(|e| e.message);
            let slow_info = slow.decode::<AdditionalInfo>().map_err(|e| e.message);
            assert_eq!(fast_info, slow_info);
        }
        // Not of that form: read the general way.
        assert!(matches!(
            parse_envelope(br#"{"response": []}"#),
            Ok(Envelope::Array(_))
        ));
        let Ok(Envelope::Object(last)) =
            parse_envelope(br#"{"response": [1], "response": {"a": 1}}"#)
        else {
            unreachable!();
        };
        assert!(matches!(last.text, Source::Text(_)));
        assert_eq!(last.get("a").map(RawValue::get), Some("1"));
        let err = parse_envelope(br#"{"response": "x"}"#)
            .err()
            .map(|e| e.path);
        assert_eq!(err.as_deref(), Some("response"));
    }

    #[test]
    fn additional_info_read_in_one_pass_is_what_its_fields_give() {
        use crate::model::order::AdditionalInfo;
        let known = |k: &str| k == "transaction_id" || k == "reservation_data" || k == "is_test";
        let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
        let docs = [
            r#"{"transaction_id": 5, "x": 1, "y": {"a": [1]}, "x": "2"}"#.to_owned(),
            r#"{"reservation_data": {"a": [1]}, "is_t\u0065st": "Y", "k\u00e9": null}"#.to_owned(),
            r#"{"transaction_id": 5, "transaction_id": 6}"#.to_owned(),
            r#"{"transaction_id": "x"}"#.to_owned(),
            format!(r#"{{"x": 1, "x": {deep}, "is_test": true}}"#),
            r#"[1, 2]"#.to_owned(),
            r#"{"is_test": true} x"#.to_owned(),
            "{}".to_owned(),
        ];
        for doc in &docs {
            let fast =
                decode_with_extra::<AdditionalInfo>(doc, known).map_err(|e| (e.path, e.message));
            let general = decode_fields_with_extra::<AdditionalInfo>(doc, known)
                .map_err(|e| (e.path, e.message));
            assert_eq!(fast, general, "{doc}");
        }
    }

    #[test]
    fn signature_string_is_the_primitive_s() {
        let text = r#"{"order_id": "o-1", "amount": 4600, "fee": "", "n": null, "t": true,
            "signature": "x", "response_signature_string": "a\"b", "info": "{\"a\": 1}",
            "z": 0, "f": false}"#;
        let mut object = object(text);
        let pairs: Vec<(String, String)> = object
            .fields
            .iter()
            .filter_map(|(k, v)| signing_text(v).map(|t| (k.to_string(), t.into_owned())))
            .collect();
        let expected = payments_signing::fondy::signature_string("key", pairs);
        assert_eq!(object.signature_string("key"), expected);
        object.compute_texts();
        assert_eq!(object.signature_string("key"), expected);
        assert_eq!(
            object.text_of("response_signature_string").as_deref(),
            Some("a\"b")
        );
    }

    fn object(text: &str) -> RawObject<'_> {
        RawObject::parse(text).unwrap_or_else(|e| unreachable!("{e:?}"))
    }

    fn from_fields<T: DeserializeOwned>(object: &RawObject<'_>) -> Result<T, serde_json::Error> {
        T::deserialize(FieldsDeserializer {
            fields: &object.fields,
        })
    }

    #[test]
    fn fields_decode_to_what_the_text_decodes_to() {
        use crate::model::order::{AdditionalInfo, Order};
        let text = r#"{"order_id": "o-1", "order_status": "approved", "amount": "4600",
            "merchant_id": 1549901, "card_bin": 444455, "response_code": "", "rrn": "a\"b\u00e9",
            "fee": null, "eci": 7, "order_time": "09.10.2024 21:20:46", "unknown": "x",
            "additional_info": "{\"client_fee\": 0.0, \"is_test\": true}", "deep": [[[1]]],
            "mas\u006bed_card": "444455XXXXXX6666"}"#;
        let object = object(text);
        let fast: Order = from_fields(&object).unwrap_or_else(|e| unreachable!("{e}"));
        let slow: Order = serde_json::from_str(text).unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(fast, slow);
        assert_eq!(fast.rrn.as_deref(), Some("a\"bé"));
        assert_eq!(fast.masked_card.as_deref(), Some("444455XXXXXX6666"));

        let info = r#"{"client_fee": 0.0, "is_test": "Y", "transaction_id": 2025817355,
            "reservation_data": null, "timeend": "09.10.2024 21:20:47", "card_type": "VISA"}"#;
        let fast: AdditionalInfo =
            from_fields(&self::object(info)).unwrap_or_else(|e| unreachable!("{e}"));
        let slow: AdditionalInfo =
            serde_json::from_str(info).unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(fast, slow);
    }

    #[test]
    fn nested_values_and_repeated_keys_are_decoded_from_the_text() {
        use crate::model::order::AdditionalInfo;
        // A nested value of a known field: the fields refuse it, the text decides.
        let nested = object(r#"{"reservation_data": {"a": [1]}}"#);
        assert!(from_fields::<AdditionalInfo>(&nested).is_err());
        let info: AdditionalInfo = nested.decode().unwrap_or_else(|e| unreachable!("{e:?}"));
        assert_eq!(info.reservation_data, Some(serde_json::json!({"a": [1]})));
        // A repeated key: the map keeps the last value, the typed decode names the duplicate.
        let repeated = object(r#"{"client_fee": 1, "bank_name": "a", "client_fee": 2}"#);
        assert!(repeated.duplicates);
        assert_eq!(repeated.get("client_fee").map(RawValue::get), Some("2"));
        let err = repeated.decode::<AdditionalInfo>().err().map(|e| e.message);
        assert!(
            err.as_deref()
                .is_some_and(|m| m.contains("duplicate field")),
            "{err:?}"
        );
    }
}
