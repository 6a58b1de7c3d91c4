//! `Customer::from_response`: the decoder the client runs on every answer of this type.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use session_tokenize_client::model::customer::Customer;

fuzz_target!(|data: &[u8]| {
    let (status, body) = common::status_and_body(data);
    let result = Customer::from_response(status, body);
    // An error status never decodes into a success.
    assert!(status.is_success() || result.is_err());
});
