//! Pivot Payment (`session-tokenize-client`): a recognisable client secret and callback API
//! key; an API-mode session that saves the card, card encryption, confirm, the `PAYMENT.PAID`
//! callback, a charge of the stored card with its CVC, and every kind of failure.

use std::collections::BTreeSet;
use std::time::Duration;

use serde_json::json;
use session_tokenize_client::card::{CardData, CardDetails, Cvc, DeviceInformations};
use session_tokenize_client::model::Amount;
use session_tokenize_client::model::customer::{Customer, PhoneNumber};
use session_tokenize_client::model::session::{
    CaptureMethod, CardOptions, ConfirmPaymentSession, CreatePaymentSession, OrderInformation,
    PaymentMethodOptions, ProductDetail, ProductType, RedirectUrl, ThreeDsMethod,
};
use session_tokenize_client::testing::{MockGateway, Operation, Outcome};
use session_tokenize_client::webhook::{Confirmed, EventType, Verifier, sign_notification};
use session_tokenize_client::{Client, Credentials, Error};

use super::detect::{Forbidden, Observed};
use super::observe::{Capture, closed_port_url, with_body};

const CLIENT_ID: &str = "scrub-client-id";
const CLIENT_SECRET: &str = "pivot-client-secret-canary-B9k4";
const CALLBACK_API_KEY: &str = "pivot-callback-key-canary-N1c6";
const PAN: &str = "5105105105105100";
const CVC: &str = "7264";

pub(crate) fn forbidden() -> Vec<Forbidden> {
    vec![
        Forbidden::secret("pivot", "client secret", CLIENT_SECRET),
        Forbidden::secret("pivot", "callback API key", CALLBACK_API_KEY),
        Forbidden::pan("pivot", "PAN", PAN),
        Forbidden::cvv("pivot", "CVC", CVC),
    ]
}

