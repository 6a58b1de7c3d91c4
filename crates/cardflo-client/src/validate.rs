//! Local validation of the documented limits, so that a request the gateway would reject is
//! never sent. Errors name the field's JSON path and never echo its value.

use std::collections::BTreeMap;

use crate::error::Error;

/// A field's JSON path. Checks take it unformatted and build the path string only when they
/// fail, so validating a request formats nothing.
pub(crate) trait Field: Copy {
    /// The path as it appears in [`Error::InvalidRequest`].
    fn to_path(self) -> String;
}

impl Field for &str {
    fn to_path(self) -> String {
        self.to_owned()
    }
}

/// `prefix.field` (or `field` at the top level), formatted on demand.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Path<'a> {
    prefix: &'a str,
    field: &'a str,
}

impl Field for Path<'_> {
    fn to_path(self) -> String {
        if self.prefix.is_empty() {
            self.field.to_owned()
        } else {
            let mut path = String::with_capacity(self.prefix.len() + 1 + self.field.len());
            path.push_str(self.prefix);
            path.push('.');
            path.push_str(self.field);
            path
        }
    }
}

impl Field for &Path<'_> {
    fn to_path(self) -> String {
        (*self).to_path()
    }
}

impl From<Path<'_>> for String {
    fn from(path: Path<'_>) -> Self {
        path.to_path()
    }
}

/// The path of `field` below `prefix` (`customer.email`); nothing is formatted until a check
/// fails.
pub(crate) fn path<'a>(prefix: &'a str, field: &'a str) -> Path<'a> {
    Path { prefix, field }
}

/// The path of the keys of a map field (`extraData key`).
#[derive(Clone, Copy)]
struct KeysOf<F>(F);

impl<F: Field> Field for KeysOf<F> {
    fn to_path(self) -> String {
        let mut path = self.0.to_path();
        path.push_str(" key");
        path
    }
}

fn chars(value: &str) -> usize {
    value.chars().count()
}

/// A required string of `min..=max` characters.
pub(crate) fn length(field: impl Field, value: &str, min: usize, max: usize) -> Result<(), Error> {
    // A string has at most as many characters as bytes, and a non-empty one at least one:
    // most values are decided without counting.
    let bytes = value.len();
    if bytes <= max && (min == 0 || (min == 1 && bytes > 0)) {
        return Ok(());
    }
    let n = chars(value);
    if n < min {
        return Err(Error::invalid_request(
            field.to_path(),
            format!("must have at least {min} character(s)"),
        ));
    }
    if n > max {
        return Err(Error::invalid_request(
            field.to_path(),
            format!("must have at most {max} characters, has {n}"),
        ));
    }
    Ok(())
}

/// An optional string of `min..=max` characters.
pub(crate) fn opt_length(
    field: impl Field,
    value: Option<&str>,
    min: usize,
    max: usize,
) -> Result<(), Error> {
    value.map_or(Ok(()), |v| length(field, v, min, max))
}

/// Three upper-case letters (`EUR`).
pub(crate) fn currency(field: impl Field, value: &str) -> Result<(), Error> {
    if value.len() == 3 && value.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(Error::invalid_request(
            field.to_path(),
            "must be a 3-letter upper-case currency code (ISO 4217)",
        ))
    }
}

pub(crate) fn opt_currency(field: impl Field, value: Option<&str>) -> Result<(), Error> {
    value.map_or(Ok(()), |v| currency(field, v))
}

/// Two upper-case letters (`CA`).
pub(crate) fn country(field: impl Field, value: Option<&str>) -> Result<(), Error> {
    match value {
        Some(v) if !(v.len() == 2 && v.bytes().all(|b| b.is_ascii_uppercase())) => {
            Err(Error::invalid_request(
                field.to_path(),
                "must be a 2-letter upper-case country code (ISO 3166-1)",
            ))
        }
        _ => Ok(()),
    }
}

/// Two lower-case letters (`en`).
pub(crate) fn language(field: impl Field, value: Option<&str>) -> Result<(), Error> {
    match value {
        Some(v) if !(v.len() == 2 && v.bytes().all(|b| b.is_ascii_lowercase())) => {
            Err(Error::invalid_request(
                field.to_path(),
                "must be a 2-letter lower-case language code (ISO 639-1)",
            ))
        }
        _ => Ok(()),
    }
}

/// An absolute http(s) URL of at most 65535 characters.
pub(crate) fn url(field: impl Field, value: Option<&str>) -> Result<(), Error> {
    let Some(v) = value else { return Ok(()) };
    length(field, v, 1, 65_535)?;
    if is_plain_http_url(v) {
        return Ok(());
    }
    match url::Url::parse(v) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => Ok(()),
        _ => Err(Error::invalid_request(
            field.to_path(),
            "must be an absolute http or https URL",
        )),
    }
}

