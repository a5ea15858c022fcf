"""Scenarios that drive the local IoT Hub with the official Azure IoT Python SDKs.

Each subcommand prints one JSON line on stdout describing what it observed and exits 0, or prints
the failure on stderr and exits 1. The Rust driver (tests/tests/interop.rs) starts the hub and
checks the JSON. Environment:
  IOTHUB_CONNECTION_STRING  service (iothubowner) connection string of the hub under test
  DMCTL_CA_FILE             path of the hub's ca.pem (also set REQUESTS_CA_BUNDLE for the service SDK)
"""

import base64
import json
import os
import secrets
import sys
import threading
import time
import traceback
import uuid

from azure.iot.device import IoTHubDeviceClient, MethodResponse
from azure.iot.hub import IoTHubJobManager, IoTHubRegistryManager
from azure.iot.hub.models import CloudToDeviceMethod, JobProperties, JobRequest, QuerySpecification
from msrest.exceptions import HttpOperationError

SERVICE_CS = os.environ["IOTHUB_CONNECTION_STRING"]
CA_PEM = open(os.environ["DMCTL_CA_FILE"]).read()
HOST = dict(p.split("=", 1) for p in SERVICE_CS.split(";"))["HostName"]


def out(**fields):
    print(json.dumps(fields), flush=True)


def fail(message):
    print(f"interop.py: {message}", file=sys.stderr, flush=True)
    sys.exit(1)


def registry():
    return IoTHubRegistryManager.from_connection_string(SERVICE_CS)


def new_key():
    return base64.b64encode(secrets.token_bytes(32)).decode()


def create_device(rm, device_id):
    key = new_key()
    rm.create_device_with_sas(device_id, key, new_key(), "enabled")
    return f"HostName={HOST};DeviceId={device_id};SharedAccessKey={key}"


def device_client(cs, websockets=False):
    # The Python device SDK dials 8883 (MQTT/TLS) or 443 (WebSocket) on HostName (localhost) and
    # checks the certificate against the PEM string it is given.
    client = IoTHubDeviceClient.create_from_connection_string(
        cs,
        server_verification_cert=CA_PEM,
        websockets=websockets,
        connection_retry=False,
    )
    client.connect()
    return client


def http_error_body(err):
    response = getattr(err, "response", None)
    status = getattr(response, "status_code", None)
    text = getattr(response, "text", "") or ""
    return status, text


def scenario_registry():
    rm = registry()
    device_id = f"py-reg-{uuid.uuid4().hex[:8]}"
    created = rm.create_device_with_sas(device_id, "", "", "enabled")
    if not created.authentication.symmetric_key.primary_key:
        fail("the hub did not generate keys for a device created with empty keys")
    got = rm.get_device(device_id)
    updated = rm.update_device_with_sas(device_id, got.etag, "", "", "disabled")
    listed = [d.device_id for d in rm.get_devices(1000)]
    rm.delete_device(device_id)
    try:
        rm.get_device(device_id)
        fail("a deleted device can still be read")
    except HttpOperationError as err:
        status, _ = http_error_body(err)
    out(
        created=created.device_id,
        status_after_update=updated.status,
        listed=device_id in listed,
        deleted_status=status,
        etag_changed=got.etag != updated.etag,
    )


def scenario_twin(websockets):
    rm = registry()
    device_id = f"py-twin-{uuid.uuid4().hex[:8]}"
    cs = create_device(rm, device_id)
    client = device_client(cs, websockets)
    received = threading.Event()
    patches = []

    def on_patch(patch):
        patches.append(patch)
        received.set()

    client.on_twin_desired_properties_patch_received = on_patch
    twin = client.get_twin()
    client.patch_twin_reported_properties({"fw": "1.0", "temp": 21})
    service_twin = rm.get_twin(device_id)
    from azure.iot.hub.models import Twin, TwinProperties

    rm.update_twin(device_id, Twin(properties=TwinProperties(desired={"interval": 5})), service_twin.etag)
    if not received.wait(20):
        fail("no desired-properties patch reached the device")
    after = rm.get_twin(device_id)
    client.shutdown()
    rm.delete_device(device_id)
    out(
        websockets=websockets,
        initial_desired_version=twin["desired"]["$version"],
        reported_seen_by_service=after.properties.reported.get("fw"),
        desired_patch=patches[0],
        connection_state=after.connection_state,
    )


def scenario_method():
    rm = registry()
    device_id = f"py-method-{uuid.uuid4().hex[:8]}"
    cs = create_device(rm, device_id)
    client = device_client(cs)

    def on_method(request):
        payload = {"echo": request.payload, "name": request.name}
        client.send_method_response(MethodResponse.create_from_method_request(request, 201, payload))

    client.on_method_request_received = on_method
    time.sleep(0.5)
    result = rm.invoke_device_method(
        device_id,
        CloudToDeviceMethod(method_name="dm.info", payload={"x": 1}, response_timeout_in_seconds=10),
    )
    client.shutdown()
    rm.delete_device(device_id)
    out(status=result.status, payload=result.payload)


