//! Flitt: a merchant with recognisable payment and credit keys; hosted checkout, callback,
//! recurring charge with a CVV2, direct card payments through 3-D Secure step 1 (with and
//! without a challenge), a payout to a card number, and every kind of failure.

use std::time::Duration;

use flitt_client::model::card::{Card, CardNumber, Cvv2, Expiry};
use flitt_client::model::checkout::CheckoutRequest;
use flitt_client::model::manage::{CaptureRequest, ReverseRequest};
use flitt_client::model::order::StatusRequest;
use flitt_client::model::payout::{P2pCreditRequest, PayoutReceiver};
use flitt_client::model::recurring::RecurringRequest;
use flitt_client::model::three_ds::{
    ThreeDsStep1Request, ThreeDsStep1Response, ThreeDsStep2Request,
};
use flitt_client::testing::{MockGateway, Operation, Outcome};
use flitt_client::webhook::Verifier;
use flitt_client::{Client, Credentials, Currency, Error, ErrorCode};

use super::detect::{Forbidden, Observed};
use super::observe::{Capture, closed_port_url, tamper, with_body};

const MERCHANT_ID: u64 = 1_700_417;
const PAYMENT_KEY: &str = "flitt-payment-key-canary-L3v7";
const CREDIT_KEY: &str = "flitt-credit-key-canary-W5n1";
/// Flitt's documented test card that is approved without 3-D Secure.
const PAN_FRICTIONLESS: &str = "4444555511116666";
/// Any other card goes through a 3-D Secure challenge on the mock.
const PAN_CHALLENGE: &str = "5555555555554444";
const PAN_PAYOUT: &str = "4012888888881881";
const CVV2: &str = "8397";

pub(crate) fn forbidden() -> Vec<Forbidden> {
    vec![
        Forbidden::secret("flitt", "payment key", PAYMENT_KEY),
        Forbidden::secret("flitt", "credit key", CREDIT_KEY),
        Forbidden::pan("flitt", "PAN without 3-D Secure", PAN_FRICTIONLESS),
        Forbidden::pan("flitt", "PAN with a 3-D Secure challenge", PAN_CHALLENGE),
        Forbidden::pan("flitt", "payout PAN", PAN_PAYOUT),
        Forbidden::cvv("flitt", "CVV2", CVV2),
    ]
}

fn card(pan: &str) -> Card {
    Card::new(
        CardNumber::new(pan).expect("a valid card number"),
        Expiry::new(12, 2030).expect("a valid expiry"),
        Cvv2::new(CVV2).expect("a valid CVV2"),
    )
}

