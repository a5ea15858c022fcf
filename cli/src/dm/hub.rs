//! The hub calls the typed commands and rollouts need, behind one small trait.
//!
//! Typed commands only ever read a twin, call a method, patch desired properties and resolve a
//! `--query`. Naming exactly that surface keeps the execution logic (`exec`) independent of the
//! REST client's full API and lets its tests run against an in-memory fake hub, while the real
//! implementation is a thin adapter over `iothub_client::ServiceClient`.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use dm_contract::{NAMESPACE, Section};
use iothub_model::{CloudToDeviceMethod, JobRequest, JobResponse};
use serde_json::Value;
use tokio::sync::oneshot;
use tokio::time::Instant;

use crate::exit::{CliError, Exit};

/// A device's answer to a direct method: its own status and payload.
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceAnswer {
    /// The status the device chose.
    pub status: i32,
    /// The device's JSON payload.
    pub payload: Value,
}

/// What the typed commands ask of the hub. Errors are already in the CLI's terms (exit class,
/// hint, tracking id).
pub trait Hub: Sync {
    /// The hub's host name: part of a fleet run's identity, so `--resume` never continues a
    /// run on another hub.
    fn host_name(&self) -> String {
        String::from("(unnamed hub)")
    }

    /// The device's twin (service view), with its `etag`.
    fn twin(&self, device_id: &str) -> impl Future<Output = Result<Value, CliError>> + Send;

    /// What `--wait` reads while it follows an operation in `section`: a twin holding at least
    /// `properties.reported.dm.<section>` (other parts may be missing). The default reads the
    /// whole twin; the real hub gathers the reads of many devices waited for at once into a
    /// few queries ([`SectionReads`]), so a fleet's `--wait` does not cost one twin read per
    /// device per poll.
    fn section_look(
        &self,
        device_id: &str,
        section: Section,
    ) -> impl Future<Output = Result<Value, CliError>> + Send {
        let _ = section;
        self.twin(device_id)
    }

    /// Calls a direct method; a device status ≥ 400 is an answer, not an error.
    fn invoke(
        &self,
        device_id: &str,
        call: &CloudToDeviceMethod,
    ) -> impl Future<Output = Result<DeviceAnswer, CliError>> + Send;

    /// Merges `patch` (`{"properties": {"desired": ...}}`) into the twin, only if its etag is
    /// still `etag` when one is given; returns the twin after the patch.
    fn patch_twin(
        &self,
        device_id: &str,
        patch: &Value,
        etag: Option<&str>,
    ) -> impl Future<Output = Result<Value, CliError>> + Send;

    /// The device ids a `SELECT deviceId FROM devices ...` query returns (all pages).
    fn query_device_ids(
        &self,
        query: &str,
    ) -> impl Future<Output = Result<Vec<String>, CliError>> + Send;

    /// Every row (all pages) of an IoT Hub query such as
    /// `SELECT deviceId, tags.x AS x FROM devices WHERE ...`: rollouts read their per-device
    /// state and evaluate success conditions this way, so the hub decides what a condition means.
    fn query(&self, query: &str) -> impl Future<Output = Result<Vec<Value>, CliError>> + Send;

    /// The bytes of an uploaded blob at `url` (without SAS), when this hub can serve it: only
    /// the local hub keeps uploads itself. `None` for a blob in a real storage account, which
    /// needs the operator's storage credentials.
    fn uploaded_blob(
        &self,
        url: &str,
    ) -> impl Future<Output = Result<Option<Vec<u8>>, CliError>> + Send;

    /// Creates a job (`PUT /jobs/v2/{id}`): the hub fans a method call or a twin update out to
    /// the devices its condition matches (`--via-job`). A hub without jobs refuses.
    fn create_job(
        &self,
        request: &JobRequest,
    ) -> impl Future<Output = Result<JobResponse, CliError>> + Send {
        let _ = request;
        std::future::ready(Err(CliError::failure(
            "this hub does not run jobs; run without --via-job",
        )))
    }

    /// A job as the hub reports it now (`GET /jobs/v2/{id}`).
    fn job(&self, job_id: &str) -> impl Future<Output = Result<JobResponse, CliError>> + Send {
        let _ = job_id;
        std::future::ready(Err(CliError::failure(
            "this hub does not run jobs; run without --via-job",
        )))
    }

    /// Cancels a job (`POST /jobs/v2/{id}/cancel`): devices it has not reached are left alone
    /// (an aborted `--via-job` rollout wave).
    fn cancel_job(
        &self,
        job_id: &str,
    ) -> impl Future<Output = Result<JobResponse, CliError>> + Send {
        let _ = job_id;
        std::future::ready(Err(CliError::failure(
            "this hub does not run jobs; run without --via-job",
        )))
    }
}

