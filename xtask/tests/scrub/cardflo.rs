//! Cardflo: credentials and connector with recognisable secrets, and a transaction token;
//! every kind of call and answer against the mock. Cardflo takes no raw card data, so its PAN
//! and CVV are only ever echoed by the scripted answers of a misbehaving gateway.

use std::collections::BTreeSet;
use std::time::SystemTime;

use cardflo_client::auth::{Connector, Credentials};
use cardflo_client::model::{
    CaptureRequest, DebitRequest, OptionsRequest, PreauthorizeRequest, Reconciliation,
    RefundRequest, RegisterRequest, TransactionOutcome, VoidRequest,
};
use cardflo_client::testing::{MockCredentials, MockGateway, Operation, Outcome};
use cardflo_client::webhook::{Verifier, sign_notification};
use cardflo_client::{Amount, Client, Error, SecretString};
use serde_json::json;

use super::detect::{Forbidden, Observed};
use super::observe::{Capture, closed_port_url, tamper, with_body};

const API_USER: &str = "scrub-api-user";
const API_PASSWORD: &str = "cardflo-password-canary-Q4x9";
const API_KEY: &str = "scrub-connector";
const SHARED_SECRET: &str = "cardflo-shared-secret-canary-Z8m2";
/// A payment.js transaction token: it stands for the card data of one transaction.
const TRANSACTION_TOKEN: &str = "ix::cardflo-transaction-token-canary-H5s3";
/// Only in answers of a misbehaving gateway (Cardflo requests carry no card data).
const ECHOED_PAN: &str = "4111111111111111";
const ECHOED_CVV: &str = "5183";

const CALLBACK_URI: &str = "/cardflo/callback?order=scrub-1";

pub(crate) fn forbidden() -> Vec<Forbidden> {
    vec![
        Forbidden::secret("cardflo", "API password", API_PASSWORD),
        Forbidden::secret("cardflo", "shared secret", SHARED_SECRET),
        Forbidden::secret("cardflo", "transaction token", TRANSACTION_TOKEN),
        Forbidden::pan("cardflo", "PAN echoed by the gateway", ECHOED_PAN),
        Forbidden::cvv("cardflo", "CVV echoed by the gateway", ECHOED_CVV),
    ]
}

fn amount(text: &str) -> Amount {
    text.parse().expect("a valid amount")
}

