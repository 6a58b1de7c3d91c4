//! `recurring`: charge a saved card with its `rectoken`, host to host (no 3-D Secure).

use crate::error::Result;
use crate::model::card::Cvv2;
use crate::model::{Currency, ProtocolVersion};
use crate::params::{Params, limits};

/// A charge of a saved card (`POST /api/recurring`).
///
/// Required parameters are constructor arguments; the optional ones are setters. Every
/// documented limit is checked before anything is sent. The `order_id` is the idempotency key
/// of the charge: Flitt refuses a second order with the same id (error 1013), so keep it and
/// reconcile with [`Client::order_status`](crate::Client::order_status) after an ambiguous
/// failure instead of charging with a new id.
///
/// ```
/// use flitt_client::{Currency, model::recurring::RecurringRequest};
/// let request = RecurringRequest::new(
///     "test_12343242",
///     "Test order",
///     1000, // 10.00 GEL, in tetri
///     Currency::GEL,
///     "JcZoqYNosx1HjDoHXWlFU0avVnzYsFAbLBbA",
/// )
/// .server_callback_url("https://myserver.com/callback");
/// # let _ = request;
/// ```
#[derive(Debug, Clone)]
pub struct RecurringRequest {
    order_id: String,
    order_desc: String,
    amount: u64,
    currency: Currency,
    rectoken: String,
    cvv2: Option<Cvv2>,
    client_ip: Option<String>,
    server_callback_url: Option<String>,
    lifetime: Option<u64>,
    merchant_data: Option<String>,
    preauth: Option<bool>,
    sender_email: Option<String>,
    product_id: Option<String>,
    version: Option<ProtocolVersion>,
}

impl RecurringRequest {
    /// A charge of `amount` minor units (`1020` GEL = 10 lari 20 tetri) on the card behind
    /// `rectoken`, under the merchant's unique `order_id` (≤ 1024 characters) and a description
    /// (≤ 1024 characters).
    pub fn new(
        order_id: impl Into<String>,
        order_desc: impl Into<String>,
        amount: u64,
        currency: Currency,
        rectoken: impl Into<String>,
    ) -> Self {
        RecurringRequest {
            order_id: order_id.into(),
            order_desc: order_desc.into(),
            amount,
            currency,
            rectoken: rectoken.into(),
            cvv2: None,
            client_ip: None,
            server_callback_url: None,
            lifetime: None,
            merchant_data: None,
            preauth: None,
            sender_email: None,
            product_id: None,
            version: None,
        }
    }

    /// The card's CVV2/CVC2, when the acquirer requires it.
    pub fn cvv2(mut self, cvv2: Cvv2) -> Self {
        self.cvv2 = Some(cvv2);
        self
    }

    /// The customer's IP address.
    pub fn client_ip(mut self, ip: impl Into<String>) -> Self {
        self.client_ip = Some(ip.into());
        self
    }

    /// Where Flitt posts the host-to-host callback (≤ 2048 characters).
    pub fn server_callback_url(mut self, url: impl Into<String>) -> Self {
        self.server_callback_url = Some(url.into());
        self
    }

    /// Seconds before an unpaid order expires (default 36000, at most 69120000).
    pub fn lifetime(mut self, seconds: u64) -> Self {
        self.lifetime = Some(seconds);
        self
    }

    /// Data returned to you in the response, callbacks and reports (≤ 2048 characters).
    pub fn merchant_data(mut self, data: impl Into<String>) -> Self {
        self.merchant_data = Some(data.into());
        self
    }

    /// `true`: only hold the amount until a capture (`preauth=Y`, Visa/MasterCard);
    /// `false`: charge immediately (`N`, the default).
    pub fn preauth(mut self, hold: bool) -> Self {
        self.preauth = Some(hold);
        self
    }

    /// The customer's e-mail (≤ 256 characters).
    pub fn sender_email(mut self, email: impl Into<String>) -> Self {
        self.sender_email = Some(email.into());
        self
    }

    /// Your product or service id (≤ 1024 characters).
    pub fn product_id(mut self, id: impl Into<String>) -> Self {
        self.product_id = Some(id.into());
        self
    }

    /// State the protocol `version` explicitly (it is not sent by default; Flitt then assumes
    /// `1.0.1`).
    pub fn version(mut self, version: ProtocolVersion) -> Self {
        self.version = Some(version);
        self
    }

    /// The order id.
    pub fn order_id(&self) -> &str {
        &self.order_id
    }

    pub(crate) fn sensitive_values(&self) -> Vec<String> {
        self.cvv2.iter().map(|c| c.expose().to_owned()).collect()
    }

