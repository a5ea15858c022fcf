//! Commands that need no hub: help, usage errors, token, completions, profiles, and the local
//! hub's `serve` and `connection-string`.

use std::sync::Arc;

use iothub_auth::{SasToken, SharedAccessKey};
use serde_json::Value;

use crate::snap;
use crate::support::{Hub, dmctl, dmctl_with_config};

const KEY: &str = "cGFzc3dvcmRwYXNzd29yZHBhc3N3b3JkcGFzc3dvcmQ=";

fn hub_string() -> String {
    format!(
        "HostName=myhub.azure-devices.net;SharedAccessKeyName=iothubowner;SharedAccessKey={KEY}"
    )
}

#[test]
fn help_lists_commands_and_exit_codes_but_never_the_connection_string() {
    let secret = hub_string();
    let run = dmctl(&["--help"])
        .env("IOTHUB_CONNECTION_STRING", &secret)
        .run();
    run.assert_code(0);
    assert!(run.stdout.contains("[env: IOTHUB_CONNECTION_STRING]"));
    assert!(!run.stdout.contains(KEY), "the key leaked into --help");
    assert!(!run.stdout.contains("myhub"), "the host leaked into --help");
    for line in [
        "  5  device not connected",
        " 10  partial failure across a fleet",
        "130  interrupted",
    ] {
        assert!(run.stdout.contains(line), "missing {line:?}");
    }
    for command in [
        "device", "twin", "method", "query", "job", "token", "hub", "reboot", "demo",
    ] {
        assert!(
            run.stdout.contains(&format!("\n  {command} ")),
            "missing command {command}"
        );
    }
}

#[test]
fn version_is_the_same_text_whichever_way_it_is_asked() {
    let expected = format!("dmctl {}\n", env!("CARGO_PKG_VERSION"));
    // `--version` and `-V` alone are answered before clap; with an option, clap answers.
    for args in [
        &["--version"][..],
        &["-V"],
        &["-o", "json", "--version"],
        &["--version", "-q"],
    ] {
        let run = dmctl(args).run();
        run.assert_code(0);
        assert_eq!(run.stdout, expected, "{args:?}");
        assert_eq!(run.stderr, "", "{args:?}");
    }
}

#[test]
fn usage_errors_exit_2() {
    let run = dmctl(&["twin", "show"]).run();
    run.assert_code(2);
    assert!(run.stderr.contains("--device <ID>"), "{}", run.stderr);
    let run = dmctl(&["no-such-command"]).run();
    run.assert_code(2);
}

#[test]
fn a_missing_connection_string_is_a_usage_error_with_a_hint() {
    let run = dmctl(&["token"]).run();
    snap!("token_without_connection", run.snapshot_text(&[]));
}

#[test]
fn a_bad_connection_string_is_refused_without_echoing_it() {
    let bad = "HostName=h;SharedAccessKeyName=p;SharedAccessKey=bm90*YmFzZTY0";
    let run = dmctl(&["token"]).env("IOTHUB_CONNECTION_STRING", bad).run();
    run.assert_code(2);
    assert!(!run.stderr.contains("bm90*YmFzZTY0"), "{}", run.stderr);
    snap!("token_bad_connection_string", run.snapshot_text(&[]));
}

#[test]
fn hub_token_verifies_with_the_policy_key() {
    let run = dmctl(&["token", "--hub", &hub_string()]).run();
    run.assert_code(0);
    let token = SasToken::parse(run.stdout.trim()).unwrap();
    let key = SharedAccessKey::from_base64(KEY).unwrap();
    token
        .verify(&key, iothub_auth::unix_now(), 0)
        .expect("signed with the policy key");
    assert_eq!(token.resource(), "myhub.azure-devices.net");
    assert_eq!(token.key_name(), Some("iothubowner"));
    let ttl = token.expiry() - iothub_auth::unix_now();
    assert!(
        (3590..=3600).contains(&ttl),
        "default TTL is one hour, got {ttl}"
    );
}

