"""The baseline of dmctl's fleet benchmark: the simplest script an operator would write with the
official Python service SDK (azure-iot-hub), one call after the other.

    python sdk_loop.py info   CONDITION [LIMIT]  # dm.info.get on every device the condition matches
    python sdk_loop.py reboot CONDITION [LIMIT]  # dm.reboot, then poll the twin until the operation ends

CONDITION is a query condition without WHERE, or `*` for every device; LIMIT takes only the first
LIMIT devices found.

Environment: IOTHUB_CONNECTION_STRING (service policy) and REQUESTS_CA_BUNDLE (the local hub's
CA, protocol reference section F). Prints one JSON line: mode, devices, ok, seconds.
"""

import json
import os
import sys
import time

from azure.iot.hub import IoTHubRegistryManager
from azure.iot.hub.models import CloudToDeviceMethod, QuerySpecification

# Operation states after which nothing changes any more (dm contract).
PENDING = ("pending", "running", "postponed")


def device_ids(registry, condition):
    where = "" if condition == "*" else f" WHERE {condition}"
    query = QuerySpecification(query=f"SELECT deviceId FROM devices{where}")
    ids, token = [], None
    while True:
        page = registry.query_iot_hub(query, token, 1000)
        # Rows come back as Twin objects (the SDK reads every query page as twins).
        ids += [row.device_id for row in page.items]
        token = page.continuation_token
        if not token:
            return ids


def info(registry, device_id):
    call = CloudToDeviceMethod(method_name="dm.info.get", payload={}, response_timeout_in_seconds=30)
    return registry.invoke_device_method(device_id, call).status == 200


def reboot(registry, device_id):
    call = CloudToDeviceMethod(method_name="dm.reboot", payload={"reason": "bench"}, response_timeout_in_seconds=30)
    answer = registry.invoke_device_method(device_id, call)
    if answer.status != 202:
        return False
    operation = answer.payload["operationId"]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        reported = registry.get_twin(device_id).properties.reported
        envelope = reported.get("dm", {}).get("reboot", {}).get("operations", {}).get(operation)
        if envelope and envelope.get("state") not in PENDING:
            return envelope.get("state") == "succeeded"
        time.sleep(0.5)
    return False


def main():
    mode, condition = sys.argv[1], sys.argv[2]
    registry = IoTHubRegistryManager.from_connection_string(os.environ["IOTHUB_CONNECTION_STRING"])
    start = time.monotonic()
    ids = device_ids(registry, condition)
    if len(sys.argv) > 3:
        ids = ids[: int(sys.argv[3])]
    work = {"info": info, "reboot": reboot}[mode]
    ok = sum(1 for device_id in ids if work(registry, device_id))
    seconds = time.monotonic() - start
    print(json.dumps({"mode": mode, "devices": len(ids), "ok": ok, "seconds": round(seconds, 3)}))


if __name__ == "__main__":
    main()
