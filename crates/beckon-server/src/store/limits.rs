//! The `rate_limits` table: one counter per bucket and window.

use sqlx::Row;

use super::Store;

impl Store {
    /// Counts a hit at `now` in the bucket's current window, or starts a new window of
    /// `window` seconds if the last one ended: the hits in the window so far, this one
    /// included, and when the window ends.
    pub async fn rate_hit(&self, bucket: &[u8], now: i64, window: i64) -> sqlx::Result<(i64, i64)> {
        let row = sqlx::query(
            "INSERT INTO rate_limits (bucket, window_start, hits, expires_at) VALUES ($1, $2, 1, $3) \
             ON CONFLICT(bucket) DO UPDATE SET \
               hits = CASE WHEN rate_limits.expires_at > excluded.window_start \
                           THEN rate_limits.hits + 1 ELSE 1 END, \
               window_start = CASE WHEN rate_limits.expires_at > excluded.window_start \
                           THEN rate_limits.window_start ELSE excluded.window_start END, \
               expires_at = CASE WHEN rate_limits.expires_at > excluded.window_start \
                           THEN rate_limits.expires_at ELSE excluded.expires_at END \
             RETURNING hits, expires_at",
        )
        .bind(bucket)
        .bind(now)
        .bind(now + window)
        .fetch_one(&self.pool)
        .await?;
        Ok((row.try_get("hits")?, row.try_get("expires_at")?))
    }
}
