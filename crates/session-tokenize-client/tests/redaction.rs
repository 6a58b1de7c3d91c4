//! No client secret, access token, card number or CVC in `Debug`, errors or `tracing` output,
//! even at TRACE level, across the saved-card flows and their failures.
#![allow(clippy::unwrap_used, clippy::panic)]

mod common;

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use common::*;
use session_tokenize_client::card::{CardData, CardDetails, Cvc};
use session_tokenize_client::model::Amount;
use session_tokenize_client::model::session::*;
use session_tokenize_client::testing::{MockGateway, Operation, Outcome};
use session_tokenize_client::{Client, Credentials};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// Records every span field and event field, at every level.
struct Capture {
    log: Arc<Mutex<String>>,
    next: AtomicU64,
}

struct Writer<'a>(&'a mut String);

impl Visit for Writer<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, "{}={:?} ", field.name(), value);
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        span.record(&mut Writer(&mut self.log.lock().unwrap()));
        Id::from_u64(self.next.fetch_add(1, Ordering::Relaxed))
    }
    fn record(&self, _: &Id, values: &Record<'_>) {
        values.record(&mut Writer(&mut self.log.lock().unwrap()));
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut log = self.log.lock().unwrap();
        log.push_str(event.metadata().level().as_str());
        log.push(' ');
        event.record(&mut Writer(&mut log));
        log.push('\n');
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

const PAN: &str = "4440000112290002";
const CVC: &str = "987";

#[tokio::test]
async fn secrets_and_card_data_never_reach_logs_debug_or_errors() {
    let log = Arc::new(Mutex::new(String::new()));
    let _guard = tracing::dispatcher::set_default(&tracing::Dispatch::new(Capture {
        log: Arc::clone(&log),
        next: AtomicU64::new(1),
    }));

    let mock = MockGateway::start().await;
    let client = mock.client();
    let mut seen = Vec::new();

    // API mode, save the card.
    let session = client
        .create_payment_session(&CreatePaymentSession::api_save_card(
            "SECRET1",
            Amount::idr(10_000),
            documented_customer(),
            documented_order(),
            documented_redirect_url(),
        ))
        .await
        .unwrap();
    let card = CardDetails::new(PAN, 1, 29, CVC, "Reforza Jordan").unwrap();
    let data = CardData::new(card.clone());
    let encrypted = session.encryption_key().unwrap().encrypt(&data).unwrap();
    let confirm =
        ConfirmPaymentSession::encrypted_card(encrypted.clone(), PaymentMethodOptions::new());
    let confirmed = client
        .confirm_payment_session(&session.id, &confirm)
        .await
        .unwrap();
    mock.complete_payment(&session.id);
    let customer_id = confirmed.customer_id.clone().unwrap();
    let customer = client.get_customer(&customer_id).await.unwrap();
    let token = customer.stored_payment_methods[0].token.clone();

    // API mode, use the saved card: the CVC travels in the body.
    let saved = CreatePaymentSession::api_saved_card(
        "SECRET2",
        Amount::idr(10_000),
        &customer_id,
        documented_order(),
        &token,
        Cvc::new(CVC).unwrap(),
    )
    .redirect_url(documented_redirect_url());
    let charged = client.create_payment_session(&saved).await.unwrap();

    // Failures that echo card data back: a gateway page with the PAN, a 400 with the CVC.
    mock.script(
        Operation::GetPaymentSession,
        Outcome::respond(
            502,
            format!("<html>upstream said card {PAN} cvc={CVC} Bearer mock-token-1</html>"),
        ),
    );
    let gateway_error = client.get_payment_session("x").await.unwrap_err();
    mock.script(
        Operation::CreatePaymentSession,
        Outcome::respond(400, format!(r#"{{"code":"api_validation_error","message":"bad card {PAN}","error":{{"details":[{{"field":"cvc","message":"cvc={CVC} is wrong"}}]}},"data":{{"paymentMethod":{{"card":{{"number":"{PAN}","cvc":"{CVC}","token":"{token}"}}}}}}}}"#)),
    );
    let validation_error = client.create_payment_session(&saved).await.unwrap_err();

    // A field of the wrong type whose value is a card number.
    mock.script(
        Operation::GetPaymentSession,
        Outcome::respond(200, format!(r#"{{"code":"00","data":{{"id":"y","status":"PAID","amount":{{"value":"{PAN}x","currency":"IDR"}}}}}}"#)),
    );
    let decode_error = client.get_payment_session("y").await.unwrap_err();
    assert!(matches!(
        decode_error,
        session_tokenize_client::Error::Decode(_)
    ));

    // Wrong credentials: the secret must not leak through the token error either.
    let bad_client = Client::builder(Credentials::sandbox(
        MockGateway::CLIENT_ID,
        "super-secret-value-123",
    ))
    .base_url(mock.base_url())
    .build()
    .unwrap();
    let auth_error = bad_client.get_payment_method_configs().await.unwrap_err();

    seen.push(format!("{client:?}"));
    seen.push(format!("{bad_client:?}"));
    seen.push(format!(
        "{:?}",
        Credentials::sandbox("id", "super-secret-value-123")
    ));
    seen.push(format!(
        "{session:?} {confirmed:?} {charged:?} {customer:?}"
    ));
    seen.push(format!(
        "{card:?} {data:?} {encrypted:?} {confirm:?} {saved:?}"
    ));
    for error in [
        &gateway_error,
        &validation_error,
        &decode_error,
        &auth_error,
    ] {
        seen.push(format!("{error} {error:?}"));
        let mut source = std::error::Error::source(error);
        while let Some(inner) = source {
            seen.push(format!("{inner} {inner:?}"));
            source = inner.source();
        }
    }
    for request in mock.requests() {
        seen.push(format!("{request:?}"));
    }
    let log = log.lock().unwrap().clone();
    assert!(
        log.contains("response body"),
        "TRACE output was captured: {log}"
    );
    seen.push(log);

    let all = seen.join("\n");
    for secret in [
        PAN,
        "4440 0001 1229 0002",
        &format!("cvc={CVC}"),
        &format!("\"{CVC}\""),
        &format!("\"cvc\":\"{CVC}\""),
        MockGateway::CLIENT_SECRET,
        "super-secret-value-123",
        "mock-token-1",
        "mock-token-2",
        encrypted.as_str(),
    ] {
        assert!(!all.contains(secret), "`{secret}` leaked");
    }
}
