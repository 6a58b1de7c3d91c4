//! `moment_client::decode::capture_payment`: the status, headers and body of an answer.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common/mod.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    if let Some(answer) = common::split(data) {
        let outcome = moment_client::decode::capture_payment(answer.status, &answer.headers, answer.body);
        common::check(answer.status, outcome);
    }
});
