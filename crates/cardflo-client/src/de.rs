//! Lenient deserializers for the inconsistencies of the gateway's responses: numbers sent as
//! strings and the other way round, booleans sent as `"false"`, objects sent as arrays.
//! Every helper fails with a serde error (so the caller learns the field path) rather than
//! guessing, except where the documented examples show both shapes.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// `true`/`false`, `"true"`/`"false"`, `"1"`/`"0"`, `1`/`0`; `null` and `""` become `None`.
pub(crate) fn opt_bool<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<bool>, D::Error> {
    match Option::<Value>::deserialize(deserializer)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(b)),
        Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "" => Ok(None),
            "true" | "1" | "yes" => Ok(Some(true)),
            "false" | "0" | "no" => Ok(Some(false)),
            _ => Err(de::Error::invalid_value(
                de::Unexpected::Str(&s),
                &"a boolean",
            )),
        },
        Some(Value::Number(n)) => match n.as_u64() {
            Some(0) => Ok(Some(false)),
            Some(1) => Ok(Some(true)),
            _ => Err(de::Error::invalid_type(
                de::Unexpected::Other("number"),
                &"a boolean",
            )),
        },
        Some(other) => Err(de::Error::invalid_type(unexpected(&other), &"a boolean")),
    }
}

/// An unsigned integer sent as a number or a string (`12`, `"12"`, `"02"`); `null` and `""`
/// become `None`.
pub(crate) fn opt_u32<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u32>, D::Error> {
    match Option::<Value>::deserialize(deserializer)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_u64()
            .and_then(|v| u32::try_from(v).ok())
            .map(Some)
            .ok_or_else(|| {
                de::Error::invalid_value(de::Unexpected::Other("number"), &"an unsigned integer")
            }),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => s.trim().parse::<u32>().map(Some).map_err(|_| {
            de::Error::invalid_value(
                de::Unexpected::Other("non-numeric string"),
                &"an unsigned integer",
            )
        }),
        Some(other) => Err(de::Error::invalid_type(
            unexpected(&other),
            &"an unsigned integer",
        )),
    }
}

/// A string that some gateways send as a number (`adapterCode`); `null` becomes `None`.
pub(crate) fn opt_string<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    match Option::<Value>::deserialize(deserializer)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(Value::Bool(b)) => Ok(Some(b.to_string())),
        Some(other) => Err(de::Error::invalid_type(unexpected(&other), &"a string")),
    }
}

/// A decimal sent as a string (`"9.99"`) or a JSON number (`9.99`); `null` and `""` become
/// `None`.
pub(crate) fn opt_decimal<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<rust_decimal::Decimal>, D::Error> {
    match Option::<Value>::deserialize(deserializer)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => parse_decimal(s.trim()).map(Some).ok_or_else(|| {
            de::Error::invalid_value(
                de::Unexpected::Other("non-decimal string"),
                &"a decimal amount",
            )
        }),
        Some(Value::Number(n)) => parse_decimal(&n.to_string()).map(Some).ok_or_else(|| {
            de::Error::invalid_value(de::Unexpected::Other("number"), &"a decimal amount")
        }),
        Some(other) => Err(de::Error::invalid_type(
            unexpected(&other),
            &"a decimal amount",
        )),
    }
}

/// Parses a decimal in plain or scientific notation (serde_json prints large floats with an
/// exponent).
pub(crate) fn parse_decimal(s: &str) -> Option<rust_decimal::Decimal> {
    use std::str::FromStr;
    rust_decimal::Decimal::from_str(s)
        .ok()
        .or_else(|| rust_decimal::Decimal::from_scientific(s).ok())
}

