//! User classes at run time: building a class from the namespace its body
//! filled, making instances (`__init__` runs as an ordinary frame, not a
//! Rust call), attribute lookup on instances and classes, and `super()`.
//!
//! Lookup follows CPython's rules for single inheritance: an instance's own
//! attributes first (unless the class defines a `property` of that name),
//! then the class and its bases in order. What is found on a class is
//! *bound* on the way out: a function becomes a bound method, a
//! `classmethod` binds to the class, a `staticmethod` is returned as is, a
//! `property` runs its getter.

use super::frame::FrameKind;
use super::object::exception::{self, PyException, PyResult};
use super::object::function::{BoundMethod, MethodKind};
use super::object::instance::{ClassMember, Instance, Super};
use super::object::types::{builtin_types, TypeKind, TypeObject};
use super::value::Value;
use super::{CallOutcome, Vm};
use crate::symbol::{intern, sym, Symbol};
use std::rc::Rc;

/// Methods every object has through `object` (and `BaseException`), called
/// natively when no class in the chain defines them: `super().__init__()`,
/// `super().__repr__()`.
/// Whether `name` is one of `object`'s own methods (or `__setattr__`,
/// which has no well-known symbol).
pub(crate) fn is_object_method(name: Symbol) -> bool {
    OBJECT_METHODS.contains(&name) || &*name.text() == "__setattr__"
}

/// Whether storing `value` as `name` in a class changes how its instances'
/// attributes are read or written (a `property`, a `__setattr__`): then
/// the dispatch loop's shortcuts for `obj.x` step aside.
pub(crate) fn is_attribute_hook(name: Symbol, value: &Value) -> bool {
    match value {
        Value::ClassMember(m) => matches!(&**m, ClassMember::Property { .. }),
        _ => &*name.text() == "__setattr__",
    }
}

const OBJECT_METHODS: &[Symbol] = &[
    sym::__init__,
    sym::__repr__,
    sym::__str__,
    sym::__eq__,
    sym::__ne__,
    sym::__hash__,
];

impl Vm {
    /// `BUILD_CLASS`: the stack holds the bases, the namespace and what
    /// the body returned (its `__class__` cell, or None).
    pub(crate) fn build_class(&mut self, name: Symbol, nbases: usize) -> PyResult<Value> {
        let body_result = self.fiber.pop();
        let namespace = self.fiber.pop();
        let bases = self.pop_n(nbases);
        let types = builtin_types();
        let base = match bases.first() {
            None => types.object.clone(),
            Some(Value::Type(t))
                if t.is_exception() || t.is_user_class() || Rc::ptr_eq(t, &types.object) =>
            {
                t.clone()
            }
            Some(Value::Type(t)) => {
                return Err(exception::type_error(format!(
                    "apy does not support subclassing the built-in type '{}'",
                    t.name
                )))
            }
            Some(other) => {
                return Err(exception::type_error(format!(
                    "a class can only derive from a class, not from '{}'",
                    other.type_name()
                )))
            }
        };
        let kind = if base.is_exception() {
            TypeKind::Exception
        } else {
            TypeKind::User
        };
        let class = TypeObject::new(&name.text(), "__main__", kind, Some(base));
        if let Value::Dict(ns) = &namespace {
            let mut attrs = class.attrs_mut();
            for (key, value) in ns.items() {
                let Value::Str(key) = key else { continue };
                let name = intern(key.as_str());
                if is_attribute_hook(name, &value) {
                    class.mark_has_properties();
                }
                attrs.insert(name, value);
            }
            // A class that defines `__eq__` but not `__hash__` is
            // unhashable, as in CPython.
            if attrs.contains_key(&sym::__eq__) && !attrs.contains_key(&sym::__hash__) {
                attrs.insert(sym::__hash__, Value::None);
            }
        }
        if let Value::Cell(cell) = &body_result {
            *cell.value.borrow_mut() = Value::Type(class.clone());
        }
        Ok(Value::Type(class))
    }

