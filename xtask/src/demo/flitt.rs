//! Flitt: checkout URL that saves the card → signed callback → recurring charge with the saved
//! card → order status.

use flitt_client::model::checkout::CheckoutRequest;
use flitt_client::model::order::StatusRequest;
use flitt_client::model::recurring::RecurringRequest;
use flitt_client::testing::MockGateway;
use flitt_client::webhook::Verifier;
use flitt_client::{Client, Credentials, Currency};

use super::{Flow, FlowError, Scrubber};

const MERCHANT_ID: u64 = 1_549_901;
const SECRET_KEY: &str = "demo-flitt-payment-key-7d1c";
const CREDIT_KEY: &str = "demo-flitt-credit-key-93ab";

pub(crate) async fn run(live: bool) -> (String, Result<String, FlowError>) {
    if live {
        return run_live().await;
    }
    let mock = MockGateway::start_with(
        Credentials::new(MERCHANT_ID, SECRET_KEY).with_credit_key(CREDIT_KEY),
    )
    .await;
    let scrubber = Scrubber::new([SECRET_KEY, CREDIT_KEY]);
    let mut flow = match Flow::start(&mock.base_url(), scrubber).await {
        Ok(flow) => flow,
        Err(e) => return (String::new(), Err(e)),
    };
    let result = mock_flow(&mock, &mut flow).await;
    (flow.finish(), result)
}

async fn mock_flow(mock: &MockGateway, flow: &mut Flow) -> Result<String, FlowError> {
    flow.step("create an order on Flitt's checkout page that saves the card (checkout/url)");
    let client = mock
        .client_builder()
        .base_url(flow.via_proxy(&mock.base_url()))
        .build()
        .map_err(|e| flow.fail(e))?;
    let first = "demo-order-1";
    let page = client
        .checkout_url(
            &CheckoutRequest::new(first, "Demo: first payment", 1000, Currency::GEL)
                .required_rectoken(true)
                .server_callback_url("https://shop.example/flitt/callback")
                .lang("en"),
        )
        .await
        .map_err(|e| flow.fail(e))?;
    flow.note(&format!("redirect the customer to {}", page.checkout_url));

    flow.step("the customer pays; Flitt posts the signed callback: verify, then parse");
    let body = mock
        .callback_body(first)
        .ok_or_else(|| flow.fail("the mock gateway has no such order"))?;
    flow.body("POST /flitt/callback (application/json)", &body);
    let callback = http::Request::builder()
        .method(http::Method::POST)
        .uri("/flitt/callback")
        .header(http::header::CONTENT_TYPE, "application/json")
        .body(body)
        .map_err(|e| flow.fail(e))?;
    // Verified with the merchant's own key, not the mock's: a wrong key fails here.
    let order = Verifier::new(MERCHANT_ID, SECRET_KEY)
        .verify(&callback)
        .map_err(|e| flow.fail(e))?;
    flow.note(&format!(
        "verified: order {} is {}, card {}",
        order.order_id,
        order.order_status,
        order.masked_card.as_deref().unwrap_or("?")
    ));
    let rectoken = order
        .rectoken
        .clone()
        .ok_or_else(|| flow.fail("the callback carries no rectoken"))?;

    flow.step("charge the saved card (recurring), never retried automatically");
    let second = "demo-order-2";
    let charge = RecurringRequest::new(
        second,
        "Demo: saved card charge",
        2500,
        Currency::GEL,
        rectoken,
    );
    let charged = client.recurring(&charge).await.map_err(|e| flow.fail(e))?;
    flow.note(&format!(
        "order {} is {} (response signature verified)",
        charged.order_id, charged.order_status
    ));
    if !charged.is_approved() {
        return Err(flow.fail(format!("the charge is {}", charged.order_status)));
    }

    flow.step("check the order status (the reconciliation call)");
    let status = client
        .order_status(&StatusRequest::new(second))
        .await
        .map_err(|e| flow.fail(e))?;
    flow.note(&format!(
        "order {} is {}",
        status.order_id, status.order_status
    ));
    if !status.is_approved() {
        return Err(flow.fail(format!("the status is {}", status.order_status)));
    }
    Ok(format!(
        "card saved by {first}, {second} charged 25.00 GEL with it and approved"
    ))
}

async fn run_live() -> (String, Result<String, FlowError>) {
    let credentials = match Credentials::from_env() {
        Ok(Some(credentials)) => credentials,
        Ok(None) => {
            return (
                String::new(),
                Err(FlowError {
                    step: "read the credentials".to_owned(),
                    message: "FLITT_MERCHANT_ID and FLITT_SECRET_KEY are not set".to_owned(),
                }),
            );
        }
        Err(e) => {
            return (
                String::new(),
                Err(FlowError {
                    step: "read the credentials".to_owned(),
                    message: e.to_string(),
                }),
            );
        }
    };
    let secrets: Vec<String> = ["FLITT_SECRET_KEY", "FLITT_CREDIT_KEY"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .collect();
    let base_url = "https://pay.flitt.com/api";
    let mut flow = match Flow::start(base_url, Scrubber::new(secrets)).await {
        Ok(flow) => flow,
        Err(e) => return (String::new(), Err(e)),
    };
    let result = live_flow(&mut flow, credentials, base_url).await;
    (flow.finish(), result)
}

async fn live_flow(
    flow: &mut Flow,
    credentials: Credentials,
    base_url: &str,
) -> Result<String, FlowError> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default();
    flow.step("create an order on Flitt's checkout page that saves the card (checkout/url)");
    let client = Client::builder(credentials)
        .base_url(flow.via_proxy(base_url))
        .build()
        .map_err(|e| flow.fail(e))?;
    let order_id = format!("demo-{stamp}");
    let page = client
        .checkout_url(
            &CheckoutRequest::new(&order_id, "Demo: first payment", 1000, Currency::GEL)
                .required_rectoken(true)
                .lang("en"),
        )
        .await
        .map_err(|e| flow.fail(e))?;
    flow.note(&format!("pay at {} with a test card", page.checkout_url));
    flow.step("the signed callback");
    flow.note("Flitt posts it to your server_callback_url, not to this command; verify it there with flitt_client::webhook::Verifier");
    flow.step("check the order status (the reconciliation call)");
    let status = client
        .order_status(&StatusRequest::new(&order_id))
        .await
        .map_err(|e| flow.fail(e))?;
    flow.note(&format!(
        "order {} is {}",
        status.order_id, status.order_status
    ));
    flow.note("with the rectoken of a paid order, flitt-client's quickstart example charges the saved card");
    Ok(format!(
        "live order {order_id} created and its status read ({})",
        status.order_status
    ))
}
