//! No secret key, webhook secret or client token in logs, `Debug` output or errors.
//!
//! A test binary of its own: it installs a `tracing` subscriber, and callsite interest is
//! process-wide.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::time::SystemTime;

use moment_client::testing::{
    MOCK_SECRET_KEY, MOCK_WEBHOOK_SECRET, MockGateway, Operation, Outcome,
};
use moment_client::webhook::Verifier;
use moment_client::{CreatePaymentSession, EventType, PaymentOutcome};

fn sdk_request() -> CreatePaymentSession {
    CreatePaymentSession::for_sdk(10_000, "ZAR", "yourapp://checkout?session_id={SESSION_ID}")
}

/// Collects every span field and event field that `tracing` records, as text.
mod capture {
    use std::fmt::{Debug, Write};
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::{Arc, Mutex};

    use tracing::field::{Field, Visit};
    use tracing::span::{Attributes, Id, Record};
    use tracing::{Event, Metadata, Subscriber};

    #[derive(Clone, Default)]
    pub(crate) struct Capture {
        pub(crate) text: Arc<Mutex<String>>,
        next: Arc<AtomicU64>,
    }

    struct Writer<'a>(&'a Mutex<String>);

    impl Visit for Writer<'_> {
        fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
            let mut text = self.0.lock().unwrap();
            let _ = writeln!(text, "{}={value:?}", field.name());
        }
    }

    impl Subscriber for Capture {
        fn enabled(&self, _: &Metadata<'_>) -> bool {
            true
        }
        fn new_span(&self, span: &Attributes<'_>) -> Id {
            span.record(&mut Writer(&self.text));
            Id::from_u64(self.next.fetch_add(1, Ordering::SeqCst) + 1)
        }
        fn record(&self, _: &Id, values: &Record<'_>) {
            values.record(&mut Writer(&self.text));
        }
        fn record_follows_from(&self, _: &Id, _: &Id) {}
        fn event(&self, event: &Event<'_>) {
            event.record(&mut Writer(&self.text));
        }
        fn enter(&self, _: &Id) {}
        fn exit(&self, _: &Id) {}
    }
}

#[tokio::test]
async fn secrets_stay_out_of_logs_debug_and_errors() {
    let capture = capture::Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());

    let mock = MockGateway::start().await;
    let client = mock.client();
    mock.script(Operation::CreatePaymentSession, Outcome::status(503));
    let token = client.create_checkout_token(&sdk_request()).await.unwrap();
    let token_text = token.client_token.expose_secret().to_owned();
    // An error body that echoes a key and a token.
    mock.script(
        Operation::RetrievePayment,
        Outcome::raw(
            400,
            Some("text/plain"),
            format!("bad key {MOCK_SECRET_KEY}, Authorization: Bearer {MOCK_SECRET_KEY}"),
        ),
    );
    let error = client.retrieve_payment("pay_1").await.unwrap_err();
    mock.script(
        Operation::RetrievePaymentSession,
        Outcome::raw(
            200,
            Some("application/json"),
            format!(r#"{{"id": "ps_1", "client_token": "{token_text}", "amount": true}}"#),
        ),
    );
    let decode = client.retrieve_payment_session("ps_1").await.unwrap_err();

    // A webhook about the session (whose stored JSON holds the client token).
    let verifier = Verifier::new(&mock.webhook_secret()).unwrap();
    mock.complete_session(&token.session_id, PaymentOutcome::Paid)
        .unwrap();
    let delivery = mock
        .signed_event(
            EventType::PaymentSessionCompleted,
            &token.session_id,
            SystemTime::now(),
        )
        .unwrap();
    let event = verifier.verify(&delivery).unwrap();
    let wrong = Verifier::new(&mock.webhook_secret())
        .unwrap()
        .clock(|| SystemTime::UNIX_EPOCH)
        .verify(&delivery)
        .unwrap_err();

    // The prepared request, a too-large answer, a bad configuration, the mock's credentials.
    let prepared = client
        .prepare_create_payment_session(&sdk_request())
        .await
        .unwrap();
    mock.script(
        Operation::RetrievePayment,
        Outcome::raw(
            200,
            Some("application/json"),
            format!("\"{MOCK_SECRET_KEY}\""),
        ),
    );
    let too_large = mock
        .client_builder()
        .max_response_bytes(8)
        .build()
        .unwrap()
        .retrieve_payment("pay_1")
        .await
        .unwrap_err();
    let config = moment_client::Client::builder(format!("{MOCK_SECRET_KEY} "))
        .build()
        .unwrap_err();
    let bad_secret = Verifier::new(&moment_client::SecretString::from(format!(
        "{MOCK_WEBHOOK_SECRET}!"
    )))
    .unwrap_err();
    let extras = format!(
        "{prepared:?}\n{too_large}\n{too_large:?}\n{config}\n{config:?}\n{bad_secret}\n{bad_secret:?}\n{:?}",
        mock.credentials()
    );

    let logged = capture.text.lock().unwrap().clone();
    assert!(
        logged.contains("create_payment_session"),
        "the capture works: {logged}"
    );
    assert!(logged.contains("retrying"), "{logged}");
    let everything = format!(
        "{extras}\n{logged}\n{error}\n{error:?}\n{decode}\n{decode:?}\n{client:?}\n{:?}\n{token:?}\n{:?}\n{verifier:?}\n{event:?}\n{wrong}\n{wrong:?}",
        mock.client_builder(),
        mock.requests(),
    );
    let key_secret_part = &MOCK_SECRET_KEY["sk_test_".len()..];
    assert!(!everything.contains(key_secret_part), "{everything}");
    assert!(!everything.contains(&token_text), "{everything}");
    let webhook_secret_part = &MOCK_WEBHOOK_SECRET["whsec_".len()..];
    assert!(!everything.contains(webhook_secret_part), "{everything}");
    assert!(everything.contains("[REDACTED]"));
}
