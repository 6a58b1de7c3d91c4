//! The Fondy-protocol signature used by Flitt.
//!
//! **Protocol 1.0 / 1.0.1** signs a flat parameter map:
//! `sha1(secret "|" v1 "|" v2 …)`, lower-case hex, where the values are taken in ascending byte
//! order of their keys, empty values are dropped (`0` is kept), and the `signature` and
//! `response_signature_string` parameters never take part. Callers pass values already rendered
//! as text: integers in decimal, strings as they are (JSON-in-string values verbatim).
//!
//! **Protocol 2.0** signs the base64 of a JSON document instead: `sha1(secret "|" data)`.
//!
//! The same function verifies responses and callbacks, which are signed the same way by the
//! gateway over every field they carry — so keep unknown fields when verifying.

use crate::digest::{base64_encode, constant_time_eq, sha1_hex};

/// Parameters that never take part in a signature.
pub const EXCLUDED_KEYS: [&str; 2] = ["signature", "response_signature_string"];

/// The string that is hashed: the secret, then every non-empty value in key order, joined by `|`.
///
/// Useful for comparing with a test-mode `response_signature_string` (in which the gateway masks
/// the secret as `**********`). Contains the secret: never log it.
///
/// ```
/// use payments_signing::fondy::signature_string;
/// let params = [("order_id", "1"), ("amount", "100"), ("merchant_data", ""), ("fee", "0")];
/// assert_eq!(signature_string("secret", params), "secret|100|0|1");
/// ```
pub fn signature_string<I, K, V>(secret: &str, params: I) -> String
where
    I: IntoIterator<Item = (K, V)>,
    K: AsRef<str>,
    V: AsRef<str>,
{
    let mut entries: Vec<(K, V)> = params
        .into_iter()
        .filter(|(k, v)| !v.as_ref().is_empty() && !EXCLUDED_KEYS.contains(&k.as_ref()))
        .collect();
    entries.sort_by(|(a, _), (b, _)| a.as_ref().as_bytes().cmp(b.as_ref().as_bytes()));
    let mut out = String::from(secret);
    for (_, value) in &entries {
        out.push('|');
        out.push_str(value.as_ref());
    }
    out
}

/// The protocol 1.0 / 1.0.1 signature of a flat parameter map.
///
/// ```
/// use payments_signing::fondy::sign;
/// // Flitt's published recurring request (test merchant 1549901, secret "test").
/// let params = [
///     ("order_id", "test_recurring_payment123"),
///     ("order_desc", "Debit by token transaction"),
///     ("currency", "GEL"),
///     ("amount", "4600"),
///     ("rectoken", "I0wh7fBmFIdcY6K3Px2QugVrVR65sPafeZkPmRanOiRnXG"),
///     ("merchant_id", "1549901"),
/// ];
/// assert_eq!(sign("test", params), "34cda2e7a60c5aee343515fde5deef5403f87f86");
/// ```
pub fn sign<I, K, V>(secret: &str, params: I) -> String
where
    I: IntoIterator<Item = (K, V)>,
    K: AsRef<str>,
    V: AsRef<str>,
{
    sha1_hex(signature_string(secret, params).as_bytes())
}

/// Verifies a protocol 1.0 / 1.0.1 signature in constant time. `params` may include the
/// `signature` and `response_signature_string` fields; they are ignored. The comparison is
/// case-insensitive in the hex digits, as the gateway's are.
///
/// ```
/// use payments_signing::fondy::{sign, verify};
/// let params = [("order_id", "42"), ("order_status", "approved")];
/// let signature = sign("secret", params);
/// assert!(verify("secret", params, &signature));
/// assert!(!verify("secret", [("order_id", "42"), ("order_status", "declined")], &signature));
/// ```
pub fn verify<I, K, V>(secret: &str, params: I, signature: &str) -> bool
where
    I: IntoIterator<Item = (K, V)>,
    K: AsRef<str>,
    V: AsRef<str>,
{
    let expected = sign(secret, params);
    constant_time_eq(
        expected.as_bytes(),
        signature.trim().to_ascii_lowercase().as_bytes(),
    )
}

/// Protocol 2.0: the `data` field, standard base64 of the JSON document (`{"order": {…}}`).
///
/// ```
/// assert_eq!(payments_signing::fondy::encode_v2_data(br#"{"order":{}}"#), "eyJvcmRlciI6e319");
/// ```
pub fn encode_v2_data(json: &[u8]) -> String {
    base64_encode(json)
}

/// Protocol 2.0: `sha1(secret "|" data)`, lower-case hex, over the base64 `data` exactly as sent.
///
/// ```
/// use payments_signing::{digest::sha1_hex, fondy::sign_v2};
/// assert_eq!(sign_v2("test", "eyJvcmRlciI6e319"), sha1_hex(b"test|eyJvcmRlciI6e319"));
/// ```
pub fn sign_v2(secret: &str, data: &str) -> String {
    let mut message = String::with_capacity(secret.len() + data.len() + 1);
    message.push_str(secret);
    message.push('|');
    message.push_str(data);
    sha1_hex(message.as_bytes())
}

