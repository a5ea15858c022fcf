//! Request plumbing shared by every operation: URL and header construction, authentication,
//! retries, and turning responses into values or typed errors.
//!
//! Keeping this in one place is what guarantees that every call percent-encodes ids the same
//! way, carries the same headers, honours the same retry rules and maps errors identically.

use std::error::Error as StdError;
use std::io;
use std::time::Duration;

use bytes::Bytes;
use iothub_model::parse_error_body;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::header::{
    ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, RETRY_AFTER,
};
use reqwest::{Method, StatusCode, Url};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::client::ServiceClient;
use crate::error::{Error, ErrorKind, HubError, Result};
use crate::observe::{WriteCall, WriteOutcome};
use crate::retry::parse_retry_after;

/// Everything but RFC 3986 "unreserved" characters is escaped, so an id can never add a path
/// segment, a query or a fragment.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

const JSON_UTF8: &str = "application/json; charset=utf-8";
const ERROR_CODE_HEADER: &str = "iothub-errorcode";

/// Percent-encodes one path segment.
pub(crate) fn segment(id: &str) -> String {
    utf8_percent_encode(id, PATH_SEGMENT).to_string()
}

/// One REST call, before authentication and retries.
#[derive(Debug)]
pub(crate) struct Request {
    method: Method,
    /// Path with every id already encoded by [`segment`].
    path: String,
    query: Vec<(&'static str, String)>,
    headers: HeaderMap,
    body: Option<Bytes>,
    /// Safe to send twice: retried on 429, 503 and connection failures.
    idempotent: bool,
    timeout: Option<Duration>,
    /// A non-success status whose body the caller interprets itself (bulk registry's 400).
    pass_status: Option<StatusCode>,
    /// Changes nothing on the hub (GETs, query pages): not shown to a write observer.
    read_only: bool,
}

/// A response with its body read.
#[derive(Debug)]
pub(crate) struct Response {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

impl Request {
    /// A request; GET, PUT, DELETE and PATCH start out idempotent, POST does not.
    pub(crate) fn new(method: Method, path: String) -> Self {
        let idempotent = method != Method::POST;
        let read_only = method == Method::GET;
        Self {
            method,
            path,
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: None,
            idempotent,
            timeout: None,
            pass_status: None,
            read_only,
        }
    }

    pub(crate) fn get(path: String) -> Self {
        Self::new(Method::GET, path)
    }

    pub(crate) fn operation(&self) -> String {
        format!("{} {}", self.method, self.path)
    }

    pub(crate) fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Result<Self> {
        let bytes = serde_json::to_vec(body).map_err(|e| {
            Error::invalid_input(format!("could not serialize the request body: {e}"))
                .with_operation(self.operation())
        })?;
        self.body = Some(Bytes::from(bytes));
        Ok(self)
    }

    pub(crate) fn query(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.query.push((name, value.into()));
        self
    }

    pub(crate) fn header(mut self, name: &'static str, value: &str) -> Result<Self> {
        let value = HeaderValue::from_str(value).map_err(|_| {
            Error::invalid_input(format!("{name} value is not a valid HTTP header value"))
                .with_operation(self.operation())
        })?;
        self.headers.insert(HeaderName::from_static(name), value);
        Ok(self)
    }

    pub(crate) fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = idempotent;
        self
    }

    pub(crate) fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    pub(crate) fn pass_status(mut self, status: StatusCode) -> Self {
        self.pass_status = Some(status);
        self
    }

    /// Marks a POST that only reads (a query page), so write observers do not see it.
    pub(crate) fn read_only(mut self) -> Self {
        self.read_only = true;
        self
    }
}

impl ServiceClient {
    fn url(&self, request: &Request) -> Url {
        let mut url = self.inner.endpoint.clone();
        let prefix = url.path().trim_end_matches('/').to_owned();
        url.set_path(&format!("{prefix}{}", request.path));
        {
            let mut pairs = url.query_pairs_mut();
            pairs.append_pair("api-version", &self.inner.api_version);
            for (name, value) in &request.query {
                pairs.append_pair(name, value);
            }
        }
        url
    }

