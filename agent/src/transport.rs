//! The seam between the device-management logic and whatever owns the device's hub connection.
//!
//! The daemon implements it over its own MQTT connection; an application that already holds the
//! device's one connection (library mode) implements it over that connection. Everything above this
//! trait is identical in both modes, which is what lets the integrated client and the standalone
//! agent behave the same.
//!
//! File upload (log bundles) is an optional capability with default methods: a transport that
//! does not offer it keeps compiling, and the client answers 501 for uploads on it.

use futures::future::BoxFuture;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::error::{DmError, DmResult};

/// Where the hub said to put one uploaded file: the answer to "create file upload"
/// (`POST /devices/{id}/files`), as the device SDKs' `get_storage_info_for_blob` returns it.
///
/// The SAS token grants write access to the blob, so it is private: `Debug` redacts it and
/// [`FileUploadTarget::blob_url`] leaves it out; only [`FileUploadTarget::signed_url`] carries it,
/// for the one request that writes the blob.
#[derive(Clone, PartialEq, Eq)]
pub struct FileUploadTarget {
    /// Quoted back to the hub when the upload is complete.
    pub correlation_id: String,
    /// The storage account's host (`account.blob.core.windows.net`, or `host:port` locally).
    pub host_name: String,
    /// The container linked to the hub.
    pub container_name: String,
    /// The blob's full name in the container (`<deviceId>/<name>`).
    pub blob_name: String,
    /// The SAS query (`?sv=...&sig=...`).
    sas_token: String,
}

impl FileUploadTarget {
    /// A target as the hub described it. `sas_token` may come with or without its leading `?`.
    pub fn new(
        correlation_id: impl Into<String>,
        host_name: impl Into<String>,
        container_name: impl Into<String>,
        blob_name: impl Into<String>,
        sas_token: impl Into<String>,
    ) -> Self {
        let sas_token = sas_token.into();
        let sas_token = if sas_token.is_empty() || sas_token.starts_with('?') {
            sas_token
        } else {
            format!("?{sas_token}")
        };
        Self {
            correlation_id: correlation_id.into(),
            host_name: host_name.into(),
            container_name: container_name.into(),
            blob_name: blob_name.into(),
            sas_token,
        }
    }

    /// The blob's URL **without** the SAS (safe to log and to report):
    /// `https://{host}/{container}/{blob}`, each blob path segment percent-encoded.
    pub fn blob_url(&self) -> String {
        let mut url = format!(
            "https://{}/{}",
            self.host_name,
            utf8_percent_encode(&self.container_name, PATH_SEGMENT)
        );
        for segment in self.blob_name.split('/') {
            url.push('/');
            url.extend(utf8_percent_encode(segment, PATH_SEGMENT));
        }
        url
    }

    /// The blob's URL with the SAS: a secret, for the blob `PUT` only. Never log it; strip it
    /// from errors (`reqwest::Error::without_url`).
    pub fn signed_url(&self) -> String {
        format!("{}{}", self.blob_url(), self.sas_token)
    }

    /// The SAS query itself (a secret).
    pub fn sas_token(&self) -> &str {
        &self.sas_token
    }
}

impl std::fmt::Debug for FileUploadTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileUploadTarget")
            .field("correlation_id", &self.correlation_id)
            .field("host_name", &self.host_name)
            .field("container_name", &self.container_name)
            .field("blob_name", &self.blob_name)
            .field("sas_token", &"<redacted>")
            .finish()
    }
}

/// Everything but the RFC 3986 unreserved characters is escaped in a path segment, so a blob
/// name with spaces, `#`, `?` or non-ASCII letters cannot change the URL's structure.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes one URL path segment (a device id, a container or blob name segment).
pub fn encode_path_segment(segment: &str) -> String {
    utf8_percent_encode(segment, PATH_SEGMENT).to_string()
}