/// Whether `value` is an http(s) URL of the plainest shape, one that `Url::parse` certainly
/// accepts: a lower-case `http://` or `https://`, a host of ASCII letter/digit labels (none
/// empty, none starting with `xn--` or holding `--`, none starting or ending with `-`, the last
/// starting with a letter, so neither punycode nor an IPv4 address), an optional port of at
/// most 65535, then only a path, query or fragment of printable ASCII (which the parser
/// percent-encodes where needed and never rejects). Anything else, including every URL this
/// says no to, is decided by a full `Url::parse` (which costs an IDNA pass over the host).
fn is_plain_http_url(value: &str) -> bool {
    let bytes = value.as_bytes();
    let Some(rest) = bytes
        .strip_prefix(b"https://")
        .or_else(|| bytes.strip_prefix(b"http://"))
    else {
        return false;
    };
    // Nothing to strip, trim or percent-encode outside the path, query and fragment.
    if !bytes.iter().all(|b| (0x21..=0x7e).contains(b)) {
        return false;
    }
    let host_end = rest
        .iter()
        .position(|b| matches!(b, b'/' | b'?' | b'#' | b':'))
        .unwrap_or(rest.len());
    let (host, rest) = rest.split_at(host_end);
    if !is_plain_domain(host) {
        return false;
    }
    match rest.strip_prefix(b":") {
        None => true,
        Some(rest) => {
            let port_end = rest
                .iter()
                .position(|b| matches!(b, b'/' | b'?' | b'#'))
                .unwrap_or(rest.len());
            let port = &rest[..port_end];
            (1..=5).contains(&port.len())
                && port.iter().all(u8::is_ascii_digit)
                && port.iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0')) <= 65_535
        }
    }
}

/// See [`is_plain_http_url`].
fn is_plain_domain(host: &[u8]) -> bool {
    if host.is_empty() {
        return false;
    }
    let mut last_starts_with_letter = false;
    for label in host.split(|&b| b == b'.') {
        let plain = !label.is_empty()
            && label
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
            && label.first() != Some(&b'-')
            && label.last() != Some(&b'-')
            && !label.windows(2).any(|pair| pair == b"--");
        if !plain {
            return false;
        }
        last_starts_with_letter = label[0].is_ascii_alphabetic();
    }
    last_starts_with_letter
}

/// A plausible e-mail address (`local@domain`, no spaces), at most 255 characters.
pub(crate) fn email(field: impl Field, value: Option<&str>) -> Result<(), Error> {
    let Some(v) = value else { return Ok(()) };
    length(field, v, 3, 255)?;
    let valid = match v.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !v.chars().any(char::is_whitespace)
        }
        None => false,
    };
    if valid {
        Ok(())
    } else {
        Err(Error::invalid_request(
            field.to_path(),
            "must be a valid e-mail address",
        ))
    }
}

/// `extraData`: at most 64 entries, keys of 1 to 64 characters, values of at most 8192.
pub(crate) fn extra_data(field: impl Field, value: &BTreeMap<String, String>) -> Result<(), Error> {
    if value.len() > 64 {
        return Err(Error::invalid_request(
            field.to_path(),
            "must have at most 64 entries",
        ));
    }
    for (key, v) in value {
        length(KeysOf(field), key, 1, 64)?;
        if v.len() > 8192 && chars(v) > 8192 {
            return Err(Error::invalid_request(
                format!("{}.{key}", field.to_path()),
                "must have at most 8192 characters",
            ));
        }
    }
    Ok(())
}

/// A value of an open enum: unknown values are rejected in requests.
pub(crate) fn known(field: impl Field, value: Option<&str>, unknown: bool) -> Result<(), Error> {
    match value {
        Some(_) if unknown => Err(Error::invalid_request(
            field.to_path(),
            "is not a documented value",
        )),
        _ => Ok(()),
    }
}

/// One of the documented codes (`01`, `02`, …).
pub(crate) fn one_of(
    field: impl Field,
    value: Option<&str>,
    allowed: &[&str],
) -> Result<(), Error> {
    match value {
        Some(v) if !allowed.contains(&v) => Err(Error::invalid_request(
            field.to_path(),
            format!("must be one of {}", allowed.join(", ")),
        )),
        _ => Ok(()),
    }
}

/// An integer in `min..=max`.
pub(crate) fn range(
    field: impl Field,
    value: Option<u64>,
    min: u64,
    max: u64,
) -> Result<(), Error> {
    match value {
        Some(v) if v < min || v > max => Err(Error::invalid_request(
            field.to_path(),
            format!("must be between {min} and {max}"),
        )),
        _ => Ok(()),
    }
}

