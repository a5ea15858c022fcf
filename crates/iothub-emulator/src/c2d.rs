//! Cloud-to-device message queues, as devices receive them over HTTPS: one queue per device,
//! messages locked while a device holds them, completed, rejected or abandoned by lock token.
//!
//! The rules are the real hub's (protocol reference §H.4, iot-hub-devguide-messages-c2d): at
//! most 50 messages queued per device, a receive locks the first available message for the lock
//! timeout (one minute unless the device asks for another), a lock that expires makes the message
//! available again, every delivery counts, and a message delivered `max_delivery_count` times
//! (10) or past its expiry is dead-lettered instead of delivered again.
//!
//! The queues live in memory: messages do not survive a restart of the local hub (the real
//! service keeps them up to their time to live).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

use iothub_model::ErrorCode;

use crate::error::EmulatorError;

/// How many messages one device may have queued (the real hub's limit).
pub const MAX_QUEUE_DEPTH: usize = 50;
/// How often a message may be delivered before it is dead-lettered (the real hub's default).
pub const MAX_DELIVERY_COUNT: u32 = 10;
/// How long a received message stays locked unless the device asks otherwise.
pub const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(60);
/// The longest lock a device may ask for.
pub const MAX_LOCK_TIMEOUT: Duration = Duration::from_secs(300);
/// How long a message lives when the sender sets no expiry (the real hub's default TTL).
pub const DEFAULT_TTL: Duration = Duration::from_secs(3600);
/// The largest message body (the real hub's limit for cloud-to-device messages).
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;

/// A message the service sends to a device.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OutgoingMessage {
    /// The body.
    pub body: Vec<u8>,
    /// `message-id`; generated when empty.
    pub message_id: Option<String>,
    /// `correlation-id`.
    pub correlation_id: Option<String>,
    /// `user-id`.
    pub user_id: Option<String>,
    /// The feedback the sender asks for (`none`, `positive`, `negative`, `full`).
    pub ack: Option<String>,
    /// Content type and encoding of the body.
    pub content_type: Option<String>,
    /// Content encoding of the body.
    pub content_encoding: Option<String>,
    /// Time to live; [`DEFAULT_TTL`] when `None`.
    pub ttl: Option<Duration>,
    /// Application properties.
    pub properties: Vec<(String, String)>,
}

/// A message as handed to a device by a receive.
#[derive(Debug, Clone, PartialEq)]
pub struct DeliveredMessage {
    /// The message.
    pub message: OutgoingMessage,
    /// The lock token the device completes, rejects or abandons it with.
    pub lock_token: String,
    /// The hub's sequence number of this message (per device, from 1).
    pub sequence_number: u64,
    /// How many times it has been delivered, this time included.
    pub delivery_count: u32,
    /// When it was enqueued (Unix nanoseconds).
    pub enqueued_nanos: i128,
    /// When it expires (Unix nanoseconds).
    pub expiry_nanos: i128,
}

#[derive(Debug)]
struct Queued {
    message: OutgoingMessage,
    sequence_number: u64,
    delivery_count: u32,
    enqueued_nanos: i128,
    expiry_nanos: i128,
    expires_at: Instant,
    lock: Option<(String, Instant)>,
}

#[derive(Debug, Default)]
struct DeviceQueue {
    messages: VecDeque<Queued>,
    next_sequence: u64,
}

/// How a device settles a message it received.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settlement {
    /// Done with it: removed from the queue (positive feedback).
    Complete,
    /// Will never process it: dead-lettered (negative feedback).
    Reject,
    /// Give it back: available again, its delivery counted.
    Abandon,
}

/// Every device's queue.
#[derive(Debug, Default)]
pub struct CloudToDevice {
    queues: Mutex<HashMap<String, DeviceQueue>>,
    /// Messages dead-lettered (rejected, expired or delivered too often), for tests and stats.
    dead_lettered: Mutex<u64>,
}

fn unix_nanos(t: SystemTime) -> i128 {
    iothub_model::time::unix_nanos(t)
}

