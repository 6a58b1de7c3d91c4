//! The documented examples of `docs/providers/pivot.md` (`fixtures/pivot/`):
//!
//! * every documented request of the four saved-card flows (and confirm, cancel, capture,
//!   refund) is rebuilt with the typed API and compared with the documented JSON, after the
//!   corrections written beside the example on the docs page;
//! * every documented response is served by a local server and read through the client's
//!   operation for it; the typed result is snapshotted.
#![allow(clippy::unwrap_used, clippy::panic)]

mod common;

use common::*;
use httpmock::Method::{GET, POST};
use httpmock::MockServer;
use serde_json::{Value, json};
use session_tokenize_client::card::{Cvc, EncryptedCard};
use session_tokenize_client::model::customer::{
    RefundMethod, StoredPaymentMethodStatus, TransferDestination,
};
use session_tokenize_client::model::refund::{
    CreateRefund, ListRefunds, RefundReason, RefundStatus,
};
use session_tokenize_client::model::session::*;
use session_tokenize_client::model::{Amount, PageRequest, Pagination, PaymentMethodType};
use session_tokenize_client::{Client, Credentials, Error, RequestId};

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

fn documented_card_options() -> PaymentMethodOptions {
    PaymentMethodOptions::card(
        CardOptions::new()
            .capture_method(CaptureMethod::Automatic)
            .three_ds_method(ThreeDsMethod::Challenge),
    )
}

