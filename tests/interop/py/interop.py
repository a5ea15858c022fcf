"""Scenarios that drive an IoT hub (normally the local emulator) with the official Azure IoT
Python SDKs, so that what the SDKs actually send and accept is checked, not what we believe they do.

Usage: python interop.py <scenario>   (run without arguments for the list)
Each scenario prints one JSON line on stdout with what it observed and exits 0, or prints the
failure on stderr and exits 1 (2 for a usage or environment error, 3 when it ran out of time).

Environment:
  IOTHUB_CONNECTION_STRING  service connection string with registry and service rights
  DMCTL_CA_FILE             PEM file of the CA that signed the hub's certificate
  REQUESTS_CA_BUNDLE        must name the same file: it is how the service SDK (msrest/requests)
                            trusts a private CA (protocol reference §F)
  IOTHUB_GATEWAY_HOST       host devices dial; the device SDK always uses port 8883, or 443 with
                            websockets (default: localhost)
  DMCTL_BULK_EXPORT_URI     (bulk) container SAS URI (read, write) the export job writes to and
                            the import job writes importErrors.log to
  DMCTL_BULK_IMPORT_URI     (bulk) container SAS URI (read, write) the import file is put in
  INTEROP_TIMEOUT_SECS      give up after this long (default: 60)
"""

import base64
import hashlib
import json
import os
import secrets
import ssl
import sys
import threading
import time
import traceback
import uuid
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

SCRIPT = "interop.py"


def die(code, message):
    print(f"{SCRIPT}: {message}", file=sys.stderr, flush=True)
    # os._exit: SDK threads (paho loops, uamqp) can otherwise keep the process alive.
    os._exit(code)


try:
    from azure.iot.device import IoTHubDeviceClient, MethodResponse
    from azure.iot.hub import IoTHubJobManager, IoTHubRegistryManager
    from azure.iot.hub.models import (
        CloudToDeviceMethod,
        JobProperties,
        JobRequest,
        QuerySpecification,
        Twin,
        TwinProperties,
    )
    from azure.storage.blob import BlobClient
    from msrest.exceptions import DeserializationError, HttpOperationError
except ImportError as err:
    die(2, f"the Python SDKs are not importable ({err}); run tests/interop/setup.sh and use target/interop/venv/bin/python")


def env(name):
    value = os.environ.get(name)
    if not value:
        die(2, f"{name} is not set (see the docstring of {__file__})")
    return value


# Set by configure() once the arguments are known to be right.
SERVICE_CS = CA_FILE = CA_PEM = GATEWAY = HOST = None


def configure():
    global SERVICE_CS, CA_FILE, CA_PEM, GATEWAY, HOST  # noqa: PLW0603 - read once, used by every scenario
    SERVICE_CS = env("IOTHUB_CONNECTION_STRING")
    CA_FILE = env("DMCTL_CA_FILE")
    try:
        with open(CA_FILE, encoding="utf-8") as ca_file:
            CA_PEM = ca_file.read()
    except OSError as err:
        die(2, f"cannot read DMCTL_CA_FILE: {err}")
    GATEWAY = os.environ.get("IOTHUB_GATEWAY_HOST") or "localhost"
    fields = dict(part.split("=", 1) for part in SERVICE_CS.split(";") if "=" in part)
    HOST = fields.get("HostName") or die(2, "the service connection string has no HostName")


def out(**fields):
    print(json.dumps(fields), flush=True)


def suffix():
    return uuid.uuid4().hex[:8]


def new_key():
    return base64.b64encode(secrets.token_bytes(32)).decode()


def registry():
    return IoTHubRegistryManager.from_connection_string(SERVICE_CS)


def create_device(rm, device_id):
    key = new_key()
    rm.create_device_with_sas(device_id, key, new_key(), "enabled")
    # create_from_connection_string refuses the gateway_hostname kwarg; the string carries it.
    return f"HostName={HOST};DeviceId={device_id};SharedAccessKey={key};GatewayHostName={GATEWAY}"


def connect_device(cs, websockets=False):
    client = IoTHubDeviceClient.create_from_connection_string(
        cs,
        # A PEM string, not a path; the SDK checks the certificate's name against the gateway host.
        server_verification_cert=CA_PEM,
        websockets=websockets,
        # Fail fast on a refused connection instead of retrying in the background.
        connection_retry=False,
    )
    client.connect()
    return client


