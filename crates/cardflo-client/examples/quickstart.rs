//! A debit with redirect handling, then a status check.
//!
//! Runs against the crate's mock gateway by default. To use a real gateway, set
//! `CARDFLO_API_USER`, `CARDFLO_API_PASSWORD` and `CARDFLO_API_KEY`, plus
//! `CARDFLO_SHARED_SECRET` when the connector signs requests and optionally `CARDFLO_BASE_URL`
//! (default `https://gateway.cardflo.io/api/v3`):
//!
//! ```text
//! cargo run -p cardflo-client --example quickstart --features testing
//! ```
#![allow(clippy::print_stdout)]

use std::time::{SystemTime, UNIX_EPOCH};

use cardflo_client::SecretString;
use cardflo_client::auth::{Connector, Credentials};
use cardflo_client::model::{DebitRequest, Reconciliation, TransactionOutcome};
use cardflo_client::testing::{MockGateway, Operation, Outcome};
use cardflo_client::{Amount, Client, DEFAULT_BASE_URL, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    // Keep the mock alive for as long as the client talks to it.
    let (client, _mock) = match real_gateway()? {
        Some(client) => {
            println!("using {}", client.base_url());
            (client, None)
        }
        None => {
            let mock = MockGateway::start().await;
            // Answer the debit like a 3-D Secure challenge would.
            mock.script(
                Operation::Debit,
                Outcome::Redirect {
                    url: "https://gateway.example/3ds/challenge".to_owned(),
                },
            );
            println!(
                "no CARDFLO_* credentials in the environment: using the mock gateway at {}",
                mock.base_url()
            );
            (mock.client(), Some(mock))
        }
    };

    // One merchantTransactionId per attempt: the gateway refuses a reused one (error 3004).
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default();
    let merchant_transaction_id = format!("quickstart-{millis}");
    let amount: Amount = "9.99".parse()?;
    let mut debit = DebitRequest::new(merchant_transaction_id.as_str(), amount, "EUR")
        .description("Quickstart order")
        .success_url("https://shop.example/success")
        .cancel_url("https://shop.example/cancel")
        .error_url("https://shop.example/error")
        .callback_url("https://shop.example/cardflo/notifications");
    if let Ok(token) = std::env::var("CARDFLO_TRANSACTION_TOKEN") {
        debit = debit.transaction_token(token);
    }

    match client.debit(&debit).await {
        Ok(response) => match &response.outcome {
            TransactionOutcome::Finished => println!("paid, uuid {:?}", response.uuid),
            TransactionOutcome::Redirect(redirect) => {
                println!("redirect the customer to {}", redirect.url);
                println!("the final result arrives as a notification at the callbackUrl");
            }
            TransactionOutcome::Html { .. } => println!("render the HTML content to the customer"),
            TransactionOutcome::Pending => println!("pending; wait for the notification"),
            TransactionOutcome::Error { errors } => {
                for error in errors {
                    println!(
                        "declined: {:?} {:?} (adapter {:?})",
                        error.code, error.message, error.adapter_message
                    );
                }
            }
            other => println!("unexpected outcome {other:?}; check the status"),
        },
        Err(e) if e.may_have_been_processed() => {
            println!("outcome unknown ({e}); reconciling");
            match client.reconcile(&merchant_transaction_id).await? {
                Reconciliation::NotFound => {
                    println!("the debit never reached the gateway; it may be sent again")
                }
                Reconciliation::Found(status) => {
                    println!("the debit exists: {:?}", status.transaction_status)
                }
                other => println!("{other:?}"),
            }
        }
        Err(e) => return Err(e),
    }

    let status = client
        .status_by_merchant_transaction_id(&merchant_transaction_id)
        .await?;
    println!(
        "status of {merchant_transaction_id}: {:?} (uuid {:?})",
        status.transaction_status, status.uuid
    );
    Ok(())
}

/// A client for the gateway named by the environment, if credentials are there.
fn real_gateway() -> Result<Option<Client>, Error> {
    let (Ok(user), Ok(password), Ok(api_key)) = (
        std::env::var("CARDFLO_API_USER"),
        std::env::var("CARDFLO_API_PASSWORD"),
        std::env::var("CARDFLO_API_KEY"),
    ) else {
        return Ok(None);
    };
    let mut connector = Connector::new(api_key);
    if let Ok(secret) = std::env::var("CARDFLO_SHARED_SECRET") {
        connector = connector.shared_secret(SecretString::from(secret));
    }
    let base_url =
        std::env::var("CARDFLO_BASE_URL").unwrap_or_else(|_| DEFAULT_BASE_URL.to_owned());
    Client::builder(
        Credentials::new(user, SecretString::from(password)),
        connector,
    )
    .base_url(base_url)
    .build()
    .map(Some)
}
