//! End-to-end tests across dmctl, dm-agent and the local hub, including official-SDK interop.
