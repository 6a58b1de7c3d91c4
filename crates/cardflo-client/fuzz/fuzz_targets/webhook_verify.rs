//! `Verifier::verify_parts` (what `verify` runs) on arbitrary requests.
//!
//! The first byte picks the mode. Even: the input is split at `\n` into signature, date,
//! content type, request URI and body, sent as they are (the signature check must reject
//! them without panicking). Odd: the rest is a body signed correctly, so the parser behind
//! the verifier runs on it.
#![no_main]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cardflo_client::SecretString;
use cardflo_client::error::WebhookError;
use cardflo_client::webhook::{Verifier, sign_notification};
use cardflo_client::Error;
use http::{HeaderMap, HeaderValue, Method};
use libfuzzer_sys::fuzz_target;

const SECRET: &str = "my-shared-secret";

fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_595_337_303)
}

fuzz_target!(|data: &[u8]| {
    let verifier = Verifier::new(SecretString::from(SECRET)).clock(now);
    let Some((mode, rest)) = data.split_first() else {
        return;
    };
    if mode % 2 == 1 {
        let Ok(request) = sign_notification(
            &SecretString::from(SECRET),
            "/callback?order=1",
            rest.to_vec(),
            now(),
        ) else {
            return;
        };
        match verifier.verify(&request) {
            Ok(notification) => {
                let _ = format!("{notification:?}");
            }
            Err(Error::Webhook(e)) => {
                assert!(
                    matches!(*e, WebhookError::Payload { .. }),
                    "a correctly signed request failed verification: {e:?}"
                );
            }
            Err(other) => panic!("unexpected error kind: {other:?}"),
        }
        return;
    }
    let mut parts = rest.splitn(5, |b| *b == b'\n');
    let (signature, date, content_type, uri, body) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    );
    let mut headers = HeaderMap::new();
    for (name, value) in [
        ("x-signature", signature),
        ("date", date),
        ("x-date", date),
        ("content-type", content_type),
    ] {
        if let Ok(value) = HeaderValue::from_bytes(value) {
            headers.insert(name, value);
        }
    }
    let uri = String::from_utf8_lossy(uri);
    let method = if mode & 2 == 0 { Method::POST } else { Method::GET };
    match verifier.verify_parts(&method, &uri, &headers, body) {
        Ok(_) => {}
        Err(error) => {
            let _ = (format!("{error}"), format!("{error:?}"));
            assert!(matches!(error, Error::Webhook(_)), "unexpected error kind");
        }
    }
});
