//! The emulator's durable state: one SQLite file in the data directory.
//!
//! Every acknowledged write is committed with `synchronous=FULL` in WAL mode, so `kill -9` or a
//! power cut loses nothing the hub answered for; writes arriving together share one commit
//! (group commit, in `group.rs`), reads run on their own connections beside the writer. Documents (identities, twins, jobs) are stored
//! as JSON text: the hub's own model is JSON, and queries run over the JSON anyway. The file is
//! the source of truth — another process (e.g. `dmctl hub connection-string --create`) may add a
//! device while a server runs — so nothing is cached across requests.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::EmulatorError;

mod group;
pub use group::CommitStats;
use group::GroupWriter;

/// The schema migrations, in order; `PRAGMA user_version` records how many have run.
const MIGRATIONS: &[&str] = &[
    // 1: registry, twins, policies, jobs, telemetry.
    "CREATE TABLE policies (
        name TEXT PRIMARY KEY,
        primary_key TEXT NOT NULL,
        secondary_key TEXT NOT NULL,
        rights TEXT NOT NULL
    );
    CREATE TABLE identities (
        device_id TEXT NOT NULL,
        module_id TEXT NOT NULL DEFAULT '',
        record TEXT NOT NULL,
        PRIMARY KEY (device_id, module_id)
    );
    CREATE TABLE jobs (
        job_id TEXT PRIMARY KEY,
        created_ms INTEGER NOT NULL,
        doc TEXT NOT NULL
    );
    CREATE TABLE device_jobs (
        job_id TEXT NOT NULL,
        device_id TEXT NOT NULL,
        module_id TEXT NOT NULL DEFAULT '',
        doc TEXT NOT NULL,
        PRIMARY KEY (job_id, device_id, module_id)
    );
    CREATE TABLE telemetry (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        device_id TEXT NOT NULL,
        module_id TEXT NOT NULL DEFAULT '',
        received TEXT NOT NULL,
        properties TEXT NOT NULL,
        body BLOB NOT NULL
    );",
    // 2: device file uploads (IoT Hub's file-upload flow).
    "CREATE TABLE file_uploads (
        correlation_id TEXT PRIMARY KEY,
        device_id TEXT NOT NULL,
        blob_name TEXT NOT NULL,
        secret TEXT NOT NULL,
        created TEXT NOT NULL,
        expires_unix INTEGER NOT NULL,
        size INTEGER,
        uploaded TEXT,
        completed TEXT,
        is_success INTEGER,
        status_code INTEGER,
        status_description TEXT
    );
    CREATE INDEX file_uploads_by_blob ON file_uploads (blob_name);
    CREATE INDEX file_uploads_by_device ON file_uploads (device_id);",
    // 3: automatic device management configurations (`/configurations`).
    "CREATE TABLE configurations (
        id TEXT PRIMARY KEY,
        created_ms INTEGER NOT NULL,
        version INTEGER NOT NULL,
        doc TEXT NOT NULL
    );",
];

/// The policies a new hub starts with (§A.3) and their permissions.
pub const DEFAULT_POLICIES: &[(&str, &[&str])] = &[
    (
        "iothubowner",
        &[
            "RegistryRead",
            "RegistryWrite",
            "ServiceConnect",
            "DeviceConnect",
        ],
    ),
    ("service", &["ServiceConnect"]),
    ("device", &["DeviceConnect"]),
    ("registryRead", &["RegistryRead"]),
    ("registryReadWrite", &["RegistryRead", "RegistryWrite"]),
];

/// How many device-to-cloud messages are kept (oldest dropped first).
pub const TELEMETRY_KEPT: i64 = 10_000;

/// A shared access policy.
#[derive(Clone, PartialEq, Eq)]
pub struct Policy {
    /// The policy (key) name, as in `skn`.
    pub name: String,
    /// Primary key, base64.
    pub primary_key: String,
    /// Secondary key, base64.
    pub secondary_key: String,
    /// Permissions: `RegistryRead`, `RegistryWrite`, `ServiceConnect`, `DeviceConnect`.
    pub rights: Vec<String>,
}

impl std::fmt::Debug for Policy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Policy")
            .field("name", &self.name)
            .field("rights", &self.rights)
            .finish_non_exhaustive()
    }
}

impl Policy {
    /// Whether the policy grants `right`.
    pub fn has(&self, right: &str) -> bool {
        self.rights.iter().any(|r| r == right)
    }
}

/// A device or module identity with its twin, as stored. `Debug` leaves out the registry
/// document, which holds the identity's keys.
#[derive(Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct IdentityRecord {
    /// The registry document (`Device` or `Module` wire shape, without `etag`).
    pub registry: Value,
    /// Registry version behind the device/module `etag`.
    pub registry_version: u64,
    /// The twin state.
    pub twin: TwinState,
}