/// A documented request with its `//` comments removed.
fn documented_request(name: &str) -> Value {
    let text = strip_line_comments(&fixture(name));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn flow_a() -> CreatePaymentSession {
    CreatePaymentSession::redirect_save_card(
        "1751610085",
        Amount::idr(10_000),
        documented_customer(),
        documented_order(),
        documented_redirect_url(),
    )
    .payment_method_options(documented_card_options())
    .bypass_status_page(false)
    .statement_descriptor("Reforza Pivot")
    .expiration_mode(ExpirationMode::Strict)
    .expiry_at(documented_expiry())
    .metadata(documented_metadata())
}

fn flow_b() -> CreatePaymentSession {
    CreatePaymentSession::redirect_saved_card(
        "1751610085",
        Amount::idr(10_000),
        "01975d90-bb55-76f6-b423-691c7868e85d",
        documented_order(),
        documented_redirect_url(),
    )
    .save_for_future_use(true)
    .payment_method_options(documented_card_options())
    .bypass_status_page(false)
    .statement_descriptor("Reforza Pivot")
    .expiration_mode(ExpirationMode::Strict)
    .expiry_at(documented_expiry())
    .metadata(documented_metadata())
}

fn flow_c() -> CreatePaymentSession {
    CreatePaymentSession::api_save_card(
        "1751620870",
        Amount::idr(10_000),
        documented_customer(),
        documented_order(),
        documented_redirect_url(),
    )
    .statement_descriptor("Reforza Pivot")
    .expiration_mode(ExpirationMode::Strict)
    .expiry_at(documented_expiry())
    .metadata(documented_metadata())
}

fn flow_d() -> CreatePaymentSession {
    CreatePaymentSession::api_saved_card(
        "1751620870",
        Amount::idr(10_000),
        "01975d90-bb55-76f6-b423-691c7868e85d",
        documented_order(),
        "020027de-134e-45ed-8f0d-7ae0506a7133",
        Cvc::new("123").unwrap(),
    )
    .payment_method_options(documented_card_options())
    .save_for_future_use(true)
    .statement_descriptor("Reforza Pivot")
    .expiration_mode(ExpirationMode::Strict)
    .expiry_at(documented_expiry())
    .metadata(documented_metadata())
}

#[test]
fn flow_a_redirect_save_card_rebuilds_the_documented_request() {
    let raw = fixture("create-redirect-save-card-request.json");
    assert!(
        raw.contains(r#""saveForFuture": true"#) && raw.contains(r#""showSavedPayment": null"#)
    );
    let mut expected = documented_request("create-redirect-save-card-request.json");
    // Corrections written beside the example: the flag is `saveForFutureUse`, and a null flag is
    // an unset one.
    rename_key(&mut expected, "saveForFuture", "saveForFutureUse");
    expected.as_object_mut().unwrap().remove("showSavedPayment");

    let request = flow_a();
    request.validate().unwrap();
    assert_eq!(serde_json::to_value(&request).unwrap(), expected);
}

#[test]
fn flow_b_redirect_saved_card_rebuilds_the_documented_request() {
    let mut expected = documented_request("create-redirect-saved-card-request.json");
    rename_key(&mut expected, "saveForFuture", "saveForFutureUse");
    rename_key(&mut expected, "sureName", "surname");
    assert_eq!(expected["showSavedPayment"], true);
    assert_eq!(
        expected["customerId"],
        "01975d90-bb55-76f6-b423-691c7868e85d"
    );

    let request = flow_b();
    request.validate().unwrap();
    assert_eq!(serde_json::to_value(&request).unwrap(), expected);
}

#[test]
fn flow_c_api_save_card_rebuilds_the_documented_request() {
    let expected = documented_request("create-api-save-card-request.json");
    let request = flow_c();
    request.validate().unwrap();
    assert_eq!(serde_json::to_value(&request).unwrap(), expected);
}

#[test]
fn flow_d_api_saved_card_rebuilds_the_documented_request() {
    let mut expected = documented_request("create-api-saved-card-request.json");
    rename_key(&mut expected, "sureName", "surname");
    assert!(
        expected.get("redirectUrl").is_none(),
        "the example has no redirectUrl"
    );

    let request = flow_d();
    request.validate().unwrap();
    assert_eq!(serde_json::to_value(&request).unwrap(), expected);
    // The CVC is on the wire, as documented, but never in Debug output.
    assert!(!format!("{request:?}").contains("\"123\""));
}

#[test]
fn confirm_rebuilds_the_documented_request_in_either_placement() {
    let documented = fixture_json("confirm-request.json");
    let encrypted = documented["paymentMethod"]["card"]["encryptedCard"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(encrypted.len(), 1508);

    let nested = ConfirmPaymentSession::encrypted_card(
        EncryptedCard::from_string(encrypted.clone()),
        documented_card_options(),
    )
    .options_placement(ConfirmOptionsPlacement::InsidePaymentMethod);
    assert_eq!(serde_json::to_value(&nested).unwrap(), documented);

    // The parameter table's placement: the same two objects, side by side.
    let mut top_level = documented.clone();
    let options = top_level["paymentMethod"]
        .as_object_mut()
        .unwrap()
        .remove("paymentMethodOptions")
        .unwrap();
    top_level["paymentMethodOptions"] = options;
    let default = ConfirmPaymentSession::encrypted_card(
        EncryptedCard::from_string(encrypted),
        documented_card_options(),
    );
    assert_eq!(serde_json::to_value(&default).unwrap(), top_level);
}

#[test]
fn capture_and_refund_rebuild_their_documented_requests() {
    let capture = CapturePaymentSession::new(true).amount(Amount::idr(12_000));
    assert_eq!(
        serde_json::to_value(&capture).unwrap(),
        fixture_json("capture-request.json")
    );

    let mut notes = serde_json::Map::new();
    notes.insert("notes".into(), json!("Customer called support"));
    let refund = CreateRefund::full(
        "1755665477",
        "44a14481-fa75-49a5-b17f-d03d8c5d52a6",
        RefundReason::RequestedByCustomer,
    )
    .amount(Amount::idr(10_000))
    .description("Customer didn't receive the Product")
    .method(RefundMethod::Auto)
    .transfer_destination(
        TransferDestination::new("BCA", "17677665415", "Reforza Jordan Geotama")
            .description("Refund Pivot"),
    )
    .metadata(notes);
    refund.validate().unwrap();
    assert_eq!(
        serde_json::to_value(&refund).unwrap(),
        fixture_json("refund-create-request.json")
    );
}

// ---------------------------------------------------------------------------------------------
// Responses, read through the client
// ---------------------------------------------------------------------------------------------

const DOC_CLIENT_ID: &str = "doc-client-id";
const DOC_CLIENT_SECRET: &str = "doc-client-secret";

/// A server that issues the documented access token (for the documented token request only)
/// and a client pointed at it.
async fn documented_server() -> (MockServer, Client) {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/access-token")
                .header("x-merchant-id", DOC_CLIENT_ID)
                .header("x-merchant-secret", DOC_CLIENT_SECRET)
                .json_body(fixture_json("access-token-request.json"));
            then.status(200)
                .header("content-type", "application/json")
                .body(fixture("access-token-response.json"));
        })
        .await;
    let client = Client::builder(Credentials::sandbox(DOC_CLIENT_ID, DOC_CLIENT_SECRET))
        .base_url(server.base_url())
        .request_id_generator(|| RequestId::new("DOCUMENTED0000000000000001").unwrap())
        .max_retries(0)
        .build()
        .unwrap();
    (server, client)
}

fn documented_bearer() -> String {
    let token = fixture_json("access-token-response.json");
    format!("Bearer {}", token["data"]["accessToken"].as_str().unwrap())
}

/// Serves `body` for `method path` to requests that carry the documented token.
async fn serve(
    server: &MockServer,
    method: httpmock::Method,
    path: &str,
    status: u16,
    body: String,
) {
    let bearer = documented_bearer();
    server
        .mock_async(|when, then| {
            when.method(method)
                .path(path)
                .header("authorization", bearer);
            then.status(status)
                .header("content-type", "application/json")
                .body(body);
        })
        .await;
}

#[tokio::test]
async fn flow_a_response_reads_as_a_session_with_a_payment_page_and_a_customer_id() {
    let (server, client) = documented_server().await;
    serve(
        &server,
        POST,
        "/v2/payments",
        200,
        fixture("create-redirect-save-card-response.json"),
    )
    .await;
    let session = client.create_payment_session(&flow_a()).await.unwrap();
    assert_eq!(session.status, PaymentSessionStatus::RequireAction);
    assert!(
        session
            .payment_url
            .as_deref()
            .unwrap()
            .starts_with("https://pay.pivot-payment.com/detail?token=")
    );
    assert_eq!(
        session.customer_id.as_deref(),
        Some("0197e3f5-1a17-7d43-b2f9-1b51479fb8a9")
    );
    assert_eq!(session.save_for_future_use, Some(true));
    assert_eq!(
        session.charge_details[0].status,
        ChargeStatus::WaitingForUserAction
    );
    assert!(!session.is_paid());
    insta::assert_debug_snapshot!("flow_a_response", session);
}

#[tokio::test]
async fn flow_b_response_reads_the_sure_name_spelling() {
    let (server, client) = documented_server().await;
    serve(
        &server,
        POST,
        "/v2/payments",
        200,
        fixture("create-redirect-saved-card-response.json"),
    )
    .await;
    let session = client.create_payment_session(&flow_b()).await.unwrap();
    assert_eq!(session.show_saved_payment, Some(true));
    assert_eq!(
        session.customer.as_ref().unwrap().surname.as_deref(),
        Some("Geotama")
    );
    insta::assert_debug_snapshot!("flow_b_response", session);
}

#[tokio::test]
async fn flow_c_response_carries_a_usable_encryption_key_and_no_payment_page() {
    let (server, client) = documented_server().await;
    serve(
        &server,
        POST,
        "/v2/payments",
        200,
        fixture("create-api-save-card-response.json"),
    )
    .await;
    let session = client.create_payment_session(&flow_c()).await.unwrap();
    assert_eq!(session.status, PaymentSessionStatus::RequireConfirmation);
    assert_eq!(session.payment_url, None);
    assert!(session.charge_details.is_empty());
    assert_eq!(session.encryption_key().unwrap().bits(), 2048);
    insta::assert_debug_snapshot!("flow_c_response", session);
}

#[tokio::test]
async fn confirm_response_carries_the_3ds_page_and_a_new_key() {
    let (server, client) = documented_server().await;
    serve(
        &server,
        POST,
        "/v2/payments/c4f2a951-18e7-4df8-a2bb-86957076191c/confirm",
        200,
        fixture("confirm-response.json"),
    )
    .await;
    let documented = fixture_json("confirm-request.json");
    let confirm = ConfirmPaymentSession::encrypted_card(
        EncryptedCard::from_string(
            documented["paymentMethod"]["card"]["encryptedCard"]
                .as_str()
                .unwrap(),
        ),
        documented_card_options(),
    );
    let session = client
        .confirm_payment_session("c4f2a951-18e7-4df8-a2bb-86957076191c", &confirm)
        .await
        .unwrap();
    assert!(
        session
            .payment_url
            .as_deref()
            .unwrap()
            .contains("/payment/creditcard/threeds?")
    );
    assert_eq!(session.encryption_key().unwrap().bits(), 2048);
    let charge = &session.charge_details[0];
    let card = charge.card.as_ref().unwrap();
    assert_eq!(card.last4.as_deref(), Some("6666"));
    assert_eq!(
        card.authentication_result
            .as_ref()
            .unwrap()
            .three_ds_version
            .as_deref(),
        Some("3DS2")
    );
    assert_eq!(card.authorization_result, None);
    insta::assert_debug_snapshot!("confirm_response", session);
}

#[tokio::test]
async fn flow_d_response_lists_the_stored_card() {
    let (server, client) = documented_server().await;
    serve(
        &server,
        POST,
        "/v2/payments",
        200,
        fixture("create-api-saved-card-response.json"),
    )
    .await;
    let session = client.create_payment_session(&flow_d()).await.unwrap();
    assert!(
        session
            .payment_url
            .as_deref()
            .unwrap()
            .contains("authenticate-token?cred=")
    );
    let stored = &session.customer.as_ref().unwrap().stored_payment_methods;
    assert_eq!(stored[0].token, "020027de-134e-45ed-8f0d-7ae0506a7133");
    assert_eq!(stored[0].payment_method, Some(PaymentMethodType::Card));
    // Empty strings of the charge card read as "not set".
    assert_eq!(
        session.charge_details[0].card.as_ref().unwrap().first6,
        None
    );
    insta::assert_debug_snapshot!("flow_d_response", session);
}

#[tokio::test]
async fn get_by_id_by_reference_and_list_read_their_documented_responses() {
    let (server, client) = documented_server().await;
    serve(
        &server,
        GET,
        "/v2/payments/bca0b57a-391e-4f6f-bfef-8cd37492ee5b",
        200,
        fixture("get-payment-response.json"),
    )
    .await;
    let session = client
        .get_payment_session("bca0b57a-391e-4f6f-bfef-8cd37492ee5b")
        .await
        .unwrap();
    assert!(session.is_paid());
    let charge = session.latest_charge().unwrap();
    assert!(charge.status.is_success());
    assert_eq!(
        charge
            .card
            .as_ref()
            .unwrap()
            .authorization_result
            .as_ref()
            .unwrap()
            .authorized_amount,
        Some(Amount::idr(10_001))
    );
    assert!(
        session
            .customer
            .as_ref()
            .unwrap()
            .stored_payment_methods
            .is_empty()
    );
    insta::assert_debug_snapshot!("get_payment_response", session);

    let (server, client) = documented_server().await;
    let bearer = documented_bearer();
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v2/payments")
                .query_param("clientReferenceId", "1750758552")
                .header("authorization", bearer);
            then.status(200)
                .body(fixture("get-payment-by-reference-response.json"));
        })
        .await;
    let found = client
        .get_payment_sessions_by_reference("1750758552")
        .await
        .unwrap();
    assert_eq!(found.items.len(), 1);
    assert_eq!(found.items[0], session, "the same session as by id");
    assert_eq!(found.pagination.as_ref().unwrap().total_items, Some(1));

    let (server, client) = documented_server().await;
    let bearer = documented_bearer();
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v2/payments")
                .query_param("page", "1")
                .query_param("perPage", "10")
                .header("authorization", bearer);
            then.status(200)
                .body(fixture("list-payments-response.json"));
        })
        .await;
    let page = client
        .list_payment_sessions(PageRequest::new().page(1).per_page(10))
        .await
        .unwrap();
    assert_eq!(page.items.len(), 2);
    assert!(!page.has_more());
    let multiple = &page.items[1];
    assert_eq!(multiple.payment_type, Some(PaymentType::Multiple));
    assert_eq!(multiple.status, PaymentSessionStatus::Active);
    assert_eq!(multiple.charge_details.len(), 4);
    let va = multiple
        .payment_method
        .as_ref()
        .unwrap()
        .virtual_account
        .as_ref()
        .unwrap();
    assert_eq!(va.expiry_at, None, "0001-01-01T00:00:00Z means not set");
    insta::assert_debug_snapshot!("list_payments_response", page);
}