    /// Sends `request` with authentication and retries; returns success responses (and the
    /// pass-through status), maps everything else to an [`Error`]. A write is shown to the
    /// write observer first (which may refuse it) and again with its outcome.
    pub(crate) async fn send(&self, request: Request) -> Result<Response> {
        // One id for all attempts, so the hub's logs show them as one logical call.
        let request_id = uuid::Uuid::new_v4().to_string();
        let observer = match &self.inner.observer {
            Some(observer) if !request.read_only => observer,
            _ => return self.send_attempts(request, &request_id).await,
        };
        let method = request.method.to_string();
        let path = request.path.clone();
        let if_match = header_str(&request.headers, "if-match").map(str::to_owned);
        let call = WriteCall {
            method: &method,
            path: &path,
            request_id: &request_id,
            if_match: if_match.as_deref(),
        };
        let token = observer.before(&call).map_err(|reason| {
            Error::new(ErrorKind::NotRecorded(reason)).with_operation(request.operation())
        })?;
        let result = self.send_attempts(request, &request_id).await;
        let failure = result.as_ref().err().map(ToString::to_string);
        let hub = result.as_ref().err().and_then(Error::hub_error);
        let code = hub.and_then(|h| h.code.map(|c| c.name().to_owned()).or(h.name.clone()));
        let outcome = WriteOutcome {
            status: match &result {
                Ok(response) => Some(response.status.as_u16()),
                Err(e) => e.status(),
            },
            error_code: code.as_deref(),
            tracking_id: hub.and_then(|h| h.tracking_id.as_deref()),
            failure: if hub.is_none() {
                failure.as_deref()
            } else {
                None
            },
        };
        observer.after(token, &call, &outcome);
        result
    }

    async fn send_attempts(&self, request: Request, request_id: &str) -> Result<Response> {
        let inner = &self.inner;
        let operation = request.operation();
        let url = self.url(&request);
        let timeout = request.timeout.unwrap_or(inner.request_timeout);
        let attempts = self.retry.attempts();

        let mut attempt = 1;
        loop {
            let authorization = inner
                .credential
                .authorization()
                .await
                .map_err(|e| e.with_operation(operation.clone()))?;
            let mut builder = inner
                .http
                .request(request.method.clone(), url.clone())
                .header(AUTHORIZATION, authorization)
                .header(ACCEPT, "application/json")
                .header("Request-Id", request_id)
                .header("x-ms-client-request-id", request_id)
                .headers(request.headers.clone())
                .timeout(timeout);
            if let Some(body) = &request.body {
                builder = builder.header(CONTENT_TYPE, JSON_UTF8).body(body.clone());
            }
            tracing::debug!(operation = %operation, attempt, request_id = %request_id, "sending");

            let outcome = match builder.send().await {
                Ok(response) => read(response).await,
                Err(e) => Err(e),
            };
            let retry_after = match outcome {
                Ok(response)
                    if response.status.is_success()
                        || Some(response.status) == request.pass_status =>
                {
                    tracing::debug!(operation = %operation, status = %response.status, "done");
                    return Ok(response);
                }
                Ok(response) => {
                    let hub = hub_error(&response);
                    let retried = hub.is_transient()
                        && (hub.status != 429 || self.retry.retries_throttled())
                        && request.idempotent
                        && attempt < attempts;
                    if !retried {
                        return Err(Error::new(ErrorKind::Hub(hub)).with_operation(operation));
                    }
                    tracing::debug!(
                        operation = %operation, status = hub.status, attempt,
                        "transient hub error; retrying"
                    );
                    hub.retry_after
                }
                Err(e) => {
                    if e.is_timeout() {
                        return Err(Error::new(ErrorKind::Timeout)
                            .with_operation(operation)
                            .with_source(e));
                    }
                    if !(connection_failed(&e, request.idempotent) && attempt < attempts) {
                        return Err(Error::new(ErrorKind::Transport)
                            .with_operation(operation)
                            .with_source(e));
                    }
                    tracing::debug!(
                        operation = %operation, attempt, error = %e,
                        "connection failed; retrying"
                    );
                    None
                }
            };
            tokio::time::sleep(self.retry.delay(attempt, retry_after)).await;
            attempt += 1;
        }
    }

