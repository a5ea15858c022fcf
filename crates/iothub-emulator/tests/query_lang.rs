//! The IoT Hub query language over a small, realistic fleet: what a user of `POST /devices/query`
//! and of jobs `queryCondition` would check.

use iothub_emulator::query::{self, MAX_DEPTH, Source};
use proptest::prelude::*;
use serde_json::{Value, json};

fn twin(id: &str, region: Option<&str>, status: &str, freq: i64, extra_tags: Value) -> Value {
    let mut tags = json!({"plant": format!("{id}-plant")});
    if let Some(region) = region {
        tags["location"] = json!({"region": region});
    }
    if let Value::Object(extra) = extra_tags {
        for (k, v) in extra {
            tags[k] = v;
        }
    }
    json!({
        "deviceId": id,
        "etag": "AAAAAAAAAAE=",
        "deviceEtag": "MTIzNDU2Nzg5",
        "status": "enabled",
        "statusUpdateTime": "0001-01-01T00:00:00Z",
        "connectionState": if freq < 100 { "Connected" } else { "Disconnected" },
        "lastActivityTime": "2024-05-07T00:50:38.0543092Z",
        "cloudToDeviceMessageCount": 0,
        "authenticationType": "sas",
        "x509Thumbprint": {"primaryThumbprint": null, "secondaryThumbprint": null},
        "version": 4,
        "capabilities": {"iotEdge": false},
        "tags": tags,
        "properties": {
            "desired": {
                "telemetryConfig": {"sendFrequencyInSecs": freq},
                "$metadata": {"$lastUpdated": "2024-05-07T00:50:38.0543092Z", "$lastUpdatedVersion": 2},
                "$version": 2
            },
            "reported": {
                "telemetryConfig": {"sendFrequencyInSecs": freq, "status": status},
                "firmware": {"version": format!("1.{freq}.0")},
                "$metadata": {"$lastUpdated": "2024-05-07T00:50:38.0543092Z"},
                "$version": 3
            }
        }
    })
}

/// Five devices: three in the US, one in the EU, one without a region.
fn fleet() -> Vec<Value> {
    let mut d1 = twin(
        "sensor-01",
        Some("US"),
        "Success",
        60,
        json!({"owner": "O'Brien", "flags": 255}),
    );
    // A device twin as stored may carry job rows; `FROM devices` must never return them.
    d1["jobs"] = json!([{"jobId": "j1"}]);
    vec![
        d1,
        twin(
            "sensor-02",
            Some("US"),
            "Success",
            300,
            json!({"label": "say \"hi\"", "flags": 16}),
        ),
        twin(
            "sensor-03",
            Some("EU"),
            "Pending",
            30,
            json!({"city": "café", "path": "a\\b"}),
        ),
        twin(
            "gateway-01",
            Some("US"),
            "Error",
            600,
            json!({"[group]": 1, "group": "north"}),
        ),
        twin("camera-01", None, "Pending", 120, json!({})),
    ]
}

fn run(q: &str) -> Vec<Value> {
    let parsed = query::parse(q).unwrap_or_else(|e| panic!("{q}: {e}"));
    parsed.execute(fleet()).expect("execute")
}

fn ids(q: &str) -> Vec<String> {
    run(q)
        .iter()
        .map(|row| row["deviceId"].as_str().unwrap_or("<none>").to_owned())
        .collect()
}

fn err(q: &str) -> query::QueryError {
    match query::parse(q) {
        Ok(parsed) => panic!("{q} parsed: {parsed:?}"),
        Err(e) => e,
    }
}

// ---- SELECT * ------------------------------------------------------------------------------------

#[test]
fn select_star_returns_whole_twins_without_jobs() {
    let q = query::parse("SELECT * FROM devices").unwrap();
    assert_eq!(q.source(), Source::Devices);
    assert_eq!(q.item_type(), "twin");
    assert!(q.condition().is_none());
    let rows = q.execute(fleet()).unwrap();
    assert_eq!(rows.len(), 5);
    assert!(
        rows[0].get("jobs").is_none(),
        "jobs must not be returned: {}",
        rows[0]
    );
    let mut expected = fleet()[0].clone();
    expected.as_object_mut().unwrap().remove("jobs");
    assert_eq!(rows[0], expected);
    assert_eq!(rows[1], fleet()[1]);
}

