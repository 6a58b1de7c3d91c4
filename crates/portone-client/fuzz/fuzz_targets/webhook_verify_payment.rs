//! `Verifier::verify_payment_webhook` on arbitrary bodies, as sent and re-signed (so the typed
//! parser behind the signature check sees them too).
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use portone_client::SecretString;
use portone_client::webhook::{Signer, Verifier};

fuzz_target!(|data: &[u8]| {
    let secret = SecretString::from("fuzz-secret");
    let verifier = Verifier::new(secret.clone());
    common::inspect(verifier.verify_payment_webhook(data));
    if let Ok(signed) = Signer::new(secret).sign_payment_webhook(data) {
        common::inspect(verifier.verify_payment_webhook(&signed));
    }
});
