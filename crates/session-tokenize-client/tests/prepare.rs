//! `prepare_*` returns exactly what the operation sends: for every operation, the prepared
//! request and the request the mock gateway then receives have the same method, URL, headers and
//! body bytes.
#![allow(clippy::unwrap_used, clippy::panic)]

mod common;

use common::*;
use session_tokenize_client::card::{CardData, CardDetails};
use session_tokenize_client::model::refund::{CreateRefund, ListRefunds, RefundReason};
use session_tokenize_client::model::session::*;
use session_tokenize_client::model::{Amount, PageRequest};
use session_tokenize_client::testing::{MockGateway, Operation};
use session_tokenize_client::{Client, RequestId};

fn rid(s: &str) -> RequestId {
    RequestId::new(s).unwrap()
}

fn api_session(reference: &str) -> CreatePaymentSession {
    CreatePaymentSession::api_save_card(
        reference,
        Amount::idr(10_000),
        documented_customer(),
        documented_order(),
        documented_redirect_url(),
    )
}

/// Headers the HTTP stack adds on the wire beyond the request the client built.
const TRANSPORT_HEADERS: &[&str] = &["host", "content-length"];

/// Asserts that the last `operation` the mock received is `prepared`, byte for byte.
fn assert_sent_as_prepared(
    mock: &MockGateway,
    operation: Operation,
    prepared: &http::Request<Vec<u8>>,
) {
    let received = mock
        .requests()
        .into_iter()
        .rev()
        .find(|r| r.operation() == Some(operation))
        .unwrap_or_else(|| panic!("{operation:?} was not sent"));
    let url = prepared.uri().to_string();
    assert!(url.starts_with(&mock.base_url()), "{url}");
    assert_eq!(
        received.method(),
        prepared.method().as_str(),
        "{operation:?}"
    );
    assert_eq!(received.path(), prepared.uri().path(), "{operation:?}");
    assert_eq!(received.query(), prepared.uri().query(), "{operation:?}");
    for (name, value) in prepared.headers() {
        assert_eq!(
            received.header(name.as_str()),
            Some(value.to_str().unwrap()),
            "{operation:?}: header {name}"
        );
    }
    for (name, _) in received.headers() {
        assert!(
            prepared.headers().contains_key(name) || TRANSPORT_HEADERS.contains(&name),
            "{operation:?}: `{name}` was sent but not prepared"
        );
    }
    assert_eq!(received.body(), prepared.body().as_slice(), "{operation:?}");
    // The bearer token is in the prepared request but never in its Debug output.
    let authorization = prepared.headers()[http::header::AUTHORIZATION]
        .to_str()
        .unwrap();
    assert!(authorization.starts_with("Bearer mock-token-"));
    assert!(prepared.headers()[http::header::AUTHORIZATION].is_sensitive());
    assert!(!format!("{prepared:?}").contains("mock-token-"));
}

/// Prepares, checks that nothing was sent, sends, and compares.
macro_rules! check {
    ($mock:expr, $operation:expr, $client:ident . $prepare:ident ( $($arg:expr),* ) => $send:ident) => {{
        let before = $mock.hits($operation);
        let prepared = $client.$prepare($($arg),*).await.unwrap();
        assert_eq!($mock.hits($operation), before, "prepare sends nothing");
        let answer = $client.$send($($arg),*).await.unwrap();
        assert_eq!($mock.hits($operation), before + 1);
        assert_sent_as_prepared(&$mock, $operation, &prepared);
        answer
    }};
}

