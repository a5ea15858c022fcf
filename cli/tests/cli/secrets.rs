//! Secrets as tests (issue 13, HARDENING.md § Security as tests): real scenarios with the real
//! binaries — `dmctl hub serve` and `dmctl simulate` as processes at their most verbose, and
//! `dmctl` commands at every verbosity — with all their output captured and searched for every
//! secret the scenarios used: the hub's policy key, a device key, SAS tokens, a connection
//! string with a wrong key and one that does not parse, a blob SAS, a Wi-Fi passphrase and a
//! signed artefact URL's query. And the files that hold secrets: private, and refused when not.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::dmctl_with_config;

/// Each verbosity a user can ask for, the last also with every log filter at `trace`.
const VERBOSITIES: [(&[&str], bool); 5] = [
    (&[], false),
    (&["-v"], false),
    (&["-vv"], false),
    (&["-vvv"], false),
    (&["-vvv"], true),
];

/// The Wi-Fi passphrase the scenarios send.
const PASSPHRASE: &str = "correct-horse-battery-staple-42";
/// The signature in the signed artefact URL's query.
const ARTEFACT_SIG: &str = "ArtefactSig0123456789abcdefXYZ";
/// A well-formed key that is not the hub's (the credential a refused run carries).
const WRONG_KEY: &str = "V3JvbmdLZXlXcm9uZ0tleVdyb25nS2V5V3JvbmdLZXk=";
/// A key that does not parse (base64 with a character outside the alphabet).
const BROKEN_KEY: &str = "Broken*Key*That*Is*Not*Base64*Secret";

