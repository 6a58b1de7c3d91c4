//! End to end against the crate's mock gateway (and plain httpmock servers for timeouts):
//! every operation, token caching and refresh, retries and idempotency keys, and bad answers.
#![allow(clippy::unwrap_used, clippy::panic)]

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use common::*;
use httpmock::Method::POST;
use httpmock::MockServer;
use serde_json::{Value, json};
use session_tokenize_client::card::{CardData, CardDetails, Cvc, DeviceInformations};
use session_tokenize_client::model::customer::Customer;
use session_tokenize_client::model::refund::{
    CreateRefund, ListRefunds, RefundReason, RefundStatus,
};
use session_tokenize_client::model::session::*;
use session_tokenize_client::model::{Amount, PageRequest};
use session_tokenize_client::testing::{MockGateway, Operation, Outcome, RecordedRequest};
use session_tokenize_client::{Client, Credentials, Error, RequestId};

fn rid(s: &str) -> RequestId {
    RequestId::new(s).unwrap()
}

fn options(capture: CaptureMethod) -> PaymentMethodOptions {
    PaymentMethodOptions::card(
        CardOptions::new()
            .capture_method(capture)
            .three_ds_method(ThreeDsMethod::Challenge),
    )
}

fn simple_order() -> OrderInformation {
    OrderInformation::new([
        ProductDetail::new(ProductType::Physical, 1, Amount::idr(10_000)).name("Dress"),
    ])
}

/// A card session in API mode waiting for confirmation.
fn api_session(reference: &str) -> CreatePaymentSession {
    CreatePaymentSession::api_save_card(
        reference,
        Amount::idr(10_000),
        documented_customer(),
        simple_order(),
        documented_redirect_url(),
    )
}

fn test_card(number: &str) -> CardData {
    CardData::new(CardDetails::new(number, 1, 29, "123", "Reforza Jordan").unwrap())
        .device_informations(
            DeviceInformations::new()
                .user_agent("Mozilla/5.0")
                .country("ID"),
        )
}

/// The outgoing request as reviewed in snapshots: method, path, query, the headers that
/// matter, and the body with card data masked.
fn wire(request: &RecordedRequest) -> Value {
    let mut headers = serde_json::Map::new();
    for name in [
        "accept",
        "authorization",
        "content-type",
        "user-agent",
        "x-merchant-id",
        "x-merchant-secret",
        "x-request-id",
        "x-submerchant-id",
    ] {
        if let Some(value) = request.header(name) {
            // The mock records what it received; secrets are checked elsewhere, never
            // snapshotted.
            let value = match name {
                "authorization" => {
                    assert!(value.starts_with("Bearer mock-token-"), "{value}");
                    "Bearer [REDACTED]".to_owned()
                }
                "x-merchant-secret" => {
                    assert_eq!(value, MockGateway::CLIENT_SECRET);
                    "[REDACTED]".to_owned()
                }
                _ => value.replace(env!("CARGO_PKG_VERSION"), "[version]"),
            };
            headers.insert(name.to_owned(), Value::from(value));
        }
    }
    let mut body: Value = serde_json::from_str(&request.scrubbed_body()).unwrap_or(Value::Null);
    // Ids the mock generated differ on every run.
    if body["paymentMethod"]["card"]["token"].is_string() {
        body["paymentMethod"]["card"]["token"] = json!("[stored card token]");
    }
    let mut value = json!({
        "method": request.method(),
        "path": request.path(),
        "query": request.query(),
        "headers": headers,
        "body": body,
    });
    redact_uuids(&mut value);
    value
}

/// Replaces every UUID inside strings by `[uuid]`.
fn redact_uuids(value: &mut Value) {
    fn is_uuid(s: &str) -> bool {
        s.len() == 36
            && s.char_indices().all(|(i, c)| match i {
                8 | 13 | 18 | 23 => c == '-',
                _ => c.is_ascii_hexdigit(),
            })
    }
    match value {
        Value::String(s) => {
            let mut out = String::new();
            let mut i = 0;
            while i < s.len() {
                if s.is_char_boundary(i) && s.get(i..i + 36).is_some_and(is_uuid) {
                    out.push_str("[uuid]");
                    i += 36;
                } else {
                    let c = s[i..].chars().next().unwrap();
                    out.push(c);
                    i += c.len_utf8();
                }
            }
            *s = out;
        }
        Value::Array(items) => items.iter_mut().for_each(redact_uuids),
        Value::Object(map) => map.values_mut().for_each(redact_uuids),
        _ => {}
    }
}