/// A decimal that the gateway reads as a non-negative amount: at most 10 integer digits and
/// 3 decimals.
pub(crate) fn decimal_amount(
    field: impl Field,
    value: Option<rust_decimal::Decimal>,
) -> Result<(), Error> {
    match value {
        Some(v) => crate::model::Amount::new(v)
            .map(|_| ())
            .map_err(|e| match e {
                Error::InvalidRequest { reason, .. } => {
                    Error::invalid_request(field.to_path(), reason)
                }
                other => other,
            }),
        None => Ok(()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    fn field(e: Error) -> String {
        match e {
            Error::InvalidRequest { field, .. } => field,
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn limits_are_enforced_with_the_field_path() {
        assert!(length("merchantTransactionId", &"x".repeat(50), 1, 50).is_ok());
        assert_eq!(
            field(length("merchantTransactionId", &"x".repeat(51), 1, 50).unwrap_err()),
            "merchantTransactionId"
        );
        assert!(length("merchantTransactionId", "", 1, 50).is_err());
        // Characters, not bytes.
        assert!(length("description", &"é".repeat(255), 0, 255).is_ok());
        assert!(currency("currency", "EUR").is_ok());
        for bad in ["eur", "EU", "EURO", "E1R"] {
            assert!(currency("currency", bad).is_err(), "{bad}");
        }
        assert!(country("c", Some("CA")).is_ok());
        assert!(country("c", Some("ca")).is_err());
        assert!(language("l", Some("en")).is_ok());
        assert!(language("l", Some("EN")).is_err());
        assert!(language("l", Some("eng")).is_err());
        assert!(url("u", Some("https://example.com/callback?x=1")).is_ok());
        assert!(url("u", Some("ftp://example.com")).is_err());
        assert!(url("u", Some("/relative")).is_err());
        assert!(email("e", Some("john@example.com")).is_ok());
        assert!(email("e", Some("[email protected]")).is_err());
        assert!(email("e", Some("a b@c.d")).is_err());
    }

    /// The plain-URL shortcut only ever says yes where `Url::parse` accepts an http(s) URL.
    #[test]
    fn plain_urls_are_a_subset_of_what_url_parse_accepts() {
        let parses =
            |v: &str| url::Url::parse(v).is_ok_and(|u| matches!(u.scheme(), "http" | "https"));
        for plain in [
            "https://example.com/success",
            "http://example.com",
            "https://shop.example:8443/a/b?c=d&e=%20#frag",
            "https://a-b.c1.example/x[y]|^`{}\\z?q='\"<>",
            "https://EXAMPLE.COM/",
            "https://localhost:1",
            "https://localhost:65535/",
            "https://a.b.c.d.e.f.example?x",
            "https://example.com#",
        ] {
            assert!(is_plain_http_url(plain), "{plain}");
            assert!(parses(plain), "{plain}");
            assert!(url("u", Some(plain)).is_ok(), "{plain}");
        }
        for other in [
            "https://example.com:65536/",
            "https://example.com:/",
            "https://xn--a.com/",
            "https://xn--nxasmq6b.example/",
            "https://a--b.example/",
            "https://-a.example/",
            "https://1.2.3.4/",
            "https://example.123/",
            "https://example.0x1f/",
            "https://999.999.999.999/",
            "https://example.com./",
            "https://example..com/",
            "https:///example.com",
            "https://",
            "https://user@example.com/",
            "https://[::1]/",
            "https://exa mple.com/",
            "https://example.com/ space",
            "https://ex%41mple.com/",
            "https://exämple.com/",
            "HTTPS://example.com/",
            "https:example.com",
            "ftp://example.com/",
            "https://example.com\\path",
        ] {
            assert!(!is_plain_http_url(other), "{other}");
            // Decided by the full parse, as before.
            assert_eq!(url("u", Some(other)).is_ok(), parses(other), "{other}");
        }
    }

    proptest::proptest! {
        #[test]
        fn plain_url_shortcut_never_accepts_what_url_parse_rejects(
            scheme in "(https?|HTTP)://",
            host in "[a-zA-Z0-9.\\-]{0,12}",
            port in "(:[0-9]{0,6})?",
            rest in "[ -~]{0,12}",
        ) {
            let value = format!("{scheme}{host}{port}{rest}");
            if is_plain_http_url(&value) {
                let parsed = url::Url::parse(&value);
                proptest::prop_assert!(
                    parsed.as_ref().is_ok_and(|u| matches!(u.scheme(), "http" | "https")),
                    "{value}: {parsed:?}"
                );
            }
        }
    }

    #[test]
    fn length_shortcut_matches_counting() {
        for value in ["", "a", "é", "ab", "éé", "abc", "ééé", "abcd"] {
            for min in 0..4 {
                for max in 0..4 {
                    let n = value.chars().count();
                    assert_eq!(
                        length("f", value, min, max).is_ok(),
                        (min..=max).contains(&n),
                        "{value:?} {min} {max}"
                    );
                }
            }
        }
    }

    #[test]
    fn errors_never_echo_the_value() {
        let secret_like = "AT123456789012345678".repeat(10);
        let e = length("customer.paymentData.ibanData.iban", &secret_like, 1, 34).unwrap_err();
        assert!(!e.to_string().contains("AT1234"));
    }
}