/// The real hub: a thin adapter over the service REST client.
#[derive(Debug, Clone)]
pub struct ServiceHub {
    /// The client, built once per command.
    client: iothub_client::ServiceClient,
    /// The `--wait` reads of this command's devices, gathered into queries.
    reads: Arc<SectionReads>,
}

impl ServiceHub {
    /// Wraps a client.
    pub fn new(client: iothub_client::ServiceClient) -> Self {
        Self {
            client,
            reads: Arc::default(),
        }
    }

    /// The client, for reads beyond the typed commands' surface (the fleet view's paged
    /// queries).
    pub fn client(&self) -> &iothub_client::ServiceClient {
        &self.client
    }
}

impl Hub for ServiceHub {
    fn host_name(&self) -> String {
        self.client.host_name().to_owned()
    }

    async fn twin(&self, device_id: &str) -> Result<Value, CliError> {
        let twin = self
            .client
            .get_twin(device_id)
            .await
            .map_err(CliError::from)?;
        to_json(&twin)
    }

    async fn section_look(&self, device_id: &str, section: Section) -> Result<Value, CliError> {
        let gathered = self
            .reads
            .read(device_id, section, |query| async move {
                self.query(&query).await
            })
            .await;
        match gathered {
            Some(twin) => Ok(twin),
            None => self.twin(device_id).await,
        }
    }

    async fn invoke(
        &self,
        device_id: &str,
        call: &CloudToDeviceMethod,
    ) -> Result<DeviceAnswer, CliError> {
        let answer = self
            .client
            .invoke_device_method(device_id, call)
            .await
            .map_err(CliError::from)?;
        Ok(DeviceAnswer {
            status: answer.status,
            payload: answer.payload,
        })
    }

    async fn patch_twin(
        &self,
        device_id: &str,
        patch: &Value,
        etag: Option<&str>,
    ) -> Result<Value, CliError> {
        let patch: iothub_model::Twin = serde_json::from_value(patch.clone())
            .map_err(|e| CliError::failure(format!("internal: twin patch: {e}")))?;
        let twin = self
            .client
            .update_twin(device_id, &patch, iothub_client::IfMatch::from_option(etag))
            .await
            .map_err(CliError::from)?;
        to_json(&twin)
    }

    async fn query_device_ids(&self, query: &str) -> Result<Vec<String>, CliError> {
        query_device_ids(&self.client, query).await
    }

    async fn query(&self, query: &str) -> Result<Vec<Value>, CliError> {
        self.client
            .query(query)
            .page_size(iothub_client::MAX_PAGE_SIZE)
            .collect_all()
            .await
            .map_err(|e| CliError::from(e).context(format!("query ({query})")))
    }

    async fn create_job(&self, request: &JobRequest) -> Result<JobResponse, CliError> {
        self.client
            .create_job(request)
            .await
            .map_err(|e| CliError::from(e).context(format!("job '{}'", request.job_id)))
    }

    async fn job(&self, job_id: &str) -> Result<JobResponse, CliError> {
        self.client
            .get_job(job_id)
            .await
            .map_err(|e| CliError::from(e).context(format!("job '{job_id}'")))
    }

    async fn cancel_job(&self, job_id: &str) -> Result<JobResponse, CliError> {
        self.client
            .cancel_job(job_id)
            .await
            .map_err(|e| CliError::from(e).context(format!("job '{job_id}'")))
    }

    async fn uploaded_blob(&self, url: &str) -> Result<Option<Vec<u8>>, CliError> {
        let Some((container, blob)) = local_blob(self.client.endpoint(), url) else {
            return Ok(None);
        };
        let bytes = self
            .client
            .get_emulator_blob(&container, &blob)
            .await
            .map_err(|e| CliError::from(e).context(format!("reading the uploaded blob {blob}")))?;
        Ok(Some(bytes.to_vec()))
    }
}

/// How long the first reader of a batch waits for others to join it.
const GATHER: Duration = Duration::from_millis(25);
/// The shortest time between the starts of two batches: the reads arriving meanwhile share
/// the next one, which bounds the queries to a few per second however many devices wait.
const BATCH_GAP: Duration = Duration::from_millis(250);
/// After the hub throttled a batch's query, how long every read goes back to the device's own
/// twin read (a hub whose query quota is small, 20/min on S1, still has twin reads to spare).
const QUERY_COOLDOWN: Duration = Duration::from_secs(60);
/// The alias of the section in the batch's projection.
const SECTION_ALIAS: &str = "dmSection";

