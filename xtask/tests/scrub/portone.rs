//! PortOne: a recognisable secret key; hosted checkout link, signed redirect, capture; card
//! tokenization and payment with a new card (number and CVV encrypted for PortOne), the card
//! vault, saved cards; signed webhooks; every kind of failure.

use std::collections::BTreeSet;

use portone_client::model::card::{CardNumber, CardRecord, Cvv, NewCard};
use portone_client::model::checkout::{
    BillingDetails, CheckoutRequest, MerchantDetails, OrderItem, PaymentRequest, RedirectUrls,
    TransactionType,
};
use portone_client::model::customer::AddCustomerRequest;
use portone_client::testing::{MOCK_OTP, MockGateway, Operation, Reply};
use portone_client::webhook::{self, Verifier};
use portone_client::{Client, Credentials, Decimal, Error, SavedCardsAccess, SecretString};
use serde_json::json;

use super::detect::{Forbidden, Observed};
use super::observe::{Capture, closed_port_url, tamper, with_body};

const PORTONE_KEY: &str = "ScrubPortOneKey7";
const SECRET_KEY: &str = "portone-secret-key-canary-J2r8Ys";
const PAN: &str = "4000056655665556";
const CVV: &str = "6152";
/// The full card number in PortOne's documented saved-cards answer (in `partial_card_number`).
const DOCUMENTED_SAVED_PAN: &str = "4242 4242 4242 4242";
const PHONE: &str = "+84912345678";

pub(crate) fn forbidden() -> Vec<Forbidden> {
    vec![
        Forbidden::secret("portone", "secret key", SECRET_KEY),
        Forbidden::pan("portone", "PAN", PAN),
        Forbidden::cvv("portone", "CVV", CVV),
        Forbidden::pan(
            "portone",
            "full PAN sent in the documented saved-cards answer",
            DOCUMENTED_SAVED_PAN,
        ),
    ]
}

fn new_card() -> NewCard {
    NewCard::new(
        CardNumber::new(PAN).expect("a valid card number"),
        Cvv::new(CVV).expect("a valid CVV"),
        "Scrub Tester",
        "12",
        "2030",
    )
    .expect("a valid card")
    .card_type("Visa")
}

fn urls() -> RedirectUrls {
    RedirectUrls::new(
        "https://shop.example/success",
        "https://shop.example/failure",
    )
}

fn checkout(order: &str) -> CheckoutRequest {
    CheckoutRequest::new(
        order,
        Decimal::new(19010, 0),
        "VND",
        "VN",
        MerchantDetails::new("Scrub Sports")
            .promo_discount(Decimal::new(10000, 0))
            .shipping_charges(Decimal::new(10000, 0)),
        urls(),
    )
    .billing_details(
        BillingDetails::new()
            .name("Scrub Tester")
            .email("scrub@example.com"),
    )
    .order_item(OrderItem::new(
        "product_001",
        "Hand Gloves",
        Decimal::new(19010, 0),
        1,
    ))
    .transaction_type(TransactionType::Preauth)
}

fn card_payment(order: &str) -> PaymentRequest {
    PaymentRequest::new(
        order,
        Decimal::new(50_000, 0),
        "VND",
        "STRIPE",
        "STRIPE_CARD",
        "Scrub: card payment",
        urls(),
    )
}

