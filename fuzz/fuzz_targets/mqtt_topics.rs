//! Every MQTT string a peer controls, on both sides of the connection.
//!
//! The hub parses the CONNECT user name, subscription filters, device publish topics and the
//! telemetry property bag; the agent parses the topics the hub publishes on (methods, desired
//! notifications, twin responses with their `$rid`/`$version` query). The grammar is
//! `iothub_model::mqtt`, shared by both; the hub maps it onto its identities
//! (`iothub_emulator::mqtt::topics`). Besides "never panic": what one side builds, the other
//! side parses back to the same values.
#![no_main]

use arbitrary::Arbitrary;
use iothub_emulator::identity::Identity;
use iothub_emulator::mqtt::topics as hub;
use iothub_model::mqtt::{self, FromDevice, ToDevice};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    text: &'a str,
    host: &'a str,
    device_id: &'a str,
    module_id: Option<&'a str>,
    name: &'a str,
    rid: &'a str,
    status: u16,
    version: Option<u64>,
}

/// An id as IoT Hub allows it: no `/` (it separates segments), not empty.
fn plain(s: &str) -> bool {
    !s.is_empty() && !s.contains('/')
}

/// A request id as the agent and the hub generate them: no query separators.
fn plain_rid(s: &str) -> bool {
    !s.is_empty() && !s.contains(['&', '/', '?', '#', '='])
}

fuzz_target!(|input: Input<'_>| {
    let text = input.text;
    // The hub's side.
    let _ = mqtt::parse_username(text);
    let _ = mqtt::parse_from_device(text, input.device_id, input.module_id);
    let _ = mqtt::parse_filter(text, input.device_id, input.module_id);
    let _ = hub::parse_property_bag(text);
    if let Some(user) = hub::parse_username(text) {
        let identity = &user.identity;
        let _ = hub::parse_filter(text, identity);
        if let Ok(FromDevice::Telemetry { property_bag }) = hub::parse_inbound(text, identity) {
            let _ = hub::parse_property_bag(property_bag);
        }
    }
    // The agent's side.
    let _ = mqtt::parse_to_device(text);

    // Round trips: the user name the agent builds is the identity the hub sees.
    if plain(input.host) && plain(input.device_id) && !input.host.contains('?') {
        let client_type = "dm-agent%2F1.0";
        let built = mqtt::username(input.host, input.device_id, client_type);
        let user = hub::parse_username(&built).expect("the agent's user name parses");
        assert_eq!(user.host, input.host);
        assert_eq!(user.identity, Identity::device(input.device_id));
    }
    // Telemetry a device publishes is its own, and the bag comes back whole.
    if plain(input.device_id) {
        let identity = match input.module_id {
            Some(m) if plain(m) => Identity::module(input.device_id, m),
            _ => Identity::device(input.device_id),
        };
        let prefix = match &identity.module_id {
            Some(m) => format!(
                "devices/{}/modules/{m}/messages/events/",
                identity.device_id
            ),
            None => format!("devices/{}/messages/events/", identity.device_id),
        };
        let topic = format!("{prefix}{text}");
        match hub::parse_inbound(&topic, &identity) {
            Ok(FromDevice::Telemetry { property_bag }) => assert_eq!(property_bag, text),
            other => panic!("a device's own telemetry topic was {other:?}"),
        }
    }
    // What the hub publishes, the agent reads back.
    if plain_rid(input.rid) {
        if plain(input.name) && !input.name.contains('?') {
            let topic = mqtt::method_request(input.name, input.rid);
            assert_eq!(
                mqtt::parse_to_device(&topic),
                Some(ToDevice::Method {
                    name: input.name,
                    rid: input.rid
                }),
                "{topic}"
            );
        }
        let topic = mqtt::twin_response(input.status, input.rid, input.version);
        assert_eq!(
            mqtt::parse_to_device(&topic),
            Some(ToDevice::TwinResponse {
                status: input.status,
                rid: input.rid,
                version: input.version
            }),
            "{topic}"
        );
        // And what the agent publishes, the hub reads back.
        let identity = Identity::device("d");
        assert_eq!(
            hub::parse_inbound(&mqtt::twin_get(input.rid), &identity),
            Ok(FromDevice::TwinGet { rid: input.rid })
        );
        assert_eq!(
            hub::parse_inbound(&mqtt::reported_patch(input.rid), &identity),
            Ok(FromDevice::ReportedPatch { rid: input.rid })
        );
        assert_eq!(
            hub::parse_inbound(&mqtt::method_response(input.status, input.rid), &identity),
            Ok(FromDevice::MethodResponse {
                status: i32::from(input.status),
                rid: input.rid
            })
        );
    }
    if let Some(version) = input.version {
        assert_eq!(
            mqtt::parse_to_device(&mqtt::desired_patch(version)),
            Some(ToDevice::Desired {
                version: Some(version)
            })
        );
    }
});