/// Runs the flows; the `Authorization` credentials the mock received are added to `derived`.
pub(crate) async fn run(derived: &mut Vec<Forbidden>) -> Observed {
    let mut seen = Capture::new("cardflo");
    let credentials = Credentials::new(API_USER, SecretString::from(API_PASSWORD));
    let connector = Connector::new(API_KEY).shared_secret(SecretString::from(SHARED_SECRET));
    seen.debug("credentials", &credentials);
    seen.debug("connector", &connector);
    let mock_credentials = MockCredentials::new(credentials, connector);
    seen.debug("mock credentials", &mock_credentials);
    let mock = MockGateway::start_with(mock_credentials).await;
    seen.debug("mock gateway", &mock);

    let builder = mock.client_builder();
    seen.debug("client builder", &builder);
    let client = builder.build().expect("the mock's client builds");
    seen.debug("client", &client);

    // The main flow: debit answered with a redirect, signed callback, status.
    let debit = DebitRequest::new("scrub-1", amount("9.99"), "EUR")
        .transaction_token(TRANSACTION_TOKEN)
        .success_url("https://shop.example/success")
        .cancel_url("https://shop.example/cancel")
        .error_url("https://shop.example/error")
        .callback_url(format!("https://shop.example{CALLBACK_URI}"));
    seen.debug("debit request", &debit);
    let prepared = client.prepare_debit(&debit).await;
    seen.outcome("prepared debit", &prepared);
    mock.script(
        Operation::Debit,
        Outcome::Redirect {
            url: "https://acs.example/3ds".to_owned(),
        },
    );
    let answer = client.debit(&debit).await;
    seen.outcome("debit answer", &answer);
    let answer = answer.expect("the mock accepts a debit signed with the shared secret");
    assert!(matches!(answer.outcome, TransactionOutcome::Redirect(_)));
    let uuid = answer.uuid.clone().expect("the debit answer has a uuid");
    mock.reset();

    webhooks(&mut seen, &uuid);

    let status = client.status_by_merchant_transaction_id("scrub-1").await;
    seen.outcome("status by merchantTransactionId", &status);
    status.expect("the status call succeeds");
    let status = client.status_by_uuid(&uuid).await;
    seen.outcome("status by uuid", &status);
    let prepared = client.prepare_status_by_uuid(&uuid).await;
    seen.outcome("prepared status by uuid", &prepared);
    let reconciled = client.reconcile("scrub-1").await;
    seen.outcome("reconciliation", &reconciled);
    assert!(matches!(reconciled, Ok(Reconciliation::Found(_))));

    // The other payment operations.
    let preauthorize = PreauthorizeRequest::new("scrub-2", amount("20.00"), "EUR")
        .transaction_token(TRANSACTION_TOKEN);
    seen.debug("preauthorize request", &preauthorize);
    let preauthorized = client.preauthorize(&preauthorize).await;
    seen.outcome("preauthorize answer", &preauthorized);
    let reference = preauthorized
        .expect("the mock accepts a preauthorization")
        .uuid
        .unwrap_or_default();
    let capture = CaptureRequest::new("scrub-3", &reference, amount("20.00"), "EUR");
    seen.debug("capture request", &capture);
    seen.outcome("prepared capture", &client.prepare_capture(&capture).await);
    seen.outcome("capture answer", &client.capture(&capture).await);
    let void = VoidRequest::new("scrub-4", &reference);
    seen.outcome("void answer", &client.void(&void).await);
    let refund = RefundRequest::new("scrub-5", &uuid, amount("1.00"), "EUR");
    seen.debug("refund request", &refund);
    seen.outcome("refund answer", &client.refund(&refund).await);
    let register = RegisterRequest::new("scrub-6").transaction_token(TRANSACTION_TOKEN);
    seen.outcome("register answer", &client.register(&register).await);
    seen.outcome(
        "options answer",
        &client.options("bankList", &OptionsRequest::new()).await,
    );

    errors(&mut seen, &mock, &client, &debit).await;

    // HTTP Basic credentials are the password, base64-encoded.
    let sent: BTreeSet<String> = mock
        .requests()
        .iter()
        .filter(|r| r.is_accepted())
        .filter_map(|r| {
            r.header("authorization")?
                .strip_prefix("Basic ")
                .map(str::to_owned)
        })
        .collect();
    assert_eq!(sent.len(), 1, "one set of Basic credentials was sent");
    for credentials in sent {
        derived.push(Forbidden::secret(
            "cardflo",
            "Basic credentials sent (base64 of user:password)",
            &credentials,
        ));
    }
    seen.into_observed()
}

fn webhooks(seen: &mut Capture, uuid: &str) {
    let secret = SecretString::from(SHARED_SECRET);
    let body = json!({
        "result": "OK",
        "uuid": uuid,
        "merchantTransactionId": "scrub-1",
        "purchaseId": "20190927-abcde12345abcde12345",
        "transactionType": "DEBIT",
        "paymentMethod": "Creditcard",
        "amount": "9.99",
        "currency": "EUR",
        "returnData": {
            "_TYPE": "cardData",
            "type": "visa",
            "cardHolder": "Scrub Tester",
            "expiryMonth": "12",
            "expiryYear": "2030",
            "firstSixDigits": "411111",
            "lastFourDigits": "1111"
        }
    });
    let body = serde_json::to_vec(&body).expect("JSON");
    let signed = sign_notification(&secret, CALLBACK_URI, body, SystemTime::now())
        .expect("the callback signs");
    seen.debug("signed callback request", &signed);
    let verifier = Verifier::new(secret);
    seen.debug("callback verifier", &verifier);
    let verified = verifier.verify(&signed);
    seen.outcome("verified callback", &verified);
    verified.expect("a callback signed with the shared secret verifies");

    let tampered = with_body(&signed, tamper(signed.body(), "9.99", "0.01"));
    let rejected = verifier.verify(&tampered);
    seen.outcome("tampered callback", &rejected);
    assert!(
        matches!(rejected, Err(Error::Webhook(_))),
        "a tampered callback is rejected"
    );
    let wrong = Verifier::new(SecretString::from("another-shared-secret")).verify(&signed);
    seen.outcome("callback checked with another secret", &wrong);
    assert!(wrong.is_err());
}

