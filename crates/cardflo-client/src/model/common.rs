//! Small shared types: redacted strings, timestamps, extra data, date formats.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use time::OffsetDateTime;

use crate::error::Error;
use crate::model::Amount;

/// A string that must not appear in logs: an IBAN, a payment.js token, a national id.
///
/// It serializes as the plain string (the gateway needs it) but its `Debug` prints
/// `"[REDACTED]"`, and it has no `Display`. Read the value with [`Sensitive::expose`].
///
/// ```
/// use cardflo_client::model::Sensitive;
/// let iban = Sensitive::from("AT123456789012345678");
/// assert_eq!(format!("{iban:?}"), r#"Sensitive("[REDACTED]")"#);
/// assert_eq!(iban.expose(), "AT123456789012345678");
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Sensitive(String);

impl Sensitive {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value itself. Do not log it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub(crate) fn len(&self) -> usize {
        self.0.chars().count()
    }
}

impl fmt::Debug for Sensitive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(r#"Sensitive("[REDACTED]")"#)
    }
}

impl From<String> for Sensitive {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Sensitive {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

/// A timestamp as the gateway sent it. The gateway uses several formats
/// (`2019-10-10T15:06:47Z`, `2019-09-30T12:00:00+00:00`, `2023-08-21 14:13:02 UTC`), so the raw
/// text is kept and [`Timestamp::parse`] reads all of them.
///
/// ```
/// use cardflo_client::model::Timestamp;
/// let t = Timestamp::from("2023-08-21 14:13:02 UTC");
/// assert_eq!(t.parse().map(|t| t.unix_timestamp()), Some(1_692_627_182));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Timestamp(String);

impl Timestamp {
    /// The timestamp as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Parses RFC 3339 (`Z` or an offset) and `YYYY-MM-DD HH:MM:SS UTC`; `None` for anything else.
    pub fn parse(&self) -> Option<OffsetDateTime> {
        let raw = self.0.trim();
        if let Ok(t) = OffsetDateTime::parse(raw, &time::format_description::well_known::Rfc3339) {
            return Some(t);
        }
        let utc = raw
            .strip_suffix(" UTC")
            .or_else(|| raw.strip_suffix(" GMT"))
            .unwrap_or(raw);
        let format =
            time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
        time::PrimitiveDateTime::parse(utc, &format)
            .ok()
            .map(time::PrimitiveDateTime::assume_utc)
    }
}

impl From<&str> for Timestamp {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::de::opt_string(deserializer)?
            .map(Self)
            .ok_or_else(|| serde::de::Error::custom("expected a timestamp, found null"))
    }
}

pub(crate) fn opt_timestamp<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Timestamp>, D::Error> {
    Ok(crate::de::opt_string(deserializer)?
        .filter(|s| !s.trim().is_empty())
        .map(Timestamp))
}

/// `extraData` of a response or notification.
///
/// Documented as a string-to-string object, but the gateway also sends it as an array of
/// objects (`[{"remainingAmount": "5"}]`, merged here into one map) and with non-string values
/// (the network-token metadata array). Values are kept as JSON.
///
/// ```
/// use cardflo_client::model::ExtraData;
/// let data: ExtraData = serde_json::from_str(r#"[{"remainingAmount": "5"}]"#)?;
/// assert_eq!(data.get_str("remainingAmount"), Some("5"));
/// assert_eq!(data.remaining_amount().map(|a| a.to_string()), Some("5".to_owned()));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct ExtraData(BTreeMap<String, Value>);

impl ExtraData {
    /// The raw value of a key.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.get(key)
    }

    /// A value as a string (numbers and booleans are not converted).
    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(Value::as_str)
    }

    /// `remainingAmount`: what is left to capture or refund.
    pub fn remaining_amount(&self) -> Option<Amount> {
        match self.0.get("remainingAmount")? {
            Value::String(s) => crate::de::parse_decimal(s.trim()).map(Amount::from_wire),
            Value::Number(n) => crate::de::parse_decimal(&n.to_string()).map(Amount::from_wire),
            _ => None,
        }
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// All entries, sorted by key.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }
}

