//! Card data and Pivot's card encryption.
//!
//! In API mode (`mode: API`, `autoConfirm: false`, `paymentMethod.type: CARD`) a new Payment
//! Session returns an `encryptionKey`: a Base64 DER SubjectPublicKeyInfo RSA key. The card is
//! encrypted with it and the result is sent to Confirm as `paymentMethod.card.encryptedCard`:
//!
//! 1. a random 32-byte AES key and a random 12-byte nonce;
//! 2. `ciphertext = AES-256-GCM(key, nonce, card JSON)` with the 16-byte tag appended;
//! 3. `encryptedKey = RSA-OAEP(SHA-256, MGF1-SHA-256, empty label)(AES key)`;
//! 4. `encryptedCard = base64(JSON {"encryptedKey", "nonce", "ciphertext"})`, each value
//!    standard Base64.
//!
//! Pivot's guide runs this step in the merchant's front end; this module lets a back end or a
//! native client do it. Card numbers and CVCs stay in [`CardNumber`] and [`Cvc`], whose `Debug`
//! never shows them.
//!
//! ```
//! use session_tokenize_client::card::{CardData, CardDetails, EncryptionKey};
//!
//! # fn demo(encryption_key_from_the_session: &str) -> Result<(), session_tokenize_client::Error> {
//! let key = EncryptionKey::from_base64(encryption_key_from_the_session)?;
//! let card = CardDetails::new("4440 0001 1220 0001", 1, 29, "123", "John Doe")?;
//! let encrypted = key.encrypt(&CardData::new(card))?;
//! // send `encrypted` with ConfirmPaymentSession::encrypted_card(..)
//! # let _ = encrypted; Ok(()) }
//! ```

use std::fmt;

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use payments_signing::digest::{base64_decode, base64_encode};
use rand::{CryptoRng, RngCore};
use rsa::pkcs8::DecodePublicKey;
use rsa::traits::PublicKeyParts;
use rsa::{Oaep, RsaPublicKey};
use secrecy::{ExposeSecret, SecretBox, SecretString};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::Error;

/// A card number (PAN). Spaces are removed; `Debug` and `Display` show only the last four
/// digits.
#[derive(Clone)]
pub struct CardNumber(SecretString);

impl CardNumber {
    /// Normalises (removes spaces, as Pivot's own encryption tool does) and checks that 12 to
    /// 19 digits remain.
    pub fn new(number: &str) -> Result<Self, Error> {
        let digits: String = number.chars().filter(|c| *c != ' ').collect();
        if !(12..=19).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::invalid("card.number", "must be 12 to 19 digits"));
        }
        Ok(Self(SecretString::from(digits)))
    }

    /// The last four digits.
    pub fn last4(&self) -> &str {
        let pan = self.0.expose_secret();
        &pan[pan.len().saturating_sub(4)..]
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

impl fmt::Display for CardNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "****{}", self.last4())
    }
}

/// A card verification code. `Debug` shows `[REDACTED]`.
#[derive(Clone)]
pub struct Cvc(SecretString);

impl Cvc {
    /// Checks that the code is 3 or 4 digits.
    pub fn new(cvc: &str) -> Result<Self, Error> {
        if !(3..=4).contains(&cvc.len()) || !cvc.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::invalid("card.cvc", "must be 3 or 4 digits"));
        }
        Ok(Self(SecretString::from(cvc)))
    }

    pub(crate) fn expose(&self) -> &str {
        self.0.expose_secret()
    }

    /// Wraps whatever a response echoed (Pivot echoes `""`), without validation.
    pub(crate) fn from_echo(raw: String) -> Self {
        Self(SecretString::from(raw))
    }
}

impl fmt::Debug for Cvc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Cvc([REDACTED])")
    }
}

impl PartialEq for Cvc {
    fn eq(&self, other: &Self) -> bool {
        payments_signing::digest::constant_time_eq(
            self.expose().as_bytes(),
            other.expose().as_bytes(),
        )
    }
}

