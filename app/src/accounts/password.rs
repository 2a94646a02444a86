//! Password hashing: argon2id with the OWASP-recommended minimum (19 MiB memory, 2 passes,
//! 1 lane). The one place that decides how passwords are stored.
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{Output, PasswordHash, PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};

fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("constant argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`) with a fresh random salt.
pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(hasher()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// `hash` on a password worker (see `workers`).
pub async fn hash_off_thread(password: String) -> Result<String, crate::errors::AppError> {
    let slot = workers::reserve()?;
    slot.run(move || hash(&password))
        .await?
        .map_err(|_| crate::errors::AppError::Internal.respond())
}

/// True when `password` matches the stored hash; a malformed hash never matches.
///
/// The 19 MiB of argon2's working memory are the calling thread's own, allocated at its first
/// check and reused by every later one (see `workers`): allocated afresh for each check, the
/// memory allocator kept every copy, and a few dozen sign-ins grew the server by 300 MB.
pub fn verify(password: &str, stored: &str) -> bool {
    MEMORY.with_borrow_mut(|memory| verify_with(password, stored, memory).unwrap_or(false))
}

thread_local! {
    static MEMORY: std::cell::RefCell<Vec<Block>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn verify_with(password: &str, stored: &str, memory: &mut Vec<Block>) -> Option<bool> {
    let parsed = PasswordHash::new(stored).ok()?;
    let (salt, expected) = (parsed.salt?, parsed.hash?);
    let params = Params::try_from(&parsed).ok()?;
    let algorithm = Algorithm::try_from(parsed.algorithm).ok()?;
    let version = match parsed.version {
        Some(version) => Version::try_from(version).ok()?,
        None => Version::default(),
    };
    let mut salt_bytes = [0u8; 64];
    let salt = salt.decode_b64(&mut salt_bytes).ok()?;
    memory.resize(params.block_count(), Block::default());
    let mut computed = vec![0u8; expected.len()];
    Argon2::new(algorithm, version, params)
        .hash_password_into_with_memory(password.as_bytes(), salt, &mut computed, &mut memory[..])
        .ok()?;
    // `Output` compares in constant time.
    Some(Output::new(&computed).ok()? == expected)
}

/// A few threads of their own for argon2, with a short queue in front of them.
///
/// Each hash takes 19 MiB for a moment on purpose. On tokio's blocking pool a flood of
/// sign-ins ran hundreds of hashes at once and the server grew by gigabytes (and the memory
/// allocator kept much of it per thread afterwards). Here at most `workers` hashes run at once,
/// on the same few threads every time, and at most `queue` wait; anyone beyond that is told
/// "busy, try again in a moment" (503) at once, before any database work.
pub mod workers {
    use crate::errors::AppError;
    use std::sync::{Arc, Mutex, OnceLock};
    use tokio::sync::{mpsc, oneshot};

    type Job = Box<dyn FnOnce() + Send>;

    /// Seconds a caller told "busy" waits: hashes finish in well under a second each.
    pub const BUSY_SECS: u32 = 2;

    struct Workers {
        jobs: mpsc::Sender<Job>,
    }

    static WORKERS: OnceLock<Workers> = OnceLock::new();

    /// Starts `workers` threads with room for `queue` waiting hashes. The first call wins;
    /// without one, the first use starts 2 workers with a queue of 16.
    pub fn configure(workers: usize, queue: usize) {
        WORKERS.get_or_init(|| start(workers, queue));
    }

    fn start(workers: usize, queue: usize) -> Workers {
        let (jobs, receiver) = mpsc::channel::<Job>(queue.max(1));
        let receiver = Arc::new(Mutex::new(receiver));
        for n in 0..workers.max(1) {
            let receiver = Arc::clone(&receiver);
            let spawned = std::thread::Builder::new()
                .name(format!("password-{n}"))
                .spawn(move || loop {
                    // The lock is held only while taking the next job, not while hashing.
                    let job = match receiver.lock() {
                        Ok(mut receiver) => receiver.blocking_recv(),
                        Err(_) => None,
                    };
                    match job {
                        Some(job) => job(),
                        None => break,
                    }
                });
            if let Err(error) = spawned {
                tracing::error!(%error, "cannot start a password worker");
            }
        }
        Workers { jobs }
    }

    /// A place in the queue, taken before the caller does any other work for the request.
    pub struct Slot(mpsc::Permit<'static, Job>);

    /// A place in the queue, or "busy" (503 with Retry-After) when the queue is full.
    pub fn reserve() -> Result<Slot, AppError> {
        let workers = WORKERS.get_or_init(|| start(2, 16));
        workers
            .jobs
            .try_reserve()
            .map(Slot)
            .map_err(|_| AppError::Busy { seconds: BUSY_SECS }.respond())
    }

    impl Slot {
        /// Runs `work` on a password worker and waits for its answer.
        pub async fn run<T: Send + 'static>(
            self,
            work: impl FnOnce() -> T + Send + 'static,
        ) -> Result<T, AppError> {
            let (answer, answered) = oneshot::channel();
            self.0.send(Box::new(move || {
                let _ = answer.send(work());
            }));
            answered.await.map_err(|_| AppError::Internal.respond())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_with_owasp_parameters_and_verify() {
        let stored = hash("correct horse").unwrap();
        assert!(
            stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{stored}"
        );
        assert!(verify("correct horse", &stored));
        assert!(!verify("wrong horse", &stored));
        assert!(!verify("correct horse", "not a hash"));
        // Checked again on the same thread's memory; the library's own check agrees.
        assert!(verify("correct horse", &stored));
        let parsed = PasswordHash::new(&stored).unwrap();
        use argon2::password_hash::PasswordVerifier;
        assert!(hasher().verify_password(b"correct horse", &parsed).is_ok());
    }

    #[test]
    fn the_same_password_gets_different_salts() {
        assert_ne!(hash("same").unwrap(), hash("same").unwrap());
    }

    #[tokio::test]
    async fn a_full_queue_answers_busy_at_once_and_the_workers_go_on() {
        workers::configure(1, 1);
        let (release, hold) = std::sync::mpsc::channel::<()>();
        // One job runs (blocked), one waits: the queue is full.
        let running = workers::reserve().unwrap().run(move || hold.recv().is_ok());
        let running = tokio::spawn(running);
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        let waiting = tokio::spawn(workers::reserve().unwrap().run(|| 2));
        let refused = workers::reserve();
        assert!(matches!(refused, Err(crate::errors::AppError::Busy { .. })));
        release.send(()).unwrap();
        assert!(running.await.unwrap().unwrap());
        assert_eq!(waiting.await.unwrap().unwrap(), 2);
        assert_eq!(workers::reserve().unwrap().run(|| 3).await.unwrap(), 3);
    }
}