#[test]
fn keywords_are_case_insensitive() {
    assert_eq!(
        ids("select * from DEVICES where tags.location.region = 'EU'"),
        ["sensor-03"]
    );
    assert_eq!(ids("SeLeCt ToP 1 * FrOm devices"), ["sensor-01"]);
}

// ---- WHERE: operators ---------------------------------------------------------------------------

#[test]
fn comparison_operators() {
    let freq = "properties.reported.telemetryConfig.sendFrequencyInSecs";
    let cases = [
        ("= 300", vec!["sensor-02"]),
        (
            "!= 300",
            vec!["sensor-01", "sensor-03", "gateway-01", "camera-01"],
        ),
        (
            "<> 300",
            vec!["sensor-01", "sensor-03", "gateway-01", "camera-01"],
        ),
        ("< 60", vec!["sensor-03"]),
        ("<= 60", vec!["sensor-01", "sensor-03"]),
        ("> 300", vec!["gateway-01"]),
        (">= 300", vec!["sensor-02", "gateway-01"]),
    ];
    for (op, expected) in cases {
        assert_eq!(
            ids(&format!("SELECT * FROM devices WHERE {freq} {op}")),
            expected,
            "{op}"
        );
    }
}

#[test]
fn strings_compare_ordinally() {
    assert_eq!(
        ids("SELECT * FROM devices WHERE deviceId < 'gateway-02'"),
        ["gateway-01", "camera-01"]
    );
    // The documented job example compares timestamps as strings.
    assert_eq!(
        ids("SELECT * FROM devices WHERE lastActivityTime > '2024-01-01'").len(),
        5
    );
}

#[test]
fn precedence_of_and_over_or() {
    // a OR (b AND c)
    let loose = ids(
        "SELECT * FROM devices WHERE tags.location.region = 'EU' OR tags.location.region = 'US' AND properties.reported.telemetryConfig.status = 'Error'",
    );
    assert_eq!(loose, ["sensor-03", "gateway-01"]);
    // (a OR b) AND c
    let grouped = ids(
        "SELECT * FROM devices WHERE (tags.location.region = 'EU' OR tags.location.region = 'US') AND properties.reported.telemetryConfig.status = 'Error'",
    );
    assert_eq!(grouped, ["gateway-01"]);
}

#[test]
fn arithmetic_precedence_and_operators() {
    let freq = "properties.reported.telemetryConfig.sendFrequencyInSecs";
    assert_eq!(
        ids(&format!(
            "SELECT * FROM devices WHERE {freq} * 2 + 10 = 610"
        )),
        ["sensor-02"]
    );
    assert_eq!(
        ids(&format!("SELECT * FROM devices WHERE {freq} + 10 * 2 = 80")),
        ["sensor-01"]
    );
    assert_eq!(
        ids(&format!(
            "SELECT * FROM devices WHERE ({freq} + 10) * 2 = 140"
        )),
        ["sensor-01"]
    );
    assert_eq!(
        ids(&format!("SELECT * FROM devices WHERE {freq} % 100 = 20")),
        ["camera-01"]
    );
    assert_eq!(
        ids(&format!("SELECT * FROM devices WHERE {freq} / 4 = 7.5")),
        ["sensor-03"]
    );
    assert_eq!(
        ids(&format!("SELECT * FROM devices WHERE {freq} - 600 = -0")),
        ["gateway-01"]
    );
    assert_eq!(
        ids(&format!("SELECT * FROM devices WHERE -{freq} < -500")),
        ["gateway-01"]
    );
}

#[test]
fn division_by_zero_is_undefined_and_never_matches() {
    let freq = "properties.reported.telemetryConfig.sendFrequencyInSecs";
    assert!(ids(&format!("SELECT * FROM devices WHERE {freq} / 0 = 0")).is_empty());
    assert!(ids(&format!("SELECT * FROM devices WHERE NOT ({freq} / 0 = 0)")).is_empty());
    assert!(
        ids(&format!(
            "SELECT * FROM devices WHERE NOT IS_DEFINED({freq} % 0)"
        ))
        .len()
            == 5
    );
}

