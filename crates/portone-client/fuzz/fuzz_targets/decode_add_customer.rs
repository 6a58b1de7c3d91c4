//! `decode::add_customer`: what the client runs on every answer to `Client::add_customer`.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (status, headers, body) = common::answer(data);
    common::inspect(portone_client::decode::add_customer(status, &headers, body));
});
