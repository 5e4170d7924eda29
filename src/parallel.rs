//! Two threads for the independent parts of one report.
//!
//! A report is a handful of parts that read the same pair and write their own results. Some
//! must stay on the calling thread: the checks that share the pair's numeric side, whose
//! curves and remembered values are kept per thread. The others may run on either thread.
//! [`run`] runs the pinned work on the calling thread and offers the other tasks, largest
//! first, to one worker thread; the calling thread takes what is left once its pinned work is
//! done. A task is taken by whichever thread is free first, so the split follows the time
//! each part really takes. On a busy machine the worker may not be scheduled for a while: the
//! calling thread then does the rest itself, as one thread would, and does not wait for a
//! worker that has taken nothing. Each task writes its own [`Slot`], so the results and their
//! order do not depend on which thread ran what.
//!
//! The worker is one thread for the whole process, started by [`start`] (or the first
//! [`run`]) and idle between reports: starting a thread costs the caller 50–100 µs and the
//! new thread more before it runs, a large part of one report's analysis (about 1 ms), so a
//! program starts it before it derives the pair, and the thread is ready when the analysis
//! begins. Batches of different callers queue for it; a caller never waits for another's.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

/// Work that may run on either thread; it writes its result into its [`Slot`].
pub(crate) type Task = Box<dyn FnOnce() + Send + 'static>;

/// The worker thread's stack: as large as a main thread's usual one (8 MiB), so that no part
/// has less room on the worker than it had when every part ran on the main thread.
const WORKER_STACK: usize = 8 << 20;

/// How a report's parts are run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Threads {
    /// Everything on the calling thread, pinned work first, then the tasks in order (what
    /// the tests compare two threads with).
    #[cfg(test)]
    One,
    /// The calling thread and the worker thread, where the machine can run two threads at
    /// once (on a machine with one core the worker takes no task).
    Two,
}

/// Whether the machine can run two threads at once (about 60 µs of reading the system's
/// limits, on the worker thread, once).
fn two_cores() -> bool {
    std::thread::available_parallelism().is_ok_and(|n| n.get() >= 2)
}

/// The worker's queue of batches.
type Sender = std::sync::mpsc::Sender<Arc<Batch>>;

/// The worker thread, by its number, and its queue; `None` before it is started or after it
/// retired.
static WORKER: Mutex<Option<(u64, Sender)>> = Mutex::new(None);

/// The process the worker was started in: a child made by `fork` (Python's `multiprocessing`)
/// inherits the queue but not the thread, and starts its own.
static WORKER_PROCESS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

/// The worker's queue, started if there is none; `None` if no thread can be started.
fn worker() -> Option<Sender> {
    use std::sync::atomic::Ordering;
    let mut worker = lock(&WORKER);
    let here = std::process::id();
    if worker.is_some() && WORKER_PROCESS.load(Ordering::Relaxed) != here {
        *worker = None;
    }
    if worker.is_none() {
        *worker = spawn_worker();
        WORKER_PROCESS.store(here, Ordering::Relaxed);
    }
    worker.as_ref().map(|(_, queue)| queue.clone())
}

/// A new worker thread and its queue.
fn spawn_worker() -> Option<(u64, Sender)> {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let id = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let (queue, batches) = std::sync::mpsc::channel::<Arc<Batch>>();
    std::thread::Builder::new()
        .name("fcorr-worker".into())
        .stack_size(WORKER_STACK)
        .spawn(move || {
            // On one core, every batch is left to its caller.
            let useful = two_cores();
            for batch in &batches {
                // After a task panicked, this thread's per-thread state (caches, the depth of
                // nested integrations) may be left half-updated: it retires, and the batches
                // queued for it go to a new worker.
                if useful && !drain(&batch, &|| retire(id)) {
                    for batch in batches.try_iter() {
                        if let Some(next) = worker() {
                            let _ = next.send(batch);
                        }
                    }
                    return;
                }
            }
        })
        .ok()
        .map(|_| (id, queue))
}

/// Forget worker `id`, so that the next batch starts a new one.
fn retire(id: u64) {
    let mut worker = lock(&WORKER);
    if worker.as_ref().is_some_and(|(current, _)| *current == id) {
        *worker = None;
    }
}

/// Start the worker thread, if it is not running yet, so that the first [`run`] does not
/// wait for it.
pub(crate) fn start() {
    let _ = worker();
}

/// Where a task leaves its result.
pub(crate) struct Slot<T>(Arc<Mutex<Option<T>>>);

impl<T: Send + 'static> Slot<T> {
    pub(crate) fn new() -> Slot<T> {
        Slot(Arc::new(Mutex::new(None)))
    }

    /// The task that computes `work` into this slot.
    pub(crate) fn task(&self, work: impl FnOnce() -> T + Send + 'static) -> Task {
        let slot = Arc::clone(&self.0);
        Box::new(move || {
            let value = work();
            *lock(&slot) = Some(value);
        })
    }

    /// The result, once [`run`] has returned (`None` if the task did not run).
    pub(crate) fn take(self) -> Option<T> {
        lock(&self.0).take()
    }
}

/// A lock that is never held while a task runs, so never poisoned by one.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The tasks not yet taken, how many are running, and the first panic of one.
struct Queue {
    waiting: VecDeque<Task>,
    running: usize,
    panic: Option<Box<dyn std::any::Any + Send>>,
}

/// One caller's tasks: the queue, and the signal that a task is done.
type Batch = (Mutex<Queue>, Condvar);