#[tokio::test]
async fn cancel_sends_the_documented_body_and_reads_the_documented_response() {
    let (server, client) = documented_server().await;
    let bearer = documented_bearer();
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/payments/f5011fb2-e205-46ad-ac20-481429ba1d32/cancel")
                .header("authorization", bearer)
                .json_body(fixture_json("cancel-request.json"));
            then.status(200).body(fixture("cancel-response.json"));
        })
        .await;
    let session = client
        .cancel_payment_session(
            "f5011fb2-e205-46ad-ac20-481429ba1d32",
            CancellationReason::RequestedByCustomer,
        )
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(session.status, PaymentSessionStatus::Cancelled);
    assert_eq!(session.payment_method, None);
    assert_eq!(
        session.cancellation_reason,
        Some(CancellationReason::RequestedByCustomer)
    );
    assert!(session.cancelled_at.is_some());
    insta::assert_debug_snapshot!("cancel_response", session);
}

#[tokio::test]
async fn capture_and_charges_read_their_documented_responses() {
    let (server, client) = documented_server().await;
    let bearer = documented_bearer();
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/payments/e03c2066-9e5b-454c-add6-c7c85b0b9d6b/capture")
                .header("authorization", bearer)
                .json_body(fixture_json("capture-request.json"));
            then.status(200).body(fixture("capture-response.json"));
        })
        .await;
    let capture = client
        .capture_payment_session(
            "e03c2066-9e5b-454c-add6-c7c85b0b9d6b",
            &CapturePaymentSession::new(true).amount(Amount::idr(12_000)),
        )
        .await
        .unwrap();
    assert_eq!(capture.status, CaptureStatus::Pending);
    assert_eq!(capture.amount, Some(Amount::idr(12_000)));
    insta::assert_debug_snapshot!("capture_response", capture);

    let (server, client) = documented_server().await;
    let bearer = documented_bearer();
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v2/charges")
                .query_param("clientReferenceId", "1750758552")
                .header("authorization", bearer);
            then.status(200)
                .body(fixture("charges-by-reference-response.json"));
        })
        .await;
    let charges = client.list_charges("1750758552").await.unwrap();
    assert_eq!(charges.items.len(), 1);
    assert_eq!(charges.items[0].failure_code, None);
    insta::assert_debug_snapshot!("charges_response", charges);
}

