//! End to end over loopback: every operation against the mock gateway (which checks Basic
//! auth and recomputes every signature independently), scripted outcomes, retries and the
//! never-retry rule for payments, bad answers, and secrets that never leak.
#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use cardflo_client::auth::{Connector, Credentials};
use cardflo_client::error::AmbiguousReason;
use cardflo_client::model::*;
use cardflo_client::secrecy::SecretString;
use cardflo_client::testing::{self, MockGateway, Operation, Outcome};
use cardflo_client::{Amount, Client, Error};
use common::{DroppingServer, Reply, Server};
use time::macros::datetime;

fn amount(s: &str) -> Amount {
    s.parse().unwrap()
}

fn debit() -> DebitRequest {
    DebitRequest::new("order-1001-1", amount("9.99"), "EUR")
        .transaction_token("ix::tRaNsAcT1OnToK3N")
}

const SCHEDULE_ID: &str = "SC-1234-1234-1234-1234-1234-1234";

#[tokio::test]
async fn every_operation_end_to_end_against_the_mock() {
    let gateway = MockGateway::start().await;
    let client = gateway.client();
    let eur = || amount("9.99");
    let reference = "abcde12345abcde12345";

    let transactions = [
        client.debit(&debit()).await,
        client
            .preauthorize(
                &PreauthorizeRequest::new("order-1002-1", eur(), "EUR").capture_in_minutes(30u32),
            )
            .await,
        client
            .capture(&CaptureRequest::new(
                "order-1002-2",
                reference,
                eur(),
                "EUR",
            ))
            .await,
        client
            .void(&VoidRequest::new("order-1002-3", reference))
            .await,
        client
            .register(
                &RegisterRequest::new("customer-42-1").transaction_token("ix::tRaNsAcT1OnToK3N"),
            )
            .await,
        client
            .deregister(
                &DeregisterRequest::new("customer-42-2", reference).token_type(TokenType::All),
            )
            .await,
        client
            .refund(&RefundRequest::new(
                "order-1001-r1",
                reference,
                eur(),
                "EUR",
            ))
            .await,
        client
            .payout(&PayoutRequest::new("payout-1", eur(), "EUR").reference_uuid(reference))
            .await,
        client
            .incremental_authorization(&IncrementalAuthorizationRequest::new(
                "order-1002-4",
                reference,
                eur(),
                "EUR",
            ))
            .await,
    ];
    for (i, result) in transactions.into_iter().enumerate() {
        let response = result.unwrap_or_else(|e| panic!("transaction {i}: {e}"));
        assert!(response.outcome.is_finished(), "transaction {i}");
        assert_eq!(response.uuid.as_deref(), Some(reference));
    }

    let status = client.status_by_uuid("u-1").await.unwrap();
    assert!(status.is_success());
    assert_eq!(status.uuid.as_deref(), Some("u-1"));
    let status = client
        .status_by_merchant_transaction_id("order/1001 #1")
        .await
        .unwrap();
    assert_eq!(
        status.merchant_transaction_id.as_deref(),
        Some("order/1001 #1"),
        "path segment encoded and signed"
    );

    let start = StartScheduleRequest::new(
        reference,
        eur(),
        "EUR",
        1,
        PeriodUnit::Month,
        datetime!(2030-01-01 00:00 UTC),
    );
    assert_eq!(
        client.start_schedule(&start).await.unwrap().new_status,
        Some(ScheduleStatus::Active)
    );
    let update = UpdateScheduleRequest::new().period_length(2u32);
    assert_eq!(
        client
            .update_schedule(SCHEDULE_ID, &update)
            .await
            .unwrap()
            .schedule_id
            .as_deref(),
        Some(SCHEDULE_ID)
    );
    assert_eq!(
        client.get_schedule(SCHEDULE_ID).await.unwrap().new_status,
        Some(ScheduleStatus::Active)
    );
    assert_eq!(
        client.pause_schedule(SCHEDULE_ID).await.unwrap().new_status,
        Some(ScheduleStatus::Paused)
    );
    let resume = ContinueScheduleRequest::new(datetime!(2030-02-01 00:00 UTC));
    assert_eq!(
        client
            .continue_schedule(SCHEDULE_ID, &resume)
            .await
            .unwrap()
            .old_status,
        Some(ScheduleStatus::Paused)
    );
    assert_eq!(
        client
            .cancel_schedule(SCHEDULE_ID)
            .await
            .unwrap()
            .new_status,
        Some(ScheduleStatus::Cancelled)
    );
    let options = client
        .options(
            "bankList",
            &OptionsRequest::new().parameter("country", "AT"),
        )
        .await
        .unwrap();
    assert_eq!(options.get("bank1"), Some("Bank One"));

    for op in Operation::ALL {
        assert_eq!(
            gateway.hits(op),
            1,
            "{op:?} sent exactly once, authenticated and signed"
        );
    }
    assert_eq!(gateway.rejected(), 0);
}

