//! `Verifier::verify`: check the `X-API-Key`, then parse the callback.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use session_tokenize_client::webhook::{Event, Verifier, sign_notification};

fuzz_target!(|data: &[u8]| {
    let (key, body) = common::key_and_body(data);
    let verifier = Verifier::new(common::KEY);
    let result = verifier.verify(&sign_notification(&key, body.to_vec()));
    if key == common::KEY {
        // With the right key, verification is exactly parsing.
        assert_eq!(result.is_ok(), Event::parse(body).is_ok());
    } else {
        // Any other key is rejected, whatever the body.
        assert!(result.is_err());
    }
});
