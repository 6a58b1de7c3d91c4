//! Saves a card in API mode, then charges the saved card.
//!
//! By default this runs against the crate's mock gateway (feature `testing`), which plays the
//! shopper's 3-D Secure step too:
//!
//! ```text
//! cargo run -p session-tokenize-client --example quickstart --features testing
//! ```
//!
//! With `PIVOT_CLIENT_ID` and `PIVOT_CLIENT_SECRET` set it uses Pivot's sandbox instead; open
//! the printed 3DS pages in a browser to finish each payment (Pivot's test card
//! 4440000112290002 shows a mock challenge). `PIVOT_CUSTOMER_EMAIL` overrides the shopper's
//! e-mail.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::time::Duration;

use session_tokenize_client::card::{CardData, CardDetails, Cvc, DeviceInformations};
use session_tokenize_client::model::Amount;
use session_tokenize_client::model::customer::{Customer, PhoneNumber};
use session_tokenize_client::model::session::{
    CaptureMethod, CardOptions, ConfirmPaymentSession, CreatePaymentSession, OrderInformation,
    PaymentMethodOptions, PaymentSession, ProductDetail, ProductType, RedirectUrl, ThreeDsMethod,
};
use session_tokenize_client::testing::MockGateway;
use session_tokenize_client::{Client, Credentials, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let sandbox = match (
        std::env::var("PIVOT_CLIENT_ID"),
        std::env::var("PIVOT_CLIENT_SECRET"),
    ) {
        (Ok(id), Ok(secret)) if !id.is_empty() && !secret.is_empty() => Some((id, secret)),
        _ => None,
    };
    let mock = if sandbox.is_none() {
        Some(MockGateway::start().await)
    } else {
        None
    };
    let client = match (&sandbox, &mock) {
        (Some((id, secret)), _) => {
            println!("Using the Pivot sandbox ({id}).");
            Client::builder(Credentials::sandbox(id.clone(), secret.clone())).build()?
        }
        (None, Some(mock)) => {
            println!("Using the mock gateway at {}.", mock.base_url());
            mock.client()
        }
        (None, None) => unreachable!("either sandbox credentials or the mock"),
    };

    let email = std::env::var("PIVOT_CUSTOMER_EMAIL")
        .unwrap_or_else(|_| "reforza@pivot-payment.com".to_owned());
    let reference = || format!("{}", time::OffsetDateTime::now_utc().unix_timestamp_nanos());
    let order = || {
        OrderInformation::new([
            ProductDetail::new(ProductType::Physical, 1, Amount::idr(10_000))
                .name("Dress Kasual Warna Putih"),
        ])
    };
    let urls = RedirectUrl::new(
        "https://merchant.example/success",
        "https://merchant.example/failure",
        "https://merchant.example/expiration",
    );
    let options = || {
        PaymentMethodOptions::card(
            CardOptions::new()
                .capture_method(CaptureMethod::Automatic)
                .three_ds_method(ThreeDsMethod::Challenge),
        )
    };

    // 1. API mode, save the card: the session hands out an RSA encryption key.
    let session = client
        .create_payment_session(
            &CreatePaymentSession::api_save_card(
                reference(),
                Amount::idr(10_000),
                Customer::new(email)
                    .given_name("Reforza Jordan")
                    .surname("Geotama")
                    .phone_number(PhoneNumber::new("+62", "89699990001")),
                order(),
                urls.clone(),
            )
            .statement_descriptor("Quickstart"),
        )
        .await?;
    println!("Session {} is {}.", session.id, session.status);

    // 2. Encrypt the card (normally in your front end) and confirm.
    let card = CardDetails::new("4440 0001 1229 0002", 1, 29, "123", "Reforza Jordan")?;
    let device = DeviceInformations::new()
        .user_agent("quickstart")
        .accept_language("EN")
        .country("ID");
    let encrypted = session
        .encryption_key()?
        .encrypt(&CardData::new(card).device_informations(device))?;
    let confirmed = client
        .confirm_payment_session(
            &session.id,
            &ConfirmPaymentSession::encrypted_card(encrypted, options()),
        )
        .await?;
    println!(
        "Send the shopper to the 3DS page: {}",
        confirmed.payment_url.as_deref().unwrap_or("(none)")
    );
    let paid = finish(&client, mock.as_ref(), &confirmed).await?;
    println!("Session {} is {}.", paid.id, paid.status);
    if !paid.is_paid() {
        println!("The first payment did not complete; nothing to reuse.");
        return Ok(());
    }

    // 3. Later: the stored card, charged with the CVC the shopper types.
    let customer_id = paid.customer_id.clone().unwrap_or_default();
    let customer = client.get_customer(&customer_id).await?;
    let Some(saved) = customer.active_cards().next() else {
        println!("No stored card yet for customer {customer_id}.");
        return Ok(());
    };
    println!(
        "Stored card ending {} (token {}…).",
        saved
            .card
            .as_ref()
            .and_then(|c| c.last4.as_deref())
            .unwrap_or("????"),
        saved.token.chars().take(8).collect::<String>()
    );
    let again = client
        .create_payment_session(
            &CreatePaymentSession::api_saved_card(
                reference(),
                Amount::idr(10_000),
                &customer_id,
                order(),
                &saved.token,
                Cvc::new("123")?,
            )
            .payment_method_options(options())
            .redirect_url(urls),
        )
        .await?;
    println!(
        "Send the shopper to the 3DS page: {}",
        again.payment_url.as_deref().unwrap_or("(none)")
    );
    let paid_again = finish(&client, mock.as_ref(), &again).await?;
    println!("Session {} is {}.", paid_again.id, paid_again.status);
    Ok(())
}

/// With the mock, plays the shopper's 3DS step; with the sandbox, waits (up to five minutes)
/// for the shopper to finish it in a browser. Either way the final word comes from the API.
async fn finish(
    client: &Client,
    mock: Option<&MockGateway>,
    session: &PaymentSession,
) -> Result<PaymentSession, Error> {
    if let Some(mock) = mock {
        mock.complete_payment(&session.id);
        return client.get_payment_session(&session.id).await;
    }
    for _ in 0..60 {
        let current = client.get_payment_session(&session.id).await?;
        if current.status.is_final() {
            return Ok(current);
        }
        tokio::time::sleep(Duration::from_secs(5)).await;
    }
    client.get_payment_session(&session.id).await
}