#[tokio::test]
async fn every_prepared_request_is_what_the_operation_sends() {
    let mock = MockGateway::start().await;
    let client: Client = mock
        .client_builder()
        .sub_merchant_id("a3f1c1de-0000-4000-8000-000000000001")
        .user_agent_suffix("shop/1.0")
        .build()
        .unwrap();

    // Preparing fetches the token (a network round trip) but not the operation.
    let create = api_session("PREP1").request_id(rid("PREPAREDCREATE00000001"));
    let session = check!(mock, Operation::CreatePaymentSession,
        client.prepare_create_payment_session(&create) => create_payment_session);
    assert_eq!(mock.hits(Operation::AccessToken), 1);

    let card =
        CardData::new(CardDetails::new("4440000112200001", 1, 29, "123", "Reforza").unwrap());
    let encrypted = session.encryption_key().unwrap().encrypt(&card).unwrap();
    let confirm = ConfirmPaymentSession::encrypted_card(
        encrypted,
        PaymentMethodOptions::card(CardOptions::new().capture_method(CaptureMethod::Manual)),
    )
    .request_id(rid("PREPAREDCONFIRM0000001"));
    check!(mock, Operation::ConfirmPaymentSession,
        client.prepare_confirm_payment_session(&session.id, &confirm) => confirm_payment_session);
    assert!(mock.complete_payment(&session.id));

    check!(mock, Operation::GetPaymentSession,
        client.prepare_get_payment_session(&session.id) => get_payment_session);
    check!(mock, Operation::ListPaymentSessions,
        client.prepare_get_payment_sessions_by_reference("PREP1") => get_payment_sessions_by_reference);
    check!(mock, Operation::ListPaymentSessions,
        client.prepare_list_payment_sessions(PageRequest::new().page(1).per_page(5)) => list_payment_sessions);
    check!(mock, Operation::CapturePaymentSession,
        client.prepare_capture_payment_session(&session.id, &CapturePaymentSession::new(true)) => capture_payment_session);
    check!(mock, Operation::ListCharges, client.prepare_list_charges("PREP1") => list_charges);
    check!(mock, Operation::GetPaymentMethodConfigs,
        client.prepare_get_payment_method_configs() => get_payment_method_configs);
    let customer_id = session.customer_id.clone().unwrap();
    check!(mock, Operation::GetCustomer, client.prepare_get_customer(&customer_id) => get_customer);

    let refund_request = CreateRefund::full("PREPREFUND1", &session.id, RefundReason::Duplicate)
        .request_id(rid("PREPAREDREFUND00000001"));
    let refund = check!(mock, Operation::CreateRefund,
        client.prepare_create_refund(&refund_request) => create_refund);
    check!(mock, Operation::GetRefund, client.prepare_get_refund(&refund.id) => get_refund);
    let list = ListRefunds::new()
        .client_reference_id("PREPREFUND1")
        .page(PageRequest::new().per_page(10));
    check!(mock, Operation::ListRefunds, client.prepare_list_refunds(&list) => list_refunds);

    let waiting = client
        .create_payment_session(&api_session("PREP2"))
        .await
        .unwrap();
    check!(mock, Operation::CancelPaymentSession,
        client.prepare_cancel_payment_session(&waiting.id, CancellationReason::VoidSession) => cancel_payment_session);

    assert_eq!(mock.hits(Operation::AccessToken), 1, "one token throughout");
}

#[tokio::test]
async fn a_generated_request_id_is_prepared_as_it_will_be_sent() {
    let mock = MockGateway::start().await;
    let client = mock
        .client_builder()
        .request_id_generator(|| RequestId::new("GENERATEDREQUESTID0001").unwrap())
        .build()
        .unwrap();
    let create = api_session("PREP3");
    let prepared = client
        .prepare_create_payment_session(&create)
        .await
        .unwrap();
    client.create_payment_session(&create).await.unwrap();
    assert_sent_as_prepared(&mock, Operation::CreatePaymentSession, &prepared);
    assert_eq!(prepared.headers()["x-request-id"], "GENERATEDREQUESTID0001");
    // The body is the request as serialized, byte for byte.
    assert_eq!(prepared.body(), &serde_json::to_vec(&create).unwrap());
}

#[tokio::test]
async fn an_invalid_request_is_refused_by_prepare_too() {
    let mock = MockGateway::start().await;
    let client = mock.client();
    let err = client
        .prepare_create_payment_session(&api_session("PREP4").statement_descriptor("x".repeat(21)))
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        session_tokenize_client::Error::InvalidRequest { .. }
    ));
    assert!(mock.requests().is_empty(), "not even a token was requested");
}