#[test]
fn device_and_module_tokens_are_scoped_and_name_the_policy() {
    let run = dmctl(&[
        "token", "--device", "dev-1", "--module", "m1", "--ttl", "5m", "-o", "json",
    ])
    .env("IOTHUB_CONNECTION_STRING", hub_string())
    .run();
    run.assert_code(0);
    let json = run.json();
    assert_eq!(
        json["resource"],
        "myhub.azure-devices.net/devices/dev-1/modules/m1"
    );
    assert_eq!(json["keyName"], "iothubowner");
    let token = SasToken::parse(json["token"].as_str().unwrap()).unwrap();
    assert!(token.audience_matches("myhub.azure-devices.net/devices/dev-1/modules/m1/twin"));
    assert!(!token.audience_matches("myhub.azure-devices.net/devices/dev-2"));
    let ttl = token.expiry() - iothub_auth::unix_now();
    assert!((290..=300).contains(&ttl), "{ttl}");
    snap!("token_module_json", run.snapshot_text(&[]));
}

#[test]
fn device_connection_strings_sign_without_a_policy_name() {
    let device = format!("HostName=myhub.azure-devices.net;DeviceId=dev-1;SharedAccessKey={KEY}");
    let run = dmctl(&["token", "--expiry", "4102444800", "-o", "json"])
        .env("IOTHUB_CONNECTION_STRING", &device)
        .run();
    run.assert_code(0);
    let json = run.json();
    assert_eq!(json["resource"], "myhub.azure-devices.net/devices/dev-1");
    assert_eq!(json["expiry"], 4_102_444_800_u64);
    assert_eq!(json["expiresAt"], "2100-01-01T00:00:00Z");
    assert!(json.get("keyName").is_none());

    let run = dmctl(&["token", "--device", "other"])
        .env("IOTHUB_CONNECTION_STRING", &device)
        .run();
    run.assert_code(2);
    assert!(
        run.stderr.contains("belongs to device 'dev-1'"),
        "{}",
        run.stderr
    );
}

#[test]
fn token_refuses_a_past_expiry() {
    let run = dmctl(&["token", "--expiry", "1000"])
        .env("IOTHUB_CONNECTION_STRING", hub_string())
        .run();
    run.assert_code(2);
    assert!(
        run.stderr.contains("--expiry 1000 is in the past"),
        "{}",
        run.stderr
    );
}

