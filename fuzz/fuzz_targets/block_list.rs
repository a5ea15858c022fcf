//! The blob block list (`PUT ?comp=blocklist`, XML from a device's storage client): parsing
//! must never panic, and every block id it returns is text the body holds (nothing invented,
//! nothing decoded from a reference).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(ids) = iothub_emulator::files::parse_block_list(data) else {
        return;
    };
    let body = String::from_utf8_lossy(data);
    for id in &ids {
        assert!(
            body.contains(id.as_str()),
            "block id {id:?} is not in the body"
        );
    }
});