def scenario_method_errors():
    rm = registry()
    offline_id = f"py-off-{uuid.uuid4().hex[:8]}"
    create_device(rm, offline_id)
    try:
        rm.invoke_device_method(offline_id, CloudToDeviceMethod(method_name="m", payload={}))
        fail("a method on an offline device succeeded")
    except HttpOperationError as err:
        offline_status, offline_body = http_error_body(err)

    silent_id = f"py-silent-{uuid.uuid4().hex[:8]}"
    cs = create_device(rm, silent_id)
    client = device_client(cs)
    client.on_method_request_received = lambda request: None  # subscribed, never answers
    time.sleep(0.5)
    try:
        rm.invoke_device_method(
            silent_id, CloudToDeviceMethod(method_name="m", payload={}, response_timeout_in_seconds=5)
        )
        fail("a method nobody answered succeeded")
    except HttpOperationError as err:
        timeout_status, timeout_body = http_error_body(err)
    client.shutdown()
    rm.delete_device(offline_id)
    rm.delete_device(silent_id)
    out(
        offline_status=offline_status,
        offline_body=offline_body,
        timeout_status=timeout_status,
        timeout_body=timeout_body,
    )


def scenario_query():
    rm = registry()
    tag = uuid.uuid4().hex[:8]
    ids = [f"py-q-{tag}-{i}" for i in range(5)]
    from azure.iot.hub.models import Twin

    for device_id in ids:
        create_device(rm, device_id)
        rm.update_twin(device_id, Twin(tags={"batch": tag}), "*")
    seen, pages, token = [], 0, None
    while True:
        result = rm.query_iot_hub(
            QuerySpecification(query=f"SELECT * FROM devices WHERE tags.batch = '{tag}'"), token, 2
        )
        pages += 1
        seen.extend(item.device_id for item in result.items)
        token = result.continuation_token
        if not token:
            break
        if pages > 10:
            fail("query paging did not end")
    for device_id in ids:
        rm.delete_device(device_id)
    out(pages=pages, seen=sorted(seen), expected=sorted(ids))


def scenario_job():
    rm = registry()
    jobs = IoTHubJobManager.from_connection_string(SERVICE_CS)
    tag = uuid.uuid4().hex[:8]
    ids = [f"py-job-{tag}-{i}" for i in range(3)]
    clients, calls = [], []
    for device_id in ids:
        cs = create_device(rm, device_id)
        client = device_client(cs)

        def on_method(request, client=client, device_id=device_id):
            calls.append(device_id)
            client.send_method_response(MethodResponse.create_from_method_request(request, 200, {"ok": True}))

        client.on_method_request_received = on_method
        clients.append(client)
    time.sleep(0.5)
    job_id = f"job-{tag}"
    request = JobRequest(
        job_id=job_id,
        type="scheduleDeviceMethod",
        start_time=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        max_execution_time_in_seconds=60,
        cloud_to_device_method=CloudToDeviceMethod(
            method_name="dm.reportAll", payload={}, response_timeout_in_seconds=10, connect_timeout_in_seconds=5
        ),
        query_condition="deviceId IN [" + ",".join(f"'{d}'" for d in ids) + "]",
    )
    created = jobs.create_scheduled_job(job_id, request)
    deadline = time.time() + 60
    job = created
    while time.time() < deadline:
        job = jobs.get_scheduled_job(job_id)
        if job.status in ("completed", "failed", "cancelled"):
            break
        time.sleep(0.5)
    for client in clients:
        client.shutdown()
    for device_id in ids:
        rm.delete_device(device_id)
    stats = job.device_job_statistics
    out(
        created_status=created.status,
        status=job.status,
        device_count=stats.device_count,
        succeeded=stats.succeeded_count,
        called=sorted(calls),
        expected=sorted(ids),
    )


SCENARIOS = {
    "registry": scenario_registry,
    "twin-mqtt": lambda: scenario_twin(False),
    "twin-ws": lambda: scenario_twin(True),
    "method": scenario_method,
    "method-errors": scenario_method_errors,
    "query": scenario_query,
    "job": scenario_job,
}

if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in SCENARIOS:
        fail(f"usage: interop.py {{{'|'.join(SCENARIOS)}}}")
    # Each scenario ends by itself; this guards against a hang in an SDK.
    watchdog = threading.Timer(90, lambda: os._exit(3))
    watchdog.daemon = True
    watchdog.start()
    try:
        SCENARIOS[sys.argv[1]]()
    except SystemExit:
        raise
    except Exception:  # noqa: BLE001 - report any SDK failure with its trace
        traceback.print_exc()
        sys.exit(1)
    sys.stdout.flush()
    os._exit(0)
