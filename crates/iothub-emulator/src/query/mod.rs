//! The IoT Hub query language, as used by `POST /devices/query` and by jobs v2 `queryCondition`.
//!
//! The emulator has to answer the same SQL-like queries as the real service so that tools tested
//! against it behave the same in production. This module parses a query once into an immutable
//! [`Query`] and evaluates it over `serde_json::Value` documents (twins, module twins or device-job
//! rows); it knows nothing about storage, so the REST layer and the jobs runner feed it candidates.
//!
//! Language summary (protocol reference §D.4, Microsoft's "IoT Hub query language" page):
//!
//! ```text
//! SELECT [TOP n] * | item [, item …]  FROM devices | devices.modules | devices.jobs
//!        [WHERE condition]  [GROUP BY path [, path …]]
//! item  := path [AS alias] | COUNT() [AS alias] | AVG|SUM|MIN|MAX(path) [AS alias]
//! path  := name [. name …]          name := identifier | [[any text]]
//! ```
//!
//! Conditions use `AND OR NOT`, parentheses, `= != <> < > <= >=`, `IN [..]`, `NIN [..]`,
//! `+ - * / %`, unary `-`, decimal and `0x` hexadecimal numbers, `'…'`/`"…"` strings with
//! `\' \" \\ \uXXXX`, `true false null undefined`, and the functions `IS_DEFINED(x)`,
//! `STARTSWITH(x, y)`, `ENDSWITH(x, y)` and `ARRAY_CONTAINS(path, y)`.
//!
//! Behaviour the documentation leaves open, and the choice made here:
//! - Keywords and function names are case-insensitive. Property names match exactly first and then
//!   ignoring case (see the `DeviceId` → `deviceId` projection example in the service docs).
//! - The clause keywords cannot be bare property names; `[[group]]` escapes them, as the docs advise.
//! - A path projected without `AS` is named after its last segment as spelled in the document;
//!   properties that are undefined in a document are left out of its row.
//! - An aggregate without `AS` is named `$1`, `$2`… in SELECT order. Without GROUP BY an aggregate query returns exactly one row,
//!   even over no documents (`COUNT()` is then 0).
//! - Comparisons involving a missing property, an object or an array are undefined, and so is
//!   ordering between different types; equality between two primitives of different types is false.
//!   Logic is three-valued and only `true` selects a document.
//! - `TOP` applies to the final rows (after grouping).
//! - `FROM devices` never returns a twin's `jobs` property.

mod ast;
mod lexer;
mod parser;
mod plan;
mod value;

use std::collections::HashMap;
use std::fmt;

use serde_json::{Map, Value};

use ast::{AggState, Expr, Path, Projection, ProjectionKind, Select};
use value::Num;

pub use plan::DeviceIds;

/// Longest query text the service accepts, in characters (query-twins / query-jobs docs).
pub const MAX_QUERY_CHARS: usize = 8192;

/// Deepest nesting of parentheses, `NOT`, unary minus and function arguments that is accepted.
/// Bounding it keeps parsing and evaluation far from the thread's stack limit on hostile input.
pub const MAX_DEPTH: usize = 64;

/// The collection named in `FROM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// `FROM devices`: device twins.
    Devices,
    /// `FROM devices.modules`: module twins.
    Modules,
    /// `FROM devices.jobs`: per-device job rows.
    Jobs,
}

impl Source {
    /// The collection as written in a query.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Devices => "devices",
            Source::Modules => "devices.modules",
            Source::Jobs => "devices.jobs",
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a query or condition was rejected, and where: a diagnostic the hub turns into its
/// `ArgumentInvalid` answer ([`EmulatorError`](crate::EmulatorError) is the crate's error type).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    /// What was wrong, naming the offending token.
    pub message: String,
    /// 0-based offset, in characters (not bytes), of the offending token in the query text.
    pub position: usize,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "syntax error at position {}: {}",
            self.position, self.message
        )
    }
}

impl QueryError {
    fn new(position: usize, message: impl Into<String>) -> Self {
        QueryError {
            message: message.into(),
            position,
        }
    }

    /// The 1-based line and column of [`position`](Self::position) in `query` (the text that was
    /// parsed), for editors and terminal output. Past the end of `query` it points just after the
    /// last character.
    pub fn line_column(&self, query: &str) -> (usize, usize) {
        let mut line = 1;
        let mut column = 1;
        for c in query.chars().take(self.position) {
            if c == '\n' {
                line += 1;
                column = 1;
            } else {
                column += 1;
            }
        }
        (line, column)
    }
}

/// A parsed condition: a WHERE clause, or a job's `queryCondition`.
#[derive(Debug, Clone)]
pub struct Condition {
    /// `None` is the job wildcard `"*"`, which matches every document.
    expr: Option<Expr>,
}

