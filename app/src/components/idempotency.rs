//! Keys that make a form which creates something create it once.

/// A fresh key for a form that creates something, so that sending it twice creates it once.
pub fn idempotency_key() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let now = js_sys_now();
    format!(
        "{now:x}-{:x}-{:x}",
        COUNTER.fetch_add(1, Ordering::Relaxed),
        rand_part()
    )
}

#[cfg(feature = "ssr")]
fn js_sys_now() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
fn js_sys_now() -> u128 {
    js_sys::Date::now() as u128
}

#[cfg(not(any(feature = "hydrate", feature = "ssr")))]
fn js_sys_now() -> u128 {
    0
}

#[cfg(feature = "ssr")]
fn rand_part() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(js_sys_now());
    h.finish()
}

#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
fn rand_part() -> u64 {
    (js_sys::Math::random() * u64::MAX as f64) as u64
}

#[cfg(not(any(feature = "hydrate", feature = "ssr")))]
fn rand_part() -> u64 {
    0
}