#[tokio::test]
async fn the_four_saved_card_flows_run_end_to_end() {
    let mock = MockGateway::start().await;
    let client = mock.client();

    // C. API mode, save the card: create, encrypt with the session's key, confirm.
    let created = client
        .create_payment_session(&api_session("ORDER1").request_id(rid("FLOWCREQUEST0000000001")))
        .await
        .unwrap();
    assert_eq!(created.status, PaymentSessionStatus::RequireConfirmation);
    assert_eq!(
        created.encryption_key.as_deref(),
        Some(mock.encryption_key())
    );
    let encrypted = created
        .encryption_key()
        .unwrap()
        .encrypt(&test_card("4440 0001 1220 0001"))
        .unwrap();
    let confirmed = client
        .confirm_payment_session(
            &created.id,
            &ConfirmPaymentSession::encrypted_card(encrypted, options(CaptureMethod::Automatic))
                .request_id(rid("CONFIRMREQUEST00000001")),
        )
        .await
        .unwrap();
    assert_eq!(confirmed.status, PaymentSessionStatus::RequireAction);
    assert!(
        confirmed
            .payment_url
            .as_deref()
            .unwrap()
            .contains("/mock/3ds/")
    );
    // The mock decrypted the card with its private key and found the card we encrypted.
    let decrypted = mock.decrypted_cards();
    assert_eq!(decrypted.len(), 1);
    assert_eq!(
        (decrypted[0].first6.as_str(), decrypted[0].last4.as_str()),
        ("444000", "0001")
    );
    assert_eq!(
        (
            decrypted[0].expiry_month.as_str(),
            decrypted[0].expiry_year.as_str()
        ),
        ("01", "29")
    );
    assert_eq!(decrypted[0].name_on_card, "Reforza Jordan");
    assert_eq!(decrypted[0].device_informations["userAgent"], "Mozilla/5.0");

    // The shopper passes 3DS: the session is paid and the card is stored.
    assert!(mock.complete_payment(&created.id));
    let paid = client.get_payment_session(&created.id).await.unwrap();
    assert!(paid.is_paid());
    let customer_id = paid.customer_id.clone().unwrap();
    let customer = client.get_customer(&customer_id).await.unwrap();
    let saved = customer.active_cards().next().unwrap();
    assert_eq!(saved.card.as_ref().unwrap().last4.as_deref(), Some("0001"));

    // D. API mode, use the saved card: token + CVC, auto-confirmed, 3DS page.
    let token = saved.token.clone();
    let again = client
        .create_payment_session(
            &CreatePaymentSession::api_saved_card(
                "ORDER2",
                Amount::idr(10_000),
                &customer_id,
                simple_order(),
                &token,
                Cvc::new("123").unwrap(),
            )
            .redirect_url(documented_redirect_url())
            .request_id(rid("FLOWDREQUEST0000000001")),
        )
        .await
        .unwrap();
    assert_eq!(again.status, PaymentSessionStatus::RequireAction);
    assert!(again.payment_url.as_deref().unwrap().contains("/mock/3ds/"));
    assert_eq!(
        again
            .latest_charge()
            .unwrap()
            .card
            .as_ref()
            .unwrap()
            .last4
            .as_deref(),
        Some("0001")
    );
    assert!(mock.complete_payment(&again.id));
    assert!(
        client
            .get_payment_session(&again.id)
            .await
            .unwrap()
            .is_paid()
    );

    // A. Redirect mode, save the card: a hosted page and a customer id.
    let hosted = client
        .create_payment_session(
            &CreatePaymentSession::redirect_save_card(
                "ORDER3",
                Amount::idr(10_000),
                Customer::new("new.shopper@example.com"),
                simple_order(),
                documented_redirect_url(),
            )
            .request_id(rid("FLOWAREQUEST0000000001")),
        )
        .await
        .unwrap();
    assert!(
        hosted
            .payment_url
            .as_deref()
            .unwrap()
            .contains("/mock/pay/")
    );
    assert!(hosted.customer_id.is_some());

    // B. Redirect mode, use a saved card: the hosted page shows the stored cards.
    let reuse = client
        .create_payment_session(
            &CreatePaymentSession::redirect_saved_card(
                "ORDER4",
                Amount::idr(10_000),
                &customer_id,
                simple_order(),
                documented_redirect_url(),
            )
            .request_id(rid("FLOWBREQUEST0000000001")),
        )
        .await
        .unwrap();
    assert_eq!(reuse.show_saved_payment, Some(true));
    assert_eq!(
        reuse.customer.as_ref().unwrap().stored_payment_methods[0].token,
        token
    );

    // What went over the wire: one token, then the five writes with their idempotency keys.
    assert_eq!(mock.token_requests(), 1);
    let writes: Vec<Value> = mock
        .requests()
        .iter()
        .filter(|r| r.method() == "POST")
        .map(wire)
        .collect();
    insta::assert_json_snapshot!("saved_card_flows_on_the_wire", writes);
}

