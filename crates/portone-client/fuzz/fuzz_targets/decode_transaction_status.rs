//! `decode::transaction_status`: what the client runs on every answer to `Client::transaction_status`.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (status, headers, body) = common::answer(data);
    common::inspect(portone_client::decode::transaction_status(status, &headers, body));
});
