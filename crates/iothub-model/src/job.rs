//! Scheduled jobs (`/jobs/v2`): fan-out of a direct method or a twin update to many devices.
//!
//! The CLI creates and follows jobs for fleet operations and the emulator runs them. Job types
//! and statuses include values this project never produces; unknown strings from a newer hub
//! parse as `Unknown` instead of failing the whole response.

use serde::{Deserialize, Serialize};

use crate::method::CloudToDeviceMethod;
use crate::twin::Twin;

pub use crate::id::validate_job_id;

/// `PUT /jobs/v2/{id}` request body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobRequest {
    /// Job id (≤ 64 ASCII letters, digits and `-`); must match the URL.
    #[serde(default)]
    pub job_id: String,
    /// What the job does.
    #[serde(rename = "type", deserialize_with = "crate::lenient::enumeration")]
    pub type_: JobType,
    /// The method to call, for `scheduleDeviceMethod`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_to_device_method: Option<CloudToDeviceMethod>,
    /// The twin patch (tags, desired, `etag`) for `scheduleUpdateTwin`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_twin: Option<Twin>,
    /// A query WHERE condition selecting devices, or `*` for all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_condition: Option<String>,
    /// When to start (ISO 8601); the hub starts it at once when absent or past.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    /// How long the job may run.
    #[serde(
        default,
        deserialize_with = "crate::lenient::opt_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub max_execution_time_in_seconds: Option<u64>,
}

/// `GET /jobs/v2/{id}` response, also the create and cancel response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobResponse {
    /// Job id.
    #[serde(default)]
    pub job_id: String,
    /// Device selection condition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_condition: Option<String>,
    /// When the job was created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_time: Option<String>,
    /// When the job starts or started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    /// When the job ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    /// Time limit.
    #[serde(
        default,
        deserialize_with = "crate::lenient::opt_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub max_execution_time_in_seconds: Option<u64>,
    /// What the job does.
    #[serde(
        rename = "type",
        deserialize_with = "crate::lenient::enumeration",
        default
    )]
    pub type_: JobType,
    /// The method call, for method jobs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_to_device_method: Option<CloudToDeviceMethod>,
    /// The twin patch, for twin jobs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_twin: Option<Twin>,
    /// Current state.
    #[serde(default)]
    pub status: JobStatus,
    /// Why the job failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_reason: Option<String>,
    /// Status details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_message: Option<String>,
    /// Per-device progress counters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_job_statistics: Option<DeviceJobStatistics>,
}

/// Job type (`type` on the wire). Unrecognised values parse as [`JobType::Unknown`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum JobType {
    /// Registry export (v1 jobs).
    Export,
    /// Registry import (v1 jobs).
    Import,
    /// Backup.
    Backup,
    /// Read device properties.
    ReadDeviceProperties,
    /// Write device properties.
    WriteDeviceProperties,
    /// Update device configuration.
    UpdateDeviceConfiguration,
    /// Reboot devices.
    RebootDevice,
    /// Factory-reset devices.
    FactoryResetDevice,
    /// Firmware update.
    FirmwareUpdate,
    /// Call a direct method on each device.
    ScheduleDeviceMethod,
    /// Apply a twin patch to each device.
    ScheduleUpdateTwin,
    /// Restore from backup.
    RestoreFromBackup,
    /// Failover data copy.
    FailoverDataCopy,
    /// `unknown`, or any value this crate does not know.
    #[default]
    #[serde(other)]
    Unknown,
}

impl JobType {
    /// The wire name, for the `jobType` query parameter.
    pub fn as_str(self) -> &'static str {
        match self {
            JobType::Unknown => "unknown",
            JobType::Export => "export",
            JobType::Import => "import",
            JobType::Backup => "backup",
            JobType::ReadDeviceProperties => "readDeviceProperties",
            JobType::WriteDeviceProperties => "writeDeviceProperties",
            JobType::UpdateDeviceConfiguration => "updateDeviceConfiguration",
            JobType::RebootDevice => "rebootDevice",
            JobType::FactoryResetDevice => "factoryResetDevice",
            JobType::FirmwareUpdate => "firmwareUpdate",
            JobType::ScheduleDeviceMethod => "scheduleDeviceMethod",
            JobType::ScheduleUpdateTwin => "scheduleUpdateTwin",
            JobType::RestoreFromBackup => "restoreFromBackup",
            JobType::FailoverDataCopy => "failoverDataCopy",
        }
    }
}

/// Job status. Unrecognised values parse as [`JobStatus::Unknown`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum JobStatus {
    /// Accepted, waiting to be scheduled (older name of `queued`).
    Enqueued,
    /// Running on devices.
    Running,
    /// Finished (some devices may still have failed; see the statistics).
    Completed,
    /// Failed as a whole.
    Failed,
    /// Cancelled by a caller.
    Cancelled,
    /// Waiting for its start time.
    Scheduled,
    /// Accepted, waiting to be scheduled (the create response).
    Queued,
    /// `unknown`, or any value this crate does not know.
    #[default]
    #[serde(other)]
    Unknown,
}

