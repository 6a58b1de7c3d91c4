//! Moment: create the session the Flutter SDK needs → webhook `payment_session.completed` →
//! resolve the SDK outcome after the deep link.

use std::time::SystemTime;

use moment_client::testing::MockGateway;
use moment_client::webhook::Verifier;
use moment_client::{
    CheckoutOutcome, Client, CreatePaymentSession, EventType, PaymentOutcome, SecretString,
};
use secrecy::ExposeSecret;

use super::{Flow, FlowError, Scrubber};

const SUCCESS_URL: &str = "yourapp://checkout?session_id={SESSION_ID}";

pub(crate) async fn run(live: bool) -> (String, Result<String, FlowError>) {
    if live {
        return run_live().await;
    }
    let mock = MockGateway::start().await;
    let scrubber = Scrubber::new([
        mock.secret_key().expose_secret().to_owned(),
        mock.webhook_secret().expose_secret().to_owned(),
    ]);
    let mut flow = match Flow::start(&mock.base_url(), scrubber).await {
        Ok(flow) => flow,
        Err(e) => return (String::new(), Err(e)),
    };
    let result = mock_flow(&mock, &mut flow).await;
    (flow.finish(), result)
}

async fn mock_flow(mock: &MockGateway, flow: &mut Flow) -> Result<String, FlowError> {
    flow.step("create the payment session the SDK needs (the app's fetchClientToken)");
    let client = mock
        .client_builder()
        .base_url(flow.via_proxy(&mock.base_url()))
        .build()
        .map_err(|e| flow.fail(e))?;
    let request = CreatePaymentSession::for_sdk(10_000, "ZAR", SUCCESS_URL)
        .external_reference("order_12345")
        .metadata("order_id", "order_12345");
    let token = client
        .create_checkout_token(&request)
        .await
        .map_err(|e| flow.fail(e))?;
    let session_id = token.session_id.clone();
    flow.note(&format!(
        "session {session_id} created; the app receives {{\"client_token\": \"[REDACTED]\"}}"
    ));

    flow.step("the customer pays in the SDK's checkout (the mock gateway completes the session)");
    mock.complete_session(&session_id, PaymentOutcome::Paid)
        .ok_or_else(|| flow.fail("the mock gateway does not know the session"))?;
    flow.note("Moment redirects to yourapp://checkout?session_id=… and sends the webhook");

    flow.step("verify, then parse, the webhook payment_session.completed");
    let delivery = mock
        .signed_event(
            EventType::PaymentSessionCompleted,
            &session_id,
            SystemTime::now(),
        )
        .ok_or_else(|| flow.fail("the mock gateway could not sign the event"))?;
    for name in ["webhook-id", "webhook-timestamp", "webhook-signature"] {
        let value = delivery
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        flow.note(&format!("{name}: {value}"));
    }
    flow.body("body", delivery.body());
    let verifier = Verifier::new(&mock.webhook_secret()).map_err(|e| flow.fail(e))?;
    let event = verifier.verify(&delivery).map_err(|e| flow.fail(e))?;
    let paid = event.payment_session().is_some_and(|s| s.is_paid());
    flow.note(&format!(
        "verified: {} (webhook-id {}), session paid: {paid}; answer 200",
        event.event_type, event.webhook_id
    ));
    if !paid {
        return Err(flow.fail("the verified webhook does not report a paid session"));
    }

    flow.step("resolve the SDK outcome after the deep link (the app's fetchSessionStatus)");
    let status = client
        .checkout_status(&session_id)
        .await
        .map_err(|e| flow.fail(e))?;
    flow.note(&format!("the app receives {}", status.sdk_response()));
    if status.outcome != CheckoutOutcome::Completed {
        return Err(flow.fail(format!(
            "expected the SDK outcome `completed`, got `{}`",
            status.outcome.as_str()
        )));
    }
    Ok(format!(
        "session {session_id} paid, webhook verified, SDK outcome `completed`"
    ))
}

async fn run_live() -> (String, Result<String, FlowError>) {
    let key = std::env::var("MOMENT_SECRET_KEY").unwrap_or_default();
    let base_url = std::env::var("MOMENT_BASE_URL")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "https://api.momentpay.net".to_owned());
    let mut flow = match Flow::start(&base_url, Scrubber::new([key.clone()])).await {
        Ok(flow) => flow,
        Err(e) => return (String::new(), Err(e)),
    };
    let result = live_flow(&mut flow, SecretString::from(key), &base_url).await;
    (flow.finish(), result)
}

async fn live_flow(
    flow: &mut Flow,
    key: SecretString,
    base_url: &str,
) -> Result<String, FlowError> {
    flow.step("create the payment session the SDK needs (the app's fetchClientToken)");
    let client = Client::builder(key)
        .base_url(flow.via_proxy(base_url))
        .build()
        .map_err(|e| flow.fail(e))?;
    let order = format!(
        "demo_{}",
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default()
    );
    let request =
        CreatePaymentSession::for_sdk(10_000, "ZAR", SUCCESS_URL).external_reference(&order);
    let token = client
        .create_checkout_token(&request)
        .await
        .map_err(|e| flow.fail(e))?;
    let session_id = token.session_id.clone();
    flow.note(&format!(
        "session {session_id} created; checkout at {:?}",
        token.session.session_url
    ));
    flow.step("webhook payment_session.completed");
    flow.note("Moment delivers it to your registered endpoint, not to this command; verify it there with moment_client::webhook::Verifier");
    flow.step("resolve the SDK outcome (the app's fetchSessionStatus)");
    let status = client
        .checkout_status(&session_id)
        .await
        .map_err(|e| flow.fail(e))?;
    flow.note(&format!("the app receives {}", status.sdk_response()));
    Ok(format!(
        "live session {session_id}: SDK outcome `{}` (complete the checkout to see `completed`)",
        status.outcome.as_str()
    ))
}
