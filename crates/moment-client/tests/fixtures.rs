//! The documented examples of `docs/providers/moment.md` (`fixtures/moment/`): requests built
//! with the typed API match them, responses and events decode into the documented values.
#![allow(clippy::unwrap_used, clippy::panic)]

use moment_client::webhook::{self, Verifier};
use moment_client::{
    CheckoutMode, CheckoutOutcome, CreatePaymentSession, Currency, Customer, EventType, Mode,
    PaymentIntent, PaymentMethodType, PaymentOutcome, PaymentSession, PaymentStatus, Problem,
    SecretString, SessionPaymentStatus, SessionStatus, SessionType,
};
use serde_json::Value;

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/../../fixtures/moment/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn fixture_json(name: &str) -> Value {
    serde_json::from_str(&fixture(name)).unwrap()
}

#[test]
fn the_sdk_backend_request_is_built_by_the_typed_api() {
    // The request of the Flutter SDK page's backend snippets (Node.js, Python, Go, …).
    let request = CreatePaymentSession::new(10_000, "ZAR")
        .session_type(SessionType::OneTime)
        .presentation_mode(CheckoutMode::Embedded)
        .success_url("yourapp://checkout?session_id={SESSION_ID}");
    assert!(request.validate().is_ok());
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        fixture_json("sdk-create-session-request")
    );

    // The SDK shortcut builds the same request.
    let shortcut =
        CreatePaymentSession::for_sdk(10_000, "ZAR", "yourapp://checkout?session_id={SESSION_ID}");
    assert_eq!(
        serde_json::to_value(&shortcut).unwrap(),
        fixture_json("sdk-create-session-request")
    );
}

#[test]
fn the_minimal_create_request_is_built_by_the_typed_api() {
    let request = CreatePaymentSession::new(200, "ZAR");
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        fixture_json("create-session-minimal-request")
    );
}

#[test]
fn the_first_in_series_customer_is_built_by_the_typed_api() {
    let customer = Customer::new().name("Alex").email("alex@example.com");
    assert_eq!(
        serde_json::to_value(&customer).unwrap(),
        fixture_json("first-in-series-customer")
    );
    let request = CreatePaymentSession::new(0, "ZAR")
        .session_type(SessionType::FirstInSeries)
        .customer(customer);
    let json = serde_json::to_value(&request).unwrap();
    assert_eq!(
        json["options"]["customer"],
        fixture_json("first-in-series-customer")
    );
    assert_eq!(json["type"], "first_in_series");
}

#[test]
fn the_create_response_decodes() {
    let session: PaymentSession =
        serde_json::from_str(&fixture("create-session-response")).unwrap();
    assert_eq!(session.id, "ps_kfAWZgfQIoeG0q");
    assert_eq!(session.session_type, Some(SessionType::OneTime));
    // The documented example answers 50 to a request of 200 (see the provider page).
    assert_eq!(session.amount, Some(50));
    assert_eq!(session.currency, Some(Currency::new("ZAR")));
    assert_eq!(session.status, Some(SessionStatus::Active));
    assert_eq!(session.payment_status, Some(SessionPaymentStatus::Unpaid));
    assert_eq!(session.payment_outcome, None);
    assert_eq!(session.outcome(), Some(PaymentOutcome::Unpaid));
    assert!(!session.is_paid());
    assert_eq!(
        session.checkout_session_id.as_deref(),
        Some("ckt802zEb2P2uS4Ql")
    );
    assert_eq!(
        session.session_url.as_deref(),
        Some("https://moment.dev.momentpay.io/checkout/ckt802zEb2P2uS4Ql")
    );
    assert_eq!(session.return_url, None);
    assert_eq!(session.mode, Some(Mode::Live));
    assert!(session.client_token.is_none());
    assert_eq!(
        session
            .created_at
            .as_ref()
            .and_then(|t| t.to_offset_date_time())
            .map(|t| t.unix_timestamp()),
        Some(1_742_306_811)
    );
    assert!(session.extra.is_empty());
    insta::assert_debug_snapshot!(session);
}

#[test]
fn the_payment_session_object_decodes() {
    let session: PaymentSession = serde_json::from_str(&fixture("payment-session")).unwrap();
    assert_eq!(session.id, "ps_kfAWZgfQIoeG0q");
    assert_eq!(session.amount, Some(1000));
    assert_eq!(session.payment_status, Some(SessionPaymentStatus::Paid));
    assert_eq!(
        session.payment_id.as_deref(),
        Some("pl_6phg74i4jG9wbzZbFDUQB")
    );
    assert_eq!(
        session.return_url.as_deref(),
        Some("https://callback.merchant-shop.com")
    );
    assert_eq!(session.external_reference.as_deref(), Some("INV-2024-001"));
    assert_eq!(session.metadata.get("order_id"), Some("ord_789012"));
    assert_eq!(session.metadata.get("customer_id"), Some("cust_123456"));
    let error = session.last_payment_error.as_ref().unwrap();
    assert_eq!(error.message.as_deref(), Some("General Error"));
    assert_eq!(
        error.timestamp.as_ref().map(|t| t.as_str()),
        Some("2023-11-07T05:31:56Z")
    );
    // `active` with a paid legacy status: not final for the SDK.
    assert_eq!(
        CheckoutOutcome::from_session(&session),
        CheckoutOutcome::Pending
    );
    insta::assert_debug_snapshot!(session);
}