async fn errors(seen: &mut Capture, mock: &MockGateway, client: &Client, debit: &DebitRequest) {
    // The gateway refuses, echoing the card number in its message (a CVV is echoed only in
    // a field named as one: in free text nothing tells it from any other number).
    mock.script(
        Operation::Debit,
        Outcome::GeneralError {
            code: 1002,
            message: format!("card {ECHOED_PAN} refused"),
        },
    );
    let refused = client.debit(debit).await;
    seen.outcome("general error", &refused);
    assert!(
        matches!(refused, Err(Error::Provider(_))),
        "{:?}",
        refused.as_ref().err()
    );

    mock.script(
        Operation::StatusByUuid,
        Outcome::Http {
            status: 400,
            body: json!({
                "success": false,
                "errorMessage": format!("invalid request for {ECHOED_PAN}"),
                "errorCode": 1002,
                "request": {"cardNumber": ECHOED_PAN, "cvv": ECHOED_CVV, "password": API_PASSWORD, "sharedSecret": SHARED_SECRET}
            })
            .to_string(),
            retry_after: None,
        },
    );
    let bad_request = client.status_by_uuid("abcde12345abcde12345").await;
    seen.outcome("HTTP 400 answer", &bad_request);
    assert!(matches!(bad_request, Err(Error::Provider(_))));

    // Answers that do not decode, carrying card data and secrets in sensitive fields.
    let undecodable = json!({
        "success": true,
        "transactionStatus": {"unexpected": "object"},
        "amount": ["9.99"],
        "cardNumber": ECHOED_PAN,
        "cvv": ECHOED_CVV,
        "password": API_PASSWORD,
        "sharedSecret": SHARED_SECRET,
        "note": format!("card {ECHOED_PAN}")
    });
    mock.script(Operation::StatusByUuid, Outcome::Json(undecodable.clone()));
    let status = client.status_by_uuid("abcde12345abcde12345").await;
    seen.outcome("undecodable status answer", &status);
    assert!(
        matches!(status, Err(Error::Decode(_))),
        "{:?}",
        status.as_ref().err()
    );
    let truncated = format!(
        "{{\"success\": true, \"cardNumber\": \"{ECHOED_PAN}\", \"cvv\": \"{ECHOED_CVV}\", \"password\": \"{API_PASSWORD}\", \"returnType\": "
    );
    mock.script(
        Operation::StatusByUuid,
        Outcome::Http {
            status: 200,
            body: truncated.clone(),
            retry_after: None,
        },
    );
    let status = client.status_by_uuid("abcde12345abcde12345").await;
    seen.outcome("truncated status answer", &status);
    assert!(
        matches!(status, Err(Error::Decode(_))),
        "{:?}",
        status.as_ref().err()
    );
    mock.script(
        Operation::Debit,
        Outcome::Http {
            status: 200,
            body: truncated,
            retry_after: None,
        },
    );
    let debit_answer = client.debit(debit).await;
    seen.outcome("truncated debit answer", &debit_answer);
    assert!(debit_answer.is_err());
    mock.reset();

    // Nothing listens: the connection fails before anything is sent.
    let closed = mock
        .client_builder()
        .base_url(format!("{}/api/v3", closed_port_url()))
        .build()
        .expect("the client builds");
    let unreachable = closed.debit(debit).await;
    seen.outcome("debit to a closed port", &unreachable);
    assert!(
        matches!(unreachable, Err(Error::Transport { .. })),
        "{:?}",
        unreachable.as_ref().err()
    );
    let unreachable = closed.status_by_uuid("abcde12345abcde12345").await;
    seen.outcome("status from a closed port", &unreachable);
    assert!(unreachable.is_err());

    // Refused locally: never sent.
    let invalid = client
        .debit(&DebitRequest::new("", amount("1.00"), "EURO"))
        .await;
    seen.outcome("invalid debit", &invalid);
    assert!(matches!(invalid, Err(Error::InvalidRequest { .. })));

    // Wrong credentials: the gateway answers 401.
    let wrong = Client::builder(
        Credentials::new(API_USER, SecretString::from("not-the-password")),
        Connector::new(API_KEY).shared_secret(SecretString::from(SHARED_SECRET)),
    )
    .base_url(mock.base_url())
    .build()
    .expect("the client builds");
    let unauthorized = wrong.status_by_uuid("abcde12345abcde12345").await;
    seen.outcome("status with a wrong password", &unauthorized);
    assert!(unauthorized.is_err());
}
