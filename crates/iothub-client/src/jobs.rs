//! Scheduled jobs (`/jobs/v2`): one method call or twin update fanned out by the hub.
//!
//! Jobs are how a fleet operation reaches devices that are offline right now; the hub works
//! through the matching devices at its own pace. The requests are checked with the same rules
//! as their one-device counterparts before they are sent.

use iothub_model::{
    CloudToDeviceMethod, JobRequest, JobResponse, JobType, Twin, TwinSection, validate_method,
    validate_patch,
};
use reqwest::Method;
use serde_json::Value;

use crate::client::{ServiceClient, job_segment};
use crate::error::{Error, Result};
use crate::http::Request;

impl ServiceClient {
    /// `PUT /jobs/v2/{id}`: creates a job. Fails with 409 `JobAlreadyExists` if the id is taken.
    ///
    /// Not retried on 429/503: a retry after a lost response would answer 409.
    pub async fn create_job(&self, job: &JobRequest) -> Result<JobResponse> {
        let path = format!("/jobs/v2/{}", job_segment(&job.job_id)?);
        check_job(job)?;
        let request = Request::new(Method::PUT, path)
            .idempotent(false)
            .json(job)?;
        self.send_json(request).await
    }

    /// Creates a job calling `method` on every device matching `query_condition` (a WHERE
    /// condition such as `deviceId IN ['a','b']`, or `*`), starting now.
    pub async fn schedule_device_method(
        &self,
        job_id: &str,
        query_condition: &str,
        method: &CloudToDeviceMethod,
    ) -> Result<JobResponse> {
        self.create_job(&JobRequest {
            job_id: job_id.to_owned(),
            type_: JobType::ScheduleDeviceMethod,
            cloud_to_device_method: Some(method.clone()),
            update_twin: None,
            query_condition: Some(query_condition.to_owned()),
            start_time: None,
            max_execution_time_in_seconds: None,
        })
        .await
    }

    /// Creates a job applying `patch` (tags and desired properties) to every device matching
    /// `query_condition`, starting now. A missing `etag` is sent as `*`, which the hub requires.
    pub async fn schedule_twin_update(
        &self,
        job_id: &str,
        query_condition: &str,
        patch: &Twin,
    ) -> Result<JobResponse> {
        let mut patch = patch.clone();
        patch.etag.get_or_insert_with(|| "*".to_owned());
        self.create_job(&JobRequest {
            job_id: job_id.to_owned(),
            type_: JobType::ScheduleUpdateTwin,
            cloud_to_device_method: None,
            update_twin: Some(patch),
            query_condition: Some(query_condition.to_owned()),
            start_time: None,
            max_execution_time_in_seconds: None,
        })
        .await
    }

    /// `GET /jobs/v2/{id}`: a job with its progress counters.
    pub async fn get_job(&self, job_id: &str) -> Result<JobResponse> {
        let path = format!("/jobs/v2/{}", job_segment(job_id)?);
        self.send_json(Request::get(path)).await
    }

    /// `POST /jobs/v2/{id}/cancel`: cancels a job. Repeating a cancel is harmless, so this is
    /// retried like a read.
    pub async fn cancel_job(&self, job_id: &str) -> Result<JobResponse> {
        let path = format!("/jobs/v2/{}/cancel", job_segment(job_id)?);
        let request = Request::new(Method::POST, path).idempotent(true);
        self.send_json(request).await
    }
}

fn check_job(job: &JobRequest) -> Result<()> {
    match job.type_ {
        JobType::ScheduleDeviceMethod => {
            let method = job.cloud_to_device_method.as_ref().ok_or_else(|| {
                Error::invalid_input("a scheduleDeviceMethod job needs cloudToDeviceMethod")
            })?;
            validate_method(method).map_err(|e| Error::invalid_input(e.to_string()))?;
        }
        JobType::ScheduleUpdateTwin => {
            let twin = job
                .update_twin
                .as_ref()
                .ok_or_else(|| Error::invalid_input("a scheduleUpdateTwin job needs updateTwin"))?;
            if let Some(tags) = &twin.tags {
                validate_patch(TwinSection::Tags, &Value::Object(tags.clone()))
                    .map_err(|e| Error::invalid_input(e.to_string()))?;
            }
            if !twin.properties.desired.is_null() {
                validate_patch(TwinSection::Desired, &twin.properties.desired)
                    .map_err(|e| Error::invalid_input(e.to_string()))?;
            }
        }
        _ => {}
    }
    if job
        .query_condition
        .as_deref()
        .is_some_and(|c| c.trim().is_empty())
    {
        return Err(Error::invalid_input(
            "the job's query condition is empty; use \"*\" for all devices",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn method_job(method: CloudToDeviceMethod) -> JobRequest {
        JobRequest {
            job_id: "j1".into(),
            type_: JobType::ScheduleDeviceMethod,
            cloud_to_device_method: Some(method),
            update_twin: None,
            query_condition: Some("*".into()),
            start_time: None,
            max_execution_time_in_seconds: None,
        }
    }

    #[test]
    fn jobs_are_checked_like_their_single_device_calls() {
        assert!(check_job(&method_job(CloudToDeviceMethod::new("reboot", json!({})))).is_ok());
        let err =
            check_job(&method_job(CloudToDeviceMethod::new("re boot", json!({})))).unwrap_err();
        assert!(err.to_string().contains("method name"), "{err}");

        let mut job = method_job(CloudToDeviceMethod::new("m", Value::Null));
        job.cloud_to_device_method = None;
        assert!(check_job(&job).is_err());

        let mut job = method_job(CloudToDeviceMethod::new("m", Value::Null));
        job.query_condition = Some("  ".into());
        assert!(check_job(&job).is_err());

        let mut twin = Twin::default();
        twin.properties.desired = json!({"a.b": 1});
        let job = JobRequest {
            type_: JobType::ScheduleUpdateTwin,
            cloud_to_device_method: None,
            update_twin: Some(twin),
            ..method_job(CloudToDeviceMethod::new("m", Value::Null))
        };
        assert!(check_job(&job).is_err());
    }
}