#[test]
fn completions_print_a_script_for_each_shell() {
    for (shell, marker) in [
        ("bash", "_dmctl()"),
        ("zsh", "#compdef dmctl"),
        ("fish", "complete -c dmctl"),
        ("elvish", "edit:completion:arg-completer[dmctl]"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let run = dmctl(&["completions", shell]).run();
        run.assert_code(0);
        assert!(run.stdout.contains(marker), "{shell}: no {marker:?}");
    }
}

#[test]
fn checked_in_completions_match_the_binary() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../completions");
    let update = std::env::var_os("DMCTL_UPDATE_COMPLETIONS").is_some();
    let mut stale = Vec::new();
    for shell in [
        clap_complete::Shell::Bash,
        clap_complete::Shell::Zsh,
        clap_complete::Shell::Fish,
        clap_complete::Shell::Elvish,
        clap_complete::Shell::PowerShell,
    ] {
        let path = dir.join(dmctl::cmd::completions::file_name(shell));
        let fresh = dmctl::completion_script(shell);
        if update {
            std::fs::write(&path, &fresh).unwrap();
        } else if std::fs::read(&path).ok().as_deref() != Some(fresh.as_slice()) {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "completion scripts are out of date: {stale:?}\nrefresh them with: \
         DMCTL_UPDATE_COMPLETIONS=1 cargo test -p dmctl --test cli checked_in_completions"
    );
}

#[test]
fn broken_pipe_exits_zero() {
    use std::io::Read as _;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_dmctl"))
        .args(["completions", "bash"])
        .env_remove("IOTHUB_CONNECTION_STRING")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Close the read end before dmctl writes its (large) script.
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(status.code(), Some(0), "stderr: {stderr}");
    assert!(stderr.is_empty(), "{stderr}");
}

#[test]
fn profiles_add_list_use_and_remove() {
    let config = Arc::new(tempfile::tempdir().unwrap());
    let other = hub_string()
        .replace("myhub", "otherhub")
        .replace("iothubowner", "service");
    let run = dmctl_with_config(
        &["profile", "add", "prod", "--hub", &hub_string()],
        Arc::clone(&config),
    )
    .run();
    run.assert_code(0);
    assert!(
        run.stderr.contains("saved profile 'prod' (the default)"),
        "{}",
        run.stderr
    );
    let run = dmctl_with_config(
        &["profile", "add", "staging", "--from-stdin"],
        Arc::clone(&config),
    )
    .stdin(other.clone())
    .run();
    run.assert_code(0);

    let path = config.path().join("dmctl/config.toml");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the config file holds keys");
    }

    // The default profile is used when nothing else is given.
    let run = dmctl_with_config(&["token", "-o", "json"], Arc::clone(&config)).run();
    assert_eq!(
        run.assert_code(0).json()["resource"],
        "myhub.azure-devices.net"
    );
    // --profile picks another; so does DMCTL_PROFILE.
    let run = dmctl_with_config(
        &["token", "--profile", "staging", "-o", "json"],
        Arc::clone(&config),
    )
    .run();
    assert_eq!(
        run.assert_code(0).json()["resource"],
        "otherhub.azure-devices.net"
    );
    // The environment's connection string beats the config file's default...
    let run = dmctl_with_config(&["token", "-o", "json"], Arc::clone(&config))
        .env("IOTHUB_CONNECTION_STRING", &other)
        .run();
    assert_eq!(
        run.assert_code(0).json()["resource"],
        "otherhub.azure-devices.net"
    );
    // ...but not an explicit --profile.
    let run = dmctl_with_config(
        &["token", "--profile", "prod", "-o", "json"],
        Arc::clone(&config),
    )
    .env("IOTHUB_CONNECTION_STRING", &other)
    .run();
    assert_eq!(
        run.assert_code(0).json()["resource"],
        "myhub.azure-devices.net"
    );

    let run = dmctl_with_config(&["profile", "use", "staging"], Arc::clone(&config)).run();
    run.assert_code(0);
    let run = dmctl_with_config(&["profile", "list"], Arc::clone(&config)).run();
    run.assert_code(0);
    assert!(!run.stdout.contains(KEY), "profile list shows a key");
    snap!("profile_list", run.snapshot_text(&[]));
    let run = dmctl_with_config(&["profile", "list", "-o", "json"], Arc::clone(&config)).run();
    let rows = run.assert_code(0).json();
    assert_eq!(rows[1]["name"], "staging");
    assert_eq!(rows[1]["current"], true);
    assert_eq!(rows[1]["policy"], "service");

    let run = dmctl_with_config(
        &["profile", "add", "prod", "--hub", &other],
        Arc::clone(&config),
    )
    .run();
    run.assert_code(8);
    assert!(run.stderr.contains("pass --force"), "{}", run.stderr);
    let run = dmctl_with_config(&["profile", "use", "nope"], Arc::clone(&config)).run();
    run.assert_code(4);
    let run = dmctl_with_config(&["profile", "remove", "staging"], Arc::clone(&config)).run();
    run.assert_code(0);
    let run = dmctl_with_config(&["token", "--profile", "staging"], Arc::clone(&config)).run();
    run.assert_code(2);
    assert!(
        run.stderr.contains("known profiles: prod"),
        "{}",
        run.stderr
    );
}