impl std::fmt::Debug for IdentityRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdentityRecord")
            .field("registry_version", &self.registry_version)
            .field("twin", &self.twin)
            .finish_non_exhaustive()
    }
}

/// A twin's stored state; the wire document is assembled from it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct TwinState {
    /// `tags`
    pub tags: serde_json::Map<String, Value>,
    /// `properties.desired` without `$version`/`$metadata`.
    pub desired: serde_json::Map<String, Value>,
    /// `properties.reported` without `$version`/`$metadata`.
    pub reported: serde_json::Map<String, Value>,
    /// `$metadata` of desired.
    pub desired_metadata: serde_json::Map<String, Value>,
    /// `$metadata` of reported.
    pub reported_metadata: serde_json::Map<String, Value>,
    /// `properties.desired.$version`
    pub desired_version: u64,
    /// `properties.reported.$version`
    pub reported_version: u64,
    /// Twin `version` (every change).
    pub version: u64,
    /// Counter behind the twin `etag` (service-side changes only).
    pub etag_version: u64,
    /// The root `configurations` of the twin: `{configId: {"status": "Applied"|"Targeted"}}`
    /// for each configuration targeting it, written only by the configuration evaluation.
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub configurations: serde_json::Map<String, Value>,
}

/// A configuration as stored: the wire document plus what orders and versions it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredConfiguration {
    /// The id.
    pub id: String,
    /// Creation time in Unix milliseconds (ties in priority go to the newer configuration).
    pub created_ms: i64,
    /// The counter behind the etag.
    pub version: u64,
    /// The `Configuration` wire document.
    pub doc: Value,
}

fn stored_configuration(
    row: &rusqlite::Row<'_>,
) -> rusqlite::Result<Result<StoredConfiguration, EmulatorError>> {
    let id: String = row.get(0)?;
    let created_ms: i64 = row.get(1)?;
    let version: i64 = row.get(2)?;
    let doc: String = row.get(3)?;
    Ok((|| {
        Ok(StoredConfiguration {
            id,
            created_ms,
            version: u64::try_from(version).map_err(corrupt)?,
            doc: serde_json::from_str(&doc).map_err(corrupt)?,
        })
    })())
}

/// One device file upload: created by `POST /devices/{id}/files`, filled by the blob `PUT`,
/// finished by the device's notification. `Debug` leaves out the SAS secret.
#[derive(Clone, PartialEq, Eq)]
pub struct FileUpload {
    /// The id the device quotes in its notification.
    pub correlation_id: String,
    /// The uploading device.
    pub device_id: String,
    /// The full blob name within the container (`{deviceId}/{name}`).
    pub blob_name: String,
    /// The `sig` of the SAS handed out for this upload.
    pub secret: String,
    /// When the upload was created (ISO 8601).
    pub created: String,
    /// When the SAS expires (seconds since the Unix epoch).
    pub expires_unix: i64,
    /// Size of the stored blob, once one was written.
    pub size: Option<u64>,
    /// When the blob was last written.
    pub uploaded: Option<String>,
    /// The device's notification, once it arrived.
    pub completion: Option<FileUploadCompletion>,
}

impl std::fmt::Debug for FileUpload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileUpload")
            .field("correlation_id", &self.correlation_id)
            .field("device_id", &self.device_id)
            .field("blob_name", &self.blob_name)
            .field("expires_unix", &self.expires_unix)
            .field("size", &self.size)
            .field("completion", &self.completion)
            .finish_non_exhaustive()
    }
}

/// What a device reported when it finished an upload (`POST /devices/{id}/files/notifications`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileUploadCompletion {
    /// When the notification arrived (ISO 8601).
    pub completed: String,
    /// Whether the device says the upload succeeded.
    pub is_success: bool,
    /// The device's status code (user defined; usually the storage HTTP status).
    pub status_code: Option<i64>,
    /// The device's description.
    pub status_description: Option<String>,
}

/// The SQLite store.
pub struct Store {
    /// The one write connection, with group commit.
    writer: GroupWriter,
    /// Idle read connections (at most [`READERS_KEPT`]); more are opened under load.
    readers: Mutex<Vec<Connection>>,
    path: PathBuf,
}

/// How many idle read connections the store keeps open.
const READERS_KEPT: usize = 8;

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

fn corrupt(e: impl std::fmt::Display) -> EmulatorError {
    EmulatorError::Corrupt(e.to_string())
}

impl Store {
    /// Opens (creating and migrating) `hub.db` in `data_dir`.
    pub fn open(data_dir: &Path) -> Result<Self, EmulatorError> {
        crate::datadir::create_private_dir(data_dir)?;
        let path = data_dir.join("hub.db");
        // SQLite gives the -wal and -shm files the database file's mode.
        crate::datadir::create_private_file(&path)?;
        let mut conn = Connection::open(&path)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let version: usize = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version > MIGRATIONS.len() {
            return Err(EmulatorError::Corrupt(format!(
                "{} has schema version {version}, newer than this emulator ({})",
                path.display(),
                MIGRATIONS.len()
            )));
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version) {
            let tx = conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", i + 1)?;
            tx.commit()?;
        }
        let store = Self {
            writer: GroupWriter::new(conn),
            readers: Mutex::new(Vec::new()),
            path,
        };
        store.ensure_default_policies()?;
        Ok(store)
    }

