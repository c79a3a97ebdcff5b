//! `import` and `from ... import`: only apy's built-in modules exist.

use super::builtins::modules;
use super::object::exception::{self, PyResult};
use super::value::Value;
use super::Vm;
use crate::symbol::Symbol;

impl Vm {
    /// The module named `name`, created on first import and cached.
    pub(crate) fn import_module(&mut self, name: Symbol) -> PyResult<Value> {
        if let Some(module) = self.modules.get(&name) {
            return Ok(module.clone());
        }
        let text = name.text();
        let module = match &*text {
            "time" => modules::time_module(),
            "asyncio" => crate::event_loop::asyncio::asyncio_module(),
            _ => {
                let first = text.split('.').next().unwrap_or(&text);
                return Err(exception::module_not_found_error(format!(
                    "No module named '{first}'"
                )));
            }
        };
        self.modules.insert(name, module.clone());
        Ok(module)
    }

    /// `from module import name`.
    pub(crate) fn import_from(&mut self, module: &Value, name: Symbol) -> PyResult<Value> {
        let Value::Module(m) = module else {
            return Err(exception::import_error(format!(
                "cannot import name '{name}'"
            )));
        };
        m.get(name).ok_or_else(|| {
            exception::import_error(format!(
                "cannot import name '{name}' from '{}' (unknown location)",
                m.name
            ))
        })
    }
}
