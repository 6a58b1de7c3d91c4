//! The documented examples (`fixtures/flitt/`): every request is rebuilt with the typed API and
//! compared with the document, every response and error decodes, and signatures are checked
//! against the published values.
#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]

mod common;

use common::{MERCHANT_ID, Recorder, SECRET, fixture, fixture_json, resign, signed_response};
use flitt_client::model::recurring::RecurringRequest;
use flitt_client::{Currency, Error, ErrorCode, OrderStatus};
use serde_json::Value;

/// The "Accept payment with saved card" request example, built with the typed API.
fn seed_request() -> RecurringRequest {
    RecurringRequest::new(
        "test_12343242",
        "Test order",
        1000,
        Currency::GEL,
        "JcZoqYNosx1HjDoHXWlFU0avVnzYsFAbLBbA",
    )
    .server_callback_url("https://myserver.com/callback")
}

/// The signature the notes give for that request with the test key (the document prints a
/// stale value; see docs/providers/flitt.md).
const SEED_REQUEST_SIGNATURE: &str = "8ec1947a09cba99c7db3e62b79d08e0406199132";

#[tokio::test]
async fn seed_request_example_is_rebuilt_and_signed_with_the_corrected_signature() {
    let recorder = Recorder::start().await;
    recorder.answer(
        200,
        signed_response(
            SECRET,
            fixture_json("recurring-response")["response"].clone(),
        ),
    );
    let client = recorder.client();
    client.recurring(&seed_request()).await.unwrap();

    let seen = recorder.requests();
    assert_eq!(seen.len(), 1);
    let sent = seen[0].request();
    // The signature is the corrected one…
    assert_eq!(sent["signature"], SEED_REQUEST_SIGNATURE);
    // …and, independently, the test key over the fields sent gives it too.
    assert_eq!(
        common::flitt_signature(SECRET, sent),
        SEED_REQUEST_SIGNATURE
    );
    // Every other field is the document's, with the document's JSON types.
    let mut documented = fixture_json("recurring-request")["request"]
        .as_object()
        .unwrap()
        .clone();
    assert_eq!(
        documented.remove("signature").unwrap(),
        "0c0c2374c73267e7be560d80834e4ba28ccda7aa"
    );
    let mut ours = sent.clone();
    ours.remove("signature");
    assert_eq!(ours, documented);

    insta::assert_json_snapshot!("seed_recurring_request", seen[0]);
}

#[tokio::test]
async fn published_recurring_vector_r1_request_signs_to_its_published_signature() {
    let recorder = Recorder::start().await;
    recorder.answer(200, fixture_wrapped_r1_response());
    let request = RecurringRequest::new(
        "test_recurring_payment123",
        "Debit by token transaction",
        4600,
        Currency::GEL,
        "I0wh7fBmFIdcY6K3Px2QugVrVR65sPafeZkPmRanOiRnXG",
    );
    recorder.client().recurring(&request).await.unwrap();
    let sent = recorder.requests()[0].request().clone();
    let published = fixture_json("r1-recurring-request")["request"]
        .as_object()
        .unwrap()
        .clone();
    assert_eq!(sent["signature"], published["signature"]);
    assert_eq!(
        sent["signature"],
        "34cda2e7a60c5aee343515fde5deef5403f87f86"
    );
    // The same fields, compared as text (the example sends `amount` as a string, we as a number).
    let as_text = |m: &serde_json::Map<String, Value>| -> Vec<(String, String)> {
        m.iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    v.as_str()
                        .map(str::to_owned)
                        .unwrap_or_else(|| v.to_string()),
                )
            })
            .collect()
    };
    assert_eq!(as_text(&sent), as_text(&published));
    insta::assert_json_snapshot!("r1_recurring_request", recorder.requests()[0]);
}

/// R1-resp, as published, in the API's envelope.
fn fixture_wrapped_r1_response() -> String {
    format!(
        "{{\"response\": {}}}",
        fixture("r1-recurring-response-fields").trim()
    )
}

