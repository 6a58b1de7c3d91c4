//! `prepare_*` returns exactly what the operation sends: for every operation, the request the
//! mock gateway receives has the prepared method, path, headers and body, byte for byte.
#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]

mod common;

use common::{SECRET, fixture_json};
use flitt_client::model::card::{Card, CardNumber, Cvv2, Expiry};
use flitt_client::model::checkout::{CheckoutRequest, Period, RecurringData};
use flitt_client::model::manage::{CaptureRequest, ReverseRequest};
use flitt_client::model::order::StatusRequest;
use flitt_client::model::payout::{P2pCreditRequest, PayoutReceiver};
use flitt_client::model::recurring::RecurringRequest;
use flitt_client::model::settlement::{SettlementReceiver, SettlementRequest};
use flitt_client::model::subscription::SubscriptionRequest;
use flitt_client::model::three_ds::{
    ThreeDsStep1Request, ThreeDsStep1Response, ThreeDsStep2Request,
};
use flitt_client::model::transactions::TransactionListRequest;
use flitt_client::testing::{MockGateway, Operation, RecordedRequest};
use flitt_client::{Client, Credentials, Currency, Error};

/// Headers the HTTP connection adds by itself (not chosen by the client).
const TRANSPORT_HEADERS: [&str; 2] = ["host", "content-length"];

/// The last request the mock received is the prepared one, byte for byte.
fn assert_sent_as_prepared(
    gateway: &MockGateway,
    operation: Operation,
    prepared: &http::Request<Vec<u8>>,
) {
    let seen: RecordedRequest = gateway.requests().last().cloned().unwrap();
    assert_eq!(seen.operation(), Some(operation));
    assert_eq!(seen.method(), prepared.method().as_str());
    assert_eq!(seen.path(), prepared.uri().path(), "{operation:?}");
    assert_eq!(seen.query(), prepared.uri().query());
    assert_eq!(seen.body(), prepared.body().as_slice(), "{operation:?}");
    for (name, value) in prepared.headers() {
        assert_eq!(
            seen.header(name.as_str()),
            Some(value.to_str().unwrap()),
            "{operation:?}: header {name}"
        );
    }
    for (name, _) in seen.headers() {
        assert!(
            prepared.headers().contains_key(name.as_str())
                || TRANSPORT_HEADERS.contains(&name.as_str()),
            "{operation:?}: the client sent a header it did not prepare: {name}"
        );
    }
    // The prepared URL is the mock's.
    assert_eq!(
        prepared.uri().to_string(),
        format!("{}/{}", gateway.base_url(), operation.path())
    );
}

#[tokio::test]
async fn every_operation_sends_exactly_what_prepare_returns() {
    let gateway = MockGateway::start().await;
    let client = gateway.client();

    let checkout = CheckoutRequest::new("co-1", "Coffee beans", 2500, Currency::GEL)
        .required_rectoken(true)
        .server_callback_url("https://shop.example/callback");
    let prepared = client.prepare_checkout_url(&checkout).await.unwrap();
    // Preparing sends nothing.
    assert!(gateway.requests().is_empty());
    client.checkout_url(&checkout).await.unwrap();
    assert_sent_as_prepared(&gateway, Operation::CheckoutUrl, &prepared);

    let token = CheckoutRequest::new("co-2", "Tea", 900, Currency::GEL);
    let prepared = client.prepare_checkout_token(&token).await.unwrap();
    client.checkout_token(&token).await.unwrap();
    assert_sent_as_prepared(&gateway, Operation::CheckoutToken, &prepared);

    let charge = RecurringRequest::new("r-1", "Plan", 1000, Currency::GEL, "tok-1");
    let prepared = client.prepare_recurring(&charge).await.unwrap();
    client.recurring(&charge).await.unwrap();
    assert_sent_as_prepared(&gateway, Operation::Recurring, &prepared);

    let status = StatusRequest::new("co-1");
    let prepared = client.prepare_order_status(&status).await.unwrap();
    client.order_status(&status).await.unwrap();
    assert_sent_as_prepared(&gateway, Operation::OrderStatus, &prepared);

    let refund = ReverseRequest::new("co-1", 300, Currency::GEL).comment("damaged");
    let prepared = client.prepare_reverse(&refund).await.unwrap();
    client.reverse(&refund).await.unwrap();
    assert_sent_as_prepared(&gateway, Operation::Reverse, &prepared);

    gateway.add_order("held-1", 2500, "GEL", "approved", true);
    let capture = CaptureRequest::new("held-1", 2500, Currency::GEL);
    let prepared = client.prepare_capture(&capture).await.unwrap();
    client.capture(&capture).await.unwrap();
    assert_sent_as_prepared(&gateway, Operation::Capture, &prepared);

    let payout = P2pCreditRequest::new(
        "payout-1",
        "Winnings",
        15000,
        Currency::GEL,
        PayoutReceiver::Rectoken("rt-1".into()),
    );
    let prepared = client.prepare_p2p_credit(&payout).await.unwrap();
    client.p2p_credit(&payout).await.unwrap();
    assert_sent_as_prepared(&gateway, Operation::P2pCredit, &prepared);

    let card = Card::new(
        CardNumber::new("4444555566661111").unwrap(),
        Expiry::new(12, 2030).unwrap(),
        Cvv2::new("123").unwrap(),
    );
    let step1 = ThreeDsStep1Request::new("3ds-1", "Tickets", 4200, Currency::GEL, card);
    let prepared = client.prepare_three_ds_step1(&step1).await.unwrap();
    let ThreeDsStep1Response::Challenge(challenge) = client.three_ds_step1(&step1).await.unwrap()
    else {
        panic!("the test card needs 3-D Secure")
    };
    assert_sent_as_prepared(&gateway, Operation::ThreeDsStep1, &prepared);

    let step2 = ThreeDsStep2Request::new("3ds-1", "PaRes", challenge.md.clone());
    let prepared = client.prepare_three_ds_step2(&step2).await.unwrap();
    client.three_ds_step2(&step2).await.unwrap();
    assert_sent_as_prepared(&gateway, Operation::ThreeDsStep2, &prepared);

    let plan = CheckoutRequest::new("sub-1", "Plan", 1000, Currency::GEL).subscription(
        RecurringData::new(1, Period::Month, 1000, time::macros::date!(2025 - 01 - 01)),
    );
    let prepared = client.prepare_checkout_url(&plan).await.unwrap();
    client.checkout_url(&plan).await.unwrap();
    assert_sent_as_prepared(&gateway, Operation::CheckoutUrl, &prepared);

    let stop = SubscriptionRequest::stop("sub-1");
    let prepared = client.prepare_subscription(&stop).await.unwrap();
    client.subscription(&stop).await.unwrap();
    assert_sent_as_prepared(&gateway, Operation::Subscription, &prepared);

    let list = TransactionListRequest::new("co-1");
    let prepared = client.prepare_transaction_list(&list).await.unwrap();
    client.transaction_list(&list).await.unwrap();
    assert_sent_as_prepared(&gateway, Operation::TransactionList, &prepared);

    let settle = SettlementRequest::new(
        "settle-1",
        "co-1",
        "Split",
        2200,
        Currency::GEL,
        vec![SettlementReceiver::merchant(600001, 2200)],
    );
    let prepared = client.prepare_settlement(&settle).await.unwrap();
    client.settlement(&settle).await.unwrap();
    assert_sent_as_prepared(&gateway, Operation::Settlement, &prepared);

    assert_eq!(gateway.requests().len(), 13);
}