impl Condition {
    /// Whether `doc` satisfies the condition, i.e. the condition evaluates to Boolean `true`.
    /// Anything else (false, null, undefined, a string…) does not match, as the docs specify.
    pub fn matches(&self, doc: &Value) -> bool {
        self.expr
            .as_ref()
            .is_none_or(|expr| expr.eval(doc) == value::Val::Bool(true))
    }
}

/// A parsed query, ready to be executed any number of times.
#[derive(Debug, Clone)]
pub struct Query {
    source: Source,
    top: Option<u64>,
    select: Select,
    condition: Option<Condition>,
    group_by: Vec<Path>,
}

/// Parses a full `SELECT … FROM …` query.
pub fn parse(query: &str) -> Result<Query, QueryError> {
    let chars = checked_chars(query)?;
    let tokens = lexer::tokenize(&chars)?;
    let parsed = parser::Parser::new(&chars, tokens, Source::Devices).query()?;
    Ok(Query {
        source: parsed.source,
        top: parsed.top,
        select: parsed.select,
        condition: parsed.condition.map(|expr| Condition { expr: Some(expr) }),
        group_by: parsed.group_by,
    })
}

/// A jobs v2 `queryCondition`: "*" (all) or a WHERE expression without the WHERE keyword.
///
/// The condition is evaluated against device twins, so paths are written as in
/// `SELECT * FROM devices WHERE …` (for example `deviceId IN ['a', 'b']`).
pub fn parse_condition(condition: &str) -> Result<Condition, QueryError> {
    if condition.trim() == "*" {
        return Ok(Condition { expr: None });
    }
    let chars = checked_chars(condition)?;
    let tokens = lexer::tokenize(&chars)?;
    let expr = parser::Parser::new(&chars, tokens, Source::Devices).standalone_condition()?;
    Ok(Condition { expr: Some(expr) })
}

fn checked_chars(text: &str) -> Result<Vec<char>, QueryError> {
    let count = text.chars().count();
    if count > MAX_QUERY_CHARS {
        return Err(QueryError::new(
            MAX_QUERY_CHARS,
            format!("query is {count} characters long; at most {MAX_QUERY_CHARS} are allowed"),
        ));
    }
    Ok(text.chars().collect())
}

impl Query {
    /// The collection named in `FROM`.
    pub fn source(&self) -> Source {
        self.source
    }

    /// The WHERE clause, if any.
    pub fn condition(&self) -> Option<&Condition> {
        self.condition.as_ref()
    }

    /// The `TOP n` limit, if any.
    pub fn top(&self) -> Option<u64> {
        self.top
    }

