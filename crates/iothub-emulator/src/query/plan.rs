//! What a query needs from the store, read off its syntax tree before any document is built.
//!
//! The hub keeps twins in device-id order, so a condition that pins `deviceId` (equality, `IN`,
//! `STARTSWITH`) can be answered by seeking to the ids instead of reading every twin, and a query
//! that reads no `properties` can be evaluated on a twin built without its desired and reported
//! sections (the bulk of a twin's stored text). Both are only ever *narrowings*: the full
//! condition is still evaluated on every candidate, so a plan can make a query faster but never
//! change its rows.

use std::collections::BTreeSet;

use super::ast::{Expr, Literal, Path, ProjectionKind, Select};
use super::value::CmpOp;
use super::{Condition, Query};

/// The device ids a condition can possibly select, as far as its syntax tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeviceIds {
    /// No restriction could be derived: every device is a candidate.
    All,
    /// Only these ids (sorted, without duplicates) can match.
    Exactly(BTreeSet<String>),
    /// Only ids starting with this prefix can match.
    Prefix(String),
}

impl DeviceIds {
    /// Whether `id` is a candidate.
    pub fn admits(&self, id: &str) -> bool {
        match self {
            DeviceIds::All => true,
            DeviceIds::Exactly(ids) => ids.contains(id),
            DeviceIds::Prefix(prefix) => id.starts_with(prefix.as_str()),
        }
    }
}

impl Condition {
    /// The device ids this condition can select (see [`DeviceIds`]).
    pub fn device_ids(&self) -> DeviceIds {
        self.expr.as_ref().map_or(DeviceIds::All, ids_of)
    }

    /// Whether every property the condition reads lies under one of the top-level `roots`
    /// (compared ignoring case, as property lookup falls back to).
    pub fn reads_only(&self, roots: &[&str]) -> bool {
        self.expr.as_ref().is_none_or(|e| expr_reads_only(e, roots))
    }
}

impl Query {
    /// The device ids the WHERE clause can select (see [`DeviceIds`]).
    pub fn device_ids(&self) -> DeviceIds {
        self.condition
            .as_ref()
            .map_or(DeviceIds::All, Condition::device_ids)
    }

    /// Whether every property the query reads (condition, SELECT list, GROUP BY) lies under one
    /// of the top-level `roots`. `SELECT *` reads everything.
    pub fn reads_only(&self, roots: &[&str]) -> bool {
        let select = match &self.select {
            Select::Star => false,
            Select::Items(items) => items.iter().all(|item| match &item.kind {
                ProjectionKind::Path(path) => path_within(path, roots),
                ProjectionKind::Aggregate(_, argument) => {
                    argument.as_ref().is_none_or(|p| path_within(p, roots))
                }
            }),
        };
        select
            && self.group_by.iter().all(|p| path_within(p, roots))
            && self.condition.as_ref().is_none_or(|c| c.reads_only(roots))
    }

    /// Whether the result is computed over the whole set (aggregates, GROUP BY) rather than row
    /// by row, so a page cannot be produced from a slice of the documents.
    pub fn is_whole_set(&self) -> bool {
        self.is_aggregate()
    }
}

fn path_within(path: &Path, roots: &[&str]) -> bool {
    path.segments
        .first()
        .is_some_and(|first| roots.iter().any(|r| super::ast::eq_ignore_case(first, r)))
}

fn expr_reads_only(expr: &Expr, roots: &[&str]) -> bool {
    let all = |exprs: &[Expr]| exprs.iter().all(|e| expr_reads_only(e, roots));
    match expr {
        Expr::Literal(_) => true,
        Expr::Path(path) => path_within(path, roots),
        Expr::Neg(inner) | Expr::Not(inner) | Expr::IsDefined(inner) => {
            expr_reads_only(inner, roots)
        }
        Expr::And(operands) | Expr::Or(operands) => all(operands),
        Expr::Arith { first, rest } => {
            expr_reads_only(first, roots) && rest.iter().all(|(_, e)| expr_reads_only(e, roots))
        }
        Expr::Compare { left, right, .. } => {
            expr_reads_only(left, roots) && expr_reads_only(right, roots)
        }
        Expr::In { needle, items, .. } => expr_reads_only(needle, roots) && all(items),
        Expr::StartsWith(a, b) | Expr::EndsWith(a, b) => {
            expr_reads_only(a, roots) && expr_reads_only(b, roots)
        }
        Expr::ArrayContains(path, needle) => {
            path_within(path, roots) && expr_reads_only(needle, roots)
        }
    }
}

/// Whether `expr` is the `deviceId` property. Lookup is exact first, then ignoring case; no
/// other top-level member of a twin equals `deviceId` ignoring case, so any spelling names it.
fn is_device_id(expr: &Expr) -> bool {
    matches!(expr, Expr::Path(path)
        if path.segments.len() == 1 && super::ast::eq_ignore_case(&path.segments[0], "deviceId"))
}

fn string_literal(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Literal(Literal::Str(s)) => Some(s),
        _ => None,
    }
}

fn ids_of(expr: &Expr) -> DeviceIds {
    match expr {
        Expr::Compare {
            op: CmpOp::Eq,
            left,
            right,
        } => {
            let literal = if is_device_id(left) {
                right
            } else if is_device_id(right) {
                left
            } else {
                return DeviceIds::All;
            };
            match literal.as_ref() {
                // A device id is a string: equality with any other literal is never true.
                Expr::Literal(Literal::Str(s)) => DeviceIds::Exactly([s.clone()].into()),
                Expr::Literal(_) => DeviceIds::Exactly(BTreeSet::new()),
                _ => DeviceIds::All,
            }
        }
        Expr::In {
            negated: false,
            needle,
            items,
        } if is_device_id(needle) => {
            let mut ids = BTreeSet::new();
            for item in items {
                match item {
                    Expr::Literal(Literal::Str(s)) => {
                        ids.insert(s.clone());
                    }
                    // Other literals can never equal a string.
                    Expr::Literal(_) => {}
                    _ => return DeviceIds::All,
                }
            }
            DeviceIds::Exactly(ids)
        }
        Expr::StartsWith(text, prefix) if is_device_id(text) => {
            string_literal(prefix).map_or(DeviceIds::All, |p| DeviceIds::Prefix(p.to_owned()))
        }
        // Any one conjunct that restricts the ids restricts the whole; an id list is the
        // narrowest, so it wins over a prefix.
        Expr::And(operands) => {
            let mut best = DeviceIds::All;
            for operand in operands {
                match ids_of(operand) {
                    DeviceIds::All => {}
                    exact @ DeviceIds::Exactly(_) => return exact,
                    prefix @ DeviceIds::Prefix(_) => best = prefix,
                }
            }
            best
        }
        // A disjunction restricts the ids only when every branch is an id list.
        Expr::Or(operands) => {
            let mut ids = BTreeSet::new();
            for operand in operands {
                match ids_of(operand) {
                    DeviceIds::Exactly(more) => ids.extend(more),
                    _ => return DeviceIds::All,
                }
            }
            DeviceIds::Exactly(ids)
        }
        _ => DeviceIds::All,
    }
}
