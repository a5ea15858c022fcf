//! IoT Hub's device MQTT naming, in both directions: the CONNECT user name, the subscriptions a
//! device may hold, and every topic a device and the hub publish on, built and parsed here.
//!
//! The device (dm-agent) builds what it sends and parses what the hub sends; the local hub
//! (iothub-emulator) does the reverse. Both use these functions, so the two sides cannot drift
//! apart. Everything is pure string work, so the rules can be tested without a network, and every
//! parser returns nothing for a topic that does not have the documented shape instead of guessing
//! (what arrives is untrusted input on either side).
//!
//! Request ids (`$rid`) are echoed verbatim, never decoded.

/// The api-version a device names in its user name (the one the documentation recommends).
pub const API_VERSION: &str = "2021-04-12";

/// The filter for direct method requests.
pub const METHODS_SUBSCRIPTION: &str = "$iothub/methods/POST/#";
/// The filter for desired-property notifications.
pub const DESIRED_SUBSCRIPTION: &str = "$iothub/twin/PATCH/properties/desired/#";
/// The filter for answers to twin GET and reported PATCH.
pub const TWIN_RESPONSE_SUBSCRIPTION: &str = "$iothub/twin/res/#";

/// The CONNECT user name of a device:
/// `{host}/{device}/?api-version={API_VERSION}&DeviceClientType={client_type}`.
///
/// `client_type` is put in as given, so it must already be percent-encoded (`dm-agent%2F1.0`).
pub fn username(host_name: &str, device_id: &str, client_type: &str) -> String {
    format!("{host_name}/{device_id}/?api-version={API_VERSION}&DeviceClientType={client_type}")
}

/// A parsed CONNECT user name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username<'a> {
    /// The logical hub host name (with a port, if the client put one).
    pub host: &'a str,
    /// The device id.
    pub device_id: &'a str,
    /// The module id, for a module identity.
    pub module_id: Option<&'a str>,
}

/// Parses a user name per the edgeHub rules: split on `/`; `{host}/{device}/?query` names a
/// device and `{host}/{device}/{module}/?query` a module. The older form without `?`
/// (`{host}/{device}/api-version=...`) is accepted too. `api-version` must be present in the
/// query (its value is not checked); other parameters (`DeviceClientType`, `model-id`) are
/// ignored. Ids are taken verbatim: SDKs do not encode them in the user name.
pub fn parse_username(username: &str) -> Option<Username<'_>> {
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
    let (host, device_id, module_id) = match segments.as_slice() {
        [host, device, ..] if query_at(2).is_some() => (*host, *device, None),
        [host, device, module, ..] if query_at(3).is_some() && !module.is_empty() => {
            (*host, *device, Some(*module))
        }
        _ => return None,
    };
    if host.is_empty() || device_id.is_empty() {
        return None;
    }
    Some(Username {
        host,
        device_id,
        module_id,
    })
}

// ----- device to hub -----

/// `$iothub/twin/GET/?$rid={rid}`: the device asks for its twin.
pub fn twin_get(rid: &str) -> String {
    format!("$iothub/twin/GET/?$rid={rid}")
}

/// `$iothub/twin/PATCH/properties/reported/?$rid={rid}`: the device patches its reported
/// properties.
pub fn reported_patch(rid: &str) -> String {
    format!("$iothub/twin/PATCH/properties/reported/?$rid={rid}")
}

/// `$iothub/methods/res/{status}/?$rid={rid}`: the device answers a direct method.
pub fn method_response(status: u16, rid: &str) -> String {
    format!("$iothub/methods/res/{status}/?$rid={rid}")
}

/// A publish from a device, classified (what the hub receives).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FromDevice<'a> {
    /// `$iothub/twin/GET/?$rid={rid}`.
    TwinGet {
        /// The request id to answer with.
        rid: &'a str,
    },
    /// `$iothub/twin/PATCH/properties/reported/?$rid={rid}`.
    ReportedPatch {
        /// The request id to answer with.
        rid: &'a str,
    },
    /// `$iothub/methods/res/{status}/?$rid={rid}`.
    MethodResponse {
        /// The device's status.
        status: i32,
        /// The request id being answered.
        rid: &'a str,
    },
    /// `devices/{d}[/modules/{m}]/messages/events/{property bag}`.
    Telemetry {
        /// The property bag, still percent-encoded.
        property_bag: &'a str,
    },
}