#[test]
fn not_and_undefined() {
    assert_eq!(
        ids("SELECT * FROM devices WHERE NOT tags.location.region = 'US'"),
        ["sensor-03"],
        "a device without the tag is neither US nor not-US"
    );
    assert_eq!(
        ids("SELECT * FROM devices WHERE NOT IS_DEFINED(tags.location)"),
        ["camera-01"]
    );
    assert_eq!(
        ids("SELECT * FROM devices WHERE NOT NOT deviceId = 'camera-01'"),
        ["camera-01"]
    );
    assert!(ids("SELECT * FROM devices WHERE tags.location.region = undefined").is_empty());
    // `x.y = null` is true only where the value is JSON null, not where it is missing.
    assert_eq!(
        ids("SELECT * FROM devices WHERE x509Thumbprint.primaryThumbprint = null").len(),
        5
    );
    assert!(ids("SELECT * FROM devices WHERE tags.nothing = null").is_empty());
}

#[test]
fn objects_are_not_comparable() {
    assert!(ids("SELECT * FROM devices WHERE tags.location = tags.location").is_empty());
    assert!(ids("SELECT * FROM devices WHERE properties.desired.telemetryConfig = properties.reported.telemetryConfig").is_empty());
}

#[test]
fn different_types_are_unequal_and_unordered() {
    assert!(ids("SELECT * FROM devices WHERE version = '4'").is_empty());
    assert_eq!(ids("SELECT * FROM devices WHERE version != '4'").len(), 5);
    assert!(ids("SELECT * FROM devices WHERE version < 'z'").is_empty());
    assert_eq!(ids("SELECT * FROM devices WHERE version = 4.0").len(), 5);
}

#[test]
fn in_and_nin() {
    assert_eq!(
        ids("SELECT * FROM devices WHERE deviceId IN ['sensor-02', 'camera-01', 'nope']"),
        ["sensor-02", "camera-01"]
    );
    assert_eq!(
        ids("SELECT * FROM devices WHERE tags.location.region NIN ['US']"),
        ["sensor-03"],
        "a missing property is neither in nor not in a list"
    );
    assert_eq!(
        ids(
            "SELECT * FROM devices WHERE properties.reported.telemetryConfig.sendFrequencyInSecs in [30, 0x3C]"
        ),
        ["sensor-01", "sensor-03"]
    );
    assert!(ids("SELECT * FROM devices WHERE deviceId IN []").is_empty());
}

