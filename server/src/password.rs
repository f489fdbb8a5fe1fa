//! Password hashing with argon2id (OWASP parameters), off the async runtime and with a limit
//! on how many hashes run at once, so that a burst of sign-ins cannot starve the server.
//!
//! A request waits for a hashing slot at most `KABINET_PASSWORD_WAIT_MS`; past that it is
//! answered "unavailable" (503 with `Retry-After`), so that sign-ins queued behind a burst
//! neither pile up without end nor hold the pages' share of the server.

use crate::error::internal;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use argon2::{Algorithm, Argon2, Params, Version};
use shared::ApiError;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// How long a request waits for a hashing slot by default.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(2);

#[derive(Clone)]
pub struct Hasher {
    permits: Arc<Semaphore>,
    params: Params,
    wait: Duration,
}

/// A hashing slot, held until the hash it is spent on is finished.
pub struct HashPermit {
    permit: OwnedSemaphorePermit,
    params: Params,
}

impl Hasher {
    /// OWASP's argon2id recommendation: 19 MiB of memory, 2 passes, 1 lane; two hashes per
    /// core at once; a slot waited for at most `wait`.
    pub fn new(wait: Duration) -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self {
            permits: Arc::new(Semaphore::new(cores * 2)),
            params: Params::new(19 * 1024, 2, 1, None).unwrap_or_default(),
            wait,
        }
    }

    /// A hashing slot, or [`ApiError::Unavailable`] when none frees within the wait.
    /// Taking it before anything is counted (sign-in attempts, codes) lets a refused request
    /// leave no trace.
    pub async fn permit(&self) -> Result<HashPermit, ApiError> {
        match tokio::time::timeout(self.wait, self.permits.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(HashPermit {
                permit,
                params: self.params.clone(),
            }),
            Ok(Err(closed)) => Err(internal(closed)),
            Err(_) => {
                tracing::warn!(
                    wait_ms = self.wait.as_millis(),
                    "no password-hashing slot freed in time: answered unavailable"
                );
                Err(ApiError::Unavailable)
            }
        }
    }

    pub async fn hash(&self, password: String) -> Result<String, ApiError> {
        self.permit().await?.hash(password).await
    }

    /// Whether `password` matches `hash` (see [`HashPermit::verify`]).
    pub async fn verify(&self, password: String, hash: Option<String>) -> Result<bool, ApiError> {
        self.permit().await?.verify(password, hash).await
    }
}

impl HashPermit {
    /// The slot moves into the blocking task: a request given up half-way (the client went
    /// away) keeps it until its hash is really done, so the limit holds.
    async fn run<T: Send + 'static>(
        self,
        work: impl FnOnce(Argon2<'static>) -> anyhow::Result<T> + Send + 'static,
    ) -> Result<T, ApiError> {
        let HashPermit { permit, params } = self;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
        })
        .await
        .map_err(internal)?
        .map_err(internal)
    }

    pub async fn hash(self, password: String) -> Result<String, ApiError> {
        self.run(move |argon2| {
            let salt = SaltString::generate(&mut OsRng);
            argon2
                .hash_password(password.as_bytes(), &salt)
                .map(|h| h.to_string())
                .map_err(|e| anyhow::anyhow!("argon2 hashing failed: {e}"))
        })
        .await
    }

    /// Whether `password` matches `hash`. With `None` it spends the same effort and says no,
    /// so that unknown logins take as long as known ones.
    pub async fn verify(self, password: String, hash: Option<String>) -> Result<bool, ApiError> {
        self.run(move |argon2| match hash {
            Some(hash) => {
                let parsed = PasswordHash::new(&hash)
                    .map_err(|e| anyhow::anyhow!("stored password hash is malformed: {e}"))?;
                Ok(argon2.verify_password(password.as_bytes(), &parsed).is_ok())
            }
            None => {
                let salt = SaltString::generate(&mut OsRng);
                let _ = argon2.hash_password(password.as_bytes(), &salt);
                Ok(false)
            }
        })
        .await
    }
}

impl Default for Hasher {
    fn default() -> Self {
        Self::new(DEFAULT_WAIT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_only_its_password() {
        let hasher = Hasher::default();
        let hash = hasher.hash("Demo-2026!".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(
            hasher
                .verify("Demo-2026!".into(), Some(hash.clone()))
                .await
                .unwrap()
        );
        assert!(
            !hasher
                .verify("demo-2026!".into(), Some(hash))
                .await
                .unwrap()
        );
        assert!(!hasher.verify("Demo-2026!".into(), None).await.unwrap());
    }

    #[tokio::test]
    async fn a_saturated_hasher_answers_unavailable_after_its_wait() {
        let hasher = Hasher::new(Duration::from_millis(50));
        let mut held = Vec::new();
        let refused = loop {
            match hasher.permit().await {
                Ok(permit) => held.push(permit),
                Err(e) => break e,
            }
        };
        assert_eq!(refused, ApiError::Unavailable);
        assert!(!held.is_empty());
        let started = std::time::Instant::now();
        assert_eq!(
            hasher.verify("Demo-2026!".into(), None).await,
            Err(ApiError::Unavailable)
        );
        assert!(started.elapsed() >= Duration::from_millis(50));
        held.pop();
        assert!(!hasher.verify("Demo-2026!".into(), None).await.unwrap());
    }
}
