//! Property tests' configuration: a fixed seed in `cargo test`, random exploration on request.
//!
//! `cargo test` must give the same verdict on every run, so each property test draws its
//! cases from one fixed seed (and replays the failures committed under
//! `proptest-regressions/` first). To explore beyond those cases, run
//! `PROV_PROPTEST_EXPLORE=1 PROPTEST_CASES=20000 cargo test`: a random seed each run, and
//! at least as many cases as each test asks for; a failure it finds is written to
//! `proptest-regressions/` and is committed with its fix.

use proptest::test_runner::{Config, RngSeed};

/// The seed `cargo test` draws every property test's cases from.
pub const SEED: u64 = 0x7072_6f76_2d70_7430;

/// A property test's configuration: `cases` cases from [`SEED`], or random ones when
/// `PROV_PROPTEST_EXPLORE` is set.
pub fn proptest_config(cases: u32) -> Config {
    let explore = std::env::var_os("PROV_PROPTEST_EXPLORE").is_some();
    let more = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse::<u32>().ok())
        .filter(|_| explore)
        .unwrap_or(0);
    Config {
        cases: cases.max(more),
        rng_seed: if explore {
            RngSeed::Random
        } else {
            RngSeed::Fixed(SEED)
        },
        ..Config::default()
    }
}
