//! End to end over loopback: every operation against the mock gateway (which checks request
//! signatures independently), the exact requests sent (snapshots), retries and their absence,
//! ambiguous failures, and bad answers.
#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]

mod common;

use std::io::{Read, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::{CREDIT_KEY, MERCHANT_ID, Recorder, SECRET, Seen, flitt_signature, signed_response};
use flitt_client::model::card::{Card, CardNumber, Cvv2, Expiry};
use flitt_client::model::checkout::{CheckoutRequest, Period, RecurringData, VerificationType};
use flitt_client::model::manage::{CaptureRequest, ReverseRequest};
use flitt_client::model::order::StatusRequest;
use flitt_client::model::payout::{P2pCreditRequest, PayoutReceiver};
use flitt_client::model::recurring::RecurringRequest;
use flitt_client::model::settlement::{SettlementReceiver, SettlementRequest};
use flitt_client::model::subscription::{SubscriptionRequest, SubscriptionStatus};
use flitt_client::model::three_ds::{
    ThreeDsStep1Request, ThreeDsStep1Response, ThreeDsStep2Request,
};
use flitt_client::model::transactions::TransactionListRequest;
use flitt_client::model::{CaptureStatus, TranType};
use flitt_client::testing::{MockGateway, Operation, Outcome};
use flitt_client::{Client, Credentials, Currency, Error, ErrorCode, OrderStatus};
use serde_json::{Value, json};

fn charge(order_id: &str) -> RecurringRequest {
    RecurringRequest::new(
        order_id,
        "Monthly plan",
        1000,
        Currency::GEL,
        "JcZoqYNosx1HjDoHXWlFU0avVnzYsFAbLBbA",
    )
}

fn card(number: &str) -> Card {
    Card::new(
        CardNumber::new(number).unwrap(),
        Expiry::new(12, 2030).unwrap(),
        Cvv2::new("123").unwrap(),
    )
}

// ---------------------------------------------------------------------------------------------
// Every operation against the mock gateway.

#[tokio::test]
async fn checkout_url_creates_an_order_that_saves_the_card() {
    let gateway = MockGateway::start().await;
    let client = gateway.client();
    let page = client
        .checkout_url(
            &CheckoutRequest::new("co-1", "Coffee", 2500, Currency::GEL).required_rectoken(true),
        )
        .await
        .unwrap();
    assert!(
        page.checkout_url.starts_with(&gateway.base_url()),
        "{}",
        page.checkout_url
    );
    assert!(page.payment_id.is_some());
    let order = client
        .order_status(&StatusRequest::new("co-1"))
        .await
        .unwrap();
    assert_eq!(order.order_status, OrderStatus::Approved);
    assert_eq!(order.amount, Some(2500));
    assert!(order.rectoken.is_some());
    assert_eq!(gateway.hits(Operation::CheckoutUrl), 1);
    assert_eq!(gateway.hits(Operation::OrderStatus), 1);
}

#[tokio::test]
async fn checkout_token_returns_a_token_and_duplicates_are_refused() {
    let gateway = MockGateway::start().await;
    let client = gateway.client();
    let request = CheckoutRequest::new("co-2", "Tea", 900, Currency::GEL);
    let token = client.checkout_token(&request).await.unwrap();
    assert!(!token.token.is_empty());
    let err = client.checkout_token(&request).await.unwrap_err();
    assert_eq!(err.error_code(), Some(ErrorCode::DuplicateOrder));
}

#[tokio::test]
async fn recurring_approves_declines_and_errors_as_scripted() {
    let gateway = MockGateway::start().await;
    let client = gateway.client();

    // An explicit `version` takes part in the signature the gateway checks.
    let approved = client
        .recurring(&charge("r-1").version(flitt_client::ProtocolVersion::V1_0_1))
        .await
        .unwrap();
    assert!(approved.is_approved());
    assert!(approved.decline().is_none());

    gateway.script(
        Operation::Recurring,
        Outcome::Decline(ErrorCode::InsufficientFunds),
    );
    let declined = client.recurring(&charge("r-2")).await.unwrap();
    assert_eq!(declined.order_status, OrderStatus::Declined);
    assert!(!declined.is_approved());
    let decline = declined.decline().unwrap();
    assert_eq!(decline.code, Some(ErrorCode::InsufficientFunds));
    assert_eq!(
        decline.description.as_deref(),
        Some("Decline, not sufficient funds")
    );

    gateway.script(
        Operation::Recurring,
        Outcome::Error {
            code: ErrorCode::RectokenNotAllowed,
            message: "Transaction with rectoken not allowed for merchant".into(),
        },
    );
    let err = client.recurring(&charge("r-3")).await.unwrap_err();
    assert_eq!(err.error_code(), Some(ErrorCode::RectokenNotAllowed));
    assert!(!err.may_have_been_processed());

    assert_eq!(gateway.hits(Operation::Recurring), 3);
}

#[tokio::test]
async fn order_status_of_an_unknown_order_is_error_1018() {
    let gateway = MockGateway::start().await;
    let err = gateway
        .client()
        .order_status(&StatusRequest::new("never-created"))
        .await
        .unwrap_err();
    assert_eq!(err.error_code(), Some(ErrorCode::OrderNotFound));
    assert!(!err.may_have_been_processed());
}

#[tokio::test]
async fn reverse_is_idempotent_on_its_reverse_id() {
    let gateway = MockGateway::start().await;
    gateway.add_order("paid-1", 1000, "GEL", "approved", false);
    let client = gateway.client();
    let partial = ReverseRequest::new("paid-1", 400, Currency::GEL);
    let first = client.reverse(&partial).await.unwrap();
    assert_eq!(first.reverse_status, OrderStatus::Approved);
    assert_eq!(first.reversal_amount, Some(400));
    assert_eq!(first.reverse_id.as_deref(), Some(partial.id()));
    // The same reversal again (same reverse_id) does not refund twice.
    let again = client.reverse(&partial).await.unwrap();
    assert_eq!(again.reversal_amount, Some(400));
    // A new reversal of the rest reverses the order.
    let rest = client
        .reverse(&ReverseRequest::new("paid-1", 600, Currency::GEL))
        .await
        .unwrap();
    assert_eq!(rest.reverse_status, OrderStatus::Reversed);
    assert_eq!(rest.reversal_amount, Some(1000));
    let list = client
        .transaction_list(&TransactionListRequest::new("paid-1"))
        .await
        .unwrap();
    let kinds: Vec<_> = list.iter().map(|t| t.tran_type.clone()).collect();
    assert_eq!(
        kinds,
        vec![
            Some(TranType::Purchase),
            Some(TranType::Reverse),
            Some(TranType::Reverse)
        ]
    );
}

#[tokio::test]
async fn capture_completes_a_preauthorization_once() {
    let gateway = MockGateway::start().await;
    gateway.add_order("held-1", 2500, "GEL", "approved", true);
    let client = gateway.client();
    let capture = client
        .capture(&CaptureRequest::new("held-1", 2000, Currency::GEL))
        .await
        .unwrap();
    assert_eq!(capture.capture_status, CaptureStatus::Captured);
    assert_eq!(capture.capture_amount, Some(2000));
    // Retrying the same capture returns its status.
    let again = client
        .capture(&CaptureRequest::new("held-1", 2000, Currency::GEL))
        .await
        .unwrap();
    assert_eq!(again.capture_status, CaptureStatus::Captured);
    // Another amount is refused.
    let err = client
        .capture(&CaptureRequest::new("held-1", 2500, Currency::GEL))
        .await
        .unwrap_err();
    assert_eq!(
        err.error_code(),
        Some(ErrorCode::CapturedWithDifferentAmount)
    );
}

#[tokio::test]
async fn payouts_are_signed_with_the_credit_key() {
    let gateway = MockGateway::start().await;
    let payout = P2pCreditRequest::new(
        "payout-1",
        "Winnings",
        15000,
        Currency::GEL,
        PayoutReceiver::Rectoken("I0wh7fBmFIdcY6K3Px2QugVrVR65sPafeZkPmRanOiRnXG".into()),
    );
    let order = gateway.client().p2p_credit(&payout).await.unwrap();
    assert_eq!(order.tran_type, Some(TranType::P2pCredit));
    assert!(order.is_approved());

    // Without the credit key nothing is sent.
    let no_credit = Client::builder(Credentials::new(MERCHANT_ID, SECRET))
        .base_url(gateway.base_url())
        .build()
        .unwrap();
    let err = no_credit
        .p2p_credit(&P2pCreditRequest::new(
            "payout-2",
            "W",
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
    assert_eq!(gateway.hits(Operation::P2pCredit), 1);

    // Signed with the payment key instead, the gateway refuses it.
    let wrong = Client::builder(Credentials::new(MERCHANT_ID, SECRET).with_credit_key(SECRET))
        .base_url(gateway.base_url())
        .build()
        .unwrap();
    let err = wrong
        .p2p_credit(&P2pCreditRequest::new(
            "payout-3",
            "W",
            1,
            Currency::GEL,
            PayoutReceiver::Rectoken("t".into()),
        ))
        .await
        .unwrap_err();
    assert_eq!(err.error_code(), Some(ErrorCode::InvalidSignature));
}

#[tokio::test]
async fn three_d_secure_steps_complete_a_direct_card_payment() {
    let gateway = MockGateway::start().await;
    let client = gateway.client();
    // A documented test card without 3-D Secure approves at once…
    let direct = client
        .three_ds_step1(&ThreeDsStep1Request::new(
            "3ds-1",
            "Tickets",
            4200,
            Currency::GEL,
            card("4444555511116666"),
        ))
        .await
        .unwrap();
    match direct {
        ThreeDsStep1Response::Completed(order) => assert!(order.is_approved()),
        other => panic!("{other:?}"),
    }
    // …one that declines, declines…
    let declined = client
        .three_ds_step1(&ThreeDsStep1Request::new(
            "3ds-2",
            "Tickets",
            4200,
            Currency::GEL,
            card("4444111155556666"),
        ))
        .await
        .unwrap();
    match declined {
        ThreeDsStep1Response::Completed(order) => {
            assert_eq!(order.order_status, OrderStatus::Declined)
        }
        other => panic!("{other:?}"),
    }
    // …and a 3-D Secure card needs the challenge, then step 2.
    let challenged = client
        .three_ds_step1(&ThreeDsStep1Request::new(
            "3ds-3",
            "Tickets",
            4200,
            Currency::GEL,
            card("4444555566661111"),
        ))
        .await
        .unwrap();
    let ThreeDsStep1Response::Challenge(challenge) = challenged else {
        panic!("{challenged:?}")
    };
    assert!(challenge.acs_url.ends_with("/test/testacs/"));
    let order = client
        .three_ds_step2(&ThreeDsStep2Request::new(
            "3ds-3",
            "PaRes-from-acs",
            challenge.md.clone(),
        ))
        .await
        .unwrap();
    assert!(order.is_approved());
    assert_eq!(order.eci.as_deref(), Some("5"));
}

#[tokio::test]
async fn subscriptions_use_protocol_2_and_can_be_stopped_and_started() {
    let gateway = MockGateway::start().await;
    let client = gateway.client();
    let schedule = RecurringData::new(1, Period::Month, 1000, time::macros::date!(2025 - 01 - 01));
    client
        .checkout_url(
            &CheckoutRequest::new("sub-1", "Plan", 1000, Currency::GEL).subscription(schedule),
        )
        .await
        .unwrap();
    let stopped = client
        .subscription(&SubscriptionRequest::stop("sub-1"))
        .await
        .unwrap();
    assert_eq!(stopped.status, SubscriptionStatus::Disabled);
    let started = client
        .subscription(&SubscriptionRequest::start("sub-1"))
        .await
        .unwrap();
    assert_eq!(started.status, SubscriptionStatus::Active);
}

#[tokio::test]
async fn settlement_is_sent_and_answered_with_protocol_2() {
    let gateway = MockGateway::start().await;
    gateway.add_order("paid-2", 2500, "GEL", "approved", false);
    let order = gateway
        .client()
        .settlement(&SettlementRequest::new(
            "settle-1",
            "paid-2",
            "Split",
            2500,
            Currency::GEL,
            vec![
                SettlementReceiver::merchant(600001, 2000),
                SettlementReceiver::merchant(700001, 500),
            ],
        ))
        .await
        .unwrap();
    assert_eq!(order.order_id, "settle-1");
    assert!(order.is_approved());
    assert_eq!(order.parent_order_id.as_deref(), Some("paid-2"));
}

#[tokio::test]
async fn a_request_signed_with_the_wrong_key_is_refused_by_the_gateway() {
    let gateway = MockGateway::start().await;
    let client = Client::builder(Credentials::new(MERCHANT_ID, "not-the-key"))
        .base_url(gateway.base_url())
        .build()
        .unwrap();
    let err = client.recurring(&charge("bad-key")).await.unwrap_err();
    assert_eq!(err.error_code(), Some(ErrorCode::InvalidSignature));
    // The gateway's hint never carries our key.
    assert!(!format!("{err:?}").contains("not-the-key"));
}

#[tokio::test]
async fn invalid_requests_are_never_sent() {
    let gateway = MockGateway::start().await;
    let client = gateway.client();
    let err = client
        .recurring(&RecurringRequest::new(
            "o|1",
            "desc",
            1000,
            Currency::GEL,
            "tok",
        ))
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
    let err = client
        .recurring(&charge("o-2").lifetime(69_120_001))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidRequest {
                field: "lifetime",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(!err.may_have_been_processed());
    assert_eq!(gateway.hits(Operation::Recurring), 0);
}

// ---------------------------------------------------------------------------------------------
// Safety: tampering, timeouts, dropped connections, retries.

#[tokio::test]
async fn a_tampered_response_is_rejected() {
    let gateway = MockGateway::start().await;
    gateway.script(Operation::Recurring, Outcome::Tampered);
    let err = gateway
        .client()
        .recurring(&charge("t-1"))
        .await
        .unwrap_err();
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
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn a_recurring_charge_that_times_out_is_sent_once_and_reconciled_by_status() {
    let gateway = MockGateway::start().await;
    gateway.script(Operation::Recurring, Outcome::Timeout);
    let client = gateway
        .client_builder()
        .timeout(Duration::from_millis(400))
        .build()
        .unwrap();
    let err = client.recurring(&charge("slow-1")).await.unwrap_err();
    assert!(matches!(err, Error::Ambiguous { .. }), "{err:?}");
    assert!(err.may_have_been_processed());
    assert!(!err.is_retryable());
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(gateway.hits(Operation::Recurring), 1);
    // The reconciliation call shows the charge went through.
    let order = client
        .order_status(&StatusRequest::new("slow-1"))
        .await
        .unwrap();
    assert!(order.is_approved());
}

/// A server that reads one request per connection and closes it without answering.
fn dropping_server() -> (String, Arc<AtomicUsize>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/api", listener.local_addr().unwrap());
    let count = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&count);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buffer = Vec::new();
            let mut chunk = [0u8; 4096];
            // Read the head and the announced body, then hang up.
            while let Ok(n) = stream.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                buffer.extend_from_slice(&chunk[..n]);
                let text = String::from_utf8_lossy(&buffer).to_string();
                if let Some(head_end) = text.find("\r\n\r\n") {
                    let length = text[..head_end]
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                        })
                        .unwrap_or(0);
                    if buffer.len() >= head_end + 4 + length {
                        break;
                    }
                }
            }
            seen.fetch_add(1, Ordering::SeqCst);
            let _ = stream.flush();
            drop(stream);
        }
    });
    (url, count)
}