/// What the device-management client needs from the device's hub connection.
///
/// Failures are reported with the hub-connection variants of the library's one error type:
/// [`DmError::NotConnected`] (offline and the operation cannot wait), [`DmError::Hub`] (the hub
/// answered an error status; [`DmError::hub`]), [`DmError::HubTimeout`] (no answer in time),
/// [`DmError::Transport`] (anything else; [`DmError::transport`]) and [`DmError::NotSupported`]
/// (this connection cannot do the operation at all).
pub trait Transport: Send + Sync + 'static {
    /// Sends a reported-properties patch (`{"dm": {...}}`). Implementations deliver patches in the
    /// order given and must not lose them across disconnects (queue while offline).
    fn send_reported(&self, patch: serde_json::Value) -> BoxFuture<'_, DmResult<()>>;

    /// Answers the direct method call `request_id` (the `$rid`) with a status and a JSON payload.
    fn respond_method(
        &self,
        request_id: &str,
        status: u16,
        payload: serde_json::Value,
    ) -> BoxFuture<'_, DmResult<()>>;

    /// Fetches the device's view of its twin: `{"desired": {...}, "reported": {...}}` with `$version`s.
    fn get_twin(&self) -> BoxFuture<'_, DmResult<serde_json::Value>>;

    /// Whether [`Transport::create_file_upload`] works on this transport. The client asks before
    /// accepting an upload, so a transport without it gets a 501 at once rather than a failed
    /// operation later. Default: no.
    fn supports_file_upload(&self) -> bool {
        false
    }

    /// Asks the hub for a blob to upload `blob_name` to (the SDKs' `get_storage_info_for_blob`).
    /// The hub prefixes the device id. Default: [`DmError::NotSupported`].
    fn create_file_upload(&self, blob_name: &str) -> BoxFuture<'_, DmResult<FileUploadTarget>> {
        let _ = blob_name;
        Box::pin(async { Err(unsupported_upload()) })
    }

    /// Tells the hub an upload ended (the SDKs' `notify_blob_upload_status`), which frees the
    /// device's upload slot and, on success, sends the service a file notification. Call it
    /// after a failed upload too. `status` is the storage's HTTP status. Default:
    /// [`DmError::NotSupported`].
    fn complete_file_upload(
        &self,
        correlation_id: &str,
        success: bool,
        status: u16,
        description: &str,
    ) -> BoxFuture<'_, DmResult<()>> {
        let _ = (correlation_id, success, status, description);
        Box::pin(async { Err(unsupported_upload()) })
    }
}

fn unsupported_upload() -> DmError {
    DmError::NotSupported("this connection does not implement IoT Hub file upload".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAS: &str =
        "?sv=2018-03-28&sr=b&sig=S3cr3tS1gnature%3D&se=2030-01-01T00%3A00%3A00Z&sp=rw";

    fn target(blob: &str) -> FileUploadTarget {
        FileUploadTarget::new("corr-1", "acct.blob.core.windows.net", "dm-logs", blob, SAS)
    }

    #[test]
    fn debug_never_shows_the_sas() {
        let shown = format!("{:?}", target("sensor-042/logs.tar.gz"));
        assert!(
            !shown.contains("S3cr3t") && !shown.contains("sig="),
            "{shown}"
        );
        assert!(
            shown.contains("sensor-042/logs.tar.gz") && shown.contains("corr-1"),
            "{shown}"
        );
    }

    #[test]
    fn the_blob_url_encodes_each_segment_and_leaves_out_the_sas() {
        let t = target("dev 1/logs #2 ü?.tar.gz");
        assert_eq!(
            t.blob_url(),
            "https://acct.blob.core.windows.net/dm-logs/dev%201/logs%20%232%20%C3%BC%3F.tar.gz"
        );
        assert_eq!(t.signed_url(), format!("{}{SAS}", t.blob_url()));
        // The URL a user would paste into a browser parses back to the same path.
        let parsed = reqwest::Url::parse(&t.blob_url()).unwrap();
        assert_eq!(parsed.query(), None);
        assert_eq!(parsed.fragment(), None);
        let segments: Vec<_> = parsed.path_segments().unwrap().collect();
        assert_eq!(segments.len(), 3, "{segments:?}");
        dm_contract::check_blob_url("upload.url", &t.blob_url()).unwrap();
    }

    /// A library-mode transport that implements only the required methods.
    struct Minimal;

    impl Transport for Minimal {
        fn send_reported(&self, _patch: serde_json::Value) -> BoxFuture<'_, DmResult<()>> {
            Box::pin(async { Err(DmError::NotConnected) })
        }

        fn respond_method(
            &self,
            _request_id: &str,
            _status: u16,
            _payload: serde_json::Value,
        ) -> BoxFuture<'_, DmResult<()>> {
            Box::pin(async { Err(DmError::HubTimeout) })
        }

        fn get_twin(&self) -> BoxFuture<'_, DmResult<serde_json::Value>> {
            Box::pin(async { Err(DmError::hub(404, "no twin")) })
        }
    }

    #[tokio::test]
    async fn a_transport_without_file_upload_answers_501() {
        let transport = Minimal;
        assert!(!transport.supports_file_upload());
        let err = transport
            .create_file_upload("logs.tar.gz")
            .await
            .unwrap_err();
        assert!(matches!(err, DmError::NotSupported(_)), "{err:?}");
        assert_eq!((err.status(), err.code()), (501, "notSupported"));
        let err = transport
            .complete_file_upload("corr-1", true, 201, "")
            .await
            .unwrap_err();
        assert_eq!(err.status(), 501, "{err}");
    }

    #[test]
    fn a_sas_without_its_question_mark_still_forms_a_query() {
        let t = FileUploadTarget::new("c", "h:10001", "c1", "d/x", "sv=1&sig=2");
        assert_eq!(t.sas_token(), "?sv=1&sig=2");
        assert_eq!(t.signed_url(), "https://h:10001/c1/d/x?sv=1&sig=2");
        assert_eq!(encode_path_segment("a b/c"), "a%20b%2Fc");
    }
}
