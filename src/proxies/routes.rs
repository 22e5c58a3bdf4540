//! An API gateway's route table: the longest path prefix, on a segment boundary, names the
//! service a request goes to.

/// Path prefixes and the services they lead to.
///
/// ```
/// use sysdesign::proxies::RouteTable;
/// let routes = RouteTable::new([("/api", "catch-all"), ("/api/users", "users")]);
/// assert_eq!(routes.service("/api/users/42"), Some("users"));
/// assert_eq!(routes.service("/api/usersettings"), Some("catch-all")); // not a segment match
/// assert_eq!(routes.service("/static/logo.png"), None);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RouteTable {
    /// (prefix without a trailing slash, service), longest prefix first.
    routes: Vec<(String, String)>,
}

impl RouteTable {
    /// A table from (prefix, service) pairs; a trailing `/` on a prefix is ignored.
    pub fn new<I, P, S>(routes: I) -> Self
    where
        I: IntoIterator<Item = (P, S)>,
        P: Into<String>,
        S: Into<String>,
    {
        let mut routes: Vec<(String, String)> = routes
            .into_iter()
            .map(|(p, s)| (p.into().trim_end_matches('/').to_string(), s.into()))
            .collect();
        routes.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        RouteTable { routes }
    }

    /// The service for `path`: the one whose prefix is the longest that `path` equals or
    /// continues with a `/` (or `?`).
    pub fn service(&self, path: &str) -> Option<&str> {
        self.routes
            .iter()
            .find(|(prefix, _)| match path.strip_prefix(prefix.as_str()) {
                Some(rest) => rest.is_empty() || rest.starts_with('/') || rest.starts_with('?'),
                None => false,
            })
            .map(|(_, service)| service.as_str())
    }
}
