//! The IoT Hub MQTT naming rules as the hub applies them to one session's identity.
//!
//! The grammar itself (user names, filters, every topic in both directions) is
//! [`iothub_model::mqtt`], shared with the device agent so the two sides cannot drift apart;
//! this module maps it onto the hub's [`Identity`] and decodes telemetry property bags.

use iothub_model::mqtt;
use percent_encoding::percent_decode_str;

pub use iothub_model::mqtt::{FromDevice as Inbound, Subscription, TopicError};

use crate::identity::Identity;

/// A parsed CONNECT username: `{host}/{device}[/{module}]/?api-version=...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username {
    /// The logical hub host name.
    pub host: String,
    /// The identity named by the username.
    pub identity: Identity,
}

/// Parses a username (see [`mqtt::parse_username`] for the rules).
pub fn parse_username(username: &str) -> Option<Username> {
    let parsed = mqtt::parse_username(username)?;
    let identity = match parsed.module_id {
        None => Identity::device(parsed.device_id),
        Some(module) => Identity::module(parsed.device_id, module),
    };
    Some(Username {
        host: parsed.host.to_owned(),
        identity,
    })
}

/// Maps a topic filter to a subscription the hub supports for `identity`; `None` if unsupported.
pub fn parse_filter(filter: &str, identity: &Identity) -> Option<Subscription> {
    mqtt::parse_filter(filter, &identity.device_id, identity.module_id.as_deref())
}

/// Classifies a device publish topic for `identity`.
pub fn parse_inbound<'a>(topic: &'a str, identity: &Identity) -> Result<Inbound<'a>, TopicError> {
    mqtt::parse_from_device(topic, &identity.device_id, identity.module_id.as_deref())
}

/// Decodes a property bag `k=v&k2&k3=` into pairs: a key without `=` has no value (null), an
/// empty value is the empty string. Keys and values are percent-decoded (`%24.mid` is `$.mid`).
pub fn parse_property_bag(bag: &str) -> Vec<(String, Option<String>)> {
    bag.split('&')
        .filter(|s| !s.is_empty())
        .map(|pair| {
            let decode = |s: &str| percent_decode_str(s).decode_utf8_lossy().into_owned();
            match pair.split_once('=') {
                Some((k, v)) => (decode(k), Some(decode(v))),
                None => (decode(pair), None),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_name_the_sessions_identity() {
        let module = "myhub.azure-devices.net/dev1/mod1/?api-version=2021-04-12";
        let u = parse_username(module).unwrap();
        assert_eq!(u.host, "myhub.azure-devices.net");
        assert_eq!(u.identity, Identity::module("dev1", "mod1"));
        let device = "localhost:8883/dev1/?api-version=2019-10-01";
        assert_eq!(
            parse_username(device).unwrap().identity,
            Identity::device("dev1")
        );
        assert_eq!(parse_username("localhost/dev1"), None);
    }

    #[test]
    fn a_modules_topics_are_its_own() {
        let m = Identity::module("dev1", "m1");
        assert!(matches!(
            parse_inbound("devices/dev1/modules/m1/messages/events/a=b", &m),
            Ok(Inbound::Telemetry { .. })
        ));
        assert_eq!(
            parse_inbound("devices/dev1/messages/events/", &m),
            Err(TopicError::OtherIdentity)
        );
        assert_eq!(
            parse_filter("devices/dev1/modules/m1/#", &m),
            Some(Subscription::CloudToDevice)
        );
    }

    #[test]
    fn property_bags_decode() {
        assert_eq!(
            parse_property_bag("%24.mid=mid1&%24.ct=application%2Fjson&flag&empty="),
            vec![
                ("$.mid".to_string(), Some("mid1".to_string())),
                ("$.ct".to_string(), Some("application/json".to_string())),
                ("flag".to_string(), None),
                ("empty".to_string(), Some(String::new())),
            ]
        );
    }
}
