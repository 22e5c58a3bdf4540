//! Port numbers: the three ranges of RFC 6335 and a few well-known services.

// ANCHOR: ports
/// The three ranges IANA divides the 16-bit port space into (RFC 6335, section 6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PortRange {
    /// 0–1023, "System Ports" (also called well-known ports), assigned by IETF review.
    System,
    /// 1024–49151, "User Ports" (also called registered ports), assigned by IANA on request.
    User,
    /// 49152–65535, "Dynamic and/or Private Ports", never assigned: for ephemeral use.
    Dynamic,
}

impl PortRange {
    /// Which range `port` falls in.
    ///
    /// ```
    /// use sysdesign::client_server::PortRange;
    ///
    /// assert_eq!(PortRange::of(443), PortRange::System);
    /// assert_eq!(PortRange::of(5432), PortRange::User);
    /// assert_eq!(PortRange::of(50_000), PortRange::Dynamic);
    /// ```
    pub fn of(port: u16) -> PortRange {
        match port {
            0..=1023 => PortRange::System,
            1024..=49151 => PortRange::User,
            49152..=u16::MAX => PortRange::Dynamic,
        }
    }

    /// The range's first and last port.
    pub fn bounds(self) -> (u16, u16) {
        match self {
            PortRange::System => (0, 1023),
            PortRange::User => (1024, 49151),
            PortRange::Dynamic => (49152, u16::MAX),
        }
    }

    /// The range's name in RFC 6335.
    pub fn name(self) -> &'static str {
        match self {
            PortRange::System => "System Ports",
            PortRange::User => "User Ports",
            PortRange::Dynamic => "Dynamic and/or Private Ports",
        }
    }
}
// ANCHOR_END: ports

/// A service and the port IANA's registry assigns it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Service {
    /// The service name in the registry.
    pub name: &'static str,
    /// Its port.
    pub port: u16,
    /// The transports it is registered for in IANA's registry ("tcp", "udp").
    pub transports: &'static str,
    /// What it carries.
    pub what: &'static str,
}

/// A few services every system designer meets, as IANA's "Service Name and Transport Protocol
/// Port Number Registry" lists them.
pub const SERVICES: &[Service] = &[
    Service {
        name: "ssh",
        port: 22,
        transports: "tcp, udp",
        what: "Secure Shell",
    },
    Service {
        name: "domain",
        port: 53,
        transports: "tcp, udp",
        what: "DNS",
    },
    Service {
        name: "http",
        port: 80,
        transports: "tcp, udp",
        what: "HTTP (HTTP/3 would use UDP)",
    },
    Service {
        name: "https",
        port: 443,
        transports: "tcp, udp",
        what: "HTTP over TLS; HTTP/3 over QUIC on UDP",
    },
    Service {
        name: "postgresql",
        port: 5432,
        transports: "tcp, udp",
        what: "PostgreSQL",
    },
    Service {
        name: "redis",
        port: 6379,
        transports: "tcp",
        what: "Redis",
    },
];
