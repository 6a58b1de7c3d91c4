//! Lenient (de)serialization helpers for Pivot's wire format.
//!
//! Pivot sends amounts as numbers in payment objects and as strings in refunds, `expiresIn` as a
//! string, booleans sometimes as `"true"`, `null` for empty lists, and timestamps with 0–9
//! fractional digits or the Go zero time `0001-01-01T00:00:00Z` for "not set". These helpers
//! accept every documented form and turn the "not set" forms into `None`.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serializer};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// A decimal from a JSON number or a numeric string.
pub(crate) fn decimal<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
    deserializer.deserialize_any(DecimalVisitor)
}

/// An optional decimal from a JSON number, a numeric string, `null` or `""`.
pub(crate) fn opt_decimal<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Decimal>, D::Error> {
    deserializer.deserialize_any(OptVisitor(DecimalVisitor))
}

struct DecimalVisitor;

impl<'de> Visitor<'de> for DecimalVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a decimal number or a numeric string")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
        if !v.is_finite() {
            return Err(E::invalid_value(de::Unexpected::Float(v), &self));
        }
        // The shortest representation that round-trips, parsed as a decimal: 10000.5 stays
        // 10000.5 instead of picking up binary noise.
        Decimal::from_str(&v.to_string())
            .or_else(|_| Decimal::from_scientific(&format!("{v:e}")))
            .map_err(|_| E::invalid_value(de::Unexpected::Float(v), &self))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
        let trimmed = v.trim();
        Decimal::from_str(trimmed)
            .or_else(|_| Decimal::from_scientific(trimmed))
            .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
    }
}

/// Wraps a visitor so that `null`, a missing value and `""` become `None`.
struct OptVisitor<V>(V);

impl<'de, V> Visitor<'de> for OptVisitor<V>
where
    V: Visitor<'de>,
{
    type Value = Option<V::Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)?;
        f.write_str(" or null")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.0.visit_u64(v).map(Some)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        self.0.visit_i64(v).map(Some)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        self.0.visit_f64(v).map(Some)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        self.0.visit_bool(v).map(Some)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if v.trim().is_empty() {
            Ok(None)
        } else {
            self.0.visit_str(v).map(Some)
        }
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        if v.trim().is_empty() {
            Ok(None)
        } else {
            self.0.visit_borrowed_str(v).map(Some)
        }
    }
}

struct U64Visitor;

impl<'de> Visitor<'de> for U64Visitor {
    type Value = u64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a non-negative integer or an integer string")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<u64, E> {
        Ok(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<u64, E> {
        u64::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<u64, E> {
        if v.is_finite() && v >= 0.0 && v.fract() == 0.0 && v <= 9.007_199_254_740_992e15 {
            Decimal::from_str(&v.to_string())
                .ok()
                .and_then(|d| d.to_u64())
                .ok_or_else(|| E::invalid_value(de::Unexpected::Float(v), &self))
        } else {
            Err(E::invalid_value(de::Unexpected::Float(v), &self))
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<u64, E> {
        v.trim()
            .parse()
            .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
    }
}

/// An optional unsigned integer from a number or a numeric string (`"900"`).
pub(crate) fn opt_u64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    deserializer.deserialize_any(OptVisitor(U64Visitor))
}

struct BoolVisitor;

impl<'de> Visitor<'de> for BoolVisitor {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a boolean or \"true\"/\"false\"")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
        Ok(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<bool, E> {
        match v {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(E::invalid_value(de::Unexpected::Unsigned(v), &self)),
        }
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<bool, E> {
        match v {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(E::invalid_value(de::Unexpected::Signed(v), &self)),
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        match v.trim().to_ascii_lowercase().as_str() {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
        }
    }
}

/// An optional boolean from `true`, `"true"`, `1`, `null`, …
pub(crate) fn opt_bool<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<bool>, D::Error> {
    deserializer.deserialize_any(OptVisitor(BoolVisitor))
}

struct StringVisitor;

impl<'de> Visitor<'de> for StringVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }
}

/// An optional string; `null` and `""` become `None`, numbers become their decimal text.
pub(crate) fn opt_string<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    deserializer.deserialize_any(OptVisitor(StringVisitor))
}

/// [`StringVisitor`] that borrows the text from the input when it can.
struct CowVisitor;

impl<'de> Visitor<'de> for CowVisitor {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        StringVisitor.expecting(f)
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        StringVisitor.visit_str(v).map(Cow::Owned)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        StringVisitor.visit_u64(v).map(Cow::Owned)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        StringVisitor.visit_i64(v).map(Cow::Owned)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        StringVisitor.visit_f64(v).map(Cow::Owned)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        StringVisitor.visit_bool(v).map(Cow::Owned)
    }
}

/// [`opt_string`], borrowing the text from the input when it has no escapes.
pub(crate) fn opt_str<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Cow<'de, str>>, D::Error> {
    deserializer.deserialize_any(OptVisitor(CowVisitor))
}

/// An optional wire enum (any type parsed infallibly from a string); `null` and `""` become
/// `None`. Reads what [`opt_string`] reads, parsing the borrowed text without copying it first.
pub(crate) fn opt_enum<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr<Err = std::convert::Infallible>,
{
    deserializer.deserialize_any(OptVisitor(EnumVisitor(std::marker::PhantomData)))
}

