"""The Python half of the dmctl benchmark: the same calls made with the official service SDK.

Usage: python sdk_call.py (method|twin) DEVICE [--loop N]
  One call (what a script that shells out to Python per call pays), or with --loop N, N calls in
  one process, printing each call's milliseconds as a JSON list (the SDK's warm per-call cost).
Environment: IOTHUB_CONNECTION_STRING (service policy), REQUESTS_CA_BUNDLE (the local hub's ca.pem).
"""

import json
import os
import sys
import time

from azure.iot.hub import IoTHubRegistryManager
from azure.iot.hub.models import CloudToDeviceMethod


def call(manager, operation, device):
    if operation == "method":
        request = CloudToDeviceMethod(method_name="echo", payload={}, response_timeout_in_seconds=30)
        result = manager.invoke_device_method(device, request)
        return {"status": result.status, "payload": result.payload}
    twin = manager.get_twin(device)
    return twin.as_dict()


def main():
    operation, device = sys.argv[1], sys.argv[2]
    manager = IoTHubRegistryManager.from_connection_string(os.environ["IOTHUB_CONNECTION_STRING"])
    if len(sys.argv) > 4 and sys.argv[3] == "--loop":
        timings = []
        for _ in range(int(sys.argv[4])):
            start = time.perf_counter()
            call(manager, operation, device)
            timings.append((time.perf_counter() - start) * 1000.0)
        print(json.dumps(timings))
    else:
        print(json.dumps(call(manager, operation, device)))
    sys.stdout.flush()
    # SDK threads (uamqp) can keep the interpreter alive; the call is done.
    os._exit(0)


if __name__ == "__main__":
    main()