#[test]
fn profiles_refuse_device_strings_and_say_what_is_missing() {
    let run = dmctl(&["profile", "add", "x"]).run();
    run.assert_code(2);
    assert!(
        run.stderr
            .contains("needs a connection string or a data directory")
    );
    let device = format!("HostName=h;DeviceId=d;SharedAccessKey={KEY}");
    let run = dmctl(&["profile", "add", "x", "--hub", &device]).run();
    run.assert_code(2);
    assert!(
        run.stderr.contains("device connection string"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains(KEY));
}

#[test]
fn local_hub_connection_strings_and_data_dir_profiles() {
    let hub = Hub::start();
    let dir = hub.dir_text();
    let port = hub.hub().https_addr().port().to_string();

    let run = dmctl(&[
        "hub",
        "connection-string",
        "--data-dir",
        &dir,
        "--https-port",
        &port,
    ])
    .run();
    run.assert_code(0);
    assert_eq!(run.stdout.trim(), hub.connection_string);

    let run = dmctl(&[
        "hub",
        "connection-string",
        "--data-dir",
        &dir,
        "--https-port",
        &port,
        "--mqtt-port",
        "18883",
        "--device",
        "new-dev",
        "--create",
        "-o",
        "json",
    ])
    .run();
    run.assert_code(0);
    snap!(
        "hub_connection_string_device",
        run.snapshot_text(&[(&dir, "[DATA]")])
    );
    let json: Value = run.json();
    let cs: iothub_auth::ConnectionString =
        json["connectionString"].as_str().unwrap().parse().unwrap();
    assert_eq!(cs.device_id.as_deref(), Some("new-dev"));
    assert_eq!(cs.gateway_host_name.as_deref(), Some("localhost:18883"));

    let run = dmctl(&[
        "hub",
        "connection-string",
        "--data-dir",
        &dir,
        "--device",
        "missing",
    ])
    .run();
    run.assert_code(4);
    assert!(run.stderr.contains("hint: pass --create"), "{}", run.stderr);
    let run = dmctl(&[
        "hub",
        "connection-string",
        "--data-dir",
        &dir,
        "--policy",
        "nope",
    ])
    .run();
    run.assert_code(4);
    assert!(run.stderr.contains("'nope'"), "{}", run.stderr);
    let empty = tempfile::tempdir().unwrap();
    let run = dmctl(&[
        "hub",
        "connection-string",
        "--data-dir",
        &empty.path().display().to_string(),
    ])
    .run();
    run.assert_code(4);
    assert!(
        run.stderr.contains("dmctl hub serve --data-dir"),
        "{}",
        run.stderr
    );

    // A profile pointing at the data directory: key read from the hub, its CA trusted.
    let config = Arc::new(tempfile::tempdir().unwrap());
    let host = format!("localhost:{port}");
    let run = dmctl_with_config(
        &[
            "profile",
            "add",
            "local",
            "--data-dir",
            &dir,
            "--host",
            &host,
        ],
        Arc::clone(&config),
    )
    .run();
    run.assert_code(0);
    let text = std::fs::read_to_string(config.path().join("dmctl/config.toml")).unwrap();
    assert!(
        !text.contains("SharedAccessKey"),
        "no key is copied into the config:\n{text}"
    );
    let run = dmctl_with_config(&["token", "-o", "json"], config).run();
    let token = SasToken::parse(run.assert_code(0).json()["token"].as_str().unwrap()).unwrap();
    assert_eq!(token.resource(), host);
    let key: iothub_auth::ConnectionString = hub.connection_string.parse().unwrap();
    token
        .verify(key.key().unwrap(), iothub_auth::unix_now(), 0)
        .unwrap();
}

#[cfg(unix)]
#[test]
fn hub_serve_says_where_it_listens_and_stops_on_sigterm() {
    use std::io::{BufRead as _, BufReader};
    use std::process::{Command, Stdio};

    let data = tempfile::tempdir().unwrap();
    let dir = data.path().display().to_string();
    let mut child = Command::new(env!("CARGO_BIN_EXE_dmctl"))
        .args([
            "hub",
            "serve",
            "--data-dir",
            &dir,
            "--https-port",
            "0",
            "--mqtt-port",
            "0",
        ])
        .env_remove("DMCTL_LOG")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut banner = String::new();
    loop {
        let mut line = String::new();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "serve ended early:\n{banner}"
        );
        banner.push_str(&line);
        if line.contains("IoT Hub emulator listening") {
            break;
        }
    }
    assert!(
        banner.contains(&format!("clients trust {dir}/ca.pem")),
        "{banner}"
    );
    assert!(data.path().join("ca.pem").is_file());
    assert!(data.path().join("hub.db").is_file());

    // The hub recorded where it listens: `connection-string` needs only the directory, and
    // its strings carry the ports it really serves (it used to print HostName=localhost, port
    // 443, for a hub on other ports).
    let https_port = port_in(&banner, "https://localhost:");
    let mqtt_port = port_in(&banner, "mqtts://localhost:");
    let run = dmctl(&["hub", "connection-string", "--data-dir", &dir]).run();
    let cs: iothub_auth::ConnectionString = run.assert_code(0).stdout.trim().parse().unwrap();
    assert_eq!(cs.host_name, format!("localhost:{https_port}"));
    let run = dmctl(&[
        "hub",
        "connection-string",
        "--data-dir",
        &dir,
        "--device",
        "dev-1",
        "--create",
    ])
    .run();
    let cs: iothub_auth::ConnectionString = run.assert_code(0).stdout.trim().parse().unwrap();
    assert_eq!(cs.host_name, format!("localhost:{https_port}"));
    assert_eq!(
        cs.gateway_host_name.as_deref(),
        Some(format!("localhost:{mqtt_port}").as_str())
    );

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let code = child.wait().unwrap().code();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    assert_eq!(code, Some(0), "{banner}{rest}");
    assert!(rest.contains("local IoT Hub stopped"), "{rest}");
    let banner: String = banner
        .lines()
        .filter(|l| l.starts_with("dmctl:"))
        .flat_map(|l| [l, "\n"])
        .collect();
    snap!("hub_serve_banner", banner.replace(&dir, "[DATA]"));
}