def describe_error(err):
    """What a failed service call tells its caller: the SDK's error class, the HTTP status and
    the hub's error code (nested as a JSON string in `Message` for method errors, §B.3)."""
    response = getattr(err, "response", None)
    error_code = None
    try:
        error_code = json.loads(json.loads(response.text)["Message"])["errorCode"]
    except (AttributeError, KeyError, TypeError, ValueError):
        pass  # registry errors carry `ErrorCode:Name;text` instead
    return {"error": type(err).__name__, "status": getattr(response, "status_code", None), "errorCode": error_code}


def expect_failure(what, call):
    try:
        call()
    except HttpOperationError as err:
        return describe_error(err)
    die(1, f"{what} succeeded but should have failed")
    return None


def scenario_registry():
    rm = registry()
    device_id = f"py-reg-{suffix()}"
    # Empty keys ask the hub to generate them, as the SDK's own samples do.
    created = rm.create_device_with_sas(device_id, "", "", "enabled")
    got = rm.get_device(device_id)
    updated = rm.update_device_with_sas(device_id, got.etag, "", "", "disabled")
    listed = [d.device_id for d in rm.get_devices(1000)]
    rm.delete_device(device_id)
    after_delete = expect_failure("reading a deleted device", lambda: rm.get_device(device_id))
    out(
        created=created.device_id,
        generatedKey=bool(created.authentication.symmetric_key.primary_key),
        statusAfterUpdate=updated.status,
        etagChanged=got.etag != updated.etag,
        listed=device_id in listed,
        afterDelete=after_delete,
    )


def scenario_twin(websockets):
    rm = registry()
    device_id = f"py-twin-{suffix()}"
    client = connect_device(create_device(rm, device_id), websockets)
    received = threading.Event()
    patches = []

    def on_patch(patch):
        patches.append(patch)
        received.set()

    # Setting the handler returns once the hub acknowledged the subscription.
    client.on_twin_desired_properties_patch_received = on_patch
    twin = client.get_twin()
    client.patch_twin_reported_properties({"fw": "1.0", "temp": 21})
    before = rm.get_twin(device_id)
    rm.update_twin(device_id, Twin(properties=TwinProperties(desired={"interval": 5})), before.etag)
    if not received.wait(20):
        die(1, "no desired-properties notification reached the device within 20 s")
    after = rm.get_twin(device_id)
    client.shutdown()
    rm.delete_device(device_id)
    out(
        websockets=websockets,
        initialDesiredVersion=twin["desired"]["$version"],
        reportedSeenByService=after.properties.reported.get("fw"),
        desiredPatch=patches[0],
        connectionState=after.connection_state,
    )


def scenario_method():
    rm = registry()
    device_id = f"py-method-{suffix()}"
    client = connect_device(create_device(rm, device_id))

    def on_method(request):
        payload = {"echo": request.payload, "name": request.name}
        client.send_method_response(MethodResponse.create_from_method_request(request, 201, payload))

    client.on_method_request_received = on_method
    result = rm.invoke_device_method(
        device_id,
        CloudToDeviceMethod(method_name="dm.info", payload={"x": 1}, response_timeout_in_seconds=10),
    )
    client.shutdown()
    rm.delete_device(device_id)
    out(status=result.status, payload=result.payload)


def scenario_method_errors():
    rm = registry()
    offline_id = f"py-off-{suffix()}"
    create_device(rm, offline_id)
    offline = expect_failure(
        "a method on an offline device",
        lambda: rm.invoke_device_method(offline_id, CloudToDeviceMethod(method_name="m", payload={})),
    )

    silent_id = f"py-silent-{suffix()}"
    client = connect_device(create_device(rm, silent_id))
    client.on_method_request_received = lambda request: None  # subscribed, never answers
    timeout = expect_failure(
        "a method nobody answers",
        lambda: rm.invoke_device_method(
            silent_id, CloudToDeviceMethod(method_name="m", payload={}, response_timeout_in_seconds=5)
        ),
    )
    client.shutdown()
    rm.delete_device(offline_id)
    rm.delete_device(silent_id)
    out(offline=offline, timeout=timeout)


