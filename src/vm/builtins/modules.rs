//! The built-in modules `import` can load: `time` (and, from the event
//! loop, `asyncio`). Any other name is `ModuleNotFoundError`, as for a
//! module CPython cannot find.

use super::{exactly_one, no_keywords};
use crate::builtin_functions;
use crate::symbol::intern;
use crate::vm::object::exception::{self, PyResult};
use crate::vm::object::function::Keywords;
use crate::vm::object::module::PyModule;
use crate::vm::value::Value;
use crate::vm::Vm;
use std::rc::Rc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

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

fn process_start() -> Instant {
    thread_local! {
        static START: Instant = Instant::now();
    }
    START.with(|s| *s)
}

fn time_time(_vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    no_arguments("time", args, kwargs)?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0);
    Ok(Value::Float(now))
}

fn time_monotonic(_vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    no_arguments("monotonic", args, kwargs)?;
    Ok(Value::Float(process_start().elapsed().as_secs_f64()))
}

fn time_perf_counter(_vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    no_arguments("perf_counter", args, kwargs)?;
    Ok(Value::Float(process_start().elapsed().as_secs_f64()))
}

fn time_sleep(vm: &mut Vm, args: &[Value], kwargs: Keywords) -> PyResult<Value> {
    let seconds = vm.to_float(exactly_one("sleep", args, kwargs)?)?;
    if seconds < 0.0 || seconds.is_nan() {
        return Err(exception::value_error("sleep length must be non-negative"));
    }
    vm.output.flush();
    std::thread::sleep(std::time::Duration::from_secs_f64(seconds));
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
