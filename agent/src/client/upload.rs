//! `dm.diagnostics.collect` by upload: logs too large for a method answer go to the hub's
//! linked storage through IoT Hub's file-upload flow, as a `.tar.gz` bundle.
//!
//! The flow is the device SDKs' one: ask the hub for a blob SAS ("create file upload"), `PUT`
//! the blob, then always tell the hub how it ended ("complete file upload"), also after a failed
//! `PUT`, because the hub counts the upload as active (at most 10 per device) until it hears.
//! The SAS is a secret: it is never logged, never in an error and never in the twin; the
//! envelope only gets the blob name and its URL without the SAS.
//!
//! The bundle is packed into a file in the state directory and streamed from there, so a
//! 64 MiB collection is held in memory once (while it is compressed), not twice; the file is
//! deleted however the operation ends, timeouts and aborts included.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use bytes::BytesMut;
use dm_contract::{
    DEFAULT_COLLECT_MAX_BYTES, DiagnosticsCollectRequest, DiagnosticsResult, Method,
    MethodResponse, OperationId, Section, UploadedBlob, error_code,
};
use jiff::Timestamp;
use serde::Serialize;
use tokio::io::AsyncReadExt as _;

use super::{Inner, OpSpec, Outcome, Work};
use crate::error::{DmError, DmResult};
use crate::transport::FileUploadTarget;

/// Where bundles wait while they are uploaded (emptied when the client starts).
pub(crate) const UPLOADS_DIR: &str = "uploads";
/// Only one upload runs at a time: each may hold up to 64 MiB of logs in memory.
const UPLOAD_TARGET: &str = "diagnostics:upload";
/// The size of the chunks the bundle is streamed in.
const CHUNK: usize = 64 * 1024;
/// The status reported to the hub when storage gave no HTTP answer at all.
const NO_ANSWER_STATUS: u16 = 500;

/// `collect.json` in the bundle: what was asked and what was collected.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CollectInfo<'a> {
    device_id: &'a str,
    operation_id: &'a str,
    request: &'a DiagnosticsCollectRequest,
    bytes: u64,
    truncated: bool,
    collected_at: Timestamp,
}

/// Deletes the bundle when dropped, whichever way the operation ends (an operation that
/// times out is aborted, so cleanup in the async code alone would not run).
struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Err(e) = std::fs::remove_file(&self.0)
            && e.kind() != std::io::ErrorKind::NotFound
        {
            tracing::warn!(path = %self.0.display(), error = %e, "could not delete an upload bundle");
        }
    }
}

/// How a blob `PUT` failed.
struct PutFailure {
    /// The storage's HTTP status, if it answered.
    status: Option<u16>,
    /// A sentence without the URL or the SAS.
    message: String,
}

impl Inner {
    /// Answers an upload request: 501 at once when the transport cannot upload files, 400 for a
    /// refused path, otherwise 202 with an operation in the `diagnostics` section.
    pub(crate) fn accept_upload(
        self: &Arc<Self>,
        request: DiagnosticsCollectRequest,
    ) -> MethodResponse {
        if let Err(err) = self.precheck_collect(&request) {
            return err.to_response();
        }
        let mut spec = OpSpec::new(
            Method::DiagnosticsCollect.name(),
            Section::Diagnostics,
            self.settings.operation_timeout,
        );
        spec.target = Some(UPLOAD_TARGET.into());
        let work: Work = Box::new(move |inner: Arc<Inner>, id: OperationId| {
            Box::pin(async move { inner.upload_logs(&request, &id).await })
        });
        self.accept(spec, work)
    }

    /// What `collect` would refuse, checked before a 202 so the caller gets the 400 or 501 in
    /// the answer rather than in a failed envelope.
    fn precheck_collect(&self, request: &DiagnosticsCollectRequest) -> DmResult<()> {
        let provider = self.providers.diagnostics.as_ref();
        for (i, path) in request.paths.iter().enumerate() {
            provider.resolve(&format!("paths[{i}]"), path)?;
        }
        if request.journal && !provider.has_journal() && request.paths.is_empty() {
            return Err(DmError::NotSupported(
                "this device has no journal (journalctl was not found); ask for `paths` with `journal: false`".into(),
            ));
        }
        Ok(())
    }

