//! Lenient deserialization of Flitt's scalars: numbers sent as strings or as numbers, empty
//! strings meaning "absent", booleans as `true` or `"Y"`, dates as `DD.MM.YYYY hh:mm:ss`.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::{self, Deserializer, Visitor};
use time::{
    Date, PrimitiveDateTime, format_description::BorrowedFormatItem, macros::format_description,
};

/// `DD.MM.YYYY hh:mm:ss`, the format of `order_time`.
pub(crate) const DATE_TIME: &[BorrowedFormatItem<'static>] =
    format_description!("[day].[month].[year] [hour]:[minute]:[second]");
/// `DD.MM.YYYY`, the format of `settlement_date`.
pub(crate) const DATE: &[BorrowedFormatItem<'static>] = format_description!("[day].[month].[year]");

/// A JSON scalar as received (a string borrowed from the input when it has no escapes).
enum Scalar<'de> {
    Null,
    Bool(bool),
    U64(u64),
    I64(i64),
    F64(f64),
    Str(Cow<'de, str>),
}

/// A type read from a wire string (open enums, currencies): `From<String>` without needing
/// an owned string for the values it knows.
pub(crate) trait FromWire: Sized {
    fn from_wire(raw: Cow<'_, str>) -> Self;
}

impl Scalar<'_> {
    fn describe(&self) -> String {
        match self {
            Scalar::Null => "null".into(),
            Scalar::Bool(b) => format!("boolean `{b}`"),
            Scalar::U64(n) => format!("number `{n}`"),
            Scalar::I64(n) => format!("number `{n}`"),
            Scalar::F64(n) => format!("number `{n}`"),
            Scalar::Str(s) => format!("string {s:?}"),
        }
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, a number, a boolean or null")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Scalar::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Scalar::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Scalar::Bool(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Scalar::U64(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Scalar::I64(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Scalar::F64(v))
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Owned(v)))
    }
}

fn scalar<'de, D: Deserializer<'de>>(d: D) -> Result<Scalar<'de>, D::Error> {
    d.deserialize_any(ScalarVisitor)
}

/// Text: strings as they are, numbers and booleans as their text; empty or null is `None`.
pub(crate) fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(opt_text_ref(d)?.map(Cow::into_owned))
}

/// [`opt_text`], borrowing a string from the input where it can.
fn opt_text_ref<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Cow<'de, str>>, D::Error> {
    Ok(match scalar(d)? {
        Scalar::Null => None,
        Scalar::Str(s) if s.is_empty() => None,
        Scalar::Str(s) => Some(s),
        Scalar::Bool(b) => Some(Cow::Owned(b.to_string())),
        Scalar::U64(n) => Some(Cow::Owned(n.to_string())),
        Scalar::I64(n) => Some(Cow::Owned(n.to_string())),
        Scalar::F64(n) => Some(Cow::Owned(n.to_string())),
    })
}

/// Required text (strings or numbers), never empty.
pub(crate) fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    opt_text(d)?.ok_or_else(|| de::Error::custom("expected a non-empty value"))
}

fn to_u64<E: de::Error>(value: Scalar<'_>) -> Result<Option<u64>, E> {
    match value {
        Scalar::Null => Ok(None),
        Scalar::Str(s) if s.trim().is_empty() => Ok(None),
        Scalar::Str(s) => s
            .trim()
            .parse::<u64>()
            .map(Some)
            .map_err(|_| E::custom(format!("expected an unsigned integer, got string {s:?}"))),
        Scalar::U64(n) => Ok(Some(n)),
        Scalar::F64(f) if f >= 0.0 && f.fract() == 0.0 && f < 1e15 => Ok(Some(f as u64)),
        other => Err(E::custom(format!(
            "expected an unsigned integer, got {}",
            other.describe()
        ))),
    }
}

/// An unsigned integer sent as a number or a string of digits; empty or null is `None`.
pub(crate) fn opt_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    to_u64(scalar(d)?)
}

/// A decimal (fees in `additional_info`), as a number or a string; empty or null is `None`.
pub(crate) fn opt_decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
    let text = match scalar(d)? {
        Scalar::Null => return Ok(None),
        Scalar::Str(s) if s.trim().is_empty() => return Ok(None),
        Scalar::Str(s) => s,
        Scalar::U64(n) => Cow::Owned(n.to_string()),
        Scalar::I64(n) => Cow::Owned(n.to_string()),
        // Rust prints the shortest text that reads back as the same float.
        Scalar::F64(n) => Cow::Owned(n.to_string()),
        Scalar::Bool(b) => {
            return Err(de::Error::custom(format!(
                "expected a decimal number, got boolean `{b}`"
            )));
        }
    };
    Decimal::from_str(text.trim())
        .or_else(|_| Decimal::from_scientific(text.trim()))
        .map(Some)
        .map_err(|_| de::Error::custom(format!("expected a decimal number, got {text:?}")))
}

