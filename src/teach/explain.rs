//! One plain-English sentence per event, for `apy trace --explain` and the
//! stepper: what happened, and why, in the words a beginner needs.

use super::event::{Event, EventKind, Outcome, Resumption, Stream, Wait};

/// What a task waiting on `wait` is waiting for, as a phrase.
pub fn wait_phrase(wait: &Wait) -> String {
    match wait {
        Wait::Sleep { until } => format!("asyncio.sleep until {until:.3}"),
        Wait::Task { task } => format!("task {}", task.name),
        Wait::Gather { children } => format!("gather() of {children}"),
        Wait::WaitFor { until: Some(t) } => format!("wait_for (timeout at {t:.3})"),
        Wait::WaitFor { until: None } => "wait_for".to_string(),
        Wait::Future => "a Future".to_string(),
        Wait::Primitive {
            what, until, state, ..
        } => format!("{what} {until} ({state})"),
    }
}

/// Who will wake a task that waits on `wait`.
fn waker(wait: &Wait) -> String {
    match wait {
        Wait::Sleep { until } => format!(
            "the loop wakes it when the clock reaches {until:.3}; until then other tasks can run"
        ),
        Wait::Task { task } => format!("it wakes when task {} finishes", task.name),
        Wait::Gather { children } => format!(
            "it wakes when all {children} awaitables given to gather() are done (or one of them fails)"
        ),
        Wait::WaitFor { until } => match until {
            Some(t) => format!(
                "it wakes when the awaited thing finishes, or at {t:.3} when the timeout cancels it, whichever comes first"
            ),
            None => "it wakes when the awaited thing finishes".to_string(),
        },
        Wait::Future => "it wakes when some code calls set_result() or set_exception() on that Future; if nothing ever does, it waits forever".to_string(),
        Wait::Primitive { waker, .. } => waker.clone(),
    }
}

/// The sentence for `event`, or `None` for events that need none.
pub fn explain(event: &Event) -> Option<String> {
    let who = |t: &super::event::TaskRef| t.name.clone();
    Some(match &event.kind {
        EventKind::TaskCreated { target, coroutine } => format!(
            "{} is created to run {coroutine} and put in the ready queue; it has not started yet: it first runs when the running code pauses at an await and the loop reaches it.",
            who(target)
        ),
        EventKind::StepStarted { target, resumed } => match resumed {
            Resumption::First => format!(
                "The loop runs {} for the first time: its coroutine starts from the top and runs until it must wait.",
                who(target)
            ),
            Resumption::Closing { generator } => format!(
                "The loop runs {} for the first time: it throws GeneratorExit into {generator}() where it paused at a yield, so its finally blocks run (and may await) in this task.",
                who(target)
            ),
            Resumption::AfterYield => format!(
                "{}'s turn in the ready queue came again: it continues after its await.",
                who(target)
            ),
            Resumption::Woken { by } => format!(
                "{} continues right after its await: {} is done.",
                who(target),
                wait_phrase(by)
            ),
            Resumption::Cancelled => format!(
                "{} runs again, but only to receive CancelledError at its await.",
                who(target)
            ),
            Resumption::Thrown { exception } => format!(
                "{} runs again and {exception} is raised at its await (what it waited for failed).",
                who(target)
            ),
        },
        EventKind::Suspended { target, on } => format!(
            "{} pauses at an await and gives control back to the loop: it waits for {}; {}.",
            who(target),
            wait_phrase(on),
            waker(on)
        ),
        EventKind::Yielded { target } => format!(
            "{} gives control back with sleep(0) and goes to the back of the ready queue: every task already ready runs first.",
            who(target)
        ),
        EventKind::TaskDone { target, outcome } => match outcome {
            Outcome::Returned { value } => format!(
                "{} is finished: its coroutine returned {value}; whoever awaits it gets that value.",
                who(target)
            ),
            Outcome::Raised { exception } => format!(
                "{} ended with {exception}; whoever awaits it gets the exception (if nobody ever does, Python reports 'Task exception was never retrieved').",
                who(target)
            ),
            Outcome::Cancelled => format!("{} ended cancelled.", who(target)),
        },
        EventKind::Woken { target, by } => format!(
            "What {} waited for ({}) is done, so its wake-up is put in the ready queue; it runs when the loop reaches it.",
            who(target),
            wait_phrase(by)
        ),
        EventKind::CallbackScheduled { callback } => format!(
            "{callback}() is put in the ready queue: the loop calls it on a later pass."
        ),
        EventKind::AsyncGenFreed { generator } => format!(
            "The async generator {generator}() was freed before it finished (an `async for` left early, say). Its cleanup may await, so it cannot run here: the loop queues a callback that will close it in a task of its own (create_task(agen.aclose()))."
        ),
        EventKind::CallbackRun { callback } => format!(
            "The loop calls {callback}() now; a callback runs to its end and cannot await."
        ),
        EventKind::TimerArmed { when, purpose } => format!(
            "A timer is set for {when:.3} ({purpose}): the loop keeps it until the clock gets there."
        ),
        EventKind::TimerFired { when, purpose } => format!(
            "The timer for {when:.3} ({purpose}) is due: its work joins the ready queue."
        ),
        EventKind::ClockAdvanced { from, to } => format!(
            "Nothing is ready to run, so the virtual clock jumps from {from:.3} to {to:.3}, the next timer (no real waiting)."
        ),
        EventKind::CancelRequested { target } => format!(
            "cancel() only asks: {} gets CancelledError at its await the next time it runs.",
            who(target)
        ),
        EventKind::CancelDelivered { target } => format!(
            "CancelledError is raised inside {} where it paused; its except and finally blocks run now.",
            who(target)
        ),
        EventKind::FutureDone { future, outcome } => format!(
            "The future ({}) is done ({outcome}); the tasks waiting on it are woken.",
            wait_phrase(future)
        ),
        EventKind::AwaitedCoroutine { function } => format!(
            "`await {function}` runs the coroutine inside this same task, like a function call: no new task is created, so nothing else runs until it pauses."
        ),
        EventKind::Blocked {
            target,
            seconds,
            real,
        } => format!(
            "{} held the loop for {seconds:.3} s{} without reaching an await (a blocking call such as time.sleep, or a long computation): no other task could run. Use `await asyncio.sleep(...)` instead.",
            who(target),
            if *real { " of real time" } else { "" }
        ),
        EventKind::BlockingCall { function, seconds } => format!(
            "{function}({seconds}) does not await: the whole event loop stops for {seconds} s and no other task can run. In a coroutine, use `await asyncio.sleep({seconds})`."
        ),
        EventKind::BudgetExhausted { steps } => format!(
            "The run is stopped after {steps} steps: a loop that never awaits or ends would run forever."
        ),
        EventKind::Output {
            stream: Stream::Stderr,
            text,
        } if text.contains("was never awaited") => {
            "Calling a coroutine function only creates a coroutine object; its body never ran because nothing awaited it or made it a task.".to_string()
        }
        EventKind::Output { .. } | EventKind::Line { .. } | EventKind::Instruction { .. } => {
            return None
        }
    })
}