#[tokio::test]
async fn payment_method_configs_read_after_the_documented_comma_fix() {
    let raw = fixture("payment-method-configs-response.json");
    assert!(
        serde_json::from_str::<Value>(&raw).is_err(),
        "the example is broken as published"
    );
    let corrected = raw.replacen("\"DANAMON\"\n", "\"DANAMON\",\n", 1);
    let (server, client) = documented_server().await;
    serve(&server, GET, "/v2/payment-method-configs", 200, corrected).await;
    let configs = client.get_payment_method_configs().await.unwrap();
    let card = configs.card.as_ref().unwrap();
    assert_eq!(card.accepted_channels, ["VISA", "MASTERCARD", "JCB"]);
    assert!(card.accepts(&Amount::idr(10_000)));
    assert!(!card.accepts(&Amount::idr(9_999)));
    assert_eq!(
        configs
            .virtual_account
            .as_ref()
            .unwrap()
            .accepted_channels
            .len(),
        9
    );
    assert!(
        configs
            .installment
            .as_ref()
            .unwrap()
            .accepted_channels
            .is_empty()
    );
    insta::assert_debug_snapshot!("payment_method_configs_response", configs);
}

#[tokio::test]
async fn retrieve_customer_reads_the_documented_response() {
    let (server, client) = documented_server().await;
    serve(
        &server,
        GET,
        "/v1/customers/01975d90-bb55-76f6-b423-691c7868e85d",
        200,
        fixture("retrieve-customer-response.json"),
    )
    .await;
    let customer = client
        .get_customer("01975d90-bb55-76f6-b423-691c7868e85d")
        .await
        .unwrap();
    let cards: Vec<_> = customer.active_cards().collect();
    assert_eq!(cards.len(), 1);
    assert_eq!(cards[0].status, Some(StoredPaymentMethodStatus::Active));
    assert_eq!(
        cards[0].card.as_ref().unwrap().exp_year.as_deref(),
        Some("39")
    );
    insta::assert_debug_snapshot!("retrieve_customer_response", customer);
}

