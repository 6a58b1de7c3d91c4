//! Callbacks: the documented examples verify and parse; wrong or missing keys, other methods
//! and broken bodies are rejected; `confirm` trusts the API, not the body.
#![allow(clippy::unwrap_used, clippy::panic)]

mod common;

use common::*;
use serde_json::json;
use session_tokenize_client::Error;
use session_tokenize_client::error::WebhookError;
use session_tokenize_client::model::Amount;
use session_tokenize_client::model::customer::Customer;
use session_tokenize_client::model::refund::RefundStatus;
use session_tokenize_client::model::session::*;
use session_tokenize_client::testing::MockGateway;
use session_tokenize_client::webhook::{
    self, Confirmed, EventData, EventType, Verifier, acknowledge, sign_notification,
};

const KEY: &str = "callback-api-key-from-the-dashboard";

#[test]
fn the_documented_payment_paid_callback_verifies_and_parses() {
    let request = sign_notification(KEY, fixture("callback-payment-paid.json").into_bytes());
    let event = Verifier::new(KEY).verify(&request).unwrap();
    assert_eq!(event.event_type, EventType::PaymentPaid);
    let session = event.payment_session().unwrap();
    assert_eq!(session.id, "bca0b57a-391e-4f6f-bfef-8cd37492ee5b");
    assert!(session.is_paid());
    assert_eq!(session.amount, Some(Amount::idr(10_001)));
    let charge = session.latest_charge().unwrap();
    assert!(charge.status.is_success());
    assert_eq!(charge.card.as_ref().unwrap().last4.as_deref(), Some("0002"));
    insta::assert_debug_snapshot!("callback_payment_paid", event);
}

#[test]
fn the_documented_refund_callback_verifies_and_parses() {
    let request = sign_notification(KEY, fixture("callback-refund-success.json").into_bytes());
    let event = Verifier::new(KEY).verify(&request).unwrap();
    assert_eq!(event.event_type, EventType::RefundSuccess);
    let refund = event.refund().unwrap();
    assert_eq!(refund.status, RefundStatus::Success);
    assert_eq!(
        refund.amount,
        Some(Amount::new(rust_decimal::Decimal::new(50_000, 2), "IDR"))
    );
    insta::assert_debug_snapshot!("callback_refund_success", event);
}

#[test]
fn a_wrong_or_missing_key_or_method_is_rejected_before_parsing() {
    let body = fixture("callback-payment-paid.json").into_bytes();
    let verifier = Verifier::new(KEY);

    let wrong = sign_notification("callback-api-key-from-the-dashboarD", body.clone());
    assert!(matches!(
        verifier.verify(&wrong),
        Err(Error::Webhook(WebhookError::ApiKeyMismatch))
    ));
    let longer = sign_notification(&format!("{KEY}x"), body.clone());
    assert!(matches!(
        verifier.verify(&longer),
        Err(Error::Webhook(WebhookError::ApiKeyMismatch))
    ));

    let mut missing = sign_notification(KEY, body.clone());
    missing.headers_mut().remove(webhook::API_KEY_HEADER);
    assert!(matches!(
        verifier.verify(&missing),
        Err(Error::Webhook(WebhookError::MissingApiKey))
    ));

    let mut get = sign_notification(KEY, body.clone());
    *get.method_mut() = http::Method::GET;
    assert!(matches!(
        verifier.verify(&get),
        Err(Error::Webhook(WebhookError::Method(_)))
    ));

    // A wrong key is rejected even when the body is garbage: nothing is parsed first.
    let garbage = sign_notification("nope", b"not json".to_vec());
    assert!(matches!(
        verifier.verify(&garbage),
        Err(Error::Webhook(WebhookError::ApiKeyMismatch))
    ));

    // The header name is case-insensitive, as HTTP headers are.
    let mut headers = http::HeaderMap::new();
    headers.insert("X-API-KEY", http::HeaderValue::from_static(KEY));
    assert!(verifier.verify_parts(&headers, &body).is_ok());

    // The key never shows in Debug output.
    assert!(!format!("{verifier:?}").contains(KEY));
}

