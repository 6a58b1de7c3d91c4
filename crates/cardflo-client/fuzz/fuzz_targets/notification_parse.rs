//! `webhook::parse` (what the verifier runs after a valid signature) on arbitrary bodies.
#![no_main]

use cardflo_client::webhook::parse;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match parse(data) {
        Ok(notification) => {
            let _ = (format!("{notification:?}"), notification.kind());
            let _ = (notification.account_update(), notification.network_token());
        }
        Err(error) => {
            let _ = (format!("{error}"), format!("{error:?}"));
        }
    }
});