    /// `LOAD_NAME` in a class body: the namespace (local 0), then the
    /// globals and the built-ins.
    pub(crate) fn load_name(&mut self, base: usize, name: Symbol) -> PyResult<Value> {
        if let Value::Dict(ns) = self.fiber.get(base) {
            if let Some(v) = ns.get_str(&name.text()) {
                return Ok(v);
            }
        }
        let globals = self
            .fiber
            .frames
            .last()
            .expect("running frame")
            .globals()
            .clone();
        let slot = globals.slot_of(name);
        match globals.get(slot) {
            Value::Undefined => self.load_builtin(&globals, slot),
            v => Ok(v),
        }
    }

    pub(crate) fn store_name(&mut self, base: usize, name: Symbol, value: Value) {
        if let Value::Dict(ns) = self.fiber.get(base) {
            ns.set_str(&name.text(), value);
        }
    }

    pub(crate) fn delete_name(&mut self, base: usize, name: Symbol) -> PyResult<()> {
        let ns = self.fiber.get(base).clone();
        if let Value::Dict(d) = &ns {
            if self.dict_remove(d, &Value::str(&name.text()))?.is_some() {
                return Ok(());
            }
        }
        Err(exception::name_error(format!(
            "name '{name}' is not defined"
        )))
    }

    /// Call the user class at `callee_index` (its arguments above it): make
    /// the instance, then run `__init__` as a frame of kind `Init`, whose
    /// return hands back the instance.
    pub(crate) fn instantiate(
        &mut self,
        class: &Rc<TypeObject>,
        callee_index: usize,
        kwnames: &[Symbol],
    ) -> PyResult<CallOutcome> {
        let instance = if class.is_exception() {
            let positional = self.fiber.len() - callee_index - 1 - kwnames.len();
            let args: Vec<Value> = (0..positional)
                .map(|i| self.fiber.get(callee_index + 1 + i).clone())
                .collect();
            Value::Exception(PyException::new(class.clone(), args))
        } else {
            Value::Instance(Instance::new(class.clone()))
        };
        match class.lookup(sym::__init__) {
            Some(Value::Function(init)) => {
                // The call of the class is itself a level (CPython checks
                // it before `__init__`'s frame, with its own words).
                if self.fiber.frames.len() + self.outer_depth + 1 >= super::RECURSION_LIMIT {
                    self.fiber.truncate(callee_index);
                    return Err(exception::recursion_error(
                        "maximum recursion depth exceeded while calling a Python object",
                    ));
                }
                self.fiber.set(callee_index, Value::Function(init.clone()));
                self.fiber.insert(callee_index + 1, instance.clone());
                match self.call_function(&init, callee_index, kwnames)? {
                    CallOutcome::Pushed => {
                        self.fiber.frames.last_mut().expect("__init__ frame").kind =
                            FrameKind::Init(instance);
                        // CPython counts the call of the class itself as
                        // one more level of recursion than the `__init__`
                        // frame: deep recursion through constructors hits
                        // the limit at the same depth.
                        self.outer_depth += 1;
                        Ok(CallOutcome::Pushed)
                    }
                    CallOutcome::Done(result) => {
                        check_init_result(&result)?;
                        Ok(CallOutcome::Done(instance))
                    }
                }
            }
            Some(other) => {
                let (args, kwargs) = self.take_args(callee_index, kwnames);
                let init = self.bind_class_attr(other, &instance, class)?;
                let result = self.call(&init, &args, &kwargs)?;
                check_init_result(&result)?;
                Ok(CallOutcome::Done(instance))
            }
            None => {
                let given = self.fiber.len() - callee_index - 1;
                self.fiber.truncate(callee_index);
                if class.is_exception() {
                    if !kwnames.is_empty() {
                        return Err(exception::type_error(format!(
                            "{}() takes no keyword arguments",
                            class.name
                        )));
                    }
                } else if given > 0 {
                    return Err(exception::type_error(format!(
                        "{}() takes no arguments",
                        class.name
                    )));
                }
                Ok(CallOutcome::Done(instance))
            }
        }
    }

