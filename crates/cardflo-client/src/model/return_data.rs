//! `returnData`: what the gateway learned about the payment instrument.

use serde::Deserialize;
use serde::de::Deserializer;

/// `returnData`: the payment instrument used, discriminated by `_TYPE`.
///
/// Status answers may carry the legacy shape `{"creditcardData": {…}}` without `_TYPE`; it is
/// read as [`ReturnData::Card`] too. An unknown `_TYPE` (e.g. `achData`) is kept by name.
// The card variant is large, but answers are decoded once and never copied in a loop.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ReturnData {
    /// `cardData` (or the legacy `creditcardData`).
    Card(CardData),
    /// `ibanData`: a bank account.
    Iban(IbanReturnData),
    /// `phoneData`: a mobile phone payment.
    Phone(PhoneData),
    /// `walletData`.
    Wallet(WalletReturnData),
    /// Another `_TYPE`, or an object without `_TYPE` that is none of the above.
    Unknown {
        /// The `_TYPE` value (empty when there was none).
        type_name: String,
    },
}

/// Every field of every `returnData` type, so that a field that fails to decode is reported
/// with its path (`returnData.expiryMonth`).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ReturnDataWire {
    #[serde(rename = "_TYPE", default, deserialize_with = "crate::de::opt_string")]
    type_name: Option<String>,
    #[serde(default)]
    creditcard_data: Option<CardData>,
    #[serde(rename = "type", default, deserialize_with = "crate::de::opt_string")]
    card_type: Option<String>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    first_name: Option<String>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    last_name: Option<String>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    country: Option<String>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    card_holder: Option<String>,
    #[serde(default, deserialize_with = "crate::de::opt_u32")]
    expiry_month: Option<u32>,
    #[serde(default, deserialize_with = "crate::de::opt_u32")]
    expiry_year: Option<u32>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    bin_digits: Option<String>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    first_six_digits: Option<String>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    last_four_digits: Option<String>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    fingerprint: Option<String>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    bin_brand: Option<String>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    bin_bank: Option<String>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    bin_type: Option<String>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    bin_level: Option<String>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    bin_country: Option<String>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    three_d_secure: Option<String>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    eci: Option<String>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    merchant_advice_code: Option<String>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    parsed_merchant_advice_code: Option<String>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    account_owner: Option<String>,
    #[serde(default)]
    iban: Option<super::Sensitive>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    bic: Option<String>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    bank_name: Option<String>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    phone_number: Option<String>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    operator: Option<String>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    wallet_reference_id: Option<String>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    wallet_owner: Option<String>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    wallet_type: Option<String>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    wallet_owner_first_name: Option<String>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    wallet_owner_last_name: Option<String>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    wallet_owner_country_code: Option<String>,
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    wallet_registration_id: Option<String>,
}

impl<'de> Deserialize<'de> for ReturnData {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wire = ReturnDataWire::deserialize(deserializer)?;
        let Some(type_name) = wire.type_name else {
            return Ok(match wire.creditcard_data {
                Some(card) => Self::Card(card),
                None => Self::Unknown {
                    type_name: String::new(),
                },
            });
        };
        Ok(match type_name.to_ascii_lowercase().as_str() {
            "carddata" | "creditcarddata" => Self::Card(CardData {
                card_type: wire.card_type,
                first_name: wire.first_name,
                last_name: wire.last_name,
                country: wire.country,
                card_holder: wire.card_holder,
                expiry_month: wire.expiry_month,
                expiry_year: wire.expiry_year,
                bin_digits: wire.bin_digits,
                first_six_digits: wire.first_six_digits,
                last_four_digits: wire.last_four_digits,
                fingerprint: wire.fingerprint,
                bin_brand: wire.bin_brand,
                bin_bank: wire.bin_bank,
                bin_type: wire.bin_type,
                bin_level: wire.bin_level,
                bin_country: wire.bin_country,
                three_d_secure: wire.three_d_secure,
                eci: wire.eci,
                merchant_advice_code: wire.merchant_advice_code,
                parsed_merchant_advice_code: wire.parsed_merchant_advice_code,
            }),
            "ibandata" => Self::Iban(IbanReturnData {
                account_owner: wire.account_owner,
                iban: wire.iban,
                bic: wire.bic,
                bank_name: wire.bank_name,
                country: wire.country,
            }),
            "phonedata" => Self::Phone(PhoneData {
                phone_number: wire.phone_number,
                country: wire.country,
                operator: wire.operator,
            }),
            "walletdata" => Self::Wallet(WalletReturnData {
                wallet_reference_id: wire.wallet_reference_id,
                wallet_owner: wire.wallet_owner,
                wallet_type: wire.wallet_type,
                wallet_owner_first_name: wire.wallet_owner_first_name,
                wallet_owner_last_name: wire.wallet_owner_last_name,
                wallet_owner_country_code: wire.wallet_owner_country_code,
                wallet_registration_id: wire.wallet_registration_id,
            }),
            _ => Self::Unknown { type_name },
        })
    }
}