#[tokio::test]
async fn the_mock_rejects_wrong_credentials_and_signatures() {
    let gateway = MockGateway::start().await;
    let wrong_password = Client::builder(
        Credentials::new(testing::API_USER, SecretString::from("not-the-password")),
        Connector::new(testing::API_KEY).shared_secret(SecretString::from(testing::SHARED_SECRET)),
    )
    .base_url(gateway.base_url())
    .build()
    .unwrap();
    let error = wrong_password.debit(&debit()).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert!(!error.may_have_been_processed());

    let client = gateway.client();
    let wrong_secret = client
        .connector(Connector::new(testing::API_KEY).shared_secret(SecretString::from("nope")));
    let error = wrong_secret.debit(&debit()).await.unwrap_err();
    assert_eq!(error.error_code(), Some(&ErrorCode::InvalidSignature));
    let unsigned = client.connector(testing::API_KEY);
    let error = unsigned.status_by_uuid("u").await.unwrap_err();
    assert_eq!(error.error_code(), Some(&ErrorCode::InvalidSignature));

    let other_connector = client.connector(
        Connector::new("other-key").shared_secret(SecretString::from(testing::SHARED_SECRET)),
    );
    let error = other_connector.debit(&debit()).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));

    assert_eq!(gateway.hits(Operation::Debit), 0);
    assert!(gateway.rejected() >= 4);
}

#[tokio::test]
async fn scripted_transaction_outcomes() {
    let gateway = MockGateway::start().await;
    let client = gateway.client();

    gateway.script(
        Operation::Debit,
        Outcome::Redirect {
            url: "https://acs.example/challenge".into(),
        },
    );
    let TransactionOutcome::Redirect(redirect) = client.debit(&debit()).await.unwrap().outcome
    else {
        panic!("redirect expected")
    };
    assert_eq!(redirect.url, "https://acs.example/challenge");

    gateway.script(
        Operation::Debit,
        Outcome::Html {
            content: "<form></form>".into(),
        },
    );
    assert_eq!(
        client.debit(&debit()).await.unwrap().outcome,
        TransactionOutcome::Html {
            content: "<form></form>".into()
        }
    );

    gateway.script(Operation::Debit, Outcome::Pending);
    assert_eq!(
        client.debit(&debit()).await.unwrap().outcome,
        TransactionOutcome::Pending
    );

    gateway.script(
        Operation::Debit,
        Outcome::Declined {
            code: 2006,
            message: "Insufficient funds".into(),
        },
    );
    let response = client.debit(&debit()).await.unwrap();
    let TransactionOutcome::Error { errors } = response.outcome else {
        panic!("decline expected")
    };
    assert_eq!(errors[0].code, Some(ErrorCode::InsufficientFunds));

    gateway.script(
        Operation::Debit,
        Outcome::GeneralError {
            code: 3004,
            message: "The transaction ID already exists!".into(),
        },
    );
    let error = client.debit(&debit()).await.unwrap_err();
    assert_eq!(error.error_code(), Some(&ErrorCode::DuplicateTransactionId));
    assert!(!error.may_have_been_processed());

    // A failure inside the gateway or upstream (not a rejected request) may have charged.
    let internal = || Outcome::GeneralError {
        code: 1008,
        message: "Unexpected system error".into(),
    };
    gateway.script(Operation::Debit, internal());
    let error = client.debit(&debit()).await.unwrap_err();
    assert_eq!(error.error_code(), Some(&ErrorCode::UnexpectedSystemError));
    assert!(error.may_have_been_processed());
    assert!(!error.is_retryable());
    gateway.script(Operation::StatusByUuid, internal());
    assert!(
        !client
            .status_by_uuid("u")
            .await
            .unwrap_err()
            .may_have_been_processed()
    );

    gateway.script(
        Operation::StatusByUuid,
        Outcome::Declined {
            code: 2003,
            message: "Declined".into(),
        },
    );
    let status = client.status_by_uuid("u").await.unwrap();
    assert_eq!(status.transaction_status, Some(TransactionStatus::Error));
    assert!(!status.is_success());

    gateway.reset();
    assert!(client.debit(&debit()).await.unwrap().outcome.is_finished());
    assert_eq!(gateway.hits(Operation::Debit), 7);
}

