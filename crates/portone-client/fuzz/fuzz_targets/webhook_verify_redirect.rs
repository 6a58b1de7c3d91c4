//! `Verifier::verify_redirect` on arbitrary query strings.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use portone_client::SecretString;
use portone_client::webhook::Verifier;

fuzz_target!(|data: &[u8]| {
    let query = String::from_utf8_lossy(data);
    common::inspect(Verifier::new(SecretString::from("PORTONE_SECRET")).verify_redirect(&query));
});
