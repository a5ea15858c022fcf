//! `dm-agent busy acquire|renew|release|list` as library functions: the binary parses flags and
//! calls [`run_busy`], which talks to the running agent and prints for people or for scripts.

use std::io::Write;

use dm_contract::BusyLease;

use super::client::LeaseClient;
use crate::error::{DmError, DmResult};

/// One `dm-agent busy` sub-command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BusyCommand {
    /// Take a lease.
    Acquire {
        /// Optional id (re-acquiring one's own id renews it).
        id: Option<String>,
        /// Who holds it.
        holder: String,
        /// Why.
        reason: String,
        /// Seconds until it expires.
        ttl_seconds: u32,
    },
    /// Extend a lease.
    Renew {
        /// The lease.
        id: String,
        /// New TTL from now.
        ttl_seconds: u32,
    },
    /// Release a lease.
    Release {
        /// The lease.
        id: String,
    },
    /// List the active leases.
    List,
}

/// Runs `command` against the agent's socket and writes the outcome to `out`: the lease id (for
/// `acquire`, so scripts can `id=$(dm-agent busy acquire ...)`), or a table, or with `json` one
/// JSON document.
pub async fn run_busy(
    client: &LeaseClient,
    command: BusyCommand,
    json: bool,
    out: &mut dyn Write,
) -> DmResult<()> {
    let write_err = |e: std::io::Error| DmError::Lease(format!("cannot write the answer: {e}"));
    match command {
        BusyCommand::Acquire {
            id,
            holder,
            reason,
            ttl_seconds,
        } => {
            let lease = client
                .acquire(id.as_deref(), &holder, &reason, ttl_seconds)
                .await?;
            print_lease(&lease, json, out).map_err(write_err)
        }
        BusyCommand::Renew { id, ttl_seconds } => {
            let lease = client.renew(&id, ttl_seconds).await?;
            print_lease(&lease, json, out).map_err(write_err)
        }
        BusyCommand::Release { id } => {
            if client.release(&id).await? {
                if json {
                    writeln!(out, "{}", serde_json::json!({"released": true})).map_err(write_err)
                } else {
                    Ok(())
                }
            } else {
                Err(DmError::NotFound(format!("no active lease `{id}`")))
            }
        }
        BusyCommand::List => {
            let leases = client.list().await?;
            if json {
                let doc = serde_json::json!({ "leases": leases });
                writeln!(out, "{doc}").map_err(write_err)
            } else {
                write_table(&leases, out).map_err(write_err)
            }
        }
    }
}

fn print_lease(lease: &BusyLease, json: bool, out: &mut dyn Write) -> std::io::Result<()> {
    if json {
        writeln!(out, "{}", serde_json::to_string(lease).unwrap_or_default())
    } else {
        writeln!(out, "{}", lease.id)
    }
}

/// Writes leases as an aligned table (or a short sentence when there are none).
pub fn write_table(leases: &[BusyLease], out: &mut dyn Write) -> std::io::Result<()> {
    if leases.is_empty() {
        return writeln!(out, "no busy leases");
    }
    let header = ["ID", "HOLDER", "EXPIRES", "REASON"];
    let rows: Vec<[String; 4]> = leases
        .iter()
        .map(|l| {
            [
                l.id.clone(),
                l.holder.clone(),
                l.expires_at.to_string(),
                l.reason.clone(),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: [&str; 4], out: &mut dyn Write| {
        writeln!(
            out,
            "{:<w0$}  {:<w1$}  {:<w2$}  {}",
            cells[0],
            cells[1],
            cells[2],
            cells[3],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2]
        )
    };
    line(header, out)?;
    for row in &rows {
        line([&row[0], &row[1], &row[2], &row[3]], out)?;
    }
    Ok(())
}