#[tokio::test]
async fn a_debit_answered_with_a_502_page_is_sent_once_and_may_have_been_processed() {
    let gateway = MockGateway::start().await;
    gateway.script(
        Operation::Debit,
        Outcome::Http {
            status: 502,
            body: "<html><body><h1>502 Bad Gateway</h1></body></html>".into(),
            retry_after: None,
        },
    );
    let error = gateway.client().debit(&debit()).await.unwrap_err();
    let Error::Ambiguous(details) = &error else {
        panic!("ambiguous expected: {error:?}")
    };
    assert_eq!(details.reason, AmbiguousReason::ServerError);
    assert_eq!(
        details.merchant_transaction_id.as_deref(),
        Some("order-1001-1")
    );
    assert_eq!(error.status().map(|s| s.as_u16()), Some(502));
    assert!(error.may_have_been_processed());
    assert!(!error.is_retryable());
    assert_eq!(
        gateway.hits(Operation::Debit),
        1,
        "a payment is never retried"
    );
}

#[tokio::test]
async fn a_debit_whose_connection_drops_after_sending_is_sent_exactly_once() {
    let server = DroppingServer::start();
    let client = common::client_builder(&server.base_url)
        .max_retries(5)
        .build()
        .unwrap();
    let error = client.debit(&debit()).await.unwrap_err();
    assert!(error.may_have_been_processed(), "{error:?}");
    let Error::Ambiguous(details) = &error else {
        panic!("ambiguous expected: {error:?}")
    };
    assert_eq!(details.reason, AmbiguousReason::ConnectionLost);
    assert_eq!(
        details.merchant_transaction_id.as_deref(),
        Some("order-1001-1")
    );
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(server.count(), 1, "sent exactly once");
}

#[tokio::test]
async fn a_debit_that_times_out_is_ambiguous() {
    let gateway = MockGateway::start().await;
    gateway.script(Operation::Debit, Outcome::Timeout(Duration::from_secs(3)));
    let client = gateway
        .client_builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let error = client.debit(&debit()).await.unwrap_err();
    let Error::Ambiguous(details) = &error else {
        panic!("ambiguous expected: {error:?}")
    };
    assert_eq!(details.reason, AmbiguousReason::Timeout);
    assert!(error.may_have_been_processed());
    assert_eq!(
        gateway.hits(Operation::Debit),
        1,
        "counted on arrival, although not answered"
    );
    // Scripting anything else ends the delay.
    gateway.script(Operation::Debit, Outcome::Pending);
    assert_eq!(
        client.debit(&debit()).await.unwrap().outcome,
        TransactionOutcome::Pending
    );
}

#[tokio::test]
async fn reconcile_tells_not_found_from_found() {
    let gateway = MockGateway::start().await;
    let client = gateway.client();
    gateway.script(Operation::StatusByMerchantTransactionId, Outcome::NotFound);
    assert_eq!(
        client.reconcile("order-1001-1").await.unwrap(),
        Reconciliation::NotFound
    );
    gateway.script(Operation::StatusByMerchantTransactionId, Outcome::Finished);
    let Reconciliation::Found(status) = client.reconcile("order-1001-1").await.unwrap() else {
        panic!("found expected")
    };
    assert!(status.is_success());
    assert_eq!(
        status.merchant_transaction_id.as_deref(),
        Some("order-1001-1")
    );
}

#[tokio::test]
async fn status_calls_retry_on_5xx_and_429_then_give_up() {
    let gateway = MockGateway::start().await;
    let client = gateway.client();
    gateway.script(
        Operation::StatusByUuid,
        Outcome::Http {
            status: 503,
            body: "unavailable".into(),
            retry_after: None,
        },
    );
    let error = client.status_by_uuid("u").await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert!(error.is_retryable());
    assert!(!error.may_have_been_processed());
    assert_eq!(
        gateway.hits(Operation::StatusByUuid),
        3,
        "one attempt and two retries"
    );

    gateway.script(
        Operation::GetSchedule,
        Outcome::Http {
            status: 429,
            body: r#"{"success":false,"errorMessage":"Too many requests","errorCode":1009}"#.into(),
            retry_after: Some(0),
        },
    );
    let error = client.get_schedule(SCHEDULE_ID).await.unwrap_err();
    assert_eq!(error.error_code(), Some(&ErrorCode::TooManyRequests));
    assert_eq!(gateway.hits(Operation::GetSchedule), 3);

    // A Retry-After beyond the limit ends the retries and is reported.
    gateway.script(
        Operation::Options,
        Outcome::Http {
            status: 429,
            body: String::new(),
            retry_after: Some(120),
        },
    );
    let error = client
        .options("bankList", &OptionsRequest::new())
        .await
        .unwrap_err();
    assert_eq!(error.retry_after(), Some(Duration::from_secs(120)));
    assert_eq!(gateway.hits(Operation::Options), 1);

    // State-changing schedule calls are never retried.
    gateway.script(
        Operation::PauseSchedule,
        Outcome::Http {
            status: 503,
            body: String::new(),
            retry_after: None,
        },
    );
    let error = client.pause_schedule(SCHEDULE_ID).await.unwrap_err();
    assert!(error.may_have_been_processed());
    assert_eq!(gateway.hits(Operation::PauseSchedule), 1);
}

