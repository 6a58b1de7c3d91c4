//! `Event::parse`: a callback body read without verification.
#![no_main]

use libfuzzer_sys::fuzz_target;
use session_tokenize_client::webhook::Event;

fuzz_target!(|data: &[u8]| {
    if let Ok(event) = Event::parse(data) {
        // An unknown event or status is never a paid session.
        if let Some(session) = event.payment_session()
            && session.is_paid()
        {
            assert!(session.status.as_str().eq_ignore_ascii_case("PAID"));
        }
    }
});
