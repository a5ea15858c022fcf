//! The local Unix socket where applications take, renew and release busy leases.
//!
//! The socket is the only way into the agent from the device itself, so it is deliberately
//! small: mode 0660 and owned by a configurable group (only members may hold the device busy),
//! one bounded line per request, a cap on concurrent connections and an idle timeout, so a
//! misbehaving client cannot exhaust the agent.

use std::future::Future;
use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt as _, AsyncReadExt as _, AsyncWriteExt as _, BufReader};
use tokio::net::{UnixListener, UnixStream};

use super::protocol::{LeaseRequest, LeaseResponse, MAX_LINE_BYTES};
use super::{AcquireRequest, Leases};
use crate::error::{DmError, DmResult};

/// How many clients may be connected at once.
const MAX_CONNECTIONS: usize = 64;
/// How long a connection may stay silent before it is closed.
const IDLE_TIMEOUT: Duration = Duration::from_secs(60);

/// Binds the lease socket at `path`: removes a stale socket file, binds, sets mode 0660 and,
/// when `group` is given (a name from `/etc/group` or a numeric gid), gives the socket to that
/// group.
pub fn bind(path: &Path, group: Option<&str>) -> DmResult<UnixListener> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| DmError::io("cannot create the directory of", path, e))?;
    }
    match std::fs::symlink_metadata(path) {
        Ok(meta) => {
            use std::os::unix::fs::FileTypeExt as _;
            if !meta.file_type().is_socket() {
                return Err(DmError::Config(format!(
                    "`{}` exists and is not a socket; refusing to replace it",
                    path.display()
                )));
            }
            std::fs::remove_file(path).map_err(|e| DmError::io("cannot remove stale", path, e))?;
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(DmError::io("cannot inspect", path, e)),
    }
    let listener = UnixListener::bind(path).map_err(|e| DmError::io("cannot bind", path, e))?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o660))
        .map_err(|e| DmError::io("cannot set the mode of", path, e))?;
    if let Some(group) = group {
        let gid = resolve_group(group, Path::new("/etc/group"))?;
        std::os::unix::fs::chown(path, None, Some(gid))
            .map_err(|e| DmError::io("cannot change the group of", path, e))?;
    }
    Ok(listener)
}

/// Resolves a group name (or a numeric gid) through a `group(5)` file.
pub fn resolve_group(group: &str, group_file: &Path) -> DmResult<u32> {
    if let Ok(gid) = group.parse::<u32>() {
        return Ok(gid);
    }
    let text = std::fs::read_to_string(group_file)
        .map_err(|e| DmError::io("cannot read", group_file, e))?;
    text.lines()
        .find_map(|line| {
            let mut fields = line.split(':');
            let name = fields.next()?;
            let gid = fields.nth(1)?.parse::<u32>().ok()?;
            (name == group).then_some(gid)
        })
        .ok_or_else(|| DmError::Config(format!("group `{group}` does not exist")))
}

/// Serves lease requests on `listener` until `shutdown` completes.
pub async fn serve(listener: UnixListener, leases: Leases, shutdown: impl Future<Output = ()>) {
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            () = &mut shutdown => return,
            accepted = listener.accept() => accepted,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(err) => {
                tracing::warn!(error = %err, "busy-lease socket: accept failed");
                // Out of descriptors and the like: back off instead of spinning.
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let Ok(permit) = slots.clone().try_acquire_owned() else {
            tracing::warn!("busy-lease socket: too many connections, refusing one");
            continue;
        };
        let leases = leases.clone();
        tokio::spawn(async move {
            if let Err(err) = handle_connection(stream, &leases).await {
                tracing::debug!(error = %err, "busy-lease connection ended");
            }
            drop(permit);
        });
    }
}

async fn handle_connection(stream: UnixStream, leases: &Leases) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    // `take` bounds what one line can make us buffer; it is re-armed for every line.
    let mut reader = BufReader::new(read);
    let mut line = Vec::new();
    loop {
        line.clear();
        let limit = u64::try_from(MAX_LINE_BYTES + 1).unwrap_or(u64::MAX);
        let read = tokio::time::timeout(
            IDLE_TIMEOUT,
            (&mut reader).take(limit).read_until(b'\n', &mut line),
        )
        .await;
        let n = match read {
            Err(_) => return Ok(()),
            Ok(result) => result?,
        };
        if n == 0 {
            return Ok(());
        }
        let too_long =
            line.len() > MAX_LINE_BYTES || (!line.ends_with(b"\n") && n > MAX_LINE_BYTES);
        let response = if too_long {
            LeaseResponse::error(format!("request line longer than {MAX_LINE_BYTES} bytes"))
        } else {
            answer(leases, &line)
        };
        let mut out = serde_json::to_vec(&response).unwrap_or_else(|_| b"{\"ok\":false}".to_vec());
        out.push(b'\n');
        write.write_all(&out).await?;
        if too_long {
            return Ok(());
        }
    }
}

/// Answers one request line.
pub fn answer(leases: &Leases, line: &[u8]) -> LeaseResponse {
    let request: LeaseRequest = match serde_json::from_slice(line) {
        Ok(request) => request,
        Err(err) => {
            let err = dm_contract::ContractError::from_json("busy-lease request", &err);
            return LeaseResponse::error(err.to_string());
        }
    };
    let result = match request {
        LeaseRequest::Acquire {
            id,
            holder,
            reason,
            ttl_seconds,
        } => leases
            .acquire(AcquireRequest {
                id,
                holder,
                reason,
                ttl_seconds,
            })
            .map(|lease| LeaseResponse {
                ok: true,
                lease: Some(lease),
                ..LeaseResponse::default()
            }),
        LeaseRequest::Renew { id, ttl_seconds } => {
            leases.renew(&id, ttl_seconds).map(|lease| LeaseResponse {
                ok: true,
                lease: Some(lease),
                ..LeaseResponse::default()
            })
        }
        LeaseRequest::Release { id } => Ok(LeaseResponse {
            ok: true,
            released: Some(leases.release(&id)),
            ..LeaseResponse::default()
        }),
        LeaseRequest::List => Ok(LeaseResponse {
            ok: true,
            leases: Some(leases.list()),
            ..LeaseResponse::default()
        }),
    };
    result.unwrap_or_else(|err| LeaseResponse::error(err.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_resolve_by_name_or_number() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("group");
        std::fs::write(&file, "root:x:0:\ndm-busy:x:987:plc,ui\nbroken\n").unwrap();
        assert_eq!(resolve_group("dm-busy", &file).unwrap(), 987);
        assert_eq!(resolve_group("42", &file).unwrap(), 42);
        assert!(
            resolve_group("nobody-here", &file)
                .unwrap_err()
                .to_string()
                .contains("nobody-here")
        );
    }

    #[test]
    fn malformed_requests_get_an_error_line() {
        let leases = Leases::new();
        for bad in [
            &b"{"[..],
            b"{\"op\":\"explode\"}",
            b"\xff\xfe",
            b"{\"op\":\"acquire\"}",
        ] {
            let r = answer(&leases, bad);
            assert!(!r.ok && r.error.is_some(), "{r:?}");
        }
        let r = answer(
            &leases,
            br#"{"op":"acquire","holder":"plc","reason":"x","ttlSeconds":0}"#,
        );
        assert!(r.error.unwrap().contains("ttlSeconds"));
    }
}
