//! Input layouts shared by the targets.
#![allow(dead_code)]

use http::StatusCode;

/// The Callback API Key the webhook target verifies against.
pub const KEY: &str = "callback-api-key-from-the-dashboard";

const STATUSES: [u16; 12] = [200, 201, 204, 400, 401, 403, 404, 409, 429, 500, 502, 503];

/// A first byte below 0x20 picks the HTTP status and the rest is the body; otherwise the whole
/// input is the body of a `200` (so the documented examples seed the corpus as they are).
pub fn status_and_body(data: &[u8]) -> (StatusCode, &[u8]) {
    match data.split_first() {
        Some((&selector, rest)) if selector < 0x20 => {
            let status = STATUSES[usize::from(selector) % STATUSES.len()];
            (StatusCode::from_u16(status).unwrap_or(StatusCode::OK), rest)
        }
        _ => (StatusCode::OK, data),
    }
}

/// A first byte `0x01` followed by a length `n` and `n` key bytes sends that key; anything
/// else sends the right key with the whole input as the body.
pub fn key_and_body(data: &[u8]) -> (String, &[u8]) {
    if let [0x01, len, rest @ ..] = data {
        let len = usize::from(*len).min(rest.len());
        let (key, body) = rest.split_at(len);
        return (String::from_utf8_lossy(key).into_owned(), body);
    }
    (KEY.to_owned(), data)
}
