//! `prepare_*` returns exactly what the operation sends: for every operation, the request the
//! mock PortOne received equals the prepared one — method, path, query, every header byte for
//! byte, and the body byte for byte — on a fixed clock.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use portone_client::model::card::{CardNumber, CardRecord, CardToken, Cvv, NewCard};
use portone_client::model::checkout::{
    CheckoutRequest, MerchantDetails, OrderItem, PaymentRequest, RedirectUrls,
};
use portone_client::model::customer::AddCustomerRequest;
use portone_client::model::refund::RefundRequest;
use portone_client::testing::{
    MOCK_OTP, MOCK_PORTONE_KEY, MOCK_SECRET_KEY, MockGateway, Operation, RecordedRequest,
};
use portone_client::{Client, Decimal, SavedCardsAccess, SecretString};
use serde_json::Value;

const FIXED_NOW: u64 = 1_724_302_051;
const UUID: &str = "8e52c57d-9bda-437e-973d-fb4f9756d15f";
const ORDER_REF: &str = "2YGZp22ExeOu0As61wa7i0JyMJn";
const LINK_REF: &str = "2kxG67L5yd3d6spRv76uE1QWnR5";

fn fixed_clock() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(FIXED_NOW)
}

fn fixed_client(mock: &MockGateway) -> Client {
    mock.set_now(fixed_clock());
    mock.client_builder().clock(fixed_clock).build().unwrap()
}

/// The last request the mock received for `operation`.
fn last(mock: &MockGateway, operation: Operation) -> RecordedRequest {
    mock.requests_of(operation)
        .pop()
        .unwrap_or_else(|| panic!("no {operation:?} request"))
}

/// The prepared request's method, URL, headers and body are what the mock received. The HTTP
/// layer adds only `host` and `content-length`.
fn assert_sent(prepared: &http::Request<Vec<u8>>, recorded: &RecordedRequest, body_exact: bool) {
    assert_eq!(prepared.method().as_str(), recorded.method());
    assert_eq!(prepared.uri().path(), recorded.path());
    assert_eq!(prepared.uri().query(), recorded.query());
    for (name, value) in prepared.headers() {
        assert_eq!(
            recorded.header(name.as_str()).map(str::as_bytes),
            Some(value.as_bytes()),
            "header {name}"
        );
    }
    let added: Vec<&str> = recorded
        .headers()
        .iter()
        .map(|(k, _)| k.as_str())
        .filter(|k| !prepared.headers().contains_key(*k))
        .collect();
    assert!(
        added
            .iter()
            .all(|k| matches!(*k, "host" | "content-length")),
        "headers the prepared request lacks: {added:?}"
    );
    if body_exact {
        assert_eq!(
            prepared.body().as_slice(),
            recorded.body(),
            "{}",
            String::from_utf8_lossy(recorded.body())
        );
    }
}

fn urls() -> RedirectUrls {
    RedirectUrls::new(
        "https://shop.example/success",
        "https://shop.example/failure",
    )
}

fn checkout() -> CheckoutRequest {
    CheckoutRequest::new(
        "order-0001",
        Decimal::from(19010),
        "VND",
        "VN",
        MerchantDetails::new("Curo Sports")
            .promo_discount(Decimal::from(10000))
            .shipping_charges(Decimal::from(10000)),
        urls(),
    )
    .order_item(OrderItem::new(
        "product_001",
        "Hand Gloves",
        Decimal::from(19010),
        1,
    ))
}

fn payment() -> PaymentRequest {
    PaymentRequest::new(
        "MERCHANT1617366877238",
        Decimal::from_str("19010.20").unwrap(),
        "USD",
        "STRIPE",
        "STRIPE_CARD",
        "Hand gloves",
        urls(),
    )
}

