//! `GET /v2/payment-method-configs`: which payment methods the merchant has enabled, with their
//! channels, amount limits and maximum expiry.

use serde::Deserialize;

use super::Amount;

/// The merchant's payment-method configuration.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct PaymentMethodConfigs {
    /// Cards.
    pub card: Option<MethodConfig>,
    /// Virtual accounts.
    pub virtual_account: Option<MethodConfig>,
    /// QRIS.
    pub qr: Option<MethodConfig>,
    /// E-wallets.
    pub ewallet: Option<MethodConfig>,
    /// Installments.
    pub installment: Option<MethodConfig>,
}

impl PaymentMethodConfigs {
    /// Decodes a payment-method configuration answer from its HTTP status and body with the decoder the
    /// [`Client`](crate::Client) uses: an error answer (a non-2xx status, or a `code` other
    /// than `"00"`) is [`Error::Provider`](crate::Error::Provider), a body that does not decode
    /// is [`Error::Decode`](crate::Error::Decode) naming the failing field.
    pub fn from_response(status: http::StatusCode, body: &[u8]) -> Result<Self, crate::Error> {
        crate::decode::standalone::<Self>(status, body, false).map(|(data, _)| data)
    }
}

/// The configuration of one payment method.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct MethodConfig {
    /// Whether the method is enabled.
    #[serde(deserialize_with = "crate::de::opt_bool")]
    pub enabled: Option<bool>,
    /// Enabled channels, e.g. `VISA`, `PERMATA`, `DANA` (an empty object is read as none).
    #[serde(deserialize_with = "crate::de::string_list")]
    pub accepted_channels: Vec<String>,
    /// Below this amount the method is unavailable.
    pub minimum_amount: Option<Amount>,
    /// Above this amount the method is unavailable.
    pub maximum_amount: Option<Amount>,
    /// Maximum expiry, e.g. `30 DAYS` or `60 MINUTES`.
    #[serde(deserialize_with = "crate::de::opt_string")]
    pub maximum_expiry: Option<String>,
    /// Card installment configurations (`installmentConfigs` or `installmentConfig`).
    #[serde(
        alias = "installmentConfig",
        deserialize_with = "crate::de::null_as_empty"
    )]
    pub installment_configs: Vec<InstallmentConfig>,
}

impl MethodConfig {
    /// Whether the method is enabled and `amount` is within its limits (same currency).
    pub fn accepts(&self, amount: &Amount) -> bool {
        if self.enabled != Some(true) {
            return false;
        }
        let within_min = self
            .minimum_amount
            .as_ref()
            .is_none_or(|min| min.currency != amount.currency || amount.value >= min.value);
        let within_max = self
            .maximum_amount
            .as_ref()
            .is_none_or(|max| max.currency != amount.currency || amount.value <= max.value);
        within_min && within_max
    }
}

/// A card installment configuration.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct InstallmentConfig {
    /// BINs (6 or 8 digits) enabled for installments.
    #[serde(deserialize_with = "crate::de::string_list")]
    pub bin_numbers: Vec<String>,
    /// Plan durations in months, e.g. `[3, 6, 12]`.
    #[serde(deserialize_with = "crate::de::null_as_empty")]
    pub enabled_plans: Vec<serde_json::Value>,
    /// Plan categories, e.g. `regular`, `0%`.
    #[serde(deserialize_with = "crate::de::string_list")]
    pub plans: Vec<String>,
    /// Minimum amount.
    pub minimum_amount: Option<Amount>,
    /// Maximum amount.
    pub maximum_amount: Option<Amount>,
}
