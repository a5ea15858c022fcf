//! A long operation answers before it acts: a reboot that dropped the connection before its
//! 202 left would show the caller "device disconnected" instead of the operation id.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use dm_agent::transport::Transport;
use dm_agent::{Agent, DmError, DmResult};
use futures::future::BoxFuture;
use serde_json::Value;

/// A transport whose answers take a while to leave (a busy link), logging what happens when.
#[derive(Default)]
struct SlowLink {
    log: Arc<Mutex<Vec<String>>>,
}

impl Transport for SlowLink {
    fn send_reported(&self, _patch: Value) -> BoxFuture<'_, DmResult<()>> {
        Box::pin(async { Ok(()) })
    }

    fn respond_method(
        &self,
        _request_id: &str,
        status: u16,
        _payload: Value,
    ) -> BoxFuture<'_, DmResult<()>> {
        Box::pin(async move {
            tokio::time::sleep(Duration::from_millis(300)).await;
            self.log.lock().unwrap().push(format!("answered {status}"));
            Ok(())
        })
    }

    fn get_twin(&self) -> BoxFuture<'_, DmResult<Value>> {
        Box::pin(async { Err(DmError::NotConnected) })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reboot_answers_202_before_the_device_goes_down() {
    let dir = tempfile::tempdir().unwrap();
    let link = Arc::new(SlowLink::default());
    let log = Arc::clone(&link.log);
    let hook_log = Arc::clone(&log);
    let client = Agent::builder(link.clone())
        .device_id("dev")
        .state_dir(dir.path().join("state"))
        .sandbox(dir.path().join("sandbox"))
        .reboot_hook(Arc::new(move || {
            hook_log.lock().unwrap().push("rebooting".into());
        }))
        .build()
        .unwrap();
    assert!(client.handle_method("1", "dm.reboot", b"{}").await);
    // The order is the point, not the speed: the budget is generous because this binary also
    // runs daemons and SIGKILL tests in parallel (2 s was exceeded once under CI's load).
    for _ in 0..3000 {
        if log.lock().unwrap().len() == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(*log.lock().unwrap(), ["answered 202", "rebooting"]);
}
