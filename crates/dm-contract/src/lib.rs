//! The device-management contract shared by dmctl and dm-agent.
