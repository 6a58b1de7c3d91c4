//! `threeDSecureData`: 3-D Secure 2.x data, browser data and 3DS SDK data.
//!
//! "Provide as many data as you have to apply for the 3D Secure 2.0 frictionless flow." The
//! browser fields are filled by the gateway on hosted pages and with payment.js; other
//! integrations send them (or the SDK fields for apps). Code-valued fields (`"01"`, `"02"`, …)
//! are strings validated against the documented values before sending.

use serde::Serialize;
use time::{Date, PrimitiveDateTime};

use super::common::{Sensitive, date_format, date_time_minutes_format};
use super::enums::ThreeDSecureMode;
use super::macros::setters;
use crate::error::Error;
use crate::validate;

/// `threeDSecureData`. All fields are optional.
///
/// ```
/// use cardflo_client::model::{ThreeDSecureData, ThreeDSecureMode};
/// let data = ThreeDSecureData::new()
///     .three_d_secure(ThreeDSecureMode::Mandatory)
///     .channel("02")
///     .browser_language("en-GB")
///     .browser_screen_width(1920u32);
/// assert_eq!(
///     serde_json::to_value(&data)?,
///     serde_json::json!({"3dsecure": "MANDATORY", "channel": "02", "browserLanguage": "en-GB", "browserScreenWidth": 1920})
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ThreeDSecureData {
    /// `3dsecure`: triggers 3-D Secure (`OFF`, `OPTIONAL`, `MANDATORY`).
    #[serde(rename = "3dsecure", skip_serializing_if = "Option::is_none")]
    pub three_d_secure: Option<ThreeDSecureMode>,
    /// `schemeId`: pins the scheme of a co-branded card (only `CB`).
    #[serde(rename = "schemeId", skip_serializing_if = "Option::is_none")]
    pub scheme_id: Option<String>,
    /// `channel`: `01` app, `02` browser, `03` 3DS requestor initiated.
    #[serde(rename = "channel", skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// `authenticationIndicator`: `01` payment, `02` recurring, `03` instalment, `04` add card, `05` maintain card, `06` EMV token ID&V.
    #[serde(
        rename = "authenticationIndicator",
        skip_serializing_if = "Option::is_none"
    )]
    pub authentication_indicator: Option<String>,
    /// `cardholderAuthenticationMethod`: `01`–`06`, how the cardholder logged in with you.
    #[serde(
        rename = "cardholderAuthenticationMethod",
        skip_serializing_if = "Option::is_none"
    )]
    pub cardholder_authentication_method: Option<String>,
    /// `cardholderAuthenticationDateTime` (UTC), sent as `YYYY-MM-DD HH:MM`.
    #[serde(
        rename = "cardholderAuthenticationDateTime",
        skip_serializing_if = "Option::is_none",
        with = "date_time_minutes_format::option"
    )]
    pub cardholder_authentication_date_time: Option<PrimitiveDateTime>,
    /// `cardHolderAuthenticationData`: data documenting the authentication.
    #[serde(
        rename = "cardHolderAuthenticationData",
        skip_serializing_if = "Option::is_none"
    )]
    pub card_holder_authentication_data: Option<String>,
    /// `challengeIndicator`: `01`–`09`, whether a challenge is requested.
    #[serde(rename = "challengeIndicator", skip_serializing_if = "Option::is_none")]
    pub challenge_indicator: Option<String>,
    /// `priorReference`: ACS transaction id of a prior authentication (≤ 36).
    #[serde(rename = "priorReference", skip_serializing_if = "Option::is_none")]
    pub prior_reference: Option<String>,
    /// `priorAuthenticationMethod`: `01`–`04`.
    #[serde(
        rename = "priorAuthenticationMethod",
        skip_serializing_if = "Option::is_none"
    )]
    pub prior_authentication_method: Option<String>,
    /// `priorAuthenticationDateTime` (UTC), sent as `YYYY-MM-DD HH:MM`.
    #[serde(
        rename = "priorAuthenticationDateTime",
        skip_serializing_if = "Option::is_none",
        with = "date_time_minutes_format::option"
    )]
    pub prior_authentication_date_time: Option<PrimitiveDateTime>,
    /// `priorAuthenticationData` (≤ 2048).
    #[serde(
        rename = "priorAuthenticationData",
        skip_serializing_if = "Option::is_none"
    )]
    pub prior_authentication_data: Option<String>,
    /// `cardholderAccountType`: `01` n/a, `02` credit, `03` debit, `04` JCB prepaid.
    #[serde(
        rename = "cardholderAccountType",
        skip_serializing_if = "Option::is_none"
    )]
    pub cardholder_account_type: Option<String>,
    /// `cardholderAccountAgeIndicator`: `01`–`05`.
    #[serde(
        rename = "cardholderAccountAgeIndicator",
        skip_serializing_if = "Option::is_none"
    )]
    pub cardholder_account_age_indicator: Option<String>,
    /// `cardholderAccountDate`, sent as `YYYY-MM-DD`.
    #[serde(
        rename = "cardholderAccountDate",
        skip_serializing_if = "Option::is_none",
        with = "date_format::option"
    )]
    pub cardholder_account_date: Option<Date>,
    /// `cardholderAccountChangeIndicator`: `01`–`04`.
    #[serde(
        rename = "cardholderAccountChangeIndicator",
        skip_serializing_if = "Option::is_none"
    )]
    pub cardholder_account_change_indicator: Option<String>,
    /// `cardholderAccountLastChange`, sent as `YYYY-MM-DD`.
    #[serde(
        rename = "cardholderAccountLastChange",
        skip_serializing_if = "Option::is_none",
        with = "date_format::option"
    )]
    pub cardholder_account_last_change: Option<Date>,
    /// `cardholderAccountPasswordChangeIndicator`: `01`–`05`.
    #[serde(
        rename = "cardholderAccountPasswordChangeIndicator",
        skip_serializing_if = "Option::is_none"
    )]
    pub cardholder_account_password_change_indicator: Option<String>,
    /// `cardholderAccountLastPasswordChange`, sent as `YYYY-MM-DD`.
    #[serde(
        rename = "cardholderAccountLastPasswordChange",
        skip_serializing_if = "Option::is_none",
        with = "date_format::option"
    )]
    pub cardholder_account_last_password_change: Option<Date>,
    /// `shippingAddressUsageIndicator`: `01`–`04`.
    #[serde(
        rename = "shippingAddressUsageIndicator",
        skip_serializing_if = "Option::is_none"
    )]
    pub shipping_address_usage_indicator: Option<String>,
    /// `shippingAddressFirstUsage`, sent as `YYYY-MM-DD`.
    #[serde(
        rename = "shippingAddressFirstUsage",
        skip_serializing_if = "Option::is_none",
        with = "date_format::option"
    )]
    pub shipping_address_first_usage: Option<Date>,
    /// `transactionActivityDay`: transactions of this account in the last 24 hours.
    #[serde(
        rename = "transactionActivityDay",
        skip_serializing_if = "Option::is_none"
    )]
    pub transaction_activity_day: Option<u32>,
    /// `transactionActivityYear`: transactions of this account in the last year.
    #[serde(
        rename = "transactionActivityYear",
        skip_serializing_if = "Option::is_none"
    )]
    pub transaction_activity_year: Option<u32>,
    /// `addCardAttemptsDay`: add-card attempts in the last 24 hours.
    #[serde(rename = "addCardAttemptsDay", skip_serializing_if = "Option::is_none")]
    pub add_card_attempts_day: Option<u32>,
    /// `purchaseCountSixMonths`: purchases in the last six months.
    #[serde(
        rename = "purchaseCountSixMonths",
        skip_serializing_if = "Option::is_none"
    )]
    pub purchase_count_six_months: Option<u32>,
    /// `suspiciousAccountActivityIndicator`: `01` none, `02` observed.
    #[serde(
        rename = "suspiciousAccountActivityIndicator",
        skip_serializing_if = "Option::is_none"
    )]
    pub suspicious_account_activity_indicator: Option<String>,
    /// `shippingNameEqualIndicator`: `01` identical, `02` different.
    #[serde(
        rename = "shippingNameEqualIndicator",
        skip_serializing_if = "Option::is_none"
    )]
    pub shipping_name_equal_indicator: Option<String>,
    /// `paymentAccountAgeIndicator`: `01`–`05`.
    #[serde(
        rename = "paymentAccountAgeIndicator",
        skip_serializing_if = "Option::is_none"
    )]
    pub payment_account_age_indicator: Option<String>,
    /// `paymentAccountAgeDate`, sent as `YYYY-MM-DD`.
    #[serde(
        rename = "paymentAccountAgeDate",
        skip_serializing_if = "Option::is_none",
        with = "date_format::option"
    )]
    pub payment_account_age_date: Option<Date>,
    /// `billingAddressLine3`.
    #[serde(
        rename = "billingAddressLine3",
        skip_serializing_if = "Option::is_none"
    )]
    pub billing_address_line3: Option<String>,
    /// `shippingAddressLine3`.
    #[serde(
        rename = "shippingAddressLine3",
        skip_serializing_if = "Option::is_none"
    )]
    pub shipping_address_line3: Option<String>,
    /// `billingAddressState`: ISO 3166-2 subdivision code (≤ 3).
    #[serde(
        rename = "billingAddressState",
        skip_serializing_if = "Option::is_none"
    )]
    pub billing_address_state: Option<String>,
    /// `shippingAddressState`: ISO 3166-2 subdivision code (≤ 3).
    #[serde(
        rename = "shippingAddressState",
        skip_serializing_if = "Option::is_none"
    )]
    pub shipping_address_state: Option<String>,
    /// `billingShippingAddressMatch`: `Y` or `N`.
    #[serde(
        rename = "billingShippingAddressMatch",
        skip_serializing_if = "Option::is_none"
    )]
    pub billing_shipping_address_match: Option<String>,
    /// `homePhoneCountryPrefix` (1–3).
    #[serde(
        rename = "homePhoneCountryPrefix",
        skip_serializing_if = "Option::is_none"
    )]
    pub home_phone_country_prefix: Option<String>,
    /// `homePhoneNumber` (≤ 15).
    #[serde(rename = "homePhoneNumber", skip_serializing_if = "Option::is_none")]
    pub home_phone_number: Option<String>,
    /// `mobilePhoneCountryPrefix` (1–3).
    #[serde(
        rename = "mobilePhoneCountryPrefix",
        skip_serializing_if = "Option::is_none"
    )]
    pub mobile_phone_country_prefix: Option<String>,
    /// `mobilePhoneNumber` (≤ 15).
    #[serde(rename = "mobilePhoneNumber", skip_serializing_if = "Option::is_none")]
    pub mobile_phone_number: Option<String>,
    /// `workPhoneCountryPrefix` (1–3).
    #[serde(
        rename = "workPhoneCountryPrefix",
        skip_serializing_if = "Option::is_none"
    )]
    pub work_phone_country_prefix: Option<String>,
    /// `workPhoneNumber` (≤ 15).
    #[serde(rename = "workPhoneNumber", skip_serializing_if = "Option::is_none")]
    pub work_phone_number: Option<String>,
    /// `purchaseInstalData`: maximum number of instalment authorisations (2–999).
    #[serde(rename = "purchaseInstalData", skip_serializing_if = "Option::is_none")]
    pub purchase_instal_data: Option<u32>,
    /// `shipIndicator`: `01`–`07`.
    #[serde(rename = "shipIndicator", skip_serializing_if = "Option::is_none")]
    pub ship_indicator: Option<String>,
    /// `deliveryTimeframe`: `01`–`04`.
    #[serde(rename = "deliveryTimeframe", skip_serializing_if = "Option::is_none")]
    pub delivery_timeframe: Option<String>,
    /// `deliveryEmailAddress` for electronic delivery.
    #[serde(
        rename = "deliveryEmailAddress",
        skip_serializing_if = "Option::is_none"
    )]
    pub delivery_email_address: Option<String>,
    /// `reorderItemsIndicator`: `01` first order, `02` reorder.
    #[serde(
        rename = "reorderItemsIndicator",
        skip_serializing_if = "Option::is_none"
    )]
    pub reorder_items_indicator: Option<String>,
    /// `preOrderPurchaseIndicator`: `01` available, `02` future availability.
    #[serde(
        rename = "preOrderPurchaseIndicator",
        skip_serializing_if = "Option::is_none"
    )]
    pub pre_order_purchase_indicator: Option<String>,
    /// `preOrderDate`, sent as `YYYY-MM-DD`.
    #[serde(
        rename = "preOrderDate",
        skip_serializing_if = "Option::is_none",
        with = "date_format::option"
    )]
    pub pre_order_date: Option<Date>,
    /// `giftCardAmount`: total of prepaid or gift cards, whole major units.
    #[serde(rename = "giftCardAmount", skip_serializing_if = "Option::is_none")]
    pub gift_card_amount: Option<u64>,
    /// `giftCardCurrency`: 3-letter currency code.
    #[serde(rename = "giftCardCurrency", skip_serializing_if = "Option::is_none")]
    pub gift_card_currency: Option<String>,
    /// `giftCardCount`: number of gift cards (1–99).
    #[serde(rename = "giftCardCount", skip_serializing_if = "Option::is_none")]
    pub gift_card_count: Option<u32>,
    /// `purchaseDate` (UTC), sent as `YYYY-MM-DD HH:MM` (the format of the field table and of the OpenAPI `DateTime`); today when omitted.
    #[serde(
        rename = "purchaseDate",
        skip_serializing_if = "Option::is_none",
        with = "date_time_minutes_format::option"
    )]
    pub purchase_date: Option<PrimitiveDateTime>,
    /// `recurringExpiry`: no authorizations after this date, sent as `YYYY-MM-DD`.
    #[serde(
        rename = "recurringExpiry",
        skip_serializing_if = "Option::is_none",
        with = "date_format::option"
    )]
    pub recurring_expiry: Option<Date>,
    /// `recurringFrequency`: minimum days between authorizations (≤ 9999).
    #[serde(rename = "recurringFrequency", skip_serializing_if = "Option::is_none")]
    pub recurring_frequency: Option<u32>,
    /// `transType`: `01` goods/service, `03` check acceptance, `10` account funding, `11` quasi-cash, `28` prepaid activation.
    #[serde(rename = "transType", skip_serializing_if = "Option::is_none")]
    pub trans_type: Option<String>,
    /// `threeRIIndicator`: `01`–`12`, the type of a 3RI request.
    #[serde(rename = "threeRIIndicator", skip_serializing_if = "Option::is_none")]
    pub three_ri_indicator: Option<String>,
    /// `exemptionIndicator`: `01`–`07`, the SCA exemption requested.
    #[serde(rename = "exemptionIndicator", skip_serializing_if = "Option::is_none")]
    pub exemption_indicator: Option<String>,
    /// `browserChallengeWindowSize`: `01` 250x400 … `05` full screen.
    #[serde(
        rename = "browserChallengeWindowSize",
        skip_serializing_if = "Option::is_none"
    )]
    pub browser_challenge_window_size: Option<String>,
    /// `browserAcceptHeader`: the browser's `Accept` header.
    #[serde(
        rename = "browserAcceptHeader",
        skip_serializing_if = "Option::is_none"
    )]
    pub browser_accept_header: Option<String>,
    /// `browserIpAddress`: IPv4 or IPv6 address of the browser.
    #[serde(rename = "browserIpAddress", skip_serializing_if = "Option::is_none")]
    pub browser_ip_address: Option<String>,
    /// `browserJavaEnabled`.
    #[serde(rename = "browserJavaEnabled", skip_serializing_if = "Option::is_none")]
    pub browser_java_enabled: Option<bool>,
    /// `browserLanguage`: IETF BCP 47 tag (1–8).
    #[serde(rename = "browserLanguage", skip_serializing_if = "Option::is_none")]
    pub browser_language: Option<String>,
    /// `browserColorDepth`: `1`, `4`, `8`, `15`, `16`, `24`, `32` or `48` (a string on the wire).
    #[serde(rename = "browserColorDepth", skip_serializing_if = "Option::is_none")]
    pub browser_color_depth: Option<String>,
    /// `browserScreenHeight` in pixels.
    #[serde(
        rename = "browserScreenHeight",
        skip_serializing_if = "Option::is_none"
    )]
    pub browser_screen_height: Option<u32>,
    /// `browserScreenWidth` in pixels.
    #[serde(rename = "browserScreenWidth", skip_serializing_if = "Option::is_none")]
    pub browser_screen_width: Option<u32>,
    /// `browserTimezone`: `getTimezoneOffset()` in minutes.
    #[serde(rename = "browserTimezone", skip_serializing_if = "Option::is_none")]
    pub browser_timezone: Option<i32>,
    /// `browserUserAgent` (≤ 2048).
    #[serde(rename = "browserUserAgent", skip_serializing_if = "Option::is_none")]
    pub browser_user_agent: Option<String>,
    /// `browserPlatform` (OpenAPI only).
    #[serde(rename = "browserPlatform", skip_serializing_if = "Option::is_none")]
    pub browser_platform: Option<String>,
    /// `sdkInterface`: `01` native, `02` HTML, `03` both.
    #[serde(rename = "sdkInterface", skip_serializing_if = "Option::is_none")]
    pub sdk_interface: Option<String>,
    /// `sdkUiType`: comma-separated list of `01`–`05`.
    #[serde(rename = "sdkUiType", skip_serializing_if = "Option::is_none")]
    pub sdk_ui_type: Option<String>,
    /// `sdkAppID`: id of the 3DS requestor app installation.
    #[serde(rename = "sdkAppID", skip_serializing_if = "Option::is_none")]
    pub sdk_app_id: Option<String>,
    /// `sdkEncData`: JWE with the SDK's encrypted device data (redacted in `Debug`).
    #[serde(rename = "sdkEncData", skip_serializing_if = "Option::is_none")]
    pub sdk_enc_data: Option<Sensitive>,
    /// `sdkEphemPubKey`: the SDK's ephemeral public key as a JSON string.
    #[serde(rename = "sdkEphemPubKey", skip_serializing_if = "Option::is_none")]
    pub sdk_ephem_pub_key: Option<String>,
    /// `sdkMaxTimeout` in minutes (≥ 5).
    #[serde(rename = "sdkMaxTimeout", skip_serializing_if = "Option::is_none")]
    pub sdk_max_timeout: Option<u32>,
    /// `sdkReferenceNumber` (≤ 32).
    #[serde(rename = "sdkReferenceNumber", skip_serializing_if = "Option::is_none")]
    pub sdk_reference_number: Option<String>,
    /// `sdkTransID`: transaction id assigned by the SDK.
    #[serde(rename = "sdkTransID", skip_serializing_if = "Option::is_none")]
    pub sdk_trans_id: Option<String>,
}