/// The port after `prefix` in `text`.
fn port_in(text: &str, prefix: &str) -> u16 {
    let at = text
        .find(prefix)
        .unwrap_or_else(|| panic!("no {prefix} in:\n{text}"))
        + prefix.len();
    let digits: String = text[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().unwrap()
}

#[cfg(unix)]
#[test]
fn hub_serve_refuses_a_data_directory_others_can_enter() {
    use std::os::unix::fs::PermissionsExt as _;
    let data = tempfile::tempdir().unwrap();
    let dir = data.path().join("hub");
    std::fs::create_dir(&dir).unwrap();
    // A hub's directory: keys may have been read by others.
    std::fs::write(dir.join("hub.db"), "").unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let dir = dir.display().to_string();
    let run = dmctl(&[
        "hub",
        "serve",
        "--data-dir",
        &dir,
        "--https-port",
        "0",
        "--mqtt-port",
        "0",
    ])
    .run();
    run.assert_code(1);
    assert!(run.stderr.contains(&dir), "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "hint: run `chmod 700 {dir}`, or start with --allow-insecure-permissions"
        )),
        "{}",
        run.stderr
    );
    // Refused before the banner: nothing claims the hub is listening.
    assert!(!run.stderr.contains("local IoT Hub:"), "{}", run.stderr);
}

#[test]
fn hub_serve_explains_a_port_in_use() {
    let blocker = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = blocker.local_addr().unwrap().port().to_string();
    let data = tempfile::tempdir().unwrap();
    let run = dmctl(&[
        "hub",
        "serve",
        "--data-dir",
        &data.path().display().to_string(),
        "--https-port",
        &port,
    ])
    .run();
    run.assert_code(1);
    assert!(
        run.stderr.contains("hint: another process listens on port"),
        "{}",
        run.stderr
    );
}

