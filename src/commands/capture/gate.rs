//! The per-host gate of the fetch stage: at most `--per-host` requests at a time to one host, `--delay` (or robots.txt's Crawl-delay, bounded) between two.

use std::collections::HashMap;
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

/// At most `per_host` requests at a time per host (one by default), and `delay` between the
/// end of one and the start of the next.
pub(crate) struct HostGate {
    delay: Duration,
    per_host: usize,
    hosts: Mutex<HashMap<String, HostState>>,
    changed: Condvar,
}

#[derive(Default)]
struct HostState {
    in_flight: usize,
    free_at: Option<Instant>,
    /// The host's own wait between two requests (robots.txt's Crawl-delay), when longer
    /// than the gate's.
    delay: Option<Duration>,
}

/// The longest Crawl-delay honoured: a robots.txt asking more would stall a round on one
/// host for hours; prov waits this long and says so.
pub(crate) const MAX_CRAWL_DELAY: Duration = Duration::from_secs(60);

/// A host's turn; the host is free again when this is dropped.
pub(crate) struct Turn<'a> {
    gate: &'a HostGate,
    host: String,
}

impl HostGate {
    pub(crate) fn new(delay: Duration, per_host: usize) -> HostGate {
        HostGate {
            delay,
            per_host: per_host.max(1),
            hosts: Mutex::new(HashMap::new()),
            changed: Condvar::new(),
        }
    }

    /// Wait as robots.txt's `Crawl-delay` asks between two requests to `host` (at most
    /// [`MAX_CRAWL_DELAY`]), from now on. The sentence to say when it lengthens the wait:
    /// `None` when the gate's own delay is as long, or the delay is no number of seconds.
    pub(crate) fn crawl_delay(&self, host: &str, asked: Option<f32>) -> Option<String> {
        let asked = asked.filter(|d| d.is_finite() && *d > 0.0)?;
        let wait = Duration::try_from_secs_f32(asked)
            .unwrap_or(MAX_CRAWL_DELAY)
            .min(MAX_CRAWL_DELAY);
        if wait <= self.delay {
            return None;
        }
        let mut hosts = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
        let state = hosts.entry(host.to_string()).or_default();
        state.delay = Some(wait);
        let later = Instant::now() + wait;
        state.free_at = Some(state.free_at.map_or(later, |t| t.max(later)));
        let capped = if asked > MAX_CRAWL_DELAY.as_secs_f32() {
            ", the most prov waits"
        } else {
            ""
        };
        Some(format!(
            "{host}: robots.txt asks for {asked} s between requests; waiting {} s{capped}",
            wait.as_secs_f32()
        ))
    }

    pub(crate) fn acquire(&self, host: String) -> Turn<'_> {
        let mut hosts = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            let state = hosts.entry(host.clone()).or_default();
            if state.in_flight >= self.per_host {
                hosts = self.changed.wait(hosts).unwrap_or_else(|e| e.into_inner());
                continue;
            }
            let now = Instant::now();
            match state.free_at {
                Some(t) if t > now => {
                    hosts = self
                        .changed
                        .wait_timeout(hosts, t - now)
                        .map(|(g, _)| g)
                        .unwrap_or_else(|e| e.into_inner().0);
                }
                _ => {
                    state.in_flight += 1;
                    return Turn { gate: self, host };
                }
            }
        }
    }
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        let mut hosts = self.gate.hosts.lock().unwrap_or_else(|e| e.into_inner());
        let state = hosts.entry(std::mem::take(&mut self.host)).or_default();
        state.in_flight = state.in_flight.saturating_sub(1);
        let delay = state
            .delay
            .map_or(self.gate.delay, |d| d.max(self.gate.delay));
        state.free_at = Some(Instant::now() + delay);
        self.gate.changed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{HostGate, MAX_CRAWL_DELAY};

    /// Issue 25: robots.txt's Crawl-delay is the host's wait from then on when longer than
    /// `--delay`, bounded, and said; other hosts keep the gate's.
    #[test]
    fn a_crawl_delay_spaces_that_host_only_and_is_bounded() {
        let gate = HostGate::new(Duration::from_secs(1), 1);
        let delay_of = |host: &str| {
            let hosts = gate.hosts.lock().unwrap_or_else(|e| e.into_inner());
            hosts.get(host).and_then(|s| s.delay)
        };
        assert_eq!(gate.crawl_delay("a.test", Some(0.5)), None);
        assert_eq!(gate.crawl_delay("a.test", Some(f32::NAN)), None);
        assert_eq!(gate.crawl_delay("a.test", Some(-3.0)), None);
        assert_eq!(gate.crawl_delay("a.test", None), None);
        assert_eq!(delay_of("a.test"), None);
        assert_eq!(
            gate.crawl_delay("a.test", Some(2.5)).as_deref(),
            Some("a.test: robots.txt asks for 2.5 s between requests; waiting 2.5 s")
        );
        assert_eq!(delay_of("a.test"), Some(Duration::from_millis(2500)));
        assert_eq!(
            gate.crawl_delay("b.test", Some(86_400.0)).as_deref(),
            Some(
                "b.test: robots.txt asks for 86400 s between requests; waiting 60 s, the most prov waits"
            )
        );
        assert_eq!(delay_of("b.test"), Some(MAX_CRAWL_DELAY));
        assert_eq!(delay_of("c.test"), None);
    }
}