#[tokio::test]
async fn reads_cancel_capture_charges_configs_and_refunds_work_end_to_end() {
    let mock = MockGateway::start().await;
    let client = mock.client();

    // Cancel a session that waits for confirmation.
    let waiting = client
        .create_payment_session(&api_session("CANCEL1"))
        .await
        .unwrap();
    let cancelled = client
        .cancel_payment_session(&waiting.id, CancellationReason::VoidSession)
        .await
        .unwrap();
    assert_eq!(cancelled.status, PaymentSessionStatus::Cancelled);
    assert_eq!(
        cancelled.cancellation_reason,
        Some(CancellationReason::VoidSession)
    );
    // A second cancel is refused by the gateway, not retried.
    let err = client
        .cancel_payment_session(&waiting.id, CancellationReason::VoidSession)
        .await
        .unwrap_err();
    assert_eq!(err.provider_code(), Some("api_validation_error"));

    // Manual capture: authorise, then capture part of it.
    let session = client
        .create_payment_session(&api_session("CAPTURE1"))
        .await
        .unwrap();
    let encrypted = session
        .encryption_key()
        .unwrap()
        .encrypt(&test_card("5550000112230001"))
        .unwrap();
    client
        .confirm_payment_session(
            &session.id,
            &ConfirmPaymentSession::encrypted_card(encrypted, options(CaptureMethod::Manual)),
        )
        .await
        .unwrap();
    mock.complete_payment(&session.id);
    let authorised = client.get_payment_session(&session.id).await.unwrap();
    assert_eq!(authorised.status, PaymentSessionStatus::Processing);
    assert_eq!(
        authorised.latest_charge().unwrap().status,
        ChargeStatus::WaitingForCapture
    );
    let capture = client
        .capture_payment_session(
            &session.id,
            &CapturePaymentSession::new(true).amount(Amount::idr(8_000)),
        )
        .await
        .unwrap();
    assert_eq!(capture.status, CaptureStatus::Success);
    assert_eq!(capture.amount, Some(Amount::idr(8_000)));
    let captured = client.get_payment_session(&session.id).await.unwrap();
    assert!(captured.is_paid());
    assert_eq!(captured.latest_charge().unwrap().capture_histories.len(), 1);

    // By reference, list and charges.
    let by_reference = client
        .get_payment_sessions_by_reference("CAPTURE1")
        .await
        .unwrap();
    assert_eq!(by_reference.items.len(), 1);
    assert_eq!(by_reference.items[0].id, session.id);
    let page = client
        .list_payment_sessions(PageRequest::new().page(1).per_page(1))
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
    assert!(page.has_more());
    let charges = client.list_charges("CAPTURE1").await.unwrap();
    assert_eq!(charges.items.len(), 1);
    assert_eq!(
        charges.items[0].card.as_ref().unwrap().brand_last4(),
        ("MASTERCARD", "0001")
    );

    // Payment-method configuration.
    let configs = client.get_payment_method_configs().await.unwrap();
    assert!(configs.card.unwrap().accepts(&Amount::idr(10_000)));

    // Refunds: partial refund of the captured session, then read it back.
    let refund = client
        .create_refund(&CreateRefund::partial(
            "REFUND1",
            &session.id,
            Amount::idr(500),
            RefundReason::Duplicate,
        ))
        .await
        .unwrap();
    assert_eq!(refund.status, RefundStatus::Pending);
    assert_eq!(
        refund.amount,
        Some(Amount::new(rust_decimal::Decimal::new(50_000, 2), "IDR"))
    );
    assert_eq!(client.get_refund(&refund.id).await.unwrap().id, refund.id);
    let listed = client
        .list_refunds(&ListRefunds::new().client_reference_id("REFUND1"))
        .await
        .unwrap();
    assert_eq!(listed.items.len(), 1);
    let missing = client.get_refund("no-such-refund").await.unwrap_err();
    assert_eq!(missing.provider_code(), Some("resource_missing"));
    assert_eq!(missing.status().map(|s| s.as_u16()), Some(404));
}