/// Protocol 2.0: verifies `signature` over the received base64 `data` in constant time.
///
/// ```
/// use payments_signing::fondy::{sign_v2, verify_v2};
/// let signature = sign_v2("test", "eyJvcmRlciI6e319");
/// assert!(verify_v2("test", "eyJvcmRlciI6e319", &signature));
/// assert!(!verify_v2("test", "eyJvcmRlciI6e30=", &signature));
/// ```
pub fn verify_v2(secret: &str, data: &str, signature: &str) -> bool {
    constant_time_eq(
        sign_v2(secret, data).as_bytes(),
        signature.trim().to_ascii_lowercase().as_bytes(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// R1-resp from the provider notes: the full recurring response, every field as received
    /// (numbers rendered as decimal text, `additional_info` verbatim).
    const R1_ADDITIONAL_INFO: &str = r#"{"capture_status": null, "capture_amount": null, "reservation_data": null, "transaction_id": 2025817355, "bank_response_code": null, "bank_response_description": null, "client_fee": 0.0, "settlement_fee": 0.0, "bank_name": null, "bank_country": null, "card_type": "VISA", "card_product": "empty_visa", "card_category": null, "timeend": "09.10.2024 21:20:47", "ipaddress_v4": "178.54.60.26", "payment_method": "card", "is_test": true, "schemeid": "mBS8MDuWOpyhdw8aveS"}"#;

    fn r1_response() -> Vec<(&'static str, &'static str)> {
        vec![
            ("rrn", "332518927710"),
            ("masked_card", "444455XXXXXX6666"),
            ("sender_cell_phone", ""),
            ("sender_account", ""),
            ("currency", "GEL"),
            ("fee", ""),
            ("reversal_amount", "0"),
            ("settlement_amount", "0"),
            ("actual_amount", "4600"),
            ("response_description", ""),
            ("sender_email", ""),
            ("order_status", "approved"),
            ("response_status", "success"),
            ("order_time", "09.10.2024 21:20:46"),
            ("actual_currency", "GEL"),
            ("order_id", "test_recurring_payment123"),
            ("tran_type", "purchase"),
            ("eci", "7"),
            ("settlement_date", ""),
            ("payment_system", "card"),
            ("approval_code", "418900"),
            ("merchant_id", "1549901"),
            ("settlement_currency", ""),
            ("payment_id", "822895805"),
            ("card_bin", "444455"),
            ("response_code", ""),
            ("card_type", "VISA"),
            ("amount", "4600"),
            ("signature", "bb62bd1236695ba6f2252d1cec18ce04d2005559"),
            ("product_id", ""),
            ("merchant_data", ""),
            ("rectoken", "I0wh7fBmFIdcY6K3Px2QugVrVR65sPafeZkPmRanOiRnXG"),
            ("rectoken_lifetime", ""),
            ("verification_status", ""),
            ("parent_order_id", ""),
            ("additional_info", R1_ADDITIONAL_INFO),
            ("response_signature_string", "**********|4600|GEL|…"),
        ]
    }

    #[test]
    fn request_vector_r1_reproduces() {
        let params = [
            ("order_id", "test_recurring_payment123"),
            ("order_desc", "Debit by token transaction"),
            ("currency", "GEL"),
            ("amount", "4600"),
            ("rectoken", "I0wh7fBmFIdcY6K3Px2QugVrVR65sPafeZkPmRanOiRnXG"),
            ("signature", "34cda2e7a60c5aee343515fde5deef5403f87f86"),
            ("merchant_id", "1549901"),
        ];
        assert_eq!(
            signature_string("test", params),
            "test|4600|GEL|1549901|Debit by token transaction|test_recurring_payment123|I0wh7fBmFIdcY6K3Px2QugVrVR65sPafeZkPmRanOiRnXG"
        );
        assert_eq!(
            sign("test", params),
            "34cda2e7a60c5aee343515fde5deef5403f87f86"
        );
    }

    #[test]
    fn full_response_vector_r1_verifies() {
        let params = r1_response();
        assert_eq!(
            sign("test", params.iter().copied()),
            "bb62bd1236695ba6f2252d1cec18ce04d2005559"
        );
        assert!(verify(
            "test",
            params.iter().copied(),
            "bb62bd1236695ba6f2252d1cec18ce04d2005559"
        ));
        assert!(verify(
            "test",
            params.iter().copied(),
            "BB62BD1236695BA6F2252D1CEC18CE04D2005559"
        ));
    }

    #[test]
    fn changing_any_signed_value_or_the_key_breaks_verification() {
        let signature = "bb62bd1236695ba6f2252d1cec18ce04d2005559";
        let base = r1_response();
        for (i, (key, value)) in base.iter().enumerate() {
            if EXCLUDED_KEYS.contains(key) {
                continue;
            }
            let changed = format!("{value}x");
            let mut params: Vec<(&str, &str)> = base.clone();
            params[i] = (key, &changed);
            assert!(!verify("test", params, signature), "field {key}");
        }
        assert!(!verify("tesT", base.iter().copied(), signature));
        // An extra non-empty field takes part in the signature too.
        let mut extra = base.clone();
        extra.push(("new_field", "1"));
        assert!(!verify("test", extra, signature));
        // But an extra empty one does not.
        let mut empty = base.clone();
        empty.push(("new_field", ""));
        assert!(verify("test", empty, signature));
    }

    #[test]
    fn zero_is_kept_and_keys_sort_by_bytes() {
        assert_eq!(
            signature_string("s", [("b", "0"), ("a_b", "1"), ("ab", "2"), ("a", "")]),
            // '_' (0x5F) sorts before 'b' (0x62).
            "s|1|2|0"
        );
    }

    #[test]
    fn protocol_2_signs_the_base64_data() {
        let data = encode_v2_data(br#"{"order":{"order_id":"1"}}"#);
        assert_eq!(data, "eyJvcmRlciI6eyJvcmRlcl9pZCI6IjEifX0=");
        let expected = sha1_hex(format!("test|{data}").as_bytes());
        assert_eq!(sign_v2("test", &data), expected);
        assert!(verify_v2("test", &data, &expected));
        assert!(!verify_v2("test2", &data, &expected));
        assert!(!verify_v2("test", &data, ""));
    }
}
