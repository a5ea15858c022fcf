//! Query pages over the store (`POST /devices/query`): each page reads only the twins it needs.
//!
//! The [`query`](crate::query) module evaluates a parsed query over documents and knows nothing of
//! storage; this module decides which stored records to read, in what form, and where a page
//! stops, so the work for a page is proportional to what it scans and the work for a whole
//! result set is linear in the registry.
//!
//! - **Keyset continuation.** Twins are read in `(deviceId, moduleId)` order (the store's primary
//!   key). A page's continuation token carries the key of its last row (and how many rows were
//!   returned so far, for `TOP`), bound to the query text; the next page seeks past that key.
//!   Nothing is kept on the server, so a token never expires and survives a restart. Between pages
//!   the result reflects the store as it is when each page is read: a twin changed after its page
//!   was returned is not returned again, a twin that changes before its page is read is returned as
//!   changed (and only if it then matches), a device created behind the cursor is not returned and
//!   one created ahead of it is. Every device present throughout is returned at most once, and
//!   exactly once if it matches throughout. Aggregates (`COUNT()`, `GROUP BY`, …) and
//!   `devices.jobs` are computed over the whole set for each page and paged by offset; their
//!   results are small.
//! - **Device-id seeks.** A condition that pins `deviceId` (`=`, `IN [...]`, `STARTSWITH`, also
//!   inside `AND`, and an `OR` of such) is answered by index seeks instead of a full scan.
//! - **Twins without their properties.** A query that reads no `properties` (conditions on
//!   `tags`, `status`, `connectionState`, projections of identity fields, `GROUP BY
//!   connectionState` counts) is evaluated on the twin built from the stored record with its
//!   desired and reported sections skipped unparsed; a `SELECT *` or a projection of properties
//!   whose condition reads no properties uses that lighter twin to filter and builds the full
//!   twin only for rows that match.
//!
//! None of this changes which rows a query returns or their order: the full condition is
//! evaluated on every candidate, and the lighter twin equals the full one outside `properties`
//! (`tests/query_plan.rs` compares both paths on generated fleets and queries).

use serde::Deserialize;
use serde_json::{Map, Value};

use iothub_model::ErrorCode;

use crate::error::EmulatorError;
use crate::hub::{QueryPage, page};
use crate::identity::Identity;
use crate::query::{DeviceIds, Query, Source};
use crate::registry;
use crate::store::{IdentityRecord, TwinState, Tx};

/// The top-level members of a service twin other than `properties`: a query reading only these
/// can be answered from a twin built without its desired and reported sections.
const LIGHT_ROOTS: &[&str] = &[
    "deviceId",
    "moduleId",
    "etag",
    "deviceEtag",
    "status",
    "statusReason",
    "statusUpdateTime",
    "connectionState",
    "lastActivityTime",
    "cloudToDeviceMessageCount",
    "authenticationType",
    "x509Thumbprint",
    "modelId",
    "version",
    "tags",
    "configurations",
    "capabilities",
    "deviceScope",
    "parentScopes",
];

/// How the documents of a query are built from the stored records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    /// Every twin is built in full; the condition is evaluated on it.
    Full,
    /// The condition is evaluated on the twin without properties; rows that match are built in
    /// full.
    FilterLight,
    /// Every document is the twin without properties.
    Light,
}

impl Plan {
    /// The plan for `query` (over devices or modules).
    pub fn of(query: &Query) -> Self {
        if query.reads_only(LIGHT_ROOTS) {
            Plan::Light
        } else if query.condition().is_some_and(|c| c.reads_only(LIGHT_ROOTS)) {
            Plan::FilterLight
        } else {
            Plan::Full
        }
    }
}

/// Runs `query` (parsed from `text`) and returns the page after `continuation`.
pub fn run(
    tx: &Tx<'_>,
    text: &str,
    query: &Query,
    continuation: Option<&str>,
    page_size: usize,
) -> Result<QueryPage, EmulatorError> {
    run_with(tx, text, query, continuation, page_size, Plan::of(query))
}