trait BrandLast4 {
    fn brand_last4(&self) -> (&str, &str);
}

impl BrandLast4 for ChargeCard {
    fn brand_last4(&self) -> (&str, &str) {
        (
            self.bin_informations
                .as_ref()
                .and_then(|b| b.brand.as_deref())
                .unwrap_or_default(),
            self.last4.as_deref().unwrap_or_default(),
        )
    }
}

#[tokio::test]
async fn a_documented_decline_test_card_fails_with_its_failure_code() {
    let mock = MockGateway::start().await;
    let client = mock.client();
    let session = client
        .create_payment_session(&api_session("DECLINE1"))
        .await
        .unwrap();
    let encrypted = session
        .encryption_key()
        .unwrap()
        .encrypt(&test_card("4440000334470010"))
        .unwrap();
    client
        .confirm_payment_session(
            &session.id,
            &ConfirmPaymentSession::encrypted_card(encrypted, options(CaptureMethod::Automatic)),
        )
        .await
        .unwrap();
    mock.complete_payment(&session.id);
    let failed = client.get_payment_session(&session.id).await.unwrap();
    assert!(!failed.is_paid());
    let charge = failed.latest_charge().unwrap();
    assert_eq!(charge.status, ChargeStatus::Failed);
    assert_eq!(charge.failure_code, Some(FailureCode::InsufficientFund));
}

#[tokio::test]
async fn a_confirm_with_a_card_encrypted_for_another_key_is_refused() {
    let mock = MockGateway::start().await;
    let client = mock.client();
    let session = client
        .create_payment_session(&api_session("WRONGKEY1"))
        .await
        .unwrap();
    let other_key = session_tokenize_client::card::EncryptionKey::from_base64(&fixture(
        "go-example-encryption-key.txt",
    ))
    .unwrap();
    let encrypted = other_key.encrypt(&test_card("4440000112200001")).unwrap();
    let err = client
        .confirm_payment_session(
            &session.id,
            &ConfirmPaymentSession::encrypted_card(encrypted, options(CaptureMethod::Automatic)),
        )
        .await
        .unwrap_err();
    assert_eq!(err.provider_code(), Some("api_validation_error"));
    assert!(mock.decrypted_cards().is_empty());
}

// ---------------------------------------------------------------------------------------------
// The access token
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn many_concurrent_calls_fetch_one_token() {
    let mock = MockGateway::start().await;
    let client = mock.client();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..16 {
        let client = client.clone();
        tasks.spawn(async move { client.get_payment_method_configs().await.map(|_| ()) });
    }
    while let Some(result) = tasks.join_next().await {
        result.unwrap().unwrap();
    }
    assert_eq!(mock.token_requests(), 1);
    assert_eq!(mock.hits(Operation::GetPaymentMethodConfigs), 16);
    let token_request = mock
        .requests()
        .into_iter()
        .find(|r| r.path() == "/v1/access-token")
        .unwrap();
    // The documented token request: merchant headers and the client_credentials body.
    assert_eq!(
        token_request.json().unwrap(),
        fixture_json("access-token-request.json")
    );
    insta::assert_json_snapshot!("access_token_request_on_the_wire", wire(&token_request));
}

#[tokio::test]
async fn the_token_is_refreshed_sixty_seconds_before_expiry_by_the_injected_clock() {
    let mock = MockGateway::start().await;
    let now = Arc::new(Mutex::new(
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_750_000_000),
    ));
    let clock = Arc::clone(&now);
    let client = mock
        .client_builder()
        .clock(move || *clock.lock().unwrap())
        .build()
        .unwrap();
    client.get_payment_method_configs().await.unwrap();
    *now.lock().unwrap() += Duration::from_secs(839);
    client.get_payment_method_configs().await.unwrap();
    assert_eq!(mock.token_requests(), 1, "still fresh at 839 s");
    *now.lock().unwrap() += Duration::from_secs(2);
    client.get_payment_method_configs().await.unwrap();
    assert_eq!(mock.token_requests(), 2, "refreshed at 841 s of 900");
    let tokens: Vec<String> = mock
        .requests()
        .iter()
        .filter(|r| r.path() == "/v2/payment-method-configs")
        .map(|r| r.header("authorization").unwrap().to_owned())
        .collect();
    assert_eq!(tokens.len(), 3);
}