/// Why a device publish was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TopicError {
    /// Not a topic the hub knows; the hub closes the connection.
    Unknown,
    /// A telemetry topic naming another identity.
    OtherIdentity,
    /// A request topic without the `$rid` it needs.
    MissingRid,
}

/// The raw value of `key` in a `k=v&k2=v2` query; `$`-prefixed keys also match without it.
fn query_value<'a>(query: &'a str, key: &str) -> Option<&'a str> {
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == key || k.strip_prefix('$') == Some(key)).then_some(v)
    })
}

/// Classifies a publish of device `device_id` (module `module_id`).
pub fn parse_from_device<'a>(
    topic: &'a str,
    device_id: &str,
    module_id: Option<&str>,
) -> Result<FromDevice<'a>, TopicError> {
    if let Some(rest) = topic.strip_prefix("$iothub/") {
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let path = path.trim_end_matches('/');
        // The hub requires the `$` here.
        let rid = query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(k, _)| *k == "$rid")
            .map(|(_, v)| v);
        return match path {
            "twin/GET" => Ok(FromDevice::TwinGet {
                rid: rid.ok_or(TopicError::MissingRid)?,
            }),
            "twin/PATCH/properties/reported" => Ok(FromDevice::ReportedPatch {
                rid: rid.ok_or(TopicError::MissingRid)?,
            }),
            _ => {
                let status = path
                    .strip_prefix("methods/res/")
                    .and_then(|s| s.parse::<i32>().ok())
                    .ok_or(TopicError::Unknown)?;
                Ok(FromDevice::MethodResponse {
                    status,
                    rid: rid.ok_or(TopicError::MissingRid)?,
                })
            }
        };
    }
    let rest = topic.strip_prefix("devices/").ok_or(TopicError::Unknown)?;
    let prefix = match module_id {
        None => format!("{device_id}/messages/events"),
        Some(m) => format!("{device_id}/modules/{m}/messages/events"),
    };
    match rest.strip_prefix(&prefix) {
        Some("") => Ok(FromDevice::Telemetry { property_bag: "" }),
        Some(bag) if bag.starts_with('/') => Ok(FromDevice::Telemetry {
            property_bag: &bag[1..],
        }),
        _ if rest.contains("/messages/events") => Err(TopicError::OtherIdentity),
        _ => Err(TopicError::Unknown),
    }
}

/// The subscriptions a device may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Subscription {
    /// [`TWIN_RESPONSE_SUBSCRIPTION`].
    TwinResponses,
    /// [`DESIRED_SUBSCRIPTION`].
    DesiredUpdates,
    /// [`METHODS_SUBSCRIPTION`].
    Methods,
    /// `devices/{d}/messages/devicebound/#` (a module's: `devices/{d}/modules/{m}/#`).
    CloudToDevice,
}

/// Maps a topic filter of device `device_id` (module `module_id`) to a subscription the hub
/// supports; `None` if it supports none.
pub fn parse_filter(
    filter: &str,
    device_id: &str,
    module_id: Option<&str>,
) -> Option<Subscription> {
    match filter {
        TWIN_RESPONSE_SUBSCRIPTION => Some(Subscription::TwinResponses),
        DESIRED_SUBSCRIPTION => Some(Subscription::DesiredUpdates),
        METHODS_SUBSCRIPTION => Some(Subscription::Methods),
        _ => {
            let c2d = match module_id {
                None => format!("devices/{device_id}/messages/devicebound/#"),
                Some(m) => format!("devices/{device_id}/modules/{m}/#"),
            };
            (filter == c2d).then_some(Subscription::CloudToDevice)
        }
    }
}

// ----- hub to device -----

/// `$iothub/methods/POST/{name}/?$rid={rid}`: the hub calls a direct method.
pub fn method_request(name: &str, rid: &str) -> String {
    format!("$iothub/methods/POST/{name}/?$rid={rid}")
}

/// `$iothub/twin/PATCH/properties/desired/?$version={version}`: the hub notifies a desired
/// change.
pub fn desired_patch(version: u64) -> String {
    format!("$iothub/twin/PATCH/properties/desired/?$version={version}")
}

