//! Automatic device management (`/configurations`): configurations the hub keeps applied to
//! every twin matching a target condition, and their metrics.
//!
//! Ids and content paths are checked with the hub's rules before anything is sent. Updates send
//! the whole configuration back (the hub only takes labels, priority, targetCondition and
//! metrics from it; content is immutable).

use iothub_model::configuration::check_device_content;
use iothub_model::{
    Configuration, ConfigurationContent, ConfigurationQueriesTestInput,
    ConfigurationQueriesTestResponse, validate_configuration_id,
};
use reqwest::Method;

use crate::IfMatch;
use crate::client::{ServiceClient, device_segment, with_if_match};
use crate::error::{Error, Result};
use crate::http::{Request, segment};

fn configuration_path(id: &str) -> Result<String> {
    validate_configuration_id(id).map_err(|e| Error::invalid_input(e.to_string()))?;
    Ok(format!("/configurations/{}", segment(id)))
}

fn check_content(content: &ConfigurationContent) -> Result<()> {
    if let Some(device) = &content.device_content {
        check_device_content(device).map_err(Error::invalid_input)?;
    }
    Ok(())
}

impl ServiceClient {
    /// `PUT /configurations/{id}` without `If-Match`: creates `configuration`. Fails with 409
    /// if the id is taken.
    ///
    /// Not retried on 429/503 (a retry after a lost response would answer 409).
    pub async fn create_configuration(
        &self,
        configuration: &Configuration,
    ) -> Result<Configuration> {
        let path = configuration_path(&configuration.id)?;
        check_content(&configuration.content)?;
        let request = Request::new(Method::PUT, path)
            .idempotent(false)
            .json(configuration)?;
        self.send_json(request).await
    }

    /// `PUT /configurations/{id}` with `If-Match`: updates labels, priority, targetCondition
    /// and metrics of an existing configuration.
    pub async fn update_configuration(
        &self,
        configuration: &Configuration,
        if_match: IfMatch,
    ) -> Result<Configuration> {
        let path = configuration_path(&configuration.id)?;
        let request =
            with_if_match(Request::new(Method::PUT, path), &if_match)?.json(configuration)?;
        self.send_json(request).await
    }

    /// `GET /configurations/{id}`.
    pub async fn get_configuration(&self, id: &str) -> Result<Configuration> {
        self.send_json(Request::get(configuration_path(id)?)).await
    }

    /// `GET /configurations?top=`: every configuration (oldest first), or the first `top`.
    pub async fn list_configurations(&self, top: Option<u32>) -> Result<Vec<Configuration>> {
        let mut request = Request::get("/configurations".to_owned());
        if let Some(top) = top {
            request = request.query("top", top.to_string());
        }
        self.send_json(request).await
    }

    /// `DELETE /configurations/{id}`; [`IfMatch::Any`] deletes unconditionally. Twins keep
    /// the desired properties it wrote.
    pub async fn delete_configuration(&self, id: &str, if_match: IfMatch) -> Result<()> {
        let request = with_if_match(
            Request::new(Method::DELETE, configuration_path(id)?),
            &if_match,
        )?;
        self.send_empty(request).await
    }

    /// `POST /configurations/testQueries`: asks the hub whether a target condition and metric
    /// queries are valid, without storing anything.
    pub async fn test_configuration_queries(
        &self,
        input: &ConfigurationQueriesTestInput,
    ) -> Result<ConfigurationQueriesTestResponse> {
        // A check that stores nothing: not a write for the audit trail's observer.
        let request = Request::new(Method::POST, "/configurations/testQueries".to_owned())
            .idempotent(true)
            .read_only()
            .json(input)?;
        self.send_json(request).await
    }

    /// `POST /devices/{id}/applyConfigurationContent`: applies edge `modulesContent` (or
    /// `deviceContent`) to one device now.
    pub async fn apply_configuration_content(
        &self,
        device_id: &str,
        content: &ConfigurationContent,
    ) -> Result<()> {
        check_content(content)?;
        let path = format!(
            "/devices/{}/applyConfigurationContent",
            device_segment(device_id)?
        );
        let request = Request::new(Method::POST, path)
            .idempotent(true)
            .json(content)?;
        self.send_empty(request).await
    }
}