#[test]
fn broken_bodies_are_typed_errors_naming_the_field() {
    let verifier = Verifier::new(KEY);
    let cases: [(&[u8], &str); 4] = [
        (b"", ""),
        (br#"{"event":"PAYMENT.PAID","data":{"id":"s1","status":"PAID""#, "data"),
        (br#"{"data":{"id":"s1","status":"PAID"}}"#, "event"),
        (
            br#"{"event":"PAYMENT.PAID","data":{"id":"s1","status":"PAID","amount":{"value":"x","currency":"IDR"}}}"#,
            "data.amount.value",
        ),
    ];
    for (body, expected_path) in cases {
        let request = sign_notification(KEY, body.to_vec());
        match verifier.verify(&request) {
            Err(Error::Decode(d)) => assert_eq!(d.path, expected_path, "{body:?}"),
            other => panic!("{other:?}"),
        }
    }
    let missing_status = sign_notification(
        KEY,
        br#"{"event":"PAYMENT.PAID","data":{"id":"s1"}}"#.to_vec(),
    );
    assert!(matches!(
        verifier.verify(&missing_status),
        Err(Error::Decode(d)) if d.path == "data.status"
    ));
}

#[test]
fn unknown_events_are_kept_and_misspelt_ones_understood() {
    let verifier = Verifier::new(KEY);
    let unknown = sign_notification(
        KEY,
        br#"{"event":"PAYOUT.DONE","data":{"uuid":"u1"}}"#.to_vec(),
    );
    let event = verifier.verify(&unknown).unwrap();
    assert_eq!(event.event_type, EventType::Unknown("PAYOUT.DONE".into()));
    assert_eq!(event.data, EventData::Other(json!({"uuid": "u1"})));

    let waiting = sign_notification(
        KEY,
        br#"{"event":"REFUND.WAITING_BANK_TRANFER","data":{"id":"r1","status":"WAITING_BANK_TRANSFER"}}"#.to_vec(),
    );
    let event = verifier.verify(&waiting).unwrap();
    assert_eq!(event.event_type, EventType::RefundWaitingBankTransfer);
    assert_eq!(
        event.refund().unwrap().status,
        RefundStatus::WaitingBankTransfer
    );

    let test = sign_notification(
        KEY,
        br#"{"event":"PAYMENT.TEST","data":{"hello":"world"}}"#.to_vec(),
    );
    let event = verifier.verify(&test).unwrap();
    assert_eq!(event.event_type, EventType::PaymentTest);
    assert!(matches!(event.data, EventData::Other(_)));

    assert_eq!(acknowledge().status(), http::StatusCode::OK);
}

#[tokio::test]
async fn confirm_reads_the_session_from_the_api_instead_of_trusting_the_body() {
    let mock = MockGateway::start().await;
    let client = mock.client();
    let session = client
        .create_payment_session(&CreatePaymentSession::redirect_save_card(
            "CALLBACK1",
            Amount::idr(10_000),
            Customer::new("shopper@example.com"),
            OrderInformation::new([ProductDetail::new(
                ProductType::Digital,
                1,
                Amount::idr(10_000),
            )]),
            documented_redirect_url(),
        ))
        .await
        .unwrap();
    let verifier = Verifier::new(MockGateway::CALLBACK_API_KEY);

    // A callback claiming PAID for a session that is not paid (the key leaked, or a replay with
    // an edited body): confirm shows the truth.
    let mut forged = mock.session_json(&session.id).unwrap();
    forged["status"] = json!("PAID");
    let request = sign_notification(
        MockGateway::CALLBACK_API_KEY,
        json!({"event": "PAYMENT.PAID", "data": forged})
            .to_string()
            .into_bytes(),
    );
    let event = verifier.verify(&request).unwrap();
    assert!(event.payment_session().unwrap().is_paid());
    match event.confirm(&client).await.unwrap() {
        Confirmed::PaymentSession(fresh) => assert!(!fresh.is_paid()),
        other => panic!("{other:?}"),
    }

    // The real thing: the shopper pays and the gateway notifies.
    assert!(mock.complete_payment(&session.id));
    let request = mock
        .notification(&session.id, EventType::PaymentPaid)
        .unwrap();
    let event = verifier.verify(&request).unwrap();
    match event.confirm(&client).await.unwrap() {
        Confirmed::PaymentSession(fresh) => {
            assert!(fresh.is_paid());
            assert_eq!(fresh.id, session.id);
        }
        other => panic!("{other:?}"),
    }
}
