//! The values an expression evaluates to, and the operators over them.
//!
//! The query language is JSON-typed with one extra state, *undefined* (a missing property, a type
//! mismatch, a division by zero). Evaluating against borrowed documents avoids cloning twins for every
//! comparison, which matters when a query scans a whole fleet.

use std::cmp::Ordering;

use serde_json::{Number, Value};

/// A number in a query or a document.
///
/// Integers are kept exact in an `i128`, which holds every JSON integer (`i64` and `u64`) and makes
/// overflow on `+ - *` impossible to miss: the checked operation fails and the result falls back to
/// floating point, as a JSON number would.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Num {
    Int(i128),
    Float(f64),
}

impl Num {
    pub(super) fn from_json(n: &Number) -> Self {
        if let Some(i) = n.as_i64() {
            Num::Int(i128::from(i))
        } else if let Some(u) = n.as_u64() {
            Num::Int(i128::from(u))
        } else {
            Num::Float(n.as_f64().unwrap_or(f64::NAN))
        }
    }

    #[allow(clippy::cast_precision_loss)]
    fn as_f64(self) -> f64 {
        match self {
            Num::Int(i) => i as f64,
            Num::Float(f) => f,
        }
    }

    /// The JSON form; `None` for NaN or infinity, which JSON cannot carry.
    pub(super) fn to_json(self) -> Option<Value> {
        match self {
            Num::Int(i) => {
                if let Ok(v) = i64::try_from(i) {
                    Some(Value::from(v))
                } else if let Ok(v) = u64::try_from(i) {
                    Some(Value::from(v))
                } else {
                    Number::from_f64(self.as_f64()).map(Value::Number)
                }
            }
            Num::Float(f) => Number::from_f64(f).map(Value::Number),
        }
    }

    pub(super) fn cmp(self, other: Num) -> Option<Ordering> {
        match (self, other) {
            (Num::Int(a), Num::Int(b)) => Some(a.cmp(&b)),
            _ => self.as_f64().partial_cmp(&other.as_f64()),
        }
    }

    /// `None` means undefined: a division or remainder by zero, or a non-finite result.
    pub(super) fn arith(self, op: ArithOp, other: Num) -> Option<Num> {
        if let (Num::Int(a), Num::Int(b)) = (self, other) {
            let exact = match op {
                ArithOp::Add => a.checked_add(b),
                ArithOp::Sub => a.checked_sub(b),
                ArithOp::Mul => a.checked_mul(b),
                ArithOp::Div => {
                    if b == 0 {
                        return None;
                    }
                    // Integer division keeps integers only when nothing is lost; 7 / 2 is 3.5.
                    a.checked_rem(b)
                        .filter(|r| *r == 0)
                        .and_then(|_| a.checked_div(b))
                }
                ArithOp::Rem => {
                    if b == 0 {
                        return None;
                    }
                    a.checked_rem(b)
                }
            };
            if let Some(v) = exact {
                return Some(Num::Int(v));
            }
        }
        let (a, b) = (self.as_f64(), other.as_f64());
        let result = match op {
            ArithOp::Add => a + b,
            ArithOp::Sub => a - b,
            ArithOp::Mul => a * b,
            ArithOp::Div | ArithOp::Rem if b == 0.0 => return None,
            ArithOp::Div => a / b,
            ArithOp::Rem => a % b,
        };
        result.is_finite().then_some(Num::Float(result))
    }

    pub(super) fn neg(self) -> Num {
        match self {
            Num::Int(i) => i.checked_neg().map_or(Num::Float(-self.as_f64()), Num::Int),
            Num::Float(f) => Num::Float(-f),
        }
    }
}

/// The arithmetic operators `+ - * / %`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
}

/// The comparison operators `= != <> < > <= >=` (`<>` is stored as `Ne`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// The result of evaluating an expression.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Val<'a> {
    Undefined,
    Null,
    Bool(bool),
    Num(Num),
    Str(&'a str),
    /// An object or an array: it can be tested with `IS_DEFINED` but not compared.
    Complex,
}

impl<'a> Val<'a> {
    pub(super) fn from_json(value: &'a Value) -> Self {
        match value {
            Value::Null => Val::Null,
            Value::Bool(b) => Val::Bool(*b),
            Value::Number(n) => Val::Num(Num::from_json(n)),
            Value::String(s) => Val::Str(s),
            Value::Array(_) | Value::Object(_) => Val::Complex,
        }
    }

    pub(super) fn is_defined(&self) -> bool {
        !matches!(self, Val::Undefined)
    }

