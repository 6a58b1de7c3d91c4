//! `moment_client::webhook::Verifier::verify`: the three `webhook-*` headers and the raw body.
//!
//! Half the inputs are signed correctly (so that the parser behind the signature check is
//! reached with any body): they must verify, then parse or be a decode error. The other half
//! carry the fuzzer's own headers: they must be rejected as a webhook error.
#![no_main]

use std::time::{Duration, SystemTime};

use libfuzzer_sys::fuzz_target;
use moment_client::webhook::{self, Verifier};
use moment_client::{Error, SecretString};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const NOW: u64 = 1_700_000_000;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let secret = SecretString::from(SECRET);
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(NOW);
    let verifier = Verifier::new(&secret)
        .expect("a valid secret")
        .clock(move || now);
    if mode % 2 == 0 {
        let request = webhook::sign_notification(&secret, "msg_fuzz", now, rest.to_vec())
            .expect("a valid secret and id");
        match verifier.verify(&request) {
            Ok(event) => assert_eq!(event.webhook_id, "msg_fuzz"),
            Err(Error::Decode(e)) => {
                let _ = format!("{e} {e:?}");
            }
            Err(other) => panic!("a correctly signed body was refused: {other:?}"),
        }
        return;
    }
    // `[id length, timestamp length, signature length, id…, timestamp…, signature…, body…]`.
    let [id_len, timestamp_len, signature_len, rest @ ..] = rest else {
        return;
    };
    let mut rest = rest;
    let mut take = |len: u8| {
        let (head, tail) = rest.split_at(usize::from(len).min(rest.len()));
        rest = tail;
        head
    };
    let id = take(*id_len);
    let timestamp = take(*timestamp_len);
    let signature = take(*signature_len);
    let mut builder = http::Request::builder().method("POST").uri("/webhooks/moment");
    for (name, value) in [
        ("webhook-id", id),
        ("webhook-timestamp", timestamp),
        ("webhook-signature", signature),
    ] {
        if let Ok(value) = http::HeaderValue::from_bytes(value) {
            builder = builder.header(name, value);
        }
    }
    let Ok(request) = builder.body(rest.to_vec()) else {
        return;
    };
    match verifier.verify(&request) {
        Err(Error::Webhook(_)) => {}
        other => panic!("unsigned input accepted: {other:?}"),
    }
});
