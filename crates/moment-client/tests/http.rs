//! End to end against the mock gateway on loopback: every operation, idempotent retries, error
//! kinds, bad bodies, and secrets kept out of logs and errors.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::fmt::Debug;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use moment_client::testing::{MOCK_SECRET_KEY, MockGateway, Operation, Outcome, RecordedRequest};
use moment_client::{
    CaptureMethod, CapturePayment, CheckoutOutcome, Client, CreatePaymentSession, Error,
    PaymentOutcome, PaymentStatus, ProviderErrorKind, SessionStatus, SessionType, VoidPayment,
};
use serde_json::{Value, json};

fn fixture_json(name: &str) -> Value {
    let path = format!(
        "{}/../../fixtures/moment/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn sdk_request() -> CreatePaymentSession {
    CreatePaymentSession::for_sdk(10_000, "ZAR", "yourapp://checkout?session_id={SESSION_ID}")
}

/// The parts of a recorded request that do not depend on the mock's port.
#[derive(Debug)]
#[allow(dead_code)] // read through Debug by the snapshots
struct WireRequest {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Option<Value>,
}

fn wire(request: &RecordedRequest) -> WireRequest {
    WireRequest {
        method: request.method().to_owned(),
        path: request.path().to_owned(),
        headers: request
            .headers()
            .filter(|(name, _)| *name != "host")
            .map(|(n, v)| {
                // The key is the mock's: check it, keep it out of the snapshot.
                let v = if n == "authorization" {
                    assert_eq!(v, format!("Bearer {MOCK_SECRET_KEY}"));
                    "Bearer [REDACTED]"
                } else {
                    v
                };
                (n.to_owned(), v.to_owned())
            })
            .collect(),
        body: request.json(),
    }
}

fn provider_error<T: Debug>(result: Result<T, Error>) -> moment_client::ProviderError {
    match result {
        Err(Error::Provider(e)) => *e,
        other => panic!("expected a provider error, got {other:?}"),
    }
}

fn decode_error<T: Debug>(result: Result<T, Error>) -> moment_client::DecodeError {
    match result {
        Err(Error::Decode(e)) => *e,
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn create_session_sends_the_documented_request() {
    let mock = MockGateway::start().await;
    let client = mock
        .client_builder()
        .idempotency_key_generator(|| "0b6c3f9e-4a51-4c8e-9d7a-2f1e5b8c7a60".to_owned())
        .build()
        .unwrap();
    let created = client.create_payment_session(&sdk_request()).await.unwrap();
    assert_eq!(created.status(), http::StatusCode::CREATED);
    assert!(!created.replayed());
    assert_eq!(
        created.idempotency_key(),
        "0b6c3f9e-4a51-4c8e-9d7a-2f1e5b8c7a60"
    );

    let requests = mock.requests();
    assert_eq!(requests.len(), 1);
    let sent = &requests[0];
    assert_eq!(sent.method(), "POST");
    assert_eq!(sent.path(), "/collect/payment_sessions");
    assert_eq!(
        sent.json().unwrap(),
        fixture_json("sdk-create-session-request")
    );
    assert_eq!(
        sent.idempotency_key(),
        Some("0b6c3f9e-4a51-4c8e-9d7a-2f1e5b8c7a60")
    );
    assert_eq!(sent.header("content-type"), Some("application/json"));
    assert_eq!(
        sent.header("user-agent"),
        Some(concat!("moment-client/", env!("CARGO_PKG_VERSION")))
    );
    insta::assert_debug_snapshot!(wire(sent));

    let session = created.into_inner();
    assert_eq!(session.amount, Some(10_000));
    assert_eq!(session.session_type, Some(SessionType::OneTime));
    assert_eq!(session.status, Some(SessionStatus::Active));
    assert_eq!(
        session.client_token.as_ref().unwrap().expose_secret(),
        "ct_mock_000001_client_token"
    );
    insta::assert_debug_snapshot!(session);
}

#[tokio::test]
async fn generated_idempotency_keys_are_uuid_v4() {
    let mock = MockGateway::start().await;
    let client = mock.client();
    let first = client.create_payment_session(&sdk_request()).await.unwrap();
    let second = client.create_payment_session(&sdk_request()).await.unwrap();
    let key = uuid::Uuid::parse_str(first.idempotency_key()).unwrap();
    assert_eq!(key.get_version_num(), 4);
    assert_ne!(first.idempotency_key(), second.idempotency_key());
    assert_ne!(first.id, second.id);
    assert_eq!(mock.sessions_created(), 2);
}

#[tokio::test]
async fn a_create_that_meets_a_503_is_retried_once_with_the_same_key() {
    let mock = MockGateway::start().await;
    mock.script(Operation::CreatePaymentSession, Outcome::status(503));
    let created = mock
        .client()
        .create_payment_session(&sdk_request())
        .await
        .unwrap();
    let requests = mock.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[0].idempotency_key(),
        Some(created.idempotency_key())
    );
    assert_eq!(
        requests[1].idempotency_key(),
        Some(created.idempotency_key())
    );
    assert_eq!(requests[0].body(), requests[1].body());
    assert_eq!(mock.sessions_created(), 1);
}

#[tokio::test]
async fn a_timed_out_create_is_retried_and_replayed_not_duplicated() {
    let mock = MockGateway::start().await;
    let client = mock
        .client_builder()
        .timeout(Duration::from_millis(400))
        .build()
        .unwrap();
    // The first attempt is processed, but only after the client gave up on it.
    mock.script(
        Operation::CreatePaymentSession,
        Outcome::delay(Duration::from_millis(600)),
    );
    let created = client.create_payment_session(&sdk_request()).await.unwrap();
    assert!(created.replayed(), "the retry gets the stored answer");
    assert_eq!(mock.sessions_created(), 1);
    let keys: Vec<_> = mock
        .requests()
        .iter()
        .map(|r| r.idempotency_key().map(str::to_owned))
        .collect();
    assert!(keys.len() >= 2);
    assert!(
        keys.iter()
            .all(|k| k.as_deref() == Some(created.idempotency_key()))
    );
}

#[tokio::test]
async fn a_timeout_without_retries_is_ambiguous() {
    let mock = MockGateway::start().await;
    let client = mock
        .client_builder()
        .timeout(Duration::from_millis(200))
        .max_retries(0)
        .build()
        .unwrap();
    mock.script(
        Operation::CreatePaymentSession,
        Outcome::delay(Duration::from_millis(500)),
    );
    let request = sdk_request().idempotency_key("order-42-create");
    let error = client.create_payment_session(&request).await.unwrap_err();
    assert!(matches!(error, Error::Ambiguous { .. }), "{error:?}");
    assert!(error.may_have_been_processed());
    assert!(error.is_retryable());
    assert_eq!(error.idempotency_key(), Some("order-42-create"));
    // Retrying with the same key later gets the session the first request created.
    tokio::time::sleep(Duration::from_millis(400)).await;
    let retried = mock
        .client()
        .create_payment_session(&request)
        .await
        .unwrap();
    assert!(retried.replayed());
    assert_eq!(mock.sessions_created(), 1);
}

#[tokio::test]
async fn a_publishable_key_never_reaches_the_network() {
    let mock = MockGateway::start().await;
    for key in ["pk_test_abc123", "pk_live_abc123"] {
        let error = Client::builder(key)
            .base_url(mock.base_url())
            .build()
            .unwrap_err();
        match &error {
            Error::Config { message } => {
                assert!(message.contains("publishable"), "{message}")
            }
            other => panic!("{other:?}"),
        }
        assert!(!error.to_string().contains("abc123"));
    }
    assert_eq!(mock.requests().len(), 0);
}

#[tokio::test]
async fn the_key_decides_the_mode() {
    let mock = MockGateway::start().await;
    assert_eq!(mock.client().mode(), moment_client::KeyMode::Test);
    let live = Client::builder("sk_live_abc").build().unwrap();
    assert_eq!(live.mode(), moment_client::KeyMode::Live);
    assert_eq!(live.base_url(), "https://api.momentpay.net/");
}

#[tokio::test]
async fn the_sdk_flow_maps_sessions_to_the_four_outcomes() {
    let mock = MockGateway::start().await;
    let client = mock.client();

    let token = client.create_checkout_token(&sdk_request()).await.unwrap();
    assert_eq!(
        token.sdk_response(),
        json!({ "client_token": "ct_mock_000001_client_token" })
    );
    assert_eq!(
        client
            .checkout_status(&token.session_id)
            .await
            .unwrap()
            .outcome,
        CheckoutOutcome::Pending
    );

    mock.complete_session(&token.session_id, PaymentOutcome::Paid)
        .unwrap();
    let status = client.checkout_status(&token.session_id).await.unwrap();
    assert_eq!(status.outcome, CheckoutOutcome::Completed);
    let payment_id = status.session.payment_id.clone().unwrap();
    assert_eq!(
        status.sdk_response(),
        json!({ "status": "completed", "session_id": token.session_id, "payment_outcome": "paid", "payment_id": payment_id })
    );

    let failed = client.create_checkout_token(&sdk_request()).await.unwrap();
    mock.complete_session(&failed.session_id, PaymentOutcome::Unpaid)
        .unwrap();
    let status = client.checkout_status(&failed.session_id).await.unwrap();
    assert_eq!(status.outcome, CheckoutOutcome::Failed);
    assert_eq!(status.session.status, Some(SessionStatus::Completed));
    assert_eq!(
        status.sdk_response()["message"],
        "The card was declined due to insufficient funds."
    );

    let expired = client.create_checkout_token(&sdk_request()).await.unwrap();
    mock.set_session_state(
        &expired.session_id,
        SessionStatus::Expired,
        Some(PaymentOutcome::Unpaid),
    );
    assert_eq!(
        client
            .checkout_status(&expired.session_id)
            .await
            .unwrap()
            .outcome,
        CheckoutOutcome::Expired
    );

    let cancelled = client.create_checkout_token(&sdk_request()).await.unwrap();
    mock.set_session_state(
        &cancelled.session_id,
        SessionStatus::Cancelled,
        Some(PaymentOutcome::Unpaid),
    );
    assert_eq!(
        client
            .checkout_status(&cancelled.session_id)
            .await
            .unwrap()
            .outcome,
        CheckoutOutcome::Cancelled
    );

    // Completed with an outcome this crate does not know: never a success.
    let odd = client.create_checkout_token(&sdk_request()).await.unwrap();
    mock.set_session_state(
        &odd.session_id,
        SessionStatus::Completed,
        Some(PaymentOutcome::Unknown("settling".into())),
    );
    let status = client.checkout_status(&odd.session_id).await.unwrap();
    assert_eq!(status.outcome, CheckoutOutcome::Pending);
    assert!(!status.outcome.is_success());
    assert!(!status.session.is_paid());
}

#[tokio::test]
async fn a_session_without_client_token_is_reported_as_processed() {
    let mock = MockGateway::start().await;
    mock.script(
        Operation::CreatePaymentSession,
        Outcome::raw(
            201,
            Some("application/json"),
            r#"{"id": "ps_1", "status": "active"}"#,
        ),
    );
    let error = mock
        .client()
        .create_checkout_token(&sdk_request())
        .await
        .unwrap_err();
    assert!(error.may_have_been_processed());
    let decode = decode_error::<()>(Err(error));
    assert_eq!(decode.path(), "client_token");
}

#[tokio::test]
async fn documented_objects_are_retrieved() {
    let mock = MockGateway::start().await;
    let client = mock.client();
    let session = client
        .retrieve_payment_session("ps_kfAWZgfQIoeG0q")
        .await
        .unwrap();
    assert_eq!(session.external_reference.as_deref(), Some("INV-2024-001"));
    let payment = client
        .retrieve_payment("pay_rOaZNqKZMFxsRb2NBL1cj")
        .await
        .unwrap();
    assert_eq!(payment.amount, Some(100_001));
    assert_eq!(payment.status, Some(PaymentStatus::Succeeded));
    let requests = mock.requests();
    assert_eq!(requests[0].method(), "GET");
    assert_eq!(
        requests[0].path(),
        "/collect/payment_sessions/ps_kfAWZgfQIoeG0q"
    );
    assert_eq!(requests[0].idempotency_key(), None);
    assert_eq!(
        requests[0].header("authorization"),
        Some(format!("Bearer {MOCK_SECRET_KEY}").as_str())
    );
    // The recorded request shows the key only to comparisons, never in Debug.
    assert!(!format!("{:?}", requests[0]).contains(MOCK_SECRET_KEY));
    assert_eq!(
        requests[1].path(),
        "/collect/payments/pay_rOaZNqKZMFxsRb2NBL1cj"
    );
    assert_eq!(requests[1].body(), b"");
}

#[tokio::test]
async fn manual_capture_partial_full_and_void() {
    let mock = MockGateway::start().await;
    let client = mock
        .client_builder()
        .idempotency_key_generator({
            let n = Arc::new(Mutex::new(0));
            move || {
                let mut n = n.lock().unwrap();
                *n += 1;
                format!("fixed-key-{n}")
            }
        })
        .build()
        .unwrap();
    let request = CreatePaymentSession::new(10_000, "ZAR").capture_method(CaptureMethod::Manual);
    let session = client.create_payment_session(&request).await.unwrap();
    let payment_id = mock
        .complete_session(&session.id, PaymentOutcome::Paid)
        .unwrap();
    let status = client.checkout_status(&session.id).await.unwrap();
    assert_eq!(status.session.outcome(), Some(PaymentOutcome::Reserved));
    assert_eq!(status.outcome, CheckoutOutcome::Completed);

    let payment = client.retrieve_payment(&payment_id).await.unwrap();
    assert_eq!(payment.capture_method, Some(CaptureMethod::Manual));
    assert_eq!(payment.paid_amount, Some(0));
    assert_eq!(payment.capturable_amount(), Some(10_000));

    let partial = client
        .capture_payment(
            &payment_id,
            &CapturePayment::partial(4_000).idempotency_key("capture_order_123"),
        )
        .await
        .unwrap();
    assert_eq!(partial.paid_amount, Some(4_000));
    assert_eq!(partial.capturable_amount(), Some(6_000));
    assert_eq!(partial.idempotency_key(), "capture_order_123");

    let rest = client
        .capture_payment(&payment_id, &CapturePayment::full())
        .await
        .unwrap();
    assert_eq!(rest.paid_amount, Some(10_000));
    assert_eq!(rest.capturable_amount(), Some(0));

    let requests = mock.requests();
    let captures: Vec<_> = requests
        .iter()
        .filter(|r| r.operation() == Some(Operation::CapturePayment))
        .collect();
    assert_eq!(captures.len(), 2);
    assert_eq!(captures[0].json(), Some(json!({ "amount": 4000 })));
    assert_eq!(captures[0].idempotency_key(), Some("capture_order_123"));
    assert_eq!(captures[1].json(), Some(json!({})));
    insta::assert_debug_snapshot!(captures.iter().copied().map(wire).collect::<Vec<_>>());

    // A second authorisation, partly captured then voided.
    let session = client.create_payment_session(&request).await.unwrap();
    let payment_id = mock
        .complete_session(&session.id, PaymentOutcome::Reserved)
        .unwrap();
    client
        .capture_payment(&payment_id, &CapturePayment::partial(2_500))
        .await
        .unwrap();
    let voided = client
        .void_payment(&payment_id, &VoidPayment::new())
        .await
        .unwrap();
    assert_eq!(voided.voided_amount, Some(7_500));
    assert_eq!(voided.paid_amount, Some(2_500));
    let void_request = mock
        .requests()
        .into_iter()
        .find(|r| r.operation() == Some(Operation::VoidPayment))
        .unwrap();
    assert_eq!(void_request.body(), b"");
    assert_eq!(void_request.header("content-type"), None);
    assert_eq!(
        void_request.path(),
        format!("/collect/payments/{payment_id}/voids")
    );
    insta::assert_debug_snapshot!(wire(&void_request));

    // With metadata, the void has a body.
    let session = client.create_payment_session(&request).await.unwrap();
    let payment_id = mock
        .complete_session(&session.id, PaymentOutcome::Reserved)
        .unwrap();
    let voided = client
        .void_payment(
            &payment_id,
            &VoidPayment::new().metadata("reason", "out_of_stock"),
        )
        .await
        .unwrap();
    assert_eq!(voided.status, Some(PaymentStatus::Cancelled));
    let last = mock.requests().pop().unwrap();
    assert_eq!(
        last.json(),
        Some(json!({ "metadata": { "reason": "out_of_stock" } }))
    );
}

#[tokio::test]
async fn capturing_an_expired_authorisation_is_its_own_conflict() {
    let mock = MockGateway::start().await;
    let client = mock.client();
    let request = CreatePaymentSession::new(10_000, "ZAR").capture_method(CaptureMethod::Manual);
    let session = client.create_payment_session(&request).await.unwrap();
    let payment_id = mock
        .complete_session(&session.id, PaymentOutcome::Reserved)
        .unwrap();
    mock.expire_authorisation(&payment_id);
    let error = provider_error(
        client
            .capture_payment(&payment_id, &CapturePayment::full())
            .await,
    );
    assert_eq!(error.status(), http::StatusCode::CONFLICT);
    assert_eq!(error.kind(), ProviderErrorKind::AuthorizationExpired);
    assert!(!error.may_have_been_processed());
    assert!(!error.is_retryable());
    assert_eq!(mock.hits(Operation::CapturePayment), 1);
}

#[tokio::test]
async fn a_reused_idempotency_key_is_replayed_or_a_conflict() {
    let mock = MockGateway::start().await;
    let client = mock.client();
    let request = sdk_request().idempotency_key("order-7");
    let first = client.create_payment_session(&request).await.unwrap();
    let again = client.create_payment_session(&request).await.unwrap();
    assert!(!first.replayed());
    assert!(again.replayed());
    assert_eq!(first.id, again.id);
    assert_eq!(mock.sessions_created(), 1);

    let different = CreatePaymentSession::new(99, "ZAR").idempotency_key("order-7");
    let result = client.create_payment_session(&different).await;
    let error = result.as_ref().unwrap_err();
    assert_eq!(error.status(), Some(http::StatusCode::CONFLICT));
    assert_eq!(error.provider_code(), Some("conflict"));
    assert!(error.may_have_been_processed());
    assert_eq!(error.idempotency_key(), Some("order-7"));
    let error = provider_error(result);
    assert_eq!(error.kind(), ProviderErrorKind::IdempotencyConflict);

    // Also on a capture: the key, not the authorisation, is the conflict.
    let manual = CreatePaymentSession::new(10_000, "ZAR").capture_method(CaptureMethod::Manual);
    let session = client.create_payment_session(&manual).await.unwrap();
    let payment_id = mock
        .complete_session(&session.id, PaymentOutcome::Reserved)
        .unwrap();
    let capture = CapturePayment::partial(1_000).idempotency_key("capture-1");
    client.capture_payment(&payment_id, &capture).await.unwrap();
    let replay = client.capture_payment(&payment_id, &capture).await.unwrap();
    assert!(replay.replayed());
    assert_eq!(
        replay.paid_amount,
        Some(1_000),
        "the replay captured nothing more"
    );
    let other = CapturePayment::partial(2_000).idempotency_key("capture-1");
    let error = provider_error(client.capture_payment(&payment_id, &other).await);
    assert_eq!(error.kind(), ProviderErrorKind::IdempotencyConflict);
}

#[tokio::test]
async fn problem_details_become_provider_errors() {
    let mock = MockGateway::start().await;
    let result = mock
        .client()
        .retrieve_payment_session("ps_36dED4m12MLxn48BUrn4R")
        .await;
    let error = result.as_ref().unwrap_err();
    assert_eq!(error.status(), Some(http::StatusCode::NOT_FOUND));
    assert_eq!(error.provider_code(), Some("not-found"));
    assert!(!error.is_retryable());
    assert!(!error.may_have_been_processed());
    let error = provider_error(result);
    assert_eq!(error.kind(), ProviderErrorKind::NotFound);
    let problem = error.problem().unwrap();
    assert_eq!(
        problem.title.as_deref(),
        Some("The requested resource was not found")
    );
    assert_eq!(
        problem.instance.as_deref(),
        Some("/collect/payment_sessions/ps_36dED4m12MLxn48BUrn4R")
    );
    assert_eq!(problem.status, Some(404));
    assert_eq!(mock.requests().len(), 1);
    insta::assert_snapshot!(error.to_string());
}

#[tokio::test]
async fn a_wrong_key_is_unauthorized_and_never_printed() {
    let mock = MockGateway::start().await;
    let client = Client::builder("sk_test_wrong_key_9f8e7d")
        .base_url(mock.base_url())
        .build()
        .unwrap();
    let result = client.retrieve_payment("pay_rOaZNqKZMFxsRb2NBL1cj").await;
    let error = result.as_ref().unwrap_err();
    let printed = format!("{error} {error:?} {client:?}");
    assert!(!printed.contains("9f8e7d"), "{printed}");
    assert_eq!(
        provider_error(result).kind(),
        ProviderErrorKind::Unauthorized
    );
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let mock = MockGateway::start().await;
    mock.script(
        Operation::RetrievePaymentSession,
        Outcome::rate_limited("1"),
    );
    let started = Instant::now();
    let session = mock
        .client()
        .retrieve_payment_session("ps_kfAWZgfQIoeG0q")
        .await
        .unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(session.id, "ps_kfAWZgfQIoeG0q");
    assert_eq!(mock.hits(Operation::RetrievePaymentSession), 2);
}

#[tokio::test]
async fn a_long_retry_after_ends_the_retries() {
    let mock = MockGateway::start().await;
    mock.script(Operation::RetrievePayment, Outcome::rate_limited("120"));
    let error = provider_error(
        mock.client()
            .retrieve_payment("pay_rOaZNqKZMFxsRb2NBL1cj")
            .await,
    );
    assert_eq!(error.kind(), ProviderErrorKind::RateLimited);
    assert_eq!(error.retry_after(), Some(Duration::from_secs(120)));
    assert!(error.is_retryable());
    assert_eq!(mock.hits(Operation::RetrievePayment), 1);
}

#[tokio::test]
async fn retries_stop_after_max_retries() {
    let mock = MockGateway::start().await;
    for _ in 0..3 {
        mock.script(Operation::CreatePaymentSession, Outcome::status(503));
    }
    let result = mock.client().create_payment_session(&sdk_request()).await;
    let error = result.as_ref().unwrap_err();
    assert!(error.may_have_been_processed(), "a 5xx on a POST");
    assert!(error.is_retryable());
    let key = error.idempotency_key().unwrap().to_owned();
    assert_eq!(provider_error(result).kind(), ProviderErrorKind::Server);
    let requests = mock.requests();
    assert_eq!(requests.len(), 3, "one attempt and the default two retries");
    assert!(
        requests
            .iter()
            .all(|r| r.idempotency_key() == Some(key.as_str()))
    );

    let mock = MockGateway::start().await;
    mock.script(Operation::RetrievePayment, Outcome::status(500));
    let client = mock.client_builder().max_retries(0).build().unwrap();
    let error = client
        .retrieve_payment("pay_rOaZNqKZMFxsRb2NBL1cj")
        .await
        .unwrap_err();
    assert!(!error.may_have_been_processed(), "a GET changes nothing");
    assert_eq!(mock.requests().len(), 1);
}

#[tokio::test]
async fn a_get_is_retried_after_server_errors() {
    let mock = MockGateway::start().await;
    mock.script(Operation::RetrievePayment, Outcome::status(502));
    mock.script(Operation::RetrievePayment, Outcome::status(504));
    let payment = mock
        .client()
        .retrieve_payment("pay_rOaZNqKZMFxsRb2NBL1cj")
        .await
        .unwrap();
    assert_eq!(payment.id, "pay_rOaZNqKZMFxsRb2NBL1cj");
    assert_eq!(mock.hits(Operation::RetrievePayment), 3);
}

#[tokio::test]
async fn an_html_error_page_is_a_provider_error_with_an_excerpt() {
    let mock = MockGateway::start().await;
    let client = mock.client_builder().max_retries(0).build().unwrap();
    mock.script(Operation::RetrievePayment, Outcome::html_bad_gateway());
    let error = provider_error(client.retrieve_payment("pay_rOaZNqKZMFxsRb2NBL1cj").await);
    assert_eq!(error.status(), http::StatusCode::BAD_GATEWAY);
    assert!(error.problem().is_none());
    assert!(error.body_excerpt().contains("502 Bad Gateway"));
    assert!(error.is_retryable());
}

#[tokio::test]
async fn bad_success_bodies_are_decode_errors() {
    let mock = MockGateway::start().await;
    let client = mock.client();
    let cases = [
        (
            Some("text/html"),
            "<html><body>Maintenance</body></html>",
            "not JSON",
            "",
        ),
        (Some("application/json"), "", "empty", ""),
        (
            Some("application/json"),
            r#"{"id": "ps_1", "status": "act"#,
            "truncated",
            "status",
        ),
    ];
    for (content_type, body, message, path) in cases {
        mock.script(
            Operation::RetrievePaymentSession,
            Outcome::raw(200, content_type, body),
        );
        let error = decode_error(client.retrieve_payment_session("ps_kfAWZgfQIoeG0q").await);
        assert!(error.message().contains(message), "{body:?}: {error}");
        assert_eq!(error.status(), Some(http::StatusCode::OK));
        assert_eq!(error.content_type(), content_type);
        assert_eq!(error.path(), path);
    }
    // A truncated answer to a POST: the session exists, say so.
    mock.script(
        Operation::CreatePaymentSession,
        Outcome::raw(201, Some("application/json"), r#"{"id": "ps_1", "amo"#),
    );
    let result = client.create_payment_session(&sdk_request()).await;
    let error = result.as_ref().unwrap_err();
    assert!(error.may_have_been_processed());
    assert!(error.idempotency_key().is_some());
    assert!(!error.is_retryable());
    assert_eq!(mock.hits(Operation::CreatePaymentSession), 1);
}

#[tokio::test]
async fn wrong_types_name_the_field() {
    let mock = MockGateway::start().await;
    let client = mock.client();
    let cases = [
        (json!({ "id": "ps_t1", "amount": true }), "amount"),
        (json!({ "id": "ps_t2", "amount": "12.50" }), "amount"),
        (json!({ "id": "ps_t3", "status": 5 }), "status"),
        (json!({ "id": "ps_t4", "metadata": "none" }), "metadata"),
        (
            json!({ "id": "ps_t5", "last_payment_error": { "message": 7 } }),
            "last_payment_error.message",
        ),
    ];
    for (session, path) in cases {
        let id = mock.insert_session(session).unwrap();
        let error = decode_error(client.retrieve_payment_session(&id).await);
        assert_eq!(error.path(), path, "{error}");
        assert!(error.to_string().contains(path));
    }
    let id = mock.insert_session(json!({ "status": "active" }));
    assert!(id.is_none());
    mock.insert_payment(json!({ "id": "pay_t1", "paid_amount": [1] }))
        .unwrap();
    assert_eq!(
        decode_error(client.retrieve_payment("pay_t1").await).path(),
        "paid_amount"
    );
    // A missing id.
    mock.script(
        Operation::RetrievePayment,
        Outcome::raw(200, Some("application/json"), r#"{"status": "failed"}"#),
    );
    let error = decode_error(client.retrieve_payment("pay_t1").await);
    assert!(error.message().contains("`id`"), "{error}");
}

#[tokio::test]
async fn unknown_values_and_string_numbers_decode() {
    let mock = MockGateway::start().await;
    let client = mock.client();
    mock.insert_session(json!({
        "id": "ps_new",
        "type": "subscription",
        "status": "archived",
        "payment_outcome": "partially_refunded",
        "mode": "sandbox",
        "amount": "10000",
        "currency": "zar",
        "authorised_amount": 1,
        "a_new_member": { "nested": true }
    }));
    let session = client.retrieve_payment_session("ps_new").await.unwrap();
    assert_eq!(
        session.session_type,
        Some(SessionType::Unknown("subscription".into()))
    );
    assert_eq!(
        session.status,
        Some(SessionStatus::Unknown("archived".into()))
    );
    assert_eq!(
        session.payment_outcome,
        Some(PaymentOutcome::Unknown("partially_refunded".into()))
    );
    assert_eq!(
        session.mode,
        Some(moment_client::Mode::Unknown("sandbox".into()))
    );
    assert_eq!(session.amount, Some(10_000));
    assert_eq!(session.currency, Some(moment_client::Currency::new("ZAR")));
    assert_eq!(session.extra["a_new_member"], json!({ "nested": true }));
    assert!(!session.is_paid());
    assert_eq!(
        CheckoutOutcome::from_session(&session),
        CheckoutOutcome::Pending
    );

    mock.insert_payment(json!({
        "id": "pay_new",
        "status": "refunded",
        "authorized_amount": "5000",
        "payment_method_details": { "type": "capitec_pay", "capitec_pay": { "account": "x" } }
    }));
    let payment = client.retrieve_payment("pay_new").await.unwrap();
    assert_eq!(
        payment.status,
        Some(PaymentStatus::Unknown("refunded".into()))
    );
    assert!(!payment.is_succeeded());
    assert_eq!(
        payment.authorised_amount,
        Some(5_000),
        "the US spelling is read too"
    );
    let details = payment.payment_method_details.unwrap();
    assert_eq!(
        details.method_type,
        Some(moment_client::PaymentMethodType::Unknown(
            "capitec_pay".into()
        ))
    );
    assert!(details.extra.contains_key("capitec_pay"));
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = Client::builder(MOCK_SECRET_KEY)
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(5))
        .build()
        .unwrap();
    let error = client
        .create_payment_session(&sdk_request())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert!(!error.may_have_been_processed(), "nothing was sent");
    assert!(error.is_retryable());
    let error = client.retrieve_payment("pay_1").await.unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
}

#[tokio::test]
async fn invalid_requests_are_refused_before_sending() {
    let mock = MockGateway::start().await;
    let client = mock.client();
    let eleven_keys = (0..11).fold(CreatePaymentSession::new(100, "ZAR"), |r, i| {
        r.metadata(format!("k{i}"), "v")
    });
    let cases = [
        eleven_keys,
        CreatePaymentSession::new(100, "ZAR").metadata("k".repeat(41), "v"),
        CreatePaymentSession::new(100, "ZAR").metadata("k", "v".repeat(501)),
        CreatePaymentSession::new(100, "ZAR").external_reference("order 12"),
        CreatePaymentSession::new(100, "ZAR").external_reference("x".repeat(256)),
        CreatePaymentSession::new(100, "ZAR").external_reference(""),
        CreatePaymentSession::new(100, "RAND"),
        CreatePaymentSession::new(100, "ZAR").session_type(SessionType::NextInSeries),
        CreatePaymentSession::new(100, "ZAR").success_url(" "),
        CreatePaymentSession::new(100, "ZAR").idempotency_key("has space"),
    ];
    for request in &cases {
        let error = client.create_payment_session(request).await.unwrap_err();
        assert!(
            matches!(error, Error::InvalidRequest { .. }),
            "{request:?}: {error:?}"
        );
        assert!(!error.may_have_been_processed());
    }
    // At the limits, accepted.
    let at_limits = (0..10)
        .fold(CreatePaymentSession::new(100, "ZAR"), |r, i| {
            r.metadata(format!("{i:0>40}"), "v".repeat(500))
        })
        .external_reference(format!("{}_-", "a".repeat(253)));
    client.create_payment_session(&at_limits).await.unwrap();
    let series = CreatePaymentSession::new(100, "ZAR")
        .session_type(SessionType::NextInSeries)
        .saved_payment_method("cus4VQUfZlXuO8Xpt", "pmtizWG6Vcvy4VYiU");
    client.create_payment_session(&series).await.unwrap();
    assert_eq!(mock.requests().len(), 2);

    for id in ["", " ", " ps_1"] {
        assert!(matches!(
            client.retrieve_payment_session(id).await,
            Err(Error::InvalidRequest { .. })
        ));
        assert!(matches!(
            client.retrieve_payment(id).await,
            Err(Error::InvalidRequest { .. })
        ));
    }
    assert!(matches!(
        client
            .capture_payment("pay_1", &CapturePayment::partial(0))
            .await,
        Err(Error::InvalidRequest { .. })
    ));
    assert!(matches!(
        Client::builder("sk_test_x")
            .base_url("http://api.momentpay.net")
            .build(),
        Err(Error::Config { .. })
    ));
    assert_eq!(mock.requests().len(), 2);
}

#[tokio::test]
async fn the_user_agent_suffix_is_appended() {
    let mock = MockGateway::start().await;
    let client = mock
        .client_builder()
        .user_agent_suffix("shop-backend/2.1")
        .build()
        .unwrap();
    client
        .retrieve_payment("pay_rOaZNqKZMFxsRb2NBL1cj")
        .await
        .unwrap();
    assert_eq!(
        mock.requests()[0].header("user-agent"),
        Some(concat!(
            "moment-client/",
            env!("CARGO_PKG_VERSION"),
            " shop-backend/2.1"
        ))
    );
}