impl ThreeDSecureData {
    /// Empty 3-D Secure data; add fields with the setters.
    pub fn new() -> Self {
        Self::default()
    }

    pub(crate) fn validate(&self, prefix: &str) -> Result<(), Error> {
        let p = |f: &'static str| validate::path(prefix, f);
        if let Some(mode) = &self.three_d_secure {
            validate::known(p("3dsecure"), Some(mode.as_str()), mode.is_unknown())?;
        }
        validate::one_of(p("schemeId"), self.scheme_id.as_deref(), &["CB"])?;
        validate::one_of(p("channel"), self.channel.as_deref(), &["01", "02", "03"])?;
        validate::one_of(
            p("authenticationIndicator"),
            self.authentication_indicator.as_deref(),
            &["01", "02", "03", "04", "05", "06"],
        )?;
        validate::one_of(
            p("cardholderAuthenticationMethod"),
            self.cardholder_authentication_method.as_deref(),
            &["01", "02", "03", "04", "05", "06"],
        )?;
        validate::one_of(
            p("challengeIndicator"),
            self.challenge_indicator.as_deref(),
            &["01", "02", "03", "04", "05", "06", "07", "08", "09"],
        )?;
        validate::opt_length(p("priorReference"), self.prior_reference.as_deref(), 0, 36)?;
        validate::one_of(
            p("priorAuthenticationMethod"),
            self.prior_authentication_method.as_deref(),
            &["01", "02", "03", "04"],
        )?;
        validate::opt_length(
            p("priorAuthenticationData"),
            self.prior_authentication_data.as_deref(),
            0,
            2048,
        )?;
        validate::one_of(
            p("cardholderAccountType"),
            self.cardholder_account_type.as_deref(),
            &["01", "02", "03", "04"],
        )?;
        validate::one_of(
            p("cardholderAccountAgeIndicator"),
            self.cardholder_account_age_indicator.as_deref(),
            &["01", "02", "03", "04", "05"],
        )?;
        validate::one_of(
            p("cardholderAccountChangeIndicator"),
            self.cardholder_account_change_indicator.as_deref(),
            &["01", "02", "03", "04"],
        )?;
        validate::one_of(
            p("cardholderAccountPasswordChangeIndicator"),
            self.cardholder_account_password_change_indicator.as_deref(),
            &["01", "02", "03", "04", "05"],
        )?;
        validate::one_of(
            p("shippingAddressUsageIndicator"),
            self.shipping_address_usage_indicator.as_deref(),
            &["01", "02", "03", "04"],
        )?;
        validate::one_of(
            p("suspiciousAccountActivityIndicator"),
            self.suspicious_account_activity_indicator.as_deref(),
            &["01", "02"],
        )?;
        validate::one_of(
            p("shippingNameEqualIndicator"),
            self.shipping_name_equal_indicator.as_deref(),
            &["01", "02"],
        )?;
        validate::one_of(
            p("paymentAccountAgeIndicator"),
            self.payment_account_age_indicator.as_deref(),
            &["01", "02", "03", "04", "05"],
        )?;
        validate::opt_length(
            p("billingAddressState"),
            self.billing_address_state.as_deref(),
            0,
            3,
        )?;
        validate::opt_length(
            p("shippingAddressState"),
            self.shipping_address_state.as_deref(),
            0,
            3,
        )?;
        validate::one_of(
            p("billingShippingAddressMatch"),
            self.billing_shipping_address_match.as_deref(),
            &["Y", "N"],
        )?;
        validate::opt_length(
            p("homePhoneCountryPrefix"),
            self.home_phone_country_prefix.as_deref(),
            1,
            3,
        )?;
        validate::opt_length(
            p("homePhoneNumber"),
            self.home_phone_number.as_deref(),
            0,
            15,
        )?;
        validate::opt_length(
            p("mobilePhoneCountryPrefix"),
            self.mobile_phone_country_prefix.as_deref(),
            1,
            3,
        )?;
        validate::opt_length(
            p("mobilePhoneNumber"),
            self.mobile_phone_number.as_deref(),
            0,
            15,
        )?;
        validate::opt_length(
            p("workPhoneCountryPrefix"),
            self.work_phone_country_prefix.as_deref(),
            1,
            3,
        )?;
        validate::opt_length(
            p("workPhoneNumber"),
            self.work_phone_number.as_deref(),
            0,
            15,
        )?;
        validate::range(
            p("purchaseInstalData"),
            self.purchase_instal_data.map(u64::from),
            2,
            999,
        )?;
        validate::one_of(
            p("shipIndicator"),
            self.ship_indicator.as_deref(),
            &["01", "02", "03", "04", "05", "06", "07"],
        )?;
        validate::one_of(
            p("deliveryTimeframe"),
            self.delivery_timeframe.as_deref(),
            &["01", "02", "03", "04"],
        )?;
        validate::one_of(
            p("reorderItemsIndicator"),
            self.reorder_items_indicator.as_deref(),
            &["01", "02"],
        )?;
        validate::one_of(
            p("preOrderPurchaseIndicator"),
            self.pre_order_purchase_indicator.as_deref(),
            &["01", "02"],
        )?;
        validate::opt_currency(p("giftCardCurrency"), self.gift_card_currency.as_deref())?;
        validate::range(
            p("giftCardCount"),
            self.gift_card_count.map(u64::from),
            1,
            99,
        )?;
        validate::range(
            p("recurringFrequency"),
            self.recurring_frequency.map(u64::from),
            0,
            9999,
        )?;
        validate::one_of(
            p("transType"),
            self.trans_type.as_deref(),
            &["01", "03", "10", "11", "28"],
        )?;
        validate::one_of(
            p("threeRIIndicator"),
            self.three_ri_indicator.as_deref(),
            &[
                "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12",
            ],
        )?;
        validate::one_of(
            p("exemptionIndicator"),
            self.exemption_indicator.as_deref(),
            &["01", "02", "03", "04", "05", "06", "07"],
        )?;
        validate::one_of(
            p("browserChallengeWindowSize"),
            self.browser_challenge_window_size.as_deref(),
            &["01", "02", "03", "04", "05"],
        )?;
        validate::opt_length(p("browserLanguage"), self.browser_language.as_deref(), 1, 8)?;
        validate::one_of(
            p("browserColorDepth"),
            self.browser_color_depth.as_deref(),
            &["1", "4", "8", "15", "16", "24", "32", "48"],
        )?;
        if self
            .browser_timezone
            .is_some_and(|v| !(-99999..=99999).contains(&v))
        {
            return Err(Error::invalid_request(
                p("browserTimezone"),
                "must have 1 to 5 digits",
            ));
        }
        validate::opt_length(
            p("browserUserAgent"),
            self.browser_user_agent.as_deref(),
            0,
            2048,
        )?;
        validate::one_of(
            p("sdkInterface"),
            self.sdk_interface.as_deref(),
            &["01", "02", "03"],
        )?;
        validate::range(
            p("sdkMaxTimeout"),
            self.sdk_max_timeout.map(u64::from),
            5,
            99999,
        )?;
        validate::opt_length(
            p("sdkReferenceNumber"),
            self.sdk_reference_number.as_deref(),
            0,
            32,
        )?;
        if let Some(types) = &self.sdk_ui_type {
            let allowed = ["01", "02", "03", "04", "05"];
            if types.is_empty() || !types.split(',').all(|t| allowed.contains(&t.trim())) {
                return Err(Error::invalid_request(
                    p("sdkUiType"),
                    "must be a comma-separated list of 01 to 05",
                ));
            }
        }
        Ok(())
    }
}

