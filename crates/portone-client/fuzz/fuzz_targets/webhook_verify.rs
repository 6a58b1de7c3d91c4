//! `Verifier::verify` on arbitrary inbound requests: the first byte picks the content type,
//! the bytes up to the first 0x00 are the query string, the rest is the body.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use portone_client::SecretString;
use portone_client::webhook::Verifier;

const CONTENT_TYPES: [Option<&str>; 4] = [
    None,
    Some("application/json"),
    Some("application/x-www-form-urlencoded"),
    Some("text/plain"),
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let (query, body) = match rest.iter().position(|&b| b == 0) {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (&rest[..0], rest),
    };
    let query = String::from_utf8_lossy(query);
    let uri = format!("https://shop.example/hook?{query}");
    let mut builder = http::Request::post(uri.as_str());
    if let Some(ct) = CONTENT_TYPES[usize::from(selector) % CONTENT_TYPES.len()] {
        builder = builder.header(http::header::CONTENT_TYPE, ct);
    }
    let Ok(request) = builder.body(body.to_vec()) else {
        return;
    };
    common::inspect(Verifier::new(SecretString::from("fuzz-secret")).verify(&request));
});
