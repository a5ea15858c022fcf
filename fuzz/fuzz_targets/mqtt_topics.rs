//! Every MQTT string a peer controls: the CONNECT username, topics in both directions,
//! subscription filters and telemetry property bags (hub and agent share the grammar in
//! `iothub_model::mqtt`; the hub decodes property bags itself).
#![no_main]

use arbitrary::Arbitrary;
use iothub_model::mqtt;
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    text: &'a str,
    device_id: &'a str,
    module_id: Option<&'a str>,
}

fuzz_target!(|input: Input<'_>| {
    let _ = mqtt::parse_username(input.text);
    let _ = mqtt::parse_from_device(input.text, input.device_id, input.module_id);
    let _ = mqtt::parse_filter(input.text, input.device_id, input.module_id);
    let _ = mqtt::parse_to_device(input.text);
    let _ = iothub_emulator::mqtt::topics::parse_property_bag(input.text);
});
