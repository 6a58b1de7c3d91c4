//! Callbacks to `server_callback_url`: verified over every field as received, then parsed.
#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]

mod common;

use common::{CREDIT_KEY, MERCHANT_ID, SECRET, fixture, fixture_json, resign};
use flitt_client::testing::MockGateway;
use flitt_client::webhook::{self, Verifier};
use flitt_client::{Credentials, Currency, Error, OrderStatus, error::WebhookError};
use secrecy::SecretString;
use serde_json::{Value, json};

fn post(content_type: &str, body: impl Into<Vec<u8>>) -> http::Request<Vec<u8>> {
    http::Request::post("/flitt/callback")
        .header("content-type", content_type)
        .body(body.into())
        .unwrap()
}

fn verifier() -> Verifier {
    Verifier::new(MERCHANT_ID, SecretString::from(SECRET))
}

fn rejection(result: Result<flitt_client::model::order::Order, Error>) -> WebhookError {
    match result {
        Err(Error::Webhook(e)) => e,
        other => panic!("not a webhook rejection: {other:?}"),
    }
}

#[test]
fn published_r1_response_verifies_as_a_json_callback() {
    // Flitt posts the flat order object: the published fields, byte for byte.
    let body = fixture("r1-recurring-response-fields");
    let order = verifier()
        .verify(&post("application/json; charset=UTF-8", body))
        .unwrap();
    assert_eq!(order.order_id, "test_recurring_payment123");
    assert!(order.is_approved());
    assert_eq!(order.actual_amount, Some(4600));
    insta::assert_debug_snapshot!("r1_callback", order);
}

#[test]
fn published_r1_response_verifies_as_a_form_callback() {
    // The same fields form-encoded: every value as text, so the same signature holds.
    let fields = fixture_json("r1-recurring-response-fields");
    let pairs: Vec<(String, String)> = fields
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| {
            let text = v
                .as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| v.to_string());
            (k.clone(), text)
        })
        .collect();
    let body = serde_urlencoded::to_string(&pairs).unwrap();
    let order = verifier()
        .verify(&post("application/x-www-form-urlencoded", body.clone()))
        .unwrap();
    assert_eq!(order.payment_id, Some(822_895_805));
    assert_eq!(
        order.additional_info.unwrap().transaction_id,
        Some(2_025_817_355)
    );
    // The browser return to `response_url` may carry the same fields in a GET query.
    let get = http::Request::get(format!("/return?{body}"))
        .body(Vec::new())
        .unwrap();
    assert!(verifier().verify(&get).is_ok());
}

#[test]
fn the_documented_callback_signature_placeholder_is_rejected() {
    // docs/providers/flitt.md: the seed response example was edited after signing.
    let body = fixture_json("recurring-response")["response"].to_string();
    assert_eq!(
        rejection(verifier().verify(&post("application/json", body))),
        WebhookError::BadSignature
    );
}

#[test]
fn the_documented_order_resigned_parses_into_a_typed_order() {
    let documented = fixture_json("recurring-response")["response"]
        .as_object()
        .unwrap()
        .clone();
    let body = serde_json::to_vec(&resign(SECRET, documented)).unwrap();
    let order = verifier().verify(&post("application/json", body)).unwrap();
    assert_eq!(order.order_id, "test_12343242");
    assert_eq!(order.sender_email.as_deref(), Some("test@test.com"));
    assert_eq!(order.merchant_data.as_deref(), Some("Test merchant data"));
}

#[test]
fn any_changed_field_missing_signature_or_other_merchant_is_rejected() {
    let fields = fixture_json("r1-recurring-response-fields");
    let mut changed = fields.clone();
    changed["amount"] = json!("4601");
    assert_eq!(
        rejection(verifier().verify(&post("application/json", changed.to_string()))),
        WebhookError::BadSignature
    );
    let mut added = fields.clone();
    added["surprise"] = json!("1");
    assert_eq!(
        rejection(verifier().verify(&post("application/json", added.to_string()))),
        WebhookError::BadSignature
    );
    let mut unsigned = fields.clone();
    unsigned.as_object_mut().unwrap().remove("signature");
    assert_eq!(
        rejection(verifier().verify(&post("application/json", unsigned.to_string()))),
        WebhookError::MissingSignature
    );
    // Another key.
    let other = Verifier::new(MERCHANT_ID, SecretString::from("not-test"));
    assert_eq!(
        rejection(other.verify(&post("application/json", fields.to_string()))),
        WebhookError::BadSignature
    );
    // Validly signed, but for another merchant.
    let mut foreign = fields.as_object().unwrap().clone();
    foreign.insert("merchant_id".into(), json!(1_396_424));
    let body = serde_json::to_vec(&resign(SECRET, foreign)).unwrap();
    assert_eq!(
        rejection(verifier().verify(&post("application/json", body))),
        WebhookError::MerchantMismatch {
            expected: MERCHANT_ID,
            received: "1396424".into()
        }
    );
}

