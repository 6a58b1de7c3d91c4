//! Pivot Payment: API-mode session that saves the card → card encryption → confirm →
//! `PAYMENT.PAID` callback → charge with the stored token.

use session_tokenize_client::card::{CardData, CardDetails, Cvc, DeviceInformations};
use session_tokenize_client::model::Amount;
use session_tokenize_client::model::customer::{Customer, PhoneNumber};
use session_tokenize_client::model::session::{
    CaptureMethod, CardOptions, ConfirmPaymentSession, CreatePaymentSession, OrderInformation,
    PaymentMethodOptions, ProductDetail, ProductType, RedirectUrl, ThreeDsMethod,
};
use session_tokenize_client::testing::MockGateway;
use session_tokenize_client::webhook::{Confirmed, EventType, Verifier};
use session_tokenize_client::{Client, Credentials};

use super::{Flow, FlowError, Scrubber};

/// Pivot's published test card (Visa, frictionless) and a CVC.
const CARD_NUMBER: &str = "4440 0001 1220 0001";
const CVC: &str = "123";

pub(crate) async fn run(live: bool) -> (String, Result<String, FlowError>) {
    if live {
        return run_live().await;
    }
    let mock = MockGateway::start().await;
    let scrubber = Scrubber::new([MockGateway::CLIENT_SECRET, MockGateway::CALLBACK_API_KEY]);
    let mut flow = match Flow::start(&mock.base_url(), scrubber).await {
        Ok(flow) => flow,
        Err(e) => return (String::new(), Err(e)),
    };
    let result = mock_flow(&mock, &mut flow).await;
    (flow.finish(), result)
}

fn order() -> OrderInformation {
    OrderInformation::new([
        ProductDetail::new(ProductType::Physical, 1, Amount::idr(10_000))
            .name("Dress Kasual Warna Putih"),
    ])
}

fn options() -> PaymentMethodOptions {
    PaymentMethodOptions::card(
        CardOptions::new()
            .capture_method(CaptureMethod::Automatic)
            .three_ds_method(ThreeDsMethod::Challenge),
    )
}

fn urls() -> RedirectUrl {
    RedirectUrl::new(
        "https://merchant.example/success",
        "https://merchant.example/failure",
        "https://merchant.example/expiration",
    )
}

fn reference(n: u32) -> String {
    format!("demo{}{n}", std::process::id())
}

async fn mock_flow(mock: &MockGateway, flow: &mut Flow) -> Result<String, FlowError> {
    flow.step("create an API-mode payment session that saves the card (token fetched first)");
    let client = mock
        .client_builder()
        .base_url(flow.via_proxy(&mock.base_url()))
        .build()
        .map_err(|e| flow.fail(e))?;
    let session = client
        .create_payment_session(
            &CreatePaymentSession::api_save_card(
                reference(1),
                Amount::idr(10_000),
                Customer::new("reforza@pivot-payment.com")
                    .given_name("Reforza Jordan")
                    .surname("Geotama")
                    .phone_number(PhoneNumber::new("+62", "89699990001")),
                order(),
                urls(),
            )
            .statement_descriptor("Demo"),
        )
        .await
        .map_err(|e| flow.fail(e))?;
    flow.note(&format!(
        "session {} is {}; it carries an RSA encryption key",
        session.id, session.status
    ));

    flow.step("encrypt the card with the session's key (AES-256-GCM, key wrapped with RSA-OAEP)");
    let card =
        CardDetails::new(CARD_NUMBER, 1, 29, CVC, "Reforza Jordan").map_err(|e| flow.fail(e))?;
    let device = DeviceInformations::new()
        .user_agent("cargo xtask demo")
        .accept_language("EN")
        .country("ID");
    let encrypted = session
        .encryption_key()
        .map_err(|e| flow.fail(e))?
        .encrypt(&CardData::new(card).device_informations(device))
        .map_err(|e| flow.fail(e))?;
    flow.note("card encrypted; only the encrypted envelope leaves the process");

    flow.step("confirm the session with the encrypted card");
    let confirmed = client
        .confirm_payment_session(
            &session.id,
            &ConfirmPaymentSession::encrypted_card(encrypted, options()),
        )
        .await
        .map_err(|e| flow.fail(e))?;
    flow.note(&format!(
        "send the shopper to the 3-D Secure page {}",
        confirmed.payment_url.as_deref().unwrap_or("(none)")
    ));
    let decrypted = mock.decrypted_cards().len();
    if decrypted == 0 {
        return Err(flow.fail("the mock gateway could not decrypt the card"));
    }

    flow.step("the shopper passes 3-D Secure; Pivot posts PAYMENT.PAID: check, parse, confirm");
    if !mock.complete_payment(&session.id) {
        return Err(flow.fail("the mock gateway does not know the session"));
    }
    let callback = mock
        .notification(&session.id, EventType::PaymentPaid)
        .ok_or_else(|| flow.fail("the mock gateway could not build the callback"))?;
    flow.note("POST /pivot/callback (X-API-Key: [REDACTED])");
    flow.body("body", callback.body());
    // Checked with the merchant's configured callback key, not the mock's.
    let event = Verifier::new(MockGateway::CALLBACK_API_KEY)
        .verify(&callback)
        .map_err(|e| flow.fail(e))?;
    flow.note(&format!(
        "callback accepted: {}; the payload is unsigned, so re-read the session",
        event.event_type.as_str()
    ));
    let Confirmed::PaymentSession(paid) = event.confirm(&client).await.map_err(|e| flow.fail(e))?
    else {
        return Err(flow.fail("the callback is not about a payment session"));
    };
    if !paid.is_paid() {
        return Err(flow.fail(format!("the session is {}", paid.status)));
    }
    flow.note(&format!(
        "confirmed by the API: session {} is {}",
        paid.id, paid.status
    ));

    flow.step(
        "charge the stored card: retrieve the customer, then an API-mode session with the token",
    );
    let customer_id = paid
        .customer_id
        .clone()
        .ok_or_else(|| flow.fail("the paid session names no customer"))?;
    let customer = client
        .get_customer(&customer_id)
        .await
        .map_err(|e| flow.fail(e))?;
    let saved = customer
        .active_cards()
        .next()
        .ok_or_else(|| flow.fail("the customer has no stored card"))?;
    let token = saved.token.clone();
    let cvc = Cvc::new(CVC).map_err(|e| flow.fail(e))?;
    let again = client
        .create_payment_session(
            &CreatePaymentSession::api_saved_card(
                reference(2),
                Amount::idr(10_000),
                &customer_id,
                order(),
                &token,
                cvc,
            )
            .payment_method_options(options())
            .redirect_url(urls()),
        )
        .await
        .map_err(|e| flow.fail(e))?;
    flow.note(&format!(
        "session {} is {}; 3-D Secure page {}",
        again.id,
        again.status,
        again.payment_url.as_deref().unwrap_or("(none)")
    ));
    if !mock.complete_payment(&again.id) {
        return Err(flow.fail("the mock gateway does not know the second session"));
    }
    let charged = client
        .get_payment_session(&again.id)
        .await
        .map_err(|e| flow.fail(e))?;
    if !charged.is_paid() {
        return Err(flow.fail(format!("the second session is {}", charged.status)));
    }
    Ok(format!(
        "card saved by {}, charged again with its token in {} ({})",
        paid.id, charged.id, charged.status
    ))
}

