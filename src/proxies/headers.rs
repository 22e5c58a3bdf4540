//! What a proxy adds to a request it forwards: an element of `Forwarded` (RFC 7239), an entry
//! of `X-Forwarded-For` (the older, unstandardized form) and an entry of `Via` (RFC 9110).
//! Plain string functions, so they are tested without a network.

use std::fmt;
use std::net::IpAddr;

/// A node of a `Forwarded` element (RFC 7239 section 6): an address with an optional port,
/// an obfuscated name starting with `_`, or `unknown`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    /// An IPv4 or IPv6 address, with the port if known.
    Ip(IpAddr, Option<u16>),
    /// An obfuscated identifier such as `_edge1`, which hides the real address.
    Obfuscated(String),
    /// The sender does not know, or will not say.
    Unknown,
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Node::Ip(IpAddr::V4(ip), None) => write!(f, "{ip}"),
            Node::Ip(IpAddr::V4(ip), Some(port)) => write!(f, "{ip}:{port}"),
            Node::Ip(IpAddr::V6(ip), None) => write!(f, "[{ip}]"),
            Node::Ip(IpAddr::V6(ip), Some(port)) => write!(f, "[{ip}]:{port}"),
            Node::Obfuscated(name) => write!(f, "{name}"),
            Node::Unknown => f.write_str("unknown"),
        }
    }
}

impl Node {
    fn parse(text: &str) -> Option<Node> {
        if text == "unknown" {
            return Some(Node::Unknown);
        }
        if text.starts_with('_') {
            return Some(Node::Obfuscated(text.to_string()));
        }
        if let Some(rest) = text.strip_prefix('[') {
            let (ip, after) = rest.split_once(']')?;
            let port = match after {
                "" => None,
                _ => Some(after.strip_prefix(':')?.parse().ok()?),
            };
            return Some(Node::Ip(IpAddr::V6(ip.parse().ok()?), port));
        }
        match text.split_once(':') {
            Some((ip, port)) => Some(Node::Ip(
                IpAddr::V4(ip.parse().ok()?),
                Some(port.parse().ok()?),
            )),
            None => Some(Node::Ip(IpAddr::V4(text.parse().ok()?), None)),
        }
    }
}

// ANCHOR: element
/// One proxy's element of a `Forwarded` header: who sent it the request (`for`), which of its
/// interfaces received it (`by`), the `Host` the client asked for and the protocol it used.
///
/// ```
/// use sysdesign::proxies::{ForwardedElement, Node};
/// let e = ForwardedElement {
///     for_: Some(Node::Ip("2001:db8:cafe::17".parse().unwrap(), Some(4711))),
///     by: Some(Node::Obfuscated("_edge1".into())),
///     host: Some("shop.example".into()),
///     proto: Some("http".into()),
/// };
/// // An IPv6 address goes in brackets, and a value with ':' or '[' must be quoted.
/// assert_eq!(e.to_string(), r#"for="[2001:db8:cafe::17]:4711";by=_edge1;host=shop.example;proto=http"#);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ForwardedElement {
    /// The client, or the previous proxy, as this proxy saw it.
    pub for_: Option<Node>,
    /// The interface of this proxy that received the request.
    pub by: Option<Node>,
    /// The `Host` header the request arrived with.
    pub host: Option<String>,
    /// `http` or `https`: how the request arrived.
    pub proto: Option<String>,
}
// ANCHOR_END: element

/// Whether `c` may appear in an unquoted value (RFC 9110's `tchar`).
fn is_tchar(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

/// A value as a token when it can be one, else as a quoted string.
fn token_or_quoted(value: &str) -> String {
    if !value.is_empty() && value.chars().all(is_tchar) {
        value.to_string()
    } else {
        let escaped: String = value
            .chars()
            .flat_map(|c| match c {
                '"' | '\\' => vec!['\\', c],
                _ => vec![c],
            })
            .collect();
        format!("\"{escaped}\"")
    }
}

impl fmt::Display for ForwardedElement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pairs = [
            ("for", self.for_.as_ref().map(Node::to_string)),
            ("by", self.by.as_ref().map(Node::to_string)),
            ("host", self.host.clone()),
            ("proto", self.proto.clone()),
        ];
        let mut first = true;
        for (key, value) in pairs {
            if let Some(value) = value {
                if !first {
                    f.write_str(";")?;
                }
                first = false;
                write!(f, "{key}={}", token_or_quoted(&value))?;
            }
        }
        Ok(())
    }
}

