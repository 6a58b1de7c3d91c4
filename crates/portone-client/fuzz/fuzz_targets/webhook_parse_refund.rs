//! `webhook::parse_refund_webhook` (refund webhooks are unsigned) on arbitrary bodies.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::inspect(portone_client::webhook::parse_refund_webhook(data));
});