    /// Creates the default policies with fresh keys when the hub has none (first start). Done
    /// in the store rather than the server so that tools reading a fresh data directory (e.g.
    /// `dmctl hub connection-string`) see the same policies the server will use.
    ///
    /// Checked with a read first: a tool opening the data directory of a running hub (`dmctl
    /// hub connection-string`, `hub container-sas`) must not queue for the write lock, which a
    /// busy hub holds nearly all the time (SQLite's lock is not fair: such a tool once waited
    /// out its 10 s busy timeout behind a job's writes).
    fn ensure_default_policies(&self) -> Result<(), EmulatorError> {
        if !self.policies()?.is_empty() {
            return Ok(());
        }
        self.with_tx(|tx| {
            if !tx.policies()?.is_empty() {
                return Ok(());
            }
            for (name, rights) in DEFAULT_POLICIES {
                tx.insert_policy(&Policy {
                    name: (*name).to_string(),
                    primary_key: iothub_auth::SharedAccessKey::generate().to_base64(),
                    secondary_key: iothub_auth::SharedAccessKey::generate().to_base64(),
                    rights: rights.iter().map(|r| (*r).to_string()).collect(),
                })?;
            }
            Ok(())
        })
    }

    /// All policies, read in their own read transaction (never waits for the writer).
    // The closure is needed: `Tx::policies` names one `Tx<'a>`, the transaction needs any.
    #[allow(clippy::redundant_closure_for_method_calls)]
    pub fn policies(&self) -> Result<Vec<Policy>, EmulatorError> {
        self.with_read_tx(|tx| tx.policies())
    }

    /// Path of the database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` as one durable write: committed when `f` returns `Ok`, undone when it fails,
    /// so a failed request never leaves half-applied state. Writes arriving together share one
    /// transaction and one `fsync` (group commit); this returns only once the commit holding
    /// the write is on disk, and a failing write never takes its neighbours down.
    pub fn with_tx<T, E: From<EmulatorError>>(
        &self,
        f: impl FnOnce(&Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        self.writer.write(true, f)
    }

    /// Runs a read-only `f` in one deferred transaction on a read connection: a consistent
    /// snapshot of committed state that neither waits for the writer nor sees a batch that is
    /// not committed yet (WAL readers run beside the writer).
    pub fn with_read_tx<T, E: From<EmulatorError>>(
        &self,
        f: impl FnOnce(&Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let pooled = self
            .readers
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .pop();
        let mut conn = match pooled {
            Some(conn) => conn,
            None => Self::open_reader(&self.path)?,
        };
        let out = (|| {
            let tx: Transaction<'_> = conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Deferred)
                .map_err(EmulatorError::from)?;
            let out = f(&Tx(&tx))?;
            tx.commit().map_err(EmulatorError::from)?;
            Ok(out)
        })();
        let mut readers = self
            .readers
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if readers.len() < READERS_KEPT {
            readers.push(conn);
        }
        out
    }

    /// Runs `f` as one write committed without waiting for `fsync` (`synchronous=NORMAL`; WAL
    /// mode keeps the file consistent either way). For what the hub records about activity —
    /// connection state, last activity, telemetry — where losing the last second to a power cut
    /// is harmless and waiting for the disk on every device CONNECT and disconnect is not: a
    /// reconnect storm is bounded by it. When such a write meets a batch of durable writes it
    /// joins it (and is then synced with them).
    pub fn with_relaxed_tx<T, E: From<EmulatorError>>(
        &self,
        f: impl FnOnce(&Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        self.writer.write(false, f)
    }

    /// How many writes the store kept and in how many commits (writes per commit is the
    /// grouping factor; the hub bench reports it).
    pub fn commit_stats(&self) -> CommitStats {
        self.writer.stats()
    }

    fn open_reader(path: &Path) -> Result<Connection, EmulatorError> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        // A read connection never writes: a stray write would bypass the group commit.
        conn.pragma_update(None, "query_only", "ON")?;
        Ok(conn)
    }
}

/// An open transaction with typed accessors.
pub struct Tx<'a>(&'a Connection);

impl Tx<'_> {
    fn key(module_id: Option<&str>) -> &str {
        module_id.unwrap_or("")
    }

