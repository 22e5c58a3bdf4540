//! API design: the choices behind an HTTP API that survive retries, changes and growth.
//!
//! An API is a contract between a server and clients it does not control. Four of its choices
//! decide whether clients see correct data when things go wrong, and this module makes each one
//! concrete:
//!
//! | piece | the idea |
//! | --- | --- |
//! | [`pagination`] | offset pagination (`?offset=20&limit=10`) against cursor (keyset) pagination (`?cursor=...`) on a listing another client changes between page reads |
//! | [`idempotency`] | an order service with an `Idempotency-Key`, and a client whose first response is lost and who retries |
//! | [`merge_patch`](mod@merge_patch) | `PUT` replaces, `PATCH` merges: JSON Merge Patch (RFC 7396) and the patch between two documents |
//! | [`status`] | the status codes an API sends, what each means (RFC 9110) and whether to retry |
//! | [`versioning`] | an added field that old readers ignore and new readers default |
//!
//! The design decision: everything is a plain value or function, with no HTTP server in the way,
//! so a test can drive every interleaving of requests and changes deterministically; what matters
//! here is what a handler does, not how the bytes arrive.
//!
//! ```
//! use sysdesign::api_design::{Change, Listing, Paging, scan};
//! // Page through ten items, three a page, while someone inserts key 0 after the first page.
//! let changes = vec![vec![Change::Insert(0)]];
//! let by_offset = scan(Listing::new(1..=10), Paging::Offset, 3, &changes);
//! let by_cursor = scan(Listing::new(1..=10), Paging::Cursor, 3, &changes);
//! assert_eq!(by_offset.repeated, vec![3]); // the insert pushed item 3 onto page two as well
//! assert!(by_cursor.repeated.is_empty() && by_cursor.skipped.is_empty());
//! ```

pub mod idempotency;
pub mod merge_patch;
pub mod pagination;
pub mod status;
pub mod versioning;

pub use idempotency::{Attempt, OrderRequest, OrderService, Response, post_with_retries};
pub use merge_patch::{Resources, merge_diff, merge_patch, put_replace};
pub use pagination::{Change, Cursor, Listing, Page, Paging, Scan, scan};
pub use serde_json::{Value, json};
pub use status::{STATUS_CODES, StatusCode, status_class};
pub use versioning::{OrderV1, OrderV2, read_v1, read_v2};

/// What an API handler refuses, naming the value it could not use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    /// A `cursor` query parameter that this server did not issue.
    BadCursor(String),
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiError::BadCursor(c) => write!(f, "cursor {c:?} was not issued by this server"),
        }
    }
}

impl std::error::Error for ApiError {}
