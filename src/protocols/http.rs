//! HTTP/1.1 messages built as bytes and parsed back, with `httparse` reading the head.
//!
//! A message is a start line, header fields, an empty line, and a body whose length the
//! `Content-Length` field gives (RFC 9112). Building refuses a header that would smuggle a line
//! break into the head; parsing never panics, whatever the bytes: it says the message is
//! complete, that more bytes are needed, or what is wrong.

use std::fmt;

/// How many header fields a message may have; more is an error, not a bigger allocation.
pub const MAX_HEADERS: usize = 64;

/// Header fields in order, names as sent.
pub type Headers = Vec<(String, String)>;

/// An HTTP/1.1 request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// The method, a token such as `GET` or `POST`.
    pub method: String,
    /// The request target, such as `/payments?limit=10`.
    pub target: String,
    /// The header fields, without `Content-Length` (the body's length says it).
    pub headers: Headers,
    /// The body.
    pub body: Vec<u8>,
}

/// An HTTP/1.1 response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// The status code, 100 to 999 on the wire (RFC 9110 defines 100 to 599).
    pub status: u16,
    /// The reason phrase, which clients ignore.
    pub reason: String,
    /// The header fields, without `Content-Length`.
    pub headers: Headers,
    /// The body.
    pub body: Vec<u8>,
}

/// Why a message could not be built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BuildError {
    /// A method or header name that is not a token (RFC 9110, section 5.6.2).
    NotAToken(String),
    /// A target or header value holding a control character such as CR or LF, which would end
    /// the line early and let the rest be read as another header or message.
    ControlCharacter(String),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::NotAToken(s) => write!(f, "{s:?} is not an HTTP token"),
            BuildError::ControlCharacter(s) => write!(f, "{s:?} holds a control character"),
        }
    }
}

impl std::error::Error for BuildError {}

/// Why bytes are not an HTTP/1.1 message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseError {
    /// The head is malformed, as `httparse` reports it.
    Syntax(httparse::Error),
    /// A header value is not UTF-8 (allowed on the wire as obsolete text; refused here).
    NotUtf8(String),
    /// `Content-Length` is not a number, or two disagree (RFC 9112, section 6.3).
    BadContentLength(String),
    /// `Transfer-Encoding` is present; this parser reads only `Content-Length` bodies.
    TransferEncoding(String),
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::Syntax(e) => write!(f, "malformed head: {e}"),
            ParseError::NotUtf8(name) => write!(f, "the value of {name:?} is not UTF-8"),
            ParseError::BadContentLength(v) => write!(f, "bad Content-Length {v:?}"),
            ParseError::TransferEncoding(v) => write!(f, "unsupported Transfer-Encoding {v:?}"),
        }
    }
}

impl std::error::Error for ParseError {}

/// What parsing some bytes found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Parsed<T> {
    /// A whole message, and how many bytes it took (the rest belong to the next one).
    Complete(T, usize),
    /// A prefix of a message: read more bytes and parse again.
    Partial,
}

fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn check_headers(headers: &Headers) -> Result<(), BuildError> {
    for (name, value) in headers {
        if !is_token(name) {
            return Err(BuildError::NotAToken(name.clone()));
        }
        if value.chars().any(|c| c.is_control() && c != '\t') {
            return Err(BuildError::ControlCharacter(value.clone()));
        }
    }
    Ok(())
}