impl CloudToDevice {
    fn queues(&self) -> std::sync::MutexGuard<'_, HashMap<String, DeviceQueue>> {
        // A panic while holding the lock leaves plain data behind; keep serving it.
        self.queues
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn dead_letter(&self, count: u64) {
        if count > 0 {
            *self
                .dead_lettered
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) += count;
        }
    }

    /// How many messages were dead-lettered so far.
    pub fn dead_lettered(&self) -> u64 {
        *self
            .dead_lettered
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Queues `message` for `device_id` (which the caller has checked exists). Returns its
    /// message id.
    pub fn enqueue(
        &self,
        device_id: &str,
        mut message: OutgoingMessage,
    ) -> Result<String, EmulatorError> {
        if message.body.len() > MAX_MESSAGE_BYTES {
            return Err(EmulatorError::hub(
                ErrorCode::MessageTooLarge,
                format!(
                    "The cloud-to-device message for {device_id} is {} bytes; the hub accepts at most {MAX_MESSAGE_BYTES}.",
                    message.body.len()
                ),
            ));
        }
        let now = Instant::now();
        let mut queues = self.queues();
        let queue = queues.entry(device_id.to_string()).or_default();
        let expired = Self::drop_expired(queue, now);
        if queue.messages.len() >= MAX_QUEUE_DEPTH {
            drop(queues);
            self.dead_letter(expired);
            return Err(EmulatorError::hub(
                ErrorCode::DeviceMaximumQueueDepthExceeded,
                format!(
                    "Device {device_id} already has {MAX_QUEUE_DEPTH} cloud-to-device messages queued."
                ),
            ));
        }
        let id = message
            .message_id
            .get_or_insert_with(|| uuid::Uuid::new_v4().to_string())
            .clone();
        let ttl = message.ttl.unwrap_or(DEFAULT_TTL);
        let enqueued = SystemTime::now();
        queue.next_sequence += 1;
        queue.messages.push_back(Queued {
            sequence_number: queue.next_sequence,
            delivery_count: 0,
            enqueued_nanos: unix_nanos(enqueued),
            expiry_nanos: unix_nanos(enqueued + ttl),
            expires_at: now + ttl,
            lock: None,
            message,
        });
        drop(queues);
        self.dead_letter(expired);
        Ok(id)
    }

    /// Drops expired messages; returns how many.
    fn drop_expired(queue: &mut DeviceQueue, now: Instant) -> u64 {
        let before = queue.messages.len();
        queue.messages.retain(|m| m.expires_at > now);
        (before - queue.messages.len()) as u64
    }

    /// The first message available to `device_id`, locked for `lock_timeout`; `None` when
    /// nothing is available (all delivered and locked, or the queue is empty).
    pub fn receive(&self, device_id: &str, lock_timeout: Duration) -> Option<DeliveredMessage> {
        let now = Instant::now();
        let mut dead = 0;
        let delivered = {
            let mut queues = self.queues();
            let queue = queues.get_mut(device_id)?;
            dead += Self::drop_expired(queue, now);
            // A message whose lock expired was abandoned implicitly and counts as delivered;
            // past the delivery limit it is dead-lettered rather than delivered again.
            let before = queue.messages.len();
            queue.messages.retain(|m| {
                let unlocked = m.lock.as_ref().is_none_or(|(_, until)| *until <= now);
                !(unlocked && m.delivery_count >= MAX_DELIVERY_COUNT)
            });
            dead += (before - queue.messages.len()) as u64;
            queue
                .messages
                .iter_mut()
                .find(|m| m.lock.as_ref().is_none_or(|(_, until)| *until <= now))
                .map(|m| {
                    let token = uuid::Uuid::new_v4().to_string();
                    m.lock = Some((token.clone(), now + lock_timeout));
                    m.delivery_count += 1;
                    DeliveredMessage {
                        message: m.message.clone(),
                        lock_token: token,
                        sequence_number: m.sequence_number,
                        delivery_count: m.delivery_count,
                        enqueued_nanos: m.enqueued_nanos,
                        expiry_nanos: m.expiry_nanos,
                    }
                })
        };
        self.dead_letter(dead);
        delivered
    }

    /// Settles the message `device_id` holds under `lock_token`. A token that matches no
    /// message, or whose lock expired, is refused with 412 `DeviceMessageLockLost`.
    pub fn settle(
        &self,
        device_id: &str,
        lock_token: &str,
        how: Settlement,
    ) -> Result<(), EmulatorError> {
        let now = Instant::now();
        let lost = || {
            EmulatorError::hub(
                ErrorCode::DeviceMessageLockLost,
                format!(
                    "No cloud-to-device message of {device_id} is locked with that lock token (it was settled already, or its lock expired)."
                ),
            )
        };
        let mut queues = self.queues();
        let queue = queues.get_mut(device_id).ok_or_else(lost)?;
        let at = queue
            .messages
            .iter()
            .position(|m| {
                m.lock
                    .as_ref()
                    .is_some_and(|(token, until)| token == lock_token && *until > now)
            })
            .ok_or_else(lost)?;
        let dead = match how {
            Settlement::Complete => {
                queue.messages.remove(at);
                0
            }
            Settlement::Reject => {
                queue.messages.remove(at);
                1
            }
            Settlement::Abandon => {
                let message = &mut queue.messages[at];
                message.lock = None;
                if message.delivery_count >= MAX_DELIVERY_COUNT {
                    queue.messages.remove(at);
                    1
                } else {
                    0
                }
            }
        };
        drop(queues);
        self.dead_letter(dead);
        Ok(())
    }

    /// How many messages are queued for `device_id` (locked ones included, expired ones not).
    pub fn queued(&self, device_id: &str) -> usize {
        let now = Instant::now();
        self.queues().get(device_id).map_or(0, |q| {
            q.messages.iter().filter(|m| m.expires_at > now).count()
        })
    }

    /// Drops every message queued for `device_id` (purge, or the device was deleted); returns
    /// how many.
    pub fn purge(&self, device_id: &str) -> usize {
        self.queues()
            .remove(device_id)
            .map_or(0, |q| q.messages.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(body: &str) -> OutgoingMessage {
        OutgoingMessage {
            body: body.as_bytes().to_vec(),
            ..OutgoingMessage::default()
        }
    }

    #[test]
    fn receive_locks_and_complete_removes() {
        let c2d = CloudToDevice::default();
        c2d.enqueue("d", message("one")).unwrap();
        c2d.enqueue("d", message("two")).unwrap();
        let first = c2d.receive("d", DEFAULT_LOCK_TIMEOUT).unwrap();
        assert_eq!(first.message.body, b"one");
        assert_eq!(first.sequence_number, 1);
        // The first is locked: the next receive gets the second.
        let second = c2d.receive("d", DEFAULT_LOCK_TIMEOUT).unwrap();
        assert_eq!(second.message.body, b"two");
        assert!(c2d.receive("d", DEFAULT_LOCK_TIMEOUT).is_none());
        c2d.settle("d", &first.lock_token, Settlement::Complete)
            .unwrap();
        let again = c2d
            .settle("d", &first.lock_token, Settlement::Complete)
            .unwrap_err();
        assert_eq!(again.code(), ErrorCode::DeviceMessageLockLost);
        assert_eq!(c2d.queued("d"), 1);
    }

    #[test]
    fn abandon_redelivers_until_the_delivery_limit() {
        let c2d = CloudToDevice::default();
        c2d.enqueue("d", message("m")).unwrap();
        for n in 1..=MAX_DELIVERY_COUNT {
            let m = c2d.receive("d", DEFAULT_LOCK_TIMEOUT).unwrap();
            assert_eq!(m.delivery_count, n);
            c2d.settle("d", &m.lock_token, Settlement::Abandon).unwrap();
        }
        assert!(c2d.receive("d", DEFAULT_LOCK_TIMEOUT).is_none());
        assert_eq!(c2d.dead_lettered(), 1);
    }

    #[test]
    fn an_expired_lock_makes_the_message_available_again() {
        let c2d = CloudToDevice::default();
        c2d.enqueue("d", message("m")).unwrap();
        let m = c2d.receive("d", Duration::from_millis(1)).unwrap();
        std::thread::sleep(Duration::from_millis(5));
        let lost = c2d
            .settle("d", &m.lock_token, Settlement::Complete)
            .unwrap_err();
        assert_eq!(lost.code(), ErrorCode::DeviceMessageLockLost);
        let again = c2d.receive("d", DEFAULT_LOCK_TIMEOUT).unwrap();
        assert_eq!(again.delivery_count, 2);
        assert_ne!(again.lock_token, m.lock_token);
        c2d.settle("d", &again.lock_token, Settlement::Reject)
            .unwrap();
        assert_eq!(c2d.queued("d"), 0);
        assert_eq!(c2d.dead_lettered(), 1);
    }

    #[test]
    fn queue_depth_and_size_are_limited() {
        let c2d = CloudToDevice::default();
        for _ in 0..MAX_QUEUE_DEPTH {
            c2d.enqueue("d", message("m")).unwrap();
        }
        let full = c2d.enqueue("d", message("m")).unwrap_err();
        assert_eq!(full.code(), ErrorCode::DeviceMaximumQueueDepthExceeded);
        let big = OutgoingMessage {
            body: vec![0; MAX_MESSAGE_BYTES + 1],
            ..OutgoingMessage::default()
        };
        assert_eq!(
            c2d.enqueue("other", big).unwrap_err().code(),
            ErrorCode::MessageTooLarge
        );
    }

    #[test]
    fn expired_messages_are_not_delivered() {
        let c2d = CloudToDevice::default();
        let short = OutgoingMessage {
            ttl: Some(Duration::from_millis(1)),
            ..message("m")
        };
        c2d.enqueue("d", short).unwrap();
        std::thread::sleep(Duration::from_millis(5));
        assert!(c2d.receive("d", DEFAULT_LOCK_TIMEOUT).is_none());
        assert_eq!(c2d.dead_lettered(), 1);
    }
}
