//! The blob block list (`PUT ?comp=blocklist`, XML from a device's storage client): parsing
//! must never panic, and every block id it returns is one the body named.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = iothub_emulator::files::parse_block_list(data);
});