/// Runs the flows; the JWTs the client minted (as the mock received them) are added to
/// `derived`.
pub(crate) async fn run(derived: &mut Vec<Forbidden>) -> Observed {
    let mut seen = Capture::new("portone");
    let credentials = Credentials::new(PORTONE_KEY, SecretString::from(SECRET_KEY));
    seen.debug("credentials", &credentials);
    let mock = MockGateway::start_with(credentials).await;
    seen.debug("mock gateway", &mock);
    let builder = mock.client_builder();
    seen.debug("client builder", &builder);
    let client = builder.build().expect("the mock's client builds");
    seen.debug("client", &client);
    seen.debug("minted JWT", &client.mint_jwt());

    // The main flow: hosted checkout link, signed redirect, capture.
    let request = checkout("scrub-1");
    seen.debug("checkout request", &request);
    seen.outcome(
        "prepared checkout link",
        &client.prepare_create_payment_link(&request).await,
    );
    let link = client.create_payment_link(&request).await;
    seen.outcome("checkout link", &link);
    link.expect("the mock accepts a JWT signed with the secret key");
    let signer = mock.signer();
    seen.debug("mock's signer", &signer);
    let query = signer.sign_redirect_query(&[
        ("order_ref", "2SDCUiBEv34oqeIdEDv1pftGeeY"),
        ("merchant_order_ref", "scrub-1"),
        ("channel_order_ref", "pi_3KyTl5Jrbhj1WB8Z017xJS9i"),
        ("status", "Success"),
        ("amount", "19010"),
        ("currency", "VND"),
    ]);
    let verifier = Verifier::new(SecretString::from(SECRET_KEY));
    seen.debug("verifier", &verifier);
    let redirect = verifier.verify_redirect(&query);
    seen.outcome("verified redirect", &redirect);
    let redirect = redirect.expect("a redirect signed with the secret key verifies");
    let rejected = verifier.verify_redirect(&query.replace("scrub-1", "scrub-9"));
    seen.outcome("tampered redirect", &rejected);
    assert!(matches!(rejected, Err(Error::Webhook(_))), "{rejected:?}");
    seen.outcome("capture", &client.capture(&redirect.order_ref).await);
    seen.outcome(
        "transaction status",
        &client.transaction_status("scrub-1").await,
    );

    // A signed payment webhook.
    let body = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fixtures/portone/payment-webhook.json"
    ))
    .expect("the documented payment webhook");
    let signed = webhook::sign_notification(&SecretString::from(SECRET_KEY), body);
    seen.outcome("signed webhook", &signed);
    let signed = signed.expect("the documented webhook signs");
    let event = verifier.verify(&signed);
    seen.outcome("verified webhook", &event);
    event.expect("a webhook signed with the secret key verifies");
    let tampered = with_body(&signed, tamper(signed.body(), "Success", "Failure"));
    let rejected = verifier.verify(&tampered);
    seen.outcome("tampered webhook", &rejected);
    assert!(rejected.is_err(), "a tampered webhook is rejected");

    // Card data: tokenization, payment with a new card, the card vault.
    let card = new_card();
    seen.debug("new card", &card);
    seen.display("card number", card.number());
    let key = client.card_public_key().await;
    seen.outcome("card public key", &key);
    let key = key.expect("the mock serves its public key");
    seen.outcome(
        "prepared tokenization",
        &client.prepare_tokenize_card_with_key(&card, &key).await,
    );
    let tokenized = client.tokenize_card(&card).await;
    seen.outcome("tokenized card", &tokenized);
    let tokenized = tokenized.expect("the mock decrypts and tokenizes the card");
    assert_eq!(
        tokenized.card_number.as_deref(),
        Some(format!("{}******{}", &PAN[..6], &PAN[12..]).as_str()),
        "the mock decrypted our card number"
    );
    let paid = client
        .checkout_with_new_card(card_payment("scrub-2"), &card)
        .await;
    seen.outcome("payment with a new card", &paid);
    paid.expect("the mock accepts the payment");
    let customer =
        AddCustomerRequest::new("Scrub Tester", "scrub-customer", "scrub@example.com", PHONE);
    let customer = client.add_customer(&customer).await;
    seen.outcome("customer", &customer);
    let uuid = customer
        .expect("the customer is added")
        .customer_uuid
        .expect("the customer has a UUID");
    let record = CardRecord::from_tokenized(&tokenized);
    seen.debug("card record", &record);
    seen.outcome(
        "prepared card record",
        &client.prepare_add_card_for_customer(&uuid, &record).await,
    );
    seen.outcome(
        "stored card",
        &client.add_card_for_customer(&uuid, &record).await,
    );
    seen.outcome("stored cards", &client.list_cards(&uuid).await);
    seen.outcome(
        "deleted card",
        &client.delete_card(&uuid, &tokenized.card_token).await,
    );
    seen.outcome("OTP", &client.send_otp(PHONE).await);
    let access = SavedCardsAccess::Otp(SecretString::from(MOCK_OTP));
    seen.outcome(
        "prepared saved cards",
        &client.prepare_saved_cards(PHONE, access.clone()).await,
    );
    let saved = client.saved_cards(PHONE, access).await;
    seen.outcome("saved cards", &saved);
    saved.expect("the mock answers with the documented saved cards");

    errors(&mut seen, &mock, &client).await;

    let sent = mock.requests();
    assert!(
        sent.iter()
            .filter(|r| r.operation() == Some(Operation::TokenizeCard))
            .all(|r| !String::from_utf8_lossy(r.body()).contains(PAN)),
        "the card number leaves the process only encrypted"
    );
    let jwts: BTreeSet<String> = sent
        .iter()
        .filter_map(|r| {
            r.header("authorization")?
                .strip_prefix("Bearer ")
                .map(str::to_owned)
        })
        .collect();
    assert!(!jwts.is_empty(), "the client sent JWTs");
    for jwt in jwts {
        derived.push(Forbidden::secret(
            "portone",
            "JWT minted by the client",
            &jwt,
        ));
    }
    seen.into_observed()
}

