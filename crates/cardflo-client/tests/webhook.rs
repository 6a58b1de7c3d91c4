//! Inbound notifications: every documented notification verifies and parses; tampering with
//! one byte of the body, the URI or the date is rejected.
#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]

mod common;

use std::time::{Duration, SystemTime};

use cardflo_client::Error;
use cardflo_client::error::WebhookError;
use cardflo_client::model::*;
use cardflo_client::secrecy::SecretString;
use cardflo_client::webhook::{self, Verifier};
use common::{SHARED_SECRET, fixed_now, fixture};
use payments_signing::ixopay::{self, BodyDigest, SignatureInput};

const CONTENT_TYPE: &str = "application/json; charset=utf-8";
const URI: &str = "/notification-url?someKey=someValue&anything=else";

fn verifier() -> Verifier {
    Verifier::new(SecretString::from(SHARED_SECRET)).clock(fixed_now)
}

/// A notification signed independently of the crate, with payments-signing.
fn signed_request(
    uri: &str,
    body: &[u8],
    date: &str,
    digest: BodyDigest,
) -> http::Request<Vec<u8>> {
    let request_uri = uri.split('#').next().unwrap();
    let signature = ixopay::sign_with(
        SHARED_SECRET,
        &SignatureInput {
            method: "POST",
            body,
            content_type: CONTENT_TYPE,
            date,
            request_uri,
        },
        digest,
    );
    http::Request::post(uri)
        .header("Content-Type", CONTENT_TYPE)
        .header("Date", date)
        .header("X-Signature", signature)
        .body(body.to_vec())
        .unwrap()
}

const DATE: &str = "Tue, 21 Jul 2020 13:15:03 GMT";

fn webhook_error(result: Result<Notification, Error>) -> WebhookError {
    match result {
        Err(Error::Webhook(e)) => *e,
        other => panic!("webhook error expected, got {other:?}"),
    }
}

#[test]
fn every_documented_notification_verifies_and_parses() {
    for name in [
        "callback-success",
        "callback-error",
        "callback-chargeback",
        "callback-chargeback-reversal",
        "callback-account-updater",
        "callback-network-token-active",
        "callback-network-token-suspended",
    ] {
        let body = fixture(name);
        let request = signed_request(URI, body.as_bytes(), DATE, BodyDigest::Sha512);
        let notification = verifier()
            .verify(&request)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        insta::assert_debug_snapshot!(
            name,
            (
                notification.kind(),
                notification.account_update(),
                notification.network_token(),
                &notification
            )
        );
    }
}

#[test]
fn documented_notifications_are_typed() {
    let parse = |name: &str| webhook::parse(fixture(name).as_bytes()).unwrap();

    let success = parse("callback-success");
    assert_eq!(success.kind(), NotificationKind::Success);
    assert_eq!(success.transaction_type, Some(TransactionType::Debit));
    assert_eq!(success.amount, Some("9.99".parse().unwrap()));
    assert_eq!(
        success.customer.as_ref().and_then(|c| c.email_verified),
        Some(false)
    ); // sent as "false"
    let Some(ReturnData::Card(card)) = &success.return_data else {
        panic!("card")
    };
    assert_eq!(
        (card.expiry_month, card.expiry_year),
        (Some(12), Some(2022))
    ); // sent as strings
    assert!(success.errors.is_empty());

    let error = parse("callback-error");
    assert_eq!(error.kind(), NotificationKind::Error);
    assert_eq!(error.errors.len(), 1);
    assert_eq!(error.errors[0].code, Some(ErrorCode::StolenCard)); // sent as "2016"
    assert_eq!(error.errors[0].message.as_deref(), Some("STOLEN_CARD"));
    assert_eq!(error.errors[0].adapter_code.as_deref(), Some("1234"));

    let chargeback = parse("callback-chargeback");
    assert_eq!(
        chargeback.kind(),
        NotificationKind::Chargeback,
        "result OK, but never a success"
    );
    assert_eq!(chargeback.amount, Some("9.99".parse().unwrap())); // sent as a number
    let data = chargeback.chargeback_data.unwrap();
    assert_eq!(
        data.original_merchant_transaction_id.as_deref(),
        Some("2019-09-02-0009")
    );
    assert_eq!(data.amount, Some("9.99".parse().unwrap()));
    assert_eq!(
        data.chargeback_date_time
            .as_ref()
            .and_then(Timestamp::parse)
            .map(|t| t.unix_timestamp()),
        Some(1_570_720_007)
    );

    let reversal = parse("callback-chargeback-reversal");
    assert_eq!(reversal.kind(), NotificationKind::ChargebackReversal);
    assert_eq!(
        reversal
            .chargeback_reversal_data
            .unwrap()
            .chargeback_uuid
            .as_deref(),
        Some("Ch4rG3baCkUu1D")
    );

    let updater = parse("callback-account-updater");
    assert_eq!(updater.transaction_type, Some(TransactionType::Register));
    let update = updater.account_update().unwrap();
    assert_eq!(update.result, CardUpdateResult::Updated);
    assert_eq!(update.date.as_deref(), Some("2022-08-19"));
    assert!(updater.network_token().is_none());

    let active = parse("callback-network-token-active");
    let token = active.network_token().unwrap();
    assert_eq!(token.status, Some(NetworkTokenStatus::Active));
    assert!(token.status.as_ref().unwrap().is_usable());
    assert_eq!(token.metadata.len(), 2);
    assert_eq!(
        (token.metadata[0].width, token.metadata[0].height),
        (Some(150), Some(150))
    );
    assert_eq!(
        (token.metadata[1].width, token.metadata[1].height),
        (None, None)
    ); // sent as ""
    assert_eq!(token.metadata[0].mime_type.as_deref(), Some("image/png"));
    assert_eq!(
        active.kind(),
        NotificationKind::Success,
        "the DEBIT's own result stays visible"
    );

    let suspended = parse("callback-network-token-suspended")
        .network_token()
        .unwrap();
    assert_eq!(suspended.status, Some(NetworkTokenStatus::Suspended));
    assert!(!suspended.status.unwrap().is_usable());
    assert!(suspended.metadata.is_empty());
}