    /// Three-valued truth: `Some(b)` for a Boolean, `None` (undefined) for anything else.
    pub(super) fn truth(&self) -> Option<bool> {
        match self {
            Val::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

impl From<Option<bool>> for Val<'_> {
    fn from(value: Option<bool>) -> Self {
        value.map_or(Val::Undefined, Val::Bool)
    }
}

/// Equality between two values: `None` (undefined) when either side is undefined or not a
/// primitive, because the service only compares primitives.
///
/// Two defined primitives of different types are simply unequal. The docs are silent here; this is
/// the reading under which `x != 'a'` keeps documents whose `x` is a number, which is what a reader
/// of the query expects.
pub(super) fn equals(left: &Val<'_>, right: &Val<'_>) -> Option<bool> {
    match (left, right) {
        (Val::Undefined | Val::Complex, _) | (_, Val::Undefined | Val::Complex) => None,
        (Val::Null, Val::Null) => Some(true),
        (Val::Bool(a), Val::Bool(b)) => Some(a == b),
        (Val::Num(a), Val::Num(b)) => Some(a.cmp(*b) == Some(Ordering::Equal)),
        (Val::Str(a), Val::Str(b)) => Some(a == b),
        _ => Some(false),
    }
}

/// Evaluates `left op right`.
///
/// Ordering (`< > <= >=`) is defined between two numbers or two strings (ordinal, by code point);
/// any other pair is undefined, so such a condition never matches.
pub(super) fn compare<'a>(op: CmpOp, left: &Val<'_>, right: &Val<'_>) -> Val<'a> {
    let ordering = match (left, right) {
        (Val::Num(a), Val::Num(b)) => a.cmp(*b),
        (Val::Str(a), Val::Str(b)) => Some(a.cmp(b)),
        _ => None,
    };
    match op {
        CmpOp::Eq => equals(left, right).into(),
        CmpOp::Ne => equals(left, right).map(|e| !e).into(),
        CmpOp::Lt => ordering.map(Ordering::is_lt).into(),
        CmpOp::Le => ordering.map(Ordering::is_le).into(),
        CmpOp::Gt => ordering.map(Ordering::is_gt).into(),
        CmpOp::Ge => ordering.map(Ordering::is_ge).into(),
    }
}

/// Total order used by `MIN` and `MAX` across JSON primitives: null, false, true, numbers, strings.
/// Returns `None` for values that take no part (undefined, objects, arrays).
pub(super) fn aggregate_order(left: &Value, right: &Value) -> Option<Ordering> {
    fn rank(v: &Value) -> Option<u8> {
        match v {
            Value::Null => Some(0),
            Value::Bool(_) => Some(1),
            Value::Number(_) => Some(2),
            Value::String(_) => Some(3),
            Value::Array(_) | Value::Object(_) => None,
        }
    }
    let (ra, rb) = (rank(left)?, rank(right)?);
    if ra != rb {
        return Some(ra.cmp(&rb));
    }
    match (left, right) {
        (Value::Bool(a), Value::Bool(b)) => Some(a.cmp(b)),
        (Value::Number(a), Value::Number(b)) => Num::from_json(a).cmp(Num::from_json(b)),
        (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
        _ => Some(Ordering::Equal),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_overflow_falls_back_to_float() {
        let big = Num::Int(i128::MAX);
        let sum = big.arith(ArithOp::Add, Num::Int(1));
        assert!(matches!(sum, Some(Num::Float(f)) if f > 1e38));
        assert!(matches!(Num::Int(i128::MIN).neg(), Num::Float(_)));
    }

    #[test]
    fn division_keeps_integers_only_when_exact() {
        assert_eq!(
            Num::Int(8).arith(ArithOp::Div, Num::Int(2)),
            Some(Num::Int(4))
        );
        assert_eq!(
            Num::Int(7).arith(ArithOp::Div, Num::Int(2)),
            Some(Num::Float(3.5))
        );
        assert_eq!(Num::Int(7).arith(ArithOp::Div, Num::Int(0)), None);
        assert_eq!(Num::Float(7.0).arith(ArithOp::Rem, Num::Float(0.0)), None);
        assert_eq!(
            Num::Int(i128::MIN).arith(ArithOp::Rem, Num::Int(-1)),
            Some(Num::Float(-0.0))
        );
    }

    #[test]
    fn huge_float_results_are_undefined() {
        assert_eq!(
            Num::Float(f64::MAX).arith(ArithOp::Mul, Num::Float(10.0)),
            None
        );
    }

    #[test]
    fn numbers_compare_across_int_and_float() {
        assert_eq!(
            equals(&Val::Num(Num::Int(2)), &Val::Num(Num::Float(2.0))),
            Some(true)
        );
        assert_eq!(equals(&Val::Num(Num::Int(2)), &Val::Str("2")), Some(false));
        assert_eq!(equals(&Val::Undefined, &Val::Null), None);
        assert_eq!(equals(&Val::Complex, &Val::Complex), None);
    }

    #[test]
    fn ordering_between_different_types_is_undefined() {
        assert_eq!(
            compare(CmpOp::Lt, &Val::Num(Num::Int(1)), &Val::Str("2")),
            Val::Undefined
        );
        assert_eq!(
            compare(CmpOp::Lt, &Val::Str("a"), &Val::Str("b")),
            Val::Bool(true)
        );
        assert_eq!(
            compare(CmpOp::Ne, &Val::Null, &Val::Str("b")),
            Val::Bool(true)
        );
    }
}
