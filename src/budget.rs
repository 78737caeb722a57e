//! The time budget of one input (`--timeout`).
//!
//! A PDF is read in a child process that is killed when its time is up (`pdf::read_isolated`).
//! Text and 2D-symbol content are read in this process, where nothing can be killed, so their
//! readers look at the clock every 256 lines ([`expired`]) and stop; the pipeline then reports the
//! input as `too_large` instead of returning what was read so far. Those readers run in linear
//! time over inputs that are limited in size (5 MB, 200,000 lines), so the budget is a second
//! line of defence, not the first.
//!
//! ```
//! use std::time::Duration;
//! use shohosen::budget;
//! let (done, late) = budget::with_deadline(Duration::from_secs(30), || (1 + 1, budget::expired()));
//! assert_eq!((done, late), (2, false));
//! assert!(!budget::expired()); // no deadline outside with_deadline
//! ```

use std::cell::Cell;
use std::time::{Duration, Instant};

thread_local! {
    static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// Runs `f` with a deadline `limit` from now on this thread; the previous deadline (if any)
/// is restored afterwards.
pub fn with_deadline<T>(limit: Duration, f: impl FnOnce() -> T) -> T {
    let deadline = Instant::now().checked_add(limit);
    let previous = DEADLINE.with(|d| d.replace(deadline));
    let out = f();
    DEADLINE.with(|d| d.set(previous));
    out
}

/// True when this thread runs under a deadline that has passed.
pub fn expired() -> bool {
    DEADLINE.with(|d| d.get().is_some_and(|t| Instant::now() >= t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zero_budget_expires_and_is_restored_afterwards() {
        let late = with_deadline(Duration::ZERO, expired);
        assert!(late);
        assert!(!expired());
        let nested = with_deadline(Duration::from_secs(60), || {
            let inner = with_deadline(Duration::ZERO, expired);
            (inner, expired())
        });
        assert_eq!(nested, (true, false));
    }
}
