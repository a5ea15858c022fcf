//! The IoT Hub MQTT topics the device uses, and parsing of the ones the hub sends.
//!
//! Everything the hub sends is untrusted input, so parsing returns `None` for anything that
//! does not have the documented shape instead of guessing.

/// Direct method requests.
pub const METHODS_SUBSCRIPTION: &str = "$iothub/methods/POST/#";
/// Desired-property notifications.
pub const DESIRED_SUBSCRIPTION: &str = "$iothub/twin/PATCH/properties/desired/#";
/// Answers to twin GET and reported PATCH.
pub const TWIN_RESPONSE_SUBSCRIPTION: &str = "$iothub/twin/res/#";

/// The API version the agent speaks (the one the docs recommend).
pub const API_VERSION: &str = "2021-04-12";

/// The MQTT user name: `{host}/{device}/?api-version=..&DeviceClientType=dm-agent%2F{version}`.
pub fn username(host_name: &str, device_id: &str) -> String {
    format!(
        "{host_name}/{device_id}/?api-version={API_VERSION}&DeviceClientType=dm-agent%2F{}",
        env!("CARGO_PKG_VERSION")
    )
}

/// `$iothub/twin/GET/?$rid={rid}`.
pub fn twin_get(rid: &str) -> String {
    format!("$iothub/twin/GET/?$rid={rid}")
}

/// `$iothub/twin/PATCH/properties/reported/?$rid={rid}`.
pub fn reported_patch(rid: &str) -> String {
    format!("$iothub/twin/PATCH/properties/reported/?$rid={rid}")
}

/// `$iothub/methods/res/{status}/?$rid={rid}`.
pub fn method_response(status: u16, rid: &str) -> String {
    format!("$iothub/methods/res/{status}/?$rid={rid}")
}

/// A publish from the hub, classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inbound<'a> {
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

/// The value of `key` in a `k=v&k2=v2` query (keys compared with and without the `$`).
fn query_value<'a>(query: &'a str, key: &str) -> Option<&'a str> {
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == key || k.strip_prefix('$') == Some(key)).then_some(v)
    })
}

/// Classifies a topic the hub published on; `None` for anything unexpected.
pub fn parse(topic: &str) -> Option<Inbound<'_>> {
    if let Some(rest) = topic.strip_prefix("$iothub/methods/POST/") {
        let (name, query) = rest.split_once("/?")?;
        let rid = query_value(query, "rid")?;
        if name.is_empty() || name.contains('/') || rid.is_empty() {
            return None;
        }
        return Some(Inbound::Method { name, rid });
    }
    if let Some(rest) = topic.strip_prefix("$iothub/twin/PATCH/properties/desired/") {
        let query = rest.strip_prefix('?').unwrap_or(rest);
        let version = query_value(query, "version").and_then(|v| v.parse().ok());
        return Some(Inbound::Desired { version });
    }
    if let Some(rest) = topic.strip_prefix("$iothub/twin/res/") {
        let (status, query) = rest.split_once("/?")?;
        let status = status.parse().ok()?;
        let rid = query_value(query, "rid")?;
        let version = query_value(query, "version").and_then(|v| v.parse().ok());
        return Some(Inbound::TwinResponse {
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
    fn hub_topics_are_classified() {
        assert_eq!(
            parse("$iothub/methods/POST/dm.reboot/?$rid=1f"),
            Some(Inbound::Method {
                name: "dm.reboot",
                rid: "1f"
            })
        );
        assert_eq!(
            parse("$iothub/twin/PATCH/properties/desired/?$version=7"),
            Some(Inbound::Desired { version: Some(7) })
        );
        assert_eq!(
            parse("$iothub/twin/res/204/?$rid=abc&$version=12"),
            Some(Inbound::TwinResponse {
                status: 204,
                rid: "abc",
                version: Some(12)
            })
        );
        assert_eq!(
            parse("$iothub/twin/res/200/?$rid=abc"),
            Some(Inbound::TwinResponse {
                status: 200,
                rid: "abc",
                version: None
            })
        );
    }

    #[test]
    fn malformed_topics_are_refused() {
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
            assert_eq!(parse(topic), None, "{topic}");
        }
    }

    #[test]
    fn the_username_names_the_agent() {
        assert_eq!(
            username("h.azure-devices.net", "dev1"),
            format!(
                "h.azure-devices.net/dev1/?api-version=2021-04-12&DeviceClientType=dm-agent%2F{}",
                env!("CARGO_PKG_VERSION")
            )
        );
    }
}
