//! The device-management contract between `dmctl` and `dm-agent`: method names, typed payloads and
//! answers, twin sections, the operation status envelope and the capability manifest.
//!
//! This crate is the single source of truth for that wire. `dmctl` uses it to build and check what
//! it sends and to read what comes back; the agent uses it to parse, validate and answer. Every JSON
//! example below is parsed into its Rust type by this crate's tests (`tests/reference.rs`), so the
//! examples cannot drift from the code.
//!
//! # Contents
//!
//! 1. [Conventions](#conventions)
//! 2. [Methods at a glance](#methods-at-a-glance) and [sections at a glance](#sections-at-a-glance)
//! 3. [Status codes and bodies](#status-codes-and-bodies)
//! 4. [Busy leases, `force` and `postpone`](#busy-leases-force-and-postpone)
//! 5. [The operation envelope](#the-operation-envelope)
//! 6. [The capability manifest and versioning](#the-capability-manifest-and-versioning)
//! 7. [Methods](#methods), one by one
//! 8. [Sections](#sections), one by one, and [a whole twin](#a-whole-twin)
//! 9. [Rust API](#rust-api)
//!
//! # Conventions
//!
//! - **Namespace.** All dm state lives under `properties.desired.dm.<section>` and
//!   `properties.reported.dm.<section>` ([`NAMESPACE`]); every method is `dm.<area>.<verb>` or
//!   `dm.<verb>`. Everything else in the twin belongs to the application and is never touched.
//! - **JSON.** camelCase field names; optional fields are omitted rather than `null` (a `null` in a
//!   desired patch deletes the key, as in any twin patch). Timestamps are RFC 3339 in UTC
//!   (`2025-03-01T10:00:00Z`); local times of day are `HH:MM` with a time zone next to them.
//! - **Lists are arrays.** A twin patch replaces an array as a whole, so removing an entry needs no
//!   trick, and SSIDs or unit names with `.` or spaces never become twin keys. The only maps keyed
//!   by data are `operations` (keys are [`OperationId`]s: `A-Z a-z 0-9 _ -`, ≤ 64) and
//!   `agent.providers` (keys are section names).
//! - **No secrets in the twin.** Wi-Fi passphrases and PEM private keys travel only in method
//!   payloads ([`Secret`], redacted from `Debug`); download URLs may be signed and are never echoed
//!   ([`ArtifactUrl`] hides the query); uploaded blobs are reported without their SAS.
//! - **Strict requests, lenient reports.** Requests (and desired sections, as the agent reads them)
//!   refuse unknown fields with 400 `invalidPayload` naming the field. Answers, envelopes and
//!   reported sections accept unknown fields: agents only ever add fields.
//! - **Field paths.** Errors name fields by their wire path: `schedule.daily`, `paths[2]`.
//!
//! # Methods at a glance
//!
//! "202" methods answer with an [`Accepted`] body and report their outcome in the envelope under
//! the section shown. Disruptive methods take `force`/`postpone` and can be refused with 409 `busy`.
//!
//! | Method | Request fields (`?` optional) | Success | Disruptive | Section |
//! |---|---|---|---|---|
//! | `dm.reboot` | `delaySeconds?`, `reason?`, `force?`, `postpone?` | 202 | yes | reboot |
//! | `dm.factoryReset` | `confirmDeviceId`, `clearTpm?`, `wipeData?`, `force?`, `postpone?` | 202 | yes | factoryReset |
//! | `dm.apps.install` | `name`, `url`, `sha256`, `version?`, `enable?` (true), `start?` (true), `allowDowngrade?`, `signature?` | 202 | no | apps |
//! | `dm.apps.remove` | `name`, `purge?`, `force?`, `postpone?` | 202 | yes | apps |
//! | `dm.apps.start` | `name` | 202 | no | apps |
//! | `dm.apps.stop` | `name`, `force?`, `postpone?` | 202 | yes | apps |
//! | `dm.apps.restart` | `name`, `force?`, `postpone?` | 202 | yes | apps |
//! | `dm.apps.enable` | `name` | 200 [`AppStatus`] | no | apps |
//! | `dm.apps.disable` | `name` | 200 [`AppStatus`] | no | apps |
//! | `dm.apps.list` | `kind?`, `filter?`, `limit?` | 200 [`AppInventory`] | no | apps |
//! | `dm.updates.scan` | — | 202 | no | updates |
//! | `dm.updates.install` | `packages?`, `rebootIfRequired?`, `force?`, `postpone?` | 202 | yes | updates |
//! | `dm.certificates.install` | `store`, `url?`+`sha256?` or `pem?`, `signature?` | 202 | no | certificates |
//! | `dm.certificates.remove` | `store`, `thumbprint` | 200 [`CertResult`] | no | certificates |
//! | `dm.certificates.list` | `store?` | 200 [`CertList`] | no | certificates |
//! | `dm.certificates.show` | `store`, `thumbprint` | 200 [`CertDetails`] | no | certificates |
//! | `dm.time.get` | — | 200 [`TimeInfo`] | no | time |
//! | `dm.wifi.list` | — | 200 [`WifiList`] | no | network |
//! | `dm.wifi.add` | `ssid`, `security`, `passphrase?`, `hidden?`, `autoConnect?` (true), `priority?` | 200 [`WifiProfile`] | no | network |
//! | `dm.wifi.remove` | `id?` or `ssid?` | 200 [`WifiRemoved`] | no | network |
//! | `dm.diagnostics.collect` | `journal?` (true), `units?`, `paths?`, `since?`, `until?`, `maxBytes?`, `delivery?` | 200 inline or 202 upload | no | diagnostics |
//! | `dm.diagnostics.setLogLevel` | `level`, `durationSeconds?` | 200 [`LogLevelResult`] | no | diagnostics |
//! | `dm.info.get` | — | 200 [`DeviceInfo`] | no | info |
//! | `dm.reportAll` | — | 200 [`ReportAllResult`] | no | — |
//! | `dm.operations.cancel` | `operationId` | 200 [`OperationStatus`] | no | — |
//! | `dm.agent.update` | `url`, `sha256`, `version`, `allowDowngrade?`, `signature?` | 202 | no | agentUpdate |
//!
//! "—" means no payload (`{}` or none at all).
//!
//! # Sections at a glance
//!
//! | Section | Desired (operator writes) | Reported (agent writes) | `operations` |
//! |---|---|---|---|
//! | `agent` | — | [`AgentManifest`] | no |
//! | `busy` | — | [`BusyReport`]: leases | no |
//! | `reboot` | [`RebootDesired`]: `schedule {single?, daily?, timeZone?}`, `maintenanceWindow {start, end, timeZone?}` | [`RebootReport`]: `lastBootTime`, `lastRebootReason`, echo, `nextRebootAt` | yes |
//! | `factoryReset` | — | [`FactoryResetReport`]: `lastResetAt` | yes |
//! | `apps` | — | [`AppsReport`]: `managed[]` | yes |
//! | `updates` | [`UpdatesDesired`]: `policy`, `approved[]` | [`UpdatesReport`]: policy, scan results, `pendingReboot` | yes |
//! | `certificates` | — | [`CertificatesReport`]: `trust[]`, `client[]` | yes |
//! | `time` | [`TimeDesired`]: `timeZone`, `ntpServers[]` | [`TimeReport`] | yes |
//! | `network` | — | [`NetworkReport`]: `wifi[]` (ids and SSIDs only) | yes |
//! | `diagnostics` | — | [`DiagnosticsReport`]: `logLevel` | yes |
//! | `info` | — | [`DeviceInfo`] | no |
//! | `agentUpdate` | — | [`AgentUpdateReport`]: `previousVersion`, `lastUpdateAt` | yes |
//!
//! **Why this split.** Configuration the device should *keep* is desired state: the agent tracks the
//! desired `$version`, re-reads the full twin after a reconnect or a version gap, and converges, so
//! an offline device catches up instead of missing a command ("reconciled, not replayed"). One-off
//! actions, anything that moves an artefact, and anything with a secret (Wi-Fi) are methods. The
//! Windows client's declarative `apps` and `certificates` sections are methods here because they
//! need download URLs, which may be signed and must not sit in the twin. Time has no `set` method:
//! `dmctl time set` patches `desired.dm.time`, so a method could never fight the desired state.
//!
//! An absent desired field is *not managed*: the agent leaves that setting as the device has it.
//!
//! # Status codes and bodies
//!
//! | Status | Meaning | Body |
//! |---|---|---|
//! | 200 | done | the result (per method, below) |
//! | 202 | accepted: a long operation started, or was postponed | [`Accepted`] |
//! | 400 | bad payload | [`ErrorBody`], `code` `invalidPayload` (or `confirmationMismatch`, `pathNotAllowed`), `field` |
//! | 404 | unknown method (`unknownMethod`), or the named app/certificate/profile/operation does not exist (`notFound`) | [`ErrorBody`] |
//! | 409 | busy (`busy`, with `retryAfter` seconds), or conflicting with a running operation or with desired state (`conflict`) | [`ErrorBody`] |
//! | 500 | tried and failed | [`ErrorBody`] |
//! | 501 | the method's provider is not active on this device (`notSupported`) | [`ErrorBody`] |
//!
//! Codes are in [`error_code`]; messages are for people and never contain secrets. The agent builds
//! answers with [`MethodResponse`]; `dmctl` reads them with [`MethodReply::from_response`].
//!
//! An accepted operation:
//!
//! <!-- example: accepted -->
//! ```json
//! {"operationId": "20250301T100000Z-7f3a", "state": "pending"}
//! ```
//!
//! A postponed one (a busy lease holds it; it starts when the lease ends):
//!
//! <!-- example: accepted -->
//! ```json
//! {"operationId": "20250301T100000Z-7f3b", "state": "postponed"}
//! ```
//!
//! A 400:
//!
//! <!-- example: error 400 -->
//! ```json
//! {"code": "invalidPayload", "message": "invalid `delaySeconds`: must be between 0 and 86400 (got 90000)", "field": "delaySeconds"}
//! ```
//!
//! A 409 while an application holds a busy lease:
//!
//! <!-- example: error 409 -->
//! ```json
//! {"code": "busy", "message": "busy lease `flash-fw` held by `plc-bridge`: firmware flash in progress", "retryAfter": 240}
//! ```
//!
//! A 501:
//!
//! <!-- example: error 501 -->
//! ```json
//! {"code": "notSupported", "message": "the network provider is inactive: NetworkManager is not running"}
//! ```
//!
//! # Busy leases, `force` and `postpone`
//!
//! Applications on the device take busy leases (id, holder, reason, TTL) through the agent's local
//! API; they are visible in `reported.dm.busy`. A disruptive method (`dm.reboot`,
//! `dm.factoryReset`, `dm.apps.remove`, `dm.apps.stop`, `dm.apps.restart`, `dm.updates.install`)
//! checks them when it is about to start:
//!
//! - no active lease → 202, the operation runs;
//! - a lease and neither flag → 409 `busy` with `retryAfter` = seconds until the last active lease
//!   expires ([`BusyReport::retry_after`]);
//! - `postpone: true` → 202 with state `postponed`; the envelope moves to `running` when the leases
//!   end or expire (leases always expire, so nothing is blocked forever);
//!   `dm.operations.cancel` abandons it;
//! - `force: true` → runs regardless (audited).
//!
//! `force` and `postpone` together are a 400 on `postpone`. A postponed operation that later finds
//! itself blocked again stays `postponed`.
//!
//! `dm.agent.update` is not disruptive: it restarts the agent only, never the device or its
//! applications, so leases neither refuse nor postpone it (a lease held over the agent's local
//! socket is kept across the restart; see `dm.agent.update` below).
//!
//! # The operation envelope
//!
//! Every 202 creates one [`OperationStatus`] at
//! `reported.dm.<section>.operations.<operationId>` ([`operation_path`]); desired-state changes
//! create one too, with `op` = `dm.<section>.apply` ([`apply_op`]) and the `desiredVersion` applied.
//!
//! <!-- example: type OperationStatus -->
//! ```json
//! {
//!   "id": "20250301T100000Z-7f3a",
//!   "op": "dm.apps.install",
//!   "state": "succeeded",
//!   "requestedAt": "2025-03-01T10:00:00Z",
//!   "startedAt": "2025-03-01T10:00:01Z",
//!   "finishedAt": "2025-03-01T10:00:42Z",
//!   "progress": 100,
//!   "result": {"name": "plc-bridge", "kind": "package", "version": "2.4.1", "state": "active", "enabled": true, "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}
//! }
//! ```
//!
//! A failed desired-state apply:
//!
//! <!-- example: type OperationStatus -->
//! ```json
//! {
//!   "id": "d7-time",
//!   "op": "dm.time.apply",
//!   "state": "failed",
//!   "requestedAt": "2025-03-01T10:00:00Z",
//!   "startedAt": "2025-03-01T10:00:00Z",
//!   "finishedAt": "2025-03-01T10:00:01Z",
//!   "desiredVersion": 7,
//!   "error": {"code": "unknownTimeZone", "message": "time zone `Europe/Pariss` is not in the device's tz database"}
//! }
//! ```
//!
//! - **States**: `pending` → `running` → `succeeded` | `failed`; `rejected` when refused before
//!   starting (cancelled, invalid desired state); `postponed` while a busy lease holds it.
//!   `succeeded`, `failed` and `rejected` are final ([`OperationState::is_final`]); `finishedAt` is
//!   present exactly then, `error` exactly for `failed`/`rejected`. The set of states is frozen.
//! - **`result`** is small (≤ [`MAX_RESULT_BYTES`] serialized) and typed per method (below).
//! - **History bound.** `properties.reported` is capped at 32 KB for the whole twin, application
//!   keys included, and each property at 4 KB. Each section keeps at most
//!   [`MAX_FINISHED_OPERATIONS_PER_SECTION`] finished envelopes; the agent deletes older finished
//!   ones by patching their ids to `null` ([`operations_to_prune`], [`prune_patch`]). Unfinished
//!   envelopes are never pruned.
//! - **Following an operation.** `dmctl --wait` takes the id from the 202 and polls the twin with
//!   [`find_operation`] (or [`find_operation_anywhere`]) until [`OperationStatus::is_final`].
//!   A reboot's envelope is completed by the agent after the device is back, with the new
//!   `bootTime`. A factory reset may erase the agent's own store; `dmctl` then treats
//!   `reported.dm.factoryReset.lastResetAt` later than its request as success.
//! - **Restarts.** An operation that was `running` when the agent stopped is reported `failed` with
//!   `interrupted` on start, unless the agent can tell how it ended (reboots and self-updates can).
//!
//! # The capability manifest and versioning
//!
//! The agent reports `reported.dm.agent` at start and whenever a provider changes state:
//!
//! <!-- example: type AgentManifest -->
//! ```json
//! {
//!   "version": "0.1.0",
//!   "contractVersion": 1,
//!   "methods": ["dm.reboot", "dm.factoryReset", "dm.apps.install", "dm.wifi.list", "dm.wifi.add", "dm.wifi.remove", "dm.info.get", "dm.reportAll", "dm.operations.cancel"],
//!   "sections": ["agent", "busy", "reboot", "factoryReset", "apps", "network", "info"],
//!   "providers": {
//!     "reboot": {"backend": "linux", "active": true},
//!     "factoryReset": {"backend": "sandbox", "active": true},
//!     "apps": {"backend": "linux", "active": true},
//!     "network": {"backend": "linux", "active": false, "reason": "NetworkManager is not running"}
//!   }
//! }
//! ```
//!
//! `dmctl` checks [`AgentManifest::support`] before sending: a method the agent does not list, or
//! whose provider (keyed by its section name) is inactive, is reported as "not supported on this
//! device" at once instead of timing out. No manifest at all means no agent has ever run on the
//! device.
//!
//! **Versioning rules** ([`CONTRACT_VERSION`] is 2; [`AgentManifest::compatibility`]):
//!
//! 1. Within the `dm` namespace changes are additive only: new methods, new sections, new optional
//!    request fields, new result/reported fields, new error codes. Removing or renaming anything,
//!    changing a type, or adding an operation state would need a new namespace.
//! 2. Each addition bumps `CONTRACT_VERSION`; its docs say "since vN".
//! 3. **Methods**: `dmctl` sends a method only if the manifest lists it.
//! 4. **Request fields**: requests are strict, so an older agent answers 400 `invalidPayload`
//!    naming a field it does not know. A newer `dmctl` therefore sends a field "since vN" only when
//!    `manifest.knows_contract(N)` ([`AgentManifest::knows_contract`]), and otherwise refuses the option itself ("not supported
//!    on this device"). Defaults are never serialized, so a request not using a newer field is
//!    exactly what an older agent expects. The same rule holds for new enum values in requests and
//!    for fields of desired sections.
//! 5. **Answers and reports**: readers ignore unknown fields, so an older `dmctl` reads a newer
//!    agent's twin; unknown sections are kept as JSON ([`ReportedDm::other`]); an unknown
//!    provider backend reads as `other`.
//! 6. An agent older than [`MIN_AGENT_CONTRACT_VERSION`] is refused as a whole.
//!
//! **History.** v1: everything not marked otherwise. v2: the method `dm.agent.update` and the
//! section `agentUpdate` (a v1 agent does not list them, so `dmctl` refuses the command for it
//! with "not supported on this device").
//!
//! # Methods
//!
//! Examples use device `sensor-042`. A method with no payload accepts `{}`, `null` or nothing.
//!
//! ## `dm.reboot`
//!
//! Reboots now, or after `delaySeconds` (≤ 86 400; later reboots belong in the schedule). `reason`
//! (≤ 256 characters) is audited and reported as `reboot.lastRebootReason` after the boot.
//! Disruptive. Envelope result after the device is back: [`RebootResult`].
//!
//! <!-- example: request dm.reboot -->
//! ```json
//! {"delaySeconds": 60, "reason": "apply kernel update", "postpone": true}
//! ```
//!
//! <!-- example: result dm.reboot -->
//! ```json
//! {"bootTime": "2025-03-01T10:02:13Z"}
//! ```
//!
//! ## `dm.factoryReset`
//!
//! Restores factory state and reboots. `confirmDeviceId` must be the receiving device's own id
//! (compared exactly; [`FactoryResetRequest::confirm`]), otherwise 400 `confirmationMismatch`.
//! `clearTpm` also clears the TPM; `wipeData` also erases application data. Disruptive; audited.
//! `dmctl` never sends it to more than one device without an explicit flag.
//!
//! <!-- example: request dm.factoryReset -->
//! ```json
//! {"confirmDeviceId": "sensor-042", "wipeData": true}
//! ```
//!
//! ## `dm.apps.install`
//!
//! Downloads `url` (may be signed), checks the file's SHA-256 against `sha256`
//! (mandatory, 64 hex digits; failure: `checksumMismatch`), installs it with the package manager,
//! then enables and starts the unit `name` unless `enable`/`start` are false. With `version`, the
//! operation fails if the installed version differs. Envelope result: [`AppStatus`].
//! The artefact rules of `dm.agent.update` apply too (see [Artefacts](#artefacts)): `https`
//! only unless allowed, no downgrade of an installed app whose version is known below
//! `version` without `allowDowngrade`, and a publisher `signature` where the device trusts keys.
//!
//! <!-- example: request dm.apps.install -->
//! ```json
//! {"name": "plc-bridge", "url": "https://artifacts.example.com/plc-bridge_2.4.1_arm64.deb?sv=2024-05-04&sig=REDACTED", "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "version": "2.4.1"}
//! ```
//!
//! <!-- example: result dm.apps.install -->
//! ```json
//! {"name": "plc-bridge", "kind": "package", "version": "2.4.1", "state": "active", "enabled": true}
//! ```
//!
//! Names (apps, units, packages) are 1 to 128 characters from `A-Z a-z 0-9 . _ @ : + -` and start
//! with a letter or digit.
//!
//! ## `dm.apps.remove`
//!
//! Stops and removes an app; `purge` also deletes its configuration and data. Disruptive.
//!
//! <!-- example: request dm.apps.remove -->
//! ```json
//! {"name": "plc-bridge", "purge": true, "force": true}
//! ```
//!
//! ## `dm.apps.start`, `dm.apps.stop`, `dm.apps.restart`
//!
//! Start, stop or restart the app's unit. Stop and restart are disruptive. Envelope result:
//! [`AppStatus`].
//!
//! <!-- example: request dm.apps.start -->
//! ```json
//! {"name": "plc-bridge.service"}
//! ```
//!
//! <!-- example: request dm.apps.stop -->
//! ```json
//! {"name": "plc-bridge.service", "postpone": true}
//! ```
//!
//! <!-- example: request dm.apps.restart -->
//! ```json
//! {"name": "plc-bridge.service"}
//! ```
//!
//! <!-- example: result dm.apps.restart -->
//! ```json
//! {"name": "plc-bridge.service", "kind": "unit", "state": "active", "enabled": true}
//! ```
//!
//! ## `dm.apps.enable`, `dm.apps.disable`
//!
//! Start (or not) the app's unit at boot. Answers 200 with the app's [`AppStatus`].
//!
//! <!-- example: request dm.apps.enable -->
//! ```json
//! {"name": "plc-bridge.service"}
//! ```
//!
//! <!-- example: 200 dm.apps.enable -->
//! ```json
//! {"name": "plc-bridge.service", "kind": "unit", "state": "active", "enabled": true}
//! ```
//!
//! <!-- example: request dm.apps.disable -->
//! ```json
//! {"name": "getty@tty1.service"}
//! ```
//!
//! <!-- example: 200 dm.apps.disable -->
//! ```json
//! {"name": "getty@tty1.service", "kind": "unit", "state": "active", "enabled": false}
//! ```
//!
//! ## `dm.apps.list`
//!
//! Inventory of systemd units and OS packages (the full list does not fit the twin, which reports
//! only dm-managed apps). `kind` is `unit` or `package`; `filter` is a case-insensitive substring;
//! `limit` is 1 to 2000 (default 500).
//!
//! <!-- example: request dm.apps.list -->
//! ```json
//! {"kind": "unit", "filter": "plc", "limit": 50}
//! ```
//!
//! <!-- example: 200 dm.apps.list -->
//! ```json
//! {"apps": [{"name": "plc-bridge.service", "kind": "unit", "state": "failed", "enabled": true}], "total": 1}
//! ```
//!
//! ## `dm.updates.scan`
//!
//! Refreshes the package index and the list of available updates (`reported.dm.updates`).
//! Envelope result: [`UpdatesScanResult`].
//!
//! <!-- example: request dm.updates.scan -->
//! ```json
//! {}
//! ```
//!
//! <!-- example: result dm.updates.scan -->
//! ```json
//! {"availableCount": 14, "securityCount": 3}
//! ```
//!
//! ## `dm.updates.install`
//!
//! Installs `packages` (`name` or `name=version`, ≤ 256), or, when empty, what the policy allows:
//! the `approved` list, plus security updates under `security`, plus everything under `automatic`.
//! With `rebootIfRequired` the agent reboots when an update needs it; otherwise it reports
//! `pendingReboot: true`. Disruptive. Envelope result: [`UpdatesInstallResult`].
//!
//! <!-- example: request dm.updates.install -->
//! ```json
//! {"packages": ["openssl", "curl=8.5.0-2ubuntu10.6"], "rebootIfRequired": true, "postpone": true}
//! ```
//!
//! <!-- example: result dm.updates.install -->
//! ```json
//! {"installedCount": 2, "rebootRequired": true}
//! ```
//!
//! ## `dm.certificates.install`
//!
//! Adds a certificate to `store`: `trust` (a CA the device trusts) or `client` (a device identity,
//! with its private key). The source is either `url` with `sha256`, or `pem` inline (for `client`,
//! the certificate followed by its key; a key in a `trust` PEM is refused). Thumbprints are the
//! SHA-256 of the DER certificate in lower-case hex ([`check::normalize_thumbprint`] accepts the
//! `AB:CD:…` form). A device that trusts publisher keys also needs `signature` (see the artefact
//! rules under `dm.agent.update`). Envelope result: [`CertResult`].
//!
//! <!-- example: request dm.certificates.install -->
//! ```json
//! {"store": "trust", "url": "https://pki.example.com/plant-root-ca.pem", "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}
//! ```
//!
//! <!-- example: result dm.certificates.install -->
//! ```json
//! {"thumbprint": "3b0c8ac703f828b04c6c197006d17218d4fbc0c9f2c0e3bb2d2b4c1c2d8a4f10", "store": "trust", "notAfter": "2035-01-01T00:00:00Z"}
//! ```
//!
//! ## `dm.certificates.remove`
//!
//! Removes one certificate; 404 `notFound` if it is not there.
//!
//! <!-- example: request dm.certificates.remove -->
//! ```json
//! {"store": "client", "thumbprint": "3b0c8ac703f828b04c6c197006d17218d4fbc0c9f2c0e3bb2d2b4c1c2d8a4f10"}
//! ```
//!
//! <!-- example: 200 dm.certificates.remove -->
//! ```json
//! {"thumbprint": "3b0c8ac703f828b04c6c197006d17218d4fbc0c9f2c0e3bb2d2b4c1c2d8a4f10", "store": "client"}
//! ```
//!
//! ## `dm.certificates.list`
//!
//! All certificates of one store, or both (including the OS's own CA bundle, `managed: false`).
//!
//! <!-- example: request dm.certificates.list -->
//! ```json
//! {"store": "trust"}
//! ```
//!
//! <!-- example: 200 dm.certificates.list -->
//! ```json
//! {"certificates": [{"thumbprint": "3b0c8ac703f828b04c6c197006d17218d4fbc0c9f2c0e3bb2d2b4c1c2d8a4f10", "store": "trust", "subject": "CN=Plant Root CA,O=Example", "issuer": "CN=Plant Root CA,O=Example", "notBefore": "2025-01-01T00:00:00Z", "notAfter": "2035-01-01T00:00:00Z", "managed": true}]}
//! ```
//!
//! ## `dm.certificates.show`
//!
//! One certificate with its PEM (public part only).
//!
//! <!-- example: request dm.certificates.show -->
//! ```json
//! {"store": "trust", "thumbprint": "3b0c8ac703f828b04c6c197006d17218d4fbc0c9f2c0e3bb2d2b4c1c2d8a4f10"}
//! ```
//!
//! <!-- example: 200 dm.certificates.show -->
//! ```json
//! {"thumbprint": "3b0c8ac703f828b04c6c197006d17218d4fbc0c9f2c0e3bb2d2b4c1c2d8a4f10", "store": "trust", "subject": "CN=Plant Root CA,O=Example", "issuer": "CN=Plant Root CA,O=Example", "notBefore": "2025-01-01T00:00:00Z", "notAfter": "2035-01-01T00:00:00Z", "managed": true, "serialNumber": "01", "pem": "-----BEGIN CERTIFICATE-----\nMIIB...\n-----END CERTIFICATE-----\n"}
//! ```
//!
//! ## `dm.time.get`
//!
//! The live clock and time settings (the twin's `reported.dm.time` has no clock: it would change
//! every second).
//!
//! <!-- example: request dm.time.get -->
//! ```json
//! {}
//! ```
//!
//! <!-- example: 200 dm.time.get -->
//! ```json
//! {"timeZone": "Europe/Paris", "ntpServers": ["0.pool.ntp.org", "1.pool.ntp.org"], "ntpSynchronized": true, "utcTime": "2025-03-01T10:00:00Z", "localTime": "2025-03-01T11:00:00+01:00"}
//! ```
//!
//! ## `dm.wifi.list`, `dm.wifi.add`, `dm.wifi.remove`
//!
//! Wi-Fi profiles. `dm.wifi.add` adds a profile or replaces the one with the same SSID (the Windows
//! client never updated existing profiles). `security` is `open`, `wpa2Psk` or `wpa3Sae`; the
//! `passphrase` (8 to 63 printable ASCII, or 64 hex digits for WPA2) is required unless `open`,
//! travels only in this payload, and is never reported, logged or echoed. `priority` is -999 to 999.
//! `dm.wifi.remove` takes a profile `id` or an `ssid` (all its profiles); removing nothing is 200
//! with an empty list.
//!
//! <!-- example: request dm.wifi.list -->
//! ```json
//! {}
//! ```
//!
//! <!-- example: 200 dm.wifi.list -->
//! ```json
//! {"profiles": [{"id": "6f1c2b9e-0d7a-4c55-9a39-1b2f3c4d5e6f", "ssid": "Plant 4", "security": "wpa2Psk", "autoConnect": true, "priority": 10, "active": true}]}
//! ```
//!
//! <!-- example: request dm.wifi.add -->
//! ```json
//! {"ssid": "Plant 4", "security": "wpa2Psk", "passphrase": "correct horse battery", "priority": 10}
//! ```
//!
//! <!-- example: 200 dm.wifi.add -->
//! ```json
//! {"id": "6f1c2b9e-0d7a-4c55-9a39-1b2f3c4d5e6f", "ssid": "Plant 4", "security": "wpa2Psk", "autoConnect": true, "priority": 10}
//! ```
//!
//! <!-- example: request dm.wifi.remove -->
//! ```json
//! {"ssid": "Plant 4"}
//! ```
//!
//! <!-- example: 200 dm.wifi.remove -->
//! ```json
//! {"removed": [{"id": "6f1c2b9e-0d7a-4c55-9a39-1b2f3c4d5e6f", "ssid": "Plant 4", "security": "wpa2Psk", "autoConnect": true}]}
//! ```
//!
//! ## `dm.diagnostics.collect`
//!
//! Collects the journal (`journal`, default true; `units` filters it) and/or log files (`paths`:
//! absolute, no `..`; the agent may limit them to configured roots, answering 400
//! `pathNotAllowed`), between `since` and `until` (device clock), up to `maxBytes` (1 KiB to
//! 64 MiB, default 1 MiB; newest entries kept). `delivery`: `auto` (default) answers **200** with
//! the text inline when it is at most 64 KiB, otherwise uploads through IoT Hub file upload and
//! answers **202**; `inline` always answers 200 (truncated to 64 KiB); `upload` always uploads.
//! An upload's [`DiagnosticsResult`] is the envelope result, with the blob name and its URL without
//! any SAS.
//!
//! <!-- example: request dm.diagnostics.collect -->
//! ```json
//! {"units": ["plc-bridge.service"], "paths": ["/var/log/plc-bridge"], "since": "2025-03-01T08:00:00Z", "maxBytes": 4194304, "delivery": "upload"}
//! ```
//!
//! <!-- example: 200 dm.diagnostics.collect -->
//! ```json
//! {"bytes": 61, "content": "Mar 01 10:00:00 sensor-042 plc-bridge[812]: connected to PLC\n"}
//! ```
//!
//! <!-- example: result dm.diagnostics.collect -->
//! ```json
//! {"bytes": 2811904, "upload": {"blobName": "sensor-042/logs-20250301T100000Z.tar.gz", "url": "https://plantlogs.blob.core.windows.net/dm-logs/sensor-042/logs-20250301T100000Z.tar.gz"}}
//! ```
//!
//! ## `dm.diagnostics.setLogLevel`
//!
//! Changes the agent's own log level (`error`, `warn`, `info`, `debug`, `trace`), for
//! `durationSeconds` (1 to 604 800) or until the agent restarts.
//!
//! <!-- example: request dm.diagnostics.setLogLevel -->
//! ```json
//! {"level": "debug", "durationSeconds": 3600}
//! ```
//!
//! <!-- example: 200 dm.diagnostics.setLogLevel -->
//! ```json
//! {"level": "debug", "previous": "info", "revertsAt": "2025-03-01T11:00:00Z"}
//! ```
//!
//! ## `dm.info.get`
//!
//! The device inventory, live (also reported as `reported.dm.info`). Values the agent cannot read
//! are absent, never placeholder strings.
//!
//! <!-- example: request dm.info.get -->
//! ```json
//! {}
//! ```
//!
//! <!-- example: 200 dm.info.get -->
//! ```json
//! {"hostname": "sensor-042", "osId": "debian", "osVersion": "12", "osPrettyName": "Debian GNU/Linux 12 (bookworm)", "kernel": "6.1.0-31-arm64", "arch": "aarch64", "cpuModel": "Cortex-A72", "cpuCount": 4, "memoryTotalBytes": 4124225536, "memoryAvailableBytes": 3011022848, "disks": [{"mount": "/", "totalBytes": 31254528000, "availableBytes": 22011904000}], "bootTime": "2025-03-01T06:12:09Z", "uptimeSeconds": 13671, "agentVersion": "0.1.0"}
//! ```
//!
//! ## `dm.reportAll`
//!
//! Re-reports every section (queued as reported patches) and answers with their names.
//!
//! <!-- example: request dm.reportAll -->
//! ```json
//! {}
//! ```
//!
//! <!-- example: 200 dm.reportAll -->
//! ```json
//! {"sections": ["agent", "busy", "reboot", "apps", "updates", "time", "network", "diagnostics", "info"]}
//! ```
//!
//! ## `dm.operations.cancel`
//!
//! Cancels a `pending` or `postponed` operation: it becomes `rejected` with code `cancelled`, and
//! the answer is the final envelope. 404 `notFound` for an unknown id, 409 `conflict` for one that is
//! already running or finished.
//!
//! <!-- example: request dm.operations.cancel -->
//! ```json
//! {"operationId": "20250301T100000Z-7f3b"}
//! ```
//!
//! <!-- example: 200 dm.operations.cancel -->
//! ```json
//! {"id": "20250301T100000Z-7f3b", "op": "dm.reboot", "state": "rejected", "requestedAt": "2025-03-01T10:00:00Z", "finishedAt": "2025-03-01T10:03:00Z", "error": {"code": "cancelled", "message": "cancelled by dm.operations.cancel"}}
//! ```
//!
//! ## `dm.agent.update`
//!
//! *Since v2.* Replaces the agent's own binary and restarts the agent. The agent downloads `url`,
//! checks its SHA-256 against `sha256` (mandatory; failure: `checksumMismatch`, the file is
//! deleted), then runs the new binary with `--version` and requires its output to carry
//! `version` (failure: `preflightFailed`): a binary that does not run on this device, or is
//! another version, never replaces the running one. It then swaps the binary atomically,
//! keeping the old one as `<path>.previous`, records the operation, reports it `running` and
//! restarts itself (on Linux `systemctl --no-block restart` of its unit). On its next start it settles the
//! operation: running as `version` is `succeeded` (with [`AgentUpdateResult`], and the manifest's
//! `version` is the new one); anything else is `failed` (`versionMismatch`, "the agent restarted
//! as X, not Y") and `<path>.previous` is put back, as when the restart itself fails
//! (`restartFailed`). Not disruptive: only the agent restarts (see busy leases above). `version`
//! is 1 to 64 characters from `0-9 A-Z a-z . + -`; one update runs at a time (409 `conflict`).
//! The preflight runs as an unprivileged user (`artifacts.preflight_user`, default `nobody`)
//! when the agent runs as root.
//!
//! The envelope lives in its own section, `agentUpdate`, not in `agent`: the manifest is
//! rewritten whole at every start and would drop envelopes kept in it.
//!
//! <!-- example: request dm.agent.update -->
//! ```json
//! {"url": "https://artifacts.example.com/dm-agent/0.2.0/dm-agent-aarch64?sv=2024-05-04&sig=REDACTED", "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "version": "0.2.0"}
//! ```
//!
//! A signed update, for an agent that trusts publisher keys (`signature` is the `.minisig` text):
//!
//! <!-- example: request dm.agent.update -->
//! ```json
//! {"url": "https://artifacts.example.com/dm-agent/0.2.0/dm-agent-aarch64", "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "version": "0.2.0", "signature": "untrusted comment: signature from minisign secret key\nRUSNX6XBsuP0AQABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4fICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=\ntrusted comment: timestamp:1740823200\tfile:dm-agent-aarch64\thashed\nQEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl9gYWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+fw==\n"}
//! ```
//!
//! ### Artefacts
//!
//! `dm.agent.update` and `dm.apps.install` download what the device will run, so the agent
//! applies these rules, each before anything is written into place or executed, each failing
//! the envelope with its own code:
//!
//! - **Transport.** `url` must be `https` unless the device's configuration sets
//!   `artifacts.allow_http = true` (failure: `insecureUrl`, naming that key); a redirect to
//!   `http` is refused the same way. This rule also covers `dm.certificates.install` by URL.
//! - **Downgrades.** A `version` lower than the running agent's (or the installed app's) is
//!   refused unless `allowDowngrade` is true (failure: `downgradeRefused`). Versions are compared
//!   as semantic versions (a leading `v` ignored); when either side is not one, the agent cannot
//!   tell the order and refuses likewise, so `allowDowngrade` is then needed to proceed. Equal
//!   versions are a reinstall, not a downgrade. An app install without `version` cannot be
//!   compared: over an installed app of a known version it is refused likewise
//!   (`downgradeRefused`) unless `allowDowngrade` is true.
//! - **Publisher signatures.** When the agent's configuration names trusted Ed25519 keys
//!   (`artifacts.trusted_keys`: minisign public keys, or raw 32-byte keys in base64), the request
//!   needs `signature`, a detached minisign signature of the file (prehashed, as `minisign -S`
//!   makes by default). A missing one fails with `signatureRequired`, one made by a key the device
//!   does not trust with `signatureUntrusted`, one that does not match the file with
//!   `signatureInvalid`. With no trusted keys configured, `signature` is not required (and, when
//!   given, not checked). A certificate decides whom the device trusts, so
//!   `dm.certificates.install` needs one too: over the downloaded file, or over `pem` exactly as
//!   sent.
//!
//! <!-- example: accepted -->
//! ```json
//! {"operationId": "20250301T100000Z-9c1d", "state": "pending"}
//! ```
//!
//! <!-- example: result dm.agent.update -->
//! ```json
//! {"version": "0.2.0", "previousVersion": "0.1.0"}
//! ```
//!
//! # Sections
//!
//! ## `reboot`
//!
//! Desired: a single reboot at an instant, a daily reboot at a local time (`daily`, `HH:MM`, in
//! `timeZone` or the device's zone), and a maintenance window. The window is when *unattended*
//! disruptive work may happen (automatic update installs and their reboots); `end` before `start`
//! crosses midnight ([`MaintenanceWindow::contains`]); `start == end` is invalid. Explicit commands
//! and the explicit schedule are not held to it. `null` clears a part.
//!
//! <!-- example: type RebootDesired -->
//! ```json
//! {"schedule": {"daily": "03:30", "timeZone": "Europe/Paris"}, "maintenanceWindow": {"start": "22:00", "end": "04:00", "timeZone": "Europe/Paris"}}
//! ```
//!
//! Reported: the true boot time (kernel `btime`), the reason of the reboot dm caused last, the
//! schedule in effect, and the next scheduled reboot.
//!
//! <!-- example: type RebootReport -->
//! ```json
//! {"lastBootTime": "2025-03-01T06:12:09Z", "lastRebootReason": "apply kernel update", "schedule": {"daily": "03:30", "timeZone": "Europe/Paris"}, "nextRebootAt": "2025-03-02T02:30:00Z"}
//! ```
//!
//! ## `factoryReset`
//!
//! <!-- example: type FactoryResetReport -->
//! ```json
//! {"lastResetAt": "2025-02-11T09:30:00Z"}
//! ```
//!
//! ## `apps`
//!
//! Apps installed through dm (at most [`MAX_REPORTED_ITEMS`]); the download URL is never reported,
//! the SHA-256 identifies the package.
//!
//! <!-- example: type AppsReport -->
//! ```json
//! {"managed": [{"name": "plc-bridge", "kind": "package", "version": "2.4.1", "state": "active", "enabled": true, "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "installedAt": "2025-03-01T10:00:42Z"}]}
//! ```
//!
//! ## `updates`
//!
//! Desired `policy`: `manual` (only `dm.updates.install` installs), `approvedOnly` (the `approved`
//! list, automatically, in the maintenance window), `security` (approved plus security updates),
//! `automatic` (everything). `approved` entries are `name` or `name=version` (≤ 256).
//!
//! <!-- example: type UpdatesDesired -->
//! ```json
//! {"policy": "approvedOnly", "approved": ["openssl=3.0.15-1~deb12u1", "plc-bridge"]}
//! ```
//!
//! Reported: the policy in effect, the last scan, up to [`MAX_REPORTED_UPDATES`] available updates
//! (security first) with exact counts, and whether a reboot is pending.
//!
//! <!-- example: type UpdatesReport -->
//! ```json
//! {"policy": "approvedOnly", "approved": ["openssl=3.0.15-1~deb12u1", "plc-bridge"], "lastScanTime": "2025-03-01T09:00:00Z", "available": [{"name": "openssl", "version": "3.0.15-1~deb12u1", "security": true}], "availableCount": 1, "securityCount": 1, "pendingReboot": false}
//! ```
//!
//! ## `certificates`
//!
//! Certificates installed through dm (the OS bundle is listed by `dm.certificates.list`).
//!
//! <!-- example: type CertificatesReport -->
//! ```json
//! {"trust": [{"thumbprint": "3b0c8ac703f828b04c6c197006d17218d4fbc0c9f2c0e3bb2d2b4c1c2d8a4f10", "subject": "CN=Plant Root CA,O=Example", "notAfter": "2035-01-01T00:00:00Z"}], "client": []}
//! ```
//!
//! ## `time`
//!
//! Desired: an IANA time zone (syntax checked on both sides; existence on the device:
//! `unknownTimeZone`) and up to [`MAX_NTP_SERVERS`] NTP servers (host names or IPs).
//!
//! <!-- example: type TimeDesired -->
//! ```json
//! {"timeZone": "Europe/Paris", "ntpServers": ["0.pool.ntp.org", "ntp.plant.example.com"]}
//! ```
//!
//! <!-- example: type TimeReport -->
//! ```json
//! {"timeZone": "Europe/Paris", "ntpServers": ["0.pool.ntp.org", "ntp.plant.example.com"], "ntpSynchronized": true}
//! ```
//!
//! ## `network`
//!
//! Wi-Fi profile ids and SSIDs; never a passphrase.
//!
//! <!-- example: type NetworkReport -->
//! ```json
//! {"wifi": [{"id": "6f1c2b9e-0d7a-4c55-9a39-1b2f3c4d5e6f", "ssid": "Plant 4", "security": "wpa2Psk", "autoConnect": true, "priority": 10}]}
//! ```
//!
//! ## `diagnostics`
//!
//! <!-- example: type DiagnosticsReport -->
//! ```json
//! {"logLevel": "debug", "logLevelRevertsAt": "2025-03-01T11:00:00Z"}
//! ```
//!
//! ## `info`
//!
//! The same [`DeviceInfo`] as `dm.info.get`, refreshed at start, on `dm.reportAll` and
//! periodically (not on every uptime tick: each reported patch costs a twin write).
//!
//! <!-- example: type DeviceInfo -->
//! ```json
//! {"hostname": "sensor-042", "osId": "debian", "osVersion": "12", "kernel": "6.1.0-31-arm64", "arch": "aarch64", "cpuCount": 4, "memoryTotalBytes": 4124225536, "bootTime": "2025-03-01T06:12:09Z", "agentVersion": "0.1.0"}
//! ```
//!
//! ## `busy`
//!
//! <!-- example: type BusyReport -->
//! ```json
//! {"leases": [{"id": "flash-fw", "holder": "plc-bridge", "reason": "firmware flash in progress", "acquiredAt": "2025-03-01T09:58:00Z", "expiresAt": "2025-03-01T10:04:00Z"}]}
//! ```
//!
//! ## `agent`
//!
//! The manifest, shown [above](#the-capability-manifest-and-versioning).
//!
//! ## `agentUpdate`
//!
//! *Since v2.* The last successful self-update and the `dm.agent.update` envelopes.
//!
//! <!-- example: type AgentUpdateReport -->
//! ```json
//! {"previousVersion": "0.1.0", "lastUpdateAt": "2025-03-01T10:00:09Z"}
//! ```
//!
//! ## A whole twin
//!
//! A service view (`GET /twins/sensor-042`) with desired state, an application key the agent leaves
//! alone, and a postponed reboot that `dmctl --wait` follows with
//! `find_operation(&twin, Section::Reboot, "20250301T100000Z-7f3b")`:
//!
//! <!-- example: twin -->
//! ```json
//! {
//!   "deviceId": "sensor-042",
//!   "properties": {
//!     "desired": {
//!       "dm": {
//!         "time": {"timeZone": "Europe/Paris"},
//!         "reboot": {"maintenanceWindow": {"start": "22:00", "end": "04:00"}},
//!         "updates": {"policy": "security", "approved": []}
//!       },
//!       "samplingRate": 5,
//!       "$version": 7
//!     },
//!     "reported": {
//!       "dm": {
//!         "agent": {"version": "0.1.0", "contractVersion": 1, "methods": ["dm.reboot", "dm.operations.cancel"], "sections": ["agent", "busy", "reboot", "time"], "providers": {"reboot": {"backend": "sandbox", "active": true}}},
//!         "busy": {"leases": [{"id": "flash-fw", "holder": "plc-bridge", "reason": "firmware flash in progress", "acquiredAt": "2025-03-01T09:58:00Z", "expiresAt": "2025-03-01T10:04:00Z"}]},
//!         "reboot": {
//!           "lastBootTime": "2025-03-01T06:12:09Z",
//!           "maintenanceWindow": {"start": "22:00", "end": "04:00"},
//!           "operations": {
//!             "20250301T100000Z-7f3b": {"id": "20250301T100000Z-7f3b", "op": "dm.reboot", "state": "postponed", "requestedAt": "2025-03-01T10:00:00Z"},
//!             "d6-reboot": {"id": "d6-reboot", "op": "dm.reboot.apply", "state": "succeeded", "requestedAt": "2025-02-28T18:00:00Z", "finishedAt": "2025-02-28T18:00:01Z", "desiredVersion": 6}
//!           }
//!         },
//!         "time": {"timeZone": "Europe/Paris", "ntpServers": ["0.debian.pool.ntp.org"], "ntpSynchronized": true,
//!                  "operations": {"d7-time": {"id": "d7-time", "op": "dm.time.apply", "state": "succeeded", "requestedAt": "2025-03-01T09:00:00Z", "finishedAt": "2025-03-01T09:00:01Z", "desiredVersion": 7}}}
//!       },
//!       "temperature": 21.5,
//!       "$version": 42
//!     }
//!   }
//! }
//! ```
//!
//! # Rust API
//!
//! - Names: [`NAMESPACE`], [`CONTRACT_VERSION`], the `METHOD_*` and `SECTION_*` constants,
//!   [`Method`] (`name`, `from_name`, `is_disruptive`, `section`, `success`), [`Section`]
//!   (`name`, `from_name`, `is_desired`, `has_operations`).
//! - Requests: one struct per payload, [`Request::parse_call`] / [`Request::parse`] (parse +
//!   validate, for the agent),
//!   [`Request::to_payload`] (for `dmctl`), [`Validate`], [`Disruptive`], field rules in [`check`].
//! - Answers: [`MethodResponse`] builders ([`MethodResponse::from_error`] for parse failures),
//!   [`MethodReply`], [`Accepted`], [`ErrorBody`],
//!   [`error_code`], and the result types.
//! - Operations: [`OperationStatus`], [`OperationId`], [`operations_to_prune`], [`apply_op`].
//! - Twin: [`reported_patch`], [`desired_patch`], [`operation_patch`], [`prune_patch`],
//!   [`section_patch`], [`reported_properties`], [`desired_properties`], [`desired_version`],
//!   [`read_section`], [`parse_desired`], [`operation_path`], [`find_operation`],
//!   [`find_operation_anywhere`].
//! - Manifest: [`AgentManifest`] (`support`, `supports`, `supports_section`, `compatibility`,
//!   `knows_contract`).

#![warn(missing_docs, unreachable_pub, clippy::print_stdout)]

pub mod check;
mod error;
mod manifest;
mod method;
mod operation;
mod request;
mod response;
mod results;
mod section;
mod sections;
mod twin;

pub use check::{ArtifactUrl, Secret, TimeOfDay, Validate};
pub use error::ContractError;
pub use manifest::{AgentManifest, Backend, Compatibility, ProviderStatus, Support};
pub use method::*;
pub use operation::{
    MAX_FINISHED_OPERATIONS_PER_SECTION, MAX_OPERATION_ID_LEN, MAX_RESULT_BYTES, OperationError,
    OperationId, OperationState, OperationStatus, Operations, apply_op, operations_to_prune,
};
pub use request::*;
pub use response::*;
pub use results::*;
pub use section::*;
pub use sections::*;
pub use twin::*;

/// The twin key and method-name prefix of everything device-management: `dm`.
pub const NAMESPACE: &str = "dm";

/// The version of this contract, reported as `reported.dm.agent.contractVersion`.
pub const CONTRACT_VERSION: u32 = 2;

/// The oldest agent contract this build can drive.
pub const MIN_AGENT_CONTRACT_VERSION: u32 = 1;