#[tokio::test]
async fn payment_requests_are_sent_exactly_as_prepared() {
    let mock = MockGateway::start().await;
    let client = fixed_client(&mock);

    let prepared = client
        .prepare_create_payment_link(&checkout())
        .await
        .unwrap();
    client.create_payment_link(&checkout()).await.unwrap();
    assert_sent(&prepared, &last(&mock, Operation::CreatePaymentLink), true);
    // The prepared URL is the mock's, and the body carries the signature the mock accepted.
    assert!(
        prepared
            .uri()
            .to_string()
            .starts_with(mock.base_url().trim_end_matches('/'))
    );
    let body: Value = serde_json::from_slice(prepared.body()).unwrap();
    assert_eq!(body["portone_key"], MOCK_PORTONE_KEY);
    assert!(body["signature_hash"].is_string());

    let prepared = client.prepare_initiate_payment(&payment()).await.unwrap();
    client.initiate_payment(&payment()).await.unwrap();
    assert_sent(&prepared, &last(&mock, Operation::InitiatePayment), true);

    let refund = RefundRequest::partial(Decimal::from_str("250.50").unwrap()).reason("damaged");
    let prepared = client.prepare_refund(ORDER_REF, &refund).await.unwrap();
    client.refund(ORDER_REF, &refund).await.unwrap();
    assert_sent(&prepared, &last(&mock, Operation::Refund), true);

    let prepared = client.prepare_capture(ORDER_REF).await.unwrap();
    client.capture(ORDER_REF).await.unwrap();
    assert_sent(&prepared, &last(&mock, Operation::Capture), true);
}

#[tokio::test]
async fn reads_and_vault_calls_are_sent_exactly_as_prepared() {
    let mock = MockGateway::start().await;
    let client = fixed_client(&mock);

    let prepared = client.prepare_auth_token().await.unwrap();
    client.auth_token().await.unwrap();
    assert_sent(&prepared, &last(&mock, Operation::AuthToken), true);

    let prepared = client.prepare_payment_methods("VND").await.unwrap();
    client.payment_methods("VND").await.unwrap();
    assert_sent(&prepared, &last(&mock, Operation::PaymentMethods), true);

    let prepared = client.prepare_card_public_key().await.unwrap();
    let key = client.card_public_key().await.unwrap();
    assert_sent(&prepared, &last(&mock, Operation::CardPublicKey), true);

    // Card data is encrypted with randomised padding: everything but the two ciphertexts is
    // identical, and the mock (which decrypts them) accepted the request.
    let card = NewCard::new(
        CardNumber::new("4242424242424242").unwrap(),
        Cvv::new("123").unwrap(),
        "NGUYEN VAN A",
        "05",
        "2030",
    )
    .unwrap();
    let prepared = client
        .prepare_tokenize_card_with_key(&card, &key)
        .await
        .unwrap();
    client.tokenize_card_with_key(&card, &key).await.unwrap();
    let recorded = last(&mock, Operation::TokenizeCard);
    assert_sent(&prepared, &recorded, false);
    let strip = |bytes: &[u8]| {
        let mut v: Value = serde_json::from_slice(bytes).unwrap();
        let map = v.as_object_mut().unwrap();
        for field in ["card_number", "service_code"] {
            assert!(map.remove(field).unwrap().as_str().unwrap().len() > 100);
        }
        v
    };
    assert_eq!(strip(prepared.body()), strip(recorded.body()));

    let prepared = client.prepare_send_otp("+84912345678").await.unwrap();
    client.send_otp("+84912345678").await.unwrap();
    assert_sent(&prepared, &last(&mock, Operation::SendOtp), true);

    let otp = || SavedCardsAccess::Otp(SecretString::from(MOCK_OTP));
    let prepared = client
        .prepare_saved_cards("+84912345678", otp())
        .await
        .unwrap();
    let saved = client.saved_cards("+84912345678", otp()).await.unwrap();
    assert_sent(&prepared, &last(&mock, Operation::SavedCards), true);
    let token = SavedCardsAccess::Token(saved.token.unwrap());
    let prepared = client
        .prepare_saved_cards("+84912345678", token.clone())
        .await
        .unwrap();
    client.saved_cards("+84912345678", token).await.unwrap();
    assert_sent(&prepared, &last(&mock, Operation::SavedCards), true);

    let customer = AddCustomerRequest::new(
        "Test mark",
        "cust-0001",
        "markweins@gmail.com",
        "+84912345678",
    );
    let prepared = client.prepare_add_customer(&customer).await.unwrap();
    client.add_customer(&customer).await.unwrap();
    assert_sent(&prepared, &last(&mock, Operation::AddCustomer), true);

    let prepared = client.prepare_customer(UUID).await.unwrap();
    client.customer(UUID).await.unwrap();
    assert_sent(&prepared, &last(&mock, Operation::Customer), true);

    let record = CardRecord::new(CardToken::new("cdec91449d3a4b4bae9144d586a2b972"))
        .partial_card_number("424242******4242")
        .expiry("07", "2031");
    let prepared = client
        .prepare_add_card_for_customer(UUID, &record)
        .await
        .unwrap();
    client.add_card_for_customer(UUID, &record).await.unwrap();
    assert_sent(&prepared, &last(&mock, Operation::AddCardForCustomer), true);

    let prepared = client.prepare_list_cards(UUID).await.unwrap();
    client.list_cards(UUID).await.unwrap();
    assert_sent(&prepared, &last(&mock, Operation::ListCards), true);

    let token = CardToken::new("a6a868835098431b83fc05edf16a2d81");
    let prepared = client.prepare_delete_card(UUID, &token).await.unwrap();
    client.delete_card(UUID, &token).await.unwrap();
    assert_sent(&prepared, &last(&mock, Operation::DeleteCard), true);

    let prepared = client.prepare_routes().await.unwrap();
    client.routes().await.unwrap();
    assert_sent(&prepared, &last(&mock, Operation::Routes), true);

    let prepared = client
        .prepare_transaction_status("order 0001/ü")
        .await
        .unwrap();
    client.transaction_status("order 0001/ü").await.unwrap();
    assert_sent(&prepared, &last(&mock, Operation::TransactionStatus), true);

    let prepared = client.prepare_transaction_details(ORDER_REF).await.unwrap();
    client.transaction_details(ORDER_REF).await.unwrap();
    assert_sent(&prepared, &last(&mock, Operation::TransactionDetails), true);

    let prepared = client.prepare_refunds(ORDER_REF).await.unwrap();
    client.refunds(ORDER_REF).await.unwrap();
    assert_sent(&prepared, &last(&mock, Operation::Refunds), true);

    let prepared = client.prepare_payment_link_status(LINK_REF).await.unwrap();
    client.payment_link_status(LINK_REF).await.unwrap();
    assert_sent(&prepared, &last(&mock, Operation::PaymentLinkStatus), true);

    let prepared = client.prepare_cancel_payment_link(LINK_REF).await.unwrap();
    client.cancel_payment_link(LINK_REF).await.unwrap();
    assert_sent(&prepared, &last(&mock, Operation::CancelPaymentLink), true);
}

