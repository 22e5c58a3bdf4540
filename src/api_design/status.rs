//! What each HTTP status code an API commonly returns means, with the section that defines it.

/// One status code, as RFC 9110 (or the RFC named in `source`) defines it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatusCode {
    /// The three digits.
    pub code: u16,
    /// The reason phrase the RFC gives it.
    pub reason: &'static str,
    /// When an API should send it, in a line.
    pub meaning: &'static str,
    /// Whether a client may retry the same request unchanged and hope for another answer.
    pub retry: &'static str,
    /// The defining document and section.
    pub source: &'static str,
}

const fn sc(
    code: u16,
    reason: &'static str,
    meaning: &'static str,
    retry: &'static str,
    source: &'static str,
) -> StatusCode {
    StatusCode {
        code,
        reason,
        meaning,
        retry,
        source,
    }
}

// ANCHOR: codes
/// The codes a JSON API commonly sends, in numeric order.
pub const STATUS_CODES: &[StatusCode] = &[
    sc(
        200,
        "OK",
        "success; the body is the result",
        "-",
        "RFC 9110 §15.3.1",
    ),
    sc(
        201,
        "Created",
        "a new resource; Location names it",
        "-",
        "RFC 9110 §15.3.2",
    ),
    sc(
        202,
        "Accepted",
        "queued, not done yet",
        "-",
        "RFC 9110 §15.3.3",
    ),
    sc(
        204,
        "No Content",
        "success, no body (a DELETE)",
        "-",
        "RFC 9110 §15.3.5",
    ),
    sc(
        301,
        "Moved Permanently",
        "use the new URI from now on",
        "-",
        "RFC 9110 §15.4.2",
    ),
    sc(
        304,
        "Not Modified",
        "your cached copy is still valid",
        "-",
        "RFC 9110 §15.4.5",
    ),
    sc(
        400,
        "Bad Request",
        "malformed request",
        "no",
        "RFC 9110 §15.5.1",
    ),
    sc(
        401,
        "Unauthorized",
        "no valid credentials: authenticate",
        "after authenticating",
        "RFC 9110 §15.5.2",
    ),
    sc(
        403,
        "Forbidden",
        "credentials understood, access refused",
        "no",
        "RFC 9110 §15.5.4",
    ),
    sc(
        404,
        "Not Found",
        "no such resource (or not telling)",
        "no",
        "RFC 9110 §15.5.5",
    ),
    sc(
        405,
        "Method Not Allowed",
        "the resource does not support that method",
        "no",
        "RFC 9110 §15.5.6",
    ),
    sc(
        409,
        "Conflict",
        "conflicts with the resource's current state",
        "after resolving",
        "RFC 9110 §15.5.10",
    ),
    sc(
        412,
        "Precondition Failed",
        "If-Match did not match: someone else wrote first",
        "after re-reading",
        "RFC 9110 §15.5.13",
    ),
    sc(
        415,
        "Unsupported Media Type",
        "that Content-Type is not accepted",
        "no",
        "RFC 9110 §15.5.16",
    ),
    sc(
        422,
        "Unprocessable Content",
        "well-formed but invalid (a field's value)",
        "no",
        "RFC 9110 §15.5.21",
    ),
    sc(
        429,
        "Too Many Requests",
        "rate limited; see Retry-After",
        "after Retry-After",
        "RFC 6585 §4",
    ),
    sc(
        500,
        "Internal Server Error",
        "the server failed",
        "maybe, if idempotent",
        "RFC 9110 §15.6.1",
    ),
    sc(
        502,
        "Bad Gateway",
        "a proxy got a bad answer upstream",
        "maybe, if idempotent",
        "RFC 9110 §15.6.3",
    ),
    sc(
        503,
        "Service Unavailable",
        "overloaded or down for now",
        "after Retry-After",
        "RFC 9110 §15.6.4",
    ),
    sc(
        504,
        "Gateway Timeout",
        "a proxy got no answer in time",
        "maybe, if idempotent",
        "RFC 9110 §15.6.5",
    ),
];
// ANCHOR_END: codes

/// The class of a status code by its first digit (RFC 9110, section 15), or `None` outside
/// 100 to 599.
///
/// ```
/// use sysdesign::api_design::status_class;
/// assert_eq!(status_class(404), Some("client error"));
/// assert_eq!(status_class(503), Some("server error"));
/// assert_eq!(status_class(99), None);
/// ```
pub fn status_class(code: u16) -> Option<&'static str> {
    match code {
        100..=199 => Some("informational"),
        200..=299 => Some("successful"),
        300..=399 => Some("redirection"),
        400..=499 => Some("client error"),
        500..=599 => Some("server error"),
        _ => None,
    }
}