#[tokio::test]
async fn a_status_call_succeeds_after_a_retry_honouring_retry_after() {
    let server = Server::start(vec![
        Reply {
            status: 429,
            headers: vec![("retry-after".into(), "1".into())],
            body: br#"{"success":false,"errorMessage":"Too many requests","errorCode":1009}"#
                .to_vec(),
        },
        Reply::json(&common::fixture("status-by-uuid-success")),
    ]);
    let started = std::time::Instant::now();
    let status = server
        .client()
        .status_by_uuid("abcde12345abcde12345")
        .await
        .unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "waited for Retry-After"
    );
    assert!(status.is_success());
    let captured = server.captured();
    assert_eq!(captured.len(), 2);
    for request in &captured {
        request.assert_signed();
    }
}

#[tokio::test]
async fn read_only_calls_retry_connection_errors() {
    let server = DroppingServer::start();
    let client = common::client_builder(&server.base_url).build().unwrap();
    let error = client.status_by_uuid("u").await.unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert!(error.is_retryable());
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn connection_refused_is_a_transport_error_that_was_not_sent() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base_url = format!("http://{}/api/v3", listener.local_addr().unwrap());
    drop(listener);
    let client = common::client_builder(&base_url).build().unwrap();
    let error = client.debit(&debit()).await.unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert!(!error.may_have_been_processed());
}

async fn debit_answered_with(reply: Reply) -> Error {
    let server = Server::once(reply);
    let error = server.client().debit(&debit()).await.unwrap_err();
    server.captured();
    error
}

fn decode_path(error: &Error) -> &str {
    match error {
        Error::Decode(details) => &details.path,
        other => panic!("decode error expected, got {other:?}"),
    }
}

