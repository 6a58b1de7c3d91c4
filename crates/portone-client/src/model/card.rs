//! Cards: raw card data held in redacting types and encrypted before it leaves the process
//! (`/api/tokenization/tokenize-card`), card tokens, saved cards and the card vault's records.

use std::collections::BTreeMap;
use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::pkcs8::DecodePublicKey;
use rsa::{Oaep, Pkcs1v15Encrypt, RsaPublicKey};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Rule};
use crate::lenient;

/// A card number. `Debug` and `Display` show only the last four digits; the number leaves the
/// process only RSA-encrypted.
#[derive(Clone)]
pub struct CardNumber(SecretString);

impl CardNumber {
    /// Parses a card number: 12–19 digits (spaces and dashes ignored) with a valid Luhn check
    /// digit.
    pub fn new(number: impl Into<String>) -> Result<Self, Error> {
        let raw: String = number.into();
        let digits: String = raw.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        if !(12..=19).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::invalid(
                Rule::CardNumber,
                "card number must be 12 to 19 digits",
            ));
        }
        if !luhn_valid(&digits) {
            return Err(Error::invalid(
                Rule::CardNumber,
                "card number fails the Luhn check",
            ));
        }
        Ok(Self(SecretString::from(digits)))
    }

    /// The last four digits.
    pub fn last4(&self) -> &str {
        let n = self.0.expose_secret();
        &n[n.len() - 4..]
    }

    /// The masked form PortOne uses, e.g. `424242******4242` (first six, last four).
    pub fn masked(&self) -> String {
        let n = self.0.expose_secret();
        format!(
            "{}{}{}",
            &n[..6],
            "*".repeat(n.len() - 10),
            &n[n.len() - 4..]
        )
    }

    pub(crate) fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for CardNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CardNumber(…{})", self.last4())
    }
}

impl fmt::Display for CardNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "…{}", self.last4())
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

/// A card verification code (CVV/CVC, PortOne's `service_code`). `Debug` shows nothing of it.
#[derive(Clone)]
pub struct Cvv(SecretString);

impl Cvv {
    /// Parses a CVV: 3 or 4 digits.
    pub fn new(cvv: impl Into<String>) -> Result<Self, Error> {
        let cvv: String = cvv.into();
        if !(3..=4).contains(&cvv.len()) || !cvv.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::invalid(Rule::Cvv, "CVV must be 3 or 4 digits"));
        }
        Ok(Self(SecretString::from(cvv)))
    }

    pub(crate) fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for Cvv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Cvv([redacted])")
    }
}

/// A new card entered by the customer, for [`Client::tokenize_card`](crate::Client::tokenize_card)
/// and [`Client::checkout_with_new_card`](crate::Client::checkout_with_new_card).
#[derive(Clone)]
pub struct NewCard {
    pub(crate) number: CardNumber,
    pub(crate) cvv: Cvv,
    pub(crate) holder_name: String,
    pub(crate) expiry_month: String,
    pub(crate) expiry_year: String,
    pub(crate) card_type: Option<String>,
    pub(crate) save_card: bool,
}

impl NewCard {
    /// A card with its number, CVV, holder name and expiry (`MM`, `YYYY`).
    pub fn new(
        number: CardNumber,
        cvv: Cvv,
        holder_name: impl Into<String>,
        expiry_month: impl Into<String>,
        expiry_year: impl Into<String>,
    ) -> Result<Self, Error> {
        let holder_name = holder_name.into();
        let expiry_month = expiry_month.into();
        let expiry_year = expiry_year.into();
        if holder_name.trim().is_empty() {
            return Err(Error::invalid(Rule::Required, "cardholder name is empty"));
        }
        let month_ok = expiry_month.len() == 2
            && expiry_month
                .parse::<u8>()
                .is_ok_and(|m| (1..=12).contains(&m));
        if !month_ok {
            return Err(Error::invalid(
                Rule::CardExpiry,
                format!("expiry month must be MM, 01 to 12 (got {expiry_month:?})"),
            ));
        }
        if expiry_year.len() != 4 || !expiry_year.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::invalid(
                Rule::CardExpiry,
                format!("expiry year must be YYYY (got {expiry_year:?})"),
            ));
        }
        Ok(Self {
            number,
            cvv,
            holder_name,
            expiry_month,
            expiry_year,
            card_type: None,
            save_card: false,
        })
    }

    /// The card brand, e.g. `Visa` (used as `token_params.type` when PortOne does not return one).
    pub fn card_type(mut self, card_type: impl Into<String>) -> Self {
        self.card_type = Some(card_type.into());
        self
    }

    /// Ask PortOne to keep the card for later payments (`save_card`).
    pub fn save_card(mut self, save: bool) -> Self {
        self.save_card = save;
        self
    }

    /// The card number (redacting).
    pub fn number(&self) -> &CardNumber {
        &self.number
    }
}