def scenario_query():
    rm = registry()
    batch = suffix()
    ids = [f"py-q-{batch}-{i}" for i in range(5)]
    for device_id in ids:
        create_device(rm, device_id)
        rm.update_twin(device_id, Twin(tags={"batch": batch}), "*")
    spec = QuerySpecification(query=f"SELECT * FROM devices WHERE tags.batch = '{batch}'")
    seen, pages, token = [], 0, None
    while True:
        pages += 1
        if pages > 10:
            die(1, "query paging did not end after 10 pages")
        result = rm.query_iot_hub(spec, token, 2)
        seen.extend(item.device_id for item in result.items)
        token = result.continuation_token
        if not token:
            break
    for device_id in ids:
        rm.delete_device(device_id)
    out(pages=pages, seen=sorted(seen), expected=sorted(ids))


def scenario_job():
    rm = registry()
    jobs = IoTHubJobManager.from_connection_string(SERVICE_CS)
    batch = suffix()
    ids = [f"py-job-{batch}-{i}" for i in range(3)]
    clients, called = [], []
    for device_id in ids:
        client = connect_device(create_device(rm, device_id))

        def on_method(request, client=client, device_id=device_id):
            called.append(device_id)
            client.send_method_response(MethodResponse.create_from_method_request(request, 200, {"ok": True}))

        client.on_method_request_received = on_method
        clients.append(client)
    job_id = f"py-job-{batch}"
    request = JobRequest(
        job_id=job_id,
        type="scheduleDeviceMethod",
        start_time=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        max_execution_time_in_seconds=60,
        cloud_to_device_method=CloudToDeviceMethod(
            method_name="dm.reportAll", payload={}, response_timeout_in_seconds=10, connect_timeout_in_seconds=10
        ),
        query_condition="deviceId IN [" + ",".join(f"'{d}'" for d in ids) + "]",
    )
    created = jobs.create_scheduled_job(job_id, request)
    job = created
    deadline = time.monotonic() + 30
    while job.status not in ("completed", "failed", "cancelled"):
        if time.monotonic() > deadline:
            die(1, f"job {job_id} still {job.status} after 30 s")
        time.sleep(0.5)
        job = jobs.get_scheduled_job(job_id)
    # §0 #14: the service answers the jobs query with a JSON array, which this helper cannot
    # deserialize; record what happens so a change on either side is noticed.
    try:
        jobs.query_scheduled_jobs("scheduleDeviceMethod", None)
        job_query_helper = "ok"
    except DeserializationError:
        job_query_helper = "DeserializationError"
    for client in clients:
        client.shutdown()
    for device_id in ids:
        rm.delete_device(device_id)
    stats = job.device_job_statistics
    out(
        createdStatus=created.status,
        status=job.status,
        deviceCount=stats.device_count if stats else None,
        succeeded=stats.succeeded_count if stats else None,
        called=sorted(called),
        expected=sorted(ids),
        jobQueryHelper=job_query_helper,
    )


# Bytes every file-upload scenario sends: a fixed pattern (not random) so a failure can be
# reproduced byte for byte, and long enough (300 KiB) to need several 64 KiB blocks.
UPLOAD_SIZE = 300 * 1024
UPLOAD_BLOCK = 64 * 1024


