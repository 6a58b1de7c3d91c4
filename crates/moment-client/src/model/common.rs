//! Types shared by every API area: currency, metadata, timestamps, mode, payment errors.

use std::collections::BTreeMap;
use std::fmt;
use std::hash::{Hash, Hasher};

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Declares a `#[non_exhaustive]` string enum of the wire protocol with an `Unknown(String)`
/// variant that keeps values this version of the crate does not know.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $wire:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this version of the crate does not know, kept exactly as Moment sent it.
            Unknown(String),
        }

        impl $name {
            /// The value as Moment spells it on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )*
                    Self::Unknown(raw) => raw,
                }
            }

            /// Reads a wire value; unknown values become `Unknown`.
            pub fn from_wire(value: &str) -> Self {
                match value {
                    $( $wire => Self::$variant, )*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::from_wire(value)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let raw = <::std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                Ok(Self::from_wire(&raw))
            }
        }
    };
}

pub(crate) use open_enum;

open_enum! {
    /// Whether an object lives in test or live mode (`mode`).
    Mode {
        /// `live`: real money.
        Live => "live",
        /// `test`: no funds move.
        Test => "test",
    }
}

/// An ISO 4217 currency code as Moment sends it (`"ZAR"`, but also `"usd"` in some events).
///
/// Comparison is case-insensitive, so `Currency::new("usd") == Currency::new("USD")`.
///
/// ```
/// use moment_client::Currency;
/// assert_eq!(Currency::new("usd"), Currency::new("USD"));
/// assert_eq!(Currency::new("zar").to_uppercase(), "ZAR");
/// ```
#[derive(Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Currency(String);

impl Currency {
    /// Wraps a currency code; requests validate it (three ASCII letters) before sending.
    pub fn new(code: impl Into<String>) -> Self {
        Currency(code.into())
    }

    /// The code exactly as given or received.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The code in upper case (`ZAR`).
    pub fn to_uppercase(&self) -> String {
        self.0.to_ascii_uppercase()
    }

    pub(crate) fn is_valid(&self) -> bool {
        self.0.len() == 3 && self.0.bytes().all(|b| b.is_ascii_alphabetic())
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Currency({:?})", self.0)
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq for Currency {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(&other.0)
    }
}

impl Eq for Currency {}

impl Hash for Currency {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.to_ascii_uppercase().hash(state);
    }
}

impl From<&str> for Currency {
    fn from(code: &str) -> Self {
        Currency::new(code)
    }
}

impl From<String> for Currency {
    fn from(code: String) -> Self {
        Currency(code)
    }
}

/// Free-form key/value pairs attached to an object (`metadata`).
///
/// Moment documents string values, at most 10 keys, keys of at most 40 characters and values of
/// at most 500 characters; requests check these limits before sending. Numbers and booleans
/// received from older integrations are read as their text.
///
/// ```
/// use moment_client::Metadata;
/// let mut metadata = Metadata::new();
/// metadata.insert("order_id", "ord_789012");
/// assert_eq!(metadata.get("order_id"), Some("ord_789012"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Metadata(BTreeMap<String, String>);

impl Metadata {
    /// The most keys Moment accepts.
    pub const MAX_KEYS: usize = 10;
    /// The longest key, in characters.
    pub const MAX_KEY_LEN: usize = 40;
    /// The longest value, in characters.
    pub const MAX_VALUE_LEN: usize = 500;

    /// No metadata.
    pub fn new() -> Self {
        Metadata::default()
    }

