//! What every command gets: the printer, the global options, and the hub connection, resolved
//! the first time a command asks for it.
//!
//! Commands that never talk to the hub (`completions`, `profile`, `--help`) therefore never read
//! the config file, and commands that do read it at most once.

use std::sync::OnceLock;

use iothub_client::{ClientBuilder, ServiceClient};

/// `client`, leaving throttled answers (429) to the fleet run's retry layer.
pub fn fleet_client(client: &ServiceClient) -> ServiceClient {
    client.with_retry_policy(client.retry_policy().clone().retry_throttled(false))
}

use crate::config::{self, Connection, ConnectionInputs};
use crate::exit::CliError;
use crate::printer::Printer;

/// Shared state of one `dmctl` run.
#[derive(Debug)]
pub struct Context {
    /// Owns stdout, stderr and progress.
    pub printer: Printer,
    /// What the command line and environment say about the connection.
    pub inputs: ConnectionInputs,
    /// `--yes`.
    pub yes: bool,
    /// The resolved connection, once a command has asked for it.
    connection: OnceLock<Connection>,
    /// The service client, once a command has asked for it.
    client: OnceLock<ServiceClient>,
}

impl Context {
    /// A context; nothing is resolved yet.
    pub fn new(printer: Printer, inputs: ConnectionInputs, yes: bool) -> Self {
        Self {
            printer,
            inputs,
            yes,
            connection: OnceLock::new(),
            client: OnceLock::new(),
        }
    }

    /// The hub connection (flag > env > profile), resolved on first use.
    pub fn connection(&self) -> Result<&Connection, CliError> {
        if let Some(connection) = self.connection.get() {
            return Ok(connection);
        }
        let resolved = config::resolve(&self.inputs)?;
        Ok(self.connection.get_or_init(|| resolved))
    }

    /// The service client for the resolved connection (with its extra CA), built on first
    /// use. Building it does no network I/O.
    pub fn client(&self) -> Result<&ServiceClient, CliError> {
        if let Some(client) = self.client.get() {
            return Ok(client);
        }
        let connection = self.connection()?;
        let mut builder = ClientBuilder::from_parsed(&connection.connection_string)
            .map_err(|e| {
                CliError::from(e).context(format!("connection string from {}", connection.source))
            })?
            .user_agent_suffix(format!("dmctl/{}", env!("CARGO_PKG_VERSION")));
        if let Some(pem) = connection.ca_pem()? {
            builder = builder.add_root_ca_pem(&pem);
        }
        if let Some(endpoint) = std::env::var(crate::env_vars::DMCTL_HUB_ENDPOINT)
            .ok()
            .filter(|e| !e.is_empty())
        {
            let url = url::Url::parse(&endpoint).map_err(|e| {
                CliError::usage(format!(
                    "{} is not a URL: {e}",
                    crate::env_vars::DMCTL_HUB_ENDPOINT
                ))
            })?;
            builder = builder.endpoint(url);
        }
        // Every write this client sends is recorded first: the one place dmctl's calls leave.
        let audit = crate::audit::AuditLog::new(
            crate::audit::default_path()?,
            &connection.connection_string.host_name,
        );
        builder = builder.write_observer(std::sync::Arc::new(audit));
        let client = builder.build().map_err(CliError::from)?;
        Ok(self.client.get_or_init(|| client))
    }

    /// The client a command working on `target` uses: the plain [`Self::client`] for one
    /// device; for a fleet, a handle on the same connections that returns throttled answers
    /// at once, because the fleet run ([`crate::fleet`]) is the one layer that retries them,
    /// pausing every device. Stacked, the client's attempts would multiply under the fleet's
    /// rounds (up to 35 requests per device on a throttled hub).
    pub fn client_for(&self, target: &crate::fleet::TargetArgs) -> Result<ServiceClient, CliError> {
        let client = self.client()?;
        Ok(if target.single().is_some() {
            client.clone()
        } else {
            fleet_client(client)
        })
    }

    /// Starts a fleet run over a command's target (running `--query` through the hub; with
    /// `--resume`, the interrupted run's devices not reached yet).
    pub async fn start_fleet_run(
        &self,
        target: &crate::fleet::TargetArgs,
    ) -> Result<crate::fleet::FleetRun, CliError> {
        let hub = self.client()?.host_name().to_owned();
        target
            .start_run(&self.printer, &hub, |query| self.query_device_ids(query))
            .await
    }

    /// The device ids a `SELECT deviceId FROM devices ...` query returns (all pages).
    async fn query_device_ids(&self, query: String) -> Result<Vec<String>, CliError> {
        crate::dm::hub::query_device_ids(self.client()?, &query).await
    }

    /// Resolves a command's target to device ids (running `--query` through the hub).
    pub async fn resolve_targets(
        &self,
        target: &crate::fleet::TargetArgs,
    ) -> Result<Vec<String>, CliError> {
        target.resolve(|query| self.query_device_ids(query)).await
    }
}