/// [`StringVisitor`], parsing the text into `T` instead of keeping it.
struct EnumVisitor<T>(std::marker::PhantomData<T>);

impl<T: FromStr<Err = std::convert::Infallible>> EnumVisitor<T> {
    fn parse(raw: &str) -> T {
        match T::from_str(raw) {
            Ok(value) => value,
            Err(never) => match never {},
        }
    }
}

impl<'de, T: FromStr<Err = std::convert::Infallible>> Visitor<'de> for EnumVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        StringVisitor.expecting(f)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        Ok(Self::parse(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        Ok(Self::parse(&v.to_string()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        Ok(Self::parse(&v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        Ok(Self::parse(&v.to_string()))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<T, E> {
        Ok(Self::parse(if v { "true" } else { "false" }))
    }
}

/// A list where `null` means empty.
pub(crate) fn null_as_empty<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default())
}

/// A list of strings that may also arrive as `null` or as an (empty) object.
pub(crate) fn string_list<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<String>, D::Error> {
    let value = serde_json::Value::deserialize(deserializer)?;
    match value {
        serde_json::Value::Null => Ok(Vec::new()),
        serde_json::Value::Array(items) => items
            .into_iter()
            .map(|item| match item {
                serde_json::Value::String(s) => Ok(s),
                other => Err(de::Error::invalid_type(
                    unexpected(&other),
                    &"a list of strings",
                )),
            })
            .collect(),
        serde_json::Value::Object(map) => Ok(map.into_iter().map(|(k, _)| k).collect()),
        other => Err(de::Error::invalid_type(
            unexpected(&other),
            &"a list of strings",
        )),
    }
}

fn unexpected(value: &serde_json::Value) -> de::Unexpected<'_> {
    match value {
        serde_json::Value::Null => de::Unexpected::Unit,
        serde_json::Value::Bool(b) => de::Unexpected::Bool(*b),
        serde_json::Value::Number(_) => de::Unexpected::Other("a number"),
        serde_json::Value::String(s) => de::Unexpected::Str(s),
        serde_json::Value::Array(_) => de::Unexpected::Seq,
        serde_json::Value::Object(_) => de::Unexpected::Map,
    }
}

struct TimestampVisitor;

impl<'de> Visitor<'de> for TimestampVisitor {
    type Value = Option<OffsetDateTime>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an RFC 3339 timestamp, \"\" or null")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        parse_timestamp(v).map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
    }
}

/// Parses Pivot's timestamps: RFC 3339 with 0–9 fractional digits, `Z` or an offset, or no
/// zone at all (read as UTC). `""` and the Go zero time `0001-01-01T00:00:00Z` are `None`.
pub(crate) fn parse_timestamp(raw: &str) -> Result<Option<OffsetDateTime>, time::error::Parse> {
    let raw = raw.trim();
    if raw.is_empty() || raw.starts_with("0001-01-01") {
        return Ok(None);
    }
    match OffsetDateTime::parse(raw, &Rfc3339) {
        Ok(t) => Ok(Some(t)),
        Err(first) => {
            let has_zone = raw.ends_with('Z')
                || raw.ends_with('z')
                || raw
                    .get(raw.len().saturating_sub(6)..)
                    .is_some_and(|tail| tail.starts_with('+') || tail.starts_with('-'));
            if has_zone {
                Err(first)
            } else {
                OffsetDateTime::parse(&format!("{raw}Z"), &Rfc3339).map(Some)
            }
        }
    }
}

/// An optional, lenient timestamp (see [`parse_timestamp`]).
pub(crate) fn opt_timestamp<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<OffsetDateTime>, D::Error> {
    deserializer.deserialize_any(TimestampVisitor)
}

/// Formats a timestamp the way Pivot's request tables ask: `YYYY-MM-DDTHH:MM:SSZ`, in UTC, whole
/// seconds.
pub(crate) fn format_timestamp(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Serializes an optional timestamp as `YYYY-MM-DDTHH:MM:SSZ`.
pub(crate) fn ser_opt_timestamp<S: Serializer>(
    value: &Option<OffsetDateTime>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(t) => serializer.serialize_str(&format_timestamp(*t)),
        None => serializer.serialize_none(),
    }
}

/// The JSON number a decimal is sent as: an integer when it has no fraction, otherwise the
/// binary double whose shortest form is exactly the decimal. `None` when no JSON number (without
/// arbitrary precision) carries the value exactly.
pub(crate) fn decimal_as_json_number(value: Decimal) -> Option<serde_json::Number> {
    let normalized = value.normalize();
    if normalized.fract().is_zero() {
        if let Some(i) = normalized.to_i64() {
            return Some(serde_json::Number::from(i));
        }
        if let Some(u) = normalized.to_u64() {
            return Some(serde_json::Number::from(u));
        }
    }
    let float = normalized.to_f64()?;
    let back = Decimal::from_str(&float.to_string()).ok()?;
    if back.normalize() == normalized {
        serde_json::Number::from_f64(float)
    } else {
        None
    }
}

