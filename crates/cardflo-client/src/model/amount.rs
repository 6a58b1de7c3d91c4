//! Money: decimal amounts in major units, as the gateway takes them.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::Error;

/// An amount in **major units** of its currency (`9.99` EUR), sent as a decimal string.
///
/// The gateway accepts `^[0-9]{1,10}(\.[0-9]{1,3})?$`: non-negative, at most ten integer digits
/// and at most three decimals. [`Amount::new`] and [`str::parse`] enforce exactly that, so an
/// amount that would be rejected never leaves your process. Amounts in responses and
/// notifications are read leniently (strings or JSON numbers).
///
/// ```
/// use cardflo_client::Amount;
/// use rust_decimal::Decimal;
///
/// let amount: Amount = "9.99".parse()?;
/// assert_eq!(amount.to_string(), "9.99");
/// assert_eq!(Amount::new(Decimal::new(999, 2))?, amount);
/// assert!("9.9999".parse::<Amount>().is_err());
/// assert!("-1".parse::<Amount>().is_err());
/// # Ok::<(), cardflo_client::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Amount(Decimal);

/// The largest amount the gateway accepts: ten integer digits and three decimals.
const MAX_INTEGER_DIGITS: usize = 10;
const MAX_DECIMALS: u32 = 3;

impl Amount {
    /// Validates a decimal: non-negative, at most three decimals (trailing zeros beyond the
    /// third are dropped) and at most ten integer digits.
    pub fn new(value: Decimal) -> Result<Self, Error> {
        let mut value = value;
        if value.scale() > MAX_DECIMALS {
            value = value.normalize();
        }
        if value.is_sign_negative() && !value.is_zero() {
            return Err(invalid("must not be negative"));
        }
        if value.scale() > MAX_DECIMALS {
            return Err(invalid("at most 3 decimals"));
        }
        let integer_digits = value.trunc().abs().to_string().len();
        if integer_digits > MAX_INTEGER_DIGITS {
            return Err(invalid("at most 10 integer digits"));
        }
        Ok(Self(value.abs()))
    }

    /// The amount as a decimal.
    pub fn as_decimal(&self) -> Decimal {
        self.0
    }

    /// Wraps a decimal read from a response without validation (the gateway is the source of
    /// truth for what it sends).
    pub(crate) fn from_wire(value: Decimal) -> Self {
        Self(value)
    }
}

fn invalid(reason: &str) -> Error {
    Error::invalid_request(
        "amount",
        format!("{reason} (expected ^[0-9]{{1,10}}(\\.[0-9]{{1,3}})?$)"),
    )
}

impl FromStr for Amount {
    type Err = Error;

    /// Parses exactly the documented format, `^[0-9]{1,10}(\.[0-9]{1,3})?$`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (integer, fraction) = match s.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (s, None),
        };
        let digits = |part: &str, max: usize| {
            !part.is_empty() && part.len() <= max && part.bytes().all(|b| b.is_ascii_digit())
        };
        if !digits(integer, MAX_INTEGER_DIGITS) {
            return Err(invalid("not a decimal with 1 to 10 integer digits"));
        }
        if let Some(fraction) = fraction
            && !digits(fraction, MAX_DECIMALS as usize)
        {
            return Err(invalid("at most 3 decimals after the dot"));
        }
        let value = Decimal::from_str(s).map_err(|_| invalid("not a decimal"))?;
        Ok(Self(value))
    }
}

impl TryFrom<Decimal> for Amount {
    type Error = Error;

    fn try_from(value: Decimal) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl TryFrom<&str> for Amount {
    type Error = Error;

    fn try_from(value: &str) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<Amount> for Decimal {
    fn from(amount: Amount) -> Self {
        amount.0
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Debug for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Amount({})", self.0)
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Amount {
    /// Lenient: a decimal string or a JSON number.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match crate::de::opt_decimal(deserializer)? {
            Some(value) => Ok(Self::from_wire(value)),
            None => Err(serde::de::Error::custom(
                "expected a decimal amount, found null or an empty string",
            )),
        }
    }
}

/// `Option<Amount>` read leniently (`null` and `""` are `None`).
pub(crate) fn opt_amount<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Amount>, D::Error> {
    Ok(crate::de::opt_decimal(deserializer)?.map(Amount::from_wire))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn documented_format_is_enforced() {
        for ok in ["0", "9.99", "0.9", "1234567890", "1234567890.123", "5.000"] {
            let amount: Amount = ok.parse().unwrap();
            assert_eq!(amount.to_string(), ok, "round trip of {ok}");
        }
        for bad in [
            "",
            ".5",
            "5.",
            "-1",
            "+1",
            "1e3",
            "12345678901",
            "1.2345",
            "1,00",
            " 1",
            "1.2.3",
            "٣",
        ] {
            assert!(bad.parse::<Amount>().is_err(), "{bad:?} must be rejected");
        }
    }

    #[test]
    fn decimals_are_validated() {
        assert_eq!(
            Amount::new(Decimal::new(999, 2)).unwrap().to_string(),
            "9.99"
        );
        // Trailing zeros beyond three decimals are harmless.
        assert_eq!(
            Amount::new(Decimal::new(99_900, 4)).unwrap().to_string(),
            "9.99"
        );
        assert!(Amount::new(Decimal::new(99_991, 4)).is_err());
        assert!(Amount::new(Decimal::new(-1, 0)).is_err());
        assert!(Amount::new(Decimal::new(12_345_678_901, 0)).is_err());
        assert!(Amount::new(Decimal::new(9_999_999_999_999, 3)).is_ok());
    }

    #[test]
    fn serializes_as_a_string_and_reads_numbers_too() {
        let amount: Amount = "0.9".parse().unwrap();
        assert_eq!(serde_json::to_string(&amount).unwrap(), r#""0.9""#);
        let from_number: Amount = serde_json::from_str("9.99").unwrap();
        let from_string: Amount = serde_json::from_str(r#""9.99""#).unwrap();
        assert_eq!(from_number, from_string);
        assert!(serde_json::from_str::<Amount>(r#""abc""#).is_err());
    }
}
