//! Property tests: no function panics on any input, everything that is signed verifies, and any
//! change to a signed input is rejected.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use payments_signing::standard_webhooks::{self, WebhookKey};
use payments_signing::{fondy, http, ixopay, portone};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn parsers_never_panic(s in ".{0,200}") {
        let _ = http::parse_http_date(&s);
        let _ = ixopay::request_uri(&s);
        let _ = portone::canonical_amount(&s);
        let _ = portone::verify_jwt_hs256("secret", &s);
        let _ = WebhookKey::from_secret(&s);
    }

    #[test]
    fn webhook_verification_never_panics(
        id in ".{0,40}",
        timestamp in ".{0,24}",
        body in proptest::collection::vec(any::<u8>(), 0..256),
        header in ".{0,200}",
        now in any::<u64>(),
        tolerance in any::<u64>(),
    ) {
        let key = WebhookKey::from_bytes(vec![7; 24]);
        let now = UNIX_EPOCH.checked_add(Duration::from_secs(now)).unwrap_or(UNIX_EPOCH);
        let _ = standard_webhooks::verify(
            &key, &id, &timestamp, &body, &header, now, Duration::from_secs(tolerance),
        );
    }

    #[test]
    fn ixopay_signatures_verify_and_any_body_change_is_rejected(
        secret in ".{0,40}",
        body in proptest::collection::vec(any::<u8>(), 1..512),
        index in any::<prop::sample::Index>(),
        flip in 1u8..=255,
    ) {
        let input = ixopay::SignatureInput {
            method: "POST",
            body: &body,
            content_type: "application/json; charset=utf-8",
            date: "Tue, 21 Jul 2020 13:15:03 GMT",
            request_uri: "/api/v3/transaction/key/debit",
        };
        let signature = ixopay::sign(&secret, &input);
        prop_assert!(ixopay::verify(&secret, &input, &signature, &[ixopay::BodyDigest::Sha512]));
        let mut tampered = body.clone();
        tampered[index.index(body.len())] ^= flip;
        let tampered_input = ixopay::SignatureInput { body: &tampered, ..input };
        prop_assert!(!ixopay::verify(&secret, &tampered_input, &signature, &[ixopay::BodyDigest::Sha512, ixopay::BodyDigest::Md5]));
    }

    #[test]
    fn fondy_signatures_cover_every_non_empty_value(
        params in proptest::collection::btree_map("[a-z_]{1,12}", "[^|]{1,20}", 1..12),
        index in any::<prop::sample::Index>(),
    ) {
        let signature = fondy::sign("test", &params);
        prop_assert!(fondy::verify("test", &params, &signature));
        let keys: Vec<&String> = params.keys().collect();
        let victim = keys[index.index(keys.len())].clone();
        if victim != "signature" && victim != "response_signature_string" {
            let mut changed = params.clone();
            changed.insert(victim, "changed|value".to_owned());
            prop_assert!(!fondy::verify("test", &changed, &signature));
        }
    }

    #[test]
    fn portone_signature_hash_is_order_independent_and_tamper_evident(
        fields in proptest::collection::btree_map("[a-z_]{1,12}", ".{0,30}", 1..8),
        index in any::<prop::sample::Index>(),
    ) {
        let hash = portone::signature_hash("PORTONE_SECRET", &fields);
        let reversed: Vec<(&String, &String)> = fields.iter().rev().collect();
        prop_assert!(portone::verify_signature_hash("PORTONE_SECRET", reversed, &hash));
        let keys: Vec<&String> = fields.keys().collect();
        let victim = keys[index.index(keys.len())].clone();
        let mut changed = fields.clone();
        let value = format!("{}x", fields[&victim]);
        changed.insert(victim, value);
        prop_assert!(!portone::verify_signature_hash("PORTONE_SECRET", &changed, &hash));
    }

    #[test]
    fn portone_form_encoding_round_trips_through_a_form_decoder(value in ".{0,40}") {
        // Go's QueryEscape output decodes back to the input with ordinary form decoding:
        // '+' is a space, %XX a byte.
        let encoded = portone::query_escape(&value);
        let mut bytes = Vec::new();
        let raw = encoded.as_bytes();
        let mut i = 0;
        while i < raw.len() {
            match raw[i] {
                b'+' => { bytes.push(b' '); i += 1; }
                b'%' => {
                    let hex = std::str::from_utf8(&raw[i + 1..i + 3]).expect("ascii");
                    bytes.push(u8::from_str_radix(hex, 16).expect("hex"));
                    i += 3;
                }
                b => { bytes.push(b); i += 1; }
            }
        }
        prop_assert_eq!(String::from_utf8(bytes).expect("utf-8"), value);
    }

    #[test]
    fn jwts_round_trip(sub in ".{0,30}", iat in any::<u32>(), lifetime in 1u32..100_000) {
        let claims = portone::JwtClaims { iss: "PORTONE", sub: &sub, iat: u64::from(iat), exp: u64::from(iat) + u64::from(lifetime) };
        let token = portone::jwt_hs256("secret", &claims);
        prop_assert!(portone::verify_jwt_hs256("secret", &token).is_some());
        prop_assert!(portone::verify_jwt_hs256("secret2", &token).is_none());
    }

    #[test]
    fn canonical_amount_agrees_with_the_float_rendering(cents in 0u64..10_000_000_000, scale in 0u32..3) {
        // For amounts with at most two decimals, the shortest form is what Rust's (and Go's)
        // shortest float formatting prints.
        let divisor = 10u64.pow(scale);
        let text = format!("{}.{:0width$}", cents / divisor, cents % divisor, width = scale as usize);
        let text = if scale == 0 { format!("{cents}") } else { text };
        #[allow(clippy::cast_precision_loss)]
        let as_float = cents as f64 / divisor as f64;
        prop_assert_eq!(portone::canonical_amount(&text), Some(format!("{as_float}")));
    }

    #[test]
    fn standard_webhooks_round_trip_within_tolerance(
        body in proptest::collection::vec(any::<u8>(), 0..256),
        ts in 1_000_000_000i64..2_000_000_000,
        skew in -180i64..=180,
    ) {
        let key = WebhookKey::from_secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").expect("valid");
        let signature = standard_webhooks::sign(&key, "msg_1", ts, &body);
        let now = at(ts + skew);
        prop_assert_eq!(
            standard_webhooks::verify(&key, "msg_1", &ts.to_string(), &body, &signature, now, Duration::from_secs(180)),
            Ok(())
        );
    }
}

fn at(secs: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(u64::try_from(secs).unwrap_or(0))
}