impl PartialEq for CardNumber {
    fn eq(&self, other: &Self) -> bool {
        payments_signing::digest::constant_time_eq(
            self.expose().as_bytes(),
            other.expose().as_bytes(),
        )
    }
}

/// The card fields that get encrypted: number, expiry, CVC and the name on the card.
///
/// ```
/// use session_tokenize_client::card::CardDetails;
///
/// let card = CardDetails::new("4440 0001 1220 0001", 1, 29, "123", "John Doe")?;
/// assert_eq!(card.expiry_month(), "01");
/// assert_eq!(card.expiry_year(), "29");
/// let shown = format!("{card:?}");
/// assert!(!shown.contains("4440000112200001") && !shown.contains("123"));
/// # Ok::<(), session_tokenize_client::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct CardDetails {
    number: CardNumber,
    expiry_month: String,
    expiry_year: String,
    cvc: Cvc,
    name_on_card: String,
}

impl CardDetails {
    /// Validates and normalises the card: spaces are removed from the number, the month
    /// (1–12) is zero-padded to two digits, and the year may be given as `29` or `2029`.
    pub fn new(
        number: &str,
        expiry_month: u8,
        expiry_year: u16,
        cvc: &str,
        name_on_card: impl Into<String>,
    ) -> Result<Self, Error> {
        if !(1..=12).contains(&expiry_month) {
            return Err(Error::invalid("card.expiryMonth", "must be 1 to 12"));
        }
        let year = match expiry_year {
            0..=99 => expiry_year,
            2000..=2099 => expiry_year - 2000,
            _ => {
                return Err(Error::invalid(
                    "card.expiryYear",
                    "must be two digits (29) or a year 2000-2099",
                ));
            }
        };
        let name_on_card = name_on_card.into();
        super::model::validate_len(&name_on_card, "card.nameOnCard", 1, 255)?;
        Ok(Self {
            number: CardNumber::new(number)?,
            expiry_month: format!("{expiry_month:02}"),
            expiry_year: format!("{year:02}"),
            cvc: Cvc::new(cvc)?,
            name_on_card,
        })
    }

    /// The card number (redacted in `Debug`).
    pub fn number(&self) -> &CardNumber {
        &self.number
    }

    /// The two-digit expiry month, e.g. `"01"`.
    pub fn expiry_month(&self) -> &str {
        &self.expiry_month
    }

    /// The two-digit expiry year, e.g. `"29"`.
    pub fn expiry_year(&self) -> &str {
        &self.expiry_year
    }

    /// The name on the card.
    pub fn name_on_card(&self) -> &str {
        &self.name_on_card
    }

    /// The CVC (redacted in `Debug`).
    pub fn cvc(&self) -> &Cvc {
        &self.cvc
    }
}

/// The shopper's device, encrypted together with the card (used by Pivot for fraud screening
/// and 3DS). Every field is a string; unset fields are sent as `""`, as Pivot's examples do.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct DeviceInformations {
    /// Device type.
    #[serde(rename = "type")]
    pub device_type: String,
    /// Browser user agent.
    pub user_agent: String,
    /// Shopper's IP address.
    pub ip_address: String,
    /// Accept-Language, e.g. `EN`.
    pub accept_language: String,
    /// Cookie token.
    pub cookie_token: String,
    /// Device id.
    pub device_id: String,
    /// Browser width in pixels, as a string.
    pub browser_width: String,
    /// Browser height in pixels, as a string.
    pub browser_height: String,
    /// Country, e.g. `ID`.
    pub country: String,
}

impl DeviceInformations {
    /// Empty device information (every field `""`).
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the user agent.
    pub fn user_agent(mut self, value: impl Into<String>) -> Self {
        self.user_agent = value.into();
        self
    }

