//! The IoT Hub MQTT naming rules: the CONNECT username and the topics a device may use.
//!
//! Everything here is pure string work so the rules of §E.2/§E.3 can be tested exhaustively
//! without a network.

use percent_encoding::percent_decode_str;

use crate::identity::Identity;

/// A parsed CONNECT username: `{host}/{device}[/{module}]/?api-version=...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username {
    /// The logical hub host name.
    pub host: String,
    /// The identity named by the username.
    pub identity: Identity,
}

/// Parses a username per the edgeHub rules: split on `/`; `{host}/{device}/?query` names a
/// device and `{host}/{device}/{module}/?query` a module. The older form without `?`
/// (`{host}/{device}/api-version=...`) is accepted too. `api-version` must be present in the
/// query (its value is not checked); other parameters (`DeviceClientType`, `model-id`) are
/// ignored. Ids are taken verbatim: SDKs do not encode them in the username.
pub fn parse_username(username: &str) -> Option<Username> {
    let segments: Vec<&str> = username.split('/').collect();
    // The query starts at the segment after the device (or module) id. Ids cannot contain `/`
    // but may contain `?` and `=`, and a user agent may carry raw `/`s, so the device reading is
    // tried first and only taken when its query really has `api-version`.
    let query_at = |i: usize| {
        let first = segments.get(i)?;
        if !(first.starts_with('?') || first.starts_with("api-version=")) {
            return None;
        }
        let query = segments[i..].join("/");
        let has_api_version = query.trim_start_matches('?').split('&').any(|pair| {
            pair.split_once('=')
                .is_some_and(|(k, _)| k == "api-version")
        });
        has_api_version.then_some(())
    };
    let (host, identity) = match segments.as_slice() {
        [host, device, ..] if query_at(2).is_some() => (*host, Identity::device(*device)),
        [host, device, module, ..] if query_at(3).is_some() && !module.is_empty() => {
            (*host, Identity::module(*device, *module))
        }
        _ => return None,
    };
    if host.is_empty() || identity.device_id.is_empty() {
        return None;
    }
    Some(Username {
        host: host.to_string(),
        identity,
    })
}

/// The subscriptions a device may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Subscription {
    /// `$iothub/twin/res/#`
    TwinResponses,
    /// `$iothub/twin/PATCH/properties/desired/#`
    DesiredUpdates,
    /// `$iothub/methods/POST/#`
    Methods,
    /// `devices/{d}/messages/devicebound/#` (or a module's `devices/{d}/modules/{m}/#`)
    CloudToDevice,
}

/// Maps a topic filter to a subscription the hub supports for `identity`; `None` if unsupported.
pub fn parse_filter(filter: &str, identity: &Identity) -> Option<Subscription> {
    match filter {
        "$iothub/twin/res/#" => Some(Subscription::TwinResponses),
        "$iothub/twin/PATCH/properties/desired/#" => Some(Subscription::DesiredUpdates),
        "$iothub/methods/POST/#" => Some(Subscription::Methods),
        _ => {
            let c2d = match &identity.module_id {
                None => format!("devices/{}/messages/devicebound/#", identity.device_id),
                Some(m) => format!("devices/{}/modules/{m}/#", identity.device_id),
            };
            (filter == c2d).then_some(Subscription::CloudToDevice)
        }
    }
}