#[tokio::test]
async fn a_rejected_token_is_replaced_once_then_the_error_surfaces() {
    let mock = MockGateway::start().await;
    let client = mock.client();
    client.get_payment_method_configs().await.unwrap();
    mock.expire_access_tokens();
    client.get_payment_method_configs().await.unwrap();
    assert_eq!(mock.token_requests(), 2);
    assert_eq!(mock.hits(Operation::GetPaymentMethodConfigs), 3);

    // A gateway that keeps answering 401 gets exactly one retry, then the error.
    mock.script(
        Operation::GetPaymentMethodConfigs,
        Outcome::error(401).times(2),
    );
    let err = client.get_payment_method_configs().await.unwrap_err();
    assert_eq!(err.provider_code(), Some("credentials_invalid"));
    assert_eq!(mock.hits(Operation::GetPaymentMethodConfigs), 5);
}

#[tokio::test]
async fn wrong_credentials_fail_at_the_token_endpoint_without_retries() {
    let mock = MockGateway::start().await;
    let client = Client::builder(Credentials::sandbox(MockGateway::CLIENT_ID, "wrong-secret"))
        .base_url(mock.base_url())
        .build()
        .unwrap();
    let err = client.get_payment_method_configs().await.unwrap_err();
    assert_eq!(err.provider_code(), Some("credentials_invalid"));
    assert_eq!(mock.token_requests(), 1);
    assert_eq!(mock.hits(Operation::GetPaymentMethodConfigs), 0);
    assert!(!format!("{err:?} {err}").contains("wrong-secret"));
}

// ---------------------------------------------------------------------------------------------
// Retries and idempotency keys
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_create_retried_after_a_503_reuses_its_request_id() {
    let mock = MockGateway::start().await;
    let client = mock.client();
    mock.script(Operation::CreatePaymentSession, Outcome::error(503));
    let session = client
        .create_payment_session(&api_session("RETRY1"))
        .await
        .unwrap();
    let creates: Vec<RecordedRequest> = mock
        .requests()
        .into_iter()
        .filter(|r| r.method() == "POST" && r.path() == "/v2/payments")
        .collect();
    assert_eq!(creates.len(), 2);
    let first = creates[0].header("x-request-id").unwrap();
    assert_eq!(creates[1].header("x-request-id"), Some(first));
    assert!(
        RequestId::new(first).is_ok(),
        "generated ids follow Pivot's rules"
    );
    assert_eq!(
        mock.session_json(&session.id).unwrap()["clientReferenceId"],
        "RETRY1"
    );
}

#[tokio::test]
async fn an_unresolved_create_is_ambiguous_and_safe_to_resend_with_the_same_id() {
    let mock = MockGateway::start().await;
    let client = mock.client();
    mock.script(
        Operation::CreatePaymentSession,
        Outcome::error(500).times(3),
    );
    let request = api_session("AMBIG1").request_id(rid("AMBIGUOUSREQUEST0001"));
    let err = client.create_payment_session(&request).await.unwrap_err();
    assert!(matches!(err, Error::Ambiguous { .. }), "{err:?}");
    assert!(err.may_have_been_processed());
    assert!(err.is_retryable());
    assert_eq!(
        err.request_id().map(RequestId::as_str),
        Some("AMBIGUOUSREQUEST0001")
    );
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(
        mock.hits(Operation::CreatePaymentSession),
        3,
        "1 attempt + 2 retries"
    );

    // Resending with the same id is safe: the first success is replayed, not duplicated.
    let first = client.create_payment_session(&request).await.unwrap();
    let replay = client.create_payment_session(&request).await.unwrap();
    assert_eq!(first.id, replay.id);
    let sessions = client
        .get_payment_sessions_by_reference("AMBIG1")
        .await
        .unwrap();
    assert_eq!(sessions.items.len(), 1);

    // The same id with another body is refused.
    let other = api_session("AMBIG2").request_id(rid("AMBIGUOUSREQUEST0001"));
    let err = client.create_payment_session(&other).await.unwrap_err();
    assert_eq!(err.provider_code(), Some("idempotency_error"));
    assert_eq!(err.status().map(|s| s.as_u16()), Some(409));
    assert!(!err.may_have_been_processed());
}

