//! PortOne: hosted checkout link (pre-authorisation) → verified redirect → capture.

use portone_client::model::checkout::{
    BillingDetails, CheckoutRequest, MerchantDetails, OrderItem, RedirectUrls, TransactionType,
};
use portone_client::testing::MockGateway;
use portone_client::webhook::Verifier;
use portone_client::{Client, Credentials, Decimal, Environment};
use secrecy::{ExposeSecret, SecretString};

use super::{Flow, FlowError, Scrubber};

const PORTONE_KEY: &str = "DemoPortOneKey42";
const SECRET_KEY: &str = "demo-portone-secret-5b9e0c7a1f3d";

pub(crate) async fn run(live: bool) -> (String, Result<String, FlowError>) {
    if live {
        return run_live().await;
    }
    let credentials = Credentials::new(PORTONE_KEY, SecretString::from(SECRET_KEY));
    let mock = MockGateway::start_with(credentials).await;
    let mut flow = match Flow::start(&mock.base_url(), Scrubber::new([SECRET_KEY])).await {
        Ok(flow) => flow,
        Err(e) => return (String::new(), Err(e)),
    };
    let result = mock_flow(&mock, &mut flow).await;
    (flow.finish(), result)
}

/// The documented shape of a hosted checkout: one item, shipping, a promo discount; the amount
/// rule (items + shipping − discount = amount) holds.
fn checkout(merchant_order_id: &str) -> CheckoutRequest {
    CheckoutRequest::new(
        merchant_order_id,
        Decimal::new(19010, 0),
        "VND",
        "VN",
        MerchantDetails::new("Curo Sports")
            .back_url("https://shop.example")
            .promo_code("WELCOME")
            .promo_discount(Decimal::new(10000, 0))
            .shipping_charges(Decimal::new(10000, 0)),
        RedirectUrls::new(
            "https://shop.example/success",
            "https://shop.example/failure",
        ),
    )
    .description("Hand Gloves")
    .billing_details(
        BillingDetails::new()
            .name("Test mark")
            .email("markweins@example.com"),
    )
    .order_item(OrderItem::new(
        "product_001",
        "Hand Gloves",
        Decimal::new(19010, 0),
        1,
    ))
    .transaction_type(TransactionType::Preauth)
    .expiry_hours(24)
}

async fn mock_flow(mock: &MockGateway, flow: &mut Flow) -> Result<String, FlowError> {
    flow.step("create the hosted checkout link, pre-authorisation only (/api/paymentLink)");
    let client = mock
        .client_builder()
        .base_url(flow.via_proxy(&mock.base_url()))
        .build()
        .map_err(|e| flow.fail(e))?;
    let merchant_order_id = "demo-order-1001";
    let request = checkout(merchant_order_id);
    let link = client
        .create_payment_link(&request)
        .await
        .map_err(|e| flow.fail(e))?;
    flow.note(&format!("redirect the customer to {}", link.payment_link));

    flow.step("the customer returns to the success URL: verify the signed redirect");
    let query = mock.signer().sign_redirect_query(&[
        ("order_ref", "2SDCUiBEv34oqeIdEDv1pftGeeY"),
        ("merchant_order_ref", merchant_order_id),
        ("channel_order_ref", "pi_3KyTl5Jrbhj1WB8Z017xJS9i"),
        ("status", "Success"),
        ("amount", "19010"),
        ("currency", "VND"),
    ]);
    flow.note(&format!("GET https://shop.example/success?{query}"));
    // Verified with the merchant's own secret, not the mock's: a wrong secret fails here.
    let redirect = Verifier::new(SecretString::from(SECRET_KEY))
        .verify_redirect(&query)
        .map_err(|e| flow.fail(e))?;
    flow.note(&format!(
        "verified: order {} is {} (PortOne ref {})",
        redirect.merchant_order_ref, redirect.status, redirect.order_ref
    ));
    if !redirect.status.is_success() {
        return Err(flow.fail(format!("the redirect says {}", redirect.status)));
    }
    if redirect.details.amount != Some(request.amount()) {
        return Err(flow.fail("the redirect's amount differs from the order's"));
    }

    flow.step("capture the pre-authorised payment (never retried automatically)");
    let ack = client
        .capture(&redirect.order_ref)
        .await
        .map_err(|e| flow.fail(e))?;
    flow.note(&format!(
        "captured: {}",
        ack.message.as_deref().unwrap_or("ok")
    ));
    Ok(format!(
        "link created, redirect verified, order {} captured",
        redirect.order_ref
    ))
}

async fn run_live() -> (String, Result<String, FlowError>) {
    let Some(credentials) = Credentials::from_env() else {
        return (
            String::new(),
            Err(FlowError {
                step: "read the credentials".to_owned(),
                message: "PORTONE_KEY and PORTONE_SECRET_KEY are not set".to_owned(),
            }),
        );
    };
    let environment = std::env::var("PORTONE_ENVIRONMENT")
        .ok()
        .and_then(|e| Environment::parse(&e))
        .unwrap_or(Environment::Sandbox);
    let base_url = "https://api.portone.cloud";
    let secret = credentials.secret_key().expose_secret().to_owned();
    let mut flow = match Flow::start(base_url, Scrubber::new([secret])).await {
        Ok(flow) => flow,
        Err(e) => return (String::new(), Err(e)),
    };
    let result = live_flow(&mut flow, credentials, environment, base_url).await;
    (flow.finish(), result)
}

async fn live_flow(
    flow: &mut Flow,
    credentials: Credentials,
    environment: Environment,
    base_url: &str,
) -> Result<String, FlowError> {
    flow.step("create the hosted checkout link, pre-authorisation only (/api/paymentLink)");
    let verifier = Verifier::new(credentials.secret_key().clone());
    let client = Client::builder(credentials)
        .environment(environment)
        .base_url(flow.via_proxy(base_url))
        .build()
        .map_err(|e| flow.fail(e))?;
    let merchant_order_id = format!(
        "demo-{}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default()
    );
    let link = client
        .create_payment_link(&checkout(&merchant_order_id))
        .await
        .map_err(|e| flow.fail(e))?;
    flow.note(&format!("pay at {}", link.payment_link));
    flow.step("verify the signed redirect");
    match std::env::var("PORTONE_REDIRECT_QUERY") {
        Ok(query) if !query.trim().is_empty() => {
            let redirect = verifier.verify_redirect(&query).map_err(|e| flow.fail(e))?;
            flow.note(&format!(
                "verified: order {} is {}",
                redirect.merchant_order_ref, redirect.status
            ));
            flow.step("capture the pre-authorised payment");
            client
                .capture(&redirect.order_ref)
                .await
                .map_err(|e| flow.fail(e))?;
            Ok(format!("live order {} captured", redirect.order_ref))
        }
        _ => {
            flow.note("set PORTONE_REDIRECT_QUERY to the query PortOne appended to the success URL to verify it and capture");
            Ok(format!("live link for {merchant_order_id} created"))
        }
    }
}
