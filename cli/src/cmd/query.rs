//! `dmctl query`: an IoT Hub query, all pages (or the first `--top` rows).
//!
//! Rows are printed as the hub returns them in JSON; tables pick columns from the rows: a
//! summary for whole twins (which are too wide to show field by field), otherwise every
//! top-level field in order of first appearance.

use serde_json::Value;

use crate::args::QueryArgs;
use crate::cmd::device::{collect_query, time_cell};
use crate::context::Context;
use crate::exit::{CliError, Exit};
use crate::printer::{Printer, cell_text, rfc3339};

/// Runs `dmctl query`.
pub async fn run(ctx: &Context, args: &QueryArgs) -> Result<Exit, CliError> {
    if args.query.trim().is_empty() {
        return Err(CliError::usage("the query is empty")
            .with_hint("for example: dmctl query \"SELECT * FROM devices\""));
    }
    if args.top == Some(0) {
        return Err(CliError::usage("--top must be at least 1"));
    }
    let mut query = ctx.client()?.query(args.query.clone());
    if let Some(size) = args.page_size {
        query = query.page_size(size);
    }
    let spinner = ctx.printer.spinner("querying");
    let rows = if args.page_size.is_some() {
        collect_pages(query, args.top).await
    } else {
        collect_query(query, args.top).await
    };
    spinner.finish_and_clear();
    let rows = rows.map_err(|e| e.context("query"))?;
    ctx.printer.list(&rows, |rows| table(&ctx.printer, rows))?;
    ctx.printer.detail(format!("{} rows", rows.len()));
    Ok(Exit::Ok)
}

/// Pages with the caller's page size, stopping after `top` rows.
async fn collect_pages(
    mut query: iothub_client::Query<Value>,
    top: Option<usize>,
) -> Result<Vec<Value>, CliError> {
    let mut rows = Vec::new();
    while let Some(page) = query.next_page().await.map_err(CliError::from)? {
        rows.extend(page.items);
        if top.is_some_and(|top| rows.len() >= top) {
            break;
        }
    }
    if let Some(top) = top {
        rows.truncate(top);
    }
    Ok(rows)
}

fn is_twin(row: &Value) -> bool {
    row.get("deviceId").is_some() && row.get("properties").is_some()
}

fn table(printer: &Printer, rows: &[Value]) -> comfy_table::Table {
    if !rows.is_empty() && rows.iter().all(is_twin) {
        let modules = rows.iter().any(|r| r.get("moduleId").is_some());
        let mut headers = vec!["DEVICE"];
        if modules {
            headers.push("MODULE");
        }
        headers.extend(["STATUS", "CONNECTION", "LAST ACTIVITY", "TAGS"]);
        let mut table = printer.new_table(headers);
        for row in rows {
            let text = |key: &str| {
                row.get(key)
                    .map_or_else(|| "-".to_owned(), |v| cell_text(v, 40))
            };
            let mut cells = vec![text("deviceId")];
            if modules {
                cells.push(text("moduleId"));
            }
            let activity = row
                .get("lastActivityTime")
                .and_then(Value::as_str)
                .map_or(Value::Null, rfc3339);
            cells.extend([
                text("status"),
                text("connectionState"),
                time_cell(&activity),
                row.get("tags")
                    .map_or_else(|| "-".to_owned(), |t| cell_text(t, 60)),
            ]);
            table.add_row(cells);
        }
        return table;
    }
    if rows.iter().any(|r| !r.is_object()) {
        let mut table = printer.new_table(["VALUE"]);
        for row in rows {
            table.add_row([cell_text(row, 100)]);
        }
        return table;
    }
    let mut columns: Vec<String> = Vec::new();
    for row in rows {
        if let Some(map) = row.as_object() {
            for key in map.keys() {
                if !columns.contains(key) {
                    columns.push(key.clone());
                }
            }
        }
    }
    let mut table = printer.new_table(columns.iter().map(|c| c.to_uppercase()));
    for row in rows {
        table.add_row(columns.iter().map(|c| {
            row.get(c)
                .map_or_else(|| "-".to_owned(), |v| cell_text(v, 48))
        }));
    }
    table
}
