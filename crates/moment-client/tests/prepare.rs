//! `prepare_*` gives the exact request each operation sends: the mock gateway receives, header
//! for header and byte for byte, what `prepare_*` returned (with a fixed idempotency key).
#![allow(clippy::unwrap_used, clippy::panic)]

use moment_client::testing::{Credentials, MOCK_SECRET_KEY, MockGateway, RecordedRequest};
use moment_client::{
    CaptureMethod, CapturePayment, Client, CreatePaymentSession, Error, PaymentOutcome, VoidPayment,
};
use serde_json::Value;

const KEY: &str = "8d0f7c1e-2b4a-4f6e-9a3c-5e7b1d9f0a2c";

fn fixture_json(name: &str) -> Value {
    let path = format!(
        "{}/../../fixtures/moment/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn fixed_key_client(mock: &MockGateway) -> Client {
    mock.client_builder()
        .idempotency_key_generator(|| KEY.to_owned())
        .build()
        .unwrap()
}

/// The request the mock received is exactly the prepared one: method, URL, every header
/// (the mock sees `host` in addition, which the HTTP client derives from the URL), body bytes.
fn assert_sent(mock: &MockGateway, prepared: &http::Request<Vec<u8>>, received: &RecordedRequest) {
    assert_eq!(received.method(), prepared.method().as_str());
    let url = match received.query() {
        Some(query) => format!("{}{}?{query}", mock.base_url(), received.path()),
        None => format!("{}{}", mock.base_url(), received.path()),
    };
    assert_eq!(url, prepared.uri().to_string());
    let mut sent: Vec<(String, String)> = prepared
        .headers()
        .iter()
        .map(|(name, value)| (name.as_str().to_owned(), value.to_str().unwrap().to_owned()))
        .collect();
    sent.sort();
    let mut got: Vec<(String, String)> = received
        .headers()
        .filter(|(name, _)| *name != "host")
        .map(|(n, v)| (n.to_owned(), v.to_owned()))
        .collect();
    got.sort();
    assert_eq!(got, sent);
    assert_eq!(received.body(), prepared.body().as_slice());
}

#[tokio::test]
async fn every_operation_sends_exactly_what_prepare_returns() {
    let mock = MockGateway::start().await;
    let client = fixed_key_client(&mock);

    let create =
        CreatePaymentSession::for_sdk(10_000, "ZAR", "yourapp://checkout?session_id={SESSION_ID}");
    let prepared = client
        .prepare_create_payment_session(&create)
        .await
        .unwrap();
    // The body is the documented request of the SDK backend.
    assert_eq!(
        serde_json::from_slice::<Value>(prepared.body()).unwrap(),
        fixture_json("sdk-create-session-request")
    );
    let session = client.create_payment_session(&create).await.unwrap();
    assert_sent(&mock, &prepared, mock.requests().last().unwrap());
    // The SDK helper sends the same create.
    let checkout = client.prepare_create_checkout_token(&create).await.unwrap();
    assert_eq!(checkout.uri(), prepared.uri());
    assert_eq!(checkout.headers(), prepared.headers());
    assert_eq!(checkout.body(), prepared.body());

    let prepared = client
        .prepare_retrieve_payment_session(&session.id)
        .await
        .unwrap();
    client.retrieve_payment_session(&session.id).await.unwrap();
    assert_sent(&mock, &prepared, mock.requests().last().unwrap());
    client.checkout_status(&session.id).await.unwrap();
    assert_sent(
        &mock,
        &client.prepare_checkout_status(&session.id).await.unwrap(),
        mock.requests().last().unwrap(),
    );

    // A manual-capture payment to capture and void.
    let manual = CreatePaymentSession::new(10_000, "ZAR")
        .capture_method(CaptureMethod::Manual)
        .idempotency_key("create-order-9");
    let session = client.create_payment_session(&manual).await.unwrap();
    let payment_id = mock
        .complete_session(&session.id, PaymentOutcome::Reserved)
        .unwrap();

    let prepared = client.prepare_retrieve_payment(&payment_id).await.unwrap();
    client.retrieve_payment(&payment_id).await.unwrap();
    assert_sent(&mock, &prepared, mock.requests().last().unwrap());

    // Each POST needs its own key: the fixed one is spent on the first create.
    let capture = CapturePayment::partial(4_000)
        .metadata("shipment", "1 of 2")
        .idempotency_key("capture-order-9");
    let prepared = client
        .prepare_capture_payment(&payment_id, &capture)
        .await
        .unwrap();
    assert_eq!(
        prepared.body(),
        br#"{"amount":4000,"metadata":{"shipment":"1 of 2"}}"#
    );
    client.capture_payment(&payment_id, &capture).await.unwrap();
    assert_sent(&mock, &prepared, mock.requests().last().unwrap());

    // A void without metadata has no body and says so with `Content-Length: 0`.
    let void = VoidPayment::new().idempotency_key("void-order-9");
    let prepared = client
        .prepare_void_payment(&payment_id, &void)
        .await
        .unwrap();
    assert!(prepared.body().is_empty());
    assert_eq!(prepared.headers()["content-length"], "0");
    client.void_payment(&payment_id, &void).await.unwrap();
    assert_sent(&mock, &prepared, mock.requests().last().unwrap());

    // With metadata, a body and its type.
    let session = client
        .create_payment_session(&manual.clone().idempotency_key("create-order-10"))
        .await
        .unwrap();
    let payment_id = mock
        .complete_session(&session.id, PaymentOutcome::Reserved)
        .unwrap();
    let void = VoidPayment::new()
        .metadata("reason", "out_of_stock")
        .idempotency_key("void-order-10");
    let prepared = client
        .prepare_void_payment(&payment_id, &void)
        .await
        .unwrap();
    assert_eq!(
        prepared.body(),
        br#"{"metadata":{"reason":"out_of_stock"}}"#
    );
    client.void_payment(&payment_id, &void).await.unwrap();
    assert_sent(&mock, &prepared, mock.requests().last().unwrap());
}

#[tokio::test]
async fn a_retry_sends_the_prepared_request_again() {
    let mock = MockGateway::start().await;
    let client = fixed_key_client(&mock);
    mock.script(
        moment_client::Operation::CreatePaymentSession,
        moment_client::testing::Outcome::status(503),
    );
    let create = CreatePaymentSession::new(10_000, "ZAR");
    let prepared = client
        .prepare_create_payment_session(&create)
        .await
        .unwrap();
    client.create_payment_session(&create).await.unwrap();
    let requests = mock.requests();
    assert_eq!(requests.len(), 2);
    for received in &requests {
        assert_sent(&mock, &prepared, received);
    }
}

/// The prepared create, as a user's snapshot test would record it.
#[tokio::test]
async fn the_prepared_create_is_a_reviewable_snapshot() {
    let client = Client::builder("sk_test_4eC39HqLyjWDarjtT1zdp7dc")
        .idempotency_key_generator(|| KEY.to_owned())
        .user_agent_suffix("shop-backend/2.1")
        .build()
        .unwrap();
    let request =
        CreatePaymentSession::for_sdk(10_000, "ZAR", "yourapp://checkout?session_id={SESSION_ID}")
            .external_reference("order_12345");
    let prepared = client
        .prepare_create_payment_session(&request)
        .await
        .unwrap();
    let printed = format!("{prepared:?}");
    assert!(!printed.contains("4eC39"), "{printed}");
    let headers: Vec<String> = prepared
        .headers()
        .iter()
        .map(|(name, value)| {
            let value = if value.is_sensitive() {
                "[sensitive]"
            } else {
                value.to_str().unwrap()
            };
            format!("{name}: {value}")
        })
        .collect();
    // The version in the User-Agent changes with every release; check it here, not in the
    // snapshot.
    let user_agent = format!(
        "moment-client/{} shop-backend/2.1",
        env!("CARGO_PKG_VERSION")
    );
    assert_eq!(prepared.headers()["user-agent"], user_agent.as_str());
    let headers: Vec<String> = headers
        .into_iter()
        .map(|h| h.replace(env!("CARGO_PKG_VERSION"), "<version>"))
        .collect();
    insta::assert_debug_snapshot!((
        prepared.method().as_str(),
        prepared.uri().to_string(),
        headers,
        String::from_utf8(prepared.body().clone()).unwrap(),
    ));
    // The sensitive header is the bearer key.
    assert_eq!(
        prepared.headers()["authorization"],
        "Bearer sk_test_4eC39HqLyjWDarjtT1zdp7dc"
    );
}

#[tokio::test]
async fn prepare_validates_like_the_operation() {
    let client = Client::builder("sk_test_4eC39HqLyjWDarjtT1zdp7dc")
        .build()
        .unwrap();
    let bad = CreatePaymentSession::new(100, "RAND");
    assert!(matches!(
        client.prepare_create_payment_session(&bad).await,
        Err(Error::InvalidRequest { .. })
    ));
    assert!(matches!(
        client.prepare_retrieve_payment(" ").await,
        Err(Error::InvalidRequest { .. })
    ));
    assert!(matches!(
        client
            .prepare_capture_payment("pay_1", &CapturePayment::partial(0))
            .await,
        Err(Error::InvalidRequest { .. })
    ));
    // Without a fixed key, each prepare takes a new one (a new logical request).
    let create = CreatePaymentSession::new(100, "ZAR");
    let first = client
        .prepare_create_payment_session(&create)
        .await
        .unwrap();
    let second = client
        .prepare_create_payment_session(&create)
        .await
        .unwrap();
    assert_ne!(
        first.headers()["idempotency-key"],
        second.headers()["idempotency-key"]
    );
}

#[tokio::test]
async fn a_mock_started_with_other_credentials_accepts_only_them() {
    let credentials = Credentials::new(
        "sk_test_RECOGNISABLE_secret_key_0123",
        "whsec_UkVDT0dOSVNBQkxFIHdlYmhvb2sgc2VjcmV0",
    );
    let mock = MockGateway::start_with(credentials).await;
    let session = mock
        .client()
        .retrieve_payment_session("ps_kfAWZgfQIoeG0q")
        .await
        .unwrap();
    assert_eq!(session.id, "ps_kfAWZgfQIoeG0q");
    assert_eq!(
        mock.requests()[0].header("authorization"),
        Some("Bearer sk_test_RECOGNISABLE_secret_key_0123")
    );
    // The default key is refused.
    let other = Client::builder(MOCK_SECRET_KEY)
        .base_url(mock.base_url())
        .build()
        .unwrap();
    let error = other
        .retrieve_payment_session("ps_kfAWZgfQIoeG0q")
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(http::StatusCode::UNAUTHORIZED));
    // Events are signed with the chosen webhook secret.
    let event = mock
        .signed_event(
            moment_client::EventType::PaymentSessionUpdated,
            "ps_kfAWZgfQIoeG0q",
            std::time::SystemTime::now(),
        )
        .unwrap();
    let verifier =
        moment_client::webhook::Verifier::new(mock.credentials().webhook_secret()).unwrap();
    assert!(verifier.verify(&event).is_ok());
    let default = moment_client::webhook::Verifier::new(&moment_client::SecretString::from(
        moment_client::testing::MOCK_WEBHOOK_SECRET,
    ))
    .unwrap();
    assert!(matches!(default.verify(&event), Err(Error::Webhook(_))));
    let printed = format!("{:?} {:?} {mock:?}", mock.credentials(), mock.requests());
    assert!(!printed.contains("RECOGNISABLE"), "{printed}");
}
