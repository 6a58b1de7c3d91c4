//! Amounts: `rust_decimal::Decimal` in major units, sent as a JSON number, signed in the
//! shortest decimal form of exactly the number text that is sent.

use std::fmt;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serializer;

use crate::error::{Error, Rule};
use crate::lenient::decimal_from_text;

/// The largest amount accepted: 10^13 major units keeps every 2-decimal amount exact in the
/// `float64` the gateway parses it into.
const MAX_AMOUNT: i64 = 10_000_000_000_000;

/// Serializes an amount as a JSON number: an integer when it has no fraction (`50010`),
/// otherwise the shortest float text (`19010.2`).
pub(crate) fn serialize<S: Serializer>(amount: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    let normalized = amount.normalize();
    if normalized.scale() == 0
        && let Some(i) = normalized.to_i64()
    {
        return s.serialize_i64(i);
    }
    match normalized.to_f64() {
        Some(f) if f.is_finite() => s.serialize_f64(f),
        _ => Err(serde::ser::Error::custom("amount is not representable")),
    }
}

/// Serializes an optional amount (use with `skip_serializing_if = "Option::is_none"`).
pub(crate) fn serialize_opt<S: Serializer>(
    amount: &Option<Decimal>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match amount {
        Some(a) => serialize(a, s),
        None => s.serialize_none(),
    }
}

/// The JSON number text [`serialize`] writes for an amount, held inline (an integer of at most
/// 20 characters or the shortest float text, at most 24).
pub(crate) struct JsonText {
    buf: [u8; 48],
    len: usize,
}

impl JsonText {
    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII digits, signs, `.` and `e` are ever written.
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or_default()
    }
}

/// The JSON number text [`serialize`] writes for `amount`, without allocating.
pub(crate) fn json_text_inline(amount: &Decimal) -> Result<JsonText, Error> {
    struct Wrap<'a>(&'a Decimal);
    impl serde::Serialize for Wrap<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            serialize(self.0, s)
        }
    }
    let mut text = JsonText {
        buf: [0; 48],
        len: 0,
    };
    let mut out: &mut [u8] = &mut text.buf;
    let written = serde_json::to_writer(&mut out, &Wrap(amount));
    let remaining = out.len();
    written.map_err(|_| {
        Error::invalid(
            Rule::AmountPrecision,
            format!("amount {amount} cannot be sent as a JSON number"),
        )
    })?;
    text.len = text.buf.len() - remaining;
    Ok(text)
}

/// The JSON number text [`serialize`] writes for `amount`.
#[cfg(test)]
pub(crate) fn json_text(amount: &Decimal) -> Result<String, Error> {
    json_text_inline(amount).map(|text| text.as_str().to_owned())
}

/// The text PortOne signs for `amount`: the shortest decimal form of the number text sent.
pub(crate) fn signed_text(amount: &Decimal) -> Result<String, Error> {
    let sent = json_text_inline(amount)?;
    payments_signing::portone::canonical_amount(sent.as_str()).ok_or_else(|| {
        Error::invalid(
            Rule::AmountPrecision,
            format!("amount {amount} has no canonical form"),
        )
    })
}

/// Validates an amount field: positive (or zero when `allow_zero`), at most two decimals, below
/// 10^13, and sent exactly (the number text reads back as the same decimal). `field` names the
/// field in the error (formatted only then).
pub(crate) fn validate(
    field: impl fmt::Display,
    amount: &Decimal,
    allow_zero: bool,
) -> Result<(), Error> {
    if amount.is_sign_negative() && !amount.is_zero() {
        return Err(Error::invalid(
            Rule::AmountRange,
            format!("{field} must not be negative (got {amount})"),
        ));
    }
    if amount.is_zero() && !allow_zero {
        return Err(Error::invalid(
            Rule::AmountRange,
            format!("{field} must be greater than zero"),
        ));
    }
    let normalized = amount.normalize();
    if normalized.scale() > 2 {
        return Err(Error::invalid(
            Rule::AmountPrecision,
            format!("{field} has more than two decimal places (got {amount})"),
        ));
    }
    if *amount >= Decimal::from(MAX_AMOUNT) {
        return Err(Error::invalid(
            Rule::AmountRange,
            format!("{field} is too large (got {amount})"),
        ));
    }
    let text = json_text_inline(amount)?;
    if decimal_from_text(text.as_str()).map(|d| d.normalize()) != Some(normalized) {
        return Err(Error::invalid(
            Rule::AmountPrecision,
            format!("{field} {amount} would not be sent exactly"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).expect("decimal")
    }

    #[test]
    fn the_text_sent_and_the_text_signed_agree() {
        // (amount, JSON text sent, text signed) — the signed forms are Go's FormatFloat(x,'f',-1,64)
        // of the documented examples: 100.00 → "100", 19010.2 → "19010.2", 50010.00 → "50010".
        for (amount, sent, signed) in [
            ("100.00", "100", "100"),
            ("50010.00", "50010", "50010"),
            ("19010.20", "19010.2", "19010.2"),
            ("111.12", "111.12", "111.12"),
            ("0.5", "0.5", "0.5"),
            ("9999999999999.99", "9999999999999.99", "9999999999999.99"),
        ] {
            let amount = d(amount);
            assert_eq!(json_text(&amount).expect("text"), sent);
            assert_eq!(signed_text(&amount).expect("signed"), signed);
            assert!(validate("amount", &amount, false).is_ok());
        }
    }

    #[test]
    fn every_cent_amount_round_trips_exactly() {
        // Independent check: for every cent value in a range, the JSON text parses back to the
        // same decimal and the signed text equals the decimal's normalized display.
        for cents in (0..200_000_i64).step_by(7).chain([1, 99, 100, 101]) {
            let amount = Decimal::new(cents + 1, 2);
            let text = json_text(&amount).expect("text");
            assert_eq!(d(&text), amount, "{amount}");
            assert_eq!(
                signed_text(&amount).expect("signed"),
                amount.normalize().to_string()
            );
        }
    }

    #[test]
    fn invalid_amounts_are_refused_with_a_rule() {
        for (amount, rule) in [
            ("0", Rule::AmountRange),
            ("-1", Rule::AmountRange),
            ("1.005", Rule::AmountPrecision),
            ("10000000000000", Rule::AmountRange),
        ] {
            let err = validate("amount", &d(amount), false).expect_err(amount);
            assert_eq!(err.rule(), Some(rule), "{amount}");
        }
        assert!(validate("promo_discount", &Decimal::ZERO, true).is_ok());
        let err = validate(format_args!("order_details[{}].price", 3), &d("-2"), true)
            .expect_err("negative");
        assert!(
            err.to_string()
                .contains("order_details[3].price must not be negative (got -2)"),
            "{err}"
        );
    }

    #[test]
    fn the_inline_text_is_what_serde_json_writes() {
        struct Wrap(Decimal);
        impl serde::Serialize for Wrap {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                serialize(&self.0, s)
            }
        }
        for amount in [
            "0",
            "-0.00",
            "1",
            "0.01",
            "19010",
            "19010.20",
            "9999999999999.99",
            "-9223372036854775808",
            "79228162514264337593543950335",
            "0.0000000000000000000000000001",
            "123456789.123456789",
        ] {
            let amount = d(amount);
            assert_eq!(
                json_text_inline(&amount)
                    .map(|t| t.as_str().to_owned())
                    .ok(),
                serde_json::to_string(&Wrap(amount)).ok(),
                "{amount}"
            );
        }
    }
}
