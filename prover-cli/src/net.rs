//! How long the CLI waits on the network. Every request to the node or the IPFS daemon runs under one
//! timeout (`--timeout`, env `ZKML_TIMEOUT`, default 30 s), so an endpoint that accepts the connection and then
//! never answers (a stuck daemon, a proxy) gives an error naming the endpoint and the step instead of a hang.
//! Waiting for a transaction's inclusion and finality gets its own, longer bound per status update.
use anyhow::{anyhow, Result};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The default request timeout, in milliseconds.
pub const DEFAULT_TIMEOUT_MS: u64 = 30_000;

static TIMEOUT_MS: AtomicU64 = AtomicU64::new(DEFAULT_TIMEOUT_MS);

/// Sets the request timeout for this process (the CLI calls it once, from `--timeout`).
pub fn set_timeout(t: Duration) {
    TIMEOUT_MS.store(t.as_millis().clamp(1, u64::MAX as u128) as u64, Ordering::Relaxed);
}

/// The timeout of one request.
pub fn timeout() -> Duration {
    Duration::from_millis(TIMEOUT_MS.load(Ordering::Relaxed))
}

/// How long to wait for the next status of a submitted transaction (in the pool, in a block, finalized):
/// blocks come every 6 s and finality a few blocks later, so this is generous, but bounded.
pub fn transaction_step_timeout() -> Duration {
    timeout().max(Duration::from_secs(120))
}

/// Runs `f` under the request timeout; on expiry the error says what was being done and where.
pub async fn within<T>(endpoint: &str, step: &str, f: impl std::future::Future<Output = Result<T>>) -> Result<T> {
    within_for(timeout(), endpoint, step, f).await
}

/// [`within`] with an explicit limit.
pub async fn within_for<T>(
    limit: Duration,
    endpoint: &str,
    step: &str,
    f: impl std::future::Future<Output = Result<T>>,
) -> Result<T> {
    match tokio::time::timeout(limit, f).await {
        Ok(r) => r,
        Err(_) => Err(anyhow!(
            "{endpoint} did not answer within {:.0} s while {step}; is it running and reachable (not stuck or behind a proxy)? (raise the limit with --timeout SECONDS)",
            limit.as_secs_f64()
        )),
    }
}
