//! How the targets read their input.

use http::{HeaderMap, HeaderValue, StatusCode};

/// The statuses a leading control byte selects.
const STATUSES: [u16; 11] = [200, 201, 204, 400, 401, 404, 409, 429, 500, 502, 503];

/// An answer from fuzz input: `200` and the whole input as the body, unless the first byte is
/// 0xF5–0xFF (never valid UTF-8, so never the start of a documented example), which selects
/// another status and a `Retry-After` taken from the input's tail.
pub fn answer(data: &[u8]) -> (StatusCode, HeaderMap, &[u8]) {
    let mut headers = HeaderMap::new();
    match data.first() {
        Some(&b) if b >= 0xF5 => {
            let status = StatusCode::from_u16(STATUSES[usize::from(b - 0xF5)])
                .unwrap_or(StatusCode::OK);
            let body = &data[1..];
            let tail = &body[body.len().saturating_sub(8)..];
            if let Ok(value) = HeaderValue::from_bytes(tail) {
                headers.insert(http::header::RETRY_AFTER, value);
            }
            (status, headers, body)
        }
        _ => (StatusCode::OK, headers, data),
    }
}

/// Exercises an outcome the way a caller would: render it and ask the error what it means.
pub fn inspect<T: std::fmt::Debug>(result: Result<T, portone_client::Error>) {
    match result {
        Ok(value) => {
            let _ = format!("{value:?}");
        }
        Err(error) => {
            let _ = (format!("{error}"), format!("{error:?}"));
            let _ = (
                error.may_have_been_processed(),
                error.is_retryable(),
                error.status(),
                error.provider_code(),
                error.retry_after(),
                error.hint(),
            );
        }
    }
}