pub(crate) async fn run() -> Observed {
    let mut seen = Capture::new("flitt");
    let credentials = Credentials::new(MERCHANT_ID, PAYMENT_KEY).with_credit_key(CREDIT_KEY);
    seen.debug("credentials", &credentials);
    let mock = MockGateway::start_with(credentials).await;
    seen.debug("mock gateway", &mock);
    let builder = mock
        .client_builder()
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(10));
    seen.debug("client builder", &builder);
    let client = builder.build().expect("the mock's client builds");
    seen.debug("client", &client);

    // The main flow: checkout that saves the card, callback, recurring charge, status.
    let checkout = CheckoutRequest::new("scrub-1", "Scrub: first payment", 1000, Currency::GEL)
        .required_rectoken(true)
        .server_callback_url("https://shop.example/flitt/callback");
    seen.debug("checkout request", &checkout);
    seen.outcome(
        "prepared checkout",
        &client.prepare_checkout_url(&checkout).await,
    );
    let page = client.checkout_url(&checkout).await;
    seen.outcome("checkout answer", &page);
    page.expect("the mock accepts a checkout signed with the payment key");
    let verifier = Verifier::new(MERCHANT_ID, PAYMENT_KEY).with_credit_key(CREDIT_KEY);
    seen.debug("callback verifier", &verifier);
    seen.debug("mock's callback verifier", &mock.verifier());
    let body = mock
        .callback_body("scrub-1")
        .expect("the mock knows the order");
    let callback = http::Request::builder()
        .method(http::Method::POST)
        .uri("/flitt/callback")
        .header(http::header::CONTENT_TYPE, "application/json")
        .body(body)
        .expect("a request");
    seen.debug("callback request", &callback);
    let order = verifier.verify(&callback);
    seen.outcome("verified callback", &order);
    let order = order.expect("a callback signed with the payment key verifies");
    let tampered = with_body(&callback, tamper(callback.body(), "\"1000\"", "\"1\""));
    let rejected = verifier.verify(&tampered);
    seen.outcome("tampered callback", &rejected);
    assert!(rejected.is_err(), "a tampered callback is rejected");
    let rejected = Verifier::new(MERCHANT_ID, "another-payment-key").verify(&callback);
    seen.outcome("callback checked with another key", &rejected);
    assert!(rejected.is_err());

    let rectoken = order.rectoken.clone().expect("the callback has a rectoken");
    let charge = RecurringRequest::new(
        "scrub-2",
        "Scrub: saved card",
        2500,
        Currency::GEL,
        rectoken,
    )
    .cvv2(Cvv2::new(CVV2).expect("a valid CVV2"));
    seen.debug("recurring request with CVV2", &charge);
    seen.outcome(
        "prepared recurring",
        &client.prepare_recurring(&charge).await,
    );
    let charged = client.recurring(&charge).await;
    seen.outcome("recurring answer", &charged);
    assert!(charged.expect("the charge is answered").is_approved());
    let status = client.order_status(&StatusRequest::new("scrub-2")).await;
    seen.outcome("order status", &status);
    status.expect("the status is answered");

    // Direct card payments.
    let frictionless = ThreeDsStep1Request::new(
        "scrub-3",
        "Scrub: card",
        4200,
        Currency::GEL,
        card(PAN_FRICTIONLESS),
    )
    .client_ip("203.0.113.7");
    seen.debug("3-D Secure step 1 request", &frictionless);
    seen.outcome(
        "prepared 3-D Secure step 1",
        &client.prepare_three_ds_step1(&frictionless).await,
    );
    let paid = client.three_ds_step1(&frictionless).await;
    seen.outcome("3-D Secure step 1 answer", &paid);
    assert!(
        matches!(paid, Ok(ThreeDsStep1Response::Completed(_))),
        "{paid:?}"
    );

    let challenged = ThreeDsStep1Request::new(
        "scrub-4",
        "Scrub: card",
        4200,
        Currency::GEL,
        card(PAN_CHALLENGE),
    );
    let challenge = client.three_ds_step1(&challenged).await;
    seen.outcome("3-D Secure step 1 challenge", &challenge);
    let Ok(ThreeDsStep1Response::Challenge(challenge)) = challenge else {
        panic!("the mock challenges {challenge:?}");
    };
    let step2 = ThreeDsStep2Request::new("scrub-4", "scrub-pares", &challenge.md);
    seen.debug("3-D Secure step 2 request", &step2);
    seen.outcome(
        "prepared 3-D Secure step 2",
        &client.prepare_three_ds_step2(&step2).await,
    );
    seen.outcome(
        "3-D Secure step 2 answer",
        &client.three_ds_step2(&step2).await,
    );

    // A payout to a card number, signed with the credit key.
    let payout = P2pCreditRequest::new(
        "scrub-5",
        "Scrub: payout",
        1500,
        Currency::GEL,
        PayoutReceiver::CardNumber(CardNumber::new(PAN_PAYOUT).expect("a valid card number")),
    );
    seen.debug("payout request", &payout);
    seen.outcome("prepared payout", &client.prepare_p2p_credit(&payout).await);
    let paid_out = client.p2p_credit(&payout).await;
    seen.outcome("payout answer", &paid_out);
    paid_out.expect("the mock accepts a payout signed with the credit key");

    // The card data really reached the gateway (in the signed bodies, as Flitt requires).
    let bodies: Vec<String> = mock
        .requests()
        .iter()
        .map(|r| String::from_utf8_lossy(r.body()).into_owned())
        .collect();
    for (what, value) in [
        ("the PAN without 3-D Secure", PAN_FRICTIONLESS),
        ("the PAN with a challenge", PAN_CHALLENGE),
        ("the payout PAN", PAN_PAYOUT),
        ("the CVV2", CVV2),
    ] {
        assert!(
            bodies.iter().any(|b| b.contains(value)),
            "the mock received {what}"
        );
    }

    // Managing a held payment.
    mock.add_order("scrub-6", 3000, "GEL", "approved", true);
    let capture = CaptureRequest::new("scrub-6", 3000, Currency::GEL);
    seen.outcome("capture answer", &client.capture(&capture).await);
    let reverse = ReverseRequest::new("scrub-6", 1000, Currency::GEL);
    seen.outcome("prepared reverse", &client.prepare_reverse(&reverse).await);
    seen.outcome("reverse answer", &client.reverse(&reverse).await);

    errors(&mut seen, &mock, &client, &frictionless).await;
    seen.into_observed()
}