#[tokio::test]
async fn prepare_authenticates_like_the_operation_and_refuses_what_it_would_refuse() {
    let mock = MockGateway::start().await;
    let client = fixed_client(&mock);
    let prepared = client.prepare_capture(ORDER_REF).await.unwrap();
    // The JWT is minted from the client's clock and verifies with the merchant secret.
    let token = prepared.headers()["authorization"]
        .to_str()
        .unwrap()
        .strip_prefix("Bearer ")
        .unwrap()
        .to_owned();
    let claims = portone_client::auth::verify_jwt(MOCK_SECRET_KEY, &token).unwrap();
    assert_eq!(
        (claims.sub.as_str(), claims.iat),
        (MOCK_PORTONE_KEY, FIXED_NOW)
    );
    assert_eq!(
        prepared.headers()["user-agent"],
        format!("portone-client/{}", env!("CARGO_PKG_VERSION")).as_str()
    );
    // Credentials are marked sensitive, so `Debug` of the request does not show them.
    let debug = format!("{prepared:?}");
    assert!(!debug.contains(&token), "{debug}");
    assert!(!debug.contains(MOCK_PORTONE_KEY), "{debug}");
    assert!(!debug.contains(MOCK_SECRET_KEY), "{debug}");

    // Nothing reached the mock, and what the operation refuses, prepare refuses too.
    assert!(mock.requests().is_empty());
    let err = client.prepare_capture("../x").await.unwrap_err();
    assert_eq!(err.rule(), Some(portone_client::error::Rule::Reference));
    let invalid = PaymentRequest::new(
        "o",
        Decimal::ZERO,
        "USD",
        "STRIPE",
        "STRIPE_CARD",
        "x",
        urls(),
    );
    assert!(client.prepare_initiate_payment(&invalid).await.is_err());
    assert!(client.initiate_payment(&invalid).await.is_err());
    assert!(mock.requests().is_empty());
}
