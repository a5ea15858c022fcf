//! The hub's REST front door: route matching, percent-decoding of ids in paths, the
//! `api-version` and SAS checks, then the handlers, driven through the real router over a
//! real hub (SQLite store in a temporary directory), one fuzzed request per execution.
//!
//! Besides "never panic": a request never gets a 500 (bad input is the client's fault), a
//! device's token only ever succeeds on that device's own paths however they are encoded, and
//! a read-only policy never succeeds at a registry write (`%`-encoded segments included).
#![no_main]

use std::sync::{Arc, OnceLock};

use arbitrary::{Arbitrary, Result, Unstructured};
use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use iothub_auth::{SasToken, SharedAccessKey, unix_now};
use iothub_emulator::config::HubConfig;
use iothub_emulator::connections::Connections;
use iothub_emulator::hub::Hub;
use libfuzzer_sys::fuzz_target;
use percent_encoding::percent_decode_str;
use tokio::runtime::Runtime;
use tokio_util::sync::CancellationToken;
use tower::ServiceExt as _;

const DEVICE_KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

/// What every execution shares: the runtime, the hub's router and tokens signed for it.
struct World {
    runtime: Runtime,
    router: Router,
    owner: String,
    read_only: String,
    device: String,
    _dir: tempfile::TempDir,
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        // Under /dev/shm when it exists: every write commits (and syncs) a SQLite transaction.
        let dir = tempfile::Builder::new()
            .prefix("dmctl-fuzz-hub")
            .tempdir_in(if std::path::Path::new("/dev/shm").is_dir() {
                "/dev/shm"
            } else {
                "/tmp"
            })
            .expect("a temporary directory");
        let hub = Hub::open(
            HubConfig::new(dir.path()),
            Arc::new(Connections::new()),
            &[443],
        )
        .expect("the hub opens");
        let sign = |policy: &str| {
            let p = hub
                .policies()
                .iter()
                .find(|p| p.name == policy)
                .expect("default policy");
            let key = SharedAccessKey::from_base64(&p.primary_key).expect("a policy key");
            SasToken::sign(
                &key,
                "localhost",
                unix_now() + 10 * 365 * 86_400,
                Some(policy),
            )
            .expect("signs")
            .expose()
            .to_owned()
        };
        let owner = sign("iothubowner");
        let read_only = sign("registryRead");
        let device_key = SharedAccessKey::from_base64(DEVICE_KEY).expect("a key");
        let device = SasToken::sign(
            &device_key,
            "localhost/devices/d1",
            unix_now() + 86_400,
            None,
        )
        .expect("signs")
        .expose()
        .to_owned();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let router = iothub_emulator::rest::service(Arc::new(hub), CancellationToken::new());
        let world = World {
            runtime,
            router,
            owner,
            read_only,
            device,
            _dir: dir,
        };
        for id in ["d1", "d2"] {
            let body = serde_json::json!({"deviceId": id, "authentication": {"type": "sas",
                "symmetricKey": {"primaryKey": DEVICE_KEY, "secondaryKey": DEVICE_KEY}}});
            let (status, _) = world
                .send(
                    Method::PUT,
                    &format!("/devices/{id}?api-version=2021-04-12"),
                    Some(world.owner.as_str()),
                    body.to_string().into_bytes(),
                )
                .expect("a valid URI");
            assert!(status.is_success(), "creating {id}: {status}");
        }
        world
    })
}

impl World {
    fn send(
        &self,
        method: Method,
        uri: &str,
        auth: Option<&str>,
        body: Vec<u8>,
    ) -> Option<(StatusCode, Vec<u8>)> {
        let mut builder = Request::builder().method(method).uri(uri);
        if let Some(auth) = auth {
            builder = builder.header(header::AUTHORIZATION, auth);
        }
        let request = builder
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body))
            .ok()?;
        let router = self.router.clone();
        Some(self.runtime.block_on(async move {
            let response = router
                .oneshot(request)
                .await
                .expect("the router is infallible");
            let status = response.status();
            let body = axum::body::to_bytes(response.into_body(), 1 << 20)
                .await
                .unwrap_or_default();
            (status, body.to_vec())
        }))
    }
}