/// A list the gateway sends either as an array, as a single object, or as a map keyed by id
/// (`scheduleData`, `schedules`); `null` becomes an empty list.
pub(crate) fn one_or_many<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    struct OneOrMany<T>(std::marker::PhantomData<T>);

    impl<'de, T: DeserializeOwned> Visitor<'de> for OneOrMany<T> {
        type Value = Vec<T>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object, an array of objects or a map of objects")
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }

        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
            d.deserialize_any(self)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(item) = seq.next_element::<T>()? {
                out.push(item);
            }
            Ok(out)
        }

        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            // Either one object, or a map whose values are all objects (keyed by id).
            let object: serde_json::Map<String, Value> =
                Deserialize::deserialize(de::value::MapAccessDeserializer::new(map))?;
            let keyed = !object.is_empty() && object.values().all(Value::is_object);
            if keyed {
                object
                    .into_iter()
                    .map(|(_, v)| serde_json::from_value(v).map_err(de::Error::custom))
                    .collect()
            } else {
                serde_json::from_value(Value::Object(object))
                    .map(|one| vec![one])
                    .map_err(de::Error::custom)
            }
        }
    }

    deserializer.deserialize_option(OneOrMany(std::marker::PhantomData))
}

/// A list that is `null` or missing in some answers.
pub(crate) fn null_as_empty<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default())
}

/// The deepest nesting of arrays and objects accepted in a body (serde_json's own limit).
pub(crate) const MAX_DEPTH: usize = 128;

/// Checks, in one pass and without recursion, that no array or object in `body` is nested
/// deeper than [`MAX_DEPTH`] — also inside fields that decoding would skip. Returns the byte
/// offset where the limit is passed. Bodies that are not JSON pass (the decoder rejects them).
pub(crate) fn check_depth(body: &[u8]) -> Result<(), usize> {
    // Nesting deeper than the limit needs more opening brackets than the limit; most bodies
    // have far fewer, and counting them is a cheap vectorizable pass.
    if body.iter().filter(|&&b| b == b'[' || b == b'{').count() <= MAX_DEPTH {
        return Ok(());
    }
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (offset, &byte) in body.iter().enumerate() {
        if in_string {
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(offset);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Decodes a whole body into `T` (nothing but whitespace may follow the value). On failure,
/// returns the JSON path of the failing field (`.` for the body as a whole) and serde's
/// message.
///
/// The body is decoded with plain `serde_json` first. Only when that fails is it decoded again
/// through `serde_path_to_error` (which allocates a string per map key it passes) to learn the
/// path: decoding is deterministic, so the second pass fails at the same place and with the
/// same message as the first.
pub(crate) fn from_slice_with_path<T: DeserializeOwned>(
    body: &[u8],
) -> Result<T, (String, String)> {
    if let Some(value) = from_slice(body) {
        return Ok(value);
    }
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        // A syntax error outside any field is reported for the whole body.
        let path = match e.path().to_string() {
            p if p == "?" => ".".to_owned(),
            p => p,
        };
        (path, e.inner().to_string())
    })?;
    deserializer
        .end()
        .map_err(|e| (".".to_owned(), e.to_string()))?;
    Ok(value)
}

/// Decodes a whole body into `T` with plain `serde_json` (nothing but whitespace may follow).
pub(crate) fn from_slice<T: DeserializeOwned>(body: &[u8]) -> Option<T> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value = T::deserialize(&mut deserializer).ok()?;
    deserializer.end().ok()?;
    Some(value)
}

/// The message of a body nested too deeply.
pub(crate) fn too_deep_message(offset: usize) -> String {
    format!("JSON nested deeper than {MAX_DEPTH} levels (at byte {offset})")
}

