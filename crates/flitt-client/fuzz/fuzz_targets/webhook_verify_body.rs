//! Fuzzes `webhook::Verifier::verify_body`: any body, under each content type.
#![no_main]

use flitt_client::webhook::Verifier;
use libfuzzer_sys::fuzz_target;

const CONTENT_TYPES: [Option<&str>; 5] = [
    Some("application/json; charset=utf-8"),
    Some("application/x-www-form-urlencoded"),
    Some("text/plain"),
    Some(""),
    None,
];

fuzz_target!(|input: &[u8]| {
    let Some((&first, body)) = input.split_first() else {
        return;
    };
    let verifier = Verifier::new(1_549_901, "test").with_credit_key("testcredit");
    let content_type = CONTENT_TYPES[usize::from(first) % CONTENT_TYPES.len()];
    let _ = verifier.verify_body(content_type, body);
});
