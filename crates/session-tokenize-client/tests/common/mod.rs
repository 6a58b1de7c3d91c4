//! Helpers shared by the integration tests: fixture loading and the documented example
//! objects built with the crate's types.
#![allow(dead_code, clippy::unwrap_used, clippy::panic)]

use serde_json::Value;
use session_tokenize_client::model::Amount;
use session_tokenize_client::model::customer::{
    Customer, PhoneNumber, RefundPreference, TransferDestination,
};
use session_tokenize_client::model::session::{
    Address, BillingInfo, OrderInformation, ProductDetail, ProductType, RedirectUrl, ShippingInfo,
    ShippingMethod,
};
use time::OffsetDateTime;

/// The text of `fixtures/pivot/<name>`.
pub(crate) fn fixture(name: &str) -> String {
    let path = format!("{}/../../fixtures/pivot/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A fixture parsed as JSON (it must be valid JSON as documented).
pub(crate) fn fixture_json(name: &str) -> Value {
    serde_json::from_str(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Removes `// …` line comments outside JSON strings (Pivot's request examples carry them).
pub(crate) fn strip_line_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut in_string = false;
        let mut escaped = false;
        let mut cut = line.len();
        let bytes = line.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            if in_string {
                if escaped {
                    escaped = false;
                } else if b == b'\\' {
                    escaped = true;
                } else if b == b'"' {
                    in_string = false;
                }
            } else if b == b'"' {
                in_string = true;
            } else if b == b'/' && bytes.get(i + 1) == Some(&b'/') {
                cut = i;
                break;
            }
        }
        out.push_str(&line[..cut]);
        out.push('\n');
    }
    out
}

/// Renames every object key `from` to `to`, recursively.
pub(crate) fn rename_key(value: &mut Value, from: &str, to: &str) {
    match value {
        Value::Object(map) => {
            if let Some(v) = map.remove(from) {
                map.insert(to.to_owned(), v);
            }
            for v in map.values_mut() {
                rename_key(v, from, to);
            }
        }
        Value::Array(items) => {
            for v in items {
                rename_key(v, from, to);
            }
        }
        _ => {}
    }
}

/// 2025-12-30T23:59:00Z, the `expiryAt` of every documented request.
pub(crate) fn documented_expiry() -> OffsetDateTime {
    time::macros::datetime!(2025-12-30 23:59:00 UTC)
}

pub(crate) fn documented_metadata() -> serde_json::Map<String, Value> {
    let mut map = serde_json::Map::new();
    map.insert("invoiceNo".into(), Value::from("INV001"));
    map
}

pub(crate) fn documented_redirect_url() -> RedirectUrl {
    RedirectUrl::new(
        "https://merchant.com/success",
        "https://merchant.com/failure",
        "https://merchant.com/expiration",
    )
}

pub(crate) fn documented_phone() -> PhoneNumber {
    PhoneNumber::new("+62", "89699990001")
}

/// The `customer` object of the documented requests.
pub(crate) fn documented_customer() -> Customer {
    Customer::new("reforza@pivot-payment.com")
        .given_name("Reforza Jordan")
        .surname("Geotama")
        .phone_number(documented_phone())
        .refund_preference(RefundPreference::auto_with_fallback(
            TransferDestination::new("014", "17677665415", "Reforza Jordan Geotama"),
        ))
}

fn documented_address() -> Address {
    Address::new(
        "Biomedical Building Lantai 3",
        "Tangerang Regency",
        "Banten",
        "ID",
    )
    .address_line2("Digital hub, BSD City")
    .postal_code("15331")
}

/// The `orderInformation` object of the documented requests.
pub(crate) fn documented_order() -> OrderInformation {
    OrderInformation::new([
        ProductDetail::new(ProductType::Physical, 1, Amount::idr(100_000))
            .category("FASHION")
            .sub_category("FASHION WANITA")
            .name("Dress Kasual Warna Putih")
            .description("Ukuran M"),
    ])
    .billing_info(
        BillingInfo::new("Reforza Jordan", "reforza@pivot-payment.com")
            .surname("Geotama")
            .phone_number(documented_phone())
            .address(documented_address()),
    )
    .shipping_info(
        ShippingInfo::new(
            "Reforza Jordan",
            "reforza@pivot-payment.com",
            documented_address(),
            ShippingMethod::Regular,
        )
        .surname("Geotama")
        .phone_number(documented_phone())
        .shipping_fee(Amount::idr(100_000)),
    )
}