    /// Sets `key` to `value`, returning the previous value.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<String>) -> Option<String> {
        self.0.insert(key.into(), value.into())
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }

    /// The number of keys.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there is no key.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The pairs, ordered by key.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Checks the documented limits; `field` names the member in the message.
    pub(crate) fn validate(&self, field: &str) -> Result<(), crate::Error> {
        if self.0.len() > Self::MAX_KEYS {
            return Err(crate::Error::invalid(format!(
                "{field}: {} keys given, Moment accepts at most {}",
                self.0.len(),
                Self::MAX_KEYS
            )));
        }
        for (key, value) in &self.0 {
            let key_len = key.chars().count();
            if key_len == 0 || key_len > Self::MAX_KEY_LEN {
                return Err(crate::Error::invalid(format!(
                    "{field}: key `{key}` has {key_len} characters, Moment accepts 1 to {}",
                    Self::MAX_KEY_LEN
                )));
            }
            let value_len = value.chars().count();
            if value_len > Self::MAX_VALUE_LEN {
                return Err(crate::Error::invalid(format!(
                    "{field}.{key}: the value has {value_len} characters, Moment accepts at most {}",
                    Self::MAX_VALUE_LEN
                )));
            }
        }
        Ok(())
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for Metadata {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Metadata(
            iter.into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }
}

impl<'de> Deserialize<'de> for Metadata {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MetadataVisitor;
        impl<'de> Visitor<'de> for MetadataVisitor {
            type Value = Metadata;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of metadata")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Metadata, E> {
                Ok(Metadata::new())
            }
            fn visit_none<E: de::Error>(self) -> Result<Metadata, E> {
                Ok(Metadata::new())
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Metadata, D::Error> {
                d.deserialize_any(self)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Metadata, A::Error> {
                let mut out = BTreeMap::new();
                while let Some((key, value)) = map.next_entry::<String, Value>()? {
                    let text = match value {
                        Value::Null => continue,
                        Value::String(s) => s,
                        other => other.to_string(),
                    };
                    out.insert(key, text);
                }
                Ok(Metadata(out))
            }
        }
        deserializer.deserialize_any(MetadataVisitor)
    }
}

/// An RFC 3339 timestamp as Moment sent it (`2025-03-18T14:06:51.149Z`).
///
/// The raw text is kept, so that an unexpected format never makes a whole object unreadable;
/// [`Timestamp::to_offset_date_time`] parses it.
///
/// ```
/// use moment_client::Timestamp;
/// let t = Timestamp::from("2025-03-18T14:06:51.149Z");
/// assert_eq!(t.to_offset_date_time().map(|t| t.year()), Some(2025));
/// assert!(Timestamp::from("yesterday").to_offset_date_time().is_none());
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(String);

impl Timestamp {
    /// The text as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The parsed time, or `None` when the text is not RFC 3339.
    pub fn to_offset_date_time(&self) -> Option<OffsetDateTime> {
        OffsetDateTime::parse(&self.0, &Rfc3339).ok()
    }
}

impl From<&str> for Timestamp {
    fn from(raw: &str) -> Self {
        Timestamp(raw.to_owned())
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({:?})", self.0)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why the last payment attempt failed (`last_payment_error`). A failed payment is data on the
/// session or payment, not an HTTP error.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct LastPaymentError {
    /// `error_code`, e.g. `card_declined`.
    #[serde(default)]
    pub error_code: Option<String>,
    /// `decline_code`, e.g. `insufficient_funds`.
    #[serde(default)]
    pub decline_code: Option<String>,
    /// `message`, readable text (may be shown to the customer).
    #[serde(default)]
    pub message: Option<String>,
    /// When the attempt failed.
    #[serde(default)]
    pub timestamp: Option<Timestamp>,
    /// Members this version of the crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Reads an amount of minor units sent as a JSON number or as a string of digits.
pub(crate) fn lenient_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    struct AmountVisitor;
    impl<'de> Visitor<'de> for AmountVisitor {
        type Value = Option<u64>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a non-negative integer (as a number or a string)")
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            u64::try_from(v)
                .map(Some)
                .map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Err(E::invalid_value(de::Unexpected::Float(v), &self))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            let digits = v.trim();
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(E::invalid_value(de::Unexpected::Str(v), &self));
            }
            digits
                .parse()
                .map(Some)
                .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
        }
    }
    d.deserialize_any(AmountVisitor)
}

/// Reads an HTTP status sent as a number or a string.
pub(crate) fn lenient_u16<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u16>, D::Error> {
    let value = lenient_u64(d)?;
    value
        .map(|v| {
            u16::try_from(v).map_err(|_| {
                <D::Error as de::Error>::invalid_value(de::Unexpected::Unsigned(v), &"a status")
            })
        })
        .transpose()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[derive(Debug, Deserialize)]
    struct Amounts {
        #[serde(default, deserialize_with = "lenient_u64")]
        amount: Option<u64>,
    }

    #[test]
    fn amounts_read_from_numbers_or_strings() {
        let a: Amounts = serde_json::from_str(r#"{"amount": "10000"}"#).unwrap();
        assert_eq!(a.amount, Some(10000));
        let a: Amounts = serde_json::from_str(r#"{"amount": 10000}"#).unwrap();
        assert_eq!(a.amount, Some(10000));
        let a: Amounts = serde_json::from_str(r#"{"amount": null}"#).unwrap();
        assert_eq!(a.amount, None);
        for bad in [
            r#"{"amount": -1}"#,
            r#"{"amount": 1.5}"#,
            r#"{"amount": "1.5"}"#,
            r#"{"amount": ""}"#,
            r#"{"amount": true}"#,
        ] {
            assert!(serde_json::from_str::<Amounts>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn metadata_reads_numbers_as_text_and_checks_limits() {
        let m: Metadata =
            serde_json::from_str(r#"{"a": "x", "b": 20000, "c": true, "d": null}"#).unwrap();
        assert_eq!(
            m.iter().collect::<Vec<_>>(),
            [("a", "x"), ("b", "20000"), ("c", "true")]
        );
        assert!(serde_json::from_str::<Metadata>("null").unwrap().is_empty());

        let eleven: Metadata = (0..11).map(|i| (format!("k{i}"), "v")).collect();
        assert!(eleven.validate("metadata").is_err());
        let ten: Metadata = (0..10).map(|i| (format!("k{i}"), "v")).collect();
        assert!(ten.validate("metadata").is_ok());
        let long_key: Metadata = [("k".repeat(41), "v")].into_iter().collect();
        assert!(long_key.validate("metadata").is_err());
        let key_40: Metadata = [("k".repeat(40), "v".repeat(500))].into_iter().collect();
        assert!(key_40.validate("metadata").is_ok());
        let long_value: Metadata = [("k", "v".repeat(501))].into_iter().collect();
        assert!(long_value.validate("metadata").is_err());
    }

    #[test]
    fn unknown_enum_values_are_kept() {
        let mode: Mode = serde_json::from_str(r#""sandbox""#).unwrap();
        assert_eq!(mode, Mode::Unknown("sandbox".to_owned()));
        assert_eq!(serde_json::to_string(&mode).unwrap(), r#""sandbox""#);
        assert_eq!(
            serde_json::from_str::<Mode>(r#""live""#).unwrap(),
            Mode::Live
        );
    }
}
