//! The differ's work counter: the steps of its searches (sequence alignment, paragraph pairing), counted per thread, so that tests bound the work done on adversarial input without a clock.
//!
//! A step is one element looked at by a search whose cost could grow faster than its input:
//! an element trimmed, hashed for anchors or followed along a Myers snake, a diagonal tried,
//! a word compared when two paragraphs are scored. Work on worker threads is added to the
//! thread that started them ([`super::par_map`]), so a caller counts all it caused.

use std::cell::Cell;

thread_local! {
    static STEPS: Cell<u64> = const { Cell::new(0) };
}

/// Count `n` steps on this thread.
pub(crate) fn add(n: usize) {
    STEPS.with(|s| s.set(s.get().saturating_add(n as u64)));
}

/// The steps counted on this thread so far.
pub(crate) fn steps() -> u64 {
    STEPS.with(Cell::get)
}

/// What `f` returns and the steps it took.
#[cfg(test)]
pub(crate) fn counted<R>(f: impl FnOnce() -> R) -> (R, u64) {
    let before = steps();
    let r = f();
    (r, steps() - before)
}