/// A boolean sent as `true`, `"true"`, `"Y"`, `1`…; empty or null is `None`.
pub(crate) fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    match scalar(d)? {
        Scalar::Null => Ok(None),
        Scalar::Bool(b) => Ok(Some(b)),
        Scalar::U64(0) => Ok(Some(false)),
        Scalar::U64(1) => Ok(Some(true)),
        Scalar::Str(s) => match s.trim().to_ascii_lowercase().as_str() {
            "" => Ok(None),
            "true" | "y" | "yes" | "1" => Ok(Some(true)),
            "false" | "n" | "no" | "0" => Ok(Some(false)),
            _ => Err(de::Error::custom(format!(
                "expected a boolean, got string {s:?}"
            ))),
        },
        other => Err(de::Error::custom(format!(
            "expected a boolean, got {}",
            other.describe()
        ))),
    }
}

/// A value of an open enum (or any type built from a string); empty or null is `None`.
pub(crate) fn opt_enum<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: FromWire,
{
    match scalar(d)? {
        Scalar::Null => Ok(None),
        Scalar::Str(s) if s.is_empty() => Ok(None),
        Scalar::Str(s) => Ok(Some(T::from_wire(s))),
        other => Err(de::Error::custom(format!(
            "expected a string, got {}",
            other.describe()
        ))),
    }
}

/// A required value of an open enum.
pub(crate) fn enum_value<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: FromWire,
{
    opt_enum(d)?.ok_or_else(|| de::Error::custom("expected a non-empty string"))
}

/// An error or response code (a number, or a string of digits); empty or null is `None`.
pub(crate) fn opt_code<'de, D>(d: D) -> Result<Option<crate::model::ErrorCode>, D::Error>
where
    D: Deserializer<'de>,
{
    match scalar(d)? {
        Scalar::Null => Ok(None),
        Scalar::Str(s) if s.trim().is_empty() => Ok(None),
        Scalar::Str(s) => s
            .trim()
            .parse::<u32>()
            .map(|n| Some(crate::model::ErrorCode::from(n)))
            .map_err(|_| de::Error::custom(format!("expected a numeric code, got string {s:?}"))),
        Scalar::U64(n) => u32::try_from(n)
            .map(|n| Some(crate::model::ErrorCode::from(n)))
            .map_err(|_| de::Error::custom(format!("code {n} is out of range"))),
        other => Err(de::Error::custom(format!(
            "expected a numeric code, got {}",
            other.describe()
        ))),
    }
}

/// `DD.MM.YYYY hh:mm:ss` (Flitt sends no time zone); empty or null is `None`.
pub(crate) fn opt_date_time<'de, D>(d: D) -> Result<Option<PrimitiveDateTime>, D::Error>
where
    D: Deserializer<'de>,
{
    match opt_text_ref(d)? {
        None => Ok(None),
        Some(s) => PrimitiveDateTime::parse(s.trim(), DATE_TIME)
            .map(Some)
            .map_err(|_| de::Error::custom(format!("expected `DD.MM.YYYY hh:mm:ss`, got {s:?}"))),
    }
}

/// `DD.MM.YYYY`; empty or null is `None`.
pub(crate) fn opt_date<'de, D>(d: D) -> Result<Option<Date>, D::Error>
where
    D: Deserializer<'de>,
{
    match opt_text_ref(d)? {
        None => Ok(None),
        Some(s) => Date::parse(s.trim(), DATE)
            .map(Some)
            .map_err(|_| de::Error::custom(format!("expected `DD.MM.YYYY`, got {s:?}"))),
    }
}

/// Any JSON value (kept as it is); null is `None`.
pub(crate) fn opt_json<'de, D>(d: D) -> Result<Option<serde_json::Value>, D::Error>
where
    D: Deserializer<'de>,
{
    let value: serde_json::Value = serde::Deserialize::deserialize(d)?;
    Ok(match value {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) if s.is_empty() => None,
        other => Some(other),
    })
}
