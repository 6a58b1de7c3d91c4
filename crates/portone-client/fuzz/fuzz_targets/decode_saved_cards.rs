//! `decode::saved_cards`: what the client runs on every answer to `Client::saved_cards`.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (status, headers, body) = common::answer(data);
    common::inspect(portone_client::decode::saved_cards(status, &headers, body));
});