#[tokio::test]
async fn a_recurring_charge_whose_connection_drops_is_sent_exactly_once() {
    let (url, count) = dropping_server();
    let client = Client::builder(Credentials::new(MERCHANT_ID, SECRET))
        .base_url(url)
        .max_retries(5)
        .build()
        .unwrap();
    let err = client.recurring(&charge("drop-1")).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Ambiguous {
                retry_safe: false,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.may_have_been_processed());
    assert!(!err.is_retryable());
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(count.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_status_query_whose_connection_drops_is_retried() {
    let (url, count) = dropping_server();
    let client = Client::builder(Credentials::new(MERCHANT_ID, SECRET))
        .base_url(url)
        .max_retries(2)
        .build()
        .unwrap();
    let err = client
        .order_status(&StatusRequest::new("o"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Ambiguous {
                retry_safe: true,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(count.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn connection_refused_is_a_transport_error_that_is_safe_to_retry() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let client = Client::builder(Credentials::new(MERCHANT_ID, SECRET))
        .base_url(format!("http://127.0.0.1:{port}/api"))
        .build()
        .unwrap();
    let err = client.recurring(&charge("refused-1")).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(!err.may_have_been_processed());
    assert!(err.is_retryable());
}

#[tokio::test]
async fn a_502_html_page_on_a_charge_is_ambiguous_and_not_retried() {
    let gateway = MockGateway::start().await;
    gateway.script(
        Operation::Recurring,
        Outcome::Raw {
            status: 502,
            body: "<html><body><h1>502 Bad Gateway</h1></body></html>".into(),
        },
    );
    let err = gateway
        .client()
        .recurring(&charge("html-1"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Ambiguous { .. }), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    assert!(err.may_have_been_processed());
    assert_eq!(gateway.hits(Operation::Recurring), 1);
}

fn signed_order(order_id: &str, status: &str) -> String {
    signed_response(
        SECRET,
        json!({
            "order_id": order_id, "merchant_id": MERCHANT_ID, "order_status": status,
            "amount": "1000", "currency": "GEL", "response_status": "success",
        }),
    )
}

#[tokio::test]
async fn status_queries_retry_5xx_and_429_honouring_retry_after() {
    let recorder = Recorder::start().await;
    recorder.answer(503, "<html>busy</html>");
    recorder.answer_with_headers(429, &[("retry-after", "0")], "");
    recorder.answer(200, signed_order("o-9", "approved"));
    let order = recorder
        .client()
        .order_status(&StatusRequest::new("o-9"))
        .await
        .unwrap();
    assert!(order.is_approved());
    let seen = recorder.requests();
    assert_eq!(seen.len(), 3);
    assert_eq!(seen[0].body, seen[2].body);
}

#[tokio::test]
async fn retries_stop_at_max_retries() {
    let recorder = Recorder::start().await;
    recorder.answer(503, "busy");
    let client = Client::builder(Credentials::new(MERCHANT_ID, SECRET))
        .base_url(recorder.base_url())
        .max_retries(1)
        .build()
        .unwrap();
    let err = client
        .order_status(&StatusRequest::new("o"))
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert!(err.is_retryable());
    assert_eq!(recorder.requests().len(), 2);
}

#[tokio::test]
async fn reverse_retries_reuse_the_same_reverse_id() {
    let recorder = Recorder::start().await;
    recorder.answer(503, "busy");
    let refund = ReverseRequest::new("o-5", 300, Currency::GEL);
    recorder.answer(
        200,
        signed_response(
            SECRET,
            json!({
                "order_id": "o-5", "merchant_id": MERCHANT_ID, "reverse_status": "approved",
                "reversal_amount": "300", "currency": "GEL", "reverse_id": refund.id(),
                "transaction_id": 1, "response_status": "success", "response_code": "",
            }),
        ),
    );
    let reversal = recorder.client().reverse(&refund).await.unwrap();
    assert_eq!(reversal.reversal_amount, Some(300));
    let seen = recorder.requests();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].request()["reverse_id"], refund.id());
    assert_eq!(seen[0].body, seen[1].body);
}

// ---------------------------------------------------------------------------------------------
// Bad answers: typed errors naming the field, never a panic.

async fn recurring_answered_with(
    body: impl Into<String>,
) -> Result<flitt_client::model::order::Order, Error> {
    let recorder = Recorder::start().await;
    recorder.answer(200, body);
    recorder.client().recurring(&charge("bad-1")).await
}

fn decode_path(err: &Error) -> String {
    match err {
        Error::Decode(d) => d.path.clone(),
        other => panic!("not a decode error: {other:?}"),
    }
}

#[tokio::test]
async fn html_empty_and_truncated_bodies_are_decode_errors() {
    for body in [
        "<html><body>Service Unavailable</body></html>",
        "",
        "{\"response\": {\"order_id\": \"bad-1\", \"order_sta",
    ] {
        let err = recurring_answered_with(body).await.unwrap_err();
        assert_eq!(decode_path(&err), "", "{body}");
        assert!(err.may_have_been_processed(), "{body}");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    }
    let err = recurring_answered_with("{\"result\": 1}")
        .await
        .unwrap_err();
    assert_eq!(decode_path(&err), "response");
    let err = recurring_answered_with("[]").await.unwrap_err();
    assert_eq!(decode_path(&err), "response");
}

#[tokio::test]
async fn wrong_types_name_the_field() {
    let cases = [
        (
            json!({"order_id": "bad-1", "order_status": "approved", "amount": "ten"}),
            "response.amount",
        ),
        (
            json!({"order_id": "bad-1", "order_status": "approved", "payment_id": "80524x"}),
            "response.payment_id",
        ),
        (
            json!({"order_id": "bad-1", "order_status": "approved", "order_time": "2024-07-13T01:23:59Z"}),
            "response.order_time",
        ),
        (json!({"order_id": "bad-1", "amount": "1000"}), "response"),
        (
            json!({"order_id": "bad-1", "order_status": "approved", "additional_info": "{\"transaction_id\": \"x1\"}"}),
            "response.additional_info.transaction_id",
        ),
        (
            json!({"order_id": "bad-1", "order_status": "approved", "additional_info": "{not json"}),
            "response.additional_info",
        ),
        (
            json!({"order_id": "another-order", "order_status": "approved"}),
            "response.order_id",
        ),
    ];
    for (object, path) in cases {
        let err = recurring_answered_with(signed_response(SECRET, object.clone()))
            .await
            .unwrap_err();
        assert_eq!(decode_path(&err), path, "{object}");
        assert!(err.may_have_been_processed());
        let Error::Decode(details) = &err else {
            unreachable!()
        };
        assert!(!details.body_excerpt.is_empty());
    }
}

#[tokio::test]
async fn unknown_values_are_kept_and_never_mean_success() {
    let order = recurring_answered_with(signed_response(
        SECRET,
        json!({"order_id": "bad-1", "order_status": "on_review", "tran_type": "instalment", "card_type": "Amex", "new_field": "kept", "response_code": 1234}),
    ))
    .await
    .unwrap();
    assert_eq!(order.order_status, OrderStatus::Unknown("on_review".into()));
    assert!(!order.is_approved());
    assert_eq!(
        order.tran_type,
        Some(TranType::Unknown("instalment".into()))
    );
    assert_eq!(order.response_code, Some(ErrorCode::Unknown(1234)));
    assert_eq!(
        order.extra.get("new_field"),
        Some(&Value::String("kept".into()))
    );
}

#[tokio::test]
async fn numbers_as_strings_and_error_codes_as_strings_are_accepted() {
    let order = recurring_answered_with(signed_response(
        SECRET,
        json!({"order_id": "bad-1", "order_status": "approved", "merchant_id": "1549901", "payment_id": "805243692", "amount": 1000, "card_bin": "444455"}),
    ))
    .await
    .unwrap();
    assert_eq!(
        (
            order.merchant_id,
            order.payment_id,
            order.amount,
            order.card_bin
        ),
        (
            Some(1_549_901),
            Some(805_243_692),
            Some(1000),
            Some(444_455)
        )
    );

    let err = recurring_answered_with(r#"{"response": {"error_code": "1008", "error_message": "Parameter `amount` is mandatory", "response_status": "failure"}}"#)
        .await
        .unwrap_err();
    assert_eq!(err.error_code(), Some(ErrorCode::ParameterMandatory));
    assert_eq!(err.provider_code(), Some("1008"));
    let err = recurring_answered_with(r#"{"response": {"error_code": 4321, "error_message": "new", "response_status": "failure"}}"#)
        .await
        .unwrap_err();
    assert_eq!(err.error_code(), Some(ErrorCode::Unknown(4321)));
    let err = recurring_answered_with(
        r#"{"response": {"error_code": [1], "response_status": "failure"}}"#,
    )
    .await
    .unwrap_err();
    assert_eq!(decode_path(&err), "response.error_code");
}

#[tokio::test]
async fn an_unsigned_order_is_rejected() {
    let err = recurring_answered_with(
        r#"{"response": {"order_id": "bad-1", "order_status": "approved"}}"#,
    )
    .await
    .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Signature {
                problem: "is missing",
                ..
            }
        ),
        "{err:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// The exact requests sent, with fixed keys (snapshots), and their signatures recomputed here.

/// Checks the signature of a captured request independently, then hides card data for the
/// snapshot.
fn checked(mut seen: Seen, key: &str) -> Seen {
    let request = seen.request().clone();
    let signature = request["signature"].as_str().unwrap().to_owned();
    if request.get("version").and_then(Value::as_str) == Some("2.0") {
        let data = request["data"].as_str().unwrap();
        assert_eq!(
            signature,
            payments_signing::digest::sha1_hex(format!("{key}|{data}").as_bytes())
        );
    } else {
        assert_eq!(signature, flitt_signature(key, &request));
    }
    for field in ["card_number", "cvv2", "receiver_card_number"] {
        if let Some(v) = seen.body["request"].get_mut(field) {
            *v = Value::String("[checked, not shown]".into());
        }
    }
    seen
}

#[tokio::test]
async fn requests_of_every_operation_are_signed_and_shaped_as_documented() {
    let recorder = Recorder::start().await;
    // The answers do not matter here (an error body is accepted by every operation).
    recorder.answer(200, r#"{"response": {"error_code": 1002, "error_message": "Application error", "response_status": "failure"}}"#);
    let client = recorder.client();
    let _ = client
        .checkout_url(
            &CheckoutRequest::new("co-1", "Coffee beans", 2500, Currency::GEL)
                .response_url("https://shop.example/return")
                .server_callback_url("https://shop.example/callback")
                .required_rectoken(true)
                .preauth(false)
                .lang("en")
                .lifetime(3600)
                .merchant_data("cart=42")
                .sender_email("buyer@example.com"),
        )
        .await;
    let _ = client
        .checkout_token(
            &CheckoutRequest::new("co-2", "Verification", 0, Currency::GEL)
                .verification(VerificationType::Code),
        )
        .await;
    let _ = client
        .checkout_url(
            &CheckoutRequest::new("sub-1", "Plan", 1000, Currency::GEL).subscription(
                RecurringData::new(1, Period::Month, 1000, time::macros::date!(2025 - 01 - 01))
                    .end_time(time::macros::date!(2025 - 12 - 31)),
            ),
        )
        .await;
    let _ = client.order_status(&StatusRequest::new("co-1")).await;
    let _ = client
        .reverse(
            &ReverseRequest::new("co-1", 500, Currency::GEL)
                .reverse_id("refund-1")
                .comment("damaged"),
        )
        .await;
    let _ = client
        .capture(&CaptureRequest::new("co-1", 2500, Currency::GEL))
        .await;
    let _ = client
        .p2p_credit(&P2pCreditRequest::new(
            "payout-1",
            "Winnings",
            15000,
            Currency::GEL,
            PayoutReceiver::Rectoken("rt-1".into()),
        ))
        .await;
    let _ = client
        .three_ds_step1(
            &ThreeDsStep1Request::new(
                "3ds-1",
                "Tickets",
                4200,
                Currency::GEL,
                card("4444555566661111"),
            )
            .client_ip("203.0.113.7"),
        )
        .await;
    let _ = client
        .three_ds_step2(&ThreeDsStep2Request::new(
            "3ds-1",
            "pares-value",
            "md-value",
        ))
        .await;
    let _ = client
        .subscription(&SubscriptionRequest::stop("sub-1"))
        .await;
    let _ = client
        .transaction_list(&TransactionListRequest::new("co-1"))
        .await;
    let _ = client
        .settlement(&SettlementRequest::new(
            "settle-1",
            "co-1",
            "Split",
            2500,
            Currency::GEL,
            vec![
                SettlementReceiver::merchant(600001, 2000),
                SettlementReceiver::merchant(700001, 500).settlement_description("partner"),
            ],
        ))
        .await;

    let seen = recorder.requests();
    let paths: Vec<&str> = seen.iter().map(|s| s.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/api/checkout/url",
            "/api/checkout/token",
            "/api/checkout/url",
            "/api/status/order_id",
            "/api/reverse/order_id",
            "/api/capture/order_id",
            "/api/p2pcredit",
            "/api/3dsecure_step1",
            "/api/3dsecure_step2",
            "/api/subscription",
            "/api/transaction_list",
            "/api/settlement",
        ]
    );
    // Card data was sent as given…
    assert_eq!(seen[7].request()["card_number"], "4444555566661111");
    assert_eq!(seen[7].request()["cvv2"], "123");
    assert_eq!(seen[7].request()["expiry_date"], "1230");
    // …and never as JSON booleans anywhere.
    for s in &seen {
        assert!(s.request().values().all(|v| !v.is_boolean()), "{}", s.path);
    }
    let checked: Vec<Seen> = seen
        .into_iter()
        .map(|s| {
            let key = if s.path.ends_with("p2pcredit") {
                CREDIT_KEY
            } else {
                SECRET
            };
            checked(s, key)
        })
        .collect();
    insta::assert_json_snapshot!("requests_of_every_operation", checked);
}

#[tokio::test]
async fn trailing_slash_and_user_agent_suffix_are_configurable() {
    let recorder = Recorder::start().await;
    recorder.answer(200, signed_order("o-1", "approved"));
    let client = Client::builder(Credentials::new(MERCHANT_ID, SECRET))
        .base_url(recorder.base_url())
        .trailing_slash(true)
        .user_agent_suffix("shop/1.2")
        .build()
        .unwrap();
    client
        .order_status(&StatusRequest::new("o-1"))
        .await
        .unwrap();
    let seen = &recorder.requests()[0];
    assert_eq!(seen.path, "/api/status/order_id/");
    assert_eq!(
        seen.headers["user-agent"],
        format!("flitt-client/{} shop/1.2", env!("CARGO_PKG_VERSION"))
    );
}

// ---------------------------------------------------------------------------------------------
// No key, card number or CVV2 in Debug, errors or traces.

#[tokio::test]
async fn secrets_and_card_data_never_reach_debug_errors_or_traces() {
    const KEY: &str = "pay-key-Zq8Lw";
    const CREDIT: &str = "credit-key-Rt5Xv";
    const PAN: &str = "4444111166665555";
    const CVV: &str = "8642";
    let subscriber = common::RecordingSubscriber::default();
    let output = Arc::clone(&subscriber.output);
    let _guard = tracing::subscriber::set_default(subscriber);
    // With a single scoped subscriber, `tracing` asks only the current thread's subscriber
    // whether a callsite is of interest; a callsite first reached by another test's thread is
    // then cached as "never". A second registered dispatcher makes it ask every live one.
    let _second = tracing::Dispatch::new(tracing::subscriber::NoSubscriber::default());

    let gateway =
        MockGateway::start_with(Credentials::new(MERCHANT_ID, KEY).with_credit_key(CREDIT)).await;
    let client = gateway.client();
    let card = Card::new(
        CardNumber::new(PAN).unwrap(),
        Expiry::new(1, 2031).unwrap(),
        Cvv2::new(CVV).unwrap(),
    );
    let request = ThreeDsStep1Request::new("leak-1", "Tickets", 4200, Currency::GEL, card.clone());
    let mut shown = format!(
        "{request:?} {card:?} {client:?} {gateway:?} {:?} {:?}",
        gateway.credentials(),
        gateway.verifier()
    );

    // A successful call, a refused one, an ambiguous one and one the gateway rejects as
    // unsigned (its error text echoes the signed string).
    let _ = client.three_ds_step1(&request).await.unwrap();
    gateway.script(
        Operation::ThreeDsStep1,
        Outcome::Error {
            code: ErrorCode::InvalidCardNumber,
            message: format!("Invalid card number {PAN}"),
        },
    );
    let refused = client
        .three_ds_step1(&ThreeDsStep1Request::new(
            "leak-2",
            "Tickets",
            4200,
            Currency::GEL,
            card.clone(),
        ))
        .await
        .unwrap_err();
    gateway.script(
        Operation::ThreeDsStep1,
        Outcome::Raw {
            status: 500,
            body: format!(
                r#"{{"request": {{"card_number": "{PAN}", "cvv2": "{CVV}", "key": "{KEY}"}}}}"#
            ),
        },
    );
    let ambiguous = client
        .three_ds_step1(&ThreeDsStep1Request::new(
            "leak-3",
            "Tickets",
            4200,
            Currency::GEL,
            card.clone(),
        ))
        .await
        .unwrap_err();
    let wrong_key = Client::builder(Credentials::new(MERCHANT_ID, "wrong-key-Yy1"))
        .base_url(gateway.base_url())
        .build()
        .unwrap();
    let unsigned = wrong_key
        .three_ds_step1(&ThreeDsStep1Request::new(
            "leak-4",
            "Tickets",
            4200,
            Currency::GEL,
            card,
        ))
        .await
        .unwrap_err();
    for err in [&refused, &ambiguous, &unsigned] {
        shown.push_str(&format!(" {err} {err:?}"));
    }
    let traces = output.lock().unwrap().clone();
    assert!(
        traces.contains("three_ds_step1"),
        "the operation is traced: {traces}"
    );
    for (name, text) in [("debug and errors", &shown), ("traces", &traces)] {
        for secret in [KEY, CREDIT, PAN, "wrong-key-Yy1"] {
            assert!(!text.contains(secret), "{name} contain {secret}: {text}");
        }
        assert!(
            !text.contains(&format!("\"cvv2\": \"{CVV}\""))
                && !text.contains(&format!("cvv2={CVV}")),
            "{name}: {text}"
        );
    }
    assert!(!format!("{request:?}").contains(CVV));
}

#[tokio::test]
async fn protocol_2_answers_are_verified_and_may_carry_a_request_error() {
    let settle = SettlementRequest::new(
        "settle-9",
        "paid-9",
        "Split",
        100,
        Currency::GEL,
        vec![SettlementReceiver::merchant(600001, 100)],
    );
    let v2 = |inner: Value, key: &str| {
        let data = payments_signing::digest::base64_encode(
            json!({ "order": inner }).to_string().as_bytes(),
        );
        let signature = payments_signing::digest::sha1_hex(format!("{key}|{data}").as_bytes());
        json!({"response": {"version": "2.0", "data": data, "signature": signature}}).to_string()
    };
    // A request error inside `data`.
    let recorder = Recorder::start().await;
    recorder.answer(
        200,
        v2(json!({"response_status": "failure", "error_code": 1106, "error_message": "Split payments not allowed for merchant"}), SECRET),
    );
    let err = recorder.client().settlement(&settle).await.unwrap_err();
    assert_eq!(err.error_code(), Some(ErrorCode::SplitNotAllowed));
    // An order signed with another key.
    let recorder = Recorder::start().await;
    recorder.answer(
        200,
        v2(
            json!({"order_id": "settle-9", "order_status": "approved"}),
            "other",
        ),
    );
    let err = recorder.client().settlement(&settle).await.unwrap_err();
    assert!(matches!(err, Error::Signature { .. }), "{err:?}");
    // A valid one, whose decoding errors name the path inside `data`.
    let recorder = Recorder::start().await;
    recorder.answer(
        200,
        v2(
            json!({"order_id": "settle-9", "order_status": "approved", "amount": "x"}),
            SECRET,
        ),
    );
    let err = recorder.client().settlement(&settle).await.unwrap_err();
    assert_eq!(decode_path(&err), "response.data.order.amount");
}