#[test]
fn string_escapes() {
    assert_eq!(
        ids(r"SELECT * FROM devices WHERE tags.owner = 'O\'Brien'"),
        ["sensor-01"]
    );
    assert_eq!(
        ids(r#"SELECT * FROM devices WHERE tags.owner = "O'Brien""#),
        ["sensor-01"]
    );
    assert_eq!(
        ids(r#"SELECT * FROM devices WHERE tags.label = "say \"hi\"""#),
        ["sensor-02"]
    );
    assert_eq!(
        ids(r#"SELECT * FROM devices WHERE tags.label = 'say "hi"'"#),
        ["sensor-02"]
    );
    assert_eq!(
        ids(r"SELECT * FROM devices WHERE tags.city = 'caf\u00e9'"),
        ["sensor-03"]
    );
    assert_eq!(
        ids(r"SELECT * FROM devices WHERE tags.city = 'café'"),
        ["sensor-03"]
    );
    assert_eq!(
        ids(r"SELECT * FROM devices WHERE tags.path = 'a\\b'"),
        ["sensor-03"]
    );
}

#[test]
fn hexadecimal_numbers() {
    assert_eq!(
        ids("SELECT * FROM devices WHERE tags.flags = 0xFF"),
        ["sensor-01"]
    );
    assert_eq!(
        ids("SELECT * FROM devices WHERE tags.flags = 0x10"),
        ["sensor-02"]
    );
    assert_eq!(
        ids("SELECT * FROM devices WHERE tags.flags > 0x0f"),
        ["sensor-01", "sensor-02"]
    );
}

#[test]
fn functions() {
    assert_eq!(
        ids("SELECT * FROM devices WHERE STARTSWITH(deviceId, 'sensor')").len(),
        3
    );
    assert!(
        ids("SELECT * FROM devices WHERE startswith(deviceId, 'SENSOR')").is_empty(),
        "STARTSWITH is case-sensitive"
    );
    assert_eq!(
        ids("SELECT * FROM devices WHERE ENDSWITH(deviceId, '-01')").len(),
        3
    );
    assert_eq!(
        ids("SELECT * FROM devices WHERE is_defined(tags.location) AND ENDSWITH(deviceId, '01')"),
        ["sensor-01", "gateway-01"]
    );
    assert!(ids("SELECT * FROM devices WHERE STARTSWITH(version, '4')").is_empty());
    assert_eq!(
        ids("SELECT * FROM devices WHERE IS_DEFINED(x509Thumbprint.primaryThumbprint)").len(),
        5
    );
}

#[test]
fn property_names_fall_back_to_case_insensitive() {
    assert_eq!(
        ids("SELECT * FROM devices WHERE DeviceId = 'camera-01'"),
        ["camera-01"]
    );
    assert_eq!(
        ids("SELECT * FROM devices WHERE Tags.Location.REGION = 'EU'"),
        ["sensor-03"]
    );
}

#[test]
fn keyword_property_names_need_brackets() {
    let e = err("SELECT * FROM devices WHERE tags.group = 'north'");
    assert_eq!(e.position, 33);
    assert!(e.message.contains("[[group]]"), "{}", e.message);
    assert_eq!(
        ids("SELECT * FROM devices WHERE tags.[[group]] = 'north'"),
        ["gateway-01"]
    );
    assert_eq!(
        ids("SELECT * FROM devices WHERE tags.[[[group]]] = 1"),
        ["gateway-01"]
    );
}

#[test]
fn top_limits_rows() {
    assert_eq!(
        ids("SELECT TOP 2 * FROM devices"),
        ["sensor-01", "sensor-02"]
    );
    assert_eq!(
        ids(
            "SELECT TOP 2 * FROM devices WHERE tags.location.region = 'US' AND deviceId != 'sensor-01'"
        ),
        ["sensor-02", "gateway-01"]
    );
    assert!(run("SELECT TOP 0 * FROM devices").is_empty());
    assert_eq!(run("SELECT TOP 0x3 deviceId FROM devices").len(), 3);
    assert_eq!(run("SELECT TOP 100 * FROM devices").len(), 5);
}

// ---- projections ---------------------------------------------------------------------------------

#[test]
fn projections_with_and_without_alias() {
    let q = query::parse(
        "SELECT deviceId, properties.reported.telemetryConfig.status AS st, tags.location.region FROM devices WHERE deviceId IN ['sensor-01', 'camera-01']",
    )
    .unwrap();
    assert_eq!(q.item_type(), "raw");
    let rows = q.execute(fleet()).unwrap();
    assert_eq!(
        rows,
        [
            json!({"deviceId": "sensor-01", "st": "Success", "region": "US"}),
            // An undefined property is left out of the row.
            json!({"deviceId": "camera-01", "st": "Pending"}),
        ]
    );
}

#[test]
fn projection_uses_the_document_spelling() {
    let rows =
        run("SELECT DeviceId, LastActivityTime FROM devices WHERE connectionState = 'Connected'");
    assert_eq!(
        rows,
        [
            json!({"deviceId": "sensor-01", "lastActivityTime": "2024-05-07T00:50:38.0543092Z"}),
            json!({"deviceId": "sensor-03", "lastActivityTime": "2024-05-07T00:50:38.0543092Z"}),
        ]
    );
}

#[test]
fn projection_of_objects_and_metadata() {
    let rows = run(
        "SELECT properties.reported.$version AS v, tags.location FROM devices WHERE deviceId = 'sensor-03'",
    );
    assert_eq!(rows, [json!({"v": 3, "location": {"region": "EU"}})]);
}

#[test]
fn duplicate_output_names_are_rejected() {
    let e = err("SELECT properties.desired.$version, properties.reported.$version FROM devices");
    assert_eq!(e.position, 36);
    assert!(e.message.contains("$version"), "{}", e.message);
    assert!(query::parse("SELECT properties.desired.$version AS d, properties.reported.$version AS r FROM devices").is_ok());
}

// ---- aggregates -----------------------------------------------------------------------------------

#[test]
fn count_grouped_by_tag() {
    let q = query::parse(
        "SELECT tags.location.region AS region, COUNT() AS numberOfDevices FROM devices GROUP BY tags.location.region",
    )
    .unwrap();
    assert_eq!(q.item_type(), "raw");
    assert_eq!(
        q.execute(fleet()).unwrap(),
        [
            json!({"region": "US", "numberOfDevices": 3}),
            json!({"region": "EU", "numberOfDevices": 1}),
            json!({"numberOfDevices": 1}),
        ]
    );
}

#[test]
fn count_grouped_by_reported_status_as_in_the_docs() {
    let rows = run(
        "SELECT properties.reported.telemetryConfig.status AS status, COUNT() AS numberOfDevices FROM devices GROUP BY properties.reported.telemetryConfig.status",
    );
    assert_eq!(
        rows,
        [
            json!({"status": "Success", "numberOfDevices": 2}),
            json!({"status": "Pending", "numberOfDevices": 2}),
            json!({"status": "Error", "numberOfDevices": 1}),
        ]
    );
}

#[test]
fn count_without_group_by_is_one_row() {
    assert_eq!(
        run("SELECT COUNT() AS totalNumberOfDevices FROM devices"),
        [json!({"totalNumberOfDevices": 5})]
    );
    assert_eq!(
        run("SELECT COUNT() AS n FROM devices WHERE deviceId = 'missing'"),
        [json!({"n": 0})]
    );
}

#[test]
fn numeric_aggregates() {
    let rows = run(
        "SELECT SUM(properties.reported.telemetryConfig.sendFrequencyInSecs) AS total, AVG(properties.reported.telemetryConfig.sendFrequencyInSecs) AS mean, MIN(properties.reported.telemetryConfig.sendFrequencyInSecs) AS lo, MAX(deviceId) AS last, MIN(tags.missing) AS none FROM devices WHERE tags.location.region = 'US'",
    );
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["total"], json!(960));
    assert_eq!(rows[0]["mean"].as_f64(), Some(320.0));
    assert_eq!(rows[0]["lo"], json!(60));
    assert_eq!(rows[0]["last"], json!("sensor-02"));
    assert!(rows[0].get("none").is_none());
}

#[test]
fn group_by_with_top_and_where() {
    let rows = run(
        "SELECT TOP 1 tags.location.region, COUNT() AS n FROM devices WHERE properties.reported.telemetryConfig.status != 'Error' GROUP BY tags.location.region",
    );
    assert_eq!(rows, [json!({"region": "US", "n": 2})]);
}

#[test]
fn ungrouped_paths_in_aggregate_queries_are_rejected() {
    let e = err("SELECT deviceId, COUNT() AS n FROM devices");
    assert_eq!(e.position, 7);
    assert!(e.message.contains("GROUP BY"), "{}", e.message);
    let e = err("SELECT * FROM devices GROUP BY tags.x");
    assert_eq!(e.position, 7);
}

/// An aggregate without AS is named `$1`, `$2`… in select-list order, as the hub answers
/// `SELECT COUNT() FROM devices` (what `az iot hub query -q "select count() from devices"` sends).
#[test]
fn unnamed_aggregates_are_numbered() {
    assert_eq!(run("SELECT COUNT() FROM devices"), [json!({"$1": 5})]);
    assert_eq!(
        run("SELECT COUNT() AS n, MIN(deviceId), MAX(deviceId) FROM devices"),
        [json!({"n": 5, "$1": "camera-01", "$2": "sensor-03"})]
    );
}

#[test]
fn group_by_normalises_numbers_and_supports_several_keys() {
    let docs = vec![
        json!({"deviceId": "a", "tags": {"v": 2, "k": "x"}}),
        json!({"deviceId": "b", "tags": {"v": 2.0, "k": "x"}}),
        json!({"deviceId": "c", "tags": {"v": "2", "k": "x"}}),
        json!({"deviceId": "d", "tags": {"v": 2, "k": "y"}}),
    ];
    let q = query::parse("SELECT tags.v, COUNT() AS n FROM devices GROUP BY tags.v").unwrap();
    assert_eq!(
        q.execute(docs.clone()).unwrap(),
        [json!({"v": 2, "n": 3}), json!({"v": "2", "n": 1})]
    );
    let q = query::parse(
        "SELECT tags.k, tags.v AS value, COUNT() AS n FROM devices GROUP BY tags.k, tags.v",
    )
    .unwrap();
    assert_eq!(
        q.execute(docs).unwrap(),
        [
            json!({"k": "x", "value": 2, "n": 2}),
            json!({"k": "x", "value": "2", "n": 1}),
            json!({"k": "y", "value": 2, "n": 1}),
        ]
    );
}

// ---- other collections ----------------------------------------------------------------------------

fn modules() -> Vec<Value> {
    ["d1", "d2", "d3"]
        .iter()
        .enumerate()
        .map(|(i, device)| {
            json!({
                "deviceId": device,
                "moduleId": if i == 1 { "scanner" } else { "camera" },
                "etag": "AAAAAAAAAAE=",
                "version": 2,
                "tags": {},
                "properties": {"desired": {"$version": 1}, "reported": {"status": if i == 2 { "idle" } else { "scanning" }, "$version": 1}}
            })
        })
        .collect()
}

#[test]
fn module_twins() {
    let q = query::parse(
        "SELECT * FROM devices.modules WHERE properties.reported.status = 'scanning' AND deviceId IN ['d1', 'd2']",
    )
    .unwrap();
    assert_eq!(q.source(), Source::Modules);
    assert_eq!(q.item_type(), "twin");
    let rows = q.execute(modules()).unwrap();
    assert_eq!(rows, modules()[..2]);

    let q = query::parse(
        "select deviceId from devices.modules where devices.modules.moduleId = 'camera'",
    )
    .unwrap();
    assert_eq!(q.item_type(), "raw");
    assert_eq!(
        q.execute(modules()).unwrap(),
        [json!({"deviceId": "d1"}), json!({"deviceId": "d3"})]
    );
}

fn job_rows() -> Vec<Value> {
    let row = |device: &str, job: &str, status: &str| {
        json!({
            "deviceId": device, "jobId": job, "jobType": "scheduleDeviceMethod", "status": status,
            "startTimeUtc": "2024-05-04T15:53:00.077Z", "endTimeUtc": "2024-05-04T15:54:00.077Z",
            "createdDateTimeUtc": "2024-05-04T15:53:00.1Z", "lastUpdatedDateTimeUtc": "2024-05-04T15:53:01.1Z",
            "outcome": {"deviceMethodResponse": {"status": 200, "payload": {"ok": true}}}
        })
    };
    vec![
        row("d1", "job01", "completed"),
        row("d2", "job01", "failed"),
        row("d1", "job02", "running"),
    ]
}

#[test]
fn device_jobs_select_star() {
    let q = query::parse("SELECT * FROM devices.jobs WHERE devices.jobs.jobId = 'job01' AND devices.jobs.status = 'completed'").unwrap();
    assert_eq!(q.source(), Source::Jobs);
    assert_eq!(q.item_type(), "deviceJob");
    assert_eq!(q.execute(job_rows()).unwrap(), [job_rows()[0].clone()]);

    let q = query::parse(
        "SELECT * FROM devices.jobs WHERE deviceId = 'd1' AND createdDateTimeUtc > '2024-01-01'",
    )
    .unwrap();
    assert_eq!(q.execute(job_rows()).unwrap().len(), 2);
}

#[test]
fn device_jobs_reject_projections_aggregates_and_grouping() {
    let e = err("SELECT jobId FROM devices.jobs");
    assert_eq!(e.position, 7);
    assert!(e.message.contains("SELECT *"), "{}", e.message);
    let e = err("SELECT TOP 3 COUNT() AS n FROM devices.jobs");
    assert_eq!(e.position, 13);
    let e = err("SELECT * FROM devices.jobs GROUP BY status");
    assert_eq!(e.position, 27);
}

// ---- job conditions -------------------------------------------------------------------------------

#[test]
fn job_query_condition() {
    let all = query::parse_condition(" * ").unwrap();
    assert!(fleet().iter().all(|d| all.matches(d)));

    let some = query::parse_condition("deviceId IN ['sensor-01', 'camera-01']").unwrap();
    let matched: Vec<_> = fleet()
        .into_iter()
        .filter(|d| some.matches(d))
        .map(|d| d["deviceId"].clone())
        .collect();
    assert_eq!(matched, [json!("sensor-01"), json!("camera-01")]);

    let tagged = query::parse_condition(
        "tags.location.region = 'US' AND properties.reported.telemetryConfig.status = 'Success'",
    )
    .unwrap();
    assert_eq!(fleet().iter().filter(|d| tagged.matches(d)).count(), 2);

    let e = query::parse_condition("WHERE deviceId = 'a'").unwrap_err();
    assert_eq!(e.position, 0);
    assert!(query::parse_condition("").is_err());
    assert!(query::parse_condition("deviceId = 'a' GROUP BY x").is_err());
}

#[test]
fn where_condition_is_exposed_and_reusable() {
    let q = query::parse("SELECT * FROM devices WHERE connectionState = 'Connected'").unwrap();
    let condition = q.condition().expect("condition");
    let fleet = fleet();
    assert!(condition.matches(&fleet[0]));
    assert!(!condition.matches(&fleet[1]));
    assert!(!condition.matches(&json!("not an object")));
}

#[test]
fn long_generated_or_chains_are_fine() {
    let ors: Vec<String> = (0..300).map(|i| format!("deviceId = 'd{i}'")).collect();
    let condition = query::parse_condition(&ors.join(" OR ")).unwrap();
    assert!(condition.matches(&json!({"deviceId": "d299"})));
    assert!(!condition.matches(&json!({"deviceId": "d300"})));
}

// ---- errors ---------------------------------------------------------------------------------------

#[test]
fn error_positions_and_messages() {
    let e = err("SELECT * FROM devices WHERE (deviceId = 'a' FROM");
    assert_eq!(e.position, 44);
    assert_eq!(
        e.to_string(),
        "syntax error at position 44: expected ')' but found 'FROM'"
    );

    let e = err("SELECT * FROM devices WHERE deviceId = 'abc");
    assert_eq!(e.position, 39);
    assert!(e.message.contains("unterminated string"), "{}", e.message);

    let e = err("SELECT * WHERE deviceId = 'a'");
    assert_eq!(e.position, 9);
    assert_eq!(e.message, "expected FROM but found 'WHERE'");

    let e = err("SELECT * FROM devices WHERE deviceId # 'a'");
    assert_eq!(e.position, 37);
    assert!(e.message.contains("'#'"), "{}", e.message);

    let e = err("SELECT * FROM devices.twins");
    assert_eq!(e.position, 14);

    let e = err("SELECT * FROM devices WHERE deviceId = 'a' ORDER BY deviceId");
    assert_eq!(e.position, 43);
    assert!(e.message.contains("'ORDER'"), "{}", e.message);

    let e = err("SELECT * FROM devices WHERE tags.x NOT IN ['a']");
    assert!(e.message.contains("NIN"), "{}", e.message);

    let e = err("SELECT * FROM devices WHERE a = 1 = 1");
    assert_eq!(e.position, 34);

    let e = err(r"SELECT * FROM devices WHERE deviceId = 'a\n'");
    assert_eq!(e.position, 41);

    let e = err("SELECT * FROM devices WHERE NOSUCH(deviceId)");
    assert_eq!(e.position, 28);
    assert!(e.message.contains("NOSUCH"), "{}", e.message);

    let e = err("SELECT * FROM devices WHERE COUNT() > 1");
    assert!(e.message.contains("SELECT list"), "{}", e.message);

    let e = err("SELECT * FROM devices WHERE STARTSWITH(deviceId)");
    assert!(e.message.contains("2 arguments"), "{}", e.message);

    let e = err("SELECT * FROM devices WHERE deviceId = ['a']");
    assert_eq!(e.position, 39);

    let e = err("SELECT * FROM devices WHERE version = 0x");
    assert_eq!(e.position, 38);

    let e = err("SELECT TOP -1 * FROM devices");
    assert_eq!(e.position, 11);

    let e = err("");
    assert_eq!(e.message, "expected SELECT but found end of query");
}

#[test]
fn positions_count_characters_not_bytes() {
    let q = "SELECT * FROM devices WHERE tags.city = 'café' AND )";
    let e = err(q);
    assert_eq!(e.position, q.chars().position(|c| c == ')').unwrap());
}

#[test]
fn line_and_column() {
    let q = "SELECT *\nFROM devices\nWHERE (deviceId = 'a'";
    let e = err(q);
    assert_eq!(e.line_column(q), (3, 22));
    assert_eq!(e.message, "expected ')' but found end of query");
}

#[test]
fn query_length_is_limited() {
    let long = format!(
        "SELECT * FROM devices WHERE deviceId = '{}'",
        "x".repeat(8200)
    );
    let e = err(&long);
    assert_eq!(e.position, 8192);
    let just_fits = format!(
        "SELECT * FROM devices WHERE deviceId = '{}'",
        "x".repeat(8192 - 41)
    );
    assert_eq!(just_fits.chars().count(), 8192);
    assert!(query::parse(&just_fits).is_ok());
}

#[test]
fn deep_nesting_is_rejected_without_crashing() {
    for opener in ["(", "NOT ", "-", "IS_DEFINED("] {
        let q = format!(
            "SELECT * FROM devices WHERE {}1",
            opener.repeat(8000 / opener.len())
        );
        let e = err(&q);
        assert!(
            e.message.contains("nests deeper"),
            "{opener}: {}",
            e.message
        );
    }
    let ok = format!(
        "SELECT * FROM devices WHERE {}deviceId = 'camera-01'{}",
        "(".repeat(MAX_DEPTH - 2),
        ")".repeat(MAX_DEPTH - 2)
    );
    assert_eq!(ids(&ok), ["camera-01"]);
    let too_deep = format!(
        "SELECT * FROM devices WHERE {}deviceId = 'camera-01'{}",
        "(".repeat(MAX_DEPTH),
        ")".repeat(MAX_DEPTH)
    );
    assert!(query::parse(&too_deep).is_err());
}

// ---- robustness -----------------------------------------------------------------------------------

fn token_soup() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "SELECT",
        "TOP",
        "5",
        "*",
        "FROM",
        "devices",
        ".",
        "modules",
        "jobs",
        "WHERE",
        "GROUP",
        "BY",
        "AS",
        "AND",
        "OR",
        "NOT",
        "IN",
        "NIN",
        "(",
        ")",
        "[",
        "]",
        "[[",
        "]]",
        ",",
        "=",
        "!=",
        "<>",
        "<",
        ">",
        "<=",
        ">=",
        "+",
        "-",
        "/",
        "%",
        "'x'",
        "\"y\"",
        "'\\u00e9'",
        "'\\'",
        "0x1F",
        "1.5e3",
        "null",
        "undefined",
        "true",
        "IS_DEFINED",
        "STARTSWITH",
        "ENDSWITH",
        "COUNT",
        "AVG",
        "SUM",
        "MIN",
        "MAX",
        "deviceId",
        "tags",
        "properties",
        "reported",
        "$version",
        "region",
        "é",
        "\n",
        "'",
        "\\",
    ]);
    prop::collection::vec(pieces, 0..40).prop_map(|parts| parts.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn parser_never_panics_on_arbitrary_strings(text in any::<String>()) {
        if let Err(e) = query::parse(&text) {
            prop_assert!(e.position <= text.chars().count());
        }
        let _ = query::parse_condition(&text);
    }

    #[test]
    fn token_soup_never_panics_and_parsed_queries_execute(text in token_soup()) {
        match query::parse(&text) {
            Ok(q) => {
                let rows = q.execute(fleet()).unwrap();
                // Five documents give at most five rows (or one aggregate row), and TOP caps them.
                prop_assert!(rows.len() <= 5);
                if let Some(top) = q.top() {
                    prop_assert!(rows.len() as u64 <= top);
                }
            }
            Err(e) => prop_assert!(e.position <= text.chars().count()),
        }
        let _ = query::parse_condition(&text).map(|c| fleet().iter().filter(|d| c.matches(d)).count());
    }
}