/// A publish from a device, classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inbound<'a> {
    /// `$iothub/twin/GET/?$rid=`
    TwinGet { rid: &'a str },
    /// `$iothub/twin/PATCH/properties/reported/?$rid=`
    ReportedPatch { rid: &'a str },
    /// `$iothub/methods/res/{status}/?$rid=`
    MethodResponse { status: i32, rid: &'a str },
    /// `devices/{d}[/modules/{m}]/messages/events/{propbag}`
    Telemetry { property_bag: &'a str },
}

/// Why a device publish was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TopicError {
    /// Not a topic the hub knows; the hub closes the connection.
    Unknown,
    /// A telemetry topic naming another identity.
    OtherIdentity,
    /// A request topic without the `$rid` it needs.
    MissingRid,
}

/// Finds the raw (still encoded) value of `$rid` in a topic's query part. The rid is echoed
/// verbatim, so it is never decoded.
fn rid_of(query: &str) -> Option<&str> {
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == "$rid")
        .map(|(_, v)| v)
}

/// Classifies a device publish topic for `identity`.
pub fn parse_inbound<'a>(topic: &'a str, identity: &Identity) -> Result<Inbound<'a>, TopicError> {
    if let Some(rest) = topic.strip_prefix("$iothub/") {
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let path = path.trim_end_matches('/');
        let rid = rid_of(query);
        return match path {
            "twin/GET" => Ok(Inbound::TwinGet {
                rid: rid.ok_or(TopicError::MissingRid)?,
            }),
            "twin/PATCH/properties/reported" => Ok(Inbound::ReportedPatch {
                rid: rid.ok_or(TopicError::MissingRid)?,
            }),
            _ => {
                let status = path
                    .strip_prefix("methods/res/")
                    .and_then(|s| s.parse::<i32>().ok())
                    .ok_or(TopicError::Unknown)?;
                Ok(Inbound::MethodResponse {
                    status,
                    rid: rid.ok_or(TopicError::MissingRid)?,
                })
            }
        };
    }
    let rest = topic.strip_prefix("devices/").ok_or(TopicError::Unknown)?;
    let prefix = match &identity.module_id {
        None => format!("{}/messages/events", identity.device_id),
        Some(m) => format!("{}/modules/{m}/messages/events", identity.device_id),
    };
    match rest.strip_prefix(&prefix) {
        Some("") => Ok(Inbound::Telemetry { property_bag: "" }),
        Some(bag) if bag.starts_with('/') => Ok(Inbound::Telemetry {
            property_bag: &bag[1..],
        }),
        _ if rest.contains("/messages/events") => Err(TopicError::OtherIdentity),
        _ => Err(TopicError::Unknown),
    }
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
    fn usernames_of_the_sdks_parse() {
        let py = "localhost/dev1/?api-version=2019-10-01&DeviceClientType=azure-iot-device-iothub-py%2F2.14.0";
        let u = parse_username(py).unwrap();
        assert_eq!(u.host, "localhost");
        assert_eq!(u.identity, Identity::device("dev1"));

        let module = "myhub.azure-devices.net/dev1/mod1/?api-version=2021-04-12";
        let u = parse_username(module).unwrap();
        assert_eq!(u.identity, Identity::module("dev1", "mod1"));

        let old = "myhub.azure-devices.net/dev1/api-version=2016-11-14";
        assert_eq!(
            parse_username(old).unwrap().identity,
            Identity::device("dev1")
        );

        // Device ids may contain `?` and `=`; only the segment after the ids is the query.
        let odd = "h/dev?1=x/?api-version=1&DeviceClientType=a/b (raw)";
        assert_eq!(
            parse_username(odd).unwrap().identity,
            Identity::device("dev?1=x")
        );
        let with_port = "localhost:8883/d/m/?api-version=2020-09-30&model-id=dtmi:x;1";
        let u = parse_username(with_port).unwrap();
        assert_eq!(u.host, "localhost:8883");
        assert_eq!(u.identity, Identity::module("d", "m"));
        let module_like_query = "h/d/?m/?api-version=1";
        assert_eq!(
            parse_username(module_like_query).unwrap().identity,
            Identity::module("d", "?m")
        );
    }

    #[test]
    fn bad_usernames_are_refused() {
        for bad in [
            "",
            "localhost",
            "localhost/dev1",
            "localhost/dev1/?DeviceClientType=x",
            "/dev1/?api-version=1",
            "localhost//?api-version=1",
            "a/b/c/d/?api-version=1",
            "localhost/dev1/m1/",
            "localhost/dev1//?api-version=1",
            "localhost/dev1/?api-versionx=1",
        ] {
            assert_eq!(parse_username(bad), None, "{bad}");
        }
    }

    #[test]
    fn inbound_topics_classify() {
        let id = Identity::device("dev1");
        assert_eq!(
            parse_inbound("$iothub/twin/GET/?$rid=9dda88c4-1", &id),
            Ok(Inbound::TwinGet { rid: "9dda88c4-1" })
        );
        assert_eq!(
            parse_inbound(
                "$iothub/twin/PATCH/properties/reported/?$rid=7&$version=3",
                &id
            ),
            Ok(Inbound::ReportedPatch { rid: "7" })
        );
        assert_eq!(
            parse_inbound("$iothub/methods/res/200/?$rid=1", &id),
            Ok(Inbound::MethodResponse {
                status: 200,
                rid: "1"
            })
        );
        assert_eq!(
            parse_inbound("devices/dev1/messages/events/%24.mid=mid1&k=v%20w", &id),
            Ok(Inbound::Telemetry {
                property_bag: "%24.mid=mid1&k=v%20w"
            })
        );
        assert_eq!(
            parse_inbound("devices/dev1/messages/events/", &id),
            Ok(Inbound::Telemetry { property_bag: "" })
        );
        assert_eq!(
            parse_inbound("devices/dev2/messages/events/", &id),
            Err(TopicError::OtherIdentity)
        );
        assert_eq!(
            parse_inbound("$iothub/twin/GET/", &id),
            Err(TopicError::MissingRid)
        );
        assert_eq!(parse_inbound("foo/bar", &id), Err(TopicError::Unknown));
        let m = Identity::module("dev1", "m1");
        assert!(matches!(
            parse_inbound("devices/dev1/modules/m1/messages/events/a=b", &m),
            Ok(Inbound::Telemetry { .. })
        ));
    }

    #[test]
    fn filters_map_to_subscriptions() {
        let id = Identity::device("dev1");
        assert_eq!(
            parse_filter("devices/dev1/messages/devicebound/#", &id),
            Some(Subscription::CloudToDevice)
        );
        assert_eq!(
            parse_filter("devices/dev2/messages/devicebound/#", &id),
            None
        );
        assert_eq!(parse_filter("#", &id), None);
        assert_eq!(
            parse_filter("$iothub/methods/POST/#", &id),
            Some(Subscription::Methods)
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
