//! Fuzzes `auth::verify_response`: any status and body.
#![no_main]

use flitt_client::SecretString;
use flitt_client::auth::verify_response;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let Some((&first, body)) = input.split_first() else {
        return;
    };
    let status = if first & 1 == 0 {
        http::StatusCode::OK
    } else {
        http::StatusCode::BAD_GATEWAY
    };
    let _ = verify_response(&SecretString::from("test"), status, body);
});