/// The `--wait` reads of many devices, gathered into `deviceId IN [...]` queries projecting
/// the one reported section each wait follows.
///
/// A fleet run with `--wait` follows every device's operation at once; reading each twin on
/// each poll costs the hub one request per device every few seconds (thousands for a large
/// fleet), while a query answers a few hundred devices at once. Reads arriving together form
/// one batch: the first reader waits 25 ms (and at least 250 ms after the previous batch
/// began), then queries for everyone queued and hands each reader its own row. Nothing
/// is retried here: a reader whose device is not in the rows, whose batch had only itself, or
/// whose query failed gets `None` and reads its twin alone as before, so errors (not found,
/// throttled) stay that device's own, judged by the one retry layer of the wait. A throttled
/// query turns batching off for a minute.
#[derive(Debug, Default)]
pub struct SectionReads {
    /// Reads waiting for the next batch.
    queue: Mutex<Vec<PendingRead>>,
    /// Held by the reader running a batch; when the last batch began.
    leader: tokio::sync::Mutex<Option<Instant>>,
    /// Until when reads are not batched (the hub throttled a query).
    paused_until: Mutex<Option<Instant>>,
}

#[derive(Debug)]
struct PendingRead {
    device_id: String,
    section: Section,
    answer: oneshot::Sender<Option<Value>>,
}

/// The readers of one section in a batch, by device (a device may be waited for twice).
type Readers = HashMap<String, Vec<oneshot::Sender<Option<Value>>>>;

fn locked<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl SectionReads {
    /// The twin part [`Hub::section_look`] needs for `device_id`, read in a batch with the
    /// other readers through `query` (all pages of one query); `None` when the caller must
    /// read the twin itself.
    pub async fn read<Q, F>(&self, device_id: &str, section: Section, query: Q) -> Option<Value>
    where
        Q: Fn(String) -> F,
        F: Future<Output = Result<Vec<Value>, CliError>>,
    {
        if locked(&self.paused_until).is_some_and(|until| Instant::now() < until) {
            return None;
        }
        let (tx, mut rx) = oneshot::channel();
        locked(&self.queue).push(PendingRead {
            device_id: device_id.to_owned(),
            section,
            answer: tx,
        });
        let mut last_batch = tokio::select! {
            biased;
            answer = &mut rx => return answer.ok().flatten(),
            leader = self.leader.lock() => leader,
        };
        // A batch that ran while this reader waited for the lock may have answered it.
        match rx.try_recv() {
            Ok(answer) => return answer,
            Err(oneshot::error::TryRecvError::Closed) => return None,
            Err(oneshot::error::TryRecvError::Empty) => {}
        }
        let mut start = Instant::now() + GATHER;
        if let Some(previous) = *last_batch {
            start = start.max(previous + BATCH_GAP);
        }
        tokio::time::sleep_until(start).await;
        *last_batch = Some(Instant::now());
        let batch = std::mem::take(&mut *locked(&self.queue));
        self.answer(batch, &query).await;
        drop(last_batch);
        rx.await.ok().flatten()
    }

    /// Queries for every read of `batch` and answers each (dropping a reader's sender answers
    /// `None`: read alone).
    async fn answer<Q, F>(&self, batch: Vec<PendingRead>, query: &Q)
    where
        Q: Fn(String) -> F,
        F: Future<Output = Result<Vec<Value>, CliError>>,
    {
        if batch.len() < 2 {
            // One device: its twin read costs the hub less than a query.
            return;
        }
        let mut by_section: Vec<(Section, Readers)> = Vec::new();
        for read in batch {
            let index = if let Some(index) = by_section.iter().position(|(s, _)| *s == read.section)
            {
                index
            } else {
                by_section.push((read.section, HashMap::new()));
                by_section.len() - 1
            };
            by_section[index]
                .1
                .entry(read.device_id)
                .or_default()
                .push(read.answer);
        }
        for (section, mut readers) in by_section {
            let mut ids: Vec<String> = readers.keys().cloned().collect();
            ids.sort();
            let projection = format!(
                "deviceId, properties.reported.{NAMESPACE}.{} AS {SECTION_ALIAS}",
                section.name()
            );
            for condition in crate::fleet::ids_conditions(&ids) {
                let rows = match query(crate::fleet::device_select(&condition, &projection)).await {
                    Ok(rows) => rows,
                    Err(err) => {
                        if err.exit() == Exit::Throttled {
                            tracing::debug!(
                                "the hub throttled a --wait query; reading twins one by one for a while"
                            );
                            *locked(&self.paused_until) = Some(Instant::now() + QUERY_COOLDOWN);
                            return;
                        }
                        tracing::debug!(error = %err, "a --wait query failed; reading those twins one by one");
                        continue;
                    }
                };
                for row in rows {
                    let Some((device_id, twin)) = section_twin(row, section) else {
                        continue;
                    };
                    for answer in readers.remove(&device_id).unwrap_or_default() {
                        let _ = answer.send(Some(twin.clone()));
                    }
                }
            }
        }
    }
}