impl fmt::Debug for NewCard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewCard")
            .field("number", &self.number)
            .field("cvv", &self.cvv)
            .field("holder_name", &"[redacted]")
            .field("expiry_month", &self.expiry_month)
            .field("expiry_year", &self.expiry_year)
            .field("card_type", &self.card_type)
            .field("save_card", &self.save_card)
            .finish()
    }
}

/// How card data is encrypted with PortOne's public key. PortOne does not document the padding;
/// its React Native SDK encrypts with RSA-OAEP (SHA-1), the default here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum CardEncryption {
    /// RSA-OAEP with SHA-1 and MGF1-SHA-1.
    #[default]
    OaepSha1,
    /// RSA-OAEP with SHA-256 and MGF1-SHA-256.
    OaepSha256,
    /// RSA PKCS#1 v1.5.
    Pkcs1v15,
}

/// PortOne's card-encryption public key (`GET /api/tokenization/public-key`).
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey(RsaPublicKey);

impl PublicKey {
    /// Parses a PEM (`PUBLIC KEY` or `RSA PUBLIC KEY`) or bare base64 DER (SubjectPublicKeyInfo
    /// or PKCS#1) RSA public key.
    pub fn parse(text: &str) -> Result<Self, Error> {
        let text = text.trim();
        let bad = |what: &str| Error::Config(format!("PortOne's card public key is not {what}"));
        if text.starts_with("-----BEGIN") {
            let pem = text.replace("\\n", "\n");
            return RsaPublicKey::from_public_key_pem(&pem)
                .or_else(|_| RsaPublicKey::from_pkcs1_pem(&pem))
                .map(Self)
                .map_err(|_| bad("a valid PEM RSA public key"));
        }
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let der = STANDARD
            .decode(compact.as_bytes())
            .map_err(|_| bad("PEM or base64"))?;
        RsaPublicKey::from_public_key_der(&der)
            .or_else(|_| RsaPublicKey::from_pkcs1_der(&der))
            .map(Self)
            .map_err(|_| bad("a valid DER RSA public key"))
    }

    /// Encrypts `plaintext`, returning standard base64.
    pub(crate) fn encrypt(&self, plaintext: &str, scheme: CardEncryption) -> Result<String, Error> {
        let mut rng = rand::thread_rng();
        let data = plaintext.as_bytes();
        let result = match scheme {
            CardEncryption::OaepSha1 => self.0.encrypt(&mut rng, Oaep::new::<sha1::Sha1>(), data),
            CardEncryption::OaepSha256 => {
                self.0.encrypt(&mut rng, Oaep::new::<sha2::Sha256>(), data)
            }
            CardEncryption::Pkcs1v15 => self.0.encrypt(&mut rng, Pkcs1v15Encrypt, data),
        };
        result.map(|bytes| STANDARD.encode(bytes)).map_err(|_| {
            Error::Config("card data could not be encrypted with PortOne's key".into())
        })
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use rsa::traits::PublicKeyParts;
        write!(f, "PublicKey(RSA-{})", self.0.n().bits())
    }
}

/// The `content` of `GET /api/tokenization/public-key`.
#[derive(Debug, Deserialize)]
pub(crate) struct PublicKeyContent {
    pub(crate) public_key: String,
}

/// A card token issued by PortOne (tokenization, saved cards, the card vault). It stands for a
/// card, so `Debug` shows only its last four characters.
#[derive(Clone, PartialEq, Eq)]
pub struct CardToken(String);

impl CardToken {
    /// Wraps a token.
    pub fn new(token: impl Into<String>) -> Self {
        Self(token.into())
    }

    /// The token, to send it to PortOne.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for CardToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tail: String = {
            let chars: Vec<char> = self.0.chars().collect();
            chars[chars.len().saturating_sub(4)..].iter().collect()
        };
        write!(f, "CardToken(…{tail})")
    }
}

impl Serialize for CardToken {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for CardToken {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Self)
    }
}

