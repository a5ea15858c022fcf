//! The panic hook the binaries install, in a real process: a panic whose message carries a
//! connection string prints the message without the key, on stderr, and the process still
//! fails as a panic does.

use std::process::Command;

/// Set in the copy of this test that installs the hook and panics.
const CHILD: &str = "IOTHUB_AUTH_PANIC_HOOK_CHILD";
const KEY: &str = "q3N9vZ0tJ8fKp2LwX7sR1mYcB4hD6eUa9TgWnQ5oVxE=";

#[test]
fn a_panic_prints_its_message_without_credentials() {
    if std::env::var_os(CHILD).is_some() {
        iothub_auth::install_panic_hook("dmctl");
        let cs = format!("HostName=h.azure-devices.net;DeviceId=d1;SharedAccessKey={KEY}");
        panic!("could not use '{cs}'");
    }
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "a_panic_prints_its_message_without_credentials",
            "--exact",
            "--nocapture",
        ])
        .env(CHILD, "1")
        .env_remove("RUST_BACKTRACE")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "the panic did not fail the child");
    assert!(
        stderr.contains("dmctl: internal error in thread")
            && stderr.contains(
                "could not use 'HostName=h.azure-devices.net;DeviceId=d1;SharedAccessKey=<redacted>'"
            )
            && stderr.contains("panic_hook.rs:"),
        "{stderr}"
    );
    assert!(stderr.contains("hint: this is a bug"), "{stderr}");
    assert!(
        !stderr.contains(KEY) && !stdout.contains(KEY),
        "the key leaked: {stderr}{stdout}"
    );
}
