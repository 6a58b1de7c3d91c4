//! Schedules (recurring charges of a registered instrument): the schedule object of a
//! transaction, the schedule API's requests and its answer.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::amount::Amount;
use super::common::{
    Timestamp, check_date_time_zone, date_time_zone, format_date_time_zone, opt_timestamp,
};
use super::enums::{PeriodUnit, ScheduleStatus};
use super::macros::setters;
use crate::error::Error;
use crate::validate;

fn check_period(prefix: &str, length: Option<u32>, unit: Option<&PeriodUnit>) -> Result<(), Error> {
    // Error 7090: "period length must be > 0 and < 365".
    validate::range(
        validate::path(prefix, "periodLength"),
        length.map(u64::from),
        1,
        364,
    )?;
    if let Some(unit) = unit {
        validate::known(
            validate::path(prefix, "periodUnit"),
            Some(unit.as_str()),
            unit.is_unknown(),
        )?;
    }
    Ok(())
}

/// `schedule` of a debit, preauthorize or register: charge the registered instrument every
/// `periodLength` `periodUnit`s.
///
/// ```
/// use cardflo_client::model::{PeriodUnit, Schedule};
/// let schedule = Schedule::new("9.99".parse()?, "EUR", 1, PeriodUnit::Month)
///     .start_date_time(time::macros::datetime!(2019-09-30 01:00 UTC));
/// assert_eq!(
///     serde_json::to_value(&schedule)?,
///     serde_json::json!({"amount": "9.99", "currency": "EUR", "periodLength": 1, "periodUnit": "MONTH", "startDateTime": "2019-09-30T01:00:00+00:00"})
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Schedule {
    /// The amount of each charge.
    pub amount: Amount,
    /// 3-letter currency code.
    pub currency: String,
    /// Period length (1–364).
    pub period_length: u32,
    /// Period unit.
    pub period_unit: PeriodUnit,
    /// First charge, sent in UTC as `YYYY-MM-DDTHH:MM:SS+00:00`.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "date_time_zone::serialize"
    )]
    pub start_date_time: Option<OffsetDateTime>,
}

impl Schedule {
    /// A schedule charging `amount` every `period_length` `period_unit`s.
    pub fn new(
        amount: Amount,
        currency: impl Into<String>,
        period_length: u32,
        period_unit: PeriodUnit,
    ) -> Self {
        Self {
            amount,
            currency: currency.into(),
            period_length,
            period_unit,
            start_date_time: None,
        }
    }

    pub(crate) fn validate(&self, prefix: &str) -> Result<(), Error> {
        validate::currency(validate::path(prefix, "currency"), &self.currency)?;
        check_period(prefix, Some(self.period_length), Some(&self.period_unit))?;
        if let Some(t) = &self.start_date_time {
            check_date_time_zone(validate::path(prefix, "startDateTime"), t)?;
        }
        Ok(())
    }
}

setters!(Schedule {
    /// Sets `startDateTime`.
    start_date_time: OffsetDateTime,
});

/// `scheduleData` of an answer or notification.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ScheduleData {
    /// `scheduleId`.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub schedule_id: Option<String>,
    /// `scheduleStatus` (sent in either case).
    #[serde(default)]
    pub schedule_status: Option<ScheduleStatus>,
    /// `scheduledAt`: the next charge.
    #[serde(default, deserialize_with = "opt_timestamp")]
    pub scheduled_at: Option<Timestamp>,
    /// `merchantMetaData`.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub merchant_meta_data: Option<String>,
}

/// Starts a schedule on a registered instrument. Sent with
/// [`Client::start_schedule`](crate::Client::start_schedule).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct StartScheduleRequest {
    /// `registrationUuid`: the `uuid` of a register, debit-with-register or
    /// preauthorize-with-register.
    pub registration_uuid: String,
    /// The amount of each charge.
    pub amount: Amount,
    /// 3-letter currency code.
    pub currency: String,
    /// Period length (1–364).
    pub period_length: u32,
    /// Period unit.
    pub period_unit: PeriodUnit,
    /// First charge, sent in UTC as `YYYY-MM-DDTHH:MM:SS+00:00`.
    #[serde(serialize_with = "serialize_required_date_time")]
    pub start_date_time: OffsetDateTime,
    /// `merchantMetaData` (≤ 255).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merchant_meta_data: Option<String>,
    /// `callbackUrl`: where notifications of the charges go, instead of the register's URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<String>,
}

fn serialize_required_date_time<S: serde::Serializer>(
    value: &OffsetDateTime,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&format_date_time_zone(*value))
}

impl StartScheduleRequest {
    /// A schedule with its required fields.
    pub fn new(
        registration_uuid: impl Into<String>,
        amount: Amount,
        currency: impl Into<String>,
        period_length: u32,
        period_unit: PeriodUnit,
        start_date_time: OffsetDateTime,
    ) -> Self {
        Self {
            registration_uuid: registration_uuid.into(),
            amount,
            currency: currency.into(),
            period_length,
            period_unit,
            start_date_time,
            merchant_meta_data: None,
            callback_url: None,
        }
    }

    /// Checks every documented limit; the client calls this before sending.
    pub fn validate(&self) -> Result<(), Error> {
        validate::length("registrationUuid", &self.registration_uuid, 1, 50)?;
        validate::currency("currency", &self.currency)?;
        check_period("", Some(self.period_length), Some(&self.period_unit))?;
        check_date_time_zone("startDateTime", &self.start_date_time)?;
        validate::opt_length(
            "merchantMetaData",
            self.merchant_meta_data.as_deref(),
            0,
            255,
        )?;
        validate::url("callbackUrl", self.callback_url.as_deref())
    }
}

