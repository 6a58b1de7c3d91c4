//! The flat parameter map of a request, validated as it is built.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::error::{Error, Result};

/// One request parameter.
#[derive(Clone)]
pub(crate) enum Value<'a> {
    /// A string (sent as a JSON string, signed as it is), borrowed from the request when it can.
    Text(Cow<'a, str>),
    /// An integer (sent as a JSON number, signed as its decimal text).
    Int(u64),
    /// A nested object or array: only protocol 2.0 can sign it.
    Json(serde_json::Value),
}

/// The parameters of one request, in key order.
#[derive(Clone, Default)]
pub(crate) struct Params<'a> {
    map: BTreeMap<&'static str, Value<'a>>,
    force_v2: bool,
}

/// Checks what the gateway refuses in any value (`|`, error 1034) and control characters.
pub(crate) fn check_text(key: &'static str, value: &str) -> Result<()> {
    // The common case, printable ASCII without `|`, in one pass over the bytes.
    if value
        .bytes()
        .all(|b| (0x20..0x7f).contains(&b) && b != b'|')
    {
        return Ok(());
    }
    if value.contains('|') {
        return Err(Error::invalid(
            key,
            "must not contain `|` (Flitt refuses it: error 1034)",
        ));
    }
    if value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(Error::invalid(key, "must not contain control characters"));
    }
    Ok(())
}

impl<'a> Params<'a> {
    pub(crate) fn new() -> Self {
        Params::default()
    }