/// [`run`] with the plan chosen by the caller: tests run every query under [`Plan::Full`] too
/// and compare.
pub fn run_with(
    tx: &Tx<'_>,
    text: &str,
    query: &Query,
    continuation: Option<&str>,
    page_size: usize,
    plan: Plan,
) -> Result<QueryPage, EmulatorError> {
    let invalid =
        |e: crate::query::QueryError| EmulatorError::hub(ErrorCode::ArgumentInvalid, e.to_string());
    if query.source() == Source::Jobs {
        let rows = query.execute(tx.device_jobs()?).map_err(invalid)?;
        return page(text, rows, continuation, page_size, query.item_type());
    }
    let modules = query.source() == Source::Modules;
    let ids = query.device_ids();
    if query.is_whole_set() {
        let mut docs = Vec::new();
        scan(tx, modules, &ids, None, |d, m, text| {
            if let Some(doc) = matching_doc(query, plan, d, m, text)? {
                docs.push(doc);
            }
            Ok(true)
        })?;
        let rows = query.execute(docs).map_err(invalid)?;
        return page(text, rows, continuation, page_size, query.item_type());
    }

    let cursor = continuation.map(|t| Cursor::parse(text, t)).transpose()?;
    let emitted = cursor.as_ref().map_or(0, |c| c.emitted);
    let remaining = query
        .top()
        .map_or(u64::MAX, |top| top.saturating_sub(emitted));
    let page_size = page_size.max(1);
    let capped_by_top = remaining <= page_size as u64;
    let limit = usize::try_from(remaining)
        .unwrap_or(usize::MAX)
        .min(page_size);
    let mut items = Vec::new();
    let mut last: Option<(String, String)> = None;
    let mut more = false;
    if limit > 0 {
        let after = cursor
            .as_ref()
            .map(|c| (c.device.as_str(), c.module.as_str()));
        scan(tx, modules, &ids, after, |d, m, record| {
            let Some(doc) = matching_doc(query, plan, d, m, record)? else {
                return Ok(true);
            };
            if items.len() == limit {
                // One match past the page: there is a next page.
                more = true;
                return Ok(false);
            }
            items.push(query.row(doc));
            last = Some((d.to_owned(), m.to_owned()));
            Ok(!(capped_by_top && items.len() == limit))
        })?;
    }
    let continuation = match (more, last) {
        (true, Some((device, module))) => Some(
            Cursor {
                emitted: emitted + items.len() as u64,
                device,
                module,
            }
            .token(text),
        ),
        _ => None,
    };
    Ok(QueryPage {
        items,
        continuation,
        item_type: query.item_type(),
    })
}

/// The document for one stored record if the query's condition selects it, built as `plan`
/// says.
fn matching_doc(
    query: &Query,
    plan: Plan,
    device: &str,
    module: &str,
    record: &str,
) -> Result<Option<Value>, EmulatorError> {
    let identity = Identity {
        device_id: device.to_owned(),
        module_id: (!module.is_empty()).then(|| module.to_owned()),
    };
    let matches = |doc: &Value| query.condition().is_none_or(|c| c.matches(doc));
    match plan {
        Plan::Light => {
            let doc = light_twin(&identity, record)?;
            Ok(matches(&doc).then_some(doc))
        }
        Plan::FilterLight => {
            if !matches(&light_twin(&identity, record)?) {
                return Ok(None);
            }
            full_twin(&identity, record).map(Some)
        }
        Plan::Full => {
            let doc = full_twin(&identity, record)?;
            Ok(matches(&doc).then_some(doc))
        }
    }
}

#[allow(clippy::needless_pass_by_value)] // the shape `map_err` hands over
fn corrupt(e: serde_json::Error) -> EmulatorError {
    EmulatorError::Corrupt(e.to_string())
}

/// The service twin of a stored record, as `GET /twins` returns it.
fn full_twin(identity: &Identity, record: &str) -> Result<Value, EmulatorError> {
    let record: IdentityRecord = serde_json::from_str(record).map_err(corrupt)?;
    registry::twin_wire(identity, &record)
}

/// A stored record with its desired and reported sections (and their metadata) skipped: the
/// fields not named here are passed over by the parser without being built.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LightRecord {
    registry: Value,
    registry_version: u64,
    twin: LightTwin,
}

/// The members of [`TwinState`] that appear outside `properties` in a service twin.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LightTwin {
    tags: Map<String, Value>,
    desired_version: u64,
    reported_version: u64,
    version: u64,
    etag_version: u64,
    #[serde(default)]
    configurations: Map<String, Value>,
}

/// The service twin of a stored record without `properties`, built by the same
/// [`registry::twin_wire`] as the full twin so both agree on every other member.
fn light_twin(identity: &Identity, record: &str) -> Result<Value, EmulatorError> {
    let light: LightRecord = serde_json::from_str(record).map_err(corrupt)?;
    let record = IdentityRecord {
        registry: light.registry,
        registry_version: light.registry_version,
        twin: TwinState {
            tags: light.twin.tags,
            desired_version: light.twin.desired_version,
            reported_version: light.twin.reported_version,
            version: light.twin.version,
            etag_version: light.twin.etag_version,
            configurations: light.twin.configurations,
            ..TwinState::default()
        },
    };
    let mut doc = registry::twin_wire(identity, &record)?;
    if let Value::Object(map) = &mut doc {
        map.shift_remove("properties");
    }
    Ok(doc)
}