/// The `content` of `POST /api/tokenization/tokenize-card`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct TokenizedCard {
    /// The card token to pay with.
    #[serde(alias = "token")]
    pub card_token: CardToken,
    /// The masked card number.
    #[serde(
        default,
        alias = "partial_card_number",
        deserialize_with = "lenient::opt_nonempty"
    )]
    pub card_number: Option<String>,
    /// Expiry month.
    #[serde(
        default,
        alias = "expiry_month",
        deserialize_with = "lenient::opt_nonempty"
    )]
    pub expiration_month: Option<String>,
    /// Expiry year.
    #[serde(
        default,
        alias = "expiry_year",
        deserialize_with = "lenient::opt_nonempty"
    )]
    pub expiration_year: Option<String>,
    /// Card brand.
    #[serde(default, alias = "type", deserialize_with = "lenient::opt_nonempty")]
    pub card_type: Option<String>,
}

/// A card saved by PortOne or in the merchant's card vault. `Debug` masks the card number to
/// its first six and last four digits even when PortOne sends it unmasked.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct SavedCard {
    /// The card token.
    pub token: CardToken,
    /// The masked number (`4242 4242 4242 4242` or `424242******4242`, as PortOne sends it).
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub partial_card_number: Option<String>,
    /// Expiry month (`"09"`).
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub expiry_month: Option<String>,
    /// Expiry year (`"2034"`).
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub expiry_year: Option<String>,
    /// Card brand (`visa`).
    #[serde(default, rename = "type", deserialize_with = "lenient::opt_nonempty")]
    pub card_type: Option<String>,
    /// Payment-channel tokens of the card, e.g. `STRIPE_CUSTOMER_TOKEN`.
    #[serde(default, deserialize_with = "string_map")]
    pub payment_channel_token: BTreeMap<String, String>,
}

impl fmt::Debug for SavedCard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SavedCard")
            .field("token", &self.token)
            .field(
                "partial_card_number",
                &self.partial_card_number.as_deref().map(mask_card_number),
            )
            .field("expiry_month", &self.expiry_month)
            .field("expiry_year", &self.expiry_year)
            .field("card_type", &self.card_type)
            .field("payment_channel_token", &self.payment_channel_token)
            .finish()
    }
}

/// Masks a card number that arrives with more than its first six and last four digits visible
/// (`4242 4242 4242 4242` → `424242******4242`); anything else is returned unchanged.
pub fn mask_card_number(number: &str) -> String {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    if digits.len() > 10
        && digits.len() == number.chars().filter(|c| !matches!(c, ' ' | '-')).count()
    {
        format!(
            "{}{}{}",
            &digits[..6],
            "*".repeat(digits.len() - 10),
            &digits[digits.len() - 4..]
        )
    } else {
        number.to_owned()
    }
}

impl SavedCard {
    /// `token_params` to pay with this card.
    pub fn token_params(&self) -> super::checkout::TokenParams {
        let mut params = super::checkout::TokenParams::new(self.token.clone());
        if let Some(p) = &self.partial_card_number {
            params = params.partial_card_number(p.clone());
        }
        if let (Some(m), Some(y)) = (&self.expiry_month, &self.expiry_year) {
            params = params.expiry(m.clone(), y.clone());
        }
        if let Some(t) = &self.card_type {
            params = params.card_type(t.clone());
        }
        params
    }
}

fn string_map<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, String>, D::Error> {
    let raw: Option<BTreeMap<String, serde_json::Value>> = Option::deserialize(d)?;
    Ok(raw
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| {
            let v = match v {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            (k, v)
        })
        .collect())
}

/// The cards of `GET /api/user/{phone}/savedCard`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SavedCards {
    /// The cards.
    pub cards: Vec<SavedCard>,
    /// A token for later look-ups without an OTP, when PortOne returns one.
    pub token: Option<SecretToken>,
}

/// A bearer token returned by PortOne (saved-card access). `Debug` shows nothing of it.
#[derive(Clone)]
pub struct SecretToken(pub(crate) SecretString);

impl SecretToken {
    /// Wraps a token.
    pub fn new(token: SecretString) -> Self {
        Self(token)
    }

    /// The token.
    pub fn secret(&self) -> &SecretString {
        &self.0
    }
}

impl PartialEq for SecretToken {
    fn eq(&self, other: &Self) -> bool {
        self.0.expose_secret() == other.0.expose_secret()
    }
}

impl Eq for SecretToken {}

impl fmt::Debug for SecretToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretToken([redacted])")
    }
}

