//! Rollouts: one typed operation taken across a fleet in waves, stopping by itself when too
//! many devices fail, resumable from anywhere.
//!
//! A rollout drives the same [`Plan`](crate::dm::exec::Plan) the typed command after `--`
//! builds (DESIGN §8), device by device through the same `send`/`complete` path, so a rollout of
//! `apps install` validates, refuses and reports exactly like `dmctl apps install` does. What
//! a rollout adds is order and memory:
//!
//! - [`spec`]: the waves (canary, cumulative steps or batches over the target sorted by id), the
//!   limits, and the plan's hash;
//! - [`engine`]: waves in order, bounded concurrency, busy devices retried within the wave's
//!   time, the success condition evaluated by the hub, bake and re-check, the automatic stop;
//!   with `--via-job` in the command, each wave sent as IoT Hub jobs the hub fans out;
//! - [`store`]: the local plan and the control files that let another process pause, resume or
//!   abort the one running it;
//! - [`window`]: maintenance windows in the fleet's time zone;
//! - [`command`]: the `dmctl rollout` commands.
//!
//! Per-device state lives in the hub, in `tags.dmRollouts.<name>` of each device reached, so
//! `rollout status` on any machine sees it and a resume continues where the tags say.

pub mod command;
pub mod engine;
pub mod spec;
pub mod store;
pub mod window;
