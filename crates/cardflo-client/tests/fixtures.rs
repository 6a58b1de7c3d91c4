//! Every documented example of the Transaction API documentation (`fixtures/cardflo/`):
//! each request example is built with the typed API, serializes to the documented JSON, and is
//! sent to a loopback server whose capture of the full HTTP request is a snapshot (with a
//! fixed clock, the signature checked independently); each response example is answered to
//! the client and the typed result is a snapshot.
#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]

mod common;

use cardflo_client::model::*;
use cardflo_client::{Amount, Error};
use common::{Reply, Server, fixture, fixture_json};
use rust_decimal::Decimal;
use serde_json::Value;
use time::macros::{date, datetime};

fn amount(s: &str) -> Amount {
    s.parse().unwrap()
}

/// The customer of the debit and register examples. The documentation page rendered the e-mail
/// address as `[email protected]` (an obfuscation artefact, not an address).
fn documented_customer(email: &str) -> Customer {
    Customer::new()
        .identification("c0001")
        .first_name("John")
        .last_name("Doe")
        .birth_date(date!(1990 - 10 - 10))
        .gender(Gender::Male)
        .billing_address1("Maple Street 1")
        .billing_address2("Syrup Street 2")
        .billing_city("Victoria")
        .billing_postcode("V8W")
        .billing_state("British Columbia")
        .billing_country("CA")
        .billing_phone("1234567890")
        .shipping_first_name("John")
        .shipping_last_name("Doe")
        .shipping_company("Big Company Inc.")
        .shipping_address1("Yellow alley 3")
        .shipping_address2("Yellow alley 4")
        .shipping_city("Victoria")
        .shipping_postcode("V8W")
        .shipping_state("British Columbia")
        .shipping_country("CA")
        .shipping_phone("1234567890")
        .company("John's Maple Syrup")
        .email(email)
        .email_verified(false)
        .ip_address("127.0.0.1")
        .national_id("123123")
        .extra("someCustomerDataKey", "value")
        .extra("anotherKey", "anotherValue")
}

fn documented_iban() -> PaymentData {
    PaymentData::Iban(
        IbanData::new()
            .iban("AT123456789012345678")
            .bic("ABC")
            .mandate_id("1234")
            .mandate_date(date!(2019 - 09 - 29)),
    )
}

/// As published, with a no-break space.
const DOCUMENTED_EMAIL: &str = "[email\u{a0}protected]";
/// What the tests send instead of the artefact.
const REAL_EMAIL: &str = "john@example.com";

fn debit_request(email: &str) -> DebitRequest {
    DebitRequest::new("2019-09-02-0001", amount("9.99"), "EUR")
        .additional_id1("x0001")
        .additional_id2("y0001")
        .extra("someKey", "someValue")
        .extra("otherKey", "otherValue")
        .merchant_meta_data("merchantRelevantData")
        .surcharge_amount(amount("0.9"))
        .success_url("https://example.com/success")
        .cancel_url("https://example.com/cancel")
        .error_url("https://example.com/error")
        .callback_url("https://example.com/callback")
        .transaction_token("ix::tRaNsAcT1OnToK3N")
        .description("Example Product")
        .customer(documented_customer(email).payment_data(documented_iban()))
        .three_d_secure_data(ThreeDSecureData::new().three_d_secure(ThreeDSecureMode::Mandatory))
        .language("en")
}

fn preauthorize_request(email: &str) -> PreauthorizeRequest {
    PreauthorizeRequest::new("2019-09-02-0002", amount("9.99"), "EUR")
        .additional_id1("x0001")
        .additional_id2("y0001")
        .extra("someKey", "someValue")
        .extra("otherKey", "otherValue")
        .merchant_meta_data("merchantRelevantData")
        .surcharge_amount(amount("0.9"))
        .success_url("https://example.com/success")
        .cancel_url("https://example.com/cancel")
        .error_url("https://example.com/error")
        .callback_url("https://example.com/callback")
        .description("Example Product")
        .customer(documented_customer(email).payment_data(documented_iban()))
        .three_d_secure_data(ThreeDSecureData::new().three_d_secure(ThreeDSecureMode::Mandatory))
        .language("en")
}

