//! `decode::auth_token`: what the client runs on every answer to `Client::auth_token`.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (status, headers, body) = common::answer(data);
    common::inspect(portone_client::decode::auth_token(status, &headers, body));
});
