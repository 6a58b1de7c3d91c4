//! What every `*_response` target does with its input: the first byte picks the HTTP status,
//! whether a `Retry-After` header is present and which operation the answer is read for (the
//! target's own, or any other); the rest is the body. Whatever the decoder returns is formatted
//! and queried, and an error must be one an answer can produce.

use std::fmt::Debug;

use cardflo_client::{Error, Operation};
use http::{HeaderMap, HeaderValue, StatusCode};

const STATUSES: [u16; 8] = [200, 200, 200, 201, 400, 404, 429, 502];

pub fn run<T: Debug>(
    data: &[u8],
    own: Operation,
    decode: fn(Operation, StatusCode, &HeaderMap, &[u8]) -> Result<T, Error>,
) {
    let (first, body) = match data.split_first() {
        Some((first, body)) => (*first, body),
        None => (0, data),
    };
    let status = StatusCode::from_u16(STATUSES[usize::from(first & 7)]).unwrap_or(StatusCode::OK);
    let mut headers = HeaderMap::new();
    if first & 8 != 0 {
        let raw = &body[..body.len().min(16)];
        if let Ok(value) = HeaderValue::from_bytes(raw) {
            headers.insert("retry-after", value);
        }
    }
    let operation = if first & 16 != 0 {
        own
    } else {
        Operation::ALL[usize::from(first >> 5) % Operation::ALL.len()]
    };
    match decode(operation, status, &headers, body) {
        Ok(value) => {
            let _ = format!("{value:?}");
        }
        Err(error) => {
            let _ = (format!("{error}"), format!("{error:?}"));
            let _ = (error.may_have_been_processed(), error.is_retryable());
            let _ = (error.status(), error.provider_code(), error.error_code(), error.retry_after());
            assert!(
                matches!(error, Error::Decode(_) | Error::Provider(_) | Error::Ambiguous(_)),
                "unexpected error kind"
            );
        }
    }
}