/// Take and run tasks until none is left; `false` if one of them panicked (then `on_panic`
/// runs before the caller of [`run`] learns of the panic).
fn drain(batch: &Batch, on_panic: &dyn Fn()) -> bool {
    let (queue, done) = batch;
    loop {
        let task = {
            let mut q = lock(queue);
            match q.waiting.pop_front() {
                Some(task) => {
                    q.running += 1;
                    task
                }
                None => return true,
            }
        };
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(task));
        if outcome.is_err() {
            on_panic();
        }
        let mut q = lock(queue);
        q.running -= 1;
        let panicked = outcome.is_err();
        if let Err(panic) = outcome {
            q.panic.get_or_insert(panic);
        }
        drop(q);
        done.notify_all();
        if panicked {
            return false;
        }
    }
}

/// Run `pinned` on the calling thread and `tasks` on whichever thread is free first (with
/// [`Threads::Two`]: the worker thread takes them in order as soon as it is free, the calling
/// thread once `pinned` is done); returns what `pinned` returns once every task has run. Give
/// the tasks largest first. If the worker thread cannot be started, the calling thread runs
/// every task itself. A panic in a task is resumed on the calling thread.
pub(crate) fn run<R>(threads: Threads, pinned: impl FnOnce() -> R, tasks: Vec<Task>) -> R {
    let worker = match threads {
        Threads::Two if !tasks.is_empty() => worker(),
        _ => None,
    };
    let Some(worker) = worker else {
        let out = pinned();
        tasks.into_iter().for_each(|task| task());
        return out;
    };
    let batch: Arc<Batch> = Arc::new((
        Mutex::new(Queue {
            waiting: tasks.into(),
            running: 0,
            panic: None,
        }),
        Condvar::new(),
    ));
    // A worker that comes to the batch after the calling thread has taken every task finds
    // nothing to do; the caller does not wait for it.
    // Sent to a worker that has retired, the batch is left to its caller.
    let _ = worker.send(Arc::clone(&batch));
    let out = pinned();
    // The caller takes what is left, also after a task of its own panicked (the panic is
    // resumed below, once no task is running).
    while !drain(&batch, &|| ()) {}
    let (queue, done) = &*batch;
    let mut q = lock(queue);
    while q.running > 0 {
        q = done.wait(q).unwrap_or_else(PoisonError::into_inner);
    }
    if let Some(panic) = q.panic.take() {
        drop(q);
        std::panic::resume_unwind(panic);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every task runs once, and each result lands in its own slot, on one thread or two.
    #[test]
    fn every_task_runs_once_into_its_own_slot() {
        for threads in [Threads::One, Threads::Two] {
            let slots: Vec<Slot<usize>> = (0..16).map(|_| Slot::new()).collect();
            let tasks = slots
                .iter()
                .enumerate()
                .map(|(i, s)| s.task(move || i * i))
                .collect();
            assert_eq!(run(threads, || 7, tasks), 7);
            let got: Vec<Option<usize>> = slots.into_iter().map(Slot::take).collect();
            let want: Vec<Option<usize>> = (0..16).map(|i| Some(i * i)).collect();
            assert_eq!(got, want, "{threads:?}");
        }
    }

    /// Whether a task ran on the worker while the pinned work waited for it (up to 5 s).
    fn taken_by_the_worker() -> bool {
        let caller = std::thread::current().id();
        let (tx, rx) = std::sync::mpsc::channel();
        let task: Task = Box::new(move || tx.send(std::thread::current().id()).unwrap());
        let (pinned, _) = run(
            Threads::Two,
            || {
                let waited = rx.recv_timeout(std::time::Duration::from_secs(5));
                (std::thread::current().id(), waited)
            },
            vec![task],
        );
        assert_eq!(pinned, caller);
        // A task not taken while the pinned work waited runs on the caller afterwards.
        rx.try_recv().is_err()
    }

    /// Pinned work stays on the calling thread (where the per-thread caches live); a task
    /// taken by the worker runs on the worker. (A batch sent just as a worker retires is left
    /// to its caller: another test's panic may take one try.)
    #[test]
    fn pinned_work_runs_on_the_calling_thread() {
        if two_cores() {
            assert!((0..4).any(|_| taken_by_the_worker()));
        }
    }

    /// With one thread, the tasks run after the pinned work, in order.
    #[test]
    fn one_thread_runs_the_tasks_after_the_pinned_work_in_order() {
        let order = Arc::new(Mutex::new(Vec::new()));
        let push = |x| {
            let order = Arc::clone(&order);
            Box::new(move || lock(&order).push(x)) as Task
        };
        let tasks = (1..4).map(push).collect();
        run(Threads::One, || lock(&order).push(0), tasks);
        assert_eq!(*lock(&order), [0, 1, 2, 3]);
    }

    /// A panic in a task on the worker thread reaches the caller, after the other tasks ran;
    /// the worker retires, and the next batch has a new one.
    #[test]
    fn a_panic_on_the_worker_reaches_the_caller() {
        if !two_cores() {
            return;
        }
        let after = Slot::new();
        let (tx, rx) = std::sync::mpsc::channel();
        let tasks: Vec<Task> = vec![
            Box::new(move || {
                tx.send(()).unwrap();
                panic!("part failed")
            }),
            after.task(|| 1),
        ];
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            run(
                Threads::Two,
                // The pinned work waits until the worker has taken the failing task.
                || rx.recv_timeout(std::time::Duration::from_secs(20)),
                tasks,
            )
        }));
        assert!(caught.is_err());
        assert_eq!(after.take(), Some(1));
        assert!((0..4).any(|_| taken_by_the_worker()));
    }
}