#[test]
fn malformed_requests_are_rejected_without_panicking() {
    let put = http::Request::put("/cb").body(b"{}".to_vec()).unwrap();
    assert!(matches!(
        rejection(verifier().verify(&put)),
        WebhookError::Method(_)
    ));
    for body in ["", "   ", "<html>", "{\"order_id\": ", "[1,2]"] {
        let result = verifier().verify(&post("application/json", body));
        assert!(
            matches!(result, Err(Error::Webhook(_))),
            "{body:?}: {result:?}"
        );
    }
    // Signed, but not an order: the failing field is named.
    let body = serde_json::to_vec(&resign(
        SECRET,
        json!({"merchant_id": MERCHANT_ID, "order_id": "o", "order_status": "approved", "amount": "a lot"})
            .as_object()
            .unwrap()
            .clone(),
    ))
    .unwrap();
    match rejection(verifier().verify(&post("application/json", body))) {
        WebhookError::Decode { path, message } => {
            assert_eq!(path, "amount");
            assert!(
                message.starts_with("expected an unsigned integer, got string \"a lot\""),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn protocol_2_callbacks_are_verified_over_their_data() {
    let order = json!({"order": {
        "order_id": "o-v2", "merchant_id": MERCHANT_ID, "order_status": "approved",
        "amount": "1000", "currency": "GEL",
    }});
    let data = payments_signing::digest::base64_encode(order.to_string().as_bytes());
    let signature = payments_signing::digest::sha1_hex(format!("{SECRET}|{data}").as_bytes());
    let body = json!({"version": "2.0", "data": data, "signature": signature}).to_string();
    let parsed = verifier().verify(&post("application/json", body)).unwrap();
    assert_eq!(parsed.order_id, "o-v2");
    assert_eq!(parsed.currency, Some(Currency::GEL));
    let forged = json!({"version": "2.0", "data": data, "signature": "0".repeat(40)}).to_string();
    assert_eq!(
        rejection(verifier().verify(&post("application/json", forged))),
        WebhookError::BadSignature
    );
}

#[test]
fn payout_callbacks_signed_with_the_credit_key_are_accepted_when_configured() {
    let mut fields = fixture_json("r1-recurring-response-fields")
        .as_object()
        .unwrap()
        .clone();
    fields.insert("tran_type".into(), json!("p2p credit"));
    let body = serde_json::to_vec(&resign(CREDIT_KEY, fields)).unwrap();
    assert_eq!(
        rejection(verifier().verify(&post("application/json", body.clone()))),
        WebhookError::BadSignature
    );
    let both = Verifier::from_credentials(
        &Credentials::new(MERCHANT_ID, SECRET).with_credit_key(CREDIT_KEY),
    );
    assert!(both.verify(&post("application/json", body)).is_ok());
}

#[test]
fn signing_helpers_produce_what_flitt_would_send() {
    let key = SecretString::from(SECRET);
    let notification = json!({
        "order_id": "o-7", "merchant_id": MERCHANT_ID, "order_status": "declined",
        "response_code": 1000, "amount": "500", "currency": "GEL",
        "additional_info": "{\"client_fee\": 0.0}", "signature": "stale",
    });
    let body = webhook::sign_json(&key, notification).unwrap();
    let sent: Value = serde_json::from_slice(&body).unwrap();
    // The signature is the one computed here independently.
    assert_eq!(
        sent["signature"],
        common::flitt_signature(SECRET, sent.as_object().unwrap())
    );
    let order = verifier().verify(&post("application/json", body)).unwrap();
    assert_eq!(order.order_status, OrderStatus::Declined);
    assert!(order.decline().is_some());

    let form = webhook::sign_form(
        &key,
        &[
            ("order_id", "o-8"),
            ("merchant_id", "1549901"),
            ("order_status", "approved"),
        ],
    );
    let expected = payments_signing::fondy::sign(
        SECRET,
        [
            ("order_id", "o-8"),
            ("merchant_id", "1549901"),
            ("order_status", "approved"),
        ],
    );
    assert!(form.ends_with(&format!("signature={expected}")), "{form}");
    assert!(
        verifier()
            .verify(&post("application/x-www-form-urlencoded", form))
            .is_ok()
    );
    assert!(webhook::sign_json(&key, json!([1])).is_err());
}

#[tokio::test]
async fn the_mock_gateway_produces_callbacks_a_handler_can_verify() {
    let gateway = MockGateway::start().await;
    let client = gateway.client();
    let request = flitt_client::model::recurring::RecurringRequest::new(
        "cb-1",
        "Plan",
        1000,
        Currency::GEL,
        "tok",
    );
    client.recurring(&request).await.unwrap();
    let body = gateway.callback_body("cb-1").unwrap();
    let order = gateway
        .verifier()
        .verify(&post("application/json; charset=UTF-8", body))
        .unwrap();
    assert!(order.is_approved());
    assert!(gateway.callback_body("unknown").is_none());
}

#[test]
fn acknowledgement_is_http_200_and_debug_hides_keys() {
    assert_eq!(webhook::acknowledge().status(), http::StatusCode::OK);
    let shown = format!(
        "{:?}",
        Verifier::new(1, SecretString::from("hidden-key-123"))
            .with_credit_key(SecretString::from("hidden-credit-456"))
    );
    assert!(
        !shown.contains("hidden-key-123") && !shown.contains("hidden-credit-456"),
        "{shown}"
    );
    assert!(webhook::CALLBACK_SOURCE_IPS.contains(&std::net::Ipv4Addr::new(54, 154, 216, 60)));
}