impl JobStatus {
    /// The wire name, for the `jobStatus` query parameter.
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Unknown => "unknown",
            JobStatus::Enqueued => "enqueued",
            JobStatus::Running => "running",
            JobStatus::Completed => "completed",
            JobStatus::Failed => "failed",
            JobStatus::Cancelled => "cancelled",
            JobStatus::Scheduled => "scheduled",
            JobStatus::Queued => "queued",
        }
    }

    /// True once the job can no longer change (`completed`, `failed`, `cancelled`).
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            JobStatus::Completed | JobStatus::Failed | JobStatus::Cancelled
        )
    }
}

/// Per-device progress of a job.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceJobStatistics {
    /// Devices selected by the query condition.
    #[serde(default)]
    pub device_count: u64,
    /// Devices where the operation failed.
    #[serde(default)]
    pub failed_count: u64,
    /// Devices where the operation succeeded.
    #[serde(default)]
    pub succeeded_count: u64,
    /// Devices being processed.
    #[serde(default)]
    pub running_count: u64,
    /// Devices not processed yet.
    #[serde(default)]
    pub pending_count: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    #[test]
    fn job_created_sample_round_trips() {
        let text = r#"{"jobId":"job01","type":"scheduleDeviceMethod","status":"queued"}"#;
        let job: JobResponse = serde_json::from_str(text).unwrap();
        assert_eq!(job.job_id, "job01");
        assert_eq!(job.type_, JobType::ScheduleDeviceMethod);
        assert_eq!(job.status, JobStatus::Queued);
        assert_eq!(
            serde_json::to_value(&job).unwrap(),
            serde_json::from_str::<Value>(text).unwrap()
        );
    }

    #[test]
    fn create_request_sample_round_trips() {
        let sample = json!({"jobId":"job01","type":"scheduleDeviceMethod",
            "cloudToDeviceMethod":{"methodName":"testMethod","payload":{},"responseTimeoutInSeconds":30,"connectTimeoutInSeconds":15},
            "queryCondition":"*","startTime":"2019-05-04T15:53:00.077Z","maxExecutionTimeInSeconds":20});
        let request: JobRequest = serde_json::from_value(sample.clone()).unwrap();
        let method = request.cloud_to_device_method.as_ref().unwrap();
        assert_eq!(method.connect_timeout_secs(), 15);
        assert_eq!(request.max_execution_time_in_seconds, Some(20));
        assert_eq!(serde_json::to_value(&request).unwrap(), sample);

        let twin_job: JobRequest = serde_json::from_value(json!({
            "jobId": "t1", "type": "scheduleUpdateTwin", "queryCondition": "deviceId IN ['a','b']",
            "updateTwin": {"properties": {"desired": {"x": 1}}, "tags": {"t": 1}, "etag": "*"}
        }))
        .unwrap();
        assert_eq!(twin_job.update_twin.unwrap().etag.as_deref(), Some("*"));
    }

    #[test]
    fn every_job_type_and_status_uses_its_wire_name() {
        for t in [
            JobType::Unknown,
            JobType::Export,
            JobType::Import,
            JobType::Backup,
            JobType::ReadDeviceProperties,
            JobType::WriteDeviceProperties,
            JobType::UpdateDeviceConfiguration,
            JobType::RebootDevice,
            JobType::FactoryResetDevice,
            JobType::FirmwareUpdate,
            JobType::ScheduleDeviceMethod,
            JobType::ScheduleUpdateTwin,
            JobType::RestoreFromBackup,
            JobType::FailoverDataCopy,
        ] {
            assert_eq!(serde_json::to_value(t).unwrap(), json!(t.as_str()));
            assert_eq!(
                serde_json::from_value::<JobType>(json!(t.as_str())).unwrap(),
                t
            );
        }
        for s in [
            JobStatus::Unknown,
            JobStatus::Enqueued,
            JobStatus::Running,
            JobStatus::Completed,
            JobStatus::Failed,
            JobStatus::Cancelled,
            JobStatus::Scheduled,
            JobStatus::Queued,
        ] {
            assert_eq!(serde_json::to_value(s).unwrap(), json!(s.as_str()));
            assert_eq!(
                serde_json::from_value::<JobStatus>(json!(s.as_str())).unwrap(),
                s
            );
        }
        assert!(JobStatus::Cancelled.is_terminal());
        assert!(!JobStatus::Running.is_terminal());
    }

    #[test]
    fn unknown_values_are_tolerated() {
        let job: JobResponse = serde_json::from_value(json!({
            "jobId": "j", "type": "somethingNew", "status": "paused",
            "deviceJobStatistics": {"deviceCount": 3, "succeededCount": 2, "futureCount": 9},
            "newField": true
        }))
        .unwrap();
        assert_eq!(job.type_, JobType::Unknown);
        assert_eq!(job.status, JobStatus::Unknown);
        assert_eq!(job.device_job_statistics.unwrap().succeeded_count, 2);
    }
}
