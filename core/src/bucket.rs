//! The time bucket a template placeholder reduces a timestamp to.

/// How a `{field|day}` placeholder (or `hour`, `month`, `year`) reduces a timestamp
/// to the bucket it falls in, so that one partition holds one period's items: a
/// natural spread for time-ordered data (a day's events, a month's invoices) where
/// one constant partition would be hot. The bucket's text is the start of the
/// timestamp's UTC RFC 3339 form, so buckets sort in time order.
///
/// ```
/// use dynaschema_core::TimeBucket;
///
/// let at = "2026-12-03T14:05:09.000000000Z";
/// assert_eq!(TimeBucket::Day.of_rfc3339(at), "2026-12-03");
/// assert_eq!(TimeBucket::Hour.of_rfc3339(at), "2026-12-03T14");
/// assert_eq!(TimeBucket::Month.name(), "month");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimeBucket {
    /// `{field|hour}`: `2026-12-03T14`.
    Hour,
    /// `{field|day}`: `2026-12-03`.
    Day,
    /// `{field|month}`: `2026-12`.
    Month,
    /// `{field|year}`: `2026`.
    Year,
}

impl TimeBucket {
    /// Every bucket, shortest period first.
    pub const ALL: [TimeBucket; 4] = [
        TimeBucket::Hour,
        TimeBucket::Day,
        TimeBucket::Month,
        TimeBucket::Year,
    ];

    /// `"day"`, ..., as a template writes it after `|`.
    pub const fn name(self) -> &'static str {
        match self {
            TimeBucket::Hour => "hour",
            TimeBucket::Day => "day",
            TimeBucket::Month => "month",
            TimeBucket::Year => "year",
        }
    }

    /// The bucket named `name`, if any.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|b| b.name() == name)
    }

    /// How many leading characters of an RFC 3339 timestamp (`YYYY-MM-DDTHH:..`)
    /// name the bucket.
    pub const fn prefix_len(self) -> usize {
        match self {
            TimeBucket::Hour => 13,
            TimeBucket::Day => 10,
            TimeBucket::Month => 7,
            TimeBucket::Year => 4,
        }
    }

    /// The bucket of a UTC RFC 3339 timestamp (`2026-12-03T14:05:09Z`): its first
    /// [`prefix_len`](Self::prefix_len) characters (all of it if shorter).
    pub fn of_rfc3339(self, timestamp: &str) -> &str {
        timestamp.get(..self.prefix_len()).unwrap_or(timestamp)
    }
}