    /// The parameters, owning their texts.
    #[cfg(test)]
    pub(crate) fn params(&self, merchant_id: u64) -> Result<Params<'static>> {
        self.params_ref(merchant_id).map(Params::into_owned)
    }

    /// The request's parameters, validated, borrowing their texts from the request.
    pub(crate) fn params_ref(&self, merchant_id: u64) -> Result<Params<'_>> {
        let mut p = Params::new();
        p.text_ref("order_id", self.order_id.as_str(), limits::ORDER_ID)?;
        p.text_ref("merchant_id", merchant_id.to_string(), 12)?;
        p.text_ref("order_desc", self.order_desc.as_str(), limits::ORDER_DESC)?;
        p.int("amount", self.amount, 1, limits::AMOUNT_MAX)?;
        p.text_ref("currency", self.currency.as_str(), 3)?;
        p.text_ref("rectoken", self.rectoken.as_str(), limits::RECTOKEN)?;
        if let Some(cvv2) = &self.cvv2 {
            p.text_ref("cvv2", cvv2.expose(), 4)?;
        }
        check_ip("client_ip", self.client_ip.as_deref())?;
        p.opt_text_ref("client_ip", self.client_ip.as_deref(), limits::CLIENT_IP)?;
        check_url("server_callback_url", self.server_callback_url.as_deref())?;
        p.opt_text_ref(
            "server_callback_url",
            self.server_callback_url.as_deref(),
            limits::URL,
        )?;
        p.opt_int("lifetime", self.lifetime, 1, limits::LIFETIME_MAX)?;
        p.opt_text_ref(
            "merchant_data",
            self.merchant_data.as_deref(),
            limits::MERCHANT_DATA,
        )?;
        p.flag("preauth", self.preauth);
        check_email("sender_email", self.sender_email.as_deref())?;
        p.opt_text_ref("sender_email", self.sender_email.as_deref(), limits::EMAIL)?;
        p.opt_text_ref("product_id", self.product_id.as_deref(), limits::PRODUCT_ID)?;
        p.opt_text_ref("version", self.version.map(ProtocolVersion::as_str), 10)?;
        Ok(p)
    }
}

/// A URL parameter must be an absolute `http`/`https` URL.
pub(crate) fn check_url(field: &'static str, value: Option<&str>) -> Result<()> {
    if let Some(v) = value {
        match url::Url::parse(v) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => {}
            _ => {
                return Err(crate::Error::invalid(
                    field,
                    "must be an absolute http(s) URL",
                ));
            }
        }
    }
    Ok(())
}

/// An e-mail parameter must look like one.
pub(crate) fn check_email(field: &'static str, value: Option<&str>) -> Result<()> {
    if let Some(v) = value {
        let ok = v
            .split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'));
        if !ok {
            return Err(crate::Error::invalid(field, "is not an e-mail address"));
        }
    }
    Ok(())
}

/// An IP parameter must be an IPv4 or IPv6 address.
pub(crate) fn check_ip(field: &'static str, value: Option<&str>) -> Result<()> {
    if let Some(v) = value
        && v.parse::<std::net::IpAddr>().is_err()
    {
        return Err(crate::Error::invalid(field, "is not an IP address"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    fn base() -> RecurringRequest {
        RecurringRequest::new("o-1", "desc", 1000, Currency::GEL, "tok")
    }

    fn field_of(result: Result<Params<'_>>) -> Option<&'static str> {
        match result {
            Err(Error::InvalidRequest { field, .. }) => Some(field),
            _ => None,
        }
    }

    #[test]
    fn documented_limits_are_enforced() {
        assert!(base().params(1).is_ok());
        let long = |n| "x".repeat(n);
        let cases = [
            (
                RecurringRequest::new(long(1025), "d", 1, Currency::GEL, "t"),
                "order_id",
            ),
            (
                RecurringRequest::new("o", long(1025), 1, Currency::GEL, "t"),
                "order_desc",
            ),
            (
                RecurringRequest::new("o", "d", 0, Currency::GEL, "t"),
                "amount",
            ),
            (
                RecurringRequest::new("o", "d", 1_000_000_000_000, Currency::GEL, "t"),
                "amount",
            ),
            (base().lifetime(69_120_001), "lifetime"),
            (base().merchant_data(long(2049)), "merchant_data"),
            (
                base().server_callback_url(format!("https://e.com/{}", long(2040))),
                "server_callback_url",
            ),
            (
                base().server_callback_url("not a url"),
                "server_callback_url",
            ),
            (base().sender_email("nobody"), "sender_email"),
            (base().client_ip("1.2.3"), "client_ip"),
            (base().merchant_data("a|b"), "merchant_data"),
        ];
        for (request, field) in cases {
            assert_eq!(field_of(request.params(1)), Some(field), "{field}");
        }
        // The limits themselves are allowed.
        assert!(
            base()
                .lifetime(69_120_000)
                .merchant_data(long(2048))
                .params(1)
                .is_ok()
        );
        assert!(
            RecurringRequest::new(long(1024), long(1024), 999_999_999_999, Currency::GEL, "t")
                .params(1)
                .is_ok()
        );
    }

    #[test]
    fn version_is_sent_only_when_stated() {
        let p = base().params(1).unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(p.get_text("version"), None);
        let p = base()
            .version(ProtocolVersion::V1_0_1)
            .params(1)
            .unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(p.get_text("version"), Some("1.0.1"));
    }

    #[test]
    fn preauth_is_sent_as_y_or_n() {
        let p = base()
            .preauth(true)
            .params(1)
            .unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(p.get_text("preauth"), Some("Y"));
        let p = base()
            .preauth(false)
            .params(1)
            .unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(p.get_text("preauth"), Some("N"));
    }
}
