//! The built-in modules `import` can load: `time` (and, from the event
//! loop, `asyncio`). Any other name is `ModuleNotFoundError`, as for a
//! module CPython cannot find.

use super::{exactly_one, no_keywords};
use crate::builtin_functions;
use crate::event_loop::clock::ClockKind;
use crate::symbol::intern;
use crate::vm::object::exception::{self, PyResult};
use crate::vm::object::function::Keywords;
use crate::vm::object::module::PyModule;
use crate::vm::value::Value;
use crate::vm::Vm;
use std::rc::Rc;
use std::time::{SystemTime, UNIX_EPOCH};

builtin_functions! { Some("time");
    TIME: "time" => time_time,
    MONOTONIC: "monotonic" => time_monotonic,
    PERF_COUNTER: "perf_counter" => time_perf_counter,
    SLEEP: "sleep" => time_sleep,
}

/// Build the `time` module.
pub fn time_module() -> Value {
    let module = PyModule::new("time");
    for f in [&TIME, &MONOTONIC, &PERF_COUNTER, &SLEEP] {
        module.set(intern(f.name), Value::Builtin(f));
    }
    Value::Module(Rc::new(module))
}

/// Under the virtual clock, wall-clock time is this fixed moment plus the
/// virtual seconds elapsed, so programs that print times stay
/// deterministic.
const VIRTUAL_EPOCH: f64 = 1_700_000_000.0;

fn is_virtual(vm: &Vm) -> bool {
    vm.clock.kind() == ClockKind::Virtual
}

fn time_time(vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    no_arguments("time", args, kwargs)?;
    if is_virtual(vm) {
        return Ok(Value::Float(VIRTUAL_EPOCH + vm.clock.now()));
    }
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0);
    Ok(Value::Float(now))
}

/// `time.monotonic()` and `time.perf_counter()`: the loop's clock (real or
/// virtual), as `loop.time()` is.
fn time_monotonic(vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    no_arguments("monotonic", args, kwargs)?;
    Ok(Value::Float(vm.clock.now()))
}

fn time_perf_counter(vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    no_arguments("perf_counter", args, kwargs)?;
    Ok(Value::Float(vm.clock.now()))
}

/// `time.sleep(s)`: blocks everything, the event loop included (under the
/// virtual clock, time jumps by `s`).
fn time_sleep(vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    let seconds = vm.to_float(exactly_one("sleep", args, kwargs)?)?;
    if seconds < 0.0 || seconds.is_nan() {
        return Err(exception::value_error("sleep length must be non-negative"));
    }
    vm.output.flush();
    if vm.observation.is_some() {
        vm.observe_blocking_call("time.sleep", seconds);
    }
    let deadline = vm.clock.now() + seconds;
    let interrupt = vm.interrupt_flag();
    vm.clock.wait_until(deadline, || {
        interrupt.load(std::sync::atomic::Ordering::Relaxed)
    });
    // Ctrl-C cuts the sleep short with KeyboardInterrupt, raised here as
    // CPython raises it (the caller may have nothing left to run that
    // would notice the flag, as at the end of a REPL input).
    if vm.interrupt_pending() {
        return Err(vm.take_interrupt());
    }
    Ok(Value::None)
}

fn no_arguments(name: &str, args: &[Value], kwargs: Keywords) -> PyResult<()> {
    no_keywords(name, kwargs)?;
    if !args.is_empty() {
        return Err(exception::type_error(format!(
            "time.{name}() takes no arguments ({} given)",
            args.len()
        )));
    }
    Ok(())
}
