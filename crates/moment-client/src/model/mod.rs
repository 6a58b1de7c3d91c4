//! Wire types, one file per API area.
//!
//! | module | area |
//! |---|---|
//! | [`common`] | currency, metadata, timestamps, mode, `last_payment_error` |
//! | [`session`] | payment sessions: create request, options, the session object, statuses |
//! | [`payment`] | payments: the payment object, capture and void requests |
//! | [`event`] | webhook events |
//!
//! Everything is re-exported at the crate root.

pub mod common;
pub mod event;
pub mod payment;
pub mod session;

pub use common::{Currency, LastPaymentError, Metadata, Mode, Timestamp};
pub use event::{Event, EventData, EventType};
pub use payment::{
    CapturePayment, CardDetails, Payment, PaymentIntent, PaymentMethodDetails, PaymentMethodType,
    PaymentStatus, VoidPayment,
};
pub use session::{
    CaptureMethod, CardOptions, CheckoutMode, CheckoutOptions, ClientToken, CreatePaymentSession,
    Customer, MandateOptions, MandateType, PaymentMethodOptions, PaymentOutcome, PaymentSession,
    PresentationMode, SESSION_ID_PLACEHOLDER, SessionOptions, SessionPaymentStatus, SessionStatus,
    SessionType,
};