    /// Runs `f` inside a savepoint: its writes are kept when it returns `Ok` and undone when it
    /// fails, while the surrounding transaction goes on (a bulk request applies its good entries).
    pub fn savepoint<T, E: From<EmulatorError>>(
        &self,
        f: impl FnOnce(&Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        self.0
            .execute_batch("SAVEPOINT entry")
            .map_err(EmulatorError::from)?;
        match f(self) {
            Ok(v) => {
                self.0
                    .execute_batch("RELEASE entry")
                    .map_err(EmulatorError::from)?;
                Ok(v)
            }
            Err(e) => {
                self.0
                    .execute_batch("ROLLBACK TO entry; RELEASE entry")
                    .map_err(EmulatorError::from)?;
                Err(e)
            }
        }
    }

    /// All policies.
    pub fn policies(&self) -> Result<Vec<Policy>, EmulatorError> {
        let mut stmt = self
            .0
            .prepare_cached("SELECT name, primary_key, secondary_key, rights FROM policies")?;
        let rows = stmt.query_map([], |r| {
            let rights: String = r.get(3)?;
            Ok(Policy {
                name: r.get(0)?,
                primary_key: r.get(1)?,
                secondary_key: r.get(2)?,
                rights: rights.split(',').map(str::to_string).collect(),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One policy by name.
    pub fn policy(&self, name: &str) -> Result<Option<Policy>, EmulatorError> {
        Ok(self.policies()?.into_iter().find(|p| p.name == name))
    }

    /// Inserts a policy (first start).
    pub fn insert_policy(&self, p: &Policy) -> Result<(), EmulatorError> {
        self.0.execute(
            "INSERT INTO policies (name, primary_key, secondary_key, rights) VALUES (?1, ?2, ?3, ?4)",
            params![p.name, p.primary_key, p.secondary_key, p.rights.join(",")],
        )?;
        Ok(())
    }

    /// One identity.
    pub fn identity(
        &self,
        device_id: &str,
        module_id: Option<&str>,
    ) -> Result<Option<IdentityRecord>, EmulatorError> {
        let text: Option<String> = self
            .0
            .prepare_cached(
                "SELECT record FROM identities WHERE device_id = ?1 AND module_id = ?2",
            )?
            .query_row(params![device_id, Self::key(module_id)], |r| r.get(0))
            .optional()?;
        text.map(|t| serde_json::from_str(&t).map_err(corrupt))
            .transpose()
    }

    /// Inserts or replaces an identity.
    pub fn put_identity(
        &self,
        device_id: &str,
        module_id: Option<&str>,
        record: &IdentityRecord,
    ) -> Result<(), EmulatorError> {
        let text = serde_json::to_string(record).map_err(corrupt)?;
        self.0
            .prepare_cached(
                "INSERT INTO identities (device_id, module_id, record) VALUES (?1, ?2, ?3)
                 ON CONFLICT (device_id, module_id) DO UPDATE SET record = excluded.record",
            )?
            .execute(params![device_id, Self::key(module_id), text])?;
        Ok(())
    }

    /// Deletes an identity; deleting a device also deletes its modules. Returns whether it existed.
    pub fn delete_identity(
        &self,
        device_id: &str,
        module_id: Option<&str>,
    ) -> Result<bool, EmulatorError> {
        let n = match module_id {
            Some(m) => self.0.execute(
                "DELETE FROM identities WHERE device_id = ?1 AND module_id = ?2",
                params![device_id, m],
            )?,
            None => self.0.execute(
                "DELETE FROM identities WHERE device_id = ?1",
                params![device_id],
            )?,
        };
        Ok(n > 0)
    }

    /// All devices (`modules = false`) or all modules (`modules = true`), ordered by id.
    pub fn identities(
        &self,
        modules: bool,
    ) -> Result<Vec<(String, Option<String>, IdentityRecord)>, EmulatorError> {
        let sql = if modules {
            "SELECT device_id, module_id, record FROM identities WHERE module_id != '' ORDER BY device_id, module_id"
        } else {
            "SELECT device_id, module_id, record FROM identities WHERE module_id = '' ORDER BY device_id"
        };
        let mut stmt = self.0.prepare_cached(sql)?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (d, m, text) = row?;
            let record = serde_json::from_str(&text).map_err(corrupt)?;
            out.push((d, (!m.is_empty()).then_some(m), record));
        }
        Ok(out)
    }

    /// Streams devices (`modules = false`) or modules (`modules = true`) in `(device_id,
    /// module_id)` order, starting at `from` (included when `inclusive`), handing `visit` each
    /// row's ids and stored record text until it returns `false`. Query pages read only the rows
    /// they need this way, and can decide from the text which rows are worth parsing.
    pub fn scan_identities(
        &self,
        modules: bool,
        from: (&str, &str),
        inclusive: bool,
        mut visit: impl FnMut(&str, &str, &str) -> Result<bool, EmulatorError>,
    ) -> Result<(), EmulatorError> {
        let sql = if inclusive {
            "SELECT device_id, module_id, record FROM identities
             WHERE (device_id, module_id) >= (?1, ?2) AND (module_id != '') = ?3
             ORDER BY device_id, module_id"
        } else {
            "SELECT device_id, module_id, record FROM identities
             WHERE (device_id, module_id) > (?1, ?2) AND (module_id != '') = ?3
             ORDER BY device_id, module_id"
        };
        let mut stmt = self.0.prepare_cached(sql)?;
        let mut rows = stmt.query(params![from.0, from.1, modules])?;
        while let Some(row) = rows.next()? {
            let device = row.get_ref(0)?.as_str().map_err(corrupt)?;
            let module = row.get_ref(1)?.as_str().map_err(corrupt)?;
            let record = row.get_ref(2)?.as_str().map_err(corrupt)?;
            if !visit(device, module, record)? {
                break;
            }
        }
        Ok(())
    }

    /// The modules of one device, ordered by id.
    pub fn modules_of(&self, device_id: &str) -> Result<Vec<IdentityRecord>, EmulatorError> {
        let mut stmt = self.0.prepare_cached(
            "SELECT record FROM identities WHERE device_id = ?1 AND module_id != '' ORDER BY module_id",
        )?;
        let rows = stmt.query_map(params![device_id], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for row in rows {
            out.push(serde_json::from_str(&row?).map_err(corrupt)?);
        }
        Ok(out)
    }

    /// Inserts or replaces a job document.
    pub fn put_job(&self, job_id: &str, created_ms: i64, doc: &Value) -> Result<(), EmulatorError> {
        self.0
            .prepare_cached(
                "INSERT INTO jobs (job_id, created_ms, doc) VALUES (?1, ?2, ?3)
                 ON CONFLICT (job_id) DO UPDATE SET doc = excluded.doc",
            )?
            .execute(params![job_id, created_ms, doc.to_string()])?;
        Ok(())
    }

    /// One job document.
    pub fn job(&self, job_id: &str) -> Result<Option<Value>, EmulatorError> {
        let text: Option<String> = self
            .0
            .prepare_cached("SELECT doc FROM jobs WHERE job_id = ?1")?
            .query_row(params![job_id], |r| r.get(0))
            .optional()?;
        text.map(|t| serde_json::from_str(&t).map_err(corrupt))
            .transpose()
    }

    /// All job documents, oldest first.
    pub fn jobs(&self) -> Result<Vec<Value>, EmulatorError> {
        let mut stmt = self
            .0
            .prepare_cached("SELECT doc FROM jobs ORDER BY created_ms, job_id")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for row in rows {
            out.push(serde_json::from_str(&row?).map_err(corrupt)?);
        }
        Ok(out)
    }

    /// Inserts or replaces a configuration document; `version` is the counter behind its etag,
    /// `created_ms` orders configurations (ties in priority go to the newer one).
    pub fn put_configuration(
        &self,
        id: &str,
        created_ms: i64,
        version: u64,
        doc: &Value,
    ) -> Result<(), EmulatorError> {
        let version = i64::try_from(version).map_err(corrupt)?;
        self.0
            .prepare_cached(
                "INSERT INTO configurations (id, created_ms, version, doc) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (id) DO UPDATE SET version = excluded.version, doc = excluded.doc",
            )?
            .execute(params![id, created_ms, version, doc.to_string()])?;
        Ok(())
    }

    /// One configuration: its document, etag version and creation order.
    pub fn configuration(&self, id: &str) -> Result<Option<StoredConfiguration>, EmulatorError> {
        self.0
            .prepare_cached(
                "SELECT id, created_ms, version, doc FROM configurations WHERE id = ?1",
            )?
            .query_row(params![id], stored_configuration)
            .optional()?
            .transpose()
    }

    /// Every configuration, oldest first.
    pub fn configurations(&self) -> Result<Vec<StoredConfiguration>, EmulatorError> {
        let mut stmt = self.0.prepare_cached(
            "SELECT id, created_ms, version, doc FROM configurations ORDER BY created_ms, id",
        )?;
        let rows = stmt.query_map([], stored_configuration)?;
        let mut out = Vec::new();
        for row in rows {
            out.push(row??);
        }
        Ok(out)
    }

    /// Deletes a configuration; `false` when there was none.
    pub fn delete_configuration(&self, id: &str) -> Result<bool, EmulatorError> {
        let n = self
            .0
            .prepare_cached("DELETE FROM configurations WHERE id = ?1")?
            .execute(params![id])?;
        Ok(n > 0)
    }

    /// Inserts or replaces a per-device job row (`devices.jobs`).
    pub fn put_device_job(
        &self,
        job_id: &str,
        device_id: &str,
        module_id: Option<&str>,
        doc: &Value,
    ) -> Result<(), EmulatorError> {
        self.0
            .prepare_cached(
                "INSERT INTO device_jobs (job_id, device_id, module_id, doc) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (job_id, device_id, module_id) DO UPDATE SET doc = excluded.doc",
            )?
            .execute(params![job_id, device_id, Self::key(module_id), doc.to_string()])?;
        Ok(())
    }

    /// The per-device rows of one job, by device id.
    pub fn device_jobs_of(&self, job_id: &str) -> Result<Vec<Value>, EmulatorError> {
        let mut stmt = self.0.prepare_cached(
            "SELECT doc FROM device_jobs WHERE job_id = ?1 ORDER BY device_id, module_id",
        )?;
        let rows = stmt.query_map(params![job_id], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for row in rows {
            out.push(serde_json::from_str(&row?).map_err(corrupt)?);
        }
        Ok(out)
    }

    /// Every per-device job row.
    pub fn device_jobs(&self) -> Result<Vec<Value>, EmulatorError> {
        let mut stmt = self
            .0
            .prepare_cached("SELECT doc FROM device_jobs ORDER BY job_id, device_id, module_id")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for row in rows {
            out.push(serde_json::from_str(&row?).map_err(corrupt)?);
        }
        Ok(out)
    }

    /// Keeps a device-to-cloud message, dropping the oldest beyond [`TELEMETRY_KEPT`].
    pub fn add_telemetry(
        &self,
        device_id: &str,
        module_id: Option<&str>,
        received: &str,
        properties: &Value,
        body: &[u8],
    ) -> Result<(), EmulatorError> {
        let id = self
            .0
            .prepare_cached(
                "INSERT INTO telemetry (device_id, module_id, received, properties, body)
                 VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
            )?
            .query_row(
                params![
                    device_id,
                    Self::key(module_id),
                    received,
                    properties.to_string(),
                    body
                ],
                |r| r.get::<_, i64>(0),
            )?;
        if id % 100 == 0 {
            self.0.execute(
                "DELETE FROM telemetry WHERE id <= ?1",
                params![id - TELEMETRY_KEPT],
            )?;
        }
        Ok(())
    }

    /// The most recent messages of one identity, newest last: (received, properties, body).
    pub fn telemetry(
        &self,
        device_id: &str,
        module_id: Option<&str>,
        limit: usize,
    ) -> Result<Vec<(String, Value, Vec<u8>)>, EmulatorError> {
        let mut stmt = self.0.prepare_cached(
            "SELECT received, properties, body FROM telemetry
             WHERE device_id = ?1 AND module_id = ?2 ORDER BY id DESC LIMIT ?3",
        )?;
        let rows = stmt.query_map(
            params![
                device_id,
                Self::key(module_id),
                i64::try_from(limit).unwrap_or(i64::MAX)
            ],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Vec<u8>>(2)?,
                ))
            },
        )?;
        let mut out = Vec::new();
        for row in rows {
            let (received, props, body) = row?;
            out.push((
                received,
                serde_json::from_str(&props).map_err(corrupt)?,
                body,
            ));
        }
        out.reverse();
        Ok(out)
    }

    /// Records a new file upload.
    pub fn insert_file_upload(&self, u: &FileUpload) -> Result<(), EmulatorError> {
        self.0.execute(
            "INSERT INTO file_uploads (correlation_id, device_id, blob_name, secret, created, expires_unix)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                u.correlation_id,
                u.device_id,
                u.blob_name,
                u.secret,
                u.created,
                u.expires_unix
            ],
        )?;
        Ok(())
    }

    fn file_upload_rows(
        &self,
        filter: &str,
        value: &dyn rusqlite::ToSql,
    ) -> Result<Vec<FileUpload>, EmulatorError> {
        let sql = format!(
            "SELECT correlation_id, device_id, blob_name, secret, created, expires_unix, size,
                    uploaded, completed, is_success, status_code, status_description
             FROM file_uploads WHERE {filter} ORDER BY created, correlation_id"
        );
        let mut stmt = self.0.prepare_cached(&sql)?;
        let rows = stmt.query_map([value], |r| {
            let completed: Option<String> = r.get(8)?;
            let size: Option<i64> = r.get(6)?;
            Ok(FileUpload {
                correlation_id: r.get(0)?,
                device_id: r.get(1)?,
                blob_name: r.get(2)?,
                secret: r.get(3)?,
                created: r.get(4)?,
                expires_unix: r.get(5)?,
                size: size.and_then(|s| u64::try_from(s).ok()),
                uploaded: r.get(7)?,
                completion: match completed {
                    Some(completed) => Some(FileUploadCompletion {
                        completed,
                        is_success: r.get::<_, Option<bool>>(9)?.unwrap_or(false),
                        status_code: r.get(10)?,
                        status_description: r.get(11)?,
                    }),
                    None => None,
                },
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One upload by correlation id.
    pub fn file_upload(&self, correlation_id: &str) -> Result<Option<FileUpload>, EmulatorError> {
        Ok(self
            .file_upload_rows("correlation_id = ?1", &correlation_id)?
            .into_iter()
            .next())
    }

    /// The uploads of one device, oldest first.
    pub fn file_uploads_of(&self, device_id: &str) -> Result<Vec<FileUpload>, EmulatorError> {
        self.file_upload_rows("device_id = ?1", &device_id)
    }

    /// The uploads that were handed out for `blob_name`, oldest first.
    pub fn file_uploads_for_blob(&self, blob_name: &str) -> Result<Vec<FileUpload>, EmulatorError> {
        self.file_upload_rows("blob_name = ?1", &blob_name)
    }

    /// Every upload, oldest first.
    pub fn file_uploads(&self) -> Result<Vec<FileUpload>, EmulatorError> {
        self.file_upload_rows("1 = ?1", &1)
    }

    /// Records that the blob of an upload was written with `size` bytes.
    pub fn set_file_upload_blob(
        &self,
        correlation_id: &str,
        size: u64,
        uploaded: &str,
    ) -> Result<(), EmulatorError> {
        self.0.execute(
            "UPDATE file_uploads SET size = ?2, uploaded = ?3 WHERE correlation_id = ?1",
            params![
                correlation_id,
                i64::try_from(size).unwrap_or(i64::MAX),
                uploaded
            ],
        )?;
        Ok(())
    }

    /// Records a device's completion notification.
    pub fn complete_file_upload(
        &self,
        correlation_id: &str,
        completion: &FileUploadCompletion,
    ) -> Result<(), EmulatorError> {
        self.0.execute(
            "UPDATE file_uploads SET completed = ?2, is_success = ?3, status_code = ?4,
                    status_description = ?5
             WHERE correlation_id = ?1",
            params![
                correlation_id,
                completion.completed,
                completion.is_success,
                completion.status_code,
                completion.status_description
            ],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(n: u64) -> IdentityRecord {
        IdentityRecord {
            registry: serde_json::json!({"deviceId": "d", "status": "enabled"}),
            registry_version: n,
            twin: TwinState::default(),
        }
    }

    #[test]
    fn writes_survive_reopen_and_failed_transactions_roll_back() {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = Store::open(dir.path()).unwrap();
            store
                .with_tx(|tx| {
                    tx.put_identity("d", None, &record(1))?;
                    tx.put_identity("d", Some("m"), &record(2))?;
                    Ok::<_, EmulatorError>(())
                })
                .unwrap();
            let failed: Result<(), EmulatorError> = store.with_tx(|tx| {
                tx.put_identity("e", None, &record(3))?;
                Err(EmulatorError::Corrupt("abort".into()))
            });
            assert!(failed.is_err());
        }
        let store = Store::open(dir.path()).unwrap();
        store
            .with_tx(|tx| {
                assert_eq!(tx.identity("d", None)?.unwrap().registry_version, 1);
                assert_eq!(tx.identity("d", Some("m"))?.unwrap().registry_version, 2);
                assert!(tx.identity("e", None)?.is_none(), "rolled back");
                assert_eq!(tx.identities(false)?.len(), 1);
                assert_eq!(tx.identities(true)?.len(), 1);
                assert!(tx.delete_identity("d", None)?);
                assert!(
                    tx.identity("d", Some("m"))?.is_none(),
                    "modules go with the device"
                );
                Ok::<_, EmulatorError>(())
            })
            .unwrap();
    }

    /// `dmctl hub connection-string` beside a busy hub: the hub's writer holds the write lock,
    /// and reading the policies (or an existing device's key) must not wait for it. Before,
    /// opening the store took the write lock to check the policies and failed with "database is
    /// locked" after the 10 s busy timeout.
    #[test]
    fn reading_keys_beside_a_busy_writer_does_not_wait_for_the_write_lock() {
        let dir = tempfile::tempdir().unwrap();
        crate::server::connection_string_for_device(dir.path(), "d1", true, "localhost:1", None)
            .unwrap();
        let hub_writer = Connection::open(dir.path().join("hub.db")).unwrap();
        hub_writer.execute_batch("BEGIN IMMEDIATE").unwrap();

        let owner =
            crate::server::connection_string_for_policy(dir.path(), "iothubowner", "localhost:1");
        let device = crate::server::connection_string_for_device(
            dir.path(),
            "d1",
            false,
            "localhost:1",
            None,
        );
        assert!(owner.is_ok(), "{:?}", owner.err());
        assert!(device.is_ok(), "{:?}", device.err());
        hub_writer.execute_batch("COMMIT").unwrap();
    }

    #[test]
    fn default_policies_are_created_once_with_distinct_keys() {
        let dir = tempfile::tempdir().unwrap();
        let first = Store::open(dir.path()).unwrap().policies().unwrap();
        let names: Vec<&str> = first.iter().map(|p| p.name.as_str()).collect();
        for (name, _) in DEFAULT_POLICIES {
            assert!(names.contains(name), "{name} missing from {names:?}");
        }
        let owner = first.iter().find(|p| p.name == "iothubowner").unwrap();
        assert!(owner.has("DeviceConnect") && owner.has("RegistryWrite"));
        assert_ne!(owner.primary_key, owner.secondary_key);
        let again = Store::open(dir.path()).unwrap().policies().unwrap();
        assert_eq!(first, again, "keys must survive a restart");
    }

    /// Lines writers up behind one that holds the connection, so they land in one batch.
    #[test]
    fn writes_arriving_together_share_one_commit_and_a_failing_one_fails_alone() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let before = store.commit_stats();
        let holding = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|s| {
            let first = s.spawn(|| {
                store.with_tx(|tx| {
                    holding.store(true, std::sync::atomic::Ordering::SeqCst);
                    tx.put_identity("a", None, &record(1))?;
                    // Not committed yet: a reader sees only committed state.
                    let seen = store.with_read_tx(|r| r.identity("a", None))?;
                    assert!(seen.is_none(), "a reader saw a write before its commit");
                    while store.writer.waiting() < 2 {
                        std::thread::yield_now();
                    }
                    Ok::<_, EmulatorError>(())
                })
            });
            while !holding.load(std::sync::atomic::Ordering::SeqCst) {
                std::thread::yield_now();
            }
            let failing = s.spawn(|| {
                store.with_tx(|tx| {
                    tx.put_identity("b", None, &record(2))?;
                    Err::<(), _>(EmulatorError::Corrupt("refused".into()))
                })
            });
            while store.writer.waiting() < 1 {
                std::thread::yield_now();
            }
            let good = s.spawn(|| store.with_tx(|tx| tx.put_identity("c", None, &record(3))));
            assert!(first.join().unwrap().is_ok());
            assert!(failing.join().unwrap().is_err());
            assert!(good.join().unwrap().is_ok());
        });
        let after = store.commit_stats();
        assert_eq!(after.writes - before.writes, 2, "two writes kept");
        // The first writer left the batch open for the two queued behind it, and whichever of
        // them ran last committed all three.
        assert_eq!(
            after.commits - before.commits,
            1,
            "{before:?} -> {after:?}: the queued writes were not grouped"
        );
        drop(store);
        let store = Store::open(dir.path()).unwrap();
        store
            .with_read_tx(|tx| {
                assert!(tx.identity("a", None)?.is_some());
                assert!(
                    tx.identity("b", None)?.is_none(),
                    "the failed write is undone"
                );
                assert_eq!(tx.identity("c", None)?.unwrap().registry_version, 3);
                Ok::<_, EmulatorError>(())
            })
            .unwrap();
    }

    #[test]
    fn concurrent_writers_keep_every_acknowledged_write_in_order() {
        const WRITERS: u64 = 8;
        const EACH: u64 = 50;
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let before = store.commit_stats();
        std::thread::scope(|s| {
            for w in 0..WRITERS {
                let store = &store;
                s.spawn(move || {
                    let id = format!("d{w}");
                    for n in 1..=EACH {
                        // Read-modify-write, as a reported patch is: each must see the last.
                        let version = store
                            .with_tx(|tx| {
                                let mut r = tx.identity(&id, None)?.unwrap_or_else(|| record(0));
                                r.registry_version += 1;
                                r.twin.reported_version = r.registry_version;
                                tx.put_identity(&id, None, &r)?;
                                Ok::<_, EmulatorError>(r.registry_version)
                            })
                            .unwrap();
                        assert_eq!(version, n, "writes of one writer apply in order");
                        // Acknowledged means committed: another connection sees it at once.
                        let seen = store
                            .with_read_tx(|tx| tx.identity(&id, None))
                            .unwrap()
                            .unwrap();
                        assert_eq!(seen.registry_version, n);
                    }
                });
            }
        });
        let after = store.commit_stats();
        assert_eq!(after.writes - before.writes, WRITERS * EACH);
        drop(store);
        let store = Store::open(dir.path()).unwrap();
        for w in 0..WRITERS {
            let r = store
                .with_read_tx(|tx| tx.identity(&format!("d{w}"), None))
                .unwrap()
                .unwrap();
            assert_eq!(r.registry_version, EACH);
        }
    }

    #[test]
    fn a_panicking_write_is_undone_and_the_store_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _ = store.with_tx(|tx| -> Result<(), EmulatorError> {
                tx.put_identity("p", None, &record(1))?;
                panic!("bug in a write");
            });
        }));
        assert!(panicked.is_err());
        store
            .with_tx(|tx| tx.put_identity("q", None, &record(2)))
            .unwrap();
        store
            .with_read_tx(|tx| {
                assert!(tx.identity("p", None)?.is_none());
                assert!(tx.identity("q", None)?.is_some());
                Ok::<_, EmulatorError>(())
            })
            .unwrap();
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        drop(Store::open(dir.path()).unwrap());
        let conn = Connection::open(dir.path().join("hub.db")).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        drop(conn);
        let err = Store::open(dir.path()).unwrap_err();
        assert!(err.to_string().contains("newer"), "{err}");
    }
}
