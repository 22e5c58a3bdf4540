//! The published latency numbers, each with where and when it was published, and Colin
//! Scott's trend model that carries some of them forward year by year.

use crate::delivery_framework::{Bytes, BytesPerSecond, Seconds};

// ANCHOR: published
/// Who published a figure, and when.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// Jeff Dean's slide "Numbers Everyone Should Know", in his LADIS 2009 keynote "Designs,
    /// Lessons and Advice from Building Large Distributed Systems".
    Dean2009,
    /// "Latency Numbers Every Programmer Should Know", the 2012 GitHub gist by Jonas Bonér
    /// that collected Dean's and Peter Norvig's figures and added the SSD rows.
    Gist2012,
}

impl Source {
    /// A short citation for a table cell.
    pub const fn cite(self) -> &'static str {
        match self {
            Source::Dean2009 => "Dean, 2009",
            Source::Gist2012 => "Bonér's gist, 2012",
        }
    }
}

/// One published figure.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Published {
    /// The operation, as the source names it.
    pub operation: &'static str,
    /// How long it took.
    pub latency: Seconds,
    /// Who published it, and when.
    pub source: Source,
}

/// The figures this chapter compares with its measurements.
pub const PUBLISHED: [Published; 9] = [
    Published {
        operation: "Main memory reference",
        latency: Seconds::nanos(100.0),
        source: Source::Dean2009,
    },
    Published {
        operation: "Read 1 MB sequentially from memory",
        latency: Seconds::micros(250.0),
        source: Source::Dean2009,
    },
    Published {
        operation: "Read 4 KB randomly from SSD",
        latency: Seconds::micros(150.0),
        source: Source::Gist2012,
    },
    Published {
        operation: "Read 1 MB sequentially from SSD",
        latency: Seconds::millis(1.0),
        source: Source::Gist2012,
    },
    Published {
        operation: "Round trip within same datacenter",
        latency: Seconds::micros(500.0),
        source: Source::Dean2009,
    },
    Published {
        operation: "Disk seek",
        latency: Seconds::millis(10.0),
        source: Source::Dean2009,
    },
    Published {
        operation: "Read 1 MB sequentially from disk",
        latency: Seconds::millis(20.0),
        source: Source::Dean2009,
    },
    Published {
        operation: "Send 2 KB over 1 Gbps network",
        latency: Seconds::micros(20.0),
        source: Source::Dean2009,
    },
    Published {
        operation: "Send packet CA → Netherlands → CA",
        latency: Seconds::millis(150.0),
        source: Source::Dean2009,
    },
];
// ANCHOR_END: published

/// The rows of Dean's 2009 table that [`PUBLISHED`] leaves out (the chapter compares only what
/// it measures); with [`PUBLISHED`], Dean's whole table and the gist's two SSD rows.
pub const MORE_PUBLISHED: [Published; 5] = [
    Published {
        operation: "L1 cache reference",
        latency: Seconds::nanos(0.5),
        source: Source::Dean2009,
    },
    Published {
        operation: "Branch mispredict",
        latency: Seconds::nanos(5.0),
        source: Source::Dean2009,
    },
    Published {
        operation: "L2 cache reference",
        latency: Seconds::nanos(7.0),
        source: Source::Dean2009,
    },
    Published {
        operation: "Mutex lock/unlock",
        latency: Seconds::nanos(25.0),
        source: Source::Dean2009,
    },
    Published {
        operation: "Compress 1K bytes with Zippy",
        latency: Seconds::micros(3.0),
        source: Source::Dean2009,
    },
];

/// Every published figure, [`PUBLISHED`] and [`MORE_PUBLISHED`], fastest first.
///
/// ```
/// use sysdesign::latency_throughput::all_published;
/// let all = all_published();
/// assert_eq!(all.len(), 14);
/// assert_eq!(all[0].operation, "L1 cache reference");
/// assert!(all.windows(2).all(|w| w[0].latency.get() <= w[1].latency.get()));
/// ```
pub fn all_published() -> Vec<Published> {
    let mut all: Vec<Published> = PUBLISHED.iter().chain(&MORE_PUBLISHED).copied().collect();
    all.sort_by(|a, b| a.latency.get().total_cmp(&b.latency.get()));
    all
}

// ANCHOR: scott
/// Colin Scott's model ("Latency Numbers Every Programmer Should Know", interactive, 2012):
/// each figure follows a trend fitted to a year's measurement, so the page can show any year.
/// The trends are his, with his anchors; past about 2012 the numbers are extrapolations, not
/// measurements.
pub mod scott {
    use super::*;

