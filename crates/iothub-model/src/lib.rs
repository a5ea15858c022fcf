//! Azure IoT Hub wire types (twins, methods, identities, queries, jobs, errors) and twin semantics.