fn order() -> OrderInformation {
    OrderInformation::new([
        ProductDetail::new(ProductType::Physical, 1, Amount::idr(10_000)).name("Scrub dress"),
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

fn save_card_session(reference: &str) -> CreatePaymentSession {
    CreatePaymentSession::api_save_card(
        reference,
        Amount::idr(10_000),
        Customer::new("scrub@pivot-payment.example")
            .given_name("Scrub Tester")
            .phone_number(PhoneNumber::new("+62", "89699990001")),
        order(),
        urls(),
    )
}

fn card() -> CardDetails {
    CardDetails::new(PAN, 12, 30, CVC, "Scrub Tester").expect("a valid card")
}

/// Runs the flows; the access tokens the mock issued (as the client sent them back) are added
/// to `derived`.
pub(crate) async fn run(derived: &mut Vec<Forbidden>) -> Observed {
    let mut seen = Capture::new("pivot");
    let credentials = Credentials::sandbox(CLIENT_ID, CLIENT_SECRET);
    seen.debug("credentials", &credentials);
    let mock = MockGateway::start_with(credentials).await;
    seen.debug("mock gateway", &mock);
    let builder = mock.client_builder();
    seen.debug("client builder", &builder);
    let client = builder.build().expect("the mock's client builds");
    seen.debug("client", &client);

    // The main flow: session, card encryption, confirm, callback, stored-card charge.
    let request = save_card_session("scrub1");
    seen.debug("session request", &request);
    seen.outcome(
        "prepared session",
        &client.prepare_create_payment_session(&request).await,
    );
    let session = client.create_payment_session(&request).await;
    seen.outcome("session", &session);
    let session = session.expect("the mock accepts the client secret");

    let card = card();
    seen.debug("card", &card);
    seen.display("card number", card.number());
    let data = CardData::new(card).device_informations(
        DeviceInformations::new()
            .user_agent("scrub test")
            .accept_language("EN")
            .country("ID"),
    );
    seen.debug("card data", &data);
    let key = session.encryption_key();
    seen.outcome("encryption key", &key);
    let encrypted = key
        .expect("the session has an encryption key")
        .encrypt(&data);
    seen.outcome("encrypted card", &encrypted);
    let confirm =
        ConfirmPaymentSession::encrypted_card(encrypted.expect("the card encrypts"), options());
    seen.debug("confirm request", &confirm);
    seen.outcome(
        "prepared confirm",
        &client
            .prepare_confirm_payment_session(&session.id, &confirm)
            .await,
    );
    let confirmed = client.confirm_payment_session(&session.id, &confirm).await;
    seen.outcome("confirmed session", &confirmed);
    confirmed.expect("the mock accepts the encrypted card");
    let decrypted = mock.decrypted_cards();
    seen.debug("cards the mock decrypted", &decrypted);
    assert!(
        decrypted
            .iter()
            .any(|c| PAN.ends_with(&c.last4) && c.cvc_len == CVC.len()),
        "the mock decrypted our card: {decrypted:?}"
    );
    assert!(
        mock.complete_payment(&session.id),
        "the mock completes the payment"
    );

    let body = json!({
        "event": EventType::PaymentPaid.as_str(),
        "data": mock.session_json(&session.id).expect("the mock knows the session"),
    });
    let callback = sign_notification(CALLBACK_API_KEY, body.to_string().into_bytes());
    seen.debug("callback request", &callback);
    let verifier = Verifier::new(CALLBACK_API_KEY);
    seen.debug("callback verifier", &verifier);
    let event = verifier.verify(&callback);
    seen.outcome("verified callback", &event);
    let event = event.expect("a callback with the callback API key verifies");
    let paid = event.confirm(&client).await;
    seen.outcome("callback confirmed by the API", &paid);
    let Ok(Confirmed::PaymentSession(paid)) = paid else {
        panic!("the callback is about a payment session: {paid:?}");
    };
    let mut forged = with_body(&callback, callback.body().clone());
    forged.headers_mut().insert(
        "x-api-key",
        format!("{CALLBACK_API_KEY}-old")
            .parse()
            .expect("a header value"),
    );
    let rejected = verifier.verify(&forged);
    seen.outcome("callback with a wrong API key", &rejected);
    assert!(matches!(rejected, Err(Error::Webhook(_))), "{rejected:?}");
    forged.headers_mut().remove("x-api-key");
    let rejected = verifier.verify(&forged);
    seen.outcome("callback without an API key", &rejected);
    assert!(rejected.is_err());

    let customer_id = paid
        .customer_id
        .clone()
        .expect("the session names its customer");
    let customer = client.get_customer(&customer_id).await;
    seen.outcome("customer with the stored card", &customer);
    let token = customer
        .expect("the customer is answered")
        .active_cards()
        .next()
        .expect("the card was stored")
        .token
        .clone();
    let again = CreatePaymentSession::api_saved_card(
        "scrub2",
        Amount::idr(10_000),
        &customer_id,
        order(),
        &token,
        Cvc::new(CVC).expect("a valid CVC"),
    )
    .payment_method_options(options())
    .redirect_url(urls());
    seen.debug("stored-card session request with CVC", &again);
    seen.outcome(
        "prepared stored-card session",
        &client.prepare_create_payment_session(&again).await,
    );
    let charged = client.create_payment_session(&again).await;
    seen.outcome("stored-card session", &charged);
    let charged = charged.expect("the mock accepts the stored card");
    assert!(mock.complete_payment(&charged.id));
    seen.outcome(
        "stored-card session after payment",
        &client.get_payment_session(&charged.id).await,
    );
    seen.outcome("charges", &client.list_charges("scrub2").await);
    seen.outcome(
        "payment method configurations",
        &client.get_payment_method_configs().await,
    );

    errors(&mut seen, &mock, &client, &session.id).await;

    let tokens: BTreeSet<String> = mock
        .requests()
        .iter()
        .filter_map(|r| {
            r.header("authorization")?
                .strip_prefix("Bearer ")
                .map(str::to_owned)
        })
        .collect();
    assert!(!tokens.is_empty(), "the client sent access tokens");
    for token in tokens {
        derived.push(Forbidden::secret(
            "pivot",
            "access token issued by the mock",
            &token,
        ));
    }
    seen.into_observed()
}

async fn errors(seen: &mut Capture, mock: &MockGateway, client: &Client, session_id: &str) {
    // Pivot refuses, echoing the card data and the secret in the fields that carry them.
    let echo = json!({
        "code": "api_validation_error",
        "message": format!("card {PAN} is not valid"),
        "errors": [{"field": "card.number", "number": PAN, "cvc": CVC, "clientSecret": CLIENT_SECRET}]
    })
    .to_string();
    mock.script(
        Operation::CreatePaymentSession,
        Outcome::respond(400, echo.clone()).header("content-type", "application/json"),
    );
    let refused = client
        .create_payment_session(&save_card_session("scrub3"))
        .await;
    seen.outcome("provider error", &refused);
    assert!(matches!(refused, Err(Error::Provider(_))), "{refused:?}");
    mock.script(Operation::GetCustomer, Outcome::error(404));
    let missing = client.get_customer("cust-unknown").await;
    seen.outcome("documented 404", &missing);
    assert!(matches!(missing, Err(Error::Provider(_))), "{missing:?}");

    // Answers that do not decode, with card data and the secret in sensitive fields.
    let undecodable = json!({
        "id": 42,
        "status": ["PAID"],
        "paymentMethod": {"card": {"number": PAN, "cvc": CVC}},
        "clientSecret": CLIENT_SECRET,
        "note": format!("card {PAN}")
    })
    .to_string();
    mock.script(
        Operation::GetPaymentSession,
        Outcome::respond(200, undecodable).header("content-type", "application/json"),
    );
    let garbled = client.get_payment_session(session_id).await;
    seen.outcome("undecodable session", &garbled);
    assert!(matches!(garbled, Err(Error::Decode(_))), "{garbled:?}");
    mock.script(
        Operation::GetPaymentSession,
        Outcome::respond(
            200,
            format!("{{\"id\": \"x\", \"card\": {{\"number\": \"{PAN}\", \"cvc\": \"{CVC}\""),
        ),
    );
    let truncated = client.get_payment_session(session_id).await;
    seen.outcome("truncated session", &truncated);
    assert!(matches!(truncated, Err(Error::Decode(_))), "{truncated:?}");

    // Nothing listens; then a client with an outdated secret.
    let closed = mock
        .client_builder()
        .base_url(closed_port_url())
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(5))
        .build()
        .expect("the client builds");
    let unreachable = closed
        .create_payment_session(&save_card_session("scrub4"))
        .await;
    seen.outcome("session at a closed port", &unreachable);
    assert!(
        matches!(unreachable, Err(Error::Transport { .. })),
        "{unreachable:?}"
    );
    let outdated = Client::builder(Credentials::sandbox(
        CLIENT_ID,
        format!("{CLIENT_SECRET}-rotated"),
    ))
    .base_url(mock.base_url())
    .retry_backoff(Duration::from_millis(1), Duration::from_millis(5))
    .build()
    .expect("the client builds");
    seen.debug("client with an outdated secret", &outdated);
    let unauthorized = outdated.get_payment_session(session_id).await;
    seen.outcome("call with an outdated secret", &unauthorized);
    assert!(unauthorized.is_err());

    // Refused locally.
    let invalid = [
        CardDetails::new(&format!("{PAN}12345"), 12, 30, CVC, "Scrub Tester").map(|_| ()),
        CardDetails::new(PAN, 12, 30, &format!(" {CVC}"), "Scrub Tester").map(|_| ()),
        CardDetails::new(PAN, 13, 30, CVC, "Scrub Tester").map(|_| ()),
        Cvc::new(&format!("{CVC}1")).map(|_| ()),
    ];
    for (i, invalid) in invalid.iter().enumerate() {
        seen.outcome(&format!("invalid card #{i}"), invalid);
        assert!(invalid.is_err());
    }
}