#[tokio::test]
async fn bad_answers_are_typed_errors_naming_the_field() {
    // Empty body.
    let error = debit_answered_with(Reply::json("")).await;
    assert_eq!(decode_path(&error), ".");
    assert!(error.may_have_been_processed());
    // Truncated JSON.
    let error = debit_answered_with(Reply::json(
        r#"{"success":true,"uuid":"abc","returnType":"FINI"#,
    ))
    .await;
    assert!(matches!(error, Error::Decode(_)));
    // An HTML page with status 200.
    let error =
        debit_answered_with(Reply::status(200, "text/html", "<html>maintenance</html>")).await;
    assert_eq!(decode_path(&error), ".");
    // Wrong types, deep inside.
    let error = debit_answered_with(Reply::json(
        r#"{"success":true,"returnType":"FINISHED","returnData":{"_TYPE":"cardData","expiryMonth":"December"}}"#,
    ))
    .await;
    assert_eq!(decode_path(&error), "returnData.expiryMonth");
    let error = debit_answered_with(Reply::json(
        r#"{"success":false,"returnType":"ERROR","errors":"oops"}"#,
    ))
    .await;
    assert_eq!(decode_path(&error), "errors");
    let error = debit_answered_with(Reply::json(r#"{"success":true,"returnType":7}"#)).await;
    assert_eq!(decode_path(&error), "returnType");
    // An HTML 502 page on a read-only call: a provider error with a scrubbed excerpt.
    let server = Server::start(vec![
        Reply::status(
            502,
            "text/html",
            "<html>Bad Gateway</html>"
        );
        3
    ]);
    let error = server.client().status_by_uuid("u").await.unwrap_err();
    server.captured();
    let Error::Provider(details) = &error else {
        panic!("provider error expected: {error:?}")
    };
    assert_eq!(details.status.map(|s| s.as_u16()), Some(502));
    assert!(details.body_excerpt.contains("Bad Gateway"));
    // A 4xx with a JSON error.
    let error = debit_answered_with(Reply::status(
        400,
        "application/json",
        r#"{"success":false,"errorMessage":"root: 'amount' is required","errorCode":1002}"#,
    ))
    .await;
    assert_eq!(error.error_code(), Some(&ErrorCode::InvalidRequestData));
    assert!(!error.may_have_been_processed());
}

#[tokio::test]
async fn unknown_enum_values_are_kept_and_never_success() {
    let server = Server::once(Reply::json(
        r#"{"success":true,"uuid":"u","returnType":"SUCCESS","redirectType":"popup"}"#,
    ));
    let response = server.client().debit(&debit()).await.unwrap();
    server.captured();
    assert_eq!(
        response.outcome,
        TransactionOutcome::Unknown {
            return_type: "SUCCESS".into()
        }
    );
    assert!(!response.outcome.is_finished());

    let server = Server::once(Reply::json(
        r#"{"success":true,"transactionStatus":"SETTLED","transactionType":"DISPUTE","schedules":{"SC-1":{"scheduleId":"SC-1","scheduleStatus":"WAITING"}}}"#,
    ));
    let status = server.client().status_by_uuid("u").await.unwrap();
    server.captured();
    assert_eq!(
        status.transaction_status,
        Some(TransactionStatus::Unknown("SETTLED".into()))
    );
    assert!(!status.is_success());
    assert_eq!(
        status.transaction_type,
        Some(TransactionType::Unknown("DISPUTE".into()))
    );
    assert_eq!(
        status.schedules[0].schedule_status,
        Some(ScheduleStatus::Unknown("WAITING".into()))
    );
}

#[tokio::test]
async fn invalid_requests_are_never_sent() {
    let gateway = MockGateway::start().await;
    let client = gateway.client();
    let too_long = DebitRequest::new("x".repeat(51), amount("1"), "EUR");
    assert!(matches!(
        client.debit(&too_long).await,
        Err(Error::InvalidRequest { .. })
    ));
    let bad_currency = RefundRequest::new("r-1", "u", amount("1"), "euro");
    assert!(matches!(
        client.refund(&bad_currency).await,
        Err(Error::InvalidRequest { .. })
    ));
    let bad_period = StartScheduleRequest::new(
        "u",
        amount("1"),
        "EUR",
        365,
        PeriodUnit::Day,
        datetime!(2030-01-01 00:00 UTC),
    );
    assert!(matches!(
        client.start_schedule(&bad_period).await,
        Err(Error::InvalidRequest { .. })
    ));
    assert!(matches!(
        client.status_by_uuid("").await,
        Err(Error::InvalidRequest { .. })
    ));
    assert_eq!(gateway.hits(Operation::Debit), 0);
    assert_eq!(gateway.hits(Operation::Refund), 0);
    assert_eq!(gateway.hits(Operation::StartSchedule), 0);
    assert_eq!(gateway.rejected(), 0);
}

#[test]
fn invalid_base_urls_are_configuration_errors() {
    for url in [
        "not a url",
        "ftp://gateway.example/api/v3",
        "https://gateway.example/api/v3?x=1",
    ] {
        let result = common::client_builder(url).build();
        assert!(matches!(result, Err(Error::Config(_))), "{url}");
    }
}

#[tokio::test]
async fn user_agent_names_the_crate_and_the_suffix() {
    let server = Server::once(Reply::json(&common::fixture("debit-response-finished")));
    let client = common::client_builder(&server.base_url)
        .user_agent_suffix("shop/2.1")
        .build()
        .unwrap();
    client.debit(&debit()).await.unwrap();
    let captured = server.captured().remove(0);
    assert_eq!(
        captured.header("user-agent"),
        Some(format!("cardflo-client/{} shop/2.1", env!("CARGO_PKG_VERSION")).as_str())
    );
}

/// Records every span and event field, with its level.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<(tracing::Level, String)>>>);

struct FieldText<'a>(&'a mut String);

impl tracing::field::Visit for FieldText<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!("{}={:?} ", field.name(), value));
    }
}