async fn run_live() -> (String, Result<String, FlowError>) {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let (Some(id), Some(secret)) = (var("PIVOT_CLIENT_ID"), var("PIVOT_CLIENT_SECRET")) else {
        return (
            String::new(),
            Err(FlowError {
                step: "read the credentials".to_owned(),
                message: "PIVOT_CLIENT_ID and PIVOT_CLIENT_SECRET are not set".to_owned(),
            }),
        );
    };
    let base_url = "https://api-stg.pivot-payment.com";
    let mut flow = match Flow::start(base_url, Scrubber::new([secret.clone()])).await {
        Ok(flow) => flow,
        Err(e) => return (String::new(), Err(e)),
    };
    let result = live_flow(&mut flow, Credentials::sandbox(id, secret), base_url).await;
    (flow.finish(), result)
}

async fn live_flow(
    flow: &mut Flow,
    credentials: Credentials,
    base_url: &str,
) -> Result<String, FlowError> {
    flow.step("create an API-mode payment session that saves the card");
    let client = Client::builder(credentials)
        .base_url(flow.via_proxy(base_url))
        .build()
        .map_err(|e| flow.fail(e))?;
    let session = client
        .create_payment_session(&CreatePaymentSession::api_save_card(
            reference(1),
            Amount::idr(10_000),
            Customer::new("reforza@pivot-payment.com")
                .given_name("Reforza Jordan")
                .surname("Geotama")
                .phone_number(PhoneNumber::new("+62", "89699990001")),
            order(),
            urls(),
        ))
        .await
        .map_err(|e| flow.fail(e))?;
    flow.step("encrypt the card and confirm");
    let card =
        CardDetails::new(CARD_NUMBER, 1, 29, CVC, "Reforza Jordan").map_err(|e| flow.fail(e))?;
    let encrypted = session
        .encryption_key()
        .map_err(|e| flow.fail(e))?
        .encrypt(&CardData::new(card))
        .map_err(|e| flow.fail(e))?;
    let confirmed = client
        .confirm_payment_session(
            &session.id,
            &ConfirmPaymentSession::encrypted_card(encrypted, options()),
        )
        .await
        .map_err(|e| flow.fail(e))?;
    flow.note(&format!(
        "finish 3-D Secure at {}; PAYMENT.PAID then arrives at your callback URL, and session-tokenize-client's quickstart example charges the stored card",
        confirmed.payment_url.as_deref().unwrap_or("(none)")
    ));
    Ok(format!("live session {} confirmed", session.id))
}