/// `$iothub/twin/res/{status}/?$rid={rid}[&$version={version}]`: the hub answers a twin GET or
/// reported PATCH (a PATCH answer carries the new reported version).
pub fn twin_response(status: u16, rid: &str, version: Option<u64>) -> String {
    match version {
        Some(v) => format!("$iothub/twin/res/{status}/?$rid={rid}&$version={v}"),
        None => format!("$iothub/twin/res/{status}/?$rid={rid}"),
    }
}

/// A publish from the hub, classified (what the device receives).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ToDevice<'a> {
    /// `$iothub/methods/POST/{name}/?$rid={rid}`.
    Method {
        /// The method name.
        name: &'a str,
        /// The request id to answer with.
        rid: &'a str,
    },
    /// `$iothub/twin/PATCH/properties/desired/?$version={v}`.
    Desired {
        /// The version in the topic, if any (the body carries it too).
        version: Option<u64>,
    },
    /// `$iothub/twin/res/{status}/?$rid={rid}[&$version={v}]`.
    TwinResponse {
        /// The status.
        status: u16,
        /// The request id being answered.
        rid: &'a str,
        /// The new reported version (on a PATCH answer).
        version: Option<u64>,
    },
}

/// Classifies a topic the hub published on; `None` for anything unexpected.
pub fn parse_to_device(topic: &str) -> Option<ToDevice<'_>> {
    if let Some(rest) = topic.strip_prefix("$iothub/methods/POST/") {
        let (name, query) = rest.split_once("/?")?;
        let rid = query_value(query, "rid")?;
        if name.is_empty() || name.contains('/') || rid.is_empty() {
            return None;
        }
        return Some(ToDevice::Method { name, rid });
    }
    if let Some(rest) = topic.strip_prefix("$iothub/twin/PATCH/properties/desired/") {
        let query = rest.strip_prefix('?').unwrap_or(rest);
        let version = query_value(query, "version").and_then(|v| v.parse().ok());
        return Some(ToDevice::Desired { version });
    }
    if let Some(rest) = topic.strip_prefix("$iothub/twin/res/") {
        let (status, query) = rest.split_once("/?")?;
        let status = status.parse().ok()?;
        let rid = query_value(query, "rid")?;
        let version = query_value(query, "version").and_then(|v| v.parse().ok());
        return Some(ToDevice::TwinResponse {
            status,
            rid,
            version,
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_of_the_sdks_and_the_agent_parse() {
        let py = "localhost/dev1/?api-version=2019-10-01&DeviceClientType=azure-iot-device-iothub-py%2F2.14.0";
        let u = parse_username(py).unwrap();
        assert_eq!(
            (u.host, u.device_id, u.module_id),
            ("localhost", "dev1", None)
        );

        let module = "myhub.azure-devices.net/dev1/mod1/?api-version=2021-04-12";
        let u = parse_username(module).unwrap();
        assert_eq!((u.device_id, u.module_id), ("dev1", Some("mod1")));

        let old = "myhub.azure-devices.net/dev1/api-version=2016-11-14";
        assert_eq!(parse_username(old).unwrap().device_id, "dev1");

        // Device ids may contain `?` and `=`; only the segment after the ids is the query.
        let odd = "h/dev?1=x/?api-version=1&DeviceClientType=a/b (raw)";
        assert_eq!(parse_username(odd).unwrap().device_id, "dev?1=x");
        let with_port = "localhost:8883/d/m/?api-version=2020-09-30&model-id=dtmi:x;1";
        let u = parse_username(with_port).unwrap();
        assert_eq!(
            (u.host, u.device_id, u.module_id),
            ("localhost:8883", "d", Some("m"))
        );
        let module_like_query = "h/d/?m/?api-version=1";
        assert_eq!(
            parse_username(module_like_query).unwrap().module_id,
            Some("?m")
        );

        // What a device builds, the hub reads back.
        let built = username("h.azure-devices.net", "dev1", "dm-agent%2F1.0");
        assert_eq!(
            built,
            "h.azure-devices.net/dev1/?api-version=2021-04-12&DeviceClientType=dm-agent%2F1.0"
        );
        let u = parse_username(&built).unwrap();
        assert_eq!((u.host, u.device_id), ("h.azure-devices.net", "dev1"));
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
    fn device_topics_round_trip_through_the_hubs_parser() {
        assert_eq!(
            parse_from_device(&twin_get("9dda88c4-1"), "dev1", None),
            Ok(FromDevice::TwinGet { rid: "9dda88c4-1" })
        );
        assert_eq!(
            parse_from_device(&reported_patch("7"), "dev1", None),
            Ok(FromDevice::ReportedPatch { rid: "7" })
        );
        assert_eq!(
            parse_from_device(&method_response(200, "1"), "dev1", None),
            Ok(FromDevice::MethodResponse {
                status: 200,
                rid: "1"
            })
        );
        assert_eq!(
            parse_from_device(
                "$iothub/twin/PATCH/properties/reported/?$rid=7&$version=3",
                "dev1",
                None
            ),
            Ok(FromDevice::ReportedPatch { rid: "7" })
        );
    }

    #[test]
    fn device_publishes_classify_or_are_refused_with_the_reason() {
        assert_eq!(
            parse_from_device(
                "devices/dev1/messages/events/%24.mid=mid1&k=v%20w",
                "dev1",
                None
            ),
            Ok(FromDevice::Telemetry {
                property_bag: "%24.mid=mid1&k=v%20w"
            })
        );
        assert_eq!(
            parse_from_device("devices/dev1/messages/events/", "dev1", None),
            Ok(FromDevice::Telemetry { property_bag: "" })
        );
        assert_eq!(
            parse_from_device("devices/dev2/messages/events/", "dev1", None),
            Err(TopicError::OtherIdentity)
        );
        assert_eq!(
            parse_from_device("$iothub/twin/GET/", "dev1", None),
            Err(TopicError::MissingRid)
        );
        assert_eq!(
            parse_from_device("foo/bar", "dev1", None),
            Err(TopicError::Unknown)
        );
        assert!(matches!(
            parse_from_device(
                "devices/dev1/modules/m1/messages/events/a=b",
                "dev1",
                Some("m1")
            ),
            Ok(FromDevice::Telemetry { .. })
        ));
    }

    #[test]
    fn filters_map_to_subscriptions() {
        assert_eq!(
            parse_filter("devices/dev1/messages/devicebound/#", "dev1", None),
            Some(Subscription::CloudToDevice)
        );
        assert_eq!(
            parse_filter("devices/dev2/messages/devicebound/#", "dev1", None),
            None
        );
        assert_eq!(parse_filter("#", "dev1", None), None);
        for (filter, subscription) in [
            (METHODS_SUBSCRIPTION, Subscription::Methods),
            (DESIRED_SUBSCRIPTION, Subscription::DesiredUpdates),
            (TWIN_RESPONSE_SUBSCRIPTION, Subscription::TwinResponses),
        ] {
            assert_eq!(parse_filter(filter, "dev1", None), Some(subscription));
        }
    }

    #[test]
    fn hub_topics_round_trip_through_the_devices_parser() {
        assert_eq!(
            parse_to_device(&method_request("dm.reboot", "1f")),
            Some(ToDevice::Method {
                name: "dm.reboot",
                rid: "1f"
            })
        );
        assert_eq!(
            parse_to_device(&desired_patch(7)),
            Some(ToDevice::Desired { version: Some(7) })
        );
        assert_eq!(
            parse_to_device(&twin_response(204, "abc", Some(12))),
            Some(ToDevice::TwinResponse {
                status: 204,
                rid: "abc",
                version: Some(12)
            })
        );
        assert_eq!(
            parse_to_device(&twin_response(200, "abc", None)),
            Some(ToDevice::TwinResponse {
                status: 200,
                rid: "abc",
                version: None
            })
        );
    }

    #[test]
    fn malformed_hub_topics_are_refused() {
        for topic in [
            "$iothub/methods/POST/dm.reboot",
            "$iothub/methods/POST//?$rid=1",
            "$iothub/methods/POST/a/b/?$rid=1",
            "$iothub/methods/POST/x/?$rid=",
            "$iothub/twin/res/abc/?$rid=1",
            "$iothub/twin/res/200/?rid",
            "devices/d/messages/devicebound/x",
            "",
        ] {
            assert_eq!(parse_to_device(topic), None, "{topic}");
        }
    }
}