#[test]
fn the_payment_decodes() {
    let payment: moment_client::Payment =
        serde_json::from_str(&fixture("payment-retrieve-response")).unwrap();
    assert_eq!(payment.id, "pay_rOaZNqKZMFxsRb2NBL1cj");
    assert_eq!(payment.status, Some(PaymentStatus::Succeeded));
    assert!(payment.is_succeeded());
    assert_eq!(payment.amount, Some(100_001));
    assert_eq!(payment.country.as_deref(), Some("ZA"));
    let details = payment.payment_method_details.as_ref().unwrap();
    assert_eq!(details.method_type, Some(PaymentMethodType::Card));
    let card = details.card.as_ref().unwrap();
    assert_eq!(card.card_type.as_deref(), Some("CREDIT"));
    assert_eq!(card.scheme.as_deref(), Some("MASTERCARD"));
    assert_eq!(card.bin.as_deref(), Some("527346"));
    assert_eq!(card.last4.as_deref(), Some("3333"));
    assert_eq!(payment.external_reference.as_deref(), Some("order_12345"));
    assert_eq!(payment.mode, Some(Mode::Live));
    insta::assert_debug_snapshot!(payment);
}

#[test]
fn the_problem_document_decodes() {
    let problem: Problem = serde_json::from_str(&fixture("problem-not-found")).unwrap();
    assert_eq!(
        problem.problem_type.as_deref(),
        Some("https://api.momentco.io/docs/errors#not-found")
    );
    assert_eq!(
        problem.title.as_deref(),
        Some("The requested resource was not found")
    );
    assert_eq!(problem.status, Some(404));
    assert_eq!(
        problem.detail.as_deref(),
        Some("The requested resources doesn't exist")
    );
    assert_eq!(
        problem.instance.as_deref(),
        Some("/collect/payment_sessions/ps_36dED4m12MLxn48BUrn4R")
    );
    assert_eq!(problem.code(), Some("not-found"));
}

/// Signs a documented event body with a test secret and verifies it through the crate's API.
fn verified_event(name: &str) -> moment_client::Event {
    let secret = SecretString::from("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    let now = std::time::SystemTime::now();
    let request =
        webhook::sign_notification(&secret, "msg_fixture", now, fixture(name).into_bytes())
            .unwrap();
    Verifier::new(&secret).unwrap().verify(&request).unwrap()
}

#[test]
fn the_session_completed_event_decodes() {
    let event = verified_event("webhook-payment-session-completed");
    assert_eq!(event.id, "wh_e5cf73f1b3e4451c8c474fe56bfc688d");
    assert_eq!(event.event_type, EventType::PaymentSessionCompleted);
    assert_eq!(event.webhook_id, "msg_fixture");
    let session = event.payment_session().unwrap();
    assert_eq!(session.id, "ps_VA89irX3GdualA");
    assert_eq!(session.amount, Some(100));
    // Lower-case in this example, compared case-insensitively.
    assert_eq!(session.currency, Some(Currency::new("USD")));
    assert_eq!(session.currency.as_ref().map(Currency::as_str), Some("usd"));
    assert_eq!(session.customer_id.as_deref(), Some("cus4VQUfZlXuO8Xpt"));
    assert_eq!(
        session.payment_method_id.as_deref(),
        Some("pmtizWG6Vcvy4VYiU")
    );
    assert_eq!(session.status, Some(SessionStatus::Completed));
    assert!(session.is_paid());
    assert_eq!(
        CheckoutOutcome::from_session(session),
        CheckoutOutcome::Completed
    );
    assert_eq!(session.metadata.get("subscription_plan"), Some("premium"));
    insta::assert_debug_snapshot!(event.data);
}

#[test]
fn the_payment_failed_event_decodes() {
    let event = verified_event("webhook-payment-failed");
    assert_eq!(event.id, "evt_81239839130");
    assert_eq!(event.event_type, EventType::PaymentFailed);
    let payment = event.payment().unwrap();
    assert_eq!(payment.status, Some(PaymentStatus::Failed));
    assert!(!payment.is_succeeded());
    assert_eq!(payment.amount, Some(300));
    assert_eq!(payment.intent, Some(PaymentIntent::Payment));
    let error = payment.last_payment_error.as_ref().unwrap();
    assert_eq!(error.error_code.as_deref(), Some("card_declined"));
    assert_eq!(error.decline_code.as_deref(), Some("insufficient_funds"));
    assert_eq!(
        error.message.as_deref(),
        Some("The card was declined due to insufficient funds.")
    );
    assert_eq!(
        payment.metadata.get("order_id"),
        Some("o_b5MuE6le7p9W5Ufsf8tQk")
    );
    insta::assert_debug_snapshot!(event.data);
}
