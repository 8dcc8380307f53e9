//! Named points in a flow where an in-process test can run something of its own, to force
//! an interleaving that timing alone would rarely give (a confirmation landing between a
//! poll's read and its wait's registration). Set only from Rust, by a test holding the
//! server's state; nothing outside the process can set one. Unset, a point costs one
//! uncontended lock.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

type Hook = Arc<dyn Fn() -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;

/// The hooks set on this server's points.
#[derive(Clone, Default)]
pub struct Checkpoints {
    hooks: Arc<Mutex<HashMap<&'static str, Hook>>>,
}

impl Checkpoints {
    /// Runs `hook` (to its end) each time a flow reaches `point`.
    pub fn set<F, Fut>(&self, point: &'static str, hook: F)
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let hook: Hook = Arc::new(move || Box::pin(hook()));
        self.lock().insert(point, hook);
    }

    /// Removes the hook on `point`.
    pub fn clear(&self, point: &'static str) {
        self.lock().remove(point);
    }

    /// A flow is at `point`: runs its hook, if one is set.
    pub async fn reach(&self, point: &'static str) {
        let hook = self.lock().get(point).cloned();
        if let Some(hook) = hook {
            hook().await;
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<&'static str, Hook>> {
        self.hooks.lock().unwrap_or_else(|p| p.into_inner())
    }
}
