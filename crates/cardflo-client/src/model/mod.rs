//! Wire types of the Transaction API, one file per area.
//!
//! * Requests have their required fields as constructor arguments and setters for the optional
//!   ones; [`validate`](DebitRequest::validate) checks every documented limit (the client does
//!   it before sending).
//! * Answers are read leniently (the gateway sends numbers as strings, booleans as `"false"`,
//!   objects as arrays) and ignore unknown fields; enums keep unknown values.
//! * Money is [`Amount`] (decimal, major units) — never a float.

mod macros;

mod amount;
mod common;
mod customer;
mod enums;
mod error_code;
mod items;
mod notification;
mod options;
mod return_data;
mod schedule;
mod status;
mod three_d_secure;
mod transaction;

pub use amount::Amount;
pub use common::{ExtraData, Sensitive, Timestamp};
pub use customer::{
    Customer, CustomerData, CustomerProfileData, IbanData, PaymentData, WalletData,
};
pub use enums::{
    CallbackResult, CardUpdateResult, Gender, NetworkTokenStatus, NetworkTokenUpdateResult,
    NotificationSource, PeriodUnit, RedirectType, ReturnType, RiskCheckResult, ScheduleStatus,
    ThreeDSecureMode, TokenType, TransactionIndicator, TransactionStatus, TransactionType,
};
pub use error_code::ErrorCode;
pub use items::{Item, ItemL2L3Data, L2L3Data, TaxDetail};
pub use notification::{
    AccountUpdate, NetworkTokenMetadata, NetworkTokenUpdate, Notification, NotificationKind,
};
pub use options::{OptionEntry, OptionsRequest, OptionsResponse};
pub use return_data::{CardData, IbanReturnData, PhoneData, ReturnData, WalletReturnData};
pub use schedule::{
    ContinueScheduleRequest, Schedule, ScheduleData, ScheduleResponse, StartScheduleRequest,
    UpdateScheduleRequest,
};
pub use status::{ChargebackData, ChargebackReversalData, Reconciliation, StatusResponse};
pub use three_d_secure::ThreeDSecureData;
pub use transaction::{
    CaptureRequest, DebitRequest, DeregisterRequest, IncrementalAuthorizationRequest, PayByLink,
    PayByLinkData, PayoutRequest, PreauthorizeRequest, Redirect, RefundRequest, RegisterRequest,
    RiskCheckData, TransactionError, TransactionOutcome, TransactionRequest, TransactionResponse,
    VoidRequest,
};
