//! Failures injected on purpose, for simulated devices only (`dmctl simulate --fail`).
//!
//! A rollout's automatic stop, a fleet report's partial failure or a retry of a busy device
//! can only be shown (and tested) if some devices fail in a known way. The hook sits at the top
//! of the dispatcher, after the request was parsed and validated, so a device chosen to fail
//! still refuses bad input like any other; then it answers as a real device failing would: the
//! operation ends `failed` in its envelope, the device answers 409 busy, or it never answers.

use std::sync::Arc;

use dm_contract::{Method, MethodResponse, OperationId, Success};

use super::{Inner, OpSpec, Outcome, Work};
use crate::error::{DmError, DmResult};

/// How an injected failure shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InjectedFailure {
    /// The operation is accepted and ends `failed` (a method answering 200 answers 500).
    Failed,
    /// The device answers 409 busy, as if an application held a busy lease.
    Busy,
    /// The device never answers the call.
    Timeout,
}

/// Decides, per method name (`dm.apps.install`), whether this device fails it and how.
pub type FailureHook = Arc<dyn Fn(&str) -> Option<InjectedFailure> + Send + Sync>;

/// The error code of injected failures, so nobody mistakes them for real ones.
pub const INJECTED_CODE: &str = "injectedFailure";

impl Inner {
    /// The injected answer for `method`, if this device is set to fail it.
    pub(crate) async fn injected(self: &Arc<Self>, method: Method) -> Option<MethodResponse> {
        let failure = (self.failure_hook.as_ref()?)(method.name())?;
        tracing::warn!(method = %method, ?failure, "injecting a failure (simulated device)");
        let message = format!("{method} failed on purpose (dmctl simulate --fail)");
        Some(match failure {
            InjectedFailure::Busy => MethodResponse::busy(
                30,
                format!("{method}: an application holds a busy lease (dmctl simulate --fail)"),
            ),
            InjectedFailure::Timeout => std::future::pending().await,
            InjectedFailure::Failed => match (method.success(), method.section()) {
                (Success::Done, _) | (_, None) => MethodResponse::failed(INJECTED_CODE, message),
                (_, Some(section)) => {
                    let work: Work = Box::new(move |_inner: Arc<Inner>, _id: OperationId| {
                        let work: futures::future::BoxFuture<'static, DmResult<Outcome>> =
                            Box::pin(async move { Err(DmError::failed(INJECTED_CODE, message)) });
                        work
                    });
                    self.accept(
                        OpSpec::new(method.name(), section, self.settings.operation_timeout),
                        work,
                    )
                }
            },
        })
    }
}