fn unexpected(value: &Value) -> de::Unexpected<'_> {
    match value {
        Value::Null => de::Unexpected::Unit,
        Value::Bool(b) => de::Unexpected::Bool(*b),
        Value::Number(_) => de::Unexpected::Other("number"),
        Value::String(_) => de::Unexpected::Other("string"),
        Value::Array(_) => de::Unexpected::Seq,
        Value::Object(_) => de::Unexpected::Map,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    struct Probe {
        #[serde(default, deserialize_with = "opt_bool")]
        flag: Option<bool>,
        #[serde(default, deserialize_with = "opt_u32")]
        month: Option<u32>,
        #[serde(default, deserialize_with = "opt_decimal")]
        amount: Option<rust_decimal::Decimal>,
        #[serde(default, deserialize_with = "one_or_many")]
        list: Vec<Item>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Item {
        id: String,
    }

    fn probe(json: &str) -> Result<Probe, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn nesting_depth_is_checked_without_recursion() {
        let at_limit = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert_eq!(check_depth(at_limit.as_bytes()), Ok(()));
        let beyond = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert_eq!(check_depth(beyond.as_bytes()), Err(MAX_DEPTH));
        // Brackets inside strings (escaped quotes included) do not count.
        let in_string = format!(r#"{{"a":"\"{}"}}"#, "[".repeat(1000));
        assert_eq!(check_depth(in_string.as_bytes()), Ok(()));
        let deep = r#"{"a":"#.repeat(100_000);
        assert_eq!(check_depth(deep.as_bytes()), Err(5 * MAX_DEPTH));
        // Siblings do not add up.
        let wide = "[[]]".repeat(10_000);
        assert_eq!(check_depth(wide.as_bytes()), Ok(()));
    }

    #[test]
    fn booleans_as_strings_and_numbers() {
        assert_eq!(probe(r#"{"flag":"false"}"#).unwrap().flag, Some(false));
        assert_eq!(probe(r#"{"flag":"TRUE"}"#).unwrap().flag, Some(true));
        assert_eq!(probe(r#"{"flag":1}"#).unwrap().flag, Some(true));
        assert_eq!(probe(r#"{"flag":""}"#).unwrap().flag, None);
        assert!(probe(r#"{"flag":"maybe"}"#).is_err());
        assert!(probe(r#"{"flag":[]}"#).is_err());
    }

    #[test]
    fn integers_as_strings() {
        assert_eq!(probe(r#"{"month":"02"}"#).unwrap().month, Some(2));
        assert_eq!(probe(r#"{"month":12}"#).unwrap().month, Some(12));
        assert_eq!(probe(r#"{"month":""}"#).unwrap().month, None);
        assert!(probe(r#"{"month":"Dec"}"#).is_err());
        assert!(probe(r#"{"month":-1}"#).is_err());
        assert!(probe(r#"{"month":1.5}"#).is_err());
    }

    #[test]
    fn decimals_as_strings_or_numbers() {
        let expected = rust_decimal::Decimal::new(999, 2);
        assert_eq!(
            probe(r#"{"amount":"9.99"}"#).unwrap().amount,
            Some(expected)
        );
        assert_eq!(probe(r#"{"amount":9.99}"#).unwrap().amount, Some(expected));
        assert_eq!(
            probe(r#"{"amount":1e3}"#).unwrap().amount,
            Some(rust_decimal::Decimal::new(1000, 0))
        );
        assert!(probe(r#"{"amount":"nine"}"#).is_err());
        assert!(probe(r#"{"amount":true}"#).is_err());
    }

    #[test]
    fn lists_as_object_array_or_keyed_map() {
        let one = probe(r#"{"list":{"id":"a"}}"#).unwrap().list;
        assert_eq!(one, vec![Item { id: "a".into() }]);
        let many = probe(r#"{"list":[{"id":"a"},{"id":"b"}]}"#).unwrap().list;
        assert_eq!(many.len(), 2);
        let keyed = probe(r#"{"list":{"x":{"id":"a"},"y":{"id":"b"}}}"#)
            .unwrap()
            .list;
        assert_eq!(
            keyed,
            vec![Item { id: "a".into() }, Item { id: "b".into() }]
        );
        assert!(probe(r#"{"list":null}"#).unwrap().list.is_empty());
        assert!(probe(r#"{"list":"x"}"#).is_err());
    }
}
