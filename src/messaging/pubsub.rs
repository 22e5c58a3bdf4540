//! Publish-subscribe: every subscriber of a topic gets its own copy of each message.

use std::collections::{BTreeMap, VecDeque};

/// A subscriber's handle, returned by [`PubSub::subscribe`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SubscriberId(usize);

// ANCHOR: pubsub
/// An in-memory broker for topics. [`publish`](PubSub::publish) copies a message into the
/// inbox of every current subscriber of its topic and keeps nothing else: a subscriber that
/// joins later never sees earlier messages, and a topic without subscribers drops them.
///
/// ```
/// use sysdesign::messaging::PubSub;
///
/// let mut bus = PubSub::new();
/// let email = bus.subscribe("order.placed");
/// assert_eq!(bus.publish("order.placed", "order 1"), 1);
/// let stock = bus.subscribe("order.placed");
/// assert_eq!(bus.publish("order.placed", "order 2"), 2);
/// assert_eq!(bus.drain(email), vec!["order 1", "order 2"]);
/// assert_eq!(bus.drain(stock), vec!["order 2"]); // joined after order 1
/// ```
#[derive(Clone, Debug, Default)]
pub struct PubSub<T> {
    topics: BTreeMap<String, Vec<SubscriberId>>,
    inboxes: Vec<VecDeque<T>>,
}

impl<T: Clone> PubSub<T> {
    /// A broker with no topics.
    pub fn new() -> Self {
        PubSub {
            topics: BTreeMap::new(),
            inboxes: Vec::new(),
        }
    }

    /// Subscribes a new subscriber to `topic`; it receives messages published from now on.
    pub fn subscribe(&mut self, topic: &str) -> SubscriberId {
        let id = SubscriberId(self.inboxes.len());
        self.inboxes.push(VecDeque::new());
        self.topics.entry(topic.to_string()).or_default().push(id);
        id
    }

    /// Publishes `message` on `topic`; returns how many subscribers got a copy (0: dropped).
    pub fn publish(&mut self, topic: &str, message: T) -> usize {
        let subscribers = self.topics.get(topic).map(Vec::as_slice).unwrap_or(&[]);
        for id in subscribers {
            self.inboxes[id.0].push_back(message.clone());
        }
        subscribers.len()
    }
    // ANCHOR_END: pubsub

    /// Takes the oldest message waiting for `subscriber`.
    pub fn poll(&mut self, subscriber: SubscriberId) -> Option<T> {
        self.inboxes.get_mut(subscriber.0)?.pop_front()
    }

    /// Takes every message waiting for `subscriber`, oldest first.
    pub fn drain(&mut self, subscriber: SubscriberId) -> Vec<T> {
        self.inboxes
            .get_mut(subscriber.0)
            .map(|inbox| inbox.drain(..).collect())
            .unwrap_or_default()
    }
}
