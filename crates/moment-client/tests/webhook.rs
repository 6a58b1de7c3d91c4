//! Webhook verification: the published Standard Webhooks vector, tampering, tolerance, missing
//! headers, several signatures, typed events, and the signing helper.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use moment_client::webhook::{self, Verifier};
use moment_client::{Error, EventData, EventType, SecretString, WebhookError};

// The published Standard Webhooks vector (also the first signature of Moment's example header).
const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const MSG_ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const TIMESTAMP: u64 = 1_614_265_330;
const SIGNATURE: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
const MOMENT_EXAMPLE_HEADER: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE= v1,bm9ldHUjKzFob2VudXRob2VodWUzMjRvdWVvdW9ldQo=";

fn secret() -> SecretString {
    SecretString::from(SECRET)
}

/// The vector's body: the fixture block, without the newline that ends every block.
fn vector_body() -> Vec<u8> {
    let path = format!(
        "{}/../../fixtures/moment/standard-webhooks-vector-body.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(path).unwrap();
    let body = text.strip_suffix('\n').unwrap_or(&text).as_bytes().to_vec();
    assert_eq!(body, br#"{"test": 2432232314}"#);
    body
}

fn at(seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds)
}

fn verifier_at(now: u64) -> Verifier {
    Verifier::new(&secret()).unwrap().clock(move || at(now))
}

fn request(headers: &[(&str, &str)], body: Vec<u8>) -> http::Request<Vec<u8>> {
    let mut builder = http::Request::builder()
        .method("POST")
        .uri("/webhooks/moment");
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(body).unwrap()
}

fn vector_request(signature: &str, body: Vec<u8>) -> http::Request<Vec<u8>> {
    request(
        &[
            ("webhook-id", MSG_ID),
            ("webhook-timestamp", "1614265330"),
            ("webhook-signature", signature),
        ],
        body,
    )
}

fn webhook_error(result: Result<impl std::fmt::Debug, Error>) -> WebhookError {
    match result {
        Err(Error::Webhook(e)) => e,
        other => panic!("expected a webhook error, got {other:?}"),
    }
}

#[test]
fn the_published_vector_verifies() {
    let request = vector_request(SIGNATURE, vector_body());
    let verified = verifier_at(TIMESTAMP + 10)
        .verify_signature(request.headers(), request.body())
        .unwrap();
    assert_eq!(verified.webhook_id, MSG_ID);
    assert_eq!(verified.webhook_timestamp, 1_614_265_330);
    assert_eq!(verified.body, br#"{"test": 2432232314}"#);
    // The vector's body is not a Moment event: verification passes, parsing says why it fails.
    match verifier_at(TIMESTAMP).verify(&request) {
        Err(Error::Decode(e)) => assert_eq!(e.operation(), "webhook"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn moment_s_example_header_with_two_signatures_verifies() {
    let request = vector_request(MOMENT_EXAMPLE_HEADER, vector_body());
    assert!(
        verifier_at(TIMESTAMP)
            .verify_signature(request.headers(), request.body())
            .is_ok()
    );
    // The order of the entries does not matter, nor do other versions.
    let reversed = "v2,abc v1,bm9ldHUjKzFob2VudXRob2VodWUzMjRvdWVvdW9ldQo= v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    let request = vector_request(reversed, vector_body());
    assert!(
        verifier_at(TIMESTAMP)
            .verify_signature(request.headers(), request.body())
            .is_ok()
    );
}

#[test]
fn every_changed_body_byte_is_rejected() {
    let body = vector_body();
    for i in 0..body.len() {
        let mut tampered = body.clone();
        tampered[i] ^= 0x20;
        let request = vector_request(SIGNATURE, tampered);
        assert_eq!(
            webhook_error(
                verifier_at(TIMESTAMP).verify_signature(request.headers(), request.body())
            ),
            WebhookError::NoMatchingSignature,
            "byte {i}"
        );
    }
    // Re-serialising the JSON (a space removed) also breaks it: the raw bytes are signed.
    let request = vector_request(SIGNATURE, br#"{"test":2432232314}"#.to_vec());
    assert_eq!(
        webhook_error(verifier_at(TIMESTAMP).verify_signature(request.headers(), request.body())),
        WebhookError::NoMatchingSignature
    );
}

#[test]
fn a_changed_id_timestamp_or_secret_is_rejected() {
    let changed_id = request(
        &[
            ("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJeK"),
            ("webhook-timestamp", "1614265330"),
            ("webhook-signature", SIGNATURE),
        ],
        vector_body(),
    );
    assert_eq!(
        webhook_error(verifier_at(TIMESTAMP).verify(&changed_id)),
        WebhookError::NoMatchingSignature
    );
    let changed_timestamp = request(
        &[
            ("webhook-id", MSG_ID),
            ("webhook-timestamp", "1614265331"),
            ("webhook-signature", SIGNATURE),
        ],
        vector_body(),
    );
    assert_eq!(
        webhook_error(verifier_at(TIMESTAMP).verify(&changed_timestamp)),
        WebhookError::NoMatchingSignature
    );
    let other_secret = Verifier::new(&SecretString::from(
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSx",
    ))
    .unwrap()
    .clock(|| at(TIMESTAMP));
    assert_eq!(
        webhook_error(other_secret.verify(&vector_request(SIGNATURE, vector_body()))),
        WebhookError::NoMatchingSignature
    );
}

#[test]
fn timestamps_outside_the_tolerance_are_rejected() {
    let request = vector_request(SIGNATURE, vector_body());
    let verify = |verifier: Verifier| verifier.verify_signature(request.headers(), request.body());
    // Default tolerance: 180 s either way.
    assert_eq!(webhook::DEFAULT_TOLERANCE, Duration::from_secs(180));
    assert!(verify(verifier_at(TIMESTAMP + 180)).is_ok());
    assert!(verify(verifier_at(TIMESTAMP - 180)).is_ok());
    assert_eq!(
        webhook_error(verify(verifier_at(TIMESTAMP + 181))),
        WebhookError::TimestampTooOld
    );
    assert_eq!(
        webhook_error(verify(verifier_at(TIMESTAMP - 181))),
        WebhookError::TimestampTooNew
    );
    // Configurable.
    let relaxed = verifier_at(TIMESTAMP + 299).tolerance(Duration::from_secs(300));
    assert!(verify(relaxed).is_ok());
    let strict = verifier_at(TIMESTAMP + 31).tolerance(Duration::from_secs(30));
    assert_eq!(webhook_error(verify(strict)), WebhookError::TimestampTooOld);
    // The real clock is years past the vector.
    assert_eq!(
        webhook_error(Verifier::new(&secret()).unwrap().verify(&request)),
        WebhookError::TimestampTooOld
    );
}

#[test]
fn missing_or_malformed_headers_are_rejected() {
    let all = [
        ("webhook-id", MSG_ID),
        ("webhook-timestamp", "1614265330"),
        ("webhook-signature", SIGNATURE),
    ];
    for missing in ["webhook-id", "webhook-timestamp", "webhook-signature"] {
        let headers: Vec<_> = all.iter().copied().filter(|(n, _)| *n != missing).collect();
        let request = request(&headers, vector_body());
        assert_eq!(
            webhook_error(verifier_at(TIMESTAMP).verify(&request)),
            WebhookError::MissingHeader(missing)
        );
    }
    let bad_timestamp = request(
        &[
            ("webhook-id", MSG_ID),
            ("webhook-timestamp", "2021-02-25T15:02:10Z"),
            ("webhook-signature", SIGNATURE),
        ],
        vector_body(),
    );
    assert_eq!(
        webhook_error(verifier_at(TIMESTAMP).verify(&bad_timestamp)),
        WebhookError::InvalidTimestamp
    );
    let mut non_text = vector_request(SIGNATURE, vector_body());
    non_text.headers_mut().insert(
        "webhook-signature",
        http::HeaderValue::from_bytes(b"v1,\xff").unwrap(),
    );
    assert_eq!(
        webhook_error(verifier_at(TIMESTAMP).verify(&non_text)),
        WebhookError::InvalidHeader("webhook-signature")
    );
    for empty in ["", "v1,", "garbage"] {
        let request = vector_request(empty, vector_body());
        assert_eq!(
            webhook_error(verifier_at(TIMESTAMP).verify(&request)),
            WebhookError::NoMatchingSignature
        );
    }
}

#[test]
fn the_signing_helper_matches_an_independent_computation() {
    let body = br#"{"id": "evt_1", "type": "payment.captured", "data": {"id": "pay_1", "status": "succeeded", "paid_amount": "120000"}}"#;
    let request =
        webhook::sign_notification(&secret(), "msg_helper", at(1_700_000_000), body.to_vec())
            .unwrap();
    let key = payments_signing::standard_webhooks::WebhookKey::from_secret(SECRET).unwrap();
    let expected =
        payments_signing::standard_webhooks::sign(&key, "msg_helper", 1_700_000_000, body);
    assert_eq!(request.headers()["webhook-signature"], expected.as_str());
    assert_eq!(request.headers()["webhook-timestamp"], "1700000000");
    assert_eq!(request.headers()["webhook-id"], "msg_helper");
    assert_eq!(
        webhook::sign(&secret(), MSG_ID, 1_614_265_330, &vector_body()).unwrap(),
        SIGNATURE
    );

    let event = verifier_at(1_700_000_000).verify(&request).unwrap();
    assert_eq!(event.event_type, EventType::PaymentCaptured);
    assert_eq!(event.webhook_timestamp, 1_700_000_000);
    // Amounts sent as strings decode.
    assert_eq!(event.payment().unwrap().paid_amount, Some(120_000));
    assert_eq!(webhook::acknowledge().status(), http::StatusCode::OK);
}

#[test]
fn unknown_event_types_are_kept_raw() {
    let body = br#"{"id": "evt_Y2kN0bS1uF4jR7qW9xZ3", "type": "payment_request.paid", "data": {"id": "pr_1", "amount": 500}}"#;
    let request =
        webhook::sign_notification(&secret(), "msg_2", at(TIMESTAMP), body.to_vec()).unwrap();
    let event = verifier_at(TIMESTAMP).verify(&request).unwrap();
    assert_eq!(
        event.event_type,
        EventType::Unknown("payment_request.paid".to_owned())
    );
    match &event.data {
        EventData::Other(data) => assert_eq!(data["id"], "pr_1"),
        other => panic!("{other:?}"),
    }
    // A new payment status is kept, and is not a success.
    let body = br#"{"id": "evt_3", "type": "payment.disputed", "data": {"id": "pay_1", "status": "charged_back"}}"#;
    let request =
        webhook::sign_notification(&secret(), "msg_3", at(TIMESTAMP), body.to_vec()).unwrap();
    let event = verifier_at(TIMESTAMP).verify(&request).unwrap();
    let payment = event.payment().unwrap();
    assert_eq!(
        payment.status,
        Some(moment_client::PaymentStatus::Unknown(
            "charged_back".to_owned()
        ))
    );
    assert!(!payment.is_succeeded());
}

#[test]
fn a_verified_event_with_bad_data_names_the_field() {
    let body = br#"{"id": "evt_4", "type": "payment_session.updated", "data": {"id": "ps_1", "amount": "ten"}}"#;
    let request =
        webhook::sign_notification(&secret(), "msg_4", at(TIMESTAMP), body.to_vec()).unwrap();
    match verifier_at(TIMESTAMP).verify(&request) {
        Err(Error::Decode(e)) => {
            assert_eq!(e.path(), "data.amount");
            assert!(e.excerpt().contains("payment_session.updated"));
        }
        other => panic!("{other:?}"),
    }
    let body = br#"{"id": "evt_5", "data": {}}"#;
    let request =
        webhook::sign_notification(&secret(), "msg_5", at(TIMESTAMP), body.to_vec()).unwrap();
    match verifier_at(TIMESTAMP).verify(&request) {
        Err(Error::Decode(e)) => assert!(e.message().contains("type"), "{e}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn secrets_stay_out_of_debug_and_errors() {
    let verifier = Verifier::new(&secret()).unwrap();
    let printed = format!("{verifier:?}");
    assert!(!printed.contains("MfKQ9r8"), "{printed}");
    let error = Verifier::new(&SecretString::from("whsec_not base64!")).unwrap_err();
    assert!(matches!(error, Error::Config { .. }), "{error:?}");
    assert!(!format!("{error:?} {error}").contains("not base64!"));
}