#[tokio::test]
async fn cancel_capture_and_refund_are_never_retried_after_a_5xx() {
    let mock = MockGateway::start().await;
    let client = mock.client();
    let session = client
        .create_payment_session(&api_session("ONCE1"))
        .await
        .unwrap();

    mock.script(
        Operation::CancelPaymentSession,
        Outcome::error(503).times(3),
    );
    let err = client
        .cancel_payment_session(&session.id, CancellationReason::VoidSession)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Ambiguous { .. }), "{err:?}");
    assert!(err.may_have_been_processed());
    assert!(!err.is_retryable(), "no idempotency key: reconcile first");
    assert_eq!(mock.hits(Operation::CancelPaymentSession), 1);

    mock.script(
        Operation::CapturePaymentSession,
        Outcome::error(502).times(3),
    );
    let err = client
        .capture_payment_session(&session.id, &CapturePaymentSession::new(true))
        .await
        .unwrap_err();
    assert!(err.may_have_been_processed());
    assert_eq!(mock.hits(Operation::CapturePaymentSession), 1);

    mock.script(Operation::CreateRefund, Outcome::error(504).times(3));
    let err = client
        .create_refund(&CreateRefund::full(
            "REF1",
            &session.id,
            RefundReason::Others,
        ))
        .await
        .unwrap_err();
    assert!(err.may_have_been_processed());
    assert_eq!(err.request_id(), None);
    assert_eq!(mock.hits(Operation::CreateRefund), 1);
}

#[tokio::test]
async fn reads_retry_on_5xx_and_honour_retry_after() {
    let mock = MockGateway::start().await;
    let client = mock.client();
    client.get_payment_method_configs().await.unwrap();

    mock.script(
        Operation::GetPaymentMethodConfigs,
        Outcome::error(503).times(2),
    );
    client.get_payment_method_configs().await.unwrap();
    assert_eq!(mock.hits(Operation::GetPaymentMethodConfigs), 4);

    mock.script(
        Operation::GetPaymentMethodConfigs,
        Outcome::respond(429, r#"{"code":"frequency_above_limit","message":"slow down","error":{"type":"API_ERROR"}}"#).header("retry-after", "1"),
    );
    let started = Instant::now();
    client.get_payment_method_configs().await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "waited for Retry-After"
    );

    // A wait longer than the client accepts ends the retries with the rate-limit error.
    mock.script(
        Operation::GetPaymentMethodConfigs,
        Outcome::respond(429, r#"{"code":"frequency_above_limit","message":"slow down","error":{"type":"API_ERROR"}}"#).header("retry-after", "120"),
    );
    let before = mock.hits(Operation::GetPaymentMethodConfigs);
    let err = client.get_payment_method_configs().await.unwrap_err();
    assert_eq!(err.provider_code(), Some("frequency_above_limit"));
    assert!(err.is_retryable());
    assert_eq!(
        err.as_provider().unwrap().retry_after,
        Some(Duration::from_secs(120))
    );
    assert_eq!(mock.hits(Operation::GetPaymentMethodConfigs), before + 1);

    // Exhausted read retries surface the gateway error itself.
    mock.script(
        Operation::GetPaymentMethodConfigs,
        Outcome::error(503).times(3),
    );
    let err = client.get_payment_method_configs().await.unwrap_err();
    assert_eq!(err.provider_code(), Some("service_unavailable"));
    assert!(!err.may_have_been_processed());
}

/// A plain server with a token endpoint and slow answers elsewhere.
async fn slow_server() -> MockServer {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/access-token");
            then.status(200).body(fixture("access-token-response.json"));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200)
                .delay(Duration::from_millis(800))
                .body("{}");
        })
        .await;
    server
}

#[tokio::test]
async fn timeouts_are_ambiguous_for_writes_and_transport_errors_for_reads() {
    let server = slow_server().await;
    let client = Client::builder(Credentials::sandbox("id", "secret"))
        .base_url(server.base_url())
        .timeout(Duration::from_millis(150))
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(5))
        .build()
        .unwrap();

    let err = client
        .create_payment_session(&api_session("SLOW1").request_id(rid("SLOWREQUEST000000001")))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Ambiguous { .. }), "{err:?}");
    assert!(err.may_have_been_processed());
    assert_eq!(
        err.request_id().map(RequestId::as_str),
        Some("SLOWREQUEST000000001")
    );

    let err = client
        .cancel_payment_session("s1", CancellationReason::VoidSession)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Ambiguous {
                request_id: None,
                ..
            }
        ),
        "{err:?}"
    );

    let err = client.get_payment_session("s1").await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(!err.may_have_been_processed());
    assert!(err.is_retryable());
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error_that_sent_nothing() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = Client::builder(Credentials::sandbox("id", "secret"))
        .base_url(format!("http://127.0.0.1:{port}"))
        .max_retries(1)
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(2))
        .build()
        .unwrap();
    let err = client
        .cancel_payment_session("s1", CancellationReason::VoidSession)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(!err.may_have_been_processed());
}