setters!(ThreeDSecureData {
    /// Sets `3dsecure`.
    three_d_secure: ThreeDSecureMode,
    /// Sets `schemeId`.
    scheme_id: String,
    /// Sets `channel`.
    channel: String,
    /// Sets `authenticationIndicator`.
    authentication_indicator: String,
    /// Sets `cardholderAuthenticationMethod`.
    cardholder_authentication_method: String,
    /// Sets `cardholderAuthenticationDateTime`.
    cardholder_authentication_date_time: PrimitiveDateTime,
    /// Sets `cardHolderAuthenticationData`.
    card_holder_authentication_data: String,
    /// Sets `challengeIndicator`.
    challenge_indicator: String,
    /// Sets `priorReference`.
    prior_reference: String,
    /// Sets `priorAuthenticationMethod`.
    prior_authentication_method: String,
    /// Sets `priorAuthenticationDateTime`.
    prior_authentication_date_time: PrimitiveDateTime,
    /// Sets `priorAuthenticationData`.
    prior_authentication_data: String,
    /// Sets `cardholderAccountType`.
    cardholder_account_type: String,
    /// Sets `cardholderAccountAgeIndicator`.
    cardholder_account_age_indicator: String,
    /// Sets `cardholderAccountDate`.
    cardholder_account_date: Date,
    /// Sets `cardholderAccountChangeIndicator`.
    cardholder_account_change_indicator: String,
    /// Sets `cardholderAccountLastChange`.
    cardholder_account_last_change: Date,
    /// Sets `cardholderAccountPasswordChangeIndicator`.
    cardholder_account_password_change_indicator: String,
    /// Sets `cardholderAccountLastPasswordChange`.
    cardholder_account_last_password_change: Date,
    /// Sets `shippingAddressUsageIndicator`.
    shipping_address_usage_indicator: String,
    /// Sets `shippingAddressFirstUsage`.
    shipping_address_first_usage: Date,
    /// Sets `transactionActivityDay`.
    transaction_activity_day: u32,
    /// Sets `transactionActivityYear`.
    transaction_activity_year: u32,
    /// Sets `addCardAttemptsDay`.
    add_card_attempts_day: u32,
    /// Sets `purchaseCountSixMonths`.
    purchase_count_six_months: u32,
    /// Sets `suspiciousAccountActivityIndicator`.
    suspicious_account_activity_indicator: String,
    /// Sets `shippingNameEqualIndicator`.
    shipping_name_equal_indicator: String,
    /// Sets `paymentAccountAgeIndicator`.
    payment_account_age_indicator: String,
    /// Sets `paymentAccountAgeDate`.
    payment_account_age_date: Date,
    /// Sets `billingAddressLine3`.
    billing_address_line3: String,
    /// Sets `shippingAddressLine3`.
    shipping_address_line3: String,
    /// Sets `billingAddressState`.
    billing_address_state: String,
    /// Sets `shippingAddressState`.
    shipping_address_state: String,
    /// Sets `billingShippingAddressMatch`.
    billing_shipping_address_match: String,
    /// Sets `homePhoneCountryPrefix`.
    home_phone_country_prefix: String,
    /// Sets `homePhoneNumber`.
    home_phone_number: String,
    /// Sets `mobilePhoneCountryPrefix`.
    mobile_phone_country_prefix: String,
    /// Sets `mobilePhoneNumber`.
    mobile_phone_number: String,
    /// Sets `workPhoneCountryPrefix`.
    work_phone_country_prefix: String,
    /// Sets `workPhoneNumber`.
    work_phone_number: String,
    /// Sets `purchaseInstalData`.
    purchase_instal_data: u32,
    /// Sets `shipIndicator`.
    ship_indicator: String,
    /// Sets `deliveryTimeframe`.
    delivery_timeframe: String,
    /// Sets `deliveryEmailAddress`.
    delivery_email_address: String,
    /// Sets `reorderItemsIndicator`.
    reorder_items_indicator: String,
    /// Sets `preOrderPurchaseIndicator`.
    pre_order_purchase_indicator: String,
    /// Sets `preOrderDate`.
    pre_order_date: Date,
    /// Sets `giftCardAmount`.
    gift_card_amount: u64,
    /// Sets `giftCardCurrency`.
    gift_card_currency: String,
    /// Sets `giftCardCount`.
    gift_card_count: u32,
    /// Sets `purchaseDate`.
    purchase_date: PrimitiveDateTime,
    /// Sets `recurringExpiry`.
    recurring_expiry: Date,
    /// Sets `recurringFrequency`.
    recurring_frequency: u32,
    /// Sets `transType`.
    trans_type: String,
    /// Sets `threeRIIndicator`.
    three_ri_indicator: String,
    /// Sets `exemptionIndicator`.
    exemption_indicator: String,
    /// Sets `browserChallengeWindowSize`.
    browser_challenge_window_size: String,
    /// Sets `browserAcceptHeader`.
    browser_accept_header: String,
    /// Sets `browserIpAddress`.
    browser_ip_address: String,
    /// Sets `browserJavaEnabled`.
    browser_java_enabled: bool,
    /// Sets `browserLanguage`.
    browser_language: String,
    /// Sets `browserColorDepth`.
    browser_color_depth: String,
    /// Sets `browserScreenHeight`.
    browser_screen_height: u32,
    /// Sets `browserScreenWidth`.
    browser_screen_width: u32,
    /// Sets `browserTimezone`.
    browser_timezone: i32,
    /// Sets `browserUserAgent`.
    browser_user_agent: String,
    /// Sets `browserPlatform`.
    browser_platform: String,
    /// Sets `sdkInterface`.
    sdk_interface: String,
    /// Sets `sdkUiType`.
    sdk_ui_type: String,
    /// Sets `sdkAppID`.
    sdk_app_id: String,
    /// Sets `sdkEncData`.
    sdk_enc_data: Sensitive,
    /// Sets `sdkEphemPubKey`.
    sdk_ephem_pub_key: String,
    /// Sets `sdkMaxTimeout`.
    sdk_max_timeout: u32,
    /// Sets `sdkReferenceNumber`.
    sdk_reference_number: String,
    /// Sets `sdkTransID`.
    sdk_trans_id: String,
});
