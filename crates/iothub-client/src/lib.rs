//! Async client for the Azure IoT Hub service REST API: registry, twins, direct methods, queries,
//! jobs.
//!
//! [`ServiceClient`] covers the data-plane operations an operator tool needs: device and module
//! identities (one by one and in bulk), device and module twins, direct methods, twin and job
//! queries with continuation paging, scheduled jobs (v2) and registry statistics. It sits on
//! [`iothub_auth`] for SAS tokens and [`iothub_model`] for the wire types, which are re-exported
//! as [`model`].
//!
//! What the client takes care of:
//!
//! * **Authentication**: one SAS token scoped to the hub, shared by all requests and renewed
//!   before it expires; keys never appear in `Debug`, `Display` or logs.
//! * **Retries**: 429, 503 and failed connections are retried with capped exponential backoff
//!   and jitter, honouring `Retry-After` — but only for requests that are safe to repeat.
//!   Direct methods are repeated only on request ([`MethodOptions::retry`]).
//! * **Typed errors**: the hub's error code, name, message and tracking id whichever body shape
//!   it used; devices that are offline or too slow are recognised in direct-method errors; a
//!   device's own error status stays distinct from hub and network failures ([`Error`]).
//! * **Early checks**: ids, method calls and twin patches are checked against the hub's rules
//!   before anything is sent.
//! * **Local hubs**: an extra trusted CA, an endpoint override, `HTTPS_PROXY`/`NO_PROXY`.
//!
//! ```no_run
//! use iothub_client::model::CloudToDeviceMethod;
//! use iothub_client::{IfMatch, ServiceClient};
//! use serde_json::json;
//!
//! # async fn run() -> iothub_client::Result<()> {
//! let client = ServiceClient::from_connection_string(
//!     "HostName=myhub.azure-devices.net;SharedAccessKeyName=iothubowner;SharedAccessKey=…",
//! )?;
//!
//! // Read a twin, then change a desired property only if nobody else changed it meanwhile.
//! let twin = client.get_twin("dev1").await?;
//! let mut patch = iothub_client::model::Twin::default();
//! patch.properties.desired = json!({"telemetryInterval": 30});
//! client
//!     .update_twin("dev1", &patch, IfMatch::from_option(twin.etag.as_deref()))
//!     .await?;
//!
//! // Call a direct method; a device status >= 400 becomes an error of kind DeviceMethod.
//! let call = CloudToDeviceMethod::new("reboot", json!({"delay": 5}));
//! match client.invoke_device_method("dev1", &call).await {
//!     Ok(response) => println!("device answered {}", response.error_for_status()?.status),
//!     Err(e) if e.is_device_not_online() => println!("dev1 is offline"),
//!     Err(e) => return Err(e),
//! }
//!
//! // Page through a query.
//! let enabled = client
//!     .query_twins("SELECT * FROM devices WHERE status = 'enabled'")
//!     .page_size(500)
//!     .collect_all()
//!     .await?;
//! println!("{} enabled devices", enabled.len());
//! # Ok(()) }
//! ```

#![warn(missing_docs, unreachable_pub, clippy::print_stdout)]

mod builder;
mod client;
mod configurations;
mod credential;
mod error;
mod etag;
mod http;
mod jobs;
mod methods;
mod observe;
mod query;
mod retry;

pub use builder::{
    ClientBuilder, DEFAULT_API_VERSION, DEFAULT_CONNECT_TIMEOUT, DEFAULT_METHOD_TIMEOUT_MARGIN,
    DEFAULT_REQUEST_TIMEOUT, DEFAULT_TOKEN_TTL, USER_AGENT,
};
pub use client::{MAX_LIST_DEVICES, PurgeMessageQueueResult, ServiceClient};
pub use error::{Error, ErrorKind, HubError, Result};
pub use etag::IfMatch;
pub use methods::{MethodOptions, MethodResponse};
pub use observe::{WriteCall, WriteObserver, WriteOutcome};
pub use query::{MAX_PAGE_SIZE, Query, QueryPage};
pub use retry::RetryPolicy;

/// SAS tokens, keys and connection strings ([`iothub_auth`]).
pub use iothub_auth as auth;
/// The wire types and error codes this client sends and returns ([`iothub_model`]).
pub use iothub_model as model;