impl<'de> Deserialize<'de> for ExtraData {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Option::<Value>::deserialize(deserializer)? {
            None | Some(Value::Null) => Ok(Self::default()),
            Some(Value::Object(map)) => Ok(Self(map.into_iter().collect())),
            Some(Value::Array(items)) => {
                let mut merged = BTreeMap::new();
                for item in items {
                    match item {
                        Value::Object(map) => merged.extend(map),
                        Value::Null => {}
                        _ => {
                            return Err(serde::de::Error::custom(
                                "expected an object or an array of objects",
                            ));
                        }
                    }
                }
                Ok(Self(merged))
            }
            Some(_) => Err(serde::de::Error::custom(
                "expected an object or an array of objects",
            )),
        }
    }
}

/// Formats a UTC date-time as the gateway wants it: `YYYY-MM-DDTHH:MM:SS+00:00`.
pub(crate) fn format_date_time_zone(value: OffsetDateTime) -> String {
    let utc = value.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+00:00",
        utc.year(),
        u8::from(utc.month()),
        utc.day(),
        utc.hour(),
        utc.minute(),
        utc.second()
    )
}

/// Serializes an `OffsetDateTime` as `YYYY-MM-DDTHH:MM:SS+00:00` (converted to UTC).
pub(crate) mod date_time_zone {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(
        value: &Option<OffsetDateTime>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => serializer.serialize_str(&format_date_time_zone(*v)),
            None => serializer.serialize_none(),
        }
    }
}

/// Checks that an `OffsetDateTime` can be rendered with a four-digit year.
pub(crate) fn check_date_time_zone(
    field: impl crate::validate::Field,
    value: &OffsetDateTime,
) -> Result<(), Error> {
    let year = value.to_offset(time::UtcOffset::UTC).year();
    if (0..=9999).contains(&year) {
        Ok(())
    } else {
        Err(Error::invalid_request(
            field.to_path(),
            "year must have four digits",
        ))
    }
}

time::serde::format_description!(pub(crate) date_format, Date, "[year]-[month]-[day]");
time::serde::format_description!(
    pub(crate) date_time_minutes_format,
    PrimitiveDateTime,
    "[year]-[month]-[day] [hour]:[minute]"
);

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn date_time_zone_is_utc_with_explicit_offset() {
        let t = time::macros::datetime!(2019-09-30 03:00:00 +02:00);
        assert_eq!(format_date_time_zone(t), "2019-09-30T01:00:00+00:00");
        let t = time::macros::datetime!(2019-09-29 20:30:00 -05:00);
        assert_eq!(format_date_time_zone(t), "2019-09-30T01:30:00+00:00");
    }

    #[test]
    fn timestamps_in_every_documented_format_parse() {
        for (raw, unix) in [
            ("2019-10-10T15:06:47Z", 1_570_720_007),
            ("2019-09-30T12:00:00+00:00", 1_569_844_800),
            ("2023-08-21 14:13:02 UTC", 1_692_627_182),
        ] {
            assert_eq!(
                Timestamp::from(raw).parse().map(|t| t.unix_timestamp()),
                Some(unix),
                "{raw}"
            );
        }
        assert_eq!(Timestamp::from("yesterday").parse(), None);
    }

    #[test]
    fn extra_data_accepts_objects_arrays_and_nested_values() {
        let obj: ExtraData =
            serde_json::from_str(r#"{"a":"1","networkTokenMetadata":[{"width":"150"}]}"#).unwrap();
        assert_eq!(obj.get_str("a"), Some("1"));
        assert!(obj.get("networkTokenMetadata").is_some_and(Value::is_array));
        let arr: ExtraData =
            serde_json::from_str(r#"[{"remainingAmount":"5"},{"b":"2"}]"#).unwrap();
        assert_eq!(arr.get_str("b"), Some("2"));
        assert!(serde_json::from_str::<ExtraData>(r#""x""#).is_err());
        assert!(serde_json::from_str::<ExtraData>(r#"[1]"#).is_err());
        assert!(
            serde_json::from_str::<ExtraData>("null")
                .unwrap()
                .is_empty()
        );
    }
}