/// Why a `Forwarded` header could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForwardedError {
    /// The pair or value that is malformed.
    pub near: String,
}

impl fmt::Display for ForwardedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "malformed Forwarded header near {:?}", self.near)
    }
}

impl std::error::Error for ForwardedError {}

/// Splits on `sep` outside quoted strings, honouring backslash escapes inside them.
fn split_outside_quotes(text: &str, sep: char) -> Vec<&str> {
    let (mut parts, mut start, mut quoted, mut escaped) = (vec![], 0, false, false);
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            c if c == sep && !quoted => {
                parts.push(&text[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

fn unquote(value: &str) -> Option<String> {
    match value.strip_prefix('"') {
        None => (!value.is_empty() && value.chars().all(is_tchar)).then(|| value.to_string()),
        Some(rest) => {
            let inner = rest.strip_suffix('"')?;
            let (mut out, mut chars) = (String::new(), inner.chars());
            while let Some(c) = chars.next() {
                out.push(if c == '\\' { chars.next()? } else { c });
            }
            Some(out)
        }
    }
}

/// Reads a `Forwarded` header: its elements, first proxy first. Keys are case-insensitive.
///
/// ```
/// use sysdesign::proxies::{parse_forwarded, Node};
/// let elements = parse_forwarded("for=192.0.2.43, For=\"[2001:db8:cafe::17]\";proto=https").unwrap();
/// assert_eq!(elements.len(), 2);
/// assert_eq!(elements[1].for_, Some(Node::Ip("2001:db8:cafe::17".parse().unwrap(), None)));
/// assert!(parse_forwarded("for=[::1]").is_err()); // brackets must be quoted
/// ```
pub fn parse_forwarded(header: &str) -> Result<Vec<ForwardedElement>, ForwardedError> {
    let bad = |near: &str| ForwardedError {
        near: near.to_string(),
    };
    let mut elements = vec![];
    for element in split_outside_quotes(header, ',') {
        let mut e = ForwardedElement::default();
        for pair in split_outside_quotes(element.trim(), ';') {
            let (key, value) = pair.trim().split_once('=').ok_or_else(|| bad(pair))?;
            let value = unquote(value).ok_or_else(|| bad(pair))?;
            match key.to_ascii_lowercase().as_str() {
                "for" => e.for_ = Some(Node::parse(&value).ok_or_else(|| bad(pair))?),
                "by" => e.by = Some(Node::parse(&value).ok_or_else(|| bad(pair))?),
                "host" => e.host = Some(value),
                "proto" => e.proto = Some(value),
                _ => {} // extensions are allowed and ignored here
            }
        }
        elements.push(e);
    }
    Ok(elements)
}

// ANCHOR: append
/// Appends `entry` to a list-valued header that may be absent: `a` then `b` is `a, b`.
///
/// ```
/// use sysdesign::proxies::append_to_list;
/// assert_eq!(append_to_list(None, "1.1 edge1"), "1.1 edge1");
/// assert_eq!(append_to_list(Some("203.0.113.9"), "127.0.0.1"), "203.0.113.9, 127.0.0.1");
/// ```
pub fn append_to_list(existing: Option<&str>, entry: &str) -> String {
    match existing.map(str::trim) {
        Some(list) if !list.is_empty() => format!("{list}, {entry}"),
        _ => entry.to_string(),
    }
}

/// This proxy's entry of `Via`: the protocol version it received, then its name (a pseudonym is
/// allowed in place of host and port).
///
/// ```
/// assert_eq!(sysdesign::proxies::via_entry("1.1", "edge1"), "1.1 edge1");
/// ```
pub fn via_entry(protocol_version: &str, received_by: &str) -> String {
    format!("{protocol_version} {received_by}")
}
// ANCHOR_END: append
