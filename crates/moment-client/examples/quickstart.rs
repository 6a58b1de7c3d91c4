//! The backend of Moment's Flutter SDK: create a session for the app's checkout
//! (`fetchClientToken`), then resolve its status after the customer comes back through the deep
//! link (`fetchSessionStatus`), and verify the webhook that confirms it.
//!
//! Runs against the crate's mock gateway by default:
//!
//! ```text
//! cargo run -p moment-client --example quickstart --features testing
//! ```
//!
//! With `MOMENT_SECRET_KEY` set (a `sk_test_…` key; optionally `MOMENT_BASE_URL`), it creates a
//! real test-mode session instead and reports its current status (complete the checkout in the
//! app or at `session_url`, then run it again with `MOMENT_SESSION_ID` to resolve that session).
#![allow(clippy::print_stdout)]

use std::time::SystemTime;

use moment_client::testing::MockGateway;
use moment_client::webhook::{self, Verifier};
use moment_client::{Client, CreatePaymentSession, Error, EventType, PaymentOutcome, SecretString};

const SUCCESS_URL: &str = "yourapp://checkout?session_id={SESSION_ID}";

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    match std::env::var("MOMENT_SECRET_KEY") {
        Ok(key) if !key.trim().is_empty() => against_moment(SecretString::from(key)).await,
        _ => against_the_mock().await,
    }
}

/// `fetchClientToken`: the session id to store with the order, and the answer for the app.
async fn fetch_client_token(client: &Client, order: &str) -> Result<(String, String), Error> {
    let request = CreatePaymentSession::for_sdk(10_000, "ZAR", SUCCESS_URL)
        .external_reference(order)
        .metadata("order_id", order)
        // One key per order: a retried or repeated call cannot create a second session.
        .idempotency_key(format!("create-{order}"));
    let token = client.create_checkout_token(&request).await?;
    println!(
        "created session {} (key {}, replayed: {})",
        token.session_id,
        token.session.idempotency_key(),
        token.session.replayed()
    );
    Ok((token.session_id.clone(), token.sdk_response().to_string()))
}

/// `fetchSessionStatus(sessionId)`: what the backend answers the app after the deep link.
async fn fetch_session_status(client: &Client, session_id: &str) -> Result<String, Error> {
    let status = client.checkout_status(session_id).await?;
    println!(
        "session {session_id}: status {:?}, outcome {:?} -> SDK `{}`",
        status.session.status,
        status.session.outcome(),
        status.outcome
    );
    Ok(status.sdk_response().to_string())
}

async fn against_the_mock() -> Result<(), Error> {
    println!("MOMENT_SECRET_KEY is not set: using the mock gateway");
    let mock = MockGateway::start().await;
    let client = mock.client();

    let (session_id, reply) = fetch_client_token(&client, "order_12345").await?;
    println!("-> app: {reply}");
    // The app calls again (a double tap): the same key replays the same session.
    let (again, _) = fetch_client_token(&client, "order_12345").await?;
    println!("same session: {}", again == session_id);

    // Before the customer pays, the status is not final.
    println!(
        "-> app: {}",
        fetch_session_status(&client, &session_id).await?
    );

    // The customer pays in the checkout; Moment redirects to yourapp://checkout?session_id=…
    mock.complete_session(&session_id, PaymentOutcome::Paid);
    println!(
        "-> app: {}",
        fetch_session_status(&client, &session_id).await?
    );

    // The webhook confirms it: verify, then fulfil once per webhook-id.
    let delivery = mock
        .signed_event(
            EventType::PaymentSessionCompleted,
            &session_id,
            SystemTime::now(),
        )
        .ok_or_else(|| Error::InvalidRequest {
            message: "the mock has no such session".to_owned(),
        })?;
    let event = Verifier::new(&mock.webhook_secret())?.verify(&delivery)?;
    let paid = event.payment_session().is_some_and(|s| s.is_paid());
    println!(
        "webhook {} ({}): {} paid: {paid}; answer {}",
        event.webhook_id,
        event.id,
        event.event_type,
        webhook::acknowledge().status()
    );
    Ok(())
}

async fn against_moment(key: SecretString) -> Result<(), Error> {
    let mut builder = Client::builder(key);
    if let Ok(base_url) = std::env::var("MOMENT_BASE_URL") {
        builder = builder.base_url(base_url);
    }
    let client = builder.build()?;
    println!("using {} in {} mode", client.base_url(), client.mode());
    let session_id = match std::env::var("MOMENT_SESSION_ID") {
        Ok(id) if !id.trim().is_empty() => id,
        _ => {
            let order = format!(
                "quickstart_{}",
                SystemTime::now()
                    .duration_since(SystemTime::UNIX_EPOCH)
                    .map(|d| d.as_secs())
                    .unwrap_or_default()
            );
            let request = CreatePaymentSession::for_sdk(10_000, "ZAR", SUCCESS_URL)
                .external_reference(&order);
            let token = client.create_checkout_token(&request).await?;
            println!(
                "created session {}; checkout at {:?}",
                token.session_id, token.session.session_url
            );
            token.session_id.clone()
        }
    };
    println!(
        "-> app: {}",
        fetch_session_status(&client, &session_id).await?
    );
    Ok(())
}
