//! Twin and job queries (`POST /devices/query`): the request body, the paging headers and the
//! `devices.jobs` row type.
//!
//! Paging is header-driven: the client resends the same body with `x-ms-continuation` until a
//! response omits it, and `x-ms-item-type` says how to read the rows. The header names live here
//! so the client and the emulator cannot drift apart.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::job::JobType;
use crate::model_error::ModelError;

/// Request header: page size (1–1000).
pub const MAX_ITEM_COUNT_HEADER: &str = "x-ms-max-item-count";
/// Request and response header: opaque token for the next page; absent on the last page.
pub const CONTINUATION_HEADER: &str = "x-ms-continuation";
/// Response header: what the rows are ([`QueryItemType`]).
pub const ITEM_TYPE_HEADER: &str = "x-ms-item-type";

/// `POST /devices/query` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuerySpecification {
    /// The query text, for example `SELECT * FROM devices WHERE status = 'enabled'`.
    pub query: String,
}

impl QuerySpecification {
    /// A body for `query`.
    pub fn new(query: impl Into<String>) -> Self {
        Self {
            query: query.into(),
        }
    }
}

/// Kind of rows in a query response, from the `x-ms-item-type` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QueryItemType {
    /// Whole twins (`SELECT * FROM devices`).
    Twin,
    /// `devices.jobs` rows ([`DeviceJob`]).
    DeviceJob,
    /// Job responses.
    JobResponse,
    /// Projections and aggregates: arbitrary JSON.
    Raw,
}

impl QueryItemType {
    /// The header value.
    pub fn as_str(self) -> &'static str {
        match self {
            QueryItemType::Twin => "twin",
            QueryItemType::DeviceJob => "deviceJob",
            QueryItemType::JobResponse => "jobResponse",
            QueryItemType::Raw => "raw",
        }
    }
}

impl fmt::Display for QueryItemType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for QueryItemType {
    type Err = ModelError;

    /// Parses the header value, ignoring ASCII case and surrounding whitespace.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        [
            QueryItemType::Twin,
            QueryItemType::DeviceJob,
            QueryItemType::JobResponse,
            QueryItemType::Raw,
        ]
        .into_iter()
        .find(|t| t.as_str().eq_ignore_ascii_case(s))
        .ok_or_else(|| ModelError::UnknownItemType {
            value: s.to_owned(),
        })
    }
}

/// A `SELECT * FROM devices.jobs` row: one device's part in a job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceJob {
    /// The device.
    #[serde(default)]
    pub device_id: String,
    /// The job.
    #[serde(default)]
    pub job_id: String,
    /// The job's type.
    #[serde(default)]
    pub job_type: JobType,
    /// This device's progress.
    #[serde(default)]
    pub status: DeviceJobStatus,
    /// When work on this device started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time_utc: Option<String>,
    /// When work on this device ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time_utc: Option<String>,
    /// When the row was created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_date_time_utc: Option<String>,
    /// When the row last changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_updated_date_time_utc: Option<String>,
    /// The result, for method jobs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<DeviceJobOutcome>,
    /// Why this device failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<DeviceJobError>,
}

/// A device's progress in a job. Unrecognised values parse as [`DeviceJobStatus::Unknown`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DeviceJobStatus {
    /// Not started.
    Pending,
    /// Waiting for the job's start time.
    Scheduled,
    /// In progress.
    Running,
    /// Succeeded.
    Completed,
    /// Failed.
    Failed,
    /// Cancelled with the job (the .NET SDK spells it `canceled`; both are read).
    #[serde(alias = "cancelled")]
    Canceled,
    /// Any value this crate does not know.
    #[default]
    #[serde(other)]
    Unknown,
}

/// `outcome` of a [`DeviceJob`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceJobOutcome {
    /// The device's method response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_method_response: Option<DeviceMethodResponse>,
}

/// A device's answer to a job's method call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceMethodResponse {
    /// Status chosen by the device.
    pub status: i32,
    /// The device's JSON answer.
    #[serde(default)]
    pub payload: Value,
}

/// `error` of a [`DeviceJob`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceJobError {
    /// Error code (a name such as `DeviceNotOnline`, or a number as text).
    #[serde(default)]
    pub code: String,
    /// Human-readable reason.
    #[serde(default)]
    pub description: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn item_type_header_values() {
        for t in [
            QueryItemType::Twin,
            QueryItemType::DeviceJob,
            QueryItemType::JobResponse,
            QueryItemType::Raw,
        ] {
            assert_eq!(t.as_str().parse::<QueryItemType>(), Ok(t));
        }
        assert_eq!(" DEVICEJOB ".parse(), Ok(QueryItemType::DeviceJob));
        assert_eq!(
            "table".parse::<QueryItemType>(),
            Err(ModelError::UnknownItemType {
                value: "table".into()
            })
        );
        assert_eq!(
            serde_json::to_value(QuerySpecification::new("SELECT * FROM devices")).unwrap(),
            json!({"query": "SELECT * FROM devices"})
        );
    }

    #[test]
    fn device_job_row() {
        let row = json!({
            "deviceId": "d1", "jobId": "j1", "jobType": "scheduleDeviceMethod", "status": "completed",
            "startTimeUtc": "2024-01-02T03:04:05.1234567Z", "endTimeUtc": "2024-01-02T03:04:06.1234567Z",
            "createdDateTimeUtc": "2024-01-02T03:04:04.1234567Z",
            "lastUpdatedDateTimeUtc": "2024-01-02T03:04:06.1234567Z",
            "outcome": {"deviceMethodResponse": {"status": 200, "payload": {"ok": true}}}
        });
        let job: DeviceJob = serde_json::from_value(row.clone()).unwrap();
        assert_eq!(job.status, DeviceJobStatus::Completed);
        assert_eq!(job.job_type, JobType::ScheduleDeviceMethod);
        assert_eq!(
            job.outcome
                .as_ref()
                .unwrap()
                .device_method_response
                .as_ref()
                .unwrap()
                .status,
            200
        );
        assert_eq!(serde_json::to_value(&job).unwrap(), row);

        let failed: DeviceJob = serde_json::from_value(json!({
            "deviceId": "d2", "jobId": "j1", "jobType": "scheduleUpdateTwin", "status": "cancelled",
            "error": {"code": "DeviceNotOnline", "description": "Timed out waiting for device to connect."}
        }))
        .unwrap();
        assert_eq!(failed.status, DeviceJobStatus::Canceled);
        assert_eq!(failed.error.unwrap().code, "DeviceNotOnline");
        assert_eq!(
            serde_json::to_value(DeviceJobStatus::Canceled).unwrap(),
            json!("canceled")
        );
    }
}