    /// Sets the IP address.
    pub fn ip_address(mut self, value: impl Into<String>) -> Self {
        self.ip_address = value.into();
        self
    }

    /// Sets the accept language.
    pub fn accept_language(mut self, value: impl Into<String>) -> Self {
        self.accept_language = value.into();
        self
    }

    /// Sets the device type.
    pub fn device_type(mut self, value: impl Into<String>) -> Self {
        self.device_type = value.into();
        self
    }

    /// Sets the cookie token.
    pub fn cookie_token(mut self, value: impl Into<String>) -> Self {
        self.cookie_token = value.into();
        self
    }

    /// Sets the device id.
    pub fn device_id(mut self, value: impl Into<String>) -> Self {
        self.device_id = value.into();
        self
    }

    /// Sets the browser size in pixels.
    pub fn browser_size(mut self, width: u32, height: u32) -> Self {
        self.browser_width = width.to_string();
        self.browser_height = height.to_string();
        self
    }

    /// Sets the country code, e.g. `ID`.
    pub fn country(mut self, value: impl Into<String>) -> Self {
        self.country = value.into();
        self
    }
}

/// Everything that is encrypted: the card, the device and free metadata.
#[derive(Clone, Debug, PartialEq)]
pub struct CardData {
    card: CardDetails,
    device_informations: DeviceInformations,
    metadata: serde_json::Map<String, serde_json::Value>,
}

impl CardData {
    /// The card with empty device information and metadata.
    pub fn new(card: CardDetails) -> Self {
        Self {
            card,
            device_informations: DeviceInformations::default(),
            metadata: serde_json::Map::new(),
        }
    }

    /// Sets the device information.
    pub fn device_informations(mut self, device: DeviceInformations) -> Self {
        self.device_informations = device;
        self
    }

    /// Sets the metadata object.
    pub fn metadata(mut self, metadata: serde_json::Map<String, serde_json::Value>) -> Self {
        self.metadata = metadata;
        self
    }

    /// The card.
    pub fn card(&self) -> &CardDetails {
        &self.card
    }

    /// The JSON that gets encrypted, in the field order of Pivot's examples. Held in a
    /// [`SecretBox`] so the buffer is zeroed when dropped.
    pub(crate) fn plaintext(&self) -> Result<SecretBox<Vec<u8>>, Error> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Card<'a> {
            number: &'a str,
            expiry_month: &'a str,
            expiry_year: &'a str,
            cvc: &'a str,
            name_on_card: &'a str,
        }
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Plaintext<'a> {
            card: Card<'a>,
            device_informations: &'a DeviceInformations,
            metadata: &'a serde_json::Map<String, serde_json::Value>,
        }
        let plaintext = Plaintext {
            card: Card {
                number: self.card.number.expose(),
                expiry_month: &self.card.expiry_month,
                expiry_year: &self.card.expiry_year,
                cvc: self.card.cvc.expose(),
                name_on_card: &self.card.name_on_card,
            },
            device_informations: &self.device_informations,
            metadata: &self.metadata,
        };
        let bytes = serde_json::to_vec(&plaintext)
            .map_err(|e| Error::encryption(format!("cannot serialize the card: {e}")))?;
        Ok(SecretBox::new(Box::new(bytes)))
    }
}

/// A session's `encryptionKey`: an RSA public key (Base64 DER SubjectPublicKeyInfo).
#[derive(Clone)]
pub struct EncryptionKey {
    key: RsaPublicKey,
}

impl EncryptionKey {
    /// Parses the `encryptionKey` of a Payment Session. Whitespace (line breaks of a copied
    /// key) is ignored; anything that is not a Base64 RSA SubjectPublicKeyInfo is an
    /// [`Error::Encryption`].
    pub fn from_base64(encoded: &str) -> Result<Self, Error> {
        let compact: String = encoded.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.is_empty() {
            return Err(Error::encryption("the encryption key is empty"));
        }
        let der = base64_decode(&compact).ok_or_else(|| {
            Error::encryption("the encryption key is not standard Base64 (expected Base64 DER SubjectPublicKeyInfo)")
        })?;
        let key = RsaPublicKey::from_public_key_der(&der).map_err(|e| {
            Error::encryption(format!(
                "the encryption key is not an RSA SubjectPublicKeyInfo ({e})"
            ))
        })?;
        Ok(Self { key })
    }

