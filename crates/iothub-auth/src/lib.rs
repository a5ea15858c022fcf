//! Azure IoT Hub shared access signatures and connection strings: sign, parse, verify.
