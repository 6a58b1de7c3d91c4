//! Card data for PCI-DSS merchants (`3dsecure_step1`, payouts to a card number).
//!
//! The holders keep their value in a [`SecretString`] and never show it in `Debug`: a card
//! number shows only its last four digits, a CVV2 nothing at all.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};

use crate::error::{Error, Result};

/// A card number (PAN), validated (12 to 19 digits, Luhn check) and redacted in `Debug`.
///
/// ```
/// use flitt_client::model::card::CardNumber;
/// let pan = CardNumber::new("4444 5555 6666 1111").unwrap();
/// assert_eq!(format!("{pan:?}"), "CardNumber(****1111)");
/// assert!(CardNumber::new("4444555566661112").is_err()); // fails the Luhn check
/// ```
#[derive(Clone)]
pub struct CardNumber(SecretString);

impl CardNumber {
    /// Validates and keeps a card number; spaces and dashes are removed.
    pub fn new(number: &str) -> Result<Self> {
        let digits: String = number.chars().filter(|c| *c != ' ' && *c != '-').collect();
        if !(12..=19).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::invalid("card_number", "must be 12 to 19 digits"));
        }
        if !luhn_valid(&digits) {
            return Err(Error::invalid("card_number", "fails the Luhn check"));
        }
        Ok(CardNumber(SecretString::from(digits)))
    }

    /// The last four digits, safe to show.
    pub fn last4(&self) -> &str {
        let digits = self.0.expose_secret();
        &digits[digits.len().saturating_sub(4)..]
    }

    pub(crate) fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for CardNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CardNumber(****{})", self.last4())
    }
}

fn luhn_valid(digits: &str) -> bool {
    let mut sum = 0u32;
    for (i, b) in digits.bytes().rev().enumerate() {
        let mut d = u32::from(b - b'0');
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    sum.is_multiple_of(10)
}

/// A CVV2/CVC2 code (3 or 4 digits), never shown in `Debug`.
///
/// ```
/// use flitt_client::model::card::Cvv2;
/// let cvv = Cvv2::new("123").unwrap();
/// assert_eq!(format!("{cvv:?}"), "Cvv2([REDACTED])");
/// assert!(Cvv2::new("12345").is_err());
/// ```
#[derive(Clone)]
pub struct Cvv2(SecretString);

impl Cvv2 {
    /// Validates and keeps a CVV2 (3 or 4 digits).
    pub fn new(cvv2: &str) -> Result<Self> {
        if !(3..=4).contains(&cvv2.len()) || !cvv2.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::invalid("cvv2", "must be 3 or 4 digits"));
        }
        Ok(Cvv2(SecretString::from(cvv2.to_owned())))
    }

    pub(crate) fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for Cvv2 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Cvv2([REDACTED])")
    }
}

/// A card expiry date, sent as `MMYY`.
///
/// ```
/// use flitt_client::model::card::Expiry;
/// assert_eq!(Expiry::new(1, 2027).unwrap().to_string(), "0127");
/// assert!(Expiry::new(13, 2027).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expiry {
    month: u8,
    year: u16,
}

impl Expiry {
    /// A month (1–12) and a four-digit year (2000–2099).
    pub fn new(month: u8, year: u16) -> Result<Self> {
        if !(1..=12).contains(&month) {
            return Err(Error::invalid("expiry_date", "month must be 1 to 12"));
        }
        if !(2000..=2099).contains(&year) {
            return Err(Error::invalid("expiry_date", "year must be 2000 to 2099"));
        }
        Ok(Expiry { month, year })
    }
}

impl fmt::Display for Expiry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}{:02}", self.month, self.year % 100)
    }
}

/// The card of a direct (PCI-DSS) payment: number, expiry and CVV2. `Debug` shows only the
/// last four digits.
#[derive(Clone)]
pub struct Card {
    pub(crate) number: CardNumber,
    pub(crate) expiry: Expiry,
    pub(crate) cvv2: Cvv2,
}

impl Card {
    /// A card from its parts.
    pub fn new(number: CardNumber, expiry: Expiry, cvv2: Cvv2) -> Self {
        Card {
            number,
            expiry,
            cvv2,
        }
    }
}

impl fmt::Debug for Card {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Card")
            .field("number", &self.number)
            .field("expiry", &self.expiry)
            .field("cvv2", &self.cvv2)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_test_cards_pass_the_luhn_check() {
        for pan in [
            "4444555566661111",
            "4444111166665555",
            "4444555511116666",
            "5555666644441111",
            "9860010099998881",
            "8600202020202023",
        ] {
            assert!(CardNumber::new(pan).is_ok(), "{pan}");
        }
    }

    #[test]
    fn debug_never_shows_the_number_or_the_cvv() {
        let card = Card::new(
            CardNumber::new("4444555566661111").unwrap_or_else(|e| unreachable!("{e}")),
            Expiry::new(12, 2030).unwrap_or_else(|e| unreachable!("{e}")),
            Cvv2::new("987").unwrap_or_else(|e| unreachable!("{e}")),
        );
        let shown = format!("{card:?}");
        assert!(!shown.contains("4444555566661111"), "{shown}");
        assert!(!shown.contains("987"), "{shown}");
        assert!(shown.contains("1111"), "{shown}");
    }
}