/// Whether the tests run as root (`/proc/self` belongs to the effective user).
#[cfg(unix)]
fn running_as_root() -> bool {
    use std::os::unix::fs::MetadataExt as _;
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// The README's flow: `sudo dmctl hub serve`, then `dmctl hub connection-string` as the user.
/// The test plays sudo (root with `SUDO_UID`) for `nobody`, so it needs root; elsewhere it says
/// so and passes (CI runs as root).
#[cfg(unix)]
#[test]
fn sudo_hub_serve_then_connection_string_as_the_user() {
    use std::io::{BufRead as _, BufReader};
    use std::os::unix::fs::MetadataExt as _;
    use std::os::unix::process::CommandExt as _;
    use std::process::{Command, Stdio};

    const NOBODY: u32 = 65_534;
    if !running_as_root() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI must run this test as root"
        );
        eprintln!(
            "skipped: playing sudo needs root (run `sudo -E cargo test -p dmctl --test cli sudo_`)"
        );
        return;
    }
    let base = tempfile::tempdir().unwrap();
    std::os::unix::fs::chown(base.path(), Some(NOBODY), Some(NOBODY)).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_dmctl"))
        .args(["hub", "serve", "--https-port", "0", "--mqtt-port", "0"])
        .env_remove("DMCTL_LOG")
        .env("SUDO_UID", NOBODY.to_string())
        .env("SUDO_USER", "nobody")
        .env("XDG_DATA_HOME", base.path())
        .current_dir("/")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut banner = String::new();
    loop {
        let mut line = String::new();
        if stderr.read_line(&mut line).unwrap() == 0 {
            let _ = child.kill();
            panic!("serve ended early:\n{banner}");
        }
        banner.push_str(&line);
        if line.contains("IoT Hub emulator listening") {
            break;
        }
    }
    let data = base.path().join("dmctl/hub");
    assert!(banner.contains("serving as nobody"), "{banner}");
    assert!(
        banner.contains(&format!("data in {}", data.display())),
        "{banner}"
    );
    for name in ["hub.db", "ca.pem", "ca-key.pem", "endpoint.json"] {
        let meta = std::fs::metadata(data.join(name)).unwrap();
        assert_eq!(meta.uid(), NOBODY, "{name} belongs to the invoking user");
    }
    let https_port = port_in(&banner, "https://localhost:");

    let as_nobody = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_dmctl"))
            .args(args)
            .env_remove("DMCTL_LOG")
            .env_remove("SUDO_UID")
            .env("XDG_DATA_HOME", base.path())
            .env("XDG_CONFIG_HOME", base.path().join("config"))
            .current_dir("/")
            .uid(NOBODY)
            .gid(NOBODY)
            .output()
            .unwrap();
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (code, stdout, stderr_text) = as_nobody(&["hub", "connection-string"]);
    assert_eq!(code, Some(0), "{stderr_text}");
    let cs: iothub_auth::ConnectionString = stdout.trim().parse().unwrap();
    assert_eq!(cs.host_name, format!("localhost:{https_port}"));

    // Someone else's hub is "permission denied", with the path, not "no local hub".
    let private = tempfile::tempdir().unwrap();
    std::fs::write(private.path().join("hub.db"), "").unwrap();
    std::fs::set_permissions(
        private.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o700),
    )
    .unwrap();
    let private_dir = private.path().display().to_string();
    let (code, _, stderr_text) =
        as_nobody(&["hub", "connection-string", "--data-dir", &private_dir]);
    assert_eq!(code, Some(1), "{stderr_text}");
    assert!(
        stderr_text.contains(&format!(
            "permission denied reading the local hub in {private_dir}"
        )),
        "{stderr_text}"
    );

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(child.wait().unwrap().code(), Some(0));
}

#[test]
fn local_hub_container_sas_uris_open_the_container_they_name() {
    let hub = Hub::start();
    let dir = hub.dir_text();
    let port = hub.hub().https_addr().port().to_string();
    let run = dmctl(&[
        "hub",
        "container-sas",
        "backup",
        "--data-dir",
        &dir,
        "--https-port",
        &port,
        "--permissions",
        "rw",
    ])
    .run();
    run.assert_code(0);
    let uri = run.stdout.trim();
    let prefix = format!("https://localhost:{port}/storage/backup?");
    assert!(uri.starts_with(&prefix), "{uri}");
    let query = uri.split_once('?').unwrap().1;
    let storage = hub.hub().hub();
    assert!(
        storage
            .authorize_container("backup", Some(query), 'w')
            .is_ok()
    );
    assert!(
        storage
            .authorize_container("other", Some(query), 'r')
            .is_err(),
        "the SAS of one container opens no other"
    );

    let run = dmctl(&[
        "hub",
        "container-sas",
        "input",
        "--data-dir",
        &dir,
        "--blob",
        "devices.txt",
        "-o",
        "json",
    ])
    .run();
    run.assert_code(0);
    let uri = run.json()["uri"].as_str().unwrap().to_string();
    assert!(uri.contains("/storage/input/devices.txt?"), "{uri}");

    let run = dmctl(&["hub", "container-sas", "Bad_Name", "--data-dir", &dir]).run();
    run.assert_code(2);
    assert!(
        run.stderr.contains("not a valid container name"),
        "{}",
        run.stderr
    );
    let run = dmctl(&[
        "hub",
        "container-sas",
        "fine",
        "--data-dir",
        &dir,
        "--permissions",
        "rx",
    ])
    .run();
    run.assert_code(2);
    assert!(run.stderr.contains("racwdl"), "{}", run.stderr);
}