    /// The modulus size in bits (2048 for Pivot's keys).
    pub fn bits(&self) -> usize {
        self.key.size() * 8
    }

    /// Encrypts `data` with a fresh random AES key and nonce from the operating system.
    pub fn encrypt(&self, data: &CardData) -> Result<EncryptedCard, Error> {
        self.encrypt_with_rng(data, &mut rand::thread_rng())
    }

    /// Encrypts `data`, drawing the AES key, the nonce and the OAEP seed from `rng`.
    pub fn encrypt_with_rng<R: RngCore + CryptoRng>(
        &self,
        data: &CardData,
        rng: &mut R,
    ) -> Result<EncryptedCard, Error> {
        let plaintext = data.plaintext()?;
        let aes_key = SecretBox::new(Box::new({
            let mut key = [0u8; 32];
            rng.fill_bytes(&mut key);
            key
        }));
        let mut nonce = [0u8; 12];
        rng.fill_bytes(&mut nonce);
        let ciphertext = seal(aes_key.expose_secret(), &nonce, plaintext.expose_secret())?;
        let encrypted_key = self
            .key
            .encrypt(rng, Oaep::new::<Sha256>(), aes_key.expose_secret())
            .map_err(|e| Error::encryption(format!("RSA-OAEP failed: {e}")))?;
        let envelope = Envelope {
            encrypted_key: base64_encode(&encrypted_key),
            nonce: base64_encode(&nonce),
            ciphertext: base64_encode(&ciphertext),
        };
        let json = serde_json::to_vec(&envelope)
            .map_err(|e| Error::encryption(format!("cannot serialize the envelope: {e}")))?;
        Ok(EncryptedCard(base64_encode(&json)))
    }
}

impl fmt::Debug for EncryptionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EncryptionKey(RSA-{})", self.bits())
    }
}

/// The `{"encryptedKey", "nonce", "ciphertext"}` envelope. Pivot's own sample value uses
/// capitalised keys; both spellings are read.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Envelope {
    #[serde(alias = "EncryptedKey")]
    pub(crate) encrypted_key: String,
    #[serde(alias = "Nonce")]
    pub(crate) nonce: String,
    #[serde(alias = "Ciphertext")]
    pub(crate) ciphertext: String,
}

/// AES-256-GCM without associated data; the 16-byte tag is appended to the ciphertext.
pub(crate) fn seal(key: &[u8; 32], nonce: &[u8; 12], plaintext: &[u8]) -> Result<Vec<u8>, Error> {
    let cipher = Aes256Gcm::new_from_slice(key)
        .map_err(|_| Error::encryption("the AES key must be 32 bytes"))?;
    cipher
        .encrypt(Nonce::from_slice(nonce), plaintext)
        .map_err(|_| Error::encryption("AES-GCM encryption failed"))
}

/// The inverse of [`seal`] (used by the mock gateway and by tests).
#[cfg_attr(not(feature = "testing"), allow(dead_code))]
pub(crate) fn open(key: &[u8], nonce: &[u8], ciphertext: &[u8]) -> Result<Vec<u8>, Error> {
    if nonce.len() != 12 {
        return Err(Error::encryption("the nonce must be 12 bytes"));
    }
    let cipher = Aes256Gcm::new_from_slice(key)
        .map_err(|_| Error::encryption("the AES key must be 32 bytes"))?;
    cipher
        .decrypt(Nonce::from_slice(nonce), ciphertext)
        .map_err(|_| Error::encryption("AES-GCM authentication failed"))
}