#[tokio::test]
async fn invalid_requests_are_refused_before_anything_is_sent() {
    let mock = MockGateway::start().await;
    let client = mock.client();
    let too_long = api_session("BAD1").statement_descriptor("A descriptor over twenty");
    let err = client.create_payment_session(&too_long).await.unwrap_err();
    match &err {
        Error::InvalidRequest { field, .. } => assert_eq!(field, "statementDescriptor"),
        other => panic!("{other:?}"),
    }
    assert!(!err.may_have_been_processed());
    let err = client.get_payment_session(" ").await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }));
    assert!(mock.requests().is_empty(), "not even a token was requested");
}

#[tokio::test]
async fn the_sub_merchant_header_and_user_agent_are_sent() {
    let mock = MockGateway::start().await;
    let client = mock
        .client_builder()
        .sub_merchant_id("8a2f1d6e-0000-4000-8000-00000000abcd")
        .user_agent_suffix("shop/2.0")
        .build()
        .unwrap();
    client.get_payment_method_configs().await.unwrap();
    let call = mock
        .requests()
        .into_iter()
        .find(|r| r.path() == "/v2/payment-method-configs")
        .unwrap();
    assert_eq!(
        call.header("x-submerchant-id"),
        Some("8a2f1d6e-0000-4000-8000-00000000abcd")
    );
    assert_eq!(
        call.header("user-agent").unwrap(),
        format!(
            "session-tokenize-client/{} shop/2.0",
            env!("CARGO_PKG_VERSION")
        )
    );
}

// ---------------------------------------------------------------------------------------------
// Bad answers
// ---------------------------------------------------------------------------------------------

fn session_body(mut data: Value) -> String {
    if data.get("id").is_none() {
        data["id"] = json!("s1");
    }
    json!({ "code": "00", "message": "Success", "data": data }).to_string()
}