/// Serializes a decimal as a JSON number (see [`decimal_as_json_number`]).
pub(crate) fn ser_decimal_number<S: Serializer>(
    value: &Decimal,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match decimal_as_json_number(*value) {
        Some(number) => serde::Serialize::serialize(&number, serializer),
        None => Err(serde::ser::Error::custom(format!(
            "{value} cannot be sent as an exact JSON number"
        ))),
    }
}

/// The path of a decode error, completed with the field a "missing field `x`" message names
/// (serde reports those at the enclosing object). The root is the empty path.
pub(crate) fn error_path(path: &str, message: &str) -> String {
    // serde_path_to_error writes `?` for a position it cannot name (e.g. inside a truncated
    // object): report the enclosing field instead.
    let mut base = if path == "." { "" } else { path };
    while let Some(parent) = base.strip_suffix(".?") {
        base = parent;
    }
    if base == "?" {
        base = "";
    }
    let missing = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split_once('`'))
        .map(|(field, _)| field);
    match missing {
        Some(field) if base.is_empty() => field.to_owned(),
        Some(field) => format!("{base}.{field}"),
        None => base.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[derive(Deserialize)]
    struct Probe {
        #[serde(default, deserialize_with = "opt_decimal")]
        amount: Option<Decimal>,
        #[serde(default, deserialize_with = "opt_timestamp")]
        at: Option<OffsetDateTime>,
        #[serde(default, deserialize_with = "opt_bool")]
        flag: Option<bool>,
        #[serde(default, deserialize_with = "opt_u64")]
        count: Option<u64>,
    }

    fn probe(json: &str) -> Probe {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn amounts_arrive_as_numbers_or_strings() {
        assert_eq!(
            probe(r#"{"amount": 10000}"#).amount,
            Some(Decimal::from(10000))
        );
        assert_eq!(
            probe(r#"{"amount": "10000.00"}"#).amount,
            Some(Decimal::new(1_000_000, 2))
        );
        assert_eq!(
            probe(r#"{"amount": 10000.5}"#).amount,
            Some(Decimal::new(100_005, 1))
        );
        assert_eq!(probe(r#"{"amount": null}"#).amount, None);
        assert_eq!(probe(r#"{"amount": ""}"#).amount, None);
        assert!(serde_json::from_str::<Probe>(r#"{"amount": "ten"}"#).is_err());
        assert!(serde_json::from_str::<Probe>(r#"{"amount": true}"#).is_err());
    }

    #[test]
    fn timestamps_accept_every_documented_precision_and_the_zero_time() {
        let nine = probe(r#"{"at": "2025-10-02T08:56:51.761170412Z"}"#)
            .at
            .unwrap();
        assert_eq!(nine.nanosecond(), 761_170_412);
        let seven = probe(r#"{"at": "2025-03-30T05:48:17.0549468Z"}"#)
            .at
            .unwrap();
        assert_eq!(seven.nanosecond(), 54_946_800);
        let whole = probe(r#"{"at": "2025-06-24T09:56:39Z"}"#).at.unwrap();
        assert_eq!(whole.unix_timestamp(), 1_750_759_000 - 1);
        assert_eq!(probe(r#"{"at": "0001-01-01T00:00:00Z"}"#).at, None);
        assert_eq!(probe(r#"{"at": ""}"#).at, None);
        assert_eq!(probe(r#"{"at": null}"#).at, None);
        assert!(probe(r#"{"at": "2025-06-24T09:56:39"}"#).at.is_some());
        assert!(serde_json::from_str::<Probe>(r#"{"at": "yesterday"}"#).is_err());
    }

    #[test]
    fn booleans_and_counts_arrive_as_strings_too() {
        assert_eq!(probe(r#"{"flag": "true"}"#).flag, Some(true));
        assert_eq!(probe(r#"{"flag": false}"#).flag, Some(false));
        assert_eq!(probe(r#"{"count": "900"}"#).count, Some(900));
        assert_eq!(probe(r#"{"count": 900}"#).count, Some(900));
        assert!(serde_json::from_str::<Probe>(r#"{"flag": "maybe"}"#).is_err());
    }

    #[test]
    fn decimals_become_exact_json_numbers_or_nothing() {
        assert_eq!(
            decimal_as_json_number(Decimal::new(1_000_000, 2))
                .unwrap()
                .to_string(),
            "10000"
        );
        assert_eq!(
            decimal_as_json_number(Decimal::new(1_050, 2))
                .unwrap()
                .to_string(),
            "10.5"
        );
        assert_eq!(
            decimal_as_json_number(Decimal::from(9_999_999_999_i64))
                .unwrap()
                .to_string(),
            "9999999999"
        );
        // 17 significant digits with a fraction do not survive a double.
        assert!(
            decimal_as_json_number(Decimal::from_str("1234567890123456.78").unwrap()).is_none()
        );
    }

    #[test]
    fn request_timestamps_use_the_documented_format() {
        let t = OffsetDateTime::from_unix_timestamp(1_767_139_140).unwrap();
        assert_eq!(format_timestamp(t), "2025-12-30T23:59:00Z");
    }
}