def upload_payload():
    return bytes((i * 7 + i // 251) % 256 for i in range(UPLOAD_SIZE))


def storage_operation(method, url):
    """The Blob REST operation a request is, named as in the storage docs, so both languages
    report what went over the wire the same way."""
    comp = parse_qs(urlsplit(url).query).get("comp", [None])[0]
    names = {
        ("PUT", None): "PutBlob",
        ("PUT", "block"): "PutBlock",
        ("PUT", "blocklist"): "PutBlockList",
        ("GET", None): "GetBlob",
        ("HEAD", None): "GetBlobProperties",
    }
    return names.get((method, comp), f"{method} comp={comp}")


def scenario_file_upload():
    rm = registry()
    device_id = f"py-file-{suffix()}"
    # File upload is plain HTTPS to the hub: no MQTT connection is needed.
    client = IoTHubDeviceClient.create_from_connection_string(
        create_device(rm, device_id), server_verification_cert=CA_PEM, connection_retry=False
    )
    data = upload_payload()
    uploads = []
    # Once with the storage SDK's defaults (300 KiB is under its 64 MiB single-put limit), once
    # with both limits at 64 KiB so it stages blocks and commits a block list.
    for mode, limits in (("single", {}), ("blocks", {"max_single_put_size": UPLOAD_BLOCK, "max_block_size": UPLOAD_BLOCK})):
        info = client.get_storage_info_for_blob(f"interop/py-{suffix()}.bin")
        url = f"https://{info['hostName']}/{info['containerName']}/{info['blobName']}{info['sasToken']}"
        wire = []

        def record(response, wire=wire):
            request = response.http_request
            wire.append(storage_operation(request.method, request.url))

        # connection_verify: the storage SDK trusts the hub's CA through this path, not the PEM.
        blob = BlobClient.from_blob_url(url, connection_verify=CA_FILE, raw_response_hook=record, **limits)
        blob.upload_blob(data, blob_type="BlockBlob")
        read_back = blob.download_blob().readall()
        client.notify_blob_upload_status(info["correlationId"], True, 201, f"uploaded by azure-storage-blob ({mode})")
        uploads.append(
            {
                "mode": mode,
                "correlationId": info["correlationId"],
                "blobName": info["blobName"],
                "containerName": info["containerName"],
                "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
                "readBackMatched": read_back == data,
                "wire": wire,
            }
        )
    client.shutdown()
    # The hub keeps the uploads of a deleted device, so the test can still check them.
    rm.delete_device(device_id)
    out(deviceId=device_id, uploads=uploads)


def blob_url(container_uri, blob):
    """The URL of `blob` in the container a container SAS URI names (the SAS goes along)."""
    base, _, sas = container_uri.partition("?")
    return f"{base.rstrip('/')}/{blob}?{sas}"


def storage_request(method, url, data=None, headers=None):
    """One plain HTTPS request to the hub's storage: no storage SDK is installed for the service
    side, and a bulk user needs nothing more than Get Blob and Put Blob. urllib ignores
    REQUESTS_CA_BUNDLE, so the CA is given here."""
    context = ssl.create_default_context(cafile=CA_FILE)
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, context=context, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def wait_import_export_job(jobs, job_id):
    job = jobs.get_import_export_job(job_id)
    deadline = time.monotonic() + 30
    while job.status not in ("completed", "failed", "cancelled"):
        if time.monotonic() > deadline:
            die(1, f"import/export job {job_id} still {job.status} after 30 s")
        time.sleep(0.5)
        job = jobs.get_import_export_job(job_id)
    return job


def scenario_bulk():
    """Export the registry to a container, delete the devices, import them back from the
    exported lines: the keys and tags must survive the round trip."""
    export_uri = env("DMCTL_BULK_EXPORT_URI")
    import_uri = env("DMCTL_BULK_IMPORT_URI")
    rm = registry()
    jobs = IoTHubJobManager.from_connection_string(SERVICE_CS)
    batch = suffix()
    ids = [f"py-bulk-{batch}-{i}" for i in range(3)]
    keys = {}
    for i, device_id in enumerate(ids):
        primary, secondary = new_key(), new_key()
        rm.create_device_with_sas(device_id, primary, secondary, "enabled")
        rm.update_twin(device_id, Twin(tags={"batch": batch, "shelf": f"s{i}"}), "*")
        keys[device_id] = (primary, secondary)

    created = jobs.create_import_export_job(
        JobProperties(type="export", output_blob_container_uri=export_uri, exclude_keys_in_export=False)
    )
    exported_job = wait_import_export_job(jobs, created.job_id)
    status, body = storage_request("GET", blob_url(export_uri, "devices.txt"))
    if status != 200:
        die(1, f"reading devices.txt from the export container answered {status}: {body[:300]!r}")
    exported = {}
    for line in body.decode("utf-8").splitlines():
        if line.strip():
            device = json.loads(line)
            if device.get("id") in keys:
                exported[device["id"]] = device
    exported_keys = all(
        (exported[d].get("authentication") or {}).get("symmetricKey", {}).get("primaryKey") == keys[d][0]
        for d in exported
    )
    exported_tags = all(exported[d].get("tags") == {"batch": batch, "shelf": f"s{i}"} for i, d in enumerate(ids) if d in exported)

    for device_id in ids:
        rm.delete_device(device_id)
    gone = [expect_failure("reading a deleted device", lambda d=device_id: rm.get_device(d))["status"] for device_id in ids]

    lines = [json.dumps({**exported[d], "importMode": "createOrUpdate"}) for d in ids if d in exported]
    status, body = storage_request(
        "PUT",
        blob_url(import_uri, "devices.txt"),
        data=("\n".join(lines) + "\n").encode("utf-8"),
        headers={"x-ms-blob-type": "BlockBlob", "Content-Type": "text/plain"},
    )
    if status != 201:
        die(1, f"writing devices.txt to the import container answered {status}: {body[:300]!r}")
    import_created = jobs.create_import_export_job(
        JobProperties(type="import", input_blob_container_uri=import_uri, output_blob_container_uri=export_uri)
    )
    imported_job = wait_import_export_job(jobs, import_created.job_id)
    listed = [j.job_id for j in jobs.get_import_export_jobs()]

    keys_match, tags_match = True, True
    for i, device_id in enumerate(ids):
        device = rm.get_device(device_id)
        symmetric = device.authentication.symmetric_key
        keys_match &= (symmetric.primary_key, symmetric.secondary_key) == keys[device_id]
        tags_match &= rm.get_twin(device_id).tags == {"batch": batch, "shelf": f"s{i}"}
        rm.delete_device(device_id)
    out(
        exportCreated={"type": created.type, "status": created.status, "excludeKeys": created.exclude_keys_in_export},
        exportStatus=exported_job.status,
        exportProgress=exported_job.progress,
        exportFailure=exported_job.failure_reason,
        exportedIds=sorted(exported),
        expected=sorted(ids),
        exportedKeys=exported_keys,
        exportedTags=exported_tags,
        afterDelete=gone,
        importCreated={"type": import_created.type, "status": import_created.status},
        importStatus=imported_job.status,
        importProgress=imported_job.progress,
        importFailure=imported_job.failure_reason,
        importedKeys=keys_match,
        importedTags=tags_match,
        listed=created.job_id in listed and import_created.job_id in listed,
    )


def scenario_agent():
    """The Python service SDK drives a real dm-agent (sandbox providers) through the hub: a typed
    method, an unknown one, a malformed payload, and a desired-property change it must converge on."""
    from azure.iot.hub.models import Twin, TwinProperties

    rm = registry()
    device_id = env("DMCTL_AGENT_DEVICE")

    def call(name, payload):
        return rm.invoke_device_method(
            device_id,
            CloudToDeviceMethod(method_name=name, payload=payload, response_timeout_in_seconds=15),
        )

    info = call("dm.info.get", {})
    unknown = call("dm.nope", {})
    bad = call("dm.reboot", {"delaySeconds": "soon"})
    twin = rm.get_twin(device_id)
    desired = {"dm": {"time": {"timeZone": "Europe/Paris", "ntpServers": ["ntp.example.org"]}}}
    rm.update_twin(device_id, Twin(properties=TwinProperties(desired=desired)), twin.etag)
    reported_zone, deadline = None, time.time() + 30
    while time.time() < deadline:
        reported = rm.get_twin(device_id).properties.reported or {}
        reported_zone = reported.get("dm", {}).get("time", {}).get("timeZone")
        if reported_zone == "Europe/Paris":
            break
        time.sleep(0.3)
    agent = (twin.properties.reported or {}).get("dm", {}).get("agent", {})
    out(
        info_status=info.status,
        agent_version=(info.payload or {}).get("agentVersion"),
        unknown_status=unknown.status,
        bad_status=bad.status,
        bad_code=(bad.payload or {}).get("code"),
        contract_version=agent.get("contractVersion"),
        reported_time_zone=reported_zone,
    )


SCENARIOS = {
    "registry": scenario_registry,
    "twin-mqtt": lambda: scenario_twin(False),
    "twin-ws": lambda: scenario_twin(True),
    "method": scenario_method,
    "method-errors": scenario_method_errors,
    "query": scenario_query,
    "job": scenario_job,
    "file-upload": scenario_file_upload,
    "bulk": scenario_bulk,
    "agent": scenario_agent,
}


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in SCENARIOS:
        die(2, f"usage: python {SCRIPT} <{'|'.join(SCENARIOS)}>")
    name = sys.argv[1]
    configure()
    seconds = float(os.environ.get("INTEROP_TIMEOUT_SECS") or 60)
    # A hung SDK call must not hang the test run.
    watchdog = threading.Timer(seconds, lambda: die(3, f"{name}: no result after {seconds:g} s"))
    watchdog.daemon = True
    watchdog.start()
    try:
        SCENARIOS[name]()
    except Exception as err:  # any SDK failure: keep the trace for debugging, end with a summary
        traceback.print_exc()
        response = getattr(err, "response", None)
        body = f" (HTTP {response.status_code}: {response.text})" if response is not None else ""
        die(1, f"{name} failed: {type(err).__name__}: {err}{body}")
    sys.stdout.flush()
    os._exit(0)  # as in die(): SDK threads must not keep the process alive


if __name__ == "__main__":
    main()
