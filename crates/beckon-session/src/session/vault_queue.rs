//! The vault, on a thread of its own: platform keyrings block (and may ask the person), so
//! no call runs on the async threads; and the calls run one at a time in the order they were
//! made, so a request kept by one operation and forgotten by the next land in that order.

use std::future::Future;
use std::sync::{mpsc, Arc};

use tokio::sync::oneshot;

use crate::vault::{Slot, Vault, VaultError};

type Job = Box<dyn FnOnce(&dyn Vault) + Send>;

/// A handle on the vault's thread, which ends when the last handle is dropped.
#[derive(Clone)]
pub(super) struct VaultQueue {
    jobs: mpsc::Sender<Job>,
}

impl VaultQueue {
    pub fn new(vault: Arc<dyn Vault>) -> Self {
        let (jobs, queue) = mpsc::channel::<Job>();
        // Without a thread the calls fail as a missing keyring does.
        let _ = std::thread::Builder::new()
            .name("beckon-vault".into())
            .spawn(move || {
                for job in queue {
                    job(vault.as_ref());
                }
            });
        Self { jobs }
    }

    /// Queues `call` at once (not when the answer is awaited) and answers its result.
    pub fn call<T: Send + 'static>(
        &self,
        call: impl FnOnce(&dyn Vault) -> Result<T, VaultError> + Send + 'static,
    ) -> impl Future<Output = Result<T, VaultError>> + Send + 'static {
        let (answer, answered) = oneshot::channel();
        let queued = self.jobs.send(Box::new(move |vault: &dyn Vault| {
            let _ = answer.send(call(vault));
        }));
        async move {
            queued.map_err(|_| stopped())?;
            answered.await.unwrap_or_else(|_| Err(stopped()))
        }
    }
}

impl VaultQueue {
    /// Forgets the sign-in request under way, if any: the enchanted link's pendingRef, or the
    /// magic link sent to open this app. Queued at once, like every call.
    pub fn forget_request(&self) -> impl Future<Output = ()> + Send + 'static {
        let forgotten = self.call(|v| {
            v.delete(Slot::Pending)?;
            v.delete(Slot::Magic)
        });
        async move {
            let _ = forgotten.await;
        }
    }
}

fn stopped() -> VaultError {
    VaultError::Unavailable("the keyring's thread stopped".into())
}