#[tokio::test]
async fn published_recurring_vector_r1_response_verifies_over_every_field() {
    let recorder = Recorder::start().await;
    // Served byte for byte: numbers, `0.0` inside additional_info and all.
    recorder.answer(200, fixture_wrapped_r1_response());
    let request = RecurringRequest::new(
        "test_recurring_payment123",
        "Debit by token transaction",
        4600,
        Currency::GEL,
        "I0wh7fBmFIdcY6K3Px2QugVrVR65sPafeZkPmRanOiRnXG",
    );
    let order = recorder.client().recurring(&request).await.unwrap();
    assert!(order.is_approved());
    assert_eq!(order.amount, Some(4600));
    assert_eq!(order.merchant_id, Some(MERCHANT_ID));
    let info = order.additional_info.as_ref().unwrap();
    assert_eq!(info.transaction_id, Some(2_025_817_355));
    assert_eq!(info.is_test, Some(true));
    insta::assert_debug_snapshot!("r1_recurring_response", order);
}

#[tokio::test]
async fn r1_response_with_one_field_changed_is_rejected() {
    let body = fixture_wrapped_r1_response().replace(
        "\"approval_code\": \"418900\"",
        "\"approval_code\": \"418901\"",
    );
    let recorder = Recorder::start().await;
    recorder.answer(200, body);
    let request = RecurringRequest::new(
        "test_recurring_payment123",
        "Debit by token transaction",
        4600,
        Currency::GEL,
        "I0wh7fBmFIdcY6K3Px2QugVrVR65sPafeZkPmRanOiRnXG",
    );
    let err = recorder.client().recurring(&request).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Signature {
                problem: "does not match",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.may_have_been_processed());
}

#[tokio::test]
async fn seed_response_example_keeps_its_placeholder_signature_which_is_rejected() {
    let recorder = Recorder::start().await;
    recorder.answer(200, fixture("recurring-response"));
    let err = recorder
        .client()
        .recurring(&seed_request())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Signature { .. }), "{err:?}");
    // A charge that ends like this may have happened: reconcile.
    assert!(err.may_have_been_processed());
}

#[tokio::test]
async fn seed_response_example_decodes_into_a_typed_order() {
    // The document's body with a valid signature for it (computed here independently).
    let documented = fixture_json("recurring-response");
    let body = signed_response(SECRET, documented["response"].clone());
    let recorder = Recorder::start().await;
    recorder.answer(200, body);
    let order = recorder.client().recurring(&seed_request()).await.unwrap();
    assert_eq!(order.order_id, "test_12343242");
    assert_eq!(order.order_status, OrderStatus::Approved);
    assert_eq!(order.amount, Some(1000));
    assert_eq!(order.payment_id, Some(805_243_692));
    assert_eq!(order.card_bin, Some(444_455));
    assert_eq!(order.fee, None);
    assert_eq!(order.fee_oplata, Some(0));
    let info = order.additional_info.as_ref().unwrap();
    assert_eq!(info.reservation_data, Some(Value::String("{}".into())));
    assert_eq!(info.version_3ds, Some(1));
    insta::assert_debug_snapshot!("seed_recurring_response", order);
}

#[tokio::test]
async fn seed_error_example_is_a_provider_error_with_its_code() {
    let recorder = Recorder::start().await;
    recorder.answer(200, fixture("recurring-error-response"));
    let err = recorder
        .client()
        .recurring(&seed_request())
        .await
        .unwrap_err();
    assert_eq!(err.error_code(), Some(ErrorCode::ParameterMissing));
    // The code as Flitt sent it (a JSON number in the document).
    assert_eq!(err.provider_code(), Some("1011"));
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    assert!(!err.may_have_been_processed());
    assert!(!err.is_retryable());
    let Error::Provider(details) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(details.message, "Parameter `amount` is missing");
    assert_eq!(details.request_id.as_deref(), Some("5htKi0wf7zEHn"));
    insta::assert_snapshot!("seed_error_response", err.to_string());
}

#[test]
fn every_documented_json_example_parses() {
    for name in [
        "recurring-request",
        "recurring-response",
        "recurring-error-response",
        "r1-recurring-request",
        "r1-recurring-response-fields",
    ] {
        let value = fixture_json(name);
        assert!(value.is_object(), "{name}");
    }
    // The published R1 response signature is valid for its fields (independent check).
    let r1 = fixture_json("r1-recurring-response-fields");
    let map = r1.as_object().unwrap().clone();
    assert_eq!(
        common::flitt_signature(SECRET, &map),
        "bb62bd1236695ba6f2252d1cec18ce04d2005559"
    );
    assert_eq!(resign(SECRET, map.clone())["signature"], map["signature"]);
}