/// Visits the stored records `ids` admits, in key order, strictly after `after`, until `visit`
/// returns `false`.
fn scan(
    tx: &Tx<'_>,
    modules: bool,
    ids: &DeviceIds,
    after: Option<(&str, &str)>,
    mut visit: impl FnMut(&str, &str, &str) -> Result<bool, EmulatorError>,
) -> Result<(), EmulatorError> {
    match ids {
        DeviceIds::All => scan_from(tx, modules, after, "", |_| true, &mut visit).map(drop),
        DeviceIds::Prefix(prefix) => scan_from(
            tx,
            modules,
            after,
            prefix,
            |d| d.starts_with(prefix.as_str()),
            &mut visit,
        )
        .map(drop),
        DeviceIds::Exactly(set) => {
            let first = after.map_or("", |(d, _)| d);
            let from = (std::ops::Bound::Included(first), std::ops::Bound::Unbounded);
            for id in set.range::<str, _>(from) {
                let id = id.as_str();
                if !scan_from(tx, modules, after, id, |d| d == id, &mut visit)? {
                    break;
                }
            }
            Ok(())
        }
    }
}

/// Visits records from the later of `after` (excluded) and `start` (included) while their
/// device id is `within`; returns `false` when `visit` asked to stop.
fn scan_from(
    tx: &Tx<'_>,
    modules: bool,
    after: Option<(&str, &str)>,
    start: &str,
    within: impl Fn(&str) -> bool,
    visit: &mut impl FnMut(&str, &str, &str) -> Result<bool, EmulatorError>,
) -> Result<bool, EmulatorError> {
    let (from, inclusive) = match after {
        Some(after) if after >= (start, "") => (after, false),
        _ => ((start, ""), true),
    };
    let mut go_on = true;
    tx.scan_identities(modules, from, inclusive, |d, m, record| {
        if !within(d) {
            return Ok(false);
        }
        go_on = visit(d, m, record)?;
        Ok(go_on)
    })?;
    Ok(go_on)
}

/// Where the next page of a row-by-row query starts: after the key of the last row returned.
#[derive(Debug, PartialEq, Eq)]
struct Cursor {
    /// Rows returned so far (for `TOP`).
    emitted: u64,
    device: String,
    module: String,
}

/// The token's wire form, before base64.
#[derive(serde::Serialize, Deserialize)]
struct CursorWire {
    /// Fingerprint of the query text the token was issued for.
    q: String,
    n: u64,
    d: String,
    m: String,
}

impl Cursor {
    fn token(&self, query: &str) -> String {
        use base64::Engine;
        let wire = CursorWire {
            q: format!("{:016x}", crate::hub::fingerprint(query)),
            n: self.emitted,
            d: self.device.clone(),
            m: self.module.clone(),
        };
        let json = serde_json::to_vec(&wire).unwrap_or_default();
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json)
    }

    fn parse(query: &str, token: &str) -> Result<Self, EmulatorError> {
        use base64::Engine;
        let bad = crate::hub::bad_continuation;
        let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(token.trim())
            .map_err(|_| bad())?;
        let wire: CursorWire = serde_json::from_slice(&raw).map_err(|_| bad())?;
        if wire.q != format!("{:016x}", crate::hub::fingerprint(query)) {
            return Err(bad());
        }
        Ok(Cursor {
            emitted: wire.n,
            device: wire.d,
            module: wire.m,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_round_trips_and_is_bound_to_its_query() {
        let cursor = Cursor {
            emitted: 7,
            device: "dev'ice:1".into(),
            module: "m".into(),
        };
        let token = cursor.token("SELECT * FROM devices");
        assert_eq!(
            Cursor::parse("SELECT * FROM devices", &token).unwrap(),
            cursor
        );
        assert!(Cursor::parse("SELECT deviceId FROM devices", &token).is_err());
        assert!(Cursor::parse("SELECT * FROM devices", "not a token!").is_err());
    }

    #[test]
    fn plans_follow_what_the_query_reads() {
        let plan = |q: &str| Plan::of(&crate::query::parse(q).unwrap());
        assert_eq!(plan("SELECT * FROM devices"), Plan::Full);
        assert_eq!(
            plan("SELECT * FROM devices WHERE tags.site = 'a'"),
            Plan::FilterLight
        );
        assert_eq!(
            plan("SELECT COUNT() AS n, connectionState FROM devices GROUP BY connectionState"),
            Plan::Light
        );
        assert_eq!(
            plan("SELECT deviceId, properties.reported.dm FROM devices WHERE status = 'enabled'"),
            Plan::FilterLight
        );
        assert_eq!(
            plan("SELECT deviceId FROM devices WHERE properties.reported.x = 1"),
            Plan::Full
        );
        assert_eq!(
            plan("SELECT deviceId FROM devices WHERE PROPERTIES.reported.x = 1"),
            Plan::Full
        );
        assert_eq!(plan("SELECT DeviceId, Tags FROM devices"), Plan::Light);
    }
}
