//! The parsed form of a query and the evaluation of expressions against one document.
//!
//! Kept apart from the parser so that evaluation, which runs once per document, never touches text:
//! a query is parsed once and then applied to any number of twins.

use serde_json::{Map, Value};

use super::value::{self, ArithOp, CmpOp, Num, Val};

/// A dotted property path such as `properties.reported.telemetryConfig.status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Path {
    pub(super) segments: Vec<String>,
}

impl Path {
    /// The value at this path and the key it was found under (its last segment as spelled in the
    /// document), or `None` when the path is undefined in `doc`.
    pub(super) fn resolve<'a>(&self, doc: &'a Value) -> Option<(&'a str, &'a Value)> {
        let mut current = doc;
        let mut found_key = "";
        for segment in &self.segments {
            let (key, value) = field(current.as_object()?, segment)?;
            found_key = key;
            current = value;
        }
        Some((found_key, current))
    }

    /// The path as written, for error messages.
    pub(super) fn display(&self) -> String {
        self.segments.join(".")
    }
}

/// Looks a property up by name: the exact spelling first, then ignoring case.
///
/// The documentation's projection example `SELECT DeviceId, LastActivityTime` returns `deviceId` and
/// `lastActivityTime`, and an SDK maintainer points to property names being case-insensitive
/// (azure-iot-sdk-csharp issue 257).
/// Twin keys themselves are case-sensitive, so an exact match wins whenever one exists; otherwise the
/// first key (in document order) that matches ignoring case is used.
fn field<'a>(object: &'a Map<String, Value>, name: &str) -> Option<(&'a str, &'a Value)> {
    if let Some((key, value)) = object.get_key_value(name) {
        return Some((key.as_str(), value));
    }
    object
        .iter()
        .find(|(key, _)| eq_ignore_case(key, name))
        .map(|(key, value)| (key.as_str(), value))
}

/// Case-insensitive comparison that also folds non-ASCII letters, without allocating.
pub(super) fn eq_ignore_case(a: &str, b: &str) -> bool {
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

/// A literal constant.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Literal {
    Undefined,
    Null,
    Bool(bool),
    Num(Num),
    Str(String),
}

/// An expression of a WHERE clause or a job `queryCondition`.
///
/// `AND`, `OR` and arithmetic chains are stored flat (n-ary) rather than as nested binary nodes, so
/// a generated condition such as `deviceId = 'a' OR deviceId = 'b' OR …` over hundreds of devices
/// stays shallow and cannot exhaust the stack when evaluated or dropped.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Expr {
    Literal(Literal),
    Path(Path),
    Neg(Box<Expr>),
    Not(Box<Expr>),
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Arith {
        first: Box<Expr>,
        rest: Vec<(ArithOp, Expr)>,
    },
    Compare {
        op: CmpOp,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    In {
        negated: bool,
        needle: Box<Expr>,
        items: Vec<Expr>,
    },
    IsDefined(Box<Expr>),
    StartsWith(Box<Expr>, Box<Expr>),
    EndsWith(Box<Expr>, Box<Expr>),
    /// `ARRAY_CONTAINS(path, value)`: whether the array at `path` has an element equal to
    /// `value` (az's `children list` asks `ARRAY_CONTAINS(parentScopes, '<scope>')`).
    ArrayContains(Path, Box<Expr>),
}

impl Expr {
    /// Evaluates the expression against one document.
    ///
    /// Logic is three-valued as in SQL: `AND` is false if any operand is false, `OR` is true if any
    /// operand is true, and anything that is not a Boolean counts as undefined. Only a final `true`
    /// selects a document, so `NOT (x = 1)` does not select documents where `x` is missing.
    pub(super) fn eval<'a>(&'a self, doc: &'a Value) -> Val<'a> {
        match self {
            Expr::Literal(literal) => match literal {
                Literal::Undefined => Val::Undefined,
                Literal::Null => Val::Null,
                Literal::Bool(b) => Val::Bool(*b),
                Literal::Num(n) => Val::Num(*n),
                Literal::Str(s) => Val::Str(s),
            },
            Expr::Path(path) => path
                .resolve(doc)
                .map_or(Val::Undefined, |(_, value)| Val::from_json(value)),
            Expr::Neg(inner) => match inner.eval(doc) {
                Val::Num(n) => Val::Num(n.neg()),
                _ => Val::Undefined,
            },
            Expr::Not(inner) => inner.eval(doc).truth().map(|b| !b).into(),
            Expr::And(operands) => {
                let mut all_true = true;
                for operand in operands {
                    match operand.eval(doc).truth() {
                        Some(false) => return Val::Bool(false),
                        Some(true) => {}
                        None => all_true = false,
                    }
                }
                if all_true {
                    Val::Bool(true)
                } else {
                    Val::Undefined
                }
            }
            Expr::Or(operands) => {
                let mut all_false = true;
                for operand in operands {
                    match operand.eval(doc).truth() {
                        Some(true) => return Val::Bool(true),
                        Some(false) => {}
                        None => all_false = false,
                    }
                }
                if all_false {
                    Val::Bool(false)
                } else {
                    Val::Undefined
                }
            }
            Expr::Arith { first, rest } => {
                let Val::Num(mut acc) = first.eval(doc) else {
                    return Val::Undefined;
                };
                for (op, operand) in rest {
                    let Val::Num(rhs) = operand.eval(doc) else {
                        return Val::Undefined;
                    };
                    match acc.arith(*op, rhs) {
                        Some(n) => acc = n,
                        None => return Val::Undefined,
                    }
                }
                Val::Num(acc)
            }
            Expr::Compare { op, left, right } => {
                value::compare(*op, &left.eval(doc), &right.eval(doc))
            }
            Expr::In {
                negated,
                needle,
                items,
            } => {
                let needle = needle.eval(doc);
                if matches!(needle, Val::Undefined | Val::Complex) {
                    return Val::Undefined;
                }
                let found = items
                    .iter()
                    .any(|item| value::equals(&needle, &item.eval(doc)) == Some(true));
                Val::Bool(found != *negated)
            }
            Expr::IsDefined(inner) => Val::Bool(inner.eval(doc).is_defined()),
            Expr::StartsWith(text, prefix) => match (text.eval(doc), prefix.eval(doc)) {
                (Val::Str(t), Val::Str(p)) => Val::Bool(t.starts_with(p)),
                _ => Val::Undefined,
            },
            Expr::EndsWith(text, suffix) => match (text.eval(doc), suffix.eval(doc)) {
                (Val::Str(t), Val::Str(s)) => Val::Bool(t.ends_with(s)),
                _ => Val::Undefined,
            },
            Expr::ArrayContains(array, needle) => {
                match array.resolve(doc) {
                    Some((_, Value::Array(items))) => {
                        let needle = needle.eval(doc);
                        Val::Bool(items.iter().any(|item| {
                            value::equals(&Val::from_json(item), &needle) == Some(true)
                        }))
                    }
                    _ => Val::Undefined,
                }
            }
        }
    }
}