    /// The work of an upload: collect, pack, upload, notify, clean up.
    async fn upload_logs(
        &self,
        request: &DiagnosticsCollectRequest,
        id: &OperationId,
    ) -> DmResult<Outcome> {
        let max = request.max_bytes.unwrap_or(DEFAULT_COLLECT_MAX_BYTES) as usize;
        let collected = crate::providers::diagnostics::collect(
            self.providers.diagnostics.as_ref(),
            request,
            max,
        )
        .await?;
        let now = Timestamp::now();
        let name = bundle_name(now, id);
        let dir = self.state.file(UPLOADS_DIR);
        crate::providers::ensure_dir(&dir)?;
        let bundle = TempFile(dir.join(&name));
        let bytes = collected.text.len() as u64;
        let truncated = collected.truncated;
        let info = serde_json::to_vec_pretty(&CollectInfo {
            device_id: &self.device_id,
            operation_id: id.as_str(),
            request,
            bytes,
            truncated,
            collected_at: now,
        })
        .map_err(|e| {
            DmError::failed(
                error_code::INTERNAL,
                format!("cannot describe the bundle: {e}"),
            )
        })?;
        let path = bundle.0.clone();
        // The collected text moves into the packing task and is freed when it ends.
        let size =
            crate::providers::blocking(move || write_bundle(&path, &collected.text, &info, now))
                .await?;

        let target = self
            .transport
            .create_file_upload(&name)
            .await
            .map_err(upload_refused)?;
        tracing::info!(blob = %target.blob_name, size, "uploading a log bundle");
        let put = put_blob(
            &self.https,
            &target,
            &bundle.0,
            size,
            self.settings.operation_timeout,
        )
        .await;
        drop(bundle);
        let (success, status, description) = match &put {
            Ok(status) => (true, *status, format!("uploaded {size} bytes")),
            Err(failure) => (
                false,
                failure.status.unwrap_or(NO_ANSWER_STATUS),
                failure.message.clone(),
            ),
        };
        let notified = self
            .transport
            .complete_file_upload(&target.correlation_id, success, status, &description)
            .await;
        if let Err(failure) = put {
            if let Err(e) = &notified {
                tracing::warn!(error = %e, "could not tell the hub that the upload failed");
            }
            return Err(DmError::failed(error_code::FAILED, failure.message));
        }
        notified.map_err(|e| {
            DmError::failed(
                error_code::FAILED,
                format!(
                    "the bundle was stored as `{}`, but the hub did not take the completion notice: {e}",
                    target.blob_name
                ),
            )
        })?;
        let url = target.blob_url();
        // A URL that fails the contract's check is left out rather than failing the upload.
        let url = dm_contract::check_blob_url("upload.url", &url)
            .map(|()| url)
            .inspect_err(|e| tracing::warn!(error = %e, "not reporting the blob URL"))
            .ok();
        tracing::info!(blob = %target.blob_name, "log bundle uploaded");
        let result = DiagnosticsResult {
            bytes,
            truncated,
            content: None,
            upload: Some(UploadedBlob {
                blob_name: target.blob_name,
                url,
            }),
        };
        Ok(Outcome::Done(serde_json::to_value(result).ok()))
    }
}

/// `logs-<UTC yyyymmddThhmmssZ>-<short operation id>.tar.gz`.
pub(crate) fn bundle_name(now: Timestamp, id: &OperationId) -> String {
    let tail: String = id
        .as_str()
        .rsplit('-')
        .next()
        .unwrap_or_default()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(8)
        .collect();
    let short = if tail.is_empty() {
        id.as_str()
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(8)
            .collect()
    } else {
        tail
    };
    format!("logs-{}-{short}.tar.gz", now.strftime("%Y%m%dT%H%M%SZ"))
}

/// Writes the `.tar.gz` with `logs.txt` and `collect.json`; returns its size.
pub(crate) fn write_bundle(path: &Path, logs: &[u8], info: &[u8], now: Timestamp) -> DmResult<u64> {
    let io = |e| DmError::io("cannot write the log bundle", path, e);
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(io)?;
    let mut tar = tar::Builder::new(flate2::write::GzEncoder::new(
        file,
        flate2::Compression::default(),
    ));
    let mtime = u64::try_from(now.as_second()).unwrap_or(0);
    for (name, data) in [("logs.txt", logs), ("collect.json", info)] {
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(mtime);
        header.set_entry_type(tar::EntryType::Regular);
        tar.append_data(&mut header, name, data).map_err(io)?;
    }
    let mut gz = tar.into_inner().map_err(io)?;
    gz.flush().map_err(io)?;
    let file = gz.finish().map_err(io)?;
    file.sync_all().map_err(io)?;
    Ok(file.metadata().map_err(io)?.len())
}

/// Why the hub gave no blob, for the envelope.
fn upload_refused(e: DmError) -> DmError {
    match e {
        DmError::Hub { status, message } => DmError::failed(
            error_code::FAILED,
            format!("the hub refused the upload: {status} {message}"),
        ),
        // A transport without file upload: 501, as if the client had known beforehand.
        unsupported @ DmError::NotSupported(_) => unsupported,
        other => DmError::failed(
            error_code::FAILED,
            format!("could not ask the hub for an upload: {other}"),
        ),
    }
}

