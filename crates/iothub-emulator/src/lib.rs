//! A local Azure IoT Hub: service REST API and device MQTT endpoint on an embedded SQLite store.
