//! Async client for the Azure IoT Hub service REST API: registry, twins, direct methods, queries, jobs.
