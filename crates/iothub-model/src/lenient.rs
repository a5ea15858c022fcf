//! Lenient readers for request fields, matching what the real hub's JSON parser accepts.
//!
//! The hub parses request bodies with Newtonsoft.Json, whose defaults turn a numeric string into
//! an integer, `"true"` into a boolean and match enum names case-insensitively. Real clients rely
//! on it: `az iot hub invoke-device-method` without `--to` sends
//! `"responseTimeoutInSeconds": "30"`. These functions are used with `#[serde(deserialize_with)]`
//! on every integer, boolean and enum field the hub reads, so the emulator accepts the same
//! bodies; a string that does not parse is still an error naming what was wrong.

use std::cell::Cell;
use std::fmt::Display;
use std::str::FromStr;

use serde::de::{self, DeserializeOwned, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// An optional integer written as a JSON number or as a string holding one.
pub fn opt_number<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned + FromStr,
    T::Err: Display,
{
    match Option::<Value>::deserialize(deserializer)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => text.trim().parse().map(Some).map_err(|e| {
            de::Error::custom(format_args!(
                "the string {text:?} is not a valid number: {e}"
            ))
        }),
        Some(other) => T::deserialize(other).map(Some).map_err(de::Error::custom),
    }
}

/// A boolean written as `true`/`false` or as a string holding one (any letter case).
pub fn boolean<'de, D>(deserializer: D) -> Result<bool, D::Error>
where
    D: Deserializer<'de>,
{
    match Value::deserialize(deserializer)? {
        Value::Bool(b) => Ok(b),
        Value::String(text) => match text.trim() {
            t if t.eq_ignore_ascii_case("true") => Ok(true),
            t if t.eq_ignore_ascii_case("false") => Ok(false),
            _ => Err(de::Error::custom(format_args!(
                "the string {text:?} is not a valid boolean (expected true or false)"
            ))),
        },
        other => Err(de::Error::custom(format_args!(
            "expected a boolean, found {other}"
        ))),
    }
}

/// An optional enum whose wire name may come in any letter case (`"Enabled"`, `"SAS"`).
pub fn opt_enum<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    match Option::<Value>::deserialize(deserializer)? {
        None | Some(Value::Null) => Ok(None),
        Some(value) => enum_from_value(value).map(Some).map_err(de::Error::custom),
    }
}

/// An enum whose wire name may come in any letter case.
pub fn enumeration<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    enum_from_value(Value::deserialize(deserializer)?).map_err(de::Error::custom)
}

/// The wire name equal to `value` ignoring ASCII case, else `value` as it is (so a
/// `#[serde(other)]` fallback still catches names the enum does not know).
fn enum_from_value<T: DeserializeOwned>(value: Value) -> Result<T, serde_json::Error> {
    if let Value::String(text) = &value
        && let Some(name) = variant_names::<T>()
            .iter()
            .find(|name| name.eq_ignore_ascii_case(text))
    {
        return serde_json::from_value(Value::String((*name).to_owned()));
    }
    serde_json::from_value(value)
}

/// The wire names of a derived enum's variants, read from what its `Deserialize` asks for.
fn variant_names<T: DeserializeOwned>() -> &'static [&'static str] {
    let probe = NameProbe {
        names: Cell::new(&[]),
    };
    // The probe always fails; all it is for is recording the names the enum offers.
    let _ = T::deserialize(&probe);
    probe.names.get()
}

/// A deserializer that records the variant list an enum's `Deserialize` passes to it.
struct NameProbe {
    names: Cell<&'static [&'static str]>,
}

impl<'de> Deserializer<'de> for &NameProbe {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("not an enum"))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.names.set(variants);
        Err(de::Error::custom("probe"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct identifier
        ignored_any
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use crate::{AuthenticationType, DeviceStatus, JobType};

    #[derive(Debug, Deserialize)]
    struct Probe {
        #[serde(default, deserialize_with = "super::opt_number")]
        n: Option<u32>,
        #[serde(default, deserialize_with = "super::boolean")]
        b: bool,
        #[serde(default, deserialize_with = "super::opt_enum")]
        s: Option<DeviceStatus>,
        #[serde(default, deserialize_with = "super::opt_enum")]
        a: Option<AuthenticationType>,
    }

    fn probe(json: &str) -> Result<Probe, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn numbers_accept_numeric_strings() {
        assert_eq!(probe(r#"{"n":"30"}"#).unwrap().n, Some(30));
        assert_eq!(probe(r#"{"n":30}"#).unwrap().n, Some(30));
        assert_eq!(probe(r#"{"n":null}"#).unwrap().n, None);
        assert_eq!(probe("{}").unwrap().n, None);
        let err = probe(r#"{"n":"thirty"}"#).unwrap_err().to_string();
        assert!(err.contains("\"thirty\" is not a valid number"), "{err}");
        assert!(probe(r#"{"n":"-1"}"#).is_err());
        assert!(probe(r#"{"n":true}"#).is_err());
    }

    #[test]
    fn booleans_accept_strings_in_any_case() {
        assert!(probe(r#"{"b":"True"}"#).unwrap().b);
        assert!(!probe(r#"{"b":"false"}"#).unwrap().b);
        assert!(probe(r#"{"b":true}"#).unwrap().b);
        let err = probe(r#"{"b":"yes"}"#).unwrap_err().to_string();
        assert!(err.contains("not a valid boolean"), "{err}");
        assert!(probe(r#"{"b":1}"#).is_err());
    }

    #[test]
    fn enums_match_any_letter_case() {
        assert_eq!(
            probe(r#"{"s":"Enabled"}"#).unwrap().s,
            Some(DeviceStatus::Enabled)
        );
        assert_eq!(
            probe(r#"{"a":"SELFSIGNED"}"#).unwrap().a,
            Some(AuthenticationType::SelfSigned)
        );
        assert_eq!(
            probe(r#"{"a":"sas"}"#).unwrap().a,
            Some(AuthenticationType::Sas)
        );
        assert!(probe(r#"{"a":"SELF_SIGNED"}"#).is_err());
        assert!(probe(r#"{"s":"on"}"#).is_err());
    }

    #[test]
    fn enums_with_an_other_fallback_still_match_case_insensitively() {
        #[derive(Deserialize)]
        struct J {
            #[serde(deserialize_with = "super::enumeration")]
            t: JobType,
        }
        let t: JobType = serde_json::from_value(serde_json::json!("ScheduleUpdateTwin")).unwrap();
        assert_eq!(t, JobType::Unknown, "plain serde is case-sensitive");
        let j: J = serde_json::from_str(r#"{"t":"ScheduleUpdateTwin"}"#).unwrap();
        assert_eq!(j.t, JobType::ScheduleUpdateTwin);
        let j: J = serde_json::from_str(r#"{"t":"somethingNew"}"#).unwrap();
        assert_eq!(j.t, JobType::Unknown);
    }
}
