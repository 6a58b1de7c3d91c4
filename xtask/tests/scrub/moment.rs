//! Moment: a recognisable secret key and webhook secret; the SDK flow (checkout token,
//! webhook, status), manual capture and void, and every kind of failure. Moment's API carries
//! no card data; its client tokens are credentials too.

use std::time::{Duration, SystemTime};

use moment_client::testing::{Credentials, MockGateway, Operation, Outcome};
use moment_client::webhook::Verifier;
use moment_client::{
    CaptureMethod, CapturePayment, CheckoutOutcome, Client, CreatePaymentSession, Error, EventType,
    PaymentOutcome, SecretString, VoidPayment,
};
use serde_json::json;

use super::detect::{Forbidden, Observed};
use super::observe::{Capture, closed_port_url, tamper, with_body};

const SECRET_KEY: &str = "sk_test_moment_secret_canary_T6p3Hd";
/// `whsec_` and the base64 of [`WEBHOOK_KEY`].
const WEBHOOK_SECRET: &str = "whsec_bW9tZW50LXdlYmhvb2stY2FuYXJ5LVI3ZksycQ==";
const WEBHOOK_KEY: &str = "moment-webhook-canary-R7fK2q";
const SUCCESS_URL: &str = "scrubapp://checkout?session_id={SESSION_ID}";

pub(crate) fn forbidden() -> Vec<Forbidden> {
    vec![
        Forbidden::secret("moment", "secret key", SECRET_KEY),
        Forbidden::secret("moment", "webhook secret", WEBHOOK_SECRET),
        Forbidden::secret("moment", "webhook signing key (decoded)", WEBHOOK_KEY),
    ]
}

/// Runs the flows; the client tokens the mock issued are added to `derived`.
pub(crate) async fn run(derived: &mut Vec<Forbidden>) -> Observed {
    let mut seen = Capture::new("moment");
    let credentials = Credentials::new(SECRET_KEY, WEBHOOK_SECRET);
    seen.debug("mock credentials", &credentials);
    let mock = MockGateway::start_with(credentials).await;
    seen.debug("mock gateway", &mock);
    let builder = mock.client_builder();
    seen.debug("client builder", &builder);
    let client = builder.build().expect("the mock's client builds");
    seen.debug("client", &client);

    // The main flow: a session for the SDK, the webhook, the SDK outcome.
    let request = CreatePaymentSession::for_sdk(10_000, "ZAR", SUCCESS_URL)
        .external_reference("scrub-1")
        .metadata("order_id", "scrub-1");
    seen.debug("session request", &request);
    seen.outcome(
        "prepared checkout token",
        &client.prepare_create_checkout_token(&request).await,
    );
    let token = client.create_checkout_token(&request).await;
    seen.outcome("checkout token", &token);
    let token = token.expect("the mock accepts the secret key");
    derived.push(Forbidden::secret(
        "moment",
        "client token issued by the mock",
        token.client_token.expose_secret(),
    ));
    let session_id = token.session_id.clone();
    mock.complete_session(&session_id, PaymentOutcome::Paid)
        .expect("the mock knows the session");

    let delivery = mock
        .signed_event(
            EventType::PaymentSessionCompleted,
            &session_id,
            SystemTime::now(),
        )
        .expect("the mock signs the event");
    seen.debug("signed webhook request", &delivery);
    let verifier = Verifier::new(&SecretString::from(WEBHOOK_SECRET));
    seen.outcome("webhook verifier", &verifier);
    let verifier = verifier.expect("the webhook secret is valid");
    let event = verifier.verify(&delivery);
    seen.outcome("verified webhook", &event);
    event.expect("a webhook signed with the webhook secret verifies");
    let tampered = with_body(&delivery, tamper(delivery.body(), "10000", "10"));
    let rejected = verifier.verify(&tampered);
    seen.outcome("tampered webhook", &rejected);
    assert!(matches!(rejected, Err(Error::Webhook(_))), "{rejected:?}");
    let other = Verifier::new(&SecretString::from("whsec_c2NydWItb3RoZXI="))
        .expect("a valid webhook secret")
        .verify(&delivery);
    seen.outcome("webhook checked with another secret", &other);
    assert!(other.is_err());
    let invalid = Verifier::new(&SecretString::from(format!("{WEBHOOK_SECRET}!")));
    seen.outcome("verifier from a malformed secret", &invalid);

    let status = client.checkout_status(&session_id).await;
    seen.outcome("checkout status", &status);
    assert_eq!(
        status.expect("the status is answered").outcome,
        CheckoutOutcome::Completed
    );
    seen.outcome(
        "prepared checkout status",
        &client.prepare_checkout_status(&session_id).await,
    );

    // Manual capture: authorise, capture part, void the rest.
    let manual = CreatePaymentSession::new(5_000, "ZAR")
        .capture_method(CaptureMethod::Manual)
        .external_reference("scrub-2");
    let session = client.create_payment_session(&manual).await;
    seen.outcome("manual capture session", &session);
    let session = session.expect("the session is created").into_inner();
    let payment_id = mock
        .complete_session(&session.id, PaymentOutcome::Reserved)
        .expect("the mock reserves the amount");
    seen.outcome(
        "session",
        &client.retrieve_payment_session(&session.id).await,
    );
    seen.outcome("payment", &client.retrieve_payment(&payment_id).await);
    let capture = CapturePayment::partial(2_000);
    seen.outcome(
        "prepared capture",
        &client.prepare_capture_payment(&payment_id, &capture).await,
    );
    seen.outcome(
        "capture",
        &client.capture_payment(&payment_id, &capture).await,
    );
    seen.outcome(
        "void",
        &client.void_payment(&payment_id, &VoidPayment::new()).await,
    );
    seen.outcome(
        "prepared payment",
        &client.prepare_retrieve_payment(&payment_id).await,
    );

    errors(&mut seen, &mock, &client).await;
    seen.into_observed()
}