async fn errors(seen: &mut Capture, mock: &MockGateway, client: &Client) {
    // PortOne refuses, echoing the card number and the key in its message.
    mock.script(
        Operation::InitiatePayment,
        Reply::error(
            400,
            "4000",
            "BAD_REQUEST",
            &format!("card {PAN} declined for key {SECRET_KEY}"),
        ),
    );
    let refused = client.initiate_payment(&card_payment("scrub-3")).await;
    seen.outcome("provider error", &refused);
    assert!(matches!(refused, Err(Error::Provider(_))), "{refused:?}");

    // Answers that do not decode, echoing card data and the key in the fields that carry them.
    let undecodable = json!({
        "content": {"card_token": 42, "card_number": PAN, "cvv": CVV, "service_code": CVV},
        "secret_key": SECRET_KEY,
        "note": format!("card {PAN}"),
        "status_code": "2000",
        "status_reason": "SUCCESS"
    })
    .to_string();
    mock.script(
        Operation::TokenizeCard,
        Reply::raw(200, "application/json", undecodable.clone()),
    );
    let garbled = client.tokenize_card(&new_card()).await;
    seen.outcome("undecodable tokenization answer", &garbled);
    assert!(garbled.is_err());
    mock.script(
        Operation::TransactionStatus,
        Reply::raw(
            200,
            "application/json",
            format!("{{\"card_number\": \"{PAN}\", \"cvv\": \"{CVV}\", \"status\": "),
        ),
    );
    let truncated = client.transaction_status("scrub-1").await;
    seen.outcome("truncated status answer", &truncated);
    assert!(matches!(truncated, Err(Error::Decode(_))), "{truncated:?}");

    // Nothing listens.
    let closed = mock
        .client_builder()
        .base_url(closed_port_url())
        .build()
        .expect("the client builds");
    let unreachable = closed.tokenize_card(&new_card()).await;
    seen.outcome("tokenization at a closed port", &unreachable);
    assert!(
        matches!(unreachable, Err(Error::Transport { .. })),
        "{unreachable:?}"
    );
    let unreachable = closed
        .checkout_with_new_card(card_payment("scrub-4"), &new_card())
        .await;
    seen.outcome("payment with a new card at a closed port", &unreachable);
    assert!(unreachable.is_err());

    // Refused locally.
    let invalid = [
        CardNumber::new(format!("{PAN}1")).map(|_| ()),
        Cvv::new(format!(" {CVV}")).map(|_| ()),
        NewCard::new(
            CardNumber::new(PAN).expect("a valid card number"),
            Cvv::new(CVV).expect("a valid CVV"),
            "Scrub Tester",
            "13",
            "2030",
        )
        .map(|_| ()),
    ];
    for (i, invalid) in invalid.iter().enumerate() {
        seen.outcome(&format!("invalid card #{i}"), invalid);
        assert!(invalid.is_err());
    }
}