#[test]
fn one_changed_body_byte_is_rejected() {
    let body = fixture("callback-success").into_bytes();
    let request = signed_request(URI, &body, DATE, BodyDigest::Sha512);
    assert!(verifier().verify(&request).is_ok());
    for i in (0..body.len()).step_by(7) {
        let mut tampered = request.clone();
        tampered.body_mut()[i] ^= 0x01;
        assert_eq!(
            webhook_error(verifier().verify(&tampered)),
            WebhookError::InvalidSignature,
            "byte {i}"
        );
    }
}

#[test]
fn a_wrong_uri_is_rejected() {
    let body = fixture("callback-success").into_bytes();
    let signed = signed_request(URI, &body, DATE, BodyDigest::Sha512);
    for uri in [
        "/notification-url",
        "/notification-url?someKey=otherValue&anything=else",
        "/other-url?someKey=someValue&anything=else",
        "/prefix/notification-url?someKey=someValue&anything=else",
    ] {
        let mut moved = signed.clone();
        *moved.uri_mut() = uri.parse().unwrap();
        assert_eq!(
            webhook_error(verifier().verify(&moved)),
            WebhookError::InvalidSignature,
            "{uri}"
        );
    }
    // The same path and query as an absolute URI (as some servers hand it over) is fine.
    let mut absolute = signed.clone();
    *absolute.uri_mut() = format!("https://shop.example{URI}").parse().unwrap();
    assert!(verifier().verify(&absolute).is_ok());
}

#[test]
fn dates_outside_the_tolerance_are_rejected() {
    let body = fixture("callback-success").into_bytes();
    let request = signed_request(URI, &body, DATE, BodyDigest::Sha512);
    let at = |offset: i64| {
        let now = if offset >= 0 {
            fixed_now() + Duration::from_secs(offset as u64)
        } else {
            fixed_now() - Duration::from_secs((-offset) as u64)
        };
        Verifier::new(SecretString::from(SHARED_SECRET)).clock(move || now)
    };
    assert!(at(60).verify(&request).is_ok());
    assert!(at(-60).verify(&request).is_ok());
    assert_eq!(
        webhook_error(at(61).verify(&request)),
        WebhookError::OutsideTolerance {
            skew_seconds: 61,
            tolerance_seconds: 60
        }
    );
    assert!(matches!(
        webhook_error(at(-3600).verify(&request)),
        WebhookError::OutsideTolerance { .. }
    ));
    let lenient = at(600).tolerance(Duration::from_secs(900));
    assert!(lenient.verify(&request).is_ok());
}

#[test]
fn a_signed_date_that_was_changed_is_rejected() {
    let body = fixture("callback-success").into_bytes();
    let mut request = signed_request(URI, &body, DATE, BodyDigest::Sha512);
    request
        .headers_mut()
        .insert("Date", "Tue, 21 Jul 2020 13:15:04 GMT".parse().unwrap());
    assert_eq!(
        webhook_error(verifier().verify(&request)),
        WebhookError::InvalidSignature
    );
}