/// Path segments the router knows, and encodings of them that must route the same.
const SEGMENTS: &[&str] = &[
    "devices",
    "twins",
    "modules",
    "m1",
    "jobs",
    "v2",
    "cancel",
    "configurations",
    "testQueries",
    "methods",
    "files",
    "notifications",
    "messages",
    "events",
    "deviceBound",
    "devicebound",
    "abandon",
    "query",
    "%71uery",
    "d1",
    "d2",
    "%64%31",
    "d%31",
    "%2F",
    "%",
    "%zz",
    "%C3%28",
    "fileupload",
    "statistics",
    "service",
    "applyConfigurationContent",
    "keys",
    "regenerate",
    "$iothub",
    "websocket",
    "",
    "..",
    ".",
];

#[derive(Debug)]
enum Auth {
    None,
    Owner,
    ReadOnly,
    Device,
    Raw(String),
}

#[derive(Debug)]
struct Input {
    method: Method,
    path: String,
    query: String,
    auth: Auth,
    body: Vec<u8>,
}

impl<'a> Arbitrary<'a> for Input {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let method = u
            .choose(&[
                Method::GET,
                Method::PUT,
                Method::POST,
                Method::PATCH,
                Method::DELETE,
                Method::HEAD,
            ])?
            .clone();
        let mut path = String::new();
        for _ in 0..u.int_in_range(1..=6)? {
            path.push('/');
            if u.ratio(7, 8)? {
                path.push_str(u.choose(SEGMENTS)?);
            } else {
                path.push_str(u.arbitrary()?);
            }
        }
        let query = match u.int_in_range(0..=3)? {
            0 => String::new(),
            1 => "?api-version=2021-04-12".to_owned(),
            2 => format!("?api-version=2021-04-12&{}", u.arbitrary::<&str>()?),
            _ => format!("?{}", u.arbitrary::<&str>()?),
        };
        let auth = match u.int_in_range(0..=4)? {
            0 => Auth::None,
            1 => Auth::Owner,
            2 => Auth::ReadOnly,
            3 => Auth::Device,
            _ => Auth::Raw(u.arbitrary()?),
        };
        let body = if u.arbitrary()? {
            dmctl_fuzz::json(
                u,
                &[
                    "deviceId",
                    "tags",
                    "properties",
                    "desired",
                    "methodName",
                    "payload",
                    "id",
                    "content",
                    "targetCondition",
                    "query",
                    "correlationId",
                ],
                0,
            )?
            .to_string()
            .into_bytes()
        } else {
            u.arbitrary::<&[u8]>()?.to_vec()
        };
        Ok(Input {
            method,
            path,
            query,
            auth,
            body,
        })
    }
}

fuzz_target!(|input: Input| {
    let world = world();
    let auth = match &input.auth {
        Auth::None => None,
        Auth::Owner => Some(world.owner.as_str()),
        Auth::ReadOnly => Some(world.read_only.as_str()),
        Auth::Device => Some(world.device.as_str()),
        Auth::Raw(s) => Some(s.as_str()),
    };
    let uri = format!("{}{}", input.path, input.query);
    let Some((status, body)) = world.send(input.method.clone(), &uri, auth, input.body.clone())
    else {
        return; // Not a URI a client could send.
    };
    assert!(
        status != StatusCode::INTERNAL_SERVER_ERROR,
        "{} {uri} answered 500: {}",
        input.method,
        String::from_utf8_lossy(&body)
    );
    let decoded = percent_decode_str(&input.path).decode_utf8_lossy();
    if status.is_success() {
        if matches!(input.auth, Auth::Device) {
            assert!(
                decoded == "/devices/d1" || decoded.starts_with("/devices/d1/"),
                "device d1's token succeeded at {} {uri}",
                input.method
            );
        }
        if matches!(input.auth, Auth::ReadOnly)
            && !matches!(input.method, Method::GET | Method::HEAD)
        {
            assert!(
                !(decoded.starts_with("/devices") || decoded.starts_with("/configurations"))
                    || decoded == "/configurations/testQueries",
                "a read-only policy wrote: {} {uri} -> {status}",
                input.method
            );
        }
    }
});