/// Streams the bundle to the blob; returns the storage's status.
async fn put_blob(
    http: &reqwest::Client,
    target: &FileUploadTarget,
    path: &Path,
    size: u64,
    timeout: Duration,
) -> Result<u16, PutFailure> {
    let no_answer = |message: String| PutFailure {
        status: None,
        message,
    };
    let file = tokio::fs::File::open(path)
        .await
        .map_err(|e| no_answer(format!("cannot read the log bundle: {e}")))?;
    let response = http
        .put(target.signed_url())
        .timeout(timeout)
        .header("x-ms-blob-type", "BlockBlob")
        .header(reqwest::header::CONTENT_TYPE, "application/gzip")
        .header(reqwest::header::CONTENT_LENGTH, size)
        .body(reqwest::Body::wrap_stream(file_chunks(file)))
        .send()
        .await
        .map_err(|e| {
            let why = if e.is_timeout() {
                format!(
                    "storage did not take the upload within {} s",
                    timeout.as_secs()
                )
            } else {
                format!(
                    "could not reach storage at {}: {}",
                    target.host_name,
                    crate::connection::error_chain(&e.without_url())
                )
            };
            no_answer(why)
        })?;
    let status = response.status();
    if status.is_success() {
        return Ok(status.as_u16());
    }
    let body = response.text().await.unwrap_or_default();
    // Only the error code: storage's details can quote the string it signed.
    let code = storage_error_code(&body)
        .map(|c| format!(" ({c})"))
        .unwrap_or_default();
    Err(PutFailure {
        status: Some(status.as_u16()),
        message: format!("storage answered HTTP {}{code}", status.as_u16()),
    })
}

/// The file as a stream of chunks, for a request body that is never all in memory.
fn file_chunks(
    file: tokio::fs::File,
) -> impl futures::Stream<Item = std::io::Result<bytes::Bytes>> + Send + 'static {
    futures::stream::try_unfold(file, |mut file| async move {
        let mut buf = BytesMut::with_capacity(CHUNK);
        let read = file.read_buf(&mut buf).await?;
        Ok((read > 0).then(|| (buf.freeze(), file)))
    })
}

/// `<Code>...</Code>` of an Azure Storage error body, if it has a plain one.
fn storage_error_code(body: &str) -> Option<&str> {
    let start = body.find("<Code>")? + "<Code>".len();
    let len = body[start..].find("</Code>")?;
    let code = &body[start..start + len];
    (!code.is_empty() && code.len() <= 64 && code.chars().all(|c| c.is_ascii_alphanumeric()))
        .then_some(code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read as _;

    #[test]
    fn the_bundle_holds_the_logs_and_what_was_asked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.tar.gz");
        let logs: Vec<u8> = (0..50_000)
            .flat_map(|i| format!("line {i} ünïcode\n").into_bytes())
            .collect();
        let info = br#"{"deviceId":"d"}"#;
        let now = Timestamp::from_second(1_740_823_200).unwrap();
        let size = write_bundle(&path, &logs, info, now).unwrap();
        assert_eq!(size, std::fs::metadata(&path).unwrap().len());
        assert!(size < logs.len() as u64 / 4, "not compressed: {size}");

        let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(
            std::fs::File::open(&path).unwrap(),
        ));
        let mut found = Vec::new();
        for entry in archive.entries().unwrap() {
            let mut entry = entry.unwrap();
            let name = entry.path().unwrap().display().to_string();
            assert_eq!(entry.header().mtime().unwrap(), 1_740_823_200);
            let mut data = Vec::new();
            entry.read_to_end(&mut data).unwrap();
            found.push((name, data));
        }
        assert_eq!(
            found,
            vec![
                ("logs.txt".to_owned(), logs),
                ("collect.json".to_owned(), info.to_vec())
            ]
        );
        // A bundle is never written over an existing file.
        assert!(write_bundle(&path, b"x", b"{}", now).is_err());
    }

    #[test]
    fn bundle_names_carry_the_time_and_the_operation() {
        let now = Timestamp::from_second(1_740_823_200).unwrap();
        let id = OperationId::new("20250301T100000Z-ab12").unwrap();
        assert_eq!(bundle_name(now, &id), "logs-20250301T100000Z-ab12.tar.gz");
    }

    #[test]
    fn only_a_plain_storage_error_code_is_kept() {
        let body = "<?xml version=\"1.0\"?><Error><Code>AuthenticationFailed</Code><AuthenticationErrorDetail>sig=SECRET</AuthenticationErrorDetail></Error>";
        assert_eq!(storage_error_code(body), Some("AuthenticationFailed"));
        assert_eq!(storage_error_code("<Code>a b</Code>"), None);
        assert_eq!(storage_error_code("not xml"), None);
    }
}
