//! Optional statistics: how often each call returned each status, to see
//! what a corpus reaches (`cargo +nightly run --release --example replay
//! -- DIR...`). Off (one relaxed load per call) unless [`enable`]d.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::Mutex;

use bytes::ffi::bytes_status_t;

static ON: AtomicBool = AtomicBool::new(false);
static COUNTS: Mutex<BTreeMap<(String, String), u64>> = Mutex::new(BTreeMap::new());

/// Starts counting.
pub fn enable() {
    ON.store(true, Relaxed);
}

/// Counts one call of `call` that returned `status`.
pub fn record(call: &str, status: bytes_status_t) {
    if ON.load(Relaxed) {
        event(call, &format!("{status:?}"));
    }
}

/// Counts one `outcome` of `what` (a path of the model, say).
pub fn event(what: &str, outcome: &str) {
    if ON.load(Relaxed) {
        let mut counts = COUNTS.lock().unwrap_or_else(|e| e.into_inner());
        *counts.entry((what.to_owned(), outcome.to_owned())).or_default() += 1;
    }
}

/// The counts so far: ((call, status), count).
pub fn counts() -> Vec<((String, String), u64)> {
    let counts = COUNTS.lock().unwrap_or_else(|e| e.into_inner());
    counts.iter().map(|(k, v)| (k.clone(), *v)).collect()
}