    /// Years since 1982, the origin of his fits.
    fn shift(year: i32) -> f64 {
        f64::from(year - 1982)
    }

    /// A trend `at · 2^(shift(year) / years − anchor)`, written as the page's code writes it:
    /// `anchor` is the anchor year's shift times the page's rounded exponent (0.33 for a third),
    /// so the curve passes within a few per cent of `at` in the anchor year.
    fn trend(at: f64, anchor: f64, years: f64, year: i32) -> f64 {
        at * 2f64.powf(shift(year) / years - anchor)
    }

    /// Main memory reference: 100 ns from 2000 on (it fell 7 % a year before).
    pub fn main_memory_reference(year: i32) -> Seconds {
        let year = year.min(2000);
        Seconds::nanos(100.0 * 0.93f64.powf(shift(year) - shift(2000)))
    }

    /// Read 1 MB sequentially from memory: 4 GB/s in 2001, doubling every three years.
    pub fn read_1mb_memory(year: i32) -> Seconds {
        Bytes::mega(1.0) / BytesPerSecond::new(trend(4e9, shift(2001) * 0.33, 3.0, year))
    }

    /// SSD random read: 16 µs after 2014, where his fit (after figure 4 of Grupp et al., "The
    /// Bleak Future of NAND Flash Memory", FAST 2012) flattens; earlier years are not modelled
    /// here.
    pub fn ssd_random_read(_year: i32) -> Seconds {
        Seconds::micros(16.0)
    }

    /// Read 1 MB sequentially from SSD: 3 GB/s in 2012, doubling every three years.
    pub fn read_1mb_ssd(year: i32) -> Seconds {
        Bytes::mega(1.0) / BytesPerSecond::new(trend(3e9, shift(2012) * 0.33, 3.0, year))
    }

    /// Disk seek: 10 ms in 2000, halving every ten years.
    pub fn disk_seek(year: i32) -> Seconds {
        Seconds::millis(10.0 * 0.5f64.powf((shift(year) - shift(2000)) / 10.0))
    }

    /// Read 1 MB sequentially from disk: 100 MB/s in 2002, doubling every two years before and
    /// every five years after.
    pub fn read_1mb_disk(year: i32) -> Seconds {
        let rate = if year <= 2002 {
            trend(1e8, shift(2002) * 0.5, 2.0, year)
        } else {
            trend(1e8, shift(2002) * 0.2, 5.0, year)
        };
        Bytes::mega(1.0) / BytesPerSecond::new(rate)
    }

    /// Send 2 KB over a commodity network: 1 Gbit/s in 2003, doubling every two years.
    pub fn send_2kb(year: i32) -> Seconds {
        Bytes::kilo(2.0) / BytesPerSecond::new(trend(125e6, shift(2003) * 0.5, 2.0, year))
    }

    /// Round trip within a datacenter: 500 µs, held constant.
    pub fn datacenter_round_trip(_year: i32) -> Seconds {
        Seconds::micros(500.0)
    }

    /// Packet round trip California–Netherlands: 150 ms, held constant (light is not
    /// getting faster).
    pub fn wan_round_trip(_year: i32) -> Seconds {
        Seconds::millis(150.0)
    }

    /// The model's figure for each row of [`PUBLISHED`], in the same order.
    ///
    /// ```
    /// use sysdesign::latency_throughput::{PUBLISHED, scott};
    /// let close = |a: f64, b: f64| (a / b - 1.0).abs() < 0.01;
    ///
    /// let row = scott::for_published(2020);
    /// assert_eq!(row.len(), PUBLISHED.len());
    /// // 2020: a memory reference is still 100 ns, 1 MB from memory 2,967 ns, from SSD 49 µs,
    /// // from disk 825 µs, and 2 KB cross the network in 44 ns.
    /// assert!(close(row[0].as_nanos(), 100.0));
    /// assert!(close(row[1].as_nanos(), 2_967.0));
    /// assert!(close(row[3].as_nanos(), 49_000.0));
    /// assert!(close(row[6].as_nanos(), 825_000.0));
    /// assert!(close(row[7].as_nanos(), 44.0));
    /// ```
    pub fn for_published(year: i32) -> Vec<Seconds> {
        vec![
            main_memory_reference(year),
            read_1mb_memory(year),
            ssd_random_read(year),
            read_1mb_ssd(year),
            datacenter_round_trip(year),
            disk_seek(year),
            read_1mb_disk(year),
            send_2kb(year),
            wan_round_trip(year),
        ]
    }
}
// ANCHOR_END: scott