impl tracing::Subscriber for Recorder {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, attrs: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut text = String::new();
        attrs.record(&mut FieldText(&mut text));
        self.0
            .lock()
            .unwrap()
            .push((*attrs.metadata().level(), text));
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut text = String::new();
        values.record(&mut FieldText(&mut text));
        self.0.lock().unwrap().push((tracing::Level::TRACE, text));
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut text = String::new();
        event.record(&mut FieldText(&mut text));
        self.0
            .lock()
            .unwrap()
            .push((*event.metadata().level(), text));
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test(flavor = "current_thread")]
async fn no_secret_or_card_data_in_debug_errors_or_logs() {
    let recorder = Recorder::default();
    let _guard = tracing::subscriber::set_default(recorder.clone());

    let gateway = MockGateway::start().await;
    let client = gateway.client();
    let iban = "AT611904300234573201";
    let pan = "4111111111111111";
    let request = debit().customer(
        Customer::new()
            .national_id("NID-998877")
            .payment_data(PaymentData::Iban(IbanData::new().iban(iban))),
    );
    client.debit(&request).await.unwrap();

    // An error answer that echoes sensitive data.
    let echo = format!(
        r#"{{"success":false,"errorMessage":"bad card {pan} or 4111 1111 1111 1111","errorCode":1002,"iban":"{iban}","transactionToken":"ix::tRaNsAcT1OnToK3N"}}"#
    );
    gateway.script(
        Operation::Debit,
        Outcome::Http {
            status: 400,
            body: echo.clone(),
            retry_after: None,
        },
    );
    let provider_error = client.debit(&request).await.unwrap_err();
    gateway.script(
        Operation::Debit,
        Outcome::Http {
            status: 200,
            body: echo,
            retry_after: None,
        },
    );
    let general_error = client.debit(&request).await.unwrap_err();
    gateway.script(
        Operation::Debit,
        Outcome::Http {
            status: 200,
            body: format!(r#"{{"returnType":"FINISHED","uuid":["{pan}"],"iban":"{iban}""#),
            retry_after: None,
        },
    );
    let decode_error = client.debit(&request).await.unwrap_err();

    let verifier =
        cardflo_client::webhook::Verifier::new(SecretString::from(testing::SHARED_SECRET));
    let forged = http::Request::post("/callback")
        .header("X-Signature", "forged")
        .header("Date", "Tue, 21 Jul 2020 13:15:03 GMT")
        .body(format!(r#"{{"result":"OK","returnData":{{"iban":"{iban}"}}}}"#).into_bytes())
        .unwrap();
    let webhook_error = verifier.verify(&forged).unwrap_err();

    let builder = gateway.client_builder();
    let texts = [
        format!("{client:?}"),
        format!("{builder:?}"),
        format!("{request:?}"),
        format!("{verifier:?}"),
        format!("{provider_error} {provider_error:?}"),
        format!("{general_error} {general_error:?}"),
        format!("{decode_error} {decode_error:?}"),
        format!("{webhook_error} {webhook_error:?}"),
    ];
    let logs: Vec<(tracing::Level, String)> = recorder.0.lock().unwrap().clone();
    assert!(!logs.is_empty(), "the client logs");
    let secrets = [
        testing::API_PASSWORD,
        testing::SHARED_SECRET,
        "YW55QXBpVXNlcjpteVBhc3N3b3Jk", // the Basic credentials
        iban,
        pan,
        "4111 1111 1111 1111",
        "ix::tRaNsAcT1OnToK3N",
        "NID-998877",
    ];
    for text in texts.iter().chain(logs.iter().map(|(_, t)| t)) {
        for secret in secrets {
            assert!(!text.contains(secret), "{secret:?} leaked in: {text}");
        }
    }
    // Bodies (even scrubbed) only below debug level.
    for (level, text) in &logs {
        if *level < tracing::Level::DEBUG {
            assert!(
                !text.contains("answer body"),
                "body logged at {level}: {text}"
            );
        }
    }
}

/// The prepared request and the one the mock received are the same bytes: method, path and
/// query, every prepared header with its value (the transport adds only `host` and
/// `content-length`), and the body.
fn assert_prepared_is_sent(prepared: &http::Request<Vec<u8>>, received: &testing::RecordedRequest) {
    assert_eq!(prepared.method().as_str(), received.method());
    assert_eq!(prepared.uri().path(), received.path());
    assert_eq!(prepared.uri().query(), received.query());
    assert_eq!(prepared.body().as_slice(), received.body(), "body bytes");
    for (name, value) in prepared.headers() {
        assert_eq!(
            received.header(name.as_str()).map(str::as_bytes),
            Some(value.as_bytes()),
            "header {name}"
        );
    }
    for (name, _) in received.headers() {
        assert!(
            prepared.headers().contains_key(name.as_str())
                || name == "host"
                || name == "content-length",
            "unexpected header {name}"
        );
    }
    let length = received.header("content-length").unwrap_or("0");
    assert_eq!(length, prepared.body().len().to_string());
}

#[tokio::test]
async fn every_prepared_request_is_exactly_what_the_operation_sends() {
    let gateway = MockGateway::start().await;
    let client = gateway
        .client_builder()
        .clock(common::fixed_now)
        .user_agent_suffix("shop/2.1")
        .build()
        .unwrap();
    // Read-only calls answer 200 so that nothing is retried; the fixed clock makes the date
    // (and so the signature) of the call the one of the prepared request.
    let eur = || amount("9.99");
    let reference = "abcde12345abcde12345";
    let start = StartScheduleRequest::new(
        reference,
        eur(),
        "EUR",
        1,
        PeriodUnit::Month,
        datetime!(2030-01-01 00:00 UTC),
    );
    let update = UpdateScheduleRequest::new().period_length(2u32);
    let resume = ContinueScheduleRequest::new(datetime!(2030-02-01 00:00 UTC));
    let options = OptionsRequest::new().parameter("country", "AT");
    let capture = CaptureRequest::new("order-1002-2", reference, eur(), "EUR");
    let refund = RefundRequest::new("order-1001-r1", reference, eur(), "EUR");
    let incremental = IncrementalAuthorizationRequest::new("order-1002-4", reference, eur(), "EUR");
    let preauthorize = PreauthorizeRequest::new("order-1002-1", eur(), "EUR");
    let void = VoidRequest::new("order-1002-3", reference);
    let register = RegisterRequest::new("customer-42-1").transaction_token("ix::tRaNsAcT1OnToK3N");
    let deregister = DeregisterRequest::new("customer-42-2", reference);
    let payout = PayoutRequest::new("payout-1", eur(), "EUR").reference_uuid(reference);
    let odd_id = "order/1001 #1?x=ä";

    let mut prepared = Vec::new();
    macro_rules! both {
        ($prepare:ident, $call:ident $(, $arg:expr)*) => {{
            prepared.push(client.$prepare($($arg),*).await.unwrap());
            client.$call($($arg),*).await.unwrap();
        }};
    }
    both!(prepare_debit, debit, &debit());
    both!(prepare_preauthorize, preauthorize, &preauthorize);
    both!(prepare_capture, capture, &capture);
    both!(prepare_void, void, &void);
    both!(prepare_register, register, &register);
    both!(prepare_deregister, deregister, &deregister);
    both!(prepare_refund, refund, &refund);
    both!(prepare_payout, payout, &payout);
    both!(
        prepare_incremental_authorization,
        incremental_authorization,
        &incremental
    );
    both!(prepare_status_by_uuid, status_by_uuid, "u-1");
    both!(
        prepare_status_by_merchant_transaction_id,
        status_by_merchant_transaction_id,
        odd_id
    );
    both!(prepare_start_schedule, start_schedule, &start);
    both!(
        prepare_update_schedule,
        update_schedule,
        SCHEDULE_ID,
        &update
    );
    both!(prepare_get_schedule, get_schedule, SCHEDULE_ID);
    both!(prepare_pause_schedule, pause_schedule, SCHEDULE_ID);
    both!(
        prepare_continue_schedule,
        continue_schedule,
        SCHEDULE_ID,
        &resume
    );
    both!(prepare_cancel_schedule, cancel_schedule, SCHEDULE_ID);
    both!(prepare_options, options, "bankList", &options);

    let received = gateway.requests();
    assert_eq!(received.len(), Operation::ALL.len(), "one request each");
    assert_eq!(prepared.len(), received.len());
    for (op, (prepared, received)) in Operation::ALL
        .into_iter()
        .zip(prepared.iter().zip(&received))
    {
        assert_eq!(received.operation(), Some(op));
        assert!(received.is_accepted(), "{op:?}: authenticated and signed");
        assert_prepared_is_sent(prepared, received);
    }
    // Nothing prepared was sent on its own.
    assert_eq!(gateway.rejected(), 0);
}

#[tokio::test]
async fn a_prepared_debit_is_signed_and_authenticated_as_documented() {
    let client = common::client_builder("https://gateway.cardflo.io/api/v3")
        .build()
        .unwrap();
    let request = DebitRequest::new("2019-09-02-0004", amount("9.99"), "EUR");
    let prepared = client.prepare_debit(&request).await.unwrap();
    assert_eq!(prepared.method(), http::Method::POST);
    assert_eq!(
        prepared.uri().to_string(),
        "https://gateway.cardflo.io/api/v3/transaction/my-api-key/debit"
    );
    // The documented vector's body, byte for byte.
    assert_eq!(
        prepared.body().as_slice(),
        br#"{"merchantTransactionId":"2019-09-02-0004","amount":"9.99","currency":"EUR"}"#
    );
    let headers = prepared.headers();
    assert_eq!(headers["authorization"], common::DOCUMENTED_AUTHORIZATION);
    assert!(
        headers["authorization"].is_sensitive(),
        "hidden from Debug output"
    );
    assert!(!format!("{prepared:?}").contains("YW55QXBpVXNlcjpteVBhc3N3b3Jk"));
    assert_eq!(headers["date"], "Tue, 21 Jul 2020 13:15:03 GMT");
    assert_eq!(headers["x-date"], headers["date"]);
    assert_eq!(headers["content-type"], "application/json; charset=utf-8");
    assert_eq!(headers["accept"], "application/json");
    assert_eq!(
        headers["user-agent"],
        format!("cardflo-client/{}", env!("CARGO_PKG_VERSION")).as_str()
    );
    assert!(!headers.contains_key("x-integration-help"));
    // The signature, recomputed independently from the documented inputs.
    let expected = payments_signing::ixopay::sign(
        common::SHARED_SECRET,
        &payments_signing::ixopay::SignatureInput {
            method: "POST",
            body:
                br#"{"merchantTransactionId":"2019-09-02-0004","amount":"9.99","currency":"EUR"}"#,
            content_type: "application/json; charset=utf-8",
            date: "Tue, 21 Jul 2020 13:15:03 GMT",
            request_uri: "/api/v3/transaction/my-api-key/debit",
        },
    );
    assert_eq!(headers["x-signature"], expected.as_str());
    // An unsigned connector sends no signature.
    let unsigned = client.connector("my-api-key");
    let prepared = unsigned.prepare_debit(&request).await.unwrap();
    assert!(!prepared.headers().contains_key("x-signature"));
    // Invalid requests are refused by prepare too.
    let too_long = DebitRequest::new("x".repeat(51), amount("1"), "EUR");
    assert!(matches!(
        client.prepare_debit(&too_long).await,
        Err(Error::InvalidRequest { .. })
    ));
}

#[tokio::test]
async fn the_mock_accepts_only_the_credentials_it_was_started_with() {
    let credentials = testing::MockCredentials::new(
        Credentials::new("shop-user", SecretString::from("pw-7f3a9c21")),
        Connector::new("card eur/1").shared_secret(SecretString::from("ss-91be04d7")),
    );
    let gateway = MockGateway::start_with(credentials).await;
    let client = gateway.client();
    assert!(client.debit(&debit()).await.unwrap().outcome.is_finished());
    assert_eq!(gateway.hits(Operation::Debit), 1);
    assert_eq!(
        gateway.requests()[0].path(),
        "/api/v3/transaction/card%20eur%2F1/debit"
    );

    // The documentation's default credentials are refused by this mock.
    let default_client = Client::builder(
        Credentials::new(testing::API_USER, SecretString::from(testing::API_PASSWORD)),
        Connector::new("card eur/1").shared_secret(SecretString::from(testing::SHARED_SECRET)),
    )
    .base_url(gateway.base_url())
    .build()
    .unwrap();
    let error = default_client.debit(&debit()).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    // Right password, wrong shared secret: the documented signature error.
    let wrong_secret = client.connector(
        Connector::new("card eur/1").shared_secret(SecretString::from(testing::SHARED_SECRET)),
    );
    let error = wrong_secret.debit(&debit()).await.unwrap_err();
    assert_eq!(error.provider_code(), Some("1004"));
    assert_eq!(error.error_code(), Some(&ErrorCode::InvalidSignature));
    assert_eq!(gateway.hits(Operation::Debit), 1);
    assert_eq!(gateway.rejected(), 2);

    // A connector without a shared secret: unsigned requests are accepted.
    let unsigned = MockGateway::start_with(testing::MockCredentials::new(
        Credentials::new("shop-user", SecretString::from("pw-7f3a9c21")),
        Connector::new("sepa"),
    ))
    .await;
    unsigned.client().status_by_uuid("u").await.unwrap();
    let sent = &unsigned.requests()[0];
    assert!(sent.is_accepted());
    assert!(sent.header("x-signature").is_none());
}

#[tokio::test]
async fn recorded_requests_hide_credentials_and_card_data_in_debug() {
    let gateway = MockGateway::start().await;
    let request = debit().customer(Customer::new().payment_data(PaymentData::Iban(
        IbanData::new().iban("AT611904300234573201"),
    )));
    gateway.client().debit(&request).await.unwrap();
    let recorded = gateway.requests().remove(0);
    assert_eq!(
        recorded.json().unwrap()["customer"]["paymentData"]["ibanData"]["iban"],
        "AT611904300234573201",
        "the raw body is available"
    );
    assert_eq!(recorded.query(), None);
    assert_eq!(
        recorded.header("Authorization"),
        Some(common::DOCUMENTED_AUTHORIZATION)
    );
    let debug = format!("{recorded:?}");
    for secret in [
        "YW55QXBpVXNlcjpteVBhc3N3b3Jk",
        "AT611904300234573201",
        "ix::tRaNsAcT1OnToK3N",
        testing::API_KEY,
        recorded.header("x-signature").unwrap(),
    ] {
        assert!(!debug.contains(secret), "{secret} in {debug}");
    }
    assert!(debug.contains("order-1001-1"), "{debug}");
}
