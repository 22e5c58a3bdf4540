//! Offset and cursor pagination over a listing that changes between page reads.

use std::collections::BTreeSet;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::ApiError;

/// A listing of items ordered by a unique sort key (an id, or a timestamp with an id to break
/// ties), as a `SELECT ... ORDER BY key` would return them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Listing {
    keys: BTreeSet<u64>,
}

/// One change made by another client while a reader pages through a [`Listing`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// A new item with this key.
    Insert(u64),
    /// The item with this key is removed.
    Delete(u64),
}

/// An opaque cursor: the last key a page returned, which the next request sends back.
///
/// ```
/// use sysdesign::api_design::Cursor;
/// let c = Cursor::after(42);
/// assert_eq!(Cursor::decode(&c.encode()).unwrap(), c);
/// assert!(Cursor::decode("not a cursor!").is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cursor(u64);

impl Cursor {
    /// The cursor that continues after the item with key `key`.
    pub fn after(key: u64) -> Self {
        Cursor(key)
    }

    /// The cursor as the client sees it: URL-safe Base64, so clients treat it as opaque and the
    /// server may change what is inside.
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(format!("k:{}", self.0))
    }

    /// Reads a cursor a client sent back; the error names the value.
    pub fn decode(text: &str) -> Result<Self, ApiError> {
        let bad = || ApiError::BadCursor(text.to_string());
        let bytes = URL_SAFE_NO_PAD.decode(text).map_err(|_| bad())?;
        let inner = String::from_utf8(bytes).map_err(|_| bad())?;
        let key = inner.strip_prefix("k:").ok_or_else(bad)?;
        key.parse().map(Cursor).map_err(|_| bad())
    }
}

/// One page of a cursor scan: the items, and the cursor for the next page (none on the last).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page {
    /// The keys on this page, in order.
    pub items: Vec<u64>,
    /// Where the next page starts, or `None` when this was the last.
    pub next: Option<Cursor>,
}

// ANCHOR: pages
impl Listing {
    /// A listing holding `keys`.
    pub fn new(keys: impl IntoIterator<Item = u64>) -> Self {
        Listing {
            keys: keys.into_iter().collect(),
        }
    }

    /// Applies another client's change.
    pub fn apply(&mut self, change: Change) {
        match change {
            Change::Insert(k) => self.keys.insert(k),
            Change::Delete(k) => self.keys.remove(&k),
        };
    }

    /// `ORDER BY key LIMIT limit OFFSET offset`: skip `offset` items, then take `limit`.
    pub fn page_by_offset(&self, offset: usize, limit: usize) -> Vec<u64> {
        self.keys.iter().skip(offset).take(limit).copied().collect()
    }

    /// `WHERE key > cursor ORDER BY key LIMIT limit`: continue after the last key seen.
    pub fn page_after(&self, cursor: Option<Cursor>, limit: usize) -> Page {
        let items: Vec<u64> = match cursor {
            None => self.keys.iter().take(limit).copied().collect(),
            Some(Cursor(k)) => self
                .keys
                .range((std::ops::Bound::Excluded(k), std::ops::Bound::Unbounded))
                .take(limit)
                .copied()
                .collect(),
        };
        let more = items
            .last()
            .is_some_and(|&last| self.keys.range(last + 1..).next().is_some());
        let next = if more {
            items.last().map(|&k| Cursor(k))
        } else {
            None
        };
        Page { items, next }
    }
}
// ANCHOR_END: pages

/// How a reader asks for the next page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Paging {
    /// `?offset=N&limit=L`.
    Offset,
    /// `?cursor=C&limit=L`.
    Cursor,
}

/// What a reader saw after paging through a changing listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scan {
    /// Every key returned, page by page, in order.
    pub pages: Vec<Vec<u64>>,
    /// Keys returned more than once.
    pub repeated: Vec<u64>,
    /// Keys present for the whole scan (never deleted) that no page returned.
    pub skipped: Vec<u64>,
}

// ANCHOR: scan
/// Reads `listing` page by page, `limit` items a page, applying `changes[i]` (another client's
/// inserts and deletes) after page `i` is read; stops at the last page or after 10,000 pages.
pub fn scan(mut listing: Listing, paging: Paging, limit: usize, changes: &[Vec<Change>]) -> Scan {
    let mut stable: BTreeSet<u64> = listing.keys.clone();
    let mut pages = Vec::new();
    let (mut offset, mut cursor) = (0, None);
    for i in 0..10_000 {
        let page = match paging {
            Paging::Offset => listing.page_by_offset(offset, limit),
            Paging::Cursor => {
                let page = listing.page_after(cursor, limit);
                cursor = page.next;
                page.items
            }
        };
        offset += page.len();
        let last = page.len() < limit || (paging == Paging::Cursor && cursor.is_none());
        pages.push(page);
        for &change in changes.get(i).map(Vec::as_slice).unwrap_or(&[]) {
            if let Change::Delete(k) = change {
                stable.remove(&k);
            }
            listing.apply(change);
        }
        if last || limit == 0 {
            break;
        }
    }
    let mut seen = BTreeSet::new();
    let mut repeated = Vec::new();
    for &k in pages.iter().flatten() {
        if !seen.insert(k) {
            repeated.push(k);
        }
    }
    let skipped = stable.difference(&seen).copied().collect();
    Scan {
        pages,
        repeated,
        skipped,
    }
}
// ANCHOR_END: scan