    /// Sends `request` and deserializes the JSON body of the answer.
    pub(crate) async fn send_json<T: DeserializeOwned>(&self, request: Request) -> Result<T> {
        let operation = request.operation();
        let response = self.send(request).await?;
        decode(&response.body).map_err(|e| e.with_operation(operation))
    }

    /// Sends `request` and ignores the body of the answer.
    pub(crate) async fn send_empty(&self, request: Request) -> Result<()> {
        self.send(request).await.map(drop)
    }
}

async fn read(response: reqwest::Response) -> Result<Response, reqwest::Error> {
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.bytes().await?;
    Ok(Response {
        status,
        headers,
        body,
    })
}

pub(crate) fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Builds the typed error for a non-success response.
pub(crate) fn hub_error(response: &Response) -> HubError {
    let status = response.status.as_u16();
    let parsed = parse_error_body(
        status,
        header_str(&response.headers, ERROR_CODE_HEADER),
        &response.body,
    );
    let retry_after =
        header_str(&response.headers, RETRY_AFTER.as_str()).and_then(parse_retry_after);
    HubError::from_parsed(status, parsed, retry_after)
}

/// Deserializes a JSON body, naming the path of the first mismatch.
pub(crate) fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let message = if path == "." {
            inner.to_string()
        } else {
            format!("at {path}: {inner}")
        };
        Error::new(ErrorKind::Deserialize(message))
    })
}

/// Whether a failed exchange may be repeated: the connection was refused, reset or closed.
///
/// A refused connection means nothing was sent, so any request may be repeated; after a reset
/// the hub may already have acted, so only idempotent ones are. TLS and DNS failures are not
/// retried: repeating them cannot help.
fn connection_failed(error: &reqwest::Error, idempotent: bool) -> bool {
    let mut refused = false;
    let mut broken = false;
    let mut source: Option<&(dyn StdError + 'static)> = error.source();
    while let Some(err) = source {
        if let Some(io) = err.downcast_ref::<io::Error>() {
            match io.kind() {
                io::ErrorKind::ConnectionRefused => refused = true,
                io::ErrorKind::ConnectionReset
                | io::ErrorKind::ConnectionAborted
                | io::ErrorKind::BrokenPipe
                | io::ErrorKind::NotConnected
                | io::ErrorKind::UnexpectedEof => broken = true,
                _ => {}
            }
        }
        if let Some(hyper) = err.downcast_ref::<hyper::Error>()
            && (hyper.is_incomplete_message() || hyper.is_closed() || hyper.is_canceled())
        {
            broken = true;
        }
        source = err.source();
    }
    (refused && error.is_connect()) || (idempotent && (broken || refused))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_cannot_escape_their_segment() {
        assert_eq!(segment("dev1"), "dev1");
        assert_eq!(segment("a/b"), "a%2Fb");
        assert_eq!(segment("a?b#c"), "a%3Fb%23c");
        assert_eq!(segment("100%"), "100%25");
        assert_eq!(segment("$edgeAgent"), "%24edgeAgent");
        assert_eq!(segment("x y"), "x%20y");
        assert_eq!(segment("a-b.c_d~e"), "a-b.c_d~e");
    }

    #[test]
    fn decode_names_the_failing_path() {
        #[derive(Debug, serde::Deserialize)]
        struct Outer {
            #[allow(dead_code)]
            inner: Inner,
        }
        #[derive(Debug, serde::Deserialize)]
        struct Inner {
            #[allow(dead_code)]
            count: u32,
        }
        let err = decode::<Outer>(br#"{"inner":{"count":"x"}}"#).unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::Deserialize(_)));
        assert!(err.to_string().contains("at inner.count"), "{err}");
        let err = decode::<Outer>(b"not json").unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::Deserialize(_)));
    }
}
