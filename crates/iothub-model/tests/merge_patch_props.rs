//! Property tests of `merge_patch`: the twin merge the emulator and the agent both rely on.
//!
//! Keys come from a tiny alphabet so patches and targets overlap often, which is where merge
//! bugs hide (object over scalar, scalar over object, nested merges).

use iothub_model::merge_patch;
use proptest::prelude::*;
use serde_json::{Map, Value};

fn key() -> impl Strategy<Value = String> {
    prop_oneof![Just("a"), Just("b"), Just("c"), Just("d")].prop_map(str::to_owned)
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<bool>().prop_map(Value::from),
        any::<i32>().prop_map(Value::from),
        "[a-z]{0,4}".prop_map(Value::from),
    ]
}

/// JSON without `null` anywhere (arrays included), nested a few levels.
fn value_without_nulls() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::from),
            prop::collection::vec((key(), inner), 0..4)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

/// JSON that may contain `null` members (deletions in a patch).
fn value_with_nulls() -> impl Strategy<Value = Value> {
    prop_oneof![3 => scalar(), 1 => Just(Value::Null)].prop_recursive(4, 32, 4, |inner| {
        prop::collection::vec((key(), inner), 0..4)
            .prop_map(|members| Value::Object(members.into_iter().collect()))
    })
}

fn object(values: impl Strategy<Value = Value>) -> impl Strategy<Value = Map<String, Value>> {
    prop::collection::vec((key(), values), 0..4).prop_map(|members| members.into_iter().collect())
}

/// Every (path, value) where the patch sets a non-object value or an empty object.
fn leaves(
    patch: &Map<String, Value>,
    prefix: &mut Vec<String>,
    out: &mut Vec<(Vec<String>, Value)>,
) {
    for (k, v) in patch {
        prefix.push(k.clone());
        match v {
            Value::Object(inner) if !inner.is_empty() => leaves(inner, prefix, out),
            other => out.push((prefix.clone(), other.clone())),
        }
        prefix.pop();
    }
}

fn lookup<'a>(doc: &'a Map<String, Value>, path: &[String]) -> Option<&'a Value> {
    let (first, rest) = path.split_first()?;
    let mut current = doc.get(first)?;
    for k in rest {
        current = current.as_object()?.get(k)?;
    }
    Some(current)
}

proptest! {
    #[test]
    fn every_patched_leaf_reads_back(
        mut target in object(value_without_nulls()),
        patch in object(value_without_nulls()),
    ) {
        merge_patch(&mut target, &patch);
        let mut found = Vec::new();
        leaves(&patch, &mut Vec::new(), &mut found);
        for (path, expected) in found {
            let actual = lookup(&target, &path);
            if expected.as_object().is_some_and(Map::is_empty) {
                // An empty object patch leaves an object there (the old one or a fresh one).
                prop_assert!(actual.is_some_and(Value::is_object), "path {:?}", path);
            } else {
                prop_assert_eq!(actual, Some(&expected), "path {:?}", path);
            }
        }
    }

    #[test]
    fn keys_the_patch_does_not_name_are_untouched(
        target in object(value_without_nulls()),
        patch in object(value_with_nulls()),
    ) {
        let mut merged = target.clone();
        merge_patch(&mut merged, &patch);
        for (k, v) in &target {
            if !patch.contains_key(k) {
                prop_assert_eq!(merged.get(k), Some(v));
            }
        }
        for (k, v) in &patch {
            if v.is_null() {
                prop_assert!(!merged.contains_key(k), "{} should be deleted", k);
            }
        }
    }

    #[test]
    fn applying_a_patch_twice_changes_nothing_more(
        target in object(value_without_nulls()),
        patch in object(value_with_nulls()),
    ) {
        let mut once = target;
        merge_patch(&mut once, &patch);
        let mut twice = once.clone();
        merge_patch(&mut twice, &patch);
        prop_assert_eq!(once, twice);
    }
}
