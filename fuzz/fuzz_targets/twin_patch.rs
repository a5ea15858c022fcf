//! Twin patches and documents come from the service API and from devices: validation and the
//! merge must never panic, and a patch that validates merges into a document that still fits
//! the limits of its section when it started from an empty one.
#![no_main]

use iothub_model::twin::{self, TwinSection};
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value};

fuzz_target!(|data: &[u8]| {
    let Ok(patch) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    for section in [
        TwinSection::Tags,
        TwinSection::Desired,
        TwinSection::Reported,
    ] {
        let _ = twin::validate_document(section, &patch);
        if twin::validate_patch(section, &patch).is_ok()
            && let Value::Object(patch) = &patch
        {
            let mut doc = Map::new();
            twin::merge_patch(&mut doc, patch);
            // A merge drops the nulls of the patch: what is left is a valid document.
            twin::validate_document(section, &Value::Object(doc))
                .expect("a valid patch merged into nothing is a valid document");
        }
    }
});
