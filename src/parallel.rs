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

/// The worker thread's queue of batches, started once per process; `None` if the thread
/// could not be started.
fn worker() -> Option<&'static std::sync::mpsc::Sender<Arc<Batch>>> {
    use std::sync::OnceLock;
    static WORKER: OnceLock<Option<std::sync::mpsc::Sender<Arc<Batch>>>> = OnceLock::new();
    WORKER
        .get_or_init(|| {
            let (send, receive) = std::sync::mpsc::channel::<Arc<Batch>>();
            std::thread::Builder::new()
                .name("fcorr-worker".into())
                .stack_size(WORKER_STACK)
                .spawn(move || {
                    let useful = two_cores();
                    // Batches taken on one core are left to their callers.
                    for batch in receive {
                        if useful {
                            drain(&batch);
                        }
                    }
                })
                .ok()
                .map(|_| send)
        })
        .as_ref()
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

/// Take and run tasks until none is left.
fn drain(batch: &Batch) {
    let (queue, done) = batch;
    loop {
        let task = {
            let mut q = lock(queue);
            match q.waiting.pop_front() {
                Some(task) => {
                    q.running += 1;
                    task
                }
                None => return,
            }
        };
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(task));
        let mut q = lock(queue);
        q.running -= 1;
        if let Err(panic) = outcome {
            q.panic.get_or_insert(panic);
        }
        drop(q);
        done.notify_all();
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
    let _ = worker.send(Arc::clone(&batch));
    let out = pinned();
    drain(&batch);
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

    /// Pinned work stays on the calling thread (where the per-thread caches live); a task
    /// taken by the worker runs on the worker.
    #[test]
    fn pinned_work_runs_on_the_calling_thread() {
        if !two_cores() {
            return;
        }
        let caller = std::thread::current().id();
        let (tx, rx) = std::sync::mpsc::channel();
        let task: Task = Box::new(move || tx.send(std::thread::current().id()).unwrap());
        // The pinned work waits for the task, which only the worker can run meanwhile.
        let (pinned, worker) = run(
            Threads::Two,
            || {
                let worker = rx.recv_timeout(std::time::Duration::from_secs(60));
                (std::thread::current().id(), worker)
            },
            vec![task],
        );
        assert_eq!(pinned, caller);
        assert_ne!(worker.unwrap(), caller);
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

    /// A panic in a task on the worker thread reaches the caller, after the other tasks ran.
    #[test]
    fn a_panic_on_the_worker_reaches_the_caller() {
        let after = Slot::new();
        let tasks: Vec<Task> = vec![Box::new(|| panic!("part failed")), after.task(|| 1)];
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            run(
                Threads::Two,
                || std::thread::sleep(std::time::Duration::from_millis(50)),
                tasks,
            )
        }));
        assert!(caught.is_err());
        assert_eq!(after.take(), Some(1));
    }
}