#[tokio::test]
async fn refunds_read_their_documented_responses() {
    let (server, client) = documented_server().await;
    let bearer = documented_bearer();
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/refunds")
                .header("authorization", bearer)
                .json_body(fixture_json("refund-create-request.json"));
            then.status(200)
                .body(fixture("refund-create-response.json"));
        })
        .await;
    let mut notes = serde_json::Map::new();
    notes.insert("notes".into(), json!("Customer called support"));
    let request = CreateRefund::full(
        "1755665477",
        "44a14481-fa75-49a5-b17f-d03d8c5d52a6",
        RefundReason::RequestedByCustomer,
    )
    .amount(Amount::idr(10_000))
    .description("Customer didn't receive the Product")
    .method(RefundMethod::Auto)
    .transfer_destination(
        TransferDestination::new("BCA", "17677665415", "Reforza Jordan Geotama")
            .description("Refund Pivot"),
    )
    .metadata(notes);
    let refund = client.create_refund(&request).await.unwrap();
    assert_eq!(refund.status, RefundStatus::Pending);
    assert_eq!(
        refund.amount,
        Some(Amount::new(rust_decimal::Decimal::new(1_000_000, 2), "IDR"))
    );
    insta::assert_debug_snapshot!("refund_create_response", refund);

    let (server, client) = documented_server().await;
    serve(
        &server,
        GET,
        "/v1/refunds/01990e74-5bc9-79a5-a651-400af0ad13ef",
        200,
        fixture("refund-get-response.json"),
    )
    .await;
    let refund = client
        .get_refund("01990e74-5bc9-79a5-a651-400af0ad13ef")
        .await
        .unwrap();
    assert_eq!(refund.status, RefundStatus::Success);
    insta::assert_debug_snapshot!("refund_get_response", refund);

    let (server, client) = documented_server().await;
    serve(
        &server,
        GET,
        "/v1/refunds",
        200,
        fixture("refund-list-response.json"),
    )
    .await;
    let refunds = client.list_refunds(&ListRefunds::new()).await.unwrap();
    assert_eq!(refunds.items.len(), 2);
    assert!(refunds.has_more(), "page 1 of 5");
    insta::assert_debug_snapshot!("refund_list_response", refunds);
}