    /// The same parameters, owning their texts.
    #[cfg(test)]
    pub(crate) fn into_owned(self) -> Params<'static> {
        Params {
            map: self
                .map
                .into_iter()
                .map(|(k, v)| {
                    let v = match v {
                        Value::Text(s) => Value::Text(Cow::Owned(s.into_owned())),
                        Value::Int(n) => Value::Int(n),
                        Value::Json(j) => Value::Json(j),
                    };
                    (k, v)
                })
                .collect(),
            force_v2: self.force_v2,
        }
    }

    /// Marks the request as protocol 2.0 even without nested values (settlements).
    pub(crate) fn force_v2(&mut self) {
        self.force_v2 = true;
    }

    /// A required, non-empty string of at most `max` characters.
    pub(crate) fn text(&mut self, key: &'static str, value: &str, max: usize) -> Result<()> {
        check_length(key, value, max)?;
        self.map
            .insert(key, Value::Text(Cow::Owned(value.to_owned())));
        Ok(())
    }

    /// [`text`](Self::text), borrowing the value from the request (or owning a built one).
    pub(crate) fn text_ref(
        &mut self,
        key: &'static str,
        value: impl Into<Cow<'a, str>>,
        max: usize,
    ) -> Result<()> {
        let value = value.into();
        check_length(key, &value, max)?;
        self.map.insert(key, Value::Text(value));
        Ok(())
    }

    /// An optional string; `None` is not sent.
    pub(crate) fn opt_text(
        &mut self,
        key: &'static str,
        value: Option<&str>,
        max: usize,
    ) -> Result<()> {
        match value {
            Some(v) => self.text(key, v, max),
            None => Ok(()),
        }
    }

    /// [`opt_text`](Self::opt_text), borrowing the value from the request.
    pub(crate) fn opt_text_ref(
        &mut self,
        key: &'static str,
        value: Option<&'a str>,
        max: usize,
    ) -> Result<()> {
        match value {
            Some(v) => self.text_ref(key, v, max),
            None => Ok(()),
        }
    }

    /// A required integer of at most `max_digits` digits and at least `min`.
    pub(crate) fn int(&mut self, key: &'static str, value: u64, min: u64, max: u64) -> Result<()> {
        if value < min || value > max {
            return Err(Error::invalid(
                key,
                format!("is {value}; it must be between {min} and {max}"),
            ));
        }
        self.map.insert(key, Value::Int(value));
        Ok(())
    }

    /// An optional integer.
    pub(crate) fn opt_int(
        &mut self,
        key: &'static str,
        value: Option<u64>,
        min: u64,
        max: u64,
    ) -> Result<()> {
        match value {
            Some(v) => self.int(key, v, min, max),
            None => Ok(()),
        }
    }

    /// A `Y`/`N` flag (the API never takes JSON booleans); `None` is not sent.
    pub(crate) fn flag(&mut self, key: &'static str, value: Option<bool>) {
        if let Some(v) = value {
            self.map
                .insert(key, Value::Text(Cow::Borrowed(if v { "Y" } else { "N" })));
        }
    }

    /// A nested value; the request becomes protocol 2.0.
    pub(crate) fn json(&mut self, key: &'static str, value: serde_json::Value) {
        self.map.insert(key, Value::Json(value));
    }

    /// Whether the request must be sent with protocol 2.0.
    pub(crate) fn needs_v2(&self) -> bool {
        self.force_v2 || self.map.values().any(|v| matches!(v, Value::Json(_)))
    }

    /// The parameters as JSON values.
    #[cfg(test)]
    pub(crate) fn map_for_tests(&self) -> Vec<(&'static str, serde_json::Value)> {
        self.map
            .iter()
            .map(|(k, v)| {
                let value = match v {
                    Value::Text(s) => serde_json::Value::String(s.to_string()),
                    Value::Int(n) => serde_json::Value::from(*n),
                    Value::Json(j) => j.clone(),
                };
                (*k, value)
            })
            .collect()
    }

    /// The value of a text parameter.
    #[cfg(test)]
    pub(crate) fn get_text(&self, key: &str) -> Option<&str> {
        match self.map.get(key) {
            Some(Value::Text(s)) => Some(s),
            _ => None,
        }
    }

    /// The protocol 1.0.1 signature string of the parameters: `secret`, then every non-empty
    /// text in key order, joined by `|` (what [`payments_signing::fondy::signature_string`]
    /// builds from the (key, text) pairs, written directly: the map is in key byte order and
    /// numbers are written in decimal). Nested values have no text form; a request that has
    /// them is sent with protocol 2.0 instead.
    pub(crate) fn signature_string(&self, secret: &str) -> String {
        use std::fmt::Write as _;
        let mut out = String::with_capacity(secret.len() + 24 * self.map.len());
        out.push_str(secret);
        for (key, value) in &self.map {
            if payments_signing::fondy::EXCLUDED_KEYS.contains(key) {
                continue;
            }
            match value {
                Value::Text(s) if !s.is_empty() => {
                    out.push('|');
                    out.push_str(s);
                }
                Value::Int(n) => {
                    let _ = write!(out, "|{n}");
                }
                Value::Text(_) | Value::Json(_) => {}
            }
        }
        out
    }

    /// Writes the parameters as a canonical JSON object (keys in byte order, as
    /// [`canonical_json`] writes objects), with `extra` (a key
    /// and a string value) in its place among them, replacing a parameter of the same name.
    pub(crate) fn write_json(&self, mut extra: Option<(&str, &str)>, out: &mut Vec<u8>) {
        out.push(b'{');
        let mut first = true;
        let mut separator = |out: &mut Vec<u8>| {
            if !std::mem::take(&mut first) {
                out.push(b',');
            }
        };
        for (key, value) in &self.map {
            if let Some((extra_key, extra_value)) = extra
                && extra_key.as_bytes() <= key.as_bytes()
            {
                separator(out);
                write_str(extra_key, out);
                out.push(b':');
                write_str(extra_value, out);
                extra = None;
                if extra_key == *key {
                    continue;
                }
            }
            separator(out);
            write_str(key, out);
            out.push(b':');
            match value {
                Value::Text(s) => write_str(s, out),
                Value::Int(n) => write_scalar(&n, out),
                Value::Json(j) => write_canonical(j, out),
            }
        }
        if let Some((extra_key, extra_value)) = extra {
            separator(out);
            write_str(extra_key, out);
            out.push(b':');
            write_str(extra_value, out);
        }
        out.push(b'}');
    }
}

/// A JSON string, escaped as `serde_json` escapes it.
fn write_str(value: &str, out: &mut Vec<u8>) {
    write_scalar(value, out);
}

/// A scalar as `serde_json` writes it (the same text as its `Display`).
fn write_scalar<T: serde::Serialize + ?Sized>(value: &T, out: &mut Vec<u8>) {
    // Writing a string or a number into a `Vec` cannot fail.
    let _ = serde_json::to_writer(&mut *out, value);
}

/// JSON text with every object's keys in byte order, whatever `serde_json` features the build
/// unifies, so that the bytes sent (and signed, for protocol 2.0) are deterministic.
pub(crate) fn canonical_json(value: &serde_json::Value) -> String {
    let mut out = Vec::new();
    write_canonical(value, &mut out);
    // Only UTF-8 text was written.
    String::from_utf8(out).unwrap_or_default()
}

