//! Paged queries: twin queries (`POST /devices/query`) and job queries (`GET /jobs/v2/query`).
//!
//! Both page the same way — the hub returns a JSON array and an opaque `x-ms-continuation`
//! token that is absent on the last page — so one [`Query`] type drives both, page by page
//! ([`Query::next_page`]), as a stream of pages or of items, or all at once. Pages are fetched
//! lazily: a caller that stops early never pays for the rest of the registry.

use std::fmt;
use std::marker::PhantomData;

use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use iothub_model::query::{CONTINUATION_HEADER, ITEM_TYPE_HEADER, MAX_ITEM_COUNT_HEADER};
use iothub_model::{JobResponse, JobStatus, JobType, QueryItemType, QuerySpecification, Twin};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::client::ServiceClient;
use crate::error::{Error, ErrorKind, Result};
use crate::http::{Request, decode, header_str};

/// Largest page size the hub accepts.
pub const MAX_PAGE_SIZE: u32 = 1000;

/// One page of query results.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryPage<T> {
    /// The rows of this page.
    pub items: Vec<T>,
    /// The token for the next page; `None` on the last page.
    pub continuation: Option<String>,
    /// What the rows are (`x-ms-item-type`), when the hub said and the value is known.
    pub item_type: Option<QueryItemType>,
}

enum Source {
    Devices(QuerySpecification),
    Jobs {
        job_type: Option<JobType>,
        job_status: Option<JobStatus>,
    },
}

/// A paged query, created by [`ServiceClient::query`], [`ServiceClient::query_twins`],
/// [`ServiceClient::query_as`] or [`ServiceClient::query_jobs`]. Rows are deserialized into `T`.
///
/// ```no_run
/// # async fn run(client: iothub_client::ServiceClient) -> iothub_client::Result<()> {
/// use futures::TryStreamExt;
///
/// let mut twins = client
///     .query_twins("SELECT * FROM devices WHERE status = 'enabled'")
///     .page_size(100)
///     .into_stream();
/// while let Some(twin) = twins.try_next().await? {
///     println!("{:?}", twin.device_id);
/// }
/// # Ok(()) }
/// ```
pub struct Query<T = Value> {
    client: ServiceClient,
    source: Source,
    page_size: Option<u32>,
    continuation: Option<String>,
    done: bool,
    items: PhantomData<fn() -> T>,
}

impl ServiceClient {
    /// A query over twins, modules or jobs (`SELECT … FROM devices | devices.modules |
    /// devices.jobs …`), with rows as raw JSON.
    pub fn query(&self, query: impl Into<String>) -> Query<Value> {
        self.query_as(query)
    }

    /// A query whose rows are deserialized into `T` (for projections with a known shape).
    pub fn query_as<T: DeserializeOwned>(&self, query: impl Into<String>) -> Query<T> {
        Query::new(
            self.clone(),
            Source::Devices(QuerySpecification::new(query)),
        )
    }

    /// A `SELECT * FROM devices …` (or `devices.modules`) query with rows as [`Twin`]s.
    pub fn query_twins(&self, query: impl Into<String>) -> Query<Twin> {
        self.query_as(query)
    }

    /// `GET /jobs/v2/query`: scheduled jobs, optionally only of one type and/or status.
    pub fn query_jobs(
        &self,
        job_type: Option<JobType>,
        job_status: Option<JobStatus>,
    ) -> Query<JobResponse> {
        Query::new(
            self.clone(),
            Source::Jobs {
                job_type,
                job_status,
            },
        )
    }
}

impl<T> Query<T> {
    fn new(client: ServiceClient, source: Source) -> Self {
        Self {
            client,
            source,
            page_size: None,
            continuation: None,
            done: false,
            items: PhantomData,
        }
    }

    /// Rows per page (`x-ms-max-item-count`, 1–1000); the hub's default applies otherwise.
    #[must_use]
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = Some(size);
        self
    }

    /// Resumes from a continuation token saved from an earlier [`QueryPage`].
    #[must_use]
    pub fn continue_from(mut self, token: impl Into<String>) -> Self {
        self.continuation = Some(token.into());
        self
    }

    /// The token the next page will be requested with (`None` before the first page).
    pub fn continuation(&self) -> Option<&str> {
        self.continuation.as_deref()
    }

    /// Whether the last page has been fetched.
    pub fn is_done(&self) -> bool {
        self.done
    }
}

impl<T: DeserializeOwned> Query<T> {
    /// Fetches the next page; `Ok(None)` once the last page has been returned.
    ///
    /// After an error the query is unchanged, so calling again retries the same page.
    pub async fn next_page(&mut self) -> Result<Option<QueryPage<T>>> {
        if self.done {
            return Ok(None);
        }
        let request = self.request()?;
        let operation = request.operation();
        let response = self.client.send(request).await?;

        let continuation = header_str(&response.headers, CONTINUATION_HEADER)
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned);
        let item_type =
            header_str(&response.headers, ITEM_TYPE_HEADER).and_then(|t| t.parse().ok());
        let (rows, body_continuation) =
            rows_of(&response.body).map_err(|e| e.with_operation(operation.clone()))?;
        let items = rows
            .into_iter()
            .enumerate()
            .map(|(index, row)| {
                serde_path_to_error::deserialize(row).map_err(|e| {
                    let path = e.path().to_string();
                    let at = if path == "." {
                        String::new()
                    } else {
                        format!(" at {path}")
                    };
                    Error::new(ErrorKind::Deserialize(format!(
                        "row {index}{at}: {}",
                        e.into_inner()
                    )))
                    .with_operation(operation.clone())
                })
            })
            .collect::<Result<Vec<T>>>()?;