// ---------------------------------------------------------------------------------------------
// Objects and error examples
// ---------------------------------------------------------------------------------------------

#[test]
fn the_payment_session_object_example_reads_with_mixed_case_stored_methods() {
    let session: PaymentSession =
        serde_json::from_str(&fixture("payment-session-object.json")).unwrap();
    let stored = &session.customer.as_ref().unwrap().stored_payment_methods;
    assert_eq!(stored.len(), 2);
    assert_eq!(stored[1].payment_method, Some(PaymentMethodType::Ewallet));
    assert_eq!(stored[1].card, None);
    let history = &session.charge_details[0].capture_histories[0];
    assert_eq!(
        history.captured_amount,
        Some(rust_decimal::Decimal::from(10_001))
    );
    // The stale 32-character key of this example is not a public key: a clear error.
    assert!(matches!(
        session.encryption_key(),
        Err(Error::Encryption { .. })
    ));
    insta::assert_debug_snapshot!("payment_session_object", session);
}

#[test]
fn the_charge_object_example_reads_after_the_documented_comma_fix() {
    let raw = fixture("charge-object.json");
    assert!(
        serde_json::from_str::<Value>(&raw).is_err(),
        "the example is broken as published"
    );
    let corrected = raw.replacen(
        "      ]\n      \"virtualAccount\"",
        "      ],\n      \"virtualAccount\"",
        1,
    );
    let value: Value = serde_json::from_str(&corrected).unwrap();
    let charge: Charge = serde_json::from_value(value["chargeDetails"][0].clone()).unwrap();
    assert_eq!(
        charge.capture_histories[0].captured_amount,
        Some(rust_decimal::Decimal::from(12_000))
    );
    assert_eq!(
        charge.capture_histories[0].status,
        Some(CaptureStatus::Success)
    );
}