fn register_request(email: &str) -> RegisterRequest {
    RegisterRequest::new("2019-09-02-0005")
        .additional_id1("x0001")
        .additional_id2("y0001")
        .extra("someKey", "someValue")
        .extra("otherKey", "otherValue")
        .merchant_meta_data("merchantRelevantData")
        .success_url("https://example.com/success")
        .cancel_url("https://example.com/cancel")
        .error_url("https://example.com/error")
        .callback_url("https://example.com/callback")
        .customer(documented_customer(email).payment_data(documented_iban()))
        .description("This is a register")
        .language("en")
}

fn capture_request() -> CaptureRequest {
    CaptureRequest::new(
        "2019-09-02-0003",
        "bcdef23456bcdef23456",
        amount("9.99"),
        "EUR",
    )
}

fn void_request() -> VoidRequest {
    VoidRequest::new("2019-09-02-0004", "bcdef23456bcdef23456")
}

fn deregister_request() -> DeregisterRequest {
    DeregisterRequest::new("2019-09-02-0006", "bcdef23456bcdef23456")
        .merchant_meta_data("merchantRelevantData")
}

fn refund_request() -> RefundRequest {
    RefundRequest::new(
        "2019-09-02-0007",
        "bcdef23456bcdef23456",
        amount("9.99"),
        "EUR",
    )
    .callback_url("https://example.com/callback")
    .description("Refund money")
}

fn payout_request() -> PayoutRequest {
    PayoutRequest::new("2019-09-02-0008", amount("9.99"), "EUR")
        .callback_url("https://example.com/callback")
        .transaction_token("ix::a1A2B3b4c5C6D7d")
        .description("Payout")
}

fn incremental_authorization_request() -> IncrementalAuthorizationRequest {
    IncrementalAuthorizationRequest::new(
        "2019-09-02-0002",
        "bcdef23456bcdef23456",
        amount("9.99"),
        "EUR",
    )
    .additional_id1("x0001")
    .additional_id2("y0001")
    .extra("someKey", "someValue")
    .extra("otherKey", "otherValue")
    .merchant_meta_data("merchantRelevantData")
    .success_url("https://example.com/success")
    .cancel_url("https://example.com/cancel")
    .error_url("https://example.com/error")
    .callback_url("https://example.com/callback")
    .description("Example Product")
    .language("en")
}

/// The documented JSON with the e-mail artefact replaced by a real address.
fn with_real_email(mut documented: Value) -> Value {
    documented["customer"]["email"] = Value::String(REAL_EMAIL.to_owned());
    documented
}

