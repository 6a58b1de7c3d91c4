//! `moment_client::decode::retrieve_payment_session`: the status, headers and body of an answer.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common/mod.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    if let Some(answer) = common::split(data) {
        let outcome = moment_client::decode::retrieve_payment_session(answer.status, &answer.headers, answer.body);
        common::check(answer.status, outcome);
    }
});
