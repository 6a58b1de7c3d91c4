//! Quickstart: create a hosted checkout link with order details, verify the customer's redirect,
//! and capture the pre-authorised payment.
//!
//! By default this runs against the crate's mock PortOne on loopback. With `PORTONE_KEY` and
//! `PORTONE_SECRET_KEY` set (and optionally `PORTONE_ENVIRONMENT=live`, default `sandbox`) it
//! talks to `https://api.portone.cloud`; there, the redirect is read from
//! `PORTONE_REDIRECT_QUERY` (the query string PortOne appended to your success URL) when set.
//!
//! ```text
//! cargo run -p portone-client --example quickstart --features testing
//! ```
#![allow(clippy::print_stdout)]

use portone_client::model::checkout::{
    Address, BillingDetails, CheckoutRequest, MerchantDetails, OrderItem, RedirectUrls,
    TransactionType,
};
use portone_client::testing::MockGateway;
use portone_client::webhook::Verifier;
use portone_client::{Client, Credentials, Decimal, Environment, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    // Keep the mock alive for the whole run when there are no credentials.
    let (client, verifier, mock) = match Credentials::from_env() {
        Some(credentials) => {
            let environment = std::env::var("PORTONE_ENVIRONMENT")
                .ok()
                .and_then(|e| Environment::parse(&e))
                .unwrap_or(Environment::Sandbox);
            println!("Using api.portone.cloud ({environment}).");
            let verifier = Verifier::new(credentials.secret_key().clone());
            let client = Client::builder(credentials)
                .environment(environment)
                .user_agent_suffix("quickstart")
                .build()?;
            (client, verifier, None)
        }
        None => {
            let mock = MockGateway::start().await;
            println!(
                "No PORTONE_KEY/PORTONE_SECRET_KEY: using the mock at {}.",
                mock.base_url()
            );
            (mock.client(), mock.verifier(), Some(mock))
        }
    };

    // 1. A hosted checkout, pre-authorisation only: one item of 19010 VND plus 10000 shipping
    //    minus a 10000 promo discount is 19010 (the amount rule is checked before sending).
    let merchant_order_id = format!("quickstart-{}", std::process::id());
    let request = CheckoutRequest::new(
        merchant_order_id.clone(),
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
            .email("markweins@example.com")
            .address(Address::new().city("Ho Chi Minh City").country_code("VN")),
    )
    .order_item(OrderItem::new(
        "product_001",
        "Hand Gloves",
        Decimal::new(19010, 0),
        1,
    ))
    .transaction_type(TransactionType::Preauth)
    .expiry_hours(24);

    let link = match client.create_payment_link(&request).await {
        Ok(link) => link,
        Err(e) if e.may_have_been_processed() => {
            // Never create a second link blindly: look the order up first.
            println!("Outcome unknown ({e}); reconciling.");
            let status = client.transaction_status(&merchant_order_id).await?;
            println!("Order status: {:?}", status.status);
            return Ok(());
        }
        Err(e) => return Err(e),
    };
    println!("Send the customer to {}", link.payment_link);

    // 2. The customer comes back to the success URL with a signed query string.
    let query = match &mock {
        // The mock plays PortOne: it signs the redirect it would send.
        Some(mock) => Some(mock.signer().sign_redirect_query(&[
            ("order_ref", "2SDCUiBEv34oqeIdEDv1pftGeeY"),
            ("merchant_order_ref", merchant_order_id.as_str()),
            ("channel_order_ref", "pi_3KyTl5Jrbhj1WB8Z017xJS9i"),
            ("status", "Success"),
            ("amount", "19010"),
            ("currency", "VND"),
        ])),
        None => std::env::var("PORTONE_REDIRECT_QUERY").ok(),
    };
    let Some(query) = query else {
        println!("Set PORTONE_REDIRECT_QUERY to verify a redirect and capture its payment.");
        return Ok(());
    };
    let redirect = verifier.verify_redirect(&query)?;
    println!(
        "Verified redirect: order {} is {} (PortOne ref {})",
        redirect.merchant_order_ref, redirect.status, redirect.order_ref
    );
    // Only the status and references are signed: compare amount and currency with your order.
    if redirect.details.amount != Some(request.amount()) {
        println!("The redirect's amount differs from the order: not capturing.");
        return Ok(());
    }

    // 3. Capture the pre-authorised payment (never retried automatically).
    if redirect.status.is_success() {
        match client.capture(&redirect.order_ref).await {
            Ok(ack) => println!("Captured: {:?}", ack.message),
            Err(e) if e.may_have_been_processed() => {
                println!(
                    "Capture outcome unknown ({e}); check transaction_details before retrying."
                );
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}