/// Writes `value` as canonical JSON (see [`canonical_json`]).
pub(crate) fn write_canonical(value: &serde_json::Value, out: &mut Vec<u8>) {
    match value {
        serde_json::Value::Object(map) => {
            let mut entries: Vec<(&String, &serde_json::Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push(b'{');
            for (i, (k, v)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_str(k, out);
                out.push(b':');
                write_canonical(v, out);
            }
            out.push(b'}');
        }
        serde_json::Value::Array(items) => {
            out.push(b'[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_canonical(v, out);
            }
            out.push(b']');
        }
        scalar => write_scalar(scalar, out),
    }
}

/// A required, non-empty string of at most `max` characters, without what the gateway
/// refuses.
fn check_length(key: &'static str, value: &str, max: usize) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::invalid(key, "is required and must not be empty"));
    }
    // A string has at most as many characters as bytes: count only when it could be too long.
    if value.len() > max {
        let len = value.chars().count();
        if len > max {
            return Err(Error::invalid(
                key,
                format!("is {len} characters long; at most {max} are allowed"),
            ));
        }
    }
    check_text(key, value)
}

/// Limits shared by several requests (from the parameter tables).
pub(crate) mod limits {
    /// `order_id`, `order_desc`, `product_id`: string(1024).
    pub(crate) const ORDER_ID: usize = 1024;
    pub(crate) const ORDER_DESC: usize = 1024;
    pub(crate) const PRODUCT_ID: usize = 1024;
    /// URLs: string(2048).
    pub(crate) const URL: usize = 2048;
    /// `merchant_data`: string(2048).
    pub(crate) const MERCHANT_DATA: usize = 2048;
    /// `sender_email`: string(256).
    pub(crate) const EMAIL: usize = 256;
    /// `rectoken`: string(40) in the table; longer tokens are in use (the published recurring
    /// example has 46 characters), so the client allows up to 100.
    pub(crate) const RECTOKEN: usize = 100;
    /// `amount`: integer(12).
    pub(crate) const AMOUNT_MAX: u64 = 999_999_999_999;
    /// `lifetime`: at most 69120000 seconds.
    pub(crate) const LIFETIME_MAX: u64 = 69_120_000;
    /// `reverse_id`: at most 50 characters.
    pub(crate) const REVERSE_ID: usize = 50;
    /// `comment`, free text: string(1024).
    pub(crate) const COMMENT: usize = 1024;
    /// `client_ip`: an IPv4 or IPv6 address in text.
    pub(crate) const CLIENT_IP: usize = 45;
    /// `lang`: a short language code.
    pub(crate) const LANG: usize = 5;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipes_and_overlong_values_are_rejected_before_sending() {
        let mut p = Params::new();
        let err = p.text("order_desc", "a|b", 1024).err();
        assert!(matches!(
            err,
            Some(Error::InvalidRequest {
                field: "order_desc",
                ..
            })
        ));
        let long = "x".repeat(1025);
        assert!(p.text("order_id", &long, 1024).is_err());
        assert!(p.text("order_id", &"x".repeat(1024), 1024).is_ok());
        assert!(p.text("order_id", "", 1024).is_err());
        assert!(p.int("lifetime", 69_120_001, 1, 69_120_000).is_err());
    }

    #[test]
    fn signature_string_is_the_primitive_s() {
        let mut p = Params::new();
        assert!(p.text("order_id", "o-1", 1024).is_ok());
        assert!(p.text_ref("merchant_id", "1549901", 12).is_ok());
        assert!(p.int("amount", 4600, 1, u64::MAX).is_ok());
        assert!(p.int("lifetime", 0, 0, 10).is_ok());
        p.flag("preauth", Some(false));
        p.json("recurring_data", serde_json::json!({"every": 1}));
        assert!(p.text_ref("order_desc", "Débit", 1024).is_ok());
        let pairs = [
            ("order_id", "o-1"),
            ("merchant_id", "1549901"),
            ("amount", "4600"),
            ("lifetime", "0"),
            ("preauth", "N"),
            ("order_desc", "Débit"),
        ];
        assert_eq!(
            p.signature_string("key"),
            payments_signing::fondy::signature_string("key", pairs)
        );
    }

    #[test]
    fn flags_are_y_or_n_and_nested_values_need_v2() {
        let mut p = Params::new();
        p.flag("preauth", Some(true));
        p.flag("required_rectoken", Some(false));
        assert_eq!(p.get_text("preauth"), Some("Y"));
        assert_eq!(p.get_text("required_rectoken"), Some("N"));
        assert!(!p.needs_v2());
        p.json("recurring_data", serde_json::json!({"every": 1}));
        assert!(p.needs_v2());
    }
}