    /// `obj.name(args)` on an instance whose class defines `name` as a
    /// plain function taking exactly these arguments: push its frame, with
    /// the receiver as its first argument, without building a bound method.
    /// False (and nothing changed) when another path must handle it.
    pub(crate) fn call_instance_method(&mut self, name: Symbol, argc: usize) -> bool {
        let receiver_index = self.fiber.len() - argc - 1;
        let Value::Instance(instance) = self.fiber.get(receiver_index) else {
            return false;
        };
        if instance.class.any_properties() || instance.attrs.borrow().contains_key(&name) {
            return false;
        }
        let Some(f) = instance.class.lookup_method(name) else {
            return false;
        };
        let code = &f.code;
        if code.kind != crate::bytecode::code::CodeKind::Function
            || code.argcount as usize != argc + 1
            || !code.is_simple()
            || self.check_recursion().is_err()
            || self.interrupt_pending()
        {
            return false;
        }
        self.fiber
            .insert(receiver_index, Value::Function(f.clone()));
        self.push_simple_frame(&f, receiver_index + 1).is_ok()
    }

    /// An `__init__` frame returned (its result in the callee slot): pop it,
    /// and give its caller the instance. `Some(result)` if that was the
    /// last frame to run; an error raised here is unwound from the caller.
    #[cold]
    #[inline(never)]
    pub(crate) fn return_from_init(&mut self, stop_depth: usize) -> PyResult<Option<Value>> {
        let frame = self.fiber.frames.pop().expect("the __init__ frame");
        let FrameKind::Init(instance) = frame.kind else {
            unreachable!("return_from_init on an __init__ frame")
        };
        let checked = self.finish_init(instance);
        if self.fiber.frames.len() == stop_depth {
            let result = self.fiber.pop();
            return checked.map(|()| Some(result));
        }
        if let Err(e) = checked {
            self.unwind(e, stop_depth)?;
        }
        Ok(None)
    }

    /// An `__init__` frame returned: its result (on top of the stack) must
    /// be None, and the call's result is the instance.
    pub(crate) fn finish_init(&mut self, instance: Value) -> PyResult<()> {
        self.outer_depth = self.outer_depth.saturating_sub(1);
        let result = self.fiber.pop();
        let checked = check_init_result(&result);
        self.fiber.push(instance);
        checked
    }

    /// `obj.name` for an instance of a user class.
    pub(crate) fn instance_attr(
        &mut self,
        obj: &Value,
        instance: &Instance,
        name: Symbol,
    ) -> PyResult<Option<Value>> {
        let class = &instance.class;
        if class.any_properties() {
            if let Some(Value::ClassMember(m)) = class.lookup(name) {
                if let ClassMember::Property { getter, .. } = &*m {
                    let getter = getter.clone();
                    return self.call(&getter, std::slice::from_ref(obj), &[]).map(Some);
                }
            }
        }
        if let Some(v) = instance.attrs.borrow().get(&name) {
            return Ok(Some(v.clone()));
        }
        if name == sym::__dict__ {
            let dict = super::object::dict::PyDict::new();
            for (k, v) in instance.attrs.borrow().iter() {
                dict.set_str(&k.text(), v.clone());
            }
            return Ok(Some(Value::Dict(Rc::new(dict))));
        }
        if let Some(found) = self.class_attr_for(obj, class, name)? {
            return Ok(Some(found));
        }
        // `__getattr__` is the last resort, for names found nowhere else.
        match class.lookup(intern("__getattr__")) {
            Some(hook @ Value::Function(_)) => {
                let args = [obj.clone(), Value::str(&name.text())];
                self.call(&hook, &args, &[]).map(Some)
            }
            _ => Ok(None),
        }
    }

    /// An attribute found on `class` (or a base) for `receiver`, bound; or,
    /// failing that, one of `object`'s methods.
    pub(crate) fn class_attr_for(
        &mut self,
        receiver: &Value,
        class: &Rc<TypeObject>,
        name: Symbol,
    ) -> PyResult<Option<Value>> {
        match class.lookup(name) {
            Some(v) => self.bind_class_attr(v, receiver, class).map(Some),
            None if is_object_method(name) => Ok(Some(object_method(receiver, name))),
            None => Ok(None),
        }
    }

