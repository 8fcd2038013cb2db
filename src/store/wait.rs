//! Waiting for work without taking any (`run --wait`): a blocking read that leaves the queue
//! as it was.

use std::time::Duration;

use anyhow::Result;

use super::Store;

impl Store {
    /// Blocks until the queue may have work or `deadline` passes, at most a second at a time
    /// (expired leases and due retries are looked at that often). False when time is up, or
    /// at once without a deadline.
    pub fn wait_more(&mut self, queue: &str, deadline: Option<std::time::Instant>) -> Result<bool> {
        const WAIT_STEP: Duration = Duration::from_secs(1);
        let Some(deadline) = deadline else {
            return Ok(false);
        };
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            return Ok(false);
        }
        self.wait_for_item(queue, left.min(WAIT_STEP))?;
        Ok(true)
    }

    /// Blocks until the queue has an item or `timeout` passes, without taking anything:
    /// BLMOVE from the right end back onto the right end leaves the list as it was.
    pub fn wait_for_item(&mut self, queue: &str, timeout: Duration) -> Result<bool> {
        let secs = timeout.as_secs_f64().max(0.01);
        self.set_read_timeout(self.response_timeout + timeout)?;
        let res: redis::RedisResult<Option<Vec<u8>>> = redis::cmd("BLMOVE")
            .arg(queue)
            .arg(queue)
            .arg("RIGHT")
            .arg("RIGHT")
            .arg(format!("{secs:.3}"))
            .query(self.idem());
        self.set_read_timeout(self.response_timeout)?;
        let got = res.map_err(|e| self.explain(e, &[(queue, "list")]))?;
        Ok(got.is_some())
    }
}