/// A `dmctl` process with a clean environment (as the support module's runs) and its home in
/// `home`; stdout and stderr go to `log`.
fn process(home: &Path, args: &[&str], log: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dmctl"));
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("DMCTL_LOG", "trace")
        .env("RUST_LOG", "trace")
        .args(["-vvv"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(log.with_extension("out")).unwrap())
        .stderr(std::fs::File::create(log).unwrap());
    cmd
}

/// A long-running `dmctl` process, killed when dropped so a failing test leaves none behind.
struct Running(Option<Child>);

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// SIGTERM (a clean stop, so everything logged is flushed), then reap.
fn stop(mut running: Running) {
    let mut child = running.0.take().expect("a running process");
    let stopped = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(stopped.success());
    let deadline = Instant::now() + Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn wait_for(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !check() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The value of `key=` in a `;`-separated connection string.
fn part<'a>(cs: &'a str, key: &str) -> &'a str {
    cs.split(';')
        .find_map(|p| p.strip_prefix(key))
        .unwrap_or_else(|| panic!("no {key} in the connection string"))
}

/// Every file under `dir`.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// The exit code each scenario of [`no_secret_reaches_any_output_at_any_verbosity`] ends with:
/// the artefact download fails on the device (7), the wrong key is refused (3), the key that does
/// not parse is a usage error (2), everything else succeeds.
fn expected_code(label: &str) -> i32 {
    match label {
        "signed artefact that fails" => 7,
        "refused key" => 3,
        "unparseable key" => 2,
        _ => 0,
    }
}

/// What one run printed, labelled for the report.
struct Captured {
    label: String,
    text: String,
}

#[test]
fn no_secret_reaches_any_output_at_any_verbosity() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let data = home.join("hub");
    let logs = home.join("logs");
    std::fs::create_dir_all(&logs).unwrap();

    // The hub, as a user runs it, at its most verbose.
    let hub_log = logs.join("hub.log");
    let hub = Running(Some(
        process(
            home,
            &[
                "hub",
                "serve",
                "--https-port",
                "0",
                "--mqtt-port",
                "0",
                "--data-dir",
            ],
            &hub_log,
        )
        .arg(&data)
        .spawn()
        .unwrap(),
    ));
    let endpoint = data.join("endpoint.json");
    wait_for("the hub to listen", || endpoint.exists());
    let endpoint: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&endpoint).unwrap()).unwrap();
    let mqtt_port = endpoint["mqttPort"]
        .as_u64()
        .and_then(|p| u16::try_from(p).ok())
        .expect("mqttPort");
    let data_arg = data.to_str().unwrap();
    let config = std::sync::Arc::new(tempfile::tempdir().unwrap());
    let run = |args: &[&str]| dmctl_with_config(args, std::sync::Arc::clone(&config));

    // Printing the connection string is `hub connection-string`'s purpose: its stdout is the
    // one output not searched.
    let owner = run(&["hub", "connection-string", "--data-dir", data_arg]).run();
    owner.assert_code(0);
    let owner = owner.stdout.trim().to_owned();
    let owner_key = part(&owner, "SharedAccessKey=").to_owned();
    let ca = data.join("ca.pem");
    let ca_arg = ca.to_str().unwrap().to_owned();

    // One simulated dm agent, its own log at trace.
    let sandboxes = home.join("sandboxes");
    let sim_log = logs.join("simulate.log");
    let gateway = format!("localhost:{mqtt_port}");
    let sim = Running(Some(
        process(
            home,
            &[
                "simulate",
                "--create",
                "-n",
                "1",
                "--prefix",
                "sec-",
                "--allow-http-artifacts",
                "--ca-file",
                &ca_arg,
                "--gateway",
                &gateway,
                "--sandbox-dir",
            ],
            &sim_log,
        )
        .arg(&sandboxes)
        .env("IOTHUB_CONNECTION_STRING", &owner)
        .spawn()
        .unwrap(),
    ));
    wait_for("the simulated agent's manifest", || {
        let twin = run(&["twin", "show", "sec-1", "-o", "json", "--ca-file", &ca_arg])
            .env("IOTHUB_CONNECTION_STRING", &owner)
            .output();
        serde_json::from_slice::<serde_json::Value>(&twin.stdout)
            .is_ok_and(|t| t["properties"]["reported"]["dm"]["agent"].is_object())
    });
    let device = run(&[
        "hub",
        "connection-string",
        "--data-dir",
        data_arg,
        "--device",
        "sec-1",
    ])
    .run();
    device.assert_code(0);
    let device_key = part(device.stdout.trim(), "SharedAccessKey=").to_owned();

    let app_log = sandboxes.join("sec-1/sandbox/var/log/app.log");
    std::fs::create_dir_all(app_log.parent().unwrap()).unwrap();
    std::fs::write(&app_log, "gateway: polled 12 sensors\n").unwrap();
    let psk = home.join("office.psk");
    std::fs::write(&psk, format!("{PASSPHRASE}\n")).unwrap();
    let psk_arg = psk.to_str().unwrap().to_owned();
    let artefact =
        format!("http://127.0.0.1:9/plc.deb?sv=2024-01-01&se=2030-01-01&sig={ARTEFACT_SIG}");
    let zeros = "0".repeat(64);
    let host = part(&owner, "HostName=").to_owned();
    let wrong =
        format!("HostName={host};SharedAccessKeyName=iothubowner;SharedAccessKey={WRONG_KEY}");
    let broken =
        format!("HostName={host};SharedAccessKeyName=iothubowner;SharedAccessKey={BROKEN_KEY}");

    // (label, args, connection string, whether stdout is searched too)
    let scenarios: Vec<(&str, Vec<&str>, &str, bool)> = vec![
        ("device list", vec!["device", "list"], &owner, true),
        ("twin show", vec!["twin", "show", "sec-1"], &owner, true),
        (
            "wifi add",
            vec![
                "wifi",
                "add",
                "office",
                "-d",
                "sec-1",
                "--passphrase-file",
                &psk_arg,
            ],
            &owner,
            true,
        ),
        (
            "wifi list",
            vec!["wifi", "list", "-d", "sec-1"],
            &owner,
            true,
        ),
        (
            "signed artefact that fails",
            vec![
                "apps",
                "install",
                "plc",
                "-d",
                "sec-1",
                "--url",
                &artefact,
                "--sha256",
                &zeros,
                "--wait",
                "--timeout",
                "60s",
            ],
            &owner,
            true,
        ),
        (
            "signed artefact, dry run",
            vec![
                "apps",
                "install",
                "plc",
                "-d",
                "sec-1",
                "--url",
                &artefact,
                "--sha256",
                &zeros,
                "--dry-run",
            ],
            &owner,
            true,
        ),
        (
            "log upload (blob SAS)",
            vec![
                "logs",
                "collect",
                "-d",
                "sec-1",
                "--upload",
                "--no-journal",
                "--path",
                "/var/log",
                "--wait",
                "--timeout",
                "60s",
            ],
            &owner,
            true,
        ),
        // A token is `token`'s output: only its messages are searched.
        ("token", vec!["token"], &owner, false),
        ("refused key", vec!["device", "list"], &wrong, true),
        ("unparseable key", vec!["device", "list"], &broken, true),
        ("help", vec!["--help"], &owner, true),
        (
            "device list help",
            vec!["device", "list", "--help"],
            &owner,
            true,
        ),
        ("wifi add help", vec!["wifi", "add", "--help"], &owner, true),
        (
            "hub serve help",
            vec!["hub", "serve", "--help"],
            &owner,
            true,
        ),
    ];
    let mut captured = Vec::new();
    for (label, args, cs, stdout_searched) in &scenarios {
        for (flags, trace) in VERBOSITIES {
            let mut all: Vec<&str> = flags.to_vec();
            all.extend(args.iter().copied());
            all.extend(["--ca-file", &ca_arg]);
            let mut cmd = run(&all).env("IOTHUB_CONNECTION_STRING", cs);
            if trace {
                cmd = cmd.env("DMCTL_LOG", "trace").env("RUST_LOG", "trace");
            }
            let out = cmd.run();
            let what = format!(
                "`dmctl {}`{}",
                all.join(" "),
                if trace { " (trace)" } else { "" }
            );
            // Every scenario ran to the answer it is about (a usage error about the test itself
            // would search nothing).
            assert_eq!(out.code, expected_code(label), "{what}\n{}", out.stderr);
            if *label == "token" {
                // The canary: the search below would see a token.
                assert!(
                    out.stdout.contains("SharedAccessSignature") && out.stdout.contains("sig=")
                );
            }
            if *stdout_searched {
                captured.push(Captured {
                    label: format!("{what} stdout"),
                    text: out.stdout,
                });
            }
            captured.push(Captured {
                label: format!("{what} stderr"),
                text: out.stderr,
            });
        }
    }
    // A profile with the key saved, and listed.
    let added = run(&["profile", "add", "local", "--from-stdin", "--use"])
        .stdin(owner.clone())
        .run();
    added.assert_code(0);
    captured.push(Captured {
        label: "profile add".into(),
        text: format!("{}{}", added.stdout, added.stderr),
    });
    for (flags, _) in VERBOSITIES {
        let mut all: Vec<&str> = flags.to_vec();
        all.extend(["profile", "list"]);
        let out = run(&all).run();
        captured.push(Captured {
            label: format!("`dmctl {}`", all.join(" ")),
            text: format!("{}{}", out.stdout, out.stderr),
        });
    }

    stop(sim);
    stop(hub);
    for log in [&hub_log, &sim_log] {
        captured.push(Captured {
            label: log.file_name().unwrap().to_string_lossy().into_owned(),
            text: format!(
                "{}{}",
                std::fs::read_to_string(log).unwrap(),
                std::fs::read_to_string(log.with_extension("out")).unwrap()
            ),
        });
    }
    let hub_text = &captured.last().unwrap().text;
    assert!(
        captured
            .iter()
            .any(|c| c.label == "hub.log" && c.text.contains("sec-1")),
        "the hub's trace log covers the scenarios: {hub_text}"
    );

    let secrets: [(&str, &str); 7] = [
        ("the owner policy key", &owner_key),
        ("the device key", &device_key),
        ("a SAS token", "SharedAccessSignature"),
        ("the refused key", WRONG_KEY),
        ("the unparseable key", BROKEN_KEY),
        ("the Wi-Fi passphrase", PASSPHRASE),
        ("the signed artefact URL's signature", ARTEFACT_SIG),
    ];
    let mut leaks = Vec::new();
    let mut bytes = 0;
    for c in &captured {
        bytes += c.text.len();
        for (name, secret) in secrets {
            if c.text.contains(secret) {
                leaks.push(format!("{name} in {}", c.label));
            }
        }
        // Any SAS signature (a blob SAS, a token's) is a secret too.
        if c.text.contains("sig=") {
            leaks.push(format!("a SAS signature (sig=) in {}", c.label));
        }
    }
    eprintln!(
        "secrets: {} outputs ({bytes} bytes) searched for {} secrets and sig=; {} leaks",
        captured.len(),
        secrets.len(),
        leaks.len()
    );
    assert!(leaks.is_empty(), "secrets leaked:\n{}", leaks.join("\n"));

    // The files that hold those secrets are private.
    #[cfg(unix)]
    {
        assert_eq!(mode(&data), 0o700, "the hub's data directory");
        for name in iothub_emulator::datadir::SECRET_FILES {
            let path = data.join(name);
            if path.exists() {
                assert_eq!(mode(&path), 0o600, "{}", path.display());
            }
        }
        let config_file = config.path().join("dmctl/config.toml");
        assert_eq!(mode(&config_file), 0o600, "the profile file holds the key");
        assert_eq!(mode(config_file.parent().unwrap()), 0o700);
        let wifi: Vec<PathBuf> = files(&sandboxes)
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "nmconnection"))
            .collect();
        assert!(!wifi.is_empty(), "the agent wrote the Wi-Fi profile");
        for path in wifi {
            assert_eq!(mode(&path), 0o600, "{}", path.display());
            assert!(std::fs::read_to_string(&path).unwrap().contains(PASSPHRASE));
        }
    }
}

#[cfg(unix)]
#[test]
fn a_profile_file_with_keys_that_others_can_read_is_refused() {
    use std::os::unix::fs::PermissionsExt as _;
    let config = std::sync::Arc::new(tempfile::tempdir().unwrap());
    let cs = format!(
        "HostName=h.azure-devices.net;SharedAccessKeyName=iothubowner;SharedAccessKey={WRONG_KEY}"
    );
    dmctl_with_config(
        &["profile", "add", "prod", "--from-stdin", "--use"],
        std::sync::Arc::clone(&config),
    )
    .stdin(cs)
    .run()
    .assert_code(0);
    let file = config.path().join("dmctl/config.toml");
    let token = || dmctl_with_config(&["token"], std::sync::Arc::clone(&config)).run();
    token().assert_code(0);

    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let refused = token();
    refused.assert_code(2);
    assert!(refused.stdout.is_empty(), "{}", refused.stdout);
    assert!(
        refused.stderr.contains("config.toml") && refused.stderr.contains("chmod 600"),
        "names the file and the fix: {}",
        refused.stderr
    );
    assert!(!refused.stderr.contains(WRONG_KEY), "{}", refused.stderr);

    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    token().assert_code(0);
}