    /// What a class attribute becomes when read through `receiver`.
    pub(crate) fn bind_class_attr(
        &mut self,
        value: Value,
        receiver: &Value,
        class: &Rc<TypeObject>,
    ) -> PyResult<Value> {
        Ok(match &value {
            Value::Function(f) => Value::BoundMethod(Rc::new(BoundMethod {
                receiver: receiver.clone(),
                method: MethodKind::Python(f.clone()),
            })),
            Value::ClassMember(m) => match &**m {
                ClassMember::Static(f) => f.clone(),
                ClassMember::Class(f) => bind_to_class(f, class),
                ClassMember::Property { getter, .. } => {
                    let getter = getter.clone();
                    self.call(&getter, std::slice::from_ref(receiver), &[])?
                }
            },
            _ => value,
        })
    }

    /// `C.name` for a user class: functions come back as they are,
    /// class methods bound to `C`.
    pub(crate) fn user_class_attr(
        &mut self,
        class: &Rc<TypeObject>,
        name: Symbol,
    ) -> Option<Value> {
        let value = class.lookup(name)?;
        Some(match &value {
            Value::ClassMember(m) => match &**m {
                ClassMember::Static(f) => f.clone(),
                ClassMember::Class(f) => bind_to_class(f, class),
                ClassMember::Property { .. } => value.clone(),
            },
            _ => value,
        })
    }

    /// `obj.name = value` on an instance: a property's setter, or the
    /// instance's own attributes.
    pub(crate) fn set_instance_attr(
        &mut self,
        obj: &Value,
        instance: &Instance,
        name: Symbol,
        value: Value,
    ) -> PyResult<()> {
        let class = &instance.class;
        if class.any_properties() {
            if let Some(hook @ Value::Function(_)) = class.lookup(intern("__setattr__")) {
                let args = [obj.clone(), Value::str(&name.text()), value];
                return self.call(&hook, &args, &[]).map(|_| ());
            }
            if let Some(Value::ClassMember(m)) = class.lookup(name) {
                if let ClassMember::Property { setter, .. } = &*m {
                    return match setter {
                        Some(setter) => self.call(setter, &[obj.clone(), value], &[]).map(|_| ()),
                        None => Err(exception::attribute_error(format!(
                            "property '{name}' of '{}' object has no setter",
                            class.name
                        ))),
                    };
                }
            }
        }
        instance.attrs.borrow_mut().insert(name, value);
        Ok(())
    }

    /// `super()` with no arguments, called from a method: the class is the
    /// caller's `__class__` cell, the receiver its first argument.
    pub(crate) fn zero_argument_super(&mut self) -> PyResult<Value> {
        let frame = self.fiber.frames.last().expect("running frame");
        let code = frame.code().clone();
        let base = frame.base as usize;
        if code.argcount == 0 {
            return Err(exception::runtime_error("super(): no arguments"));
        }
        let class_slot = code
            .varnames
            .iter()
            .enumerate()
            .skip(code.first_freevar())
            .find(|(_, n)| &***n == "__class__")
            .map(|(i, _)| i);
        let class = match class_slot.map(|i| self.fiber.get(base + i)) {
            Some(Value::Cell(cell)) => cell.value.borrow().clone(),
            _ => Value::Undefined,
        };
        let Value::Type(class) = class else {
            return Err(exception::runtime_error(
                "super(): __class__ cell not found",
            ));
        };
        let receiver = match self.fiber.get(base) {
            Value::Cell(cell) => cell.value.borrow().clone(),
            v => v.clone(),
        };
        if matches!(receiver, Value::Undefined) {
            return Err(exception::runtime_error("super(): arg[0] deleted"));
        }
        Ok(Value::Super(Rc::new(Super { class, receiver })))
    }

