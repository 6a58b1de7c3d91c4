//! The public decoders classify answers exactly as the client does: which failures may have
//! been processed, which are worth retrying, and what PortOne asked for (`Retry-After`).
#![allow(clippy::unwrap_used, clippy::panic)]

use std::time::{Duration, SystemTime};

use http::{HeaderMap, HeaderValue, StatusCode};
use portone_client::model::{CodeClass, StatusReason};
use portone_client::{Error, decode};

fn retry_after(value: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(
        http::header::RETRY_AFTER,
        HeaderValue::from_str(value).unwrap(),
    );
    headers
}

const THROTTLED: &[u8] =
    br#"{"message":"Too many requests","status_code":"4029","status_reason":"TOO_MANY_REQUESTS"}"#;

#[test]
fn a_429_asks_for_a_delay_and_is_retryable_for_reads_and_payments_alike() {
    let err =
        decode::transaction_status(StatusCode::TOO_MANY_REQUESTS, &retry_after("7"), THROTTLED)
            .unwrap_err();
    assert_eq!(err.retry_after(), Some(Duration::from_secs(7)));
    assert!(err.is_retryable());
    assert!(!err.may_have_been_processed());
    assert_eq!(err.provider_code(), Some("4029"));
    assert_eq!(err.error_code().unwrap().class(), CodeClass::Validation);

    // An HTTP date in the future gives the time left until then.
    let at = SystemTime::now() + Duration::from_secs(120);
    let err = decode::initiate_payment(
        StatusCode::TOO_MANY_REQUESTS,
        &retry_after(&httpdate::fmt_http_date(at)),
        THROTTLED,
    )
    .unwrap_err();
    let delay = err.retry_after().unwrap();
    assert!(
        delay > Duration::from_secs(100) && delay <= Duration::from_secs(120),
        "{delay:?}"
    );
    // PortOne refused the payment before processing it: safe to send again later.
    assert!(err.is_retryable());
    assert!(!err.may_have_been_processed());

    // Garbage is ignored rather than trusted.
    let err = decode::refunds(
        StatusCode::TOO_MANY_REQUESTS,
        &retry_after("soon"),
        THROTTLED,
    )
    .unwrap_err();
    assert_eq!(err.retry_after(), None);
}

#[test]
fn a_5xx_to_a_payment_is_ambiguous_and_to_a_read_is_retryable() {
    let body =
        br#"{"message":"upstream","status_code":"5000","status_reason":"PAYMENT_SYSTEM_ERROR"}"#;
    for status in [StatusCode::INTERNAL_SERVER_ERROR, StatusCode::BAD_GATEWAY] {
        let err = decode::initiate_payment(status, &HeaderMap::new(), body).unwrap_err();
        assert!(matches!(err, Error::Ambiguous { .. }), "{err:?}");
        assert!(err.may_have_been_processed());
        assert!(!err.is_retryable());
        assert_eq!(err.status(), Some(status));
        assert_eq!(err.provider_code(), Some("5000"));
        assert_eq!(err.error_code().unwrap().class(), CodeClass::System);

        let err = decode::capture(status, &HeaderMap::new(), b"<html>502</html>").unwrap_err();
        assert!(err.may_have_been_processed());
        assert_eq!(err.provider_code(), None);

        let err = decode::transaction_status(status, &HeaderMap::new(), body).unwrap_err();
        assert!(matches!(err, Error::Provider(_)), "{err:?}");
        assert!(err.is_retryable());
        assert!(!err.may_have_been_processed());
        assert_eq!(
            err.as_provider().unwrap().reason,
            Some(StatusReason::PaymentSystemError)
        );
    }
}

#[test]
fn a_2xx_that_does_not_decode_may_have_been_processed() {
    for body in [
        &b""[..],
        b"<html>ok</html>",
        b"{\"payment_link\":",
        b"[1,2]",
    ] {
        let err = decode::create_payment_link(StatusCode::OK, &HeaderMap::new(), body).unwrap_err();
        let decode = err.as_decode().unwrap_or_else(|| panic!("{err:?}"));
        assert_eq!(decode.status, StatusCode::OK);
        assert!(err.may_have_been_processed());
        assert!(!err.is_retryable());
    }
    // The failing field is named.
    let err = decode::transaction_status(
        StatusCode::OK,
        &HeaderMap::new(),
        br#"{"content":{"status":["Success"]}}"#,
    )
    .unwrap_err();
    assert_eq!(err.as_decode().unwrap().path, "content.status");
}

#[test]
fn decode_errors_carry_scrubbed_excerpts() {
    let body = br#"{"content":{"card_number":"4242424242424242","token":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln","status":7}}"#;
    let err = decode::transaction_status(StatusCode::OK, &HeaderMap::new(), body).unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("4242424242424242"), "{shown}");
    assert!(!shown.contains("eyJhbGciOiJIUzI1NiJ9"), "{shown}");
}
