//! What the fuzz targets share: structure-aware JSON.
//!
//! Twin patches and dm-contract requests are JSON objects whose interesting inputs are deep,
//! keyed by names the parsers know. Mutating raw bytes spends most executions on text that is
//! not JSON at all, so these targets build the value from libFuzzer's bytes with `arbitrary`
//! instead: every execution reaches the parser, and keys are drawn from the names it checks
//! (or are arbitrary text, so unknown names are covered too).

use arbitrary::{Result, Unstructured};
use serde_json::{Map, Number, Value};

/// How deep a generated value may nest. Deeper than the twin limit (10 levels below a
/// section) so the depth check is exercised on both sides of its bound.
pub const MAX_DEPTH: usize = 13;

/// A JSON value built from `u`, with object keys drawn from `keys` most of the time.
pub fn json(u: &mut Unstructured<'_>, keys: &[&str], depth: usize) -> Result<Value> {
    let leaf_only = depth >= MAX_DEPTH;
    let kind = if leaf_only {
        u.int_in_range(0..=4)?
    } else {
        u.int_in_range(0..=6)?
    };
    Ok(match kind {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 => Value::Number(number(u)?),
        3 | 4 => Value::String(text(u)?),
        5 => {
            let len = u.int_in_range(0..=4)?;
            let mut items = Vec::with_capacity(len);
            for _ in 0..len {
                items.push(json(u, keys, depth + 1)?);
            }
            Value::Array(items)
        }
        _ => Value::Object(object(u, keys, depth + 1)?),
    })
}

/// A JSON object built from `u` (see [`json`]).
pub fn object(u: &mut Unstructured<'_>, keys: &[&str], depth: usize) -> Result<Map<String, Value>> {
    let len = u.int_in_range(0..=5)?;
    let mut map = Map::new();
    for _ in 0..len {
        let key = match keys {
            [] => text(u)?,
            _ if u.ratio(3, 4)? => (*u.choose(keys)?).to_owned(),
            _ => text(u)?,
        };
        map.insert(key, json(u, keys, depth)?);
    }
    Ok(map)
}

/// Numbers at the edges the parsers compare against as well as anywhere in between.
fn number(u: &mut Unstructured<'_>) -> Result<Number> {
    Ok(match u.int_in_range(0..=3)? {
        0 => Number::from(u.arbitrary::<i64>()?),
        1 => Number::from(u.arbitrary::<u64>()?),
        2 => Number::from_f64(u.arbitrary::<f64>()?).unwrap_or_else(|| Number::from(0)),
        _ => Number::from(*u.choose(&[0i64, 1, -1, 255, 256, 65535, 65536, i64::MAX, i64::MIN])?),
    })
}

/// Short text, sometimes long enough to cross the string limits (4 KiB values, 1 KiB keys).
fn text(u: &mut Unstructured<'_>) -> Result<String> {
    let s: String = u.arbitrary()?;
    if u.ratio(1, 16)? {
        let times = u.int_in_range(1..=5000)?;
        return Ok(s.repeat(times.min(8192 / s.len().max(1))));
    }
    Ok(s)
}