#[test]
fn the_response_format_example_reads_after_removing_its_placeholders() {
    let raw = fixture("response-format.json");
    let value: Value = serde_json::from_str(&strip_line_comments(&raw)).unwrap();
    assert_eq!(value["code"], "00");
    let pagination: Pagination = serde_json::from_value(value["pagination"].clone()).unwrap();
    assert_eq!(pagination.page, Some(2));
    assert_eq!(pagination.per_page, Some(20));
    assert_eq!(pagination.total_items, Some(400));
    assert_eq!(pagination.total_pages, Some(20));
}

#[tokio::test]
async fn the_documented_error_object_becomes_a_provider_error() {
    let corrected = format!("{}}}", strip_line_comments(&fixture("error-object.json")));
    assert!(serde_json::from_str::<Value>(&corrected).is_ok());
    let (server, client) = documented_server().await;
    serve(&server, GET, "/v2/payments/x", 400, corrected).await;
    let err = client.get_payment_session("x").await.unwrap_err();
    let provider = err.as_provider().unwrap();
    assert_eq!(provider.status.as_u16(), 400);
    assert_eq!(err.provider_code(), Some("400100xxx"));
    assert_eq!(provider.details[0].field.as_deref(), Some("Email"));
    assert_eq!(
        provider.details[0].message.as_deref(),
        Some("Email is required")
    );
    assert_eq!(
        provider.trace_id.as_deref(),
        Some("ed9ef145530fc386190ddd7612ed61c7")
    );
    assert!(!err.may_have_been_processed());
    assert!(!err.is_retryable());
    assert!(err.to_string().contains("Email is required"), "{err}");
}

#[tokio::test]
async fn the_documented_validation_error_names_its_cause() {
    let body = json!({
        "code": "api_validation_error",
        "message": "The request was invalid, or an error occurred in downstream provider",
        "error": fixture_json("error-api-validation-multiple.json"),
    });
    let (server, client) = documented_server().await;
    serve(&server, POST, "/v2/payments", 400, body.to_string()).await;
    let err = client.create_payment_session(&flow_a()).await.unwrap_err();
    assert_eq!(err.provider_code(), Some("api_validation_error"));
    let provider = err.as_provider().unwrap();
    assert_eq!(provider.trace_id, None, "an empty traceId is no trace id");
    assert_eq!(provider.details[0].field, None);
    assert!(
        err.to_string()
            .contains("paymentType 'MULTIPLE' is only allowed when mode is set to 'API'"),
        "{err}"
    );
    assert_eq!(
        err.request_id().map(RequestId::as_str),
        Some("DOCUMENTED0000000000000001")
    );
}
