//! Shared by the decode targets: the input is split into a status, a `Retry-After` value, an
//! `Idempotent-Replayed` value and the body, and the outcome must have the kind the status
//! implies.

use http::{HeaderMap, HeaderValue, StatusCode};
use moment_client::Error;

/// The raw parts of an answer, taken from the fuzzer's bytes.
pub struct Answer<'a> {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: &'a [u8],
}

/// `[status hi, status lo, retry-after length, replayed length, retry-after…, replayed…, body…]`.
pub fn split(data: &[u8]) -> Option<Answer<'_>> {
    let [hi, lo, retry_len, replayed_len, rest @ ..] = data else {
        return None;
    };
    let status = 100 + u16::from_be_bytes([*hi, *lo]) % 500;
    let status = StatusCode::from_u16(status).ok()?;
    let retry_len = usize::from(*retry_len % 48).min(rest.len());
    let (retry_after, rest) = rest.split_at(retry_len);
    let replayed_len = usize::from(*replayed_len % 16).min(rest.len());
    let (replayed, body) = rest.split_at(replayed_len);
    let mut headers = HeaderMap::new();
    if let Ok(value) = HeaderValue::from_bytes(retry_after) {
        headers.insert(http::header::RETRY_AFTER, value);
    }
    if let Ok(value) = HeaderValue::from_bytes(replayed) {
        headers.insert("idempotent-replayed", value);
    }
    Some(Answer {
        status,
        headers,
        body,
    })
}

/// A `2xx` is the object or a decode error; any other status is a provider error. Errors print.
pub fn check<T>(status: StatusCode, outcome: Result<T, Error>) {
    match outcome {
        Ok(_) => assert!(status.is_success(), "{status} decoded as a success"),
        Err(Error::Decode(e)) => {
            assert!(status.is_success(), "{status}: {e}");
            let _ = format!("{e} {e:?}");
        }
        Err(Error::Provider(e)) => {
            assert!(!status.is_success(), "{status}: {e}");
            assert_eq!(e.status(), status);
            let _ = format!("{e} {e:?}");
        }
        Err(other) => panic!("{status}: unexpected {other:?}"),
    }
}