async fn errors(seen: &mut Capture, mock: &MockGateway, client: &Client) {
    // A proxy's error page that echoes the request's credentials.
    mock.script(
        Operation::CreatePaymentSession,
        Outcome::raw(
            401,
            Some("text/html"),
            format!(
                "<html><body><h1>401</h1><pre>Authorization: Bearer {SECRET_KEY}\nwebhook: {WEBHOOK_SECRET}</pre></body></html>"
            ),
        ),
    );
    let refused = client
        .create_payment_session(&CreatePaymentSession::new(1_000, "ZAR"))
        .await;
    seen.outcome("error page", &refused);
    assert!(matches!(refused, Err(Error::Provider(_))), "{refused:?}");
    mock.script(
        Operation::RetrievePaymentSession,
        Outcome::raw(
            400,
            Some("application/problem+json"),
            json!({
                "type": "https://api.momentco.io/docs/errors#invalid_request",
                "title": "Invalid request",
                "status": 400,
                "detail": format!("the key {SECRET_KEY} is not valid here"),
                "secret": WEBHOOK_SECRET,
            })
            .to_string(),
        ),
    );
    let refused = client.retrieve_payment_session("ps_kfAWZgfQIoeG0q").await;
    seen.outcome("problem details", &refused);
    assert!(matches!(refused, Err(Error::Provider(_))), "{refused:?}");

    // Answers that do not decode, echoing credentials.
    mock.script(
        Operation::RetrievePaymentSession,
        Outcome::raw(
            200,
            Some("application/json"),
            json!({
                "id": 42,
                "amount": "lots",
                "client_token": "ct_echoed",
                "note": format!("Bearer {SECRET_KEY}"),
                "secret": WEBHOOK_SECRET,
            })
            .to_string(),
        ),
    );
    let garbled = client.retrieve_payment_session("ps_kfAWZgfQIoeG0q").await;
    seen.outcome("undecodable session", &garbled);
    assert!(matches!(garbled, Err(Error::Decode(_))), "{garbled:?}");
    mock.script(
        Operation::RetrievePayment,
        Outcome::raw(
            200,
            Some("application/json"),
            format!("{{\"id\": \"pay_1\", \"status\": \"succeeded\", \"key\": \"{SECRET_KEY}\", "),
        ),
    );
    let truncated = client.retrieve_payment("pay_rOaZNqKZMFxsRb2NBL1cj").await;
    seen.outcome("truncated payment", &truncated);
    assert!(matches!(truncated, Err(Error::Decode(_))), "{truncated:?}");

    // The gateway is down, then nothing listens at all.
    mock.script(Operation::RetrievePayment, Outcome::html_bad_gateway());
    mock.script(Operation::RetrievePayment, Outcome::html_bad_gateway());
    mock.script(Operation::RetrievePayment, Outcome::html_bad_gateway());
    let down = client.retrieve_payment("pay_rOaZNqKZMFxsRb2NBL1cj").await;
    seen.outcome("bad gateway after retries", &down);
    assert!(down.is_err());
    let closed = mock
        .client_builder()
        .base_url(closed_port_url())
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(5))
        .build()
        .expect("the client builds");
    let unreachable = closed
        .create_payment_session(&CreatePaymentSession::new(1_000, "ZAR"))
        .await;
    seen.outcome("create at a closed port", &unreachable);
    assert!(
        matches!(unreachable, Err(Error::Transport { .. })),
        "{unreachable:?}"
    );
    let unreachable = closed.retrieve_payment("pay_rOaZNqKZMFxsRb2NBL1cj").await;
    seen.outcome("retrieve from a closed port", &unreachable);
    assert!(unreachable.is_err());

    // Refused locally, and a key the client refuses.
    let invalid = client
        .create_payment_session(&CreatePaymentSession::new(0, "RANDS"))
        .await;
    seen.outcome("invalid session", &invalid);
    assert!(
        matches!(invalid, Err(Error::InvalidRequest { .. })),
        "{invalid:?}"
    );
    let publishable = Client::builder(format!("pk{}", &SECRET_KEY[2..])).build();
    seen.outcome("client with a publishable key", &publishable);
    let misplaced = Client::builder(format!(" {SECRET_KEY}")).build();
    seen.outcome("client with a key with a leading space", &misplaced);
}