    /// `super().name`: look in the classes after `super.class` in the
    /// receiver's chain.
    pub(crate) fn super_attr(&mut self, s: &Super, name: Symbol) -> PyResult<Option<Value>> {
        let owner = match &s.receiver {
            Value::Type(t) => t.clone(),
            other => super::object::types::type_of(other),
        };
        let mut current = s.class.base.clone();
        while let Some(t) = current {
            if let Some(v) = t.attrs.borrow().get(&name).cloned() {
                return self.bind_class_attr(v, &s.receiver, &owner).map(Some);
            }
            current = t.base.clone();
        }
        if is_object_method(name) {
            return Ok(Some(object_method(&s.receiver, name)));
        }
        Ok(None)
    }

    /// The methods of `object` and `BaseException` themselves, for
    /// receivers whose class does not override them.
    pub(crate) fn call_object_method(
        &mut self,
        receiver: &Value,
        name: Symbol,
        args: &[Value],
    ) -> Option<PyResult<Value>> {
        let result = match name {
            sym::__init__ => match receiver {
                Value::Exception(e) => {
                    *e.args.borrow_mut() = Rc::new(super::value::PyTuple::new(args.to_vec()));
                    Ok(Value::None)
                }
                _ if args.is_empty() => Ok(Value::None),
                _ => Err(exception::type_error(
                    "object.__init__() takes exactly one argument (the instance to initialize)",
                )),
            },
            sym::__repr__ => self.default_repr(receiver).map(Value::string),
            sym::__str__ => match receiver {
                Value::Exception(e) => self.exception_str(e).map(Value::string),
                _ => self.repr(receiver).map(Value::string),
            },
            sym::__eq__ | sym::__ne__ => match args {
                [other] => {
                    let same = receiver.is(other);
                    Ok(if same {
                        Value::Bool(name == sym::__eq__)
                    } else {
                        super::dunders::not_implemented()
                    })
                }
                _ => Err(exception::type_error(format!(
                    "expected 1 argument, got {}",
                    args.len()
                ))),
            },
            sym::__hash__ => Ok(Value::Int((receiver.identity() >> 4) as i64)),
            _ if &*name.text() == "__setattr__" => match (receiver, args) {
                (Value::Instance(instance), [Value::Str(attr), value]) => {
                    instance
                        .attrs
                        .borrow_mut()
                        .insert(intern(attr.as_str()), value.clone());
                    Ok(Value::None)
                }
                (Value::Exception(e), [Value::Str(attr), value]) => {
                    e.set_attr(intern(attr.as_str()), value.clone());
                    Ok(Value::None)
                }
                _ => Err(exception::type_error(
                    "__setattr__ expected a str attribute name and a value",
                )),
            },
            _ => return None,
        };
        Some(result)
    }

    /// `object.__repr__`: `<__main__.Point object at 0x7f...>`, or an
    /// exception's `MyError('message')`.
    pub(crate) fn default_repr(&mut self, v: &Value) -> PyResult<String> {
        match v {
            Value::Instance(i) => Ok(format!(
                "<{} object at {}>",
                i.class.qualified_name(),
                super::repr::address(v)
            )),
            Value::Exception(e) => {
                let mut out = String::from(&*e.class.name);
                let args = e.args();
                if args.items.len() == 1 {
                    out.push('(');
                    self.write_repr(&mut out, &args.items[0])?;
                    out.push(')');
                } else {
                    self.write_repr(&mut out, &Value::Tuple(args))?;
                }
                Ok(out)
            }
            other => self.repr(other),
        }
    }
}

fn object_method(receiver: &Value, name: Symbol) -> Value {
    Value::BoundMethod(Rc::new(BoundMethod {
        receiver: receiver.clone(),
        method: MethodKind::Builtin(name),
    }))
}

fn bind_to_class(f: &Value, class: &Rc<TypeObject>) -> Value {
    match f {
        Value::Function(f) => Value::BoundMethod(Rc::new(BoundMethod {
            receiver: Value::Type(class.clone()),
            method: MethodKind::Python(f.clone()),
        })),
        other => other.clone(),
    }
}

/// `TypeError: __init__() should return None, not 'int'`.
fn check_init_result(result: &Value) -> PyResult<()> {
    if result.is_none() {
        Ok(())
    } else {
        Err(exception::type_error(format!(
            "__init__() should return None, not '{}'",
            result.type_name()
        )))
    }
}