#[test]
fn lenient_dates_and_x_date_are_accepted() {
    let body = fixture("callback-error").into_bytes();
    // The PHP platform's `UTC` suffix and a one-digit day, signed as sent.
    for date in [
        "Tue, 21 Jul 2020 13:15:03 UTC",
        "Wed, 1 Jul 2020 13:15:03 GMT",
    ] {
        let request = signed_request(URI, &body, date, BodyDigest::Sha512);
        let now = payments_signing::http::parse_http_date(date).unwrap();
        assert!(
            Verifier::new(SecretString::from(SHARED_SECRET))
                .clock(move || now)
                .verify(&request)
                .is_ok(),
            "{date}"
        );
    }
    // Only X-Date.
    let mut request = signed_request(URI, &body, DATE, BodyDigest::Sha512);
    let date = request.headers_mut().remove("Date").unwrap();
    request.headers_mut().insert("X-Date", date);
    assert!(verifier().verify(&request).is_ok());
    // Without Content-Type the documented one is assumed.
    let mut request = signed_request(URI, &body, DATE, BodyDigest::Sha512);
    request.headers_mut().remove("Content-Type");
    assert!(verifier().verify(&request).is_ok());
}

#[test]
fn missing_headers_are_named() {
    let body = fixture("callback-success").into_bytes();
    let mut request = signed_request(URI, &body, DATE, BodyDigest::Sha512);
    request.headers_mut().remove("X-Signature");
    assert_eq!(
        webhook_error(verifier().verify(&request)),
        WebhookError::MissingHeader("X-Signature")
    );
    let mut request = signed_request(URI, &body, DATE, BodyDigest::Sha512);
    request.headers_mut().remove("Date");
    assert_eq!(
        webhook_error(verifier().verify(&request)),
        WebhookError::MissingHeader("Date")
    );
}

#[test]
fn legacy_md5_signatures_only_when_enabled() {
    let body = fixture("callback-success").into_bytes();
    let request = signed_request(URI, &body, DATE, BodyDigest::Md5);
    assert_eq!(
        webhook_error(verifier().verify(&request)),
        WebhookError::InvalidSignature
    );
    assert!(verifier().accept_legacy_md5(true).verify(&request).is_ok());
}

#[test]
fn the_wrong_secret_is_rejected() {
    let body = fixture("callback-success").into_bytes();
    let request = signed_request(URI, &body, DATE, BodyDigest::Sha512);
    let other = Verifier::new(SecretString::from("another-secret")).clock(fixed_now);
    assert_eq!(
        webhook_error(other.verify(&request)),
        WebhookError::InvalidSignature
    );
}

#[test]
fn a_verified_body_that_is_not_a_notification_names_the_field() {
    for (body, path) in [
        (r#"{"uuid":"x"}"#, "."),
        (r#"{"result":"OK","amount":"nine"}"#, "amount"),
        (
            r#"{"result":"OK","returnData":{"_TYPE":"cardData","expiryYear":"twenty"}}"#,
            "returnData.expiryYear",
        ),
        ("<html>", "."),
    ] {
        let request = signed_request(URI, body.as_bytes(), DATE, BodyDigest::Sha512);
        match webhook_error(verifier().verify(&request)) {
            WebhookError::Payload { path: p, .. } => assert_eq!(p, path, "{body}"),
            other => panic!("payload error expected for {body}, got {other:?}"),
        }
    }
}

#[test]
fn the_signing_helper_matches_an_independent_signature() {
    let body = fixture("callback-chargeback").into_bytes();
    let secret = SecretString::from(SHARED_SECRET);
    let helper = webhook::sign_notification(&secret, URI, body.clone(), fixed_now()).unwrap();
    let independent = signed_request(URI, &body, DATE, BodyDigest::Sha512);
    assert_eq!(
        helper.headers().get("x-signature"),
        independent.headers().get("x-signature")
    );
    assert_eq!(helper.headers().get("date").unwrap(), DATE);
    assert_eq!(helper.headers().get("x-date").unwrap(), DATE);
    assert_eq!(helper.method(), http::Method::POST);
    assert!(verifier().verify(&helper).is_ok());
    // With the real clock, a freshly signed notification verifies with the default tolerance.
    let fresh = webhook::sign_notification(&secret, "/cb", body, SystemTime::now()).unwrap();
    assert!(Verifier::new(secret).verify(&fresh).is_ok());
}

#[test]
fn the_acknowledgement_is_200_ok() {
    let response = webhook::acknowledge();
    assert_eq!(response.status(), http::StatusCode::OK);
    assert_eq!(*response.body(), "OK");
}
