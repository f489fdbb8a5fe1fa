//! The clock port: everything that depends on the date asks it, never the system directly.

use jiff::Timestamp;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

pub trait Clock: Send + Sync {
    fn now(&self) -> Timestamp;

    /// Seconds since the Unix epoch: how instants are stored in the database.
    fn unix(&self) -> i64 {
        self.now().as_second()
    }

    /// Today's date where the provider works (Moscow time, UTC+3 all year): the reading
    /// window and the billing months follow it.
    fn today(&self) -> shared::calendar::Day {
        let local = self.now().as_second() + PROVIDER_UTC_OFFSET_SECS;
        let date = jiff::Timestamp::from_second(local)
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
            .to_zoned(jiff::tz::TimeZone::UTC)
            .date();
        shared::calendar::Day {
            year: i32::from(date.year()),
            month: u32::try_from(date.month()).unwrap_or(1),
            day: u32::try_from(date.day()).unwrap_or(1),
        }
    }
}

/// The provider's offset from UTC (Moscow has kept UTC+3 since 2014).
pub const PROVIDER_UTC_OFFSET_SECS: i64 = 3 * 3600;

/// The system's clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// Starts at a given instant and runs on in real time (`KABINET_NOW` in development).
pub struct StartedClock {
    start: Timestamp,
    started: Instant,
}

impl StartedClock {
    pub fn new(start: Timestamp) -> Self {
        Self {
            start,
            started: Instant::now(),
        }
    }
}

impl Clock for StartedClock {
    fn now(&self) -> Timestamp {
        let elapsed = jiff::SignedDuration::try_from(self.started.elapsed()).unwrap_or_default();
        self.start.checked_add(elapsed).unwrap_or(self.start)
    }
}

/// The development clock of `/dev/clock`: another clock moved forward by an offset. The offset
/// lives in the database (`dev_clock`), so that every instance and a restart keep the move;
/// each instance reads it back every few seconds ([`crate::Services::sync_dev_clock`]).
pub struct ShiftedClock {
    inner: Arc<dyn Clock>,
    offset_secs: AtomicI64,
}

impl ShiftedClock {
    pub fn new(inner: Arc<dyn Clock>) -> Self {
        Self {
            inner,
            offset_secs: AtomicI64::new(0),
        }
    }

    pub fn offset_secs(&self) -> i64 {
        self.offset_secs.load(Ordering::Relaxed)
    }

    pub fn set_offset_secs(&self, secs: i64) {
        self.offset_secs.store(secs, Ordering::Relaxed);
    }
}

impl Clock for ShiftedClock {
    fn now(&self) -> Timestamp {
        let base = self.inner.now();
        base.checked_add(jiff::SignedDuration::from_secs(self.offset_secs()))
            .unwrap_or(base)
    }
}

/// Stands still until a test moves it.
pub struct ManualClock(Mutex<Timestamp>);

impl ManualClock {
    pub fn new(start: Timestamp) -> Self {
        Self(Mutex::new(start))
    }

    pub fn set(&self, to: Timestamp) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = to;
    }

    pub fn advance(&self, by: jiff::SignedDuration) {
        let mut now = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *now = now.checked_add(by).unwrap_or(*now);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_started_clock_runs_on_from_its_start() {
        let start: Timestamp = "2026-11-20T07:00:00Z".parse().unwrap();
        let clock = StartedClock::new(start);
        let now = clock.now();
        assert!(now >= start && now.as_second() - start.as_second() < 5);
    }

    #[test]
    fn today_is_the_providers_date() {
        // 22:30 UTC is already the next day in Moscow.
        let clock = ManualClock::new("2026-11-30T22:30:00Z".parse().unwrap());
        let today = clock.today();
        assert_eq!((today.year, today.month, today.day), (2026, 12, 1));
    }

    #[test]
    fn a_manual_clock_moves_only_when_told() {
        let start: Timestamp = "2026-11-20T07:00:00Z".parse().unwrap();
        let clock = ManualClock::new(start);
        assert_eq!(clock.now(), start);
        clock.advance(jiff::SignedDuration::from_mins(5));
        assert_eq!(clock.unix(), start.as_second() + 300);
    }
}