/// A query row `{deviceId, dmSection}` as a twin holding only that reported section.
fn section_twin(row: Value, section: Section) -> Option<(String, Value)> {
    let Value::Object(mut row) = row else {
        return None;
    };
    let Some(Value::String(device_id)) = row.remove("deviceId") else {
        return None;
    };
    let mut dm = serde_json::Map::new();
    if let Some(value) = row.remove(SECTION_ALIAS) {
        dm.insert(section.name().to_owned(), value);
    }
    let twin = serde_json::json!({
        "deviceId": device_id,
        "properties": {"reported": {NAMESPACE: dm}},
    });
    Some((device_id, twin))
}

/// The container and blob name of `url` when it points at the hub `endpoint` itself (the local
/// hub's storage endpoint), percent-decoded.
fn local_blob(endpoint: &url::Url, url: &str) -> Option<(String, String)> {
    let url = url::Url::parse(url).ok()?;
    let same_host = url.scheme() == endpoint.scheme()
        && url.host_str()?.eq_ignore_ascii_case(endpoint.host_str()?)
        && url.port_or_known_default() == endpoint.port_or_known_default();
    if !same_host {
        return None;
    }
    let mut segments = url.path_segments()?.map(|s| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8_lossy()
            .into_owned()
    });
    let container = segments.next()?;
    let blob = segments.collect::<Vec<_>>().join("/");
    (!blob.is_empty()).then_some((container, blob))
}

fn to_json(twin: &iothub_model::Twin) -> Result<Value, CliError> {
    serde_json::to_value(twin).map_err(|e| CliError::failure(format!("internal: twin: {e}")))
}