setters!(StartScheduleRequest {
    /// Sets `merchantMetaData`.
    merchant_meta_data: String,
    /// Sets `callbackUrl`.
    callback_url: String,
});

/// Changes a schedule: send only the fields to change. Sent with
/// [`Client::update_schedule`](crate::Client::update_schedule).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UpdateScheduleRequest {
    /// `registrationUuid`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registration_uuid: Option<String>,
    /// The amount of each charge.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<Amount>,
    /// 3-letter currency code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Period length (1–364).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period_length: Option<u32>,
    /// Period unit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period_unit: Option<PeriodUnit>,
    /// Next charge, sent in UTC as `YYYY-MM-DDTHH:MM:SS+00:00`.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "date_time_zone::serialize"
    )]
    pub start_date_time: Option<OffsetDateTime>,
    /// `callbackUrl`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<String>,
}

impl UpdateScheduleRequest {
    /// An update that changes nothing yet; set the fields to change.
    pub fn new() -> Self {
        Self::default()
    }

    /// Checks every documented limit, and that something is changed.
    pub fn validate(&self) -> Result<(), Error> {
        if *self == Self::default() {
            return Err(Error::invalid_request(
                "",
                "an update must change at least one field",
            ));
        }
        validate::opt_length("registrationUuid", self.registration_uuid.as_deref(), 1, 50)?;
        validate::opt_currency("currency", self.currency.as_deref())?;
        check_period("", self.period_length, self.period_unit.as_ref())?;
        if let Some(t) = &self.start_date_time {
            check_date_time_zone("startDateTime", t)?;
        }
        validate::url("callbackUrl", self.callback_url.as_deref())
    }
}

setters!(UpdateScheduleRequest {
    /// Sets `registrationUuid`.
    registration_uuid: String,
    /// Sets `amount`.
    amount: Amount,
    /// Sets `currency`.
    currency: String,
    /// Sets `periodLength`.
    period_length: u32,
    /// Sets `periodUnit`.
    period_unit: PeriodUnit,
    /// Sets `startDateTime`.
    start_date_time: OffsetDateTime,
    /// Sets `callbackUrl`.
    callback_url: String,
});

/// Continues a paused schedule. Sent with
/// [`Client::continue_schedule`](crate::Client::continue_schedule).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ContinueScheduleRequest {
    /// The next charge, sent in UTC as `YYYY-MM-DDTHH:MM:SS+00:00`.
    #[serde(serialize_with = "serialize_required_date_time")]
    pub continue_date_time: OffsetDateTime,
}

impl ContinueScheduleRequest {
    /// Continue with the next charge at `continue_date_time`.
    pub fn new(continue_date_time: OffsetDateTime) -> Self {
        Self { continue_date_time }
    }

    /// Checks the date.
    pub fn validate(&self) -> Result<(), Error> {
        check_date_time_zone("continueDateTime", &self.continue_date_time)
    }
}

/// The answer of every schedule operation.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ScheduleResponse {
    /// `success`.
    #[serde(default, deserialize_with = "crate::de::opt_bool")]
    pub success: Option<bool>,
    /// `scheduleId`.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub schedule_id: Option<String>,
    /// `registrationUuid` (also read from `registrationId`).
    #[serde(
        default,
        alias = "registrationId",
        deserialize_with = "crate::de::opt_string"
    )]
    pub registration_uuid: Option<String>,
    /// `oldStatus`: the status before the request.
    #[serde(default)]
    pub old_status: Option<ScheduleStatus>,
    /// `newStatus`: the status after the request.
    #[serde(default)]
    pub new_status: Option<ScheduleStatus>,
    /// `scheduledAt`: the next charge.
    #[serde(default, deserialize_with = "opt_timestamp")]
    pub scheduled_at: Option<Timestamp>,
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_sent_in_utc_with_an_explicit_offset() {
        let request = StartScheduleRequest::new(
            "abcde12345abcde12345",
            "9.99".parse().unwrap(),
            "EUR",
            6,
            PeriodUnit::Month,
            time::macros::datetime!(2019-09-30 03:00 +02:00),
        );
        let json = serde_json::to_value(&request).unwrap();
        assert_eq!(json["startDateTime"], "2019-09-30T01:00:00+00:00");
        let cont = ContinueScheduleRequest::new(time::macros::datetime!(2019-09-30 01:00 UTC));
        assert_eq!(
            serde_json::to_string(&cont).unwrap(),
            r#"{"continueDateTime":"2019-09-30T01:00:00+00:00"}"#
        );
    }

    #[test]
    fn period_limits_are_validated() {
        let start = |length| {
            StartScheduleRequest::new(
                "r",
                "1".parse().unwrap(),
                "EUR",
                length,
                PeriodUnit::Day,
                time::OffsetDateTime::UNIX_EPOCH,
            )
            .validate()
        };
        assert!(start(1).is_ok());
        assert!(start(364).is_ok());
        assert!(start(0).is_err());
        assert!(start(365).is_err());
        assert!(UpdateScheduleRequest::new().validate().is_err());
        assert!(
            UpdateScheduleRequest::new()
                .period_unit(PeriodUnit::Year)
                .validate()
                .is_ok()
        );
        assert!(
            UpdateScheduleRequest::new()
                .period_unit(PeriodUnit::parse("FORTNIGHT"))
                .validate()
                .is_err()
        );
    }
}