#[tokio::test]
async fn bad_bodies_become_typed_errors_naming_the_field() {
    let mock = MockGateway::start().await;
    let client = mock.client_builder().max_retries(0).build().unwrap();

    mock.script(
        Operation::GetPaymentSession,
        Outcome::respond(502, "<html><body><h1>502 Bad Gateway</h1></body></html>")
            .header("content-type", "text/html"),
    );
    let err = client.get_payment_session("s1").await.unwrap_err();
    let provider = err.as_provider().unwrap();
    assert_eq!(provider.code, None);
    assert!(provider.body_excerpt.contains("502 Bad Gateway"));

    mock.script(Operation::GetPaymentSession, Outcome::respond(200, ""));
    let err = client.get_payment_session("s1").await.unwrap_err();
    assert!(
        matches!(&err, Error::Decode(d) if d.path.is_empty()),
        "{err:?}"
    );

    mock.script(
        Operation::GetPaymentSession,
        Outcome::respond(200, r#"{"code":"00","data":{"id":"s1","status":"PA"#),
    );
    let err = client.get_payment_session("s1").await.unwrap_err();
    assert!(matches!(&err, Error::Decode(_)), "{err:?}");

    mock.script(
        Operation::GetPaymentSession,
        Outcome::respond(
            200,
            session_body(
                json!({"status": "PAID", "amount": {"value": "ten thousand", "currency": "IDR"}}),
            ),
        ),
    );
    let err = client.get_payment_session("s1").await.unwrap_err();
    match &err {
        Error::Decode(d) => {
            assert_eq!(d.path, "data.amount.value");
            assert_eq!(d.status.map(|s| s.as_u16()), Some(200));
        }
        other => panic!("{other:?}"),
    }
    assert!(!err.may_have_been_processed(), "a read changes nothing");

    mock.script(
        Operation::GetPaymentSession,
        Outcome::respond(
            200,
            session_body(json!({"status": "PAID", "chargeDetails": [{"id": "c1", "status": 7}]})),
        ),
    );
    let err = client.get_payment_session("s1").await.unwrap_err();
    assert!(
        matches!(&err, Error::Decode(d) if d.path == "data.chargeDetails[0].status"),
        "{err:?}"
    );

    mock.script(
        Operation::GetPaymentSession,
        Outcome::respond(200, r#"{"code":"00","message":"Success","data":null}"#),
    );
    let err = client.get_payment_session("s1").await.unwrap_err();
    assert!(
        matches!(&err, Error::Decode(d) if d.path == "data"),
        "{err:?}"
    );

    mock.script(
        Operation::GetPaymentSession,
        Outcome::respond(200, "<html>maintenance</html>"),
    );
    let err = client.get_payment_session("s1").await.unwrap_err();
    assert!(matches!(&err, Error::Decode(_)), "{err:?}");

    // Unknown values are kept and never read as success.
    mock.script(
        Operation::GetPaymentSession,
        Outcome::respond(
            200,
            session_body(json!({
                "status": "SETTLED",
                "mode": "HYBRID",
                "chargeDetails": [{"id": "c1", "status": "SETTLED", "failureCode": "NEW_CODE"}]
            })),
        ),
    );
    let session = client.get_payment_session("s1").await.unwrap();
    assert_eq!(
        session.status,
        PaymentSessionStatus::Unknown("SETTLED".into())
    );
    assert!(!session.is_paid());
    assert_eq!(session.mode, Some(PaymentMode::Unknown("HYBRID".into())));
    let charge = &session.charge_details[0];
    assert!(!charge.status.is_success());
    assert_eq!(
        charge.failure_code,
        Some(FailureCode::Unknown("NEW_CODE".into()))
    );

    // A list answered with `data: null` is an empty list, not an error.
    mock.script(
        Operation::ListPaymentSessions,
        Outcome::respond(200, r#"{"code":"00","message":"Success","data":null}"#),
    );
    let none = client
        .get_payment_sessions_by_reference("NOPE")
        .await
        .unwrap();
    assert!(none.items.is_empty());

    // A success status with an error code is an error.
    mock.script(
        Operation::GetPaymentSession,
        Outcome::respond(200, r#"{"code":"internal_error","message":"oops"}"#),
    );
    let err = client.get_payment_session("s1").await.unwrap_err();
    assert_eq!(err.provider_code(), Some("internal_error"));
}

#[tokio::test]
async fn an_undecodable_answer_to_a_create_may_have_been_processed() {
    let mock = MockGateway::start().await;
    let client = mock.client();
    mock.script(
        Operation::CreatePaymentSession,
        Outcome::respond(200, r#"{"code":"00","data":{"status":"PAID"}}"#),
    );
    let err = client
        .create_payment_session(&api_session("UNREAD1"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Decode(d) if d.path == "data.id"),
        "{err:?}"
    );
    assert!(err.may_have_been_processed());
    assert_eq!(
        mock.hits(Operation::CreatePaymentSession),
        1,
        "decode errors are not retried"
    );
}

#[test]
fn the_client_and_its_futures_can_cross_threads() {
    fn assert_send_sync<T: Send + Sync>(_: &T) {}
    fn assert_send<T: Send>(_: &T) {}
    let client = Client::builder(Credentials::sandbox("id", "secret"))
        .build()
        .unwrap();
    assert_send_sync(&client);
    let request = api_session("SEND1");
    let create = client.create_payment_session(&request);
    assert_send(&create);
    let get = client.get_payment_session("x");
    assert_send(&get);
    let error = Error::InvalidRequest {
        field: "x".into(),
        message: "y".into(),
    };
    assert_send_sync(&error);
}

#[tokio::test]
async fn a_mock_started_with_other_credentials_accepts_only_those() {
    let credentials = Credentials::sandbox("merchant-7", "recognisable-secret-7f3a");
    let mock = MockGateway::start_with(credentials).await;
    assert_eq!(mock.credentials().client_id(), "merchant-7");
    mock.client().get_payment_method_configs().await.unwrap();
    let token_request = &mock.requests()[0];
    assert_eq!(token_request.operation(), Some(Operation::AccessToken));
    assert_eq!(token_request.header("x-merchant-id"), Some("merchant-7"));
    assert_eq!(
        token_request.header("x-merchant-secret"),
        Some("recognisable-secret-7f3a")
    );
    assert!(!format!("{token_request:?}").contains("recognisable-secret-7f3a"));

    // The built-in credentials are refused by this mock.
    let err = Client::builder(Credentials::sandbox(
        MockGateway::CLIENT_ID,
        MockGateway::CLIENT_SECRET,
    ))
    .base_url(mock.base_url())
    .max_retries(0)
    .build()
    .unwrap()
    .get_payment_method_configs()
    .await
    .unwrap_err();
    assert_eq!(err.provider_code(), Some("credentials_invalid"));
    assert_eq!(mock.hits(Operation::GetPaymentMethodConfigs), 1);
}
