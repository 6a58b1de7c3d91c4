//! Local validation of the documented limits, so that a request the gateway would reject is
//! never sent. Errors name the field's JSON path and never echo its value.

use std::collections::BTreeMap;

use crate::error::Error;

pub(crate) fn path(prefix: &str, field: &str) -> String {
    if prefix.is_empty() {
        field.to_owned()
    } else {
        format!("{prefix}.{field}")
    }
}

fn chars(value: &str) -> usize {
    value.chars().count()
}

/// A required string of `min..=max` characters.
pub(crate) fn length(field: &str, value: &str, min: usize, max: usize) -> Result<(), Error> {
    let n = chars(value);
    if n < min {
        return Err(Error::invalid_request(
            field,
            format!("must have at least {min} character(s)"),
        ));
    }
    if n > max {
        return Err(Error::invalid_request(
            field,
            format!("must have at most {max} characters, has {n}"),
        ));
    }
    Ok(())
}

/// An optional string of `min..=max` characters.
pub(crate) fn opt_length(
    field: &str,
    value: Option<&str>,
    min: usize,
    max: usize,
) -> Result<(), Error> {
    value.map_or(Ok(()), |v| length(field, v, min, max))
}

/// Three upper-case letters (`EUR`).
pub(crate) fn currency(field: &str, value: &str) -> Result<(), Error> {
    if value.len() == 3 && value.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(Error::invalid_request(
            field,
            "must be a 3-letter upper-case currency code (ISO 4217)",
        ))
    }
}

pub(crate) fn opt_currency(field: &str, value: Option<&str>) -> Result<(), Error> {
    value.map_or(Ok(()), |v| currency(field, v))
}

/// Two upper-case letters (`CA`).
pub(crate) fn country(field: &str, value: Option<&str>) -> Result<(), Error> {
    match value {
        Some(v) if !(v.len() == 2 && v.bytes().all(|b| b.is_ascii_uppercase())) => {
            Err(Error::invalid_request(
                field,
                "must be a 2-letter upper-case country code (ISO 3166-1)",
            ))
        }
        _ => Ok(()),
    }
}

/// Two lower-case letters (`en`).
pub(crate) fn language(field: &str, value: Option<&str>) -> Result<(), Error> {
    match value {
        Some(v) if !(v.len() == 2 && v.bytes().all(|b| b.is_ascii_lowercase())) => {
            Err(Error::invalid_request(
                field,
                "must be a 2-letter lower-case language code (ISO 639-1)",
            ))
        }
        _ => Ok(()),
    }
}

/// An absolute http(s) URL of at most 65535 characters.
pub(crate) fn url(field: &str, value: Option<&str>) -> Result<(), Error> {
    let Some(v) = value else { return Ok(()) };
    length(field, v, 1, 65_535)?;
    match url::Url::parse(v) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => Ok(()),
        _ => Err(Error::invalid_request(
            field,
            "must be an absolute http or https URL",
        )),
    }
}

/// A plausible e-mail address (`local@domain`, no spaces), at most 255 characters.
pub(crate) fn email(field: &str, value: Option<&str>) -> Result<(), Error> {
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
            field,
            "must be a valid e-mail address",
        ))
    }
}

/// `extraData`: at most 64 entries, keys of 1 to 64 characters, values of at most 8192.
pub(crate) fn extra_data(field: &str, value: &BTreeMap<String, String>) -> Result<(), Error> {
    if value.len() > 64 {
        return Err(Error::invalid_request(
            field,
            "must have at most 64 entries",
        ));
    }
    for (key, v) in value {
        length(&format!("{field} key"), key, 1, 64)?;
        if chars(v) > 8192 {
            return Err(Error::invalid_request(
                format!("{field}.{key}"),
                "must have at most 8192 characters",
            ));
        }
    }
    Ok(())
}

/// A value of an open enum: unknown values are rejected in requests.
pub(crate) fn known(field: &str, value: Option<&str>, unknown: bool) -> Result<(), Error> {
    match value {
        Some(_) if unknown => Err(Error::invalid_request(field, "is not a documented value")),
        _ => Ok(()),
    }
}

/// One of the documented codes (`01`, `02`, …).
pub(crate) fn one_of(field: &str, value: Option<&str>, allowed: &[&str]) -> Result<(), Error> {
    match value {
        Some(v) if !allowed.contains(&v) => Err(Error::invalid_request(
            field,
            format!("must be one of {}", allowed.join(", ")),
        )),
        _ => Ok(()),
    }
}

/// An integer in `min..=max`.
pub(crate) fn range(field: &str, value: Option<u64>, min: u64, max: u64) -> Result<(), Error> {
    match value {
        Some(v) if v < min || v > max => Err(Error::invalid_request(
            field,
            format!("must be between {min} and {max}"),
        )),
        _ => Ok(()),
    }
}

/// A decimal that the gateway reads as a non-negative amount: at most 10 integer digits and
/// 3 decimals.
pub(crate) fn decimal_amount(
    field: &str,
    value: Option<rust_decimal::Decimal>,
) -> Result<(), Error> {
    match value {
        Some(v) => crate::model::Amount::new(v)
            .map(|_| ())
            .map_err(|e| match e {
                Error::InvalidRequest { reason, .. } => Error::invalid_request(field, reason),
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

    #[test]
    fn errors_never_echo_the_value() {
        let secret_like = "AT123456789012345678".repeat(10);
        let e = length("customer.paymentData.ibanData.iban", &secret_like, 1, 34).unwrap_err();
        assert!(!e.to_string().contains("AT1234"));
    }
}
