//! Keeps `FIDELITY.md` true: every route of the router has a row, and every row's status is what
//! a running hub does with that request.

use reqwest::{Method, StatusCode};

use crate::common::start;

const TABLE: &str = include_str!("../../FIDELITY.md");
const ROUTER: &str = include_str!("../../src/rest/mod.rs");

#[derive(Debug)]
struct Row {
    method: String,
    path: String,
    status: String,
}

fn rows() -> Vec<Row> {
    TABLE
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| Method") && !l.starts_with("|---"))
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            Row {
                method: cells[1].to_string(),
                path: cells[2].to_string(),
                status: cells[3].to_string(),
            }
        })
        .collect()
}

/// The `(method, path template)` pairs the router registers with a literal path: each
/// `.route("…", get(…).post(…))` in `router()`. Routes with computed paths (the blob container,
/// the WebSocket upgrade) are outside the REST API.
fn routed() -> Vec<(String, String)> {
    let body = &ROUTER[ROUTER
        .find("fn router(state")
        .expect("router() in rest/mod.rs")..];
    let body = &body[..body.find(".fallback(").expect("the router's fallback")];
    let mut out = Vec::new();
    for chunk in body.split(".route(").skip(1) {
        let chunk = chunk.trim_start();
        let Some(rest) = chunk.strip_prefix('"') else {
            continue;
        };
        let path = &rest[..rest.find('"').expect("closing quote")];
        for method in ["get", "put", "post", "delete", "patch", "head"] {
            let called = |prefix: &str| chunk.contains(&format!("{prefix}{method}("));
            if called(" ") || called("\n") || called(".") || called("(") {
                out.push((
                    method.to_uppercase(),
                    path.trim_end_matches('/').to_string(),
                ));
            }
        }
    }
    out
}

fn segments(path: &str) -> Vec<&str> {
    path.trim_matches('/').split('/').collect()
}

fn is_param(segment: &str) -> bool {
    segment.starts_with('{') && segment.ends_with('}')
}

/// Whether a router template and a table path name the same requests (parameter names may
/// differ; a router parameter also covers the table's literal, e.g. `/devices/{id}` routes
/// `POST /devices/query`; literals compare without case, so Node's `devicebound` spelling is
/// covered by the `deviceBound` row, whose notes mention it).
fn same_route(template: &str, path: &str) -> bool {
    let (a, b) = (segments(template), segments(path));
    a.len() == b.len()
        && a.iter()
            .zip(&b)
            .all(|(x, y)| x.eq_ignore_ascii_case(y) || (is_param(x) && !y.is_empty()))
}

#[test]
fn every_route_of_the_router_has_a_row() {
    let rows = rows();
    let routes = routed();
    assert!(
        routes.len() > 30,
        "read only {} routes: {routes:?}",
        routes.len()
    );
    let missing: Vec<_> = routes
        .iter()
        .filter(|(method, template)| {
            !rows.iter().any(|r| {
                &r.method == method && r.status != "not served" && same_route(template, &r.path)
            })
        })
        .collect();
    assert!(
        missing.is_empty(),
        "routed but not in FIDELITY.md as served: {missing:?}"
    );
    for r in &rows {
        assert!(
            ["served", "departure", "not served"].contains(&r.status.as_str()),
            "unknown status in {r:?}"
        );
    }
}

#[tokio::test]
async fn every_row_is_what_the_hub_does() {
    let t = start().await;
    let mut wrong = Vec::new();
    for row in rows() {
        let path: String = segments(&row.path)
            .iter()
            .map(|s| if is_param(s) { "x1" } else { s })
            .fold(String::new(), |acc, s| format!("{acc}/{s}"));
        let method = Method::from_bytes(row.method.as_bytes()).unwrap();
        let answer = t.call(method, &path, Some(serde_json::json!({}))).await;
        let fallback = answer.status == StatusCode::BAD_REQUEST
            && answer.message().contains("The hub has no operation");
        let served = row.status != "not served";
        if served == fallback {
            wrong.push(format!(
                "{} {} is marked {:?} but the hub answered {} {}",
                row.method,
                row.path,
                row.status,
                answer.status,
                answer.message()
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "FIDELITY.md is out of date:\n{}",
        wrong.join("\n")
    );
}