fn invalid_field(result: Result<(), Error>) -> String {
    match result {
        Err(Error::InvalidRequest { field, .. }) => field,
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
}

/// Sends `$request` with `$method` once per documented answer of the endpoint; snapshots the
/// HTTP request (once) and every typed result.
macro_rules! endpoint {
    ($prefix:literal, $method:ident, $request:expr, $expected_body:expr, [$($answer:literal),+]) => {{
        let request = $request;
        let expected_body: Value = $expected_body;
        let mut first = true;
        for answer in [$($answer),+] {
            let server = Server::once(Reply::json(&fixture(&format!("{}-response-{answer}", $prefix))));
            let result = server.client().$method(&request).await;
            let captured = server.captured().remove(0);
            captured.assert_signed();
            assert_eq!(serde_json::from_slice::<Value>(&captured.body).unwrap(), expected_body);
            if first {
                insta::assert_snapshot!(format!("{}-request", $prefix), captured.render());
                first = false;
            }
            insta::assert_debug_snapshot!(format!("{}-response-{answer}", $prefix), result);
        }
    }};
}

#[test]
fn the_signature_vector_body_is_what_this_crate_serializes() {
    let documented = fixture("signature-v1-body");
    let body = serde_json::to_string(&DebitRequest::new("2019-09-02-0004", amount("9.99"), "EUR"))
        .unwrap();
    assert_eq!(body, documented.trim_end());
    let signature = payments_signing::ixopay::sign(
        common::SHARED_SECRET,
        &payments_signing::ixopay::SignatureInput {
            method: "POST",
            body: body.as_bytes(),
            content_type: "application/json; charset=utf-8",
            date: "Tue, 21 Jul 2020 13:15:03 UTC",
            request_uri: "/api/v3/transaction/my-api-key/debit",
        },
    );
    assert_eq!(
        signature,
        "nL+8FBKWx4/pahYScKs/dRYPBEWjiBalRaWKHGtxLpELmLrgJ/+dSWjt6dZNuu6oF18NyWEU8tXLEVm2mtEapg=="
    );
}

#[test]
fn documented_requests_with_the_email_artefact_serialize_exactly_and_fail_validation() {
    assert_eq!(
        serde_json::to_value(debit_request(DOCUMENTED_EMAIL)).unwrap(),
        fixture_json("debit-request")
    );
    assert_eq!(
        serde_json::to_value(preauthorize_request(DOCUMENTED_EMAIL)).unwrap(),
        fixture_json("preauthorize-request")
    );
    assert_eq!(
        serde_json::to_value(register_request(DOCUMENTED_EMAIL)).unwrap(),
        fixture_json("register-request")
    );
    // `[email protected]` is not an e-mail address; it is rejected before sending.
    assert_eq!(
        invalid_field(debit_request(DOCUMENTED_EMAIL).validate()),
        "customer.email"
    );
    assert_eq!(
        invalid_field(preauthorize_request(DOCUMENTED_EMAIL).validate()),
        "customer.email"
    );
    assert_eq!(
        invalid_field(register_request(DOCUMENTED_EMAIL).validate()),
        "customer.email"
    );
}

#[tokio::test]
async fn debit() {
    endpoint!(
        "debit",
        debit,
        debit_request(REAL_EMAIL),
        with_real_email(fixture_json("debit-request")),
        ["finished", "redirect", "errors"]
    );
}

#[tokio::test]
async fn preauthorize() {
    endpoint!(
        "preauthorize",
        preauthorize,
        preauthorize_request(REAL_EMAIL),
        with_real_email(fixture_json("preauthorize-request")),
        ["finished", "redirect", "errors"]
    );
}

#[tokio::test]
async fn capture() {
    endpoint!(
        "capture",
        capture,
        capture_request(),
        fixture_json("capture-request"),
        ["finished", "redirect", "errors"]
    );
}

#[tokio::test]
async fn void() {
    endpoint!(
        "void",
        void,
        void_request(),
        fixture_json("void-request"),
        ["finished", "redirect", "errors"]
    );
}

#[tokio::test]
async fn register() {
    endpoint!(
        "register",
        register,
        register_request(REAL_EMAIL),
        with_real_email(fixture_json("register-request")),
        ["finished", "redirect", "errors"]
    );
}

#[tokio::test]
async fn deregister() {
    endpoint!(
        "deregister",
        deregister,
        deregister_request(),
        fixture_json("deregister-request"),
        ["finished", "redirect", "errors"]
    );
}

#[tokio::test]
async fn refund() {
    endpoint!(
        "refund",
        refund,
        refund_request(),
        fixture_json("refund-request"),
        ["finished", "redirect", "errors"]
    );
}

#[tokio::test]
async fn payout() {
    endpoint!(
        "payout",
        payout,
        payout_request(),
        fixture_json("payout-request"),
        ["finished", "redirect", "errors"]
    );
}

#[tokio::test]
async fn incremental_authorization() {
    endpoint!(
        "incremental-authorization",
        incremental_authorization,
        incremental_authorization_request(),
        fixture_json("incremental-authorization-request"),
        ["finished", "redirect", "errors"]
    );
}

/// The "Transaction Response" section's four results (and the broken ERROR example).
#[tokio::test]
async fn transaction_responses() {
    for answer in [
        "transaction-response-finished",
        "transaction-response-redirect",
        "transaction-response-pending",
        "transaction-response-error-corrected",
        // Not valid JSON as documented: a typed decode error, flagged as possibly processed.
        "transaction-response-error",
    ] {
        let server = Server::once(Reply::json(&fixture(answer)));
        let result = server.client().debit(&capture_free_debit()).await;
        server.captured();
        insta::assert_debug_snapshot!(answer, result);
    }
}

fn capture_free_debit() -> DebitRequest {
    DebitRequest::new("2019-09-02-0004", amount("9.99"), "EUR")
}

#[tokio::test]
async fn broken_documented_error_example_is_a_decode_error_that_may_have_been_processed() {
    let server = Server::once(Reply::json(&fixture("transaction-response-error")));
    let error = server
        .client()
        .debit(&capture_free_debit())
        .await
        .unwrap_err();
    server.captured();
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
    assert!(error.may_have_been_processed());
    assert!(!error.is_retryable());
}

#[tokio::test]
async fn general_error_is_a_provider_error_with_its_code() {
    let server = Server::once(Reply::json(&fixture("error-signature-invalid")));
    let error = server
        .client()
        .debit(&capture_free_debit())
        .await
        .unwrap_err();
    server.captured();
    assert_eq!(error.error_code(), Some(&ErrorCode::InvalidSignature));
    assert!(!error.may_have_been_processed());
    insta::assert_debug_snapshot!("error-signature-invalid", error);
}

macro_rules! status_endpoint {
    ($prefix:literal, $method:ident, $id:literal) => {{
        let mut first = true;
        for answer in ["success", "transaction-error", "error"] {
            let server = Server::once(Reply::json(&fixture(&format!("{}-{answer}", $prefix))));
            let result = server.client().$method($id).await;
            let captured = server.captured().remove(0);
            captured.assert_signed();
            assert!(captured.body.is_empty());
            if first {
                insta::assert_snapshot!(format!("{}-request", $prefix), captured.render());
                first = false;
            }
            insta::assert_debug_snapshot!(format!("{}-{answer}", $prefix), result);
        }
    }};
}

#[tokio::test]
async fn status_by_uuid() {
    status_endpoint!("status-by-uuid", status_by_uuid, "abcde12345abcde12345");
}

#[tokio::test]
async fn status_by_merchant_transaction_id() {
    status_endpoint!(
        "status-by-merchant-transaction-id",
        status_by_merchant_transaction_id,
        "2019-09-02-0001"
    );
}

#[tokio::test]
async fn status_examples_decode_as_documented() {
    let server = Server::once(Reply::json(&fixture("status-by-uuid-success")));
    let status = server
        .client()
        .status_by_uuid("abcde12345abcde12345")
        .await
        .unwrap();
    server.captured();
    assert!(status.is_success());
    assert_eq!(status.transaction_type, Some(TransactionType::Debit)); // sent as "debit"
    assert_eq!(status.amount, Some(amount("9.99")));
    let Some(ReturnData::Card(card)) = status.return_data else {
        panic!("legacy creditcardData")
    };
    assert_eq!(
        (card.expiry_month, card.expiry_year),
        (Some(12), Some(2030))
    );

    let server = Server::once(Reply::json(&fixture("status-by-uuid-transaction-error")));
    let status = server
        .client()
        .status_by_uuid("abcde12345abcde12345")
        .await
        .unwrap();
    server.captured();
    assert!(!status.is_success());
    assert_eq!(
        status.errors[0].code,
        Some(ErrorCode::Unknown("1234".into()))
    ); // sent as "1234"

    let server = Server::once(Reply::json(&fixture(
        "status-by-merchant-transaction-id-error",
    )));
    let error = server
        .client()
        .status_by_merchant_transaction_id("2019-09-02-0001")
        .await
        .unwrap_err();
    server.captured();
    assert!(error.is_transaction_not_found());
}

macro_rules! schedule_endpoint {
    ($prefix:literal, $call:expr, $expected_body:expr) => {{
        let mut first = true;
        for answer in ["success", "error"] {
            let server = Server::once(Reply::json(&fixture(&format!(
                "{}-response-{answer}",
                $prefix
            ))));
            let client = server.client();
            let result = $call(client).await;
            let captured = server.captured().remove(0);
            captured.assert_signed();
            let expected: Option<Value> = $expected_body;
            match expected {
                Some(json) => assert_eq!(
                    serde_json::from_slice::<Value>(&captured.body).unwrap(),
                    json
                ),
                None => assert!(captured.body.is_empty()),
            }
            if first {
                insta::assert_snapshot!(format!("{}-request", $prefix), captured.render());
                first = false;
            }
            insta::assert_debug_snapshot!(format!("{}-response-{answer}", $prefix), result);
        }
    }};
}

const SCHEDULE_ID: &str = "SC-1234-1234-1234-1234-1234-1234";

#[tokio::test]
async fn start_schedule() {
    let request = StartScheduleRequest::new(
        "abcde12345abcde12345",
        amount("9.99"),
        "EUR",
        6,
        PeriodUnit::Month,
        datetime!(2019-09-30 01:00:00 UTC),
    )
    .merchant_meta_data("merchantRelevantData")
    .callback_url("https://link.to/your/notification-handler");
    schedule_endpoint!(
        "schedule-start",
        |client: cardflo_client::Client| {
            let request = request.clone();
            async move { client.start_schedule(&request).await }
        },
        Some(fixture_json("schedule-start-request"))
    );
}

#[tokio::test]
async fn update_schedule() {
    let request = UpdateScheduleRequest::new()
        .amount(amount("9.99"))
        .period_unit(PeriodUnit::Year);
    schedule_endpoint!(
        "schedule-update",
        |client: cardflo_client::Client| {
            let request = request.clone();
            async move { client.update_schedule(SCHEDULE_ID, &request).await }
        },
        Some(fixture_json("schedule-update-request"))
    );
}

#[tokio::test]
async fn get_schedule() {
    schedule_endpoint!(
        "schedule-get",
        |client: cardflo_client::Client| async move { client.get_schedule(SCHEDULE_ID).await },
        None
    );
}

#[tokio::test]
async fn pause_schedule() {
    schedule_endpoint!(
        "schedule-pause",
        |client: cardflo_client::Client| async move { client.pause_schedule(SCHEDULE_ID).await },
        None
    );
}

#[tokio::test]
async fn continue_schedule() {
    let request = ContinueScheduleRequest::new(datetime!(2019-09-30 01:00:00 UTC));
    schedule_endpoint!(
        "schedule-continue",
        |client: cardflo_client::Client| {
            let request = request.clone();
            async move { client.continue_schedule(SCHEDULE_ID, &request).await }
        },
        Some(fixture_json("schedule-continue-request"))
    );
}

#[tokio::test]
async fn cancel_schedule() {
    schedule_endpoint!(
        "schedule-cancel",
        |client: cardflo_client::Client| async move { client.cancel_schedule(SCHEDULE_ID).await },
        None
    );
}

#[tokio::test]
async fn options() {
    let request = OptionsRequest::new()
        .parameter("property1", "string")
        .parameter("property2", "string");
    schedule_endpoint!(
        "options",
        |client: cardflo_client::Client| {
            let request = request.clone();
            async move { client.options("someIdentifier", &request).await }
        },
        Some(fixture_json("options-request"))
    );
}

/// The request objects of the "Transaction Data" section.
#[test]
fn transaction_data_objects_serialize_as_documented() {
    let customer = documented_customer(DOCUMENTED_EMAIL);
    assert_eq!(
        serde_json::json!({ "customer": customer }),
        fixture_json("customer")
    );

    let pay_by_link = PayByLink::new(false).expiration_in_minute(5u32);
    assert_eq!(
        serde_json::json!({ "payByLink": pay_by_link }),
        fixture_json("pay-by-link")
    );

    assert_eq!(
        serde_json::json!({ "paymentData": documented_iban() }),
        fixture_json("payment-data-iban")
    );
    let wallet = PaymentData::Wallet(
        WalletData::new()
            .wallet_type("paypal")
            .wallet_owner("John Doe")
            .wallet_reference_id("12345abcde"),
    );
    assert_eq!(
        serde_json::json!({ "paymentData": wallet }),
        fixture_json("payment-data-wallet")
    );

    let three_ds = ThreeDSecureData::new()
        .three_d_secure(ThreeDSecureMode::Mandatory)
        .channel("01")
        .authentication_indicator("01")
        .cardholder_authentication_method("01")
        .cardholder_authentication_date_time(datetime!(2020-01-01 12:00));
    assert!(three_ds.clone().validate_for_test().is_ok());
    assert_eq!(
        serde_json::json!({ "threeDSecureData": three_ds }),
        fixture_json("three-d-secure-data-corrected")
    );

    let browser = ThreeDSecureData::new()
        .browser_challenge_window_size("04")
        .browser_accept_header("*/*")
        .browser_ip_address("127.0.0.1")
        .browser_java_enabled(false)
        .browser_language("en-GB")
        .browser_color_depth("24")
        .browser_screen_height(1080u32)
        .browser_screen_width(1920u32)
        .browser_timezone(-60)
        .browser_user_agent(
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/89.0.4389.21 Safari/537.12",
        );
    assert!(browser.clone().validate_for_test().is_ok());
    assert_eq!(
        serde_json::json!({ "threeDSecureData": browser }),
        fixture_json("three-d-secure-browser-data-corrected")
    );

    let forter = Customer::new()
        .identification("c0001")
        .extra("FORTER_CUSTOMER_LAST_LOGINIP", "203.12.55.12")
        .extra("FORTER_CUSTOMER_BILLING_ADDRESS_TYPE", "HOME");
    assert_eq!(
        serde_json::json!({ "customer": forter }),
        fixture_json("risk-data-customer-extra-data-corrected")
    );

    // Items and level 2/3 data have no documented example; their documented types are numbers.
    let item = Item::new()
        .identification("sku-1")
        .quantity(2u32)
        .price(Decimal::new(999, 2))
        .l2l3_data(
            ItemL2L3Data::new()
                .unit_price(Decimal::new(999, 2))
                .shipping_amount(Decimal::new(5, 0)),
        );
    assert_eq!(
        serde_json::to_value(&item).unwrap(),
        serde_json::json!({"identification": "sku-1", "quantity": 2, "price": 9.99, "l2l3Data": {"unitPrice": 9.99, "shippingAmount": 5.0}})
    );
}

/// Validation via a debit carrying the object, the way the client validates it.
trait ValidateForTest {
    fn validate_for_test(self) -> Result<(), Error>;
}

impl ValidateForTest for ThreeDSecureData {
    fn validate_for_test(self) -> Result<(), Error> {
        DebitRequest::new("x", amount("1"), "EUR")
            .three_d_secure_data(self)
            .validate()
    }
}

/// The response objects of the "Transaction Data" section.
#[test]
fn return_data_and_pay_by_link_data_examples_decode() {
    for name in [
        "return-data-card",
        "return-data-iban",
        "return-data-phone",
        "return-data-wallet",
    ] {
        let value: ReturnData = serde_json::from_str(&fixture(name)).unwrap();
        assert!(!matches!(value, ReturnData::Unknown { .. }), "{name}");
        insta::assert_debug_snapshot!(name, value);
    }
    let wrapper = fixture_json("pay-by-link-data");
    let data: PayByLinkData = serde_json::from_value(wrapper["payByLinkData"].clone()).unwrap();
    assert_eq!(
        data.expires_at
            .as_ref()
            .and_then(Timestamp::parse)
            .map(|t| t.unix_timestamp()),
        Some(1_692_627_182)
    );
    insta::assert_debug_snapshot!("pay-by-link-data", data);
}

#[test]
fn the_iban_never_appears_in_debug_output() {
    let text = format!("{:?}", debit_request(REAL_EMAIL));
    assert!(!text.contains("AT123456789012345678"));
    assert!(!text.contains("ix::tRaNsAcT1OnToK3N"));
    assert!(!text.contains("123123"));
}
