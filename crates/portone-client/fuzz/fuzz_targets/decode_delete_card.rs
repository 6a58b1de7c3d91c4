//! `decode::delete_card`: what the client runs on every answer to `Client::delete_card`.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (status, headers, body) = common::answer(data);
    common::inspect(portone_client::decode::delete_card(status, &headers, body));
});