fn write_head_end(out: &mut Vec<u8>, headers: &Headers, body: &[u8], always_length: bool) {
    for (name, value) in headers {
        out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    if always_length || !body.is_empty() {
        out.extend_from_slice(format!("Content-Length: {}\r\n", body.len()).as_bytes());
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
}

// ANCHOR: build
impl Request {
    /// A request with no header and no body.
    pub fn new(method: &str, target: &str) -> Self {
        Request {
            method: method.to_string(),
            target: target.to_string(),
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// The bytes on the wire: request line, fields, `Content-Length` when there is a body, an
    /// empty line, the body.
    ///
    /// ```
    /// use sysdesign::protocols::{BuildError, Request};
    ///
    /// let bytes = Request::new("GET", "/").header("Host", "example.com").to_bytes()?;
    /// assert_eq!(bytes, b"GET / HTTP/1.1\r\nHost: example.com\r\n\r\n");
    /// let smuggled = Request::new("GET", "/").header("X", "a\r\nHost: evil").to_bytes();
    /// assert!(matches!(smuggled, Err(BuildError::ControlCharacter(_))));
    /// # Ok::<(), BuildError>(())
    /// ```
    pub fn to_bytes(&self) -> Result<Vec<u8>, BuildError> {
        if !is_token(&self.method) {
            return Err(BuildError::NotAToken(self.method.clone()));
        }
        if self.target.is_empty() || self.target.chars().any(|c| c.is_control() || c == ' ') {
            return Err(BuildError::ControlCharacter(self.target.clone()));
        }
        check_headers(&self.headers)?;
        let mut out = format!("{} {} HTTP/1.1\r\n", self.method, self.target).into_bytes();
        write_head_end(&mut out, &self.headers, &self.body, false);
        Ok(out)
    }
}

impl Response {
    /// A response with this status, its usual reason phrase, no header and no body.
    pub fn new(status: u16) -> Self {
        Response {
            status,
            reason: reason(status).to_string(),
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// The bytes on the wire; `Content-Length` is always sent, so the client knows where the
    /// body ends without the server closing the connection.
    pub fn to_bytes(&self) -> Result<Vec<u8>, BuildError> {
        if self.reason.chars().any(|c| c.is_control() && c != '\t') {
            return Err(BuildError::ControlCharacter(self.reason.clone()));
        }
        check_headers(&self.headers)?;
        let mut out = format!("HTTP/1.1 {:03} {}\r\n", self.status, self.reason).into_bytes();
        write_head_end(&mut out, &self.headers, &self.body, true);
        Ok(out)
    }
}
// ANCHOR_END: build

/// The builder methods requests and responses share, written once.
macro_rules! fields_and_body {
    ($($message:ty),*) => {$(
        impl $message {
            /// Adds a header field.
            pub fn header(mut self, name: &str, value: &str) -> Self {
                self.headers.push((name.to_string(), value.to_string()));
                self
            }

            /// Sets the body.
            pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
                self.body = body.into();
                self
            }

            /// The value of the first field called `name` (case-insensitive).
            pub fn header_value(&self, name: &str) -> Option<&str> {
                find(&self.headers, name)
            }
        }
    )*};
}

fields_and_body!(Request, Response);

fn find<'a>(headers: &'a Headers, name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// The reason phrase RFC 9110 gives a status code (a few common ones).
pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        301 => "Moved Permanently",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

// ANCHOR: parse
/// Copies the parsed fields out, drops `Content-Length`, and finds the body's length.
fn fields_and_length(fields: &[httparse::Header<'_>]) -> Result<(Headers, usize), ParseError> {
    let mut headers = Vec::with_capacity(fields.len());
    let mut length: Option<usize> = None;
    for field in fields {
        let value = std::str::from_utf8(field.value)
            .map_err(|_| ParseError::NotUtf8(field.name.to_string()))?;
        if field.name.eq_ignore_ascii_case("transfer-encoding") {
            return Err(ParseError::TransferEncoding(value.to_string()));
        }
        if field.name.eq_ignore_ascii_case("content-length") {
            let n = value
                .trim()
                .parse::<usize>()
                .map_err(|_| ParseError::BadContentLength(value.to_string()))?;
            if length.is_some_and(|m| m != n) {
                return Err(ParseError::BadContentLength(value.to_string()));
            }
            length = Some(n);
        } else {
            headers.push((field.name.to_string(), value.to_string()));
        }
    }
    Ok((headers, length.unwrap_or(0)))
}

/// The body that follows a head of `head` bytes, if all of it has arrived.
fn body(buf: &[u8], head: usize, length: usize) -> Option<(Vec<u8>, usize)> {
    let end = head.checked_add(length)?;
    buf.get(head..end).map(|b| (b.to_vec(), end))
}

/// Parses one request from the start of `buf`.
///
/// ```
/// use sysdesign::protocols::{Parsed, Request, parse_request};
///
/// let bytes = b"POST /pay HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi";
/// let Ok(Parsed::Complete(req, used)) = parse_request(bytes) else { panic!() };
/// assert_eq!((req.method.as_str(), req.body.as_slice(), used), ("POST", &b"hi"[..], bytes.len()));
/// assert_eq!(parse_request(&bytes[..20]), Ok(Parsed::Partial));
/// assert!(parse_request(b"GET / HTTP/1.1\r\nBad Name: x\r\n\r\n").is_err());
/// ```
pub fn parse_request(buf: &[u8]) -> Result<Parsed<Request>, ParseError> {
    let mut fields = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut req = httparse::Request::new(&mut fields);
    let head = match req.parse(buf).map_err(ParseError::Syntax)? {
        httparse::Status::Complete(n) => n,
        httparse::Status::Partial => return Ok(Parsed::Partial),
    };
    let (headers, length) = fields_and_length(req.headers)?;
    let Some((body, used)) = body(buf, head, length) else {
        return Ok(Parsed::Partial);
    };
    let request = Request {
        method: req.method.unwrap_or_default().to_string(),
        target: req.path.unwrap_or_default().to_string(),
        headers,
        body,
    };
    Ok(Parsed::Complete(request, used))
}

/// Parses one response from the start of `buf` (a response without `Content-Length` is read
/// as having an empty body).
pub fn parse_response(buf: &[u8]) -> Result<Parsed<Response>, ParseError> {
    let mut fields = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut res = httparse::Response::new(&mut fields);
    let head = match res.parse(buf).map_err(ParseError::Syntax)? {
        httparse::Status::Complete(n) => n,
        httparse::Status::Partial => return Ok(Parsed::Partial),
    };
    let (headers, length) = fields_and_length(res.headers)?;
    let Some((body, used)) = body(buf, head, length) else {
        return Ok(Parsed::Partial);
    };
    let response = Response {
        status: res.code.unwrap_or_default(),
        reason: res.reason.unwrap_or_default().to_string(),
        headers,
        body,
    };
    Ok(Parsed::Complete(response, used))
}
// ANCHOR_END: parse