/// The wire form of the saved-cards answer.
#[derive(Debug, Deserialize)]
pub(crate) struct SavedCardsWire {
    #[serde(default)]
    pub(crate) content: Option<SavedCardsContent>,
    #[serde(default, deserialize_with = "lenient::opt_secret")]
    pub(crate) token: Option<SecretString>,
}

/// `content` as a list, or as an object with the list under `data`/`cards` and maybe a token.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum SavedCardsContent {
    List(Vec<SavedCard>),
    Object {
        #[serde(alias = "cards", alias = "saved_cards")]
        data: Vec<SavedCard>,
        #[serde(default, deserialize_with = "lenient::opt_secret")]
        token: Option<SecretString>,
    },
}

/// A card record for the card vault (`POST /api/customer/{key}/{uuid}/add-card`): a token from
/// tokenization plus its display data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CardRecord {
    token: CardToken,
    #[serde(skip_serializing_if = "Option::is_none")]
    partial_card_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expiry_month: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expiry_year: Option<String>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    card_type: Option<String>,
    saved_card: bool,
}

impl CardRecord {
    /// A record for `token`.
    pub fn new(token: CardToken) -> Self {
        Self {
            token,
            partial_card_number: None,
            expiry_month: None,
            expiry_year: None,
            card_type: None,
            saved_card: true,
        }
    }

    /// The masked card number.
    pub fn partial_card_number(mut self, v: impl Into<String>) -> Self {
        self.partial_card_number = Some(v.into());
        self
    }

    /// Expiry month `MM` and year `YYYY`.
    pub fn expiry(mut self, month: impl Into<String>, year: impl Into<String>) -> Self {
        self.expiry_month = Some(month.into());
        self.expiry_year = Some(year.into());
        self
    }

    /// Card brand.
    pub fn card_type(mut self, v: impl Into<String>) -> Self {
        self.card_type = Some(v.into());
        self
    }

    /// A record from a tokenization result.
    pub fn from_tokenized(card: &TokenizedCard) -> Self {
        let mut record = Self::new(card.card_token.clone());
        record.partial_card_number = card.card_number.clone();
        record.expiry_month = card.expiration_month.clone();
        record.expiry_year = card.expiration_year.clone();
        record.card_type = card.card_type.clone();
        record
    }
}

/// The `content` of the card vault's list of cards.
#[derive(Debug, Deserialize)]
pub(crate) struct CardList {
    #[serde(default)]
    pub(crate) data: Vec<SavedCard>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_number_is_validated_and_never_shown() {
        let n = CardNumber::new("4242 4242 4242 4242").expect("valid test card");
        assert_eq!(format!("{n:?}"), "CardNumber(…4242)");
        assert_eq!(n.masked(), "424242******4242");
        assert_eq!(
            CardNumber::new("4242424242424241")
                .expect_err("luhn")
                .rule(),
            Some(Rule::CardNumber)
        );
        assert!(CardNumber::new("4242").is_err());
        assert!(CardNumber::new("42424242424242a2").is_err());
    }

    #[test]
    fn new_card_debug_hides_number_cvv_and_holder() {
        let card = NewCard::new(
            CardNumber::new("4242424242424242").expect("card"),
            Cvv::new("123").expect("cvv"),
            "NGUYEN VAN A",
            "05",
            "2025",
        )
        .expect("card");
        let debug = format!("{card:?}");
        for s in ["4242424242424242", "123", "NGUYEN"] {
            assert!(!debug.contains(s), "{debug}");
        }
        assert!(
            NewCard::new(
                CardNumber::new("4242424242424242").expect("card"),
                Cvv::new("123").expect("cvv"),
                "A",
                "13",
                "2025"
            )
            .is_err()
        );
        assert!(Cvv::new("12").is_err());
    }

    #[test]
    fn unmasked_numbers_are_masked_in_debug() {
        assert_eq!(mask_card_number("4242 4242 4242 4242"), "424242******4242");
        assert_eq!(mask_card_number("424242******4242"), "424242******4242");
        assert_eq!(mask_card_number("************4242"), "************4242");
        let card: SavedCard = serde_json::from_str(
            r#"{"token":"97daee740bb84a6d907dfe46fca1139e","partial_card_number":"4242 4242 4242 4242"}"#,
        )
        .expect("card");
        assert!(!format!("{card:?}").contains("4242 4242 4242 4242"));
    }

    #[test]
    fn card_token_debug_shows_only_the_tail() {
        let t = CardToken::new("97daee740bb84a6d907dfe46fca1139e");
        assert_eq!(format!("{t:?}"), "CardToken(…139e)");
    }
}