async fn errors(
    seen: &mut Capture,
    mock: &MockGateway,
    client: &Client,
    payment: &ThreeDsStep1Request,
) {
    // Flitt refuses, echoing the card number in its message.
    mock.script(
        Operation::ThreeDsStep1,
        Outcome::Error {
            code: ErrorCode::from(1011),
            message: format!("Parameter `card_number` {PAN_FRICTIONLESS} is incorrect"),
        },
    );
    let refused = client.three_ds_step1(payment).await;
    seen.outcome("provider error", &refused);
    assert!(matches!(refused, Err(Error::Provider(_))), "{refused:?}");

    // Answers that do not decode, echoing the card data in the fields that carry it.
    let undecodable = format!(
        "{{\"response\": {{\"response_status\": \"success\", \"order_id\": 42, \"card_number\": \"{PAN_FRICTIONLESS}\", \"cvv2\": \"{CVV2}\", \"note\": \"card {PAN_FRICTIONLESS}\""
    );
    mock.script(
        Operation::ThreeDsStep1,
        Outcome::Raw {
            status: 200,
            body: undecodable.clone(),
        },
    );
    let garbled = client.three_ds_step1(payment).await;
    seen.outcome("undecodable 3-D Secure answer", &garbled);
    assert!(garbled.is_err());
    mock.script(
        Operation::OrderStatus,
        Outcome::Raw {
            status: 200,
            body: undecodable.clone(),
        },
    );
    let garbled = client.order_status(&StatusRequest::new("scrub-2")).await;
    seen.outcome("undecodable status answer", &garbled);
    assert!(matches!(garbled, Err(Error::Decode(_))), "{garbled:?}");
    let answer = http::Response::builder()
        .status(200)
        .body(undecodable)
        .expect("a response");
    let decoded = client.decode_three_ds_step1_response(payment, &answer);
    seen.outcome("decoded undecodable answer", &decoded);
    assert!(decoded.is_err());

    // An answer altered after Flitt signed it.
    mock.script(Operation::ThreeDsStep1, Outcome::Tampered);
    let fresh = ThreeDsStep1Request::new(
        "scrub-7",
        "Scrub: card",
        4200,
        Currency::GEL,
        card(PAN_FRICTIONLESS),
    );
    let tampered = client.three_ds_step1(&fresh).await;
    seen.outcome("tampered answer", &tampered);
    assert!(
        matches!(tampered, Err(Error::Signature { .. })),
        "{tampered:?}"
    );

    // Nothing listens.
    let closed = mock
        .client_builder()
        .base_url(format!("{}/api", closed_port_url()))
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(10))
        .build()
        .expect("the client builds");
    let unreachable = closed.three_ds_step1(payment).await;
    seen.outcome("card payment to a closed port", &unreachable);
    assert!(
        matches!(unreachable, Err(Error::Transport { .. })),
        "{unreachable:?}"
    );
    let unreachable = closed.order_status(&StatusRequest::new("scrub-2")).await;
    seen.outcome("status from a closed port", &unreachable);
    assert!(unreachable.is_err());

    // Refused locally.
    let invalid = ThreeDsStep1Request::new("", "", 0, Currency::GEL, card(PAN_FRICTIONLESS));
    let invalid = client.three_ds_step1(&invalid).await;
    seen.outcome("invalid card payment", &invalid);
    assert!(
        matches!(invalid, Err(Error::InvalidRequest { .. })),
        "{invalid:?}"
    );
    let bad_cards = [
        CardNumber::new(&format!("{PAN_FRICTIONLESS}1")).map(|_| ()),
        CardNumber::new(&format!("{PAN_FRICTIONLESS}x")).map(|_| ()),
        Cvv2::new(&format!(" {CVV2}")).map(|_| ()),
    ];
    for (i, bad) in bad_cards.iter().enumerate() {
        seen.outcome(&format!("invalid card data #{i}"), bad);
        assert!(bad.is_err());
    }
}
