//! The payment methods enabled for a PortOne key and currency
//! (`GET /merchants/{key}/paymethodsbyKey`).

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::lenient;

/// One payment method of a channel.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct PaymentMethod {
    /// Channel key (`pmt_channel`), e.g. `STRIPE`.
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub payment_channel_key: Option<String>,
    /// Method key (`pmt_method`), e.g. `STRIPE_CARD`.
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub payment_method_key: Option<String>,
    /// Sub-type, e.g. `INT_CREDIT_CARD`.
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub sub_type: Option<String>,
    /// Logo URL.
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub logo: Option<String>,
    /// Display name.
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub display_name: Option<String>,
    /// Internal name.
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub name: Option<String>,
    /// Country (`GLOBAL` or a country code).
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub country: Option<String>,
    /// Supported currencies, comma-separated as sent (see [`PaymentMethod::currencies`]).
    #[serde(default, deserialize_with = "lenient::opt_nonempty")]
    pub currency: Option<String>,
    /// The merchant's default method.
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub is_default: Option<bool>,
    /// Enabled.
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub is_enabled: Option<bool>,
    /// Merchant-sponsored (installments).
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub is_merchant_sponsored: Option<bool>,
    /// A payslip is collected.
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub collect_payslip: Option<bool>,
    /// Cards of this method can be tokenized.
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub tokenization_possible: Option<bool>,
}

impl PaymentMethod {
    /// The supported currencies, split.
    pub fn currencies(&self) -> Vec<&str> {
        self.currency
            .as_deref()
            .map(|c| {
                c.split(',')
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// `true` when PortOne reports the method enabled.
    pub fn enabled(&self) -> bool {
        self.is_enabled == Some(true)
    }
}

/// The enabled payment methods, grouped by type (`CARD`, `WALLET`, `BANK_TRANSFER`, …).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PaymentMethods {
    /// Methods by type, as sent.
    pub by_type: BTreeMap<String, Vec<PaymentMethod>>,
}

impl PaymentMethods {
    /// The methods of one type, e.g. `CARD`.
    pub fn of_type(&self, kind: &str) -> &[PaymentMethod] {
        self.by_type
            .get(kind)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// Every method once (the `ALL` group when present, otherwise all groups).
    pub fn all(&self) -> Vec<&PaymentMethod> {
        if let Some(all) = self.by_type.get("ALL") {
            return all.iter().collect();
        }
        self.by_type.values().flatten().collect()
    }
}