/// The device ids a `SELECT deviceId FROM devices ...` query returns (all pages): how every
/// command resolves `--query` (see [`crate::fleet::device_query`]).
pub async fn query_device_ids(
    client: &iothub_client::ServiceClient,
    query: &str,
) -> Result<Vec<String>, CliError> {
    let rows = client
        .query(query)
        .page_size(iothub_client::MAX_PAGE_SIZE)
        .collect_all()
        .await
        .map_err(|e| CliError::from(e).context(format!("--query ({query})")))?;
    Ok(rows
        .iter()
        .filter_map(|row| row.get("deviceId").and_then(Value::as_str))
        .map(str::to_owned)
        .collect())
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use serde_json::json;

    use super::*;

    /// A hub's query answering `SELECT deviceId, ... AS dmSection ... IN [...]` from `sections`
    /// (device → reported section), counting the queries and keeping their text.
    struct FakeQueries {
        sections: HashMap<String, Value>,
        count: AtomicUsize,
        texts: Mutex<Vec<String>>,
        throttled: bool,
    }

    impl FakeQueries {
        fn new(devices: usize) -> Self {
            Self {
                sections: (0..devices)
                    .map(|n| (format!("dev-{n}"), json!({"operations": {"op": {"n": n}}})))
                    .collect(),
                count: AtomicUsize::new(0),
                texts: Mutex::new(Vec::new()),
                throttled: false,
            }
        }

        async fn run(&self, query: String) -> Result<Vec<Value>, CliError> {
            // A hub's answer takes a moment: readers arriving meanwhile wait for the next batch.
            tokio::task::yield_now().await;
            self.count.fetch_add(1, Ordering::SeqCst);
            locked(&self.texts).push(query.clone());
            if self.throttled {
                return Err(CliError::new(Exit::Throttled, "throttled"));
            }
            Ok(self
                .sections
                .iter()
                .filter(|(id, _)| query.contains(&format!("'{id}'")))
                .map(|(id, section)| json!({"deviceId": id, SECTION_ALIAS: section}))
                .collect())
        }
    }

    async fn read_all(
        reads: &SectionReads,
        queries: &FakeQueries,
        ids: &[String],
    ) -> Vec<Option<Value>> {
        futures::future::join_all(
            ids.iter()
                .map(|id| reads.read(id, Section::Reboot, |query| queries.run(query))),
        )
        .await
    }

    #[tokio::test(start_paused = true)]
    async fn reads_of_many_waiting_devices_share_a_few_queries() {
        let queries = FakeQueries::new(600);
        let reads = SectionReads::default();
        let ids: Vec<String> = (0..600).map(|n| format!("dev-{n}")).collect();
        let twins = read_all(&reads, &queries, &ids).await;
        // 600 reads, not 600 twin reads: one batch, a query per few hundred ids.
        let count = queries.count.load(Ordering::SeqCst);
        assert!((2..=4).contains(&count), "{count} queries");
        for (n, twin) in twins.iter().enumerate() {
            let twin = twin
                .as_ref()
                .unwrap_or_else(|| panic!("dev-{n} not answered"));
            assert_eq!(twin["deviceId"], json!(format!("dev-{n}")));
            assert_eq!(
                twin["properties"]["reported"]["dm"]["reboot"]["operations"]["op"]["n"],
                json!(n)
            );
        }
        for text in locked(&queries.texts).iter() {
            assert!(
                text.starts_with(
                    "SELECT deviceId, properties.reported.dm.reboot AS dmSection FROM devices WHERE deviceId IN ["
                ),
                "{text}"
            );
            assert!(
                text.len() < crate::fleet::MAX_IDS_CONDITION + 200,
                "{}",
                text.len()
            );
        }
    }

    #[tokio::test(start_paused = true)]
    async fn batches_are_spaced_so_the_hub_sees_a_few_queries_a_second() {
        let queries = FakeQueries::new(10);
        let reads = SectionReads::default();
        let ids: Vec<String> = (0..10).map(|n| format!("dev-{n}")).collect();
        let started = Instant::now();
        for _ in 0..3 {
            let twins = read_all(&reads, &queries, &ids).await;
            assert!(twins.iter().all(Option::is_some));
        }
        assert_eq!(queries.count.load(Ordering::SeqCst), 3);
        assert!(
            started.elapsed() >= BATCH_GAP * 2,
            "{:?}",
            started.elapsed()
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_device_not_in_the_rows_or_alone_reads_its_own_twin() {
        let queries = FakeQueries::new(2);
        let reads = SectionReads::default();
        let ids = vec!["dev-0".to_owned(), "gone".to_owned()];
        let twins = read_all(&reads, &queries, &ids).await;
        assert!(twins[0].is_some());
        assert_eq!(
            twins[1], None,
            "a missing device is read alone (its read says why)"
        );
        // One device waiting: no query at all.
        let before = queries.count.load(Ordering::SeqCst);
        let alone = read_all(&reads, &queries, &["dev-1".to_owned()]).await;
        assert_eq!(alone, [None]);
        assert_eq!(queries.count.load(Ordering::SeqCst), before);
    }

    #[tokio::test(start_paused = true)]
    async fn a_throttled_query_sends_the_reads_back_to_twins_for_a_while() {
        let mut queries = FakeQueries::new(5);
        queries.throttled = true;
        let reads = SectionReads::default();
        let ids: Vec<String> = (0..5).map(|n| format!("dev-{n}")).collect();
        assert!(
            read_all(&reads, &queries, &ids)
                .await
                .iter()
                .all(Option::is_none)
        );
        assert_eq!(queries.count.load(Ordering::SeqCst), 1);
        // Within the cool-down nothing is queried; after it, batching resumes.
        queries.throttled = false;
        assert!(
            read_all(&reads, &queries, &ids)
                .await
                .iter()
                .all(Option::is_none)
        );
        assert_eq!(queries.count.load(Ordering::SeqCst), 1);
        tokio::time::advance(QUERY_COOLDOWN).await;
        assert!(
            read_all(&reads, &queries, &ids)
                .await
                .iter()
                .all(Option::is_some)
        );
        assert_eq!(queries.count.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn only_blobs_on_the_hub_itself_are_local() {
        let endpoint = url::Url::parse("https://localhost:8443/").unwrap();
        assert_eq!(
            local_blob(
                &endpoint,
                "https://localhost:8443/fileupload/dev%201/logs%20x.tar.gz"
            ),
            Some(("fileupload".into(), "dev 1/logs x.tar.gz".into()))
        );
        for other in [
            "https://acct.blob.core.windows.net/fileupload/dev/x.tar.gz",
            "https://localhost:9443/fileupload/dev/x.tar.gz",
            "http://localhost:8443/fileupload/dev/x.tar.gz",
            "https://localhost:8443/fileupload",
            "not a url",
        ] {
            assert_eq!(local_blob(&endpoint, other), None, "{other}");
        }
    }
}