/// An encrypted card, ready for `paymentMethod.card.encryptedCard`. `Debug` shows only its
/// length.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EncryptedCard(String);

impl EncryptedCard {
    /// Wraps an `encryptedCard` produced elsewhere, e.g. by your web front end running Pivot's
    /// JavaScript sample.
    pub fn from_string(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value to send.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for EncryptedCard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EncryptedCard({} chars)", self.0.len())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    fn fixture(name: &str) -> String {
        let path = format!("{}/../../fixtures/pivot/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(path).unwrap()
    }

    /// The AES-256-GCM known answer of the provider notes (section 9.4), over the exact bytes
    /// this crate produces for the vector's card.
    #[test]
    fn the_aes_gcm_vector_reproduces_over_the_crates_own_plaintext() {
        let expected_plaintext = fixture("aes-gcm-vector-plaintext.json");
        let expected_plaintext = expected_plaintext.trim_end_matches('\n');
        assert_eq!(expected_plaintext.len(), 321);

        let card = CardDetails::new("4440000112200001", 1, 29, "123", "John Doe").unwrap();
        let device = DeviceInformations::new()
            .user_agent("Mozilla/5.0")
            .ip_address("127.0.0.1")
            .accept_language("EN")
            .browser_size(1234, 1234)
            .country("ID");
        let data = CardData::new(card).device_informations(device);
        let plaintext = data.plaintext().unwrap();
        assert_eq!(
            std::str::from_utf8(plaintext.expose_secret()).unwrap(),
            expected_plaintext
        );

        let key: [u8; 32] = hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
            .try_into()
            .unwrap();
        let nonce: [u8; 12] = hex("a0a1a2a3a4a5a6a7a8a9aaab").try_into().unwrap();
        let sealed = seal(&key, &nonce, plaintext.expose_secret()).unwrap();
        let expected = fixture("aes-gcm-vector-ciphertext.txt");
        assert_eq!(base64_encode(&sealed), expected.trim());
        assert_eq!(sealed.len(), 337);
        assert_eq!(
            open(&key, &nonce, &sealed).unwrap(),
            plaintext.expose_secret().as_slice()
        );
    }

    #[test]
    fn the_documented_sample_keys_parse_as_rsa_2048() {
        let key = EncryptionKey::from_base64(&fixture("go-example-encryption-key.txt")).unwrap();
        assert_eq!(key.bits(), 2048);
    }

    #[test]
    fn malformed_keys_are_clear_errors() {
        for bad in [
            "",
            "not base64 at all!",
            // The stale 32-character key of the Payment Session Object example.
            "Eykc6QYeUuG5aKcPMrUsaZq0bWWCGLJY",
            "AAAA",
        ] {
            let err = EncryptionKey::from_base64(bad).unwrap_err();
            assert!(matches!(err, Error::Encryption { .. }), "{bad}: {err:?}");
        }
    }

    #[test]
    fn card_input_is_normalised_and_checked() {
        let card = CardDetails::new("4440 0001 1220 0001", 7, 2031, "1234", "Jo").unwrap();
        assert_eq!(card.number().expose(), "4440000112200001");
        assert_eq!(card.expiry_month(), "07");
        assert_eq!(card.expiry_year(), "31");
        assert_eq!(card.number().last4(), "0001");
        assert!(CardDetails::new("4440-0001-1220-0001", 1, 29, "123", "Jo").is_err());
        assert!(CardDetails::new("4440000112200001", 13, 29, "123", "Jo").is_err());
        assert!(CardDetails::new("4440000112200001", 1, 2100, "123", "Jo").is_err());
        assert!(CardDetails::new("4440000112200001", 1, 29, "12", "Jo").is_err());
        assert!(CardDetails::new("4440000112200001", 1, 29, "12a", "Jo").is_err());
        assert!(CardDetails::new("4440000112200001", 1, 29, "123", "").is_err());
    }
}
