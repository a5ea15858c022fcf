//! Azure IoT Hub wire types (twins, methods, identities, queries, jobs, errors) and twin semantics.
//!
//! This crate is the shared vocabulary of the service client, the local emulator and the device
//! agent: serde types that match the hub's REST and MQTT JSON field for field, the validation
//! rules and limits the hub enforces, and the twin algorithms (merge patch, `$metadata`
//! maintenance, etags). It does no I/O.
//!
//! Wire conventions: field names are camelCase as on the wire; optional fields are omitted when
//! `None`; unknown fields are ignored on input so responses from newer api-versions still parse;
//! timestamps are kept as the hub's strings (see [`format_timestamp`] to make new ones).
//!
//! Every rejection and unreadable wire value is a [`ModelError`], whose
//! [`error_code`](ModelError::error_code) is the code a real hub answers with.

#![warn(missing_docs, unreachable_pub, clippy::print_stdout)]

pub mod backoff;
pub mod bulk;
pub mod configuration;
pub mod device;
pub mod error;
pub mod id;
pub mod job;
pub mod lenient;
pub mod method;
pub mod model_error;
pub mod mqtt;
pub mod query;
pub mod time;
pub mod twin;

pub use backoff::Backoff;
pub use bulk::{
    BulkRegistryOperationResult, DeviceRegistryOperationError, DeviceRegistryOperationWarning,
    ExportImportDevice, ImportMode,
};
pub use configuration::{
    Configuration, ConfigurationContent, ConfigurationMetrics, ConfigurationQueriesTestInput,
    ConfigurationQueriesTestResponse,
};
pub use device::{
    Authentication, AuthenticationType, ConnectionState, Device, DeviceCapabilities, DeviceStatus,
    Module, RegistryStatistics, ServiceStatistics, SymmetricKey, X509Thumbprint,
};
pub use error::{ErrorCode, ErrorEnvelope, MethodErrorBody, ParsedHubError, parse_error_body};
pub use id::{
    IdKind, validate_configuration_id, validate_device_id, validate_job_id, validate_module_id,
};
pub use job::{DeviceJobStatistics, JobRequest, JobResponse, JobStatus, JobType};
pub use method::{CloudToDeviceMethod, CloudToDeviceMethodResult, validate_method};
pub use model_error::ModelError;
pub use query::{DeviceJob, DeviceJobStatus, QueryItemType, QuerySpecification};
pub use time::{
    ZERO_TIME, format_time_span, format_timestamp, format_tracking_timestamp, unix_nanos,
};
pub use twin::{
    KeyProblem, Twin, TwinProperties, TwinSection, apply_metadata, device_etag_from_version,
    etag_from_version, json_kind, merge_patch, section_size, strip_metadata, validate_document,
    validate_patch,
};