        let continuation = continuation.or(body_continuation);
        self.done = continuation.is_none();
        self.continuation.clone_from(&continuation);
        Ok(Some(QueryPage {
            items,
            continuation,
            item_type,
        }))
    }

    /// Fetches every remaining row.
    pub async fn collect_all(self) -> Result<Vec<T>>
    where
        T: Send + 'static,
    {
        self.into_stream().try_collect().await
    }

    /// The remaining pages as a stream, which ends after the last page or the first error.
    ///
    /// The stream is boxed (and so `Unpin`): `while let Some(page) = pages.try_next().await?`
    /// works without pinning.
    pub fn pages(self) -> BoxStream<'static, Result<QueryPage<T>>>
    where
        T: Send + 'static,
    {
        stream::unfold(Some(self), |state| async move {
            let mut query = state?;
            match query.next_page().await {
                Ok(Some(page)) => Some((Ok(page), Some(query))),
                Ok(None) => None,
                Err(e) => Some((Err(e), None)),
            }
        })
        .boxed()
    }

    /// The remaining rows as a stream, fetching pages as needed; it ends after the last row or
    /// the first error.
    pub fn into_stream(self) -> BoxStream<'static, Result<T>>
    where
        T: Send + 'static,
    {
        self.pages()
            .map_ok(|page| stream::iter(page.items.into_iter().map(Ok)))
            .try_flatten()
            .boxed()
    }

    fn request(&self) -> Result<Request> {
        let mut request = match &self.source {
            Source::Devices(spec) => {
                if spec.query.trim().is_empty() {
                    return Err(Error::invalid_input("the query text is empty"));
                }
                // Reading a page has no side effects, so it is retried like a GET.
                Request::new(Method::POST, "/devices/query".to_owned())
                    .idempotent(true)
                    .read_only()
                    .json(spec)?
            }
            Source::Jobs {
                job_type,
                job_status,
            } => {
                let mut request = Request::get("/jobs/v2/query".to_owned());
                if let Some(job_type) = job_type {
                    request = request.query("jobType", job_type.as_str());
                }
                if let Some(status) = job_status {
                    request = request.query("jobStatus", status.as_str());
                }
                request
            }
        };
        if let Some(size) = self.page_size {
            if !(1..=MAX_PAGE_SIZE).contains(&size) {
                return Err(Error::invalid_input(format!(
                    "page size is {size}; it must be between 1 and {MAX_PAGE_SIZE}"
                )));
            }
            request = request.header(MAX_ITEM_COUNT_HEADER, &size.to_string())?;
        }
        if let Some(token) = &self.continuation {
            request = request.header(CONTINUATION_HEADER, token)?;
        }
        Ok(request)
    }
}

impl<T> fmt::Debug for Query<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = match &self.source {
            Source::Devices(spec) => format!("query {:?}", spec.query),
            Source::Jobs {
                job_type,
                job_status,
            } => format!("jobs (type {job_type:?}, status {job_status:?})"),
        };
        f.debug_struct("Query")
            .field("source", &source)
            .field("page_size", &self.page_size)
            .field("continuation", &self.continuation)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

/// The rows of a page. The hub sends a bare array; a `QueryResult` object
/// (`{"items":[…],"continuationToken":…}`, what the swagger describes for jobs) is read too.
fn rows_of(body: &[u8]) -> Result<(Vec<Value>, Option<String>)> {
    match decode::<Value>(body)? {
        Value::Array(rows) => Ok((rows, None)),
        Value::Object(mut object) => match object.remove("items") {
            Some(Value::Array(rows)) => {
                let token = object
                    .get("continuationToken")
                    .and_then(Value::as_str)
                    .filter(|t| !t.trim().is_empty())
                    .map(str::to_owned);
                Ok((rows, token))
            }
            _ => Err(Error::new(ErrorKind::Deserialize(
                "expected a JSON array of results, got an object without `items`".into(),
            ))),
        },
        other => Err(Error::new(ErrorKind::Deserialize(format!(
            "expected a JSON array of results, got {}",
            iothub_model::json_kind(&other)
        )))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rows_from_array_or_query_result() {
        let (rows, token) = rows_of(br#"[{"a":1},{"a":2}]"#).unwrap();
        assert_eq!(rows, vec![json!({"a":1}), json!({"a":2})]);
        assert_eq!(token, None);
        let (rows, token) =
            rows_of(br#"{"type":"jobResponse","items":[{"jobId":"j"}],"continuationToken":"c1"}"#)
                .unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(token.as_deref(), Some("c1"));
        let err = rows_of(br#"{"Message":"x"}"#).unwrap_err();
        assert!(err.to_string().contains("array"), "{err}");
        let err = rows_of(b"42").unwrap_err();
        assert!(err.to_string().contains("a number"), "{err}");
    }
}
