//! Twin patches and documents as JSON text (the bytes a service or device sends): validation
//! and the merge never panic, and a patch that validates merges into a document that still
//! fits the limits of its section when it started from an empty one. `twin_merge` drives the
//! hub's whole twin state machine with structure-aware patches; this one covers the JSON text.
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