/// `cardData`: the card used. Only the first six/eight and last four digits are ever sent.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CardData {
    /// The card type (`visa`, `mastercard`).
    #[serde(rename = "type", default, deserialize_with = "crate::de::opt_string")]
    pub card_type: Option<String>,
    /// First name.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub last_name: Option<String>,
    /// Country.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub country: Option<String>,
    /// The cardholder's name.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub card_holder: Option<String>,
    /// Expiry month (sent as `12` or `"02"`).
    #[serde(default, deserialize_with = "crate::de::opt_u32")]
    pub expiry_month: Option<u32>,
    /// Expiry year, four digits (sent as a number or a string).
    #[serde(default, deserialize_with = "crate::de::opt_u32")]
    pub expiry_year: Option<u32>,
    /// The BIN (first six or eight digits).
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub bin_digits: Option<String>,
    /// The first six digits.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub first_six_digits: Option<String>,
    /// The last four digits.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub last_four_digits: Option<String>,
    /// A fingerprint identifying the card number.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub fingerprint: Option<String>,
    /// The BIN's brand.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub bin_brand: Option<String>,
    /// The BIN's bank.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub bin_bank: Option<String>,
    /// The BIN's type (`CREDIT`, `DEBIT`; may be empty).
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub bin_type: Option<String>,
    /// The BIN's level (`CLASSIC`, `STANDARD`; may be empty).
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub bin_level: Option<String>,
    /// The BIN's country.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub bin_country: Option<String>,
    /// 3-D Secure result (`OFF`, …).
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub three_d_secure: Option<String>,
    /// Electronic commerce indicator.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub eci: Option<String>,
    /// The scheme's merchant advice code for a failed transaction, when the adapter passes it.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub merchant_advice_code: Option<String>,
    /// The parsed merchant advice code (`01` more information needed, `02` try again later,
    /// `03` do not try again).
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub parsed_merchant_advice_code: Option<String>,
}

/// `ibanData` in `returnData`: the bank account used.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct IbanReturnData {
    /// The account owner.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub account_owner: Option<String>,
    /// The IBAN (redacted in `Debug`).
    #[serde(default)]
    pub iban: Option<super::Sensitive>,
    /// The BIC.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub bic: Option<String>,
    /// The bank's name.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub bank_name: Option<String>,
    /// The country.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub country: Option<String>,
}

/// `phoneData` in `returnData`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PhoneData {
    /// The phone number.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub phone_number: Option<String>,
    /// The country.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub country: Option<String>,
    /// The operator.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub operator: Option<String>,
}

/// `walletData` in `returnData`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct WalletReturnData {
    /// The wallet's reference id.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub wallet_reference_id: Option<String>,
    /// The owner.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub wallet_owner: Option<String>,
    /// The wallet type.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub wallet_type: Option<String>,
    /// The owner's first name.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub wallet_owner_first_name: Option<String>,
    /// The owner's last name.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub wallet_owner_last_name: Option<String>,
    /// The owner's country code.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub wallet_owner_country_code: Option<String>,
    /// The registration id.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub wallet_registration_id: Option<String>,
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn legacy_and_typed_shapes_and_unknown_types() {
        let legacy: ReturnData = serde_json::from_str(
            r#"{"creditcardData":{"type":"visa","expiryMonth":12,"lastFourDigits":"4321"}}"#,
        )
        .unwrap();
        let ReturnData::Card(card) = legacy else {
            panic!("card expected")
        };
        assert_eq!(card.expiry_month, Some(12));
        assert_eq!(card.last_four_digits.as_deref(), Some("4321"));

        let typed: ReturnData =
            serde_json::from_str(r#"{"_TYPE":"cardData","expiryMonth":"02","expiryYear":"2025"}"#)
                .unwrap();
        let ReturnData::Card(card) = typed else {
            panic!("card expected")
        };
        assert_eq!((card.expiry_month, card.expiry_year), (Some(2), Some(2025)));

        let ach: ReturnData =
            serde_json::from_str(r#"{"_TYPE":"achData","accountNumber":"x"}"#).unwrap();
        assert_eq!(
            ach,
            ReturnData::Unknown {
                type_name: "achData".into()
            }
        );

        let err = serde_path_to_error::deserialize::<_, ReturnData>(
            &mut serde_json::Deserializer::from_str(r#"{"_TYPE":"cardData","expiryMonth":"Dec"}"#),
        )
        .unwrap_err();
        assert_eq!(err.path().to_string(), "expiryMonth");
        assert!(serde_json::from_str::<ReturnData>(r#"{"_TYPE":[]}"#).is_err());
    }
}