#[tokio::test]
async fn prepare_of_the_documented_recurring_example_is_the_document_with_the_corrected_signature()
{
    let client = Client::builder(Credentials::new(1_549_901, SECRET))
        .build()
        .unwrap();
    let request = RecurringRequest::new(
        "test_12343242",
        "Test order",
        1000,
        Currency::GEL,
        "JcZoqYNosx1HjDoHXWlFU0avVnzYsFAbLBbA",
    )
    .server_callback_url("https://myserver.com/callback");
    let prepared = client.prepare_recurring(&request).await.unwrap();
    assert_eq!(prepared.method(), http::Method::POST);
    assert_eq!(
        prepared.uri().to_string(),
        "https://pay.flitt.com/api/recurring"
    );
    assert_eq!(prepared.headers()["content-type"], "application/json");
    assert_eq!(prepared.headers()["accept"], "application/json");
    assert_eq!(
        prepared.headers()["user-agent"],
        format!("flitt-client/{}", env!("CARGO_PKG_VERSION"))
    );
    let body: serde_json::Value = serde_json::from_slice(prepared.body()).unwrap();
    let mut documented = fixture_json("recurring-request");
    // The document prints a stale signature; docs/providers/flitt.md gives the correction.
    documented["request"]["signature"] = "8ec1947a09cba99c7db3e62b79d08e0406199132".into();
    assert_eq!(body, documented);
}

#[tokio::test]
async fn prepare_validates_like_the_operation_and_hides_nothing_it_should_not_show() {
    let client = Client::builder(Credentials::new(1_549_901, "prep-key-Qw3"))
        .build()
        .unwrap();
    let err = client
        .prepare_recurring(&RecurringRequest::new("o|1", "d", 1, Currency::GEL, "t"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidRequest {
                field: "order_id",
                ..
            }
        ),
        "{err:?}"
    );
    // Payouts need the credit key, prepared or sent.
    let err = client
        .prepare_p2p_credit(&P2pCreditRequest::new(
            "p-1",
            "d",
            1,
            Currency::GEL,
            PayoutReceiver::Rectoken("t".into()),
        ))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidRequest {
                field: "credit_key",
                ..
            }
        ),
        "{err:?}"
    );
    // The key signs the request but is never in it.
    let prepared = client
        .prepare_recurring(&RecurringRequest::new("o-1", "d", 1, Currency::GEL, "t"))
        .await
        .unwrap();
    assert!(!format!("{prepared:?}").contains("prep-key-Qw3"));
    assert!(
        !String::from_utf8_lossy(prepared.body()).contains("prep-key-Qw3"),
        "the key is not sent"
    );
}
