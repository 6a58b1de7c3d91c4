//! `OptionsResponse::from_response` on arbitrary answers (see `common/answer.rs` for how the input is read).
#![no_main]

#[path = "common/answer.rs"]
mod answer;

use cardflo_client::Operation;
use cardflo_client::model::OptionsResponse;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| answer::run(data, Operation::Options, OptionsResponse::from_response));
