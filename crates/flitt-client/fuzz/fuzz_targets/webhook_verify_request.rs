//! Fuzzes `webhook::Verifier::verify` with whole requests: a `POST` with any body and
//! content type, or a `GET` whose query (the browser return) is any bytes, percent-encoded
//! where a URI requires it.
#![no_main]

use flitt_client::webhook::Verifier;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let Some((&first, rest)) = input.split_first() else {
        return;
    };
    let verifier = Verifier::new(1_549_901, "test");
    let request = match first % 3 {
        0 => {
            // The first line of the rest is the content type, the remainder the body.
            let split = rest.iter().position(|b| *b == b'\n').unwrap_or(0);
            let (content_type, body) = rest.split_at(split);
            let mut builder = http::Request::post("/flitt/callback");
            if let Ok(value) = http::HeaderValue::from_bytes(content_type) {
                builder = builder.header(http::header::CONTENT_TYPE, value);
            }
            builder.body(body.get(1..).unwrap_or_default().to_vec())
        }
        1 => {
            let query: String = rest
                .iter()
                .map(|b| {
                    if b.is_ascii_alphanumeric() || b"=&-_.~%+".contains(b) {
                        char::from(*b).to_string()
                    } else {
                        format!("%{b:02X}")
                    }
                })
                .collect();
            http::Request::get(format!("/flitt/return?{query}")).body(Vec::new())
        }
        _ => http::Request::put("/flitt/callback").body(rest.to_vec()),
    };
    if let Ok(request) = request {
        let _ = verifier.verify(&request);
    }
});