    /// `x-ms-item-type` value: "twin" for SELECT * over devices/modules, "deviceJob" for devices.jobs, "raw" otherwise.
    pub fn item_type(&self) -> &'static str {
        match (self.source, &self.select) {
            (Source::Jobs, _) => "deviceJob",
            (_, Select::Star) => "twin",
            _ => "raw",
        }
    }

    fn is_aggregate(&self) -> bool {
        match &self.select {
            Select::Star => false,
            Select::Items(items) => {
                !self.group_by.is_empty()
                    || items
                        .iter()
                        .any(|i| matches!(i.kind, ProjectionKind::Aggregate(..)))
            }
        }
    }

    /// Filters, projects, groups/aggregates and applies TOP over the candidate documents (already restricted to
    /// `source()`), returning the full result set (the REST layer pages it).
    ///
    /// Rows keep the order of `docs`; groups appear in the order their first document was seen.
    /// Evaluation itself cannot fail — type mismatches, missing properties and division by zero
    /// evaluate to undefined — so today the error case is never produced; it is kept so that
    /// resource limits can be enforced without changing callers.
    pub fn execute<I: IntoIterator<Item = Value>>(
        &self,
        docs: I,
    ) -> Result<Vec<Value>, QueryError> {
        let limit = self
            .top
            .map_or(usize::MAX, |n| usize::try_from(n).unwrap_or(usize::MAX));
        let matching = docs
            .into_iter()
            .filter(|doc| self.condition.as_ref().is_none_or(|c| c.matches(doc)));
        let rows = match &self.select {
            Select::Star => matching.take(limit).map(|doc| self.star_row(doc)).collect(),
            Select::Items(items) if !self.is_aggregate() => matching
                .take(limit)
                .map(|doc| project(items, &doc))
                .collect(),
            Select::Items(items) => {
                let mut rows = self.aggregate(items, matching);
                rows.truncate(limit);
                rows
            }
        };
        Ok(rows)
    }

    /// The result row of one document the condition selected, for queries that are not
    /// [whole-set](Self::is_whole_set): the document itself for `SELECT *` (without a device
    /// twin's `jobs`), its projection otherwise. [`execute`](Self::execute) builds rows the same
    /// way; callers that page through documents themselves use this.
    pub fn row(&self, doc: Value) -> Value {
        match &self.select {
            Select::Items(items) if !self.is_aggregate() => project(items, &doc),
            _ => self.star_row(doc),
        }
    }

    fn star_row(&self, mut doc: Value) -> Value {
        if self.source == Source::Devices
            && let Value::Object(map) = &mut doc
        {
            map.retain(|key, _| key != "jobs");
        }
        doc
    }

    fn aggregate(&self, items: &[Projection], docs: impl Iterator<Item = Value>) -> Vec<Value> {
        struct Group {
            /// Per GROUP BY path: the key as spelled in the first document and the value.
            keys: Vec<Option<(String, Value)>>,
            states: Vec<Option<AggState>>,
        }
        let new_states = || {
            items
                .iter()
                .map(|item| match item.kind {
                    ProjectionKind::Aggregate(function, _) => Some(AggState::new(function)),
                    ProjectionKind::Path(_) => None,
                })
                .collect::<Vec<_>>()
        };
        let mut groups: Vec<Group> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        if self.group_by.is_empty() {
            // Without GROUP BY the whole result set is one group, reported even when empty.
            groups.push(Group {
                keys: Vec::new(),
                states: new_states(),
            });
            index.insert(String::new(), 0);
        }
        for doc in docs {
            let resolved: Vec<Option<(&str, &Value)>> = self
                .group_by
                .iter()
                .map(|path| path.resolve(&doc))
                .collect();
            let key = group_key(&resolved);
            let slot = *index.entry(key).or_insert_with(|| {
                groups.push(Group {
                    keys: resolved
                        .iter()
                        .map(|r| r.map(|(name, value)| (name.to_owned(), value.clone())))
                        .collect(),
                    states: new_states(),
                });
                groups.len() - 1
            });
            let group = &mut groups[slot];
            for (item, state) in items.iter().zip(&mut group.states) {
                if let (ProjectionKind::Aggregate(_, argument), Some(state)) = (&item.kind, state) {
                    let value = argument
                        .as_ref()
                        .and_then(|p| p.resolve(&doc))
                        .map(|(_, v)| v);
                    state.add(value);
                }
            }
        }
        groups
            .into_iter()
            .map(|group| {
                let mut row = Map::new();
                for (item, state) in items.iter().zip(&group.states) {
                    match (&item.kind, state) {
                        (ProjectionKind::Aggregate(function, _), Some(state)) => {
                            if let Some(value) = state.finish(*function) {
                                row.insert(alias_or_empty(item), value);
                            }
                        }
                        (ProjectionKind::Path(path), _) => {
                            let key = self
                                .group_by
                                .iter()
                                .position(|g| g == path)
                                .and_then(|i| group.keys.get(i).cloned().flatten());
                            if let Some((name, value)) = key {
                                row.insert(item.alias.clone().unwrap_or(name), value);
                            }
                        }
                        (ProjectionKind::Aggregate(..), None) => {}
                    }
                }
                Value::Object(row)
            })
            .collect()
    }
}

fn alias_or_empty(item: &Projection) -> String {
    item.alias.clone().unwrap_or_default()
}

/// One result row of a plain projection.
fn project(items: &[Projection], doc: &Value) -> Value {
    let mut row = Map::new();
    for item in items {
        if let ProjectionKind::Path(path) = &item.kind
            && let Some((name, value)) = path.resolve(doc)
        {
            let key = item.alias.clone().unwrap_or_else(|| name.to_owned());
            row.insert(key, value.clone());
        }
    }
    Value::Object(row)
}

/// A string that is equal for two documents exactly when their GROUP BY values are equal.
/// Numbers are normalised so that `2` and `2.0` fall into one group.
fn group_key(values: &[Option<(&str, &Value)>]) -> String {
    let mut key = String::new();
    for value in values {
        match value {
            None => key.push('u'),
            Some((_, Value::Number(n))) => {
                let normalised = match Num::from_json(n) {
                    Num::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => {
                        #[allow(clippy::cast_possible_truncation)]
                        let whole = f as i64;
                        Value::from(whole)
                    }
                    _ => Value::Number(n.clone()),
                };
                key.push('v');
                key.push_str(&normalised.to_string());
            }
            Some((_, other)) => {
                key.push('v');
                key.push_str(&other.to_string());
            }
        }
        // JSON text never contains a raw U+0001, so it cannot be confused with part of a value.
        key.push('\u{1}');
    }
    key
}