/// An aggregate function of the SELECT list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum AggFn {
    Count,
    Avg,
    Sum,
    Min,
    Max,
}

impl AggFn {
    pub(super) fn from_name(name: &str) -> Option<Self> {
        [
            ("COUNT", AggFn::Count),
            ("AVG", AggFn::Avg),
            ("SUM", AggFn::Sum),
            ("MIN", AggFn::Min),
            ("MAX", AggFn::Max),
        ]
        .into_iter()
        .find(|(n, _)| name.eq_ignore_ascii_case(n))
        .map(|(_, f)| f)
    }
}

/// What one SELECT item computes.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum ProjectionKind {
    Path(Path),
    /// `COUNT()` has no argument; the others have a path.
    Aggregate(AggFn, Option<Path>),
}

/// One item of the SELECT list.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Projection {
    pub(super) kind: ProjectionKind,
    pub(super) alias: Option<String>,
}

/// The SELECT list.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Select {
    Star,
    Items(Vec<Projection>),
}

/// Accumulates one aggregate over the documents of a group.
#[derive(Debug, Clone)]
pub(super) enum AggState {
    Count(u64),
    /// Sum and number of numeric values seen (AVG and SUM share it).
    Sum {
        total: Num,
        seen: u64,
        overflowed: bool,
    },
    Extreme {
        best: Option<Value>,
        max: bool,
    },
}

impl AggState {
    pub(super) fn new(function: AggFn) -> Self {
        match function {
            AggFn::Count => AggState::Count(0),
            AggFn::Avg | AggFn::Sum => AggState::Sum {
                total: Num::Int(0),
                seen: 0,
                overflowed: false,
            },
            AggFn::Min => AggState::Extreme {
                best: None,
                max: false,
            },
            AggFn::Max => AggState::Extreme {
                best: None,
                max: true,
            },
        }
    }

    /// Adds one document's value (`None` when the argument path is undefined in it).
    ///
    /// SUM and AVG consider numbers only; MIN and MAX consider primitives in the order null, false,
    /// true, numbers, strings. Other values are skipped rather than failing the whole query, since a
    /// fleet's twins rarely agree on every property's type.
    pub(super) fn add(&mut self, value: Option<&Value>) {
        match self {
            AggState::Count(n) => *n += 1,
            AggState::Sum {
                total,
                seen,
                overflowed,
            } => {
                if let Some(Value::Number(n)) = value {
                    match total.arith(ArithOp::Add, Num::from_json(n)) {
                        Some(sum) => *total = sum,
                        None => *overflowed = true,
                    }
                    *seen += 1;
                }
            }
            AggState::Extreme { best, max } => {
                let Some(candidate) = value else { return };
                let better = match best {
                    None => value::aggregate_order(candidate, candidate).is_some(),
                    Some(current) => value::aggregate_order(candidate, current)
                        .is_some_and(|o| if *max { o.is_gt() } else { o.is_lt() }),
                };
                if better {
                    *best = Some(candidate.clone());
                }
            }
        }
    }

    /// The aggregate's result; `None` leaves the field out of the row (AVG, MIN and MAX over no
    /// applicable values, or a sum too large for JSON).
    pub(super) fn finish(&self, function: AggFn) -> Option<Value> {
        match self {
            AggState::Count(n) => Some(Value::from(*n)),
            AggState::Sum {
                total,
                seen,
                overflowed,
            } => {
                if *overflowed {
                    return None;
                }
                if function == AggFn::Avg {
                    if *seen == 0 {
                        return None;
                    }
                    #[allow(clippy::cast_precision_loss)]
                    let count = *seen as f64;
                    return total
                        .arith(ArithOp::Div, Num::Float(count))
                        .and_then(Num::to_json);
                }
                total.to_json()
            }
            AggState::Extreme { best, .. } => best.clone(),
        }
    }
}
