//! Create a checkout link that saves the card, charge the saved card with `recurring`, and
//! check the order's status.
//!
//! By default this runs against the crate's mock gateway (no network). To use Flitt itself,
//! set `FLITT_MERCHANT_ID` and `FLITT_SECRET_KEY` (and optionally `FLITT_CREDIT_KEY`); Flitt's
//! public test merchant is `1549901` / `test`. With the real API the card is saved only once a
//! customer pays on the checkout page: pay there with a test card (e.g. 4444555511116666), then
//! run again with `FLITT_RECTOKEN` set to the `rectoken` of that order's callback or status.
//!
//! ```text
//! cargo run -p flitt-client --example quickstart --features testing
//! FLITT_MERCHANT_ID=1549901 FLITT_SECRET_KEY=test cargo run -p flitt-client --example quickstart --features testing
//! ```
#![allow(clippy::print_stdout)]

use std::time::{SystemTime, UNIX_EPOCH};

use flitt_client::model::checkout::CheckoutRequest;
use flitt_client::model::order::StatusRequest;
use flitt_client::model::recurring::RecurringRequest;
use flitt_client::testing::MockGateway;
use flitt_client::{Client, Credentials, Currency, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    // Keep the mock alive for the whole run when it is used.
    let (client, mock) = match Credentials::from_env()? {
        Some(credentials) => {
            println!("Using Flitt for merchant {}", credentials.merchant_id());
            (Client::builder(credentials).build()?, None)
        }
        None => {
            let mock = MockGateway::start().await;
            println!("Using the mock gateway at {}", mock.base_url());
            (mock.client(), Some(mock))
        }
    };
    let stamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default();

    // 1. A hosted payment page that saves the card (`required_rectoken`).
    let first_order = format!("quickstart-{stamp}-1");
    let page = client
        .checkout_url(
            &CheckoutRequest::new(
                &first_order,
                "Quickstart: first payment",
                1000,
                Currency::GEL,
            )
            .required_rectoken(true)
            .lang("en"),
        )
        .await?;
    println!("1. Checkout page for {first_order}: {}", page.checkout_url);

    // 2. The card token: from the paid order (the mock "pays" at once), or from the environment.
    let rectoken = match (&mock, std::env::var("FLITT_RECTOKEN")) {
        (_, Ok(token)) if !token.is_empty() => token,
        (Some(_), _) => {
            let paid = client
                .order_status(&StatusRequest::new(&first_order))
                .await?;
            println!("   order {} is {}", paid.order_id, paid.order_status);
            match paid.rectoken {
                Some(token) => token,
                None => {
                    println!("   no card token was issued");
                    return Ok(());
                }
            }
        }
        (None, _) => {
            println!(
                "   Pay on that page with a test card, then run again with FLITT_RECTOKEN=<rectoken>."
            );
            return Ok(());
        }
    };

    // 3. Charge the saved card. Never retried automatically: if the outcome is unknown,
    //    reconcile with the order status instead of charging again.
    let charge = RecurringRequest::new(
        format!("quickstart-{stamp}-2"),
        "Quickstart: saved card charge",
        1000,
        Currency::GEL,
        rectoken,
    );
    match client.recurring(&charge).await {
        Ok(order) if order.is_approved() => {
            println!(
                "3. Charged {}: approved (payment {:?})",
                order.order_id, order.payment_id
            );
        }
        Ok(order) => println!(
            "3. Charge {} is {}: {:?}",
            order.order_id,
            order.order_status,
            order.decline()
        ),
        Err(e) if e.may_have_been_processed() => {
            println!("3. Outcome unknown ({e}); checking the status")
        }
        Err(e) => return Err(e),
    }

    // 4. The reconciliation call.
    match client
        .order_status(&StatusRequest::new(charge.order_id()))
        .await
    {
        Ok(order) => println!("4. Status of {}: {}", order.order_id, order.order_status),
        Err(e) if e.error_code() == Some(flitt_client::ErrorCode::OrderNotFound) => {
            println!(
                "4. {} was never created; it is safe to charge again",
                charge.order_id()
            );
        }
        Err(e) => return Err(e),
    }
    Ok(())
}
