//! Type objects: `int`, `str`, `ValueError`, and (tier 2) user classes.
//!
//! A Python type is itself a value (`type(3) is int`, `isinstance(x, str)`,
//! `except KeyError:`), so every built-in type has one [`TypeObject`], made
//! once per interpreter thread and kept in the [`BuiltinTypes`] registry.
//! Methods of built-in types are not stored here: the VM dispatches them
//! natively on the value's variant (see `vm::methods`). Exception classes form
//! a tree through `base`, which is what `except ArithmeticError:` walks.

use super::instance::ClassMember;
use super::iterator::DictPart;

use super::coroutine::StepMadeBy;
use super::function::Function;
use crate::vm::value::Value;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// Which built-in type a type object stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BuiltinType {
    Object,
    NoneType,
    Bool,
    Int,
    Float,
    Str,
    Tuple,
    List,
    Dict,
    Set,
    Range,
    Slice,
    Ellipsis,
    Function,
    BuiltinFunction,
    Method,
    Type,
    Module,
    Coroutine,
    Iterator,
    DictView,
    Future,
    Task,
    EventLoop,
    Handle,
    // asyncio's synchronization primitives and queues (`event_loop::sync`)
    Lock,
    Event,
    Condition,
    Semaphore,
    BoundedSemaphore,
    Queue,
    LifoQueue,
    PriorityQueue,
    TaskGroup,
    Timeout,
    Generator,
    AsyncGenerator,
    AsyncGenStep,
    StaticMethod,
    ClassMethod,
    Property,
    Super,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypeKind {
    Builtin(BuiltinType),
    /// A built-in exception class (or, tier 2, a user subclass of one).
    Exception,
    /// A user-defined class (tier 2).
    User,
}

/// Entries in each class's method cache (a symbol's number picks one).
const METHOD_CACHE_SIZE: usize = 8;

/// One remembered [`TypeObject::lookup_method`] answer.
struct CachedMethod {
    name: crate::symbol::Symbol,
    /// The [`CLASS_EPOCH`] it was found in.
    epoch: u64,
    /// `None` if the lookup found no plain function. Weak: the cache must
    /// not keep a replaced method (and what its closure holds) alive.
    function: Option<std::rc::Weak<Function>>,
}

thread_local! {
    /// Bumped by every change to any class namespace: cached method
    /// lookups from an earlier epoch are stale.
    static CLASS_EPOCH: Cell<u64> = const { Cell::new(0) };
}

pub struct TypeObject {
    pub name: Rc<str>,
    /// The module the class is defined in, as its repr shows it:
    /// `<class 'asyncio.exceptions.CancelledError'>`.
    pub module: Rc<str>,
    pub kind: TypeKind,
    pub base: Option<Rc<TypeObject>>,
    /// The class namespace (user classes; empty for built-in types).
    /// Change it through [`TypeObject::attrs_mut`], which keeps the method
    /// caches right.
    pub attrs: RefCell<crate::symbol::SymbolMap<Value>>,
    /// The last few [`TypeObject::lookup_method`] answers.
    method_cache: RefCell<[Option<CachedMethod>; METHOD_CACHE_SIZE]>,
    /// Whether a `property` was ever stored in `attrs`: only then must an
    /// instance attribute lookup look at the class before the instance.
    pub has_properties: std::cell::Cell<bool>,
}

impl TypeObject {
    pub fn new(
        name: &str,
        module: &str,
        kind: TypeKind,
        base: Option<Rc<TypeObject>>,
    ) -> Rc<TypeObject> {
        Rc::new(TypeObject {
            name: Rc::from(name),
            module: Rc::from(module),
            kind,
            base,
            attrs: RefCell::new(Default::default()),
            method_cache: RefCell::new(Default::default()),
            has_properties: std::cell::Cell::new(false),
        })
    }

    /// The namespace, to change it. Every class's cached method lookups
    /// are forgotten, since a class's lookups see its bases' namespaces.
    pub fn attrs_mut(&self) -> std::cell::RefMut<'_, crate::symbol::SymbolMap<Value>> {
        CLASS_EPOCH.with(|epoch| epoch.set(epoch.get() + 1));
        self.attrs.borrow_mut()
    }

    /// `lookup(name)` when it finds a plain function (what `obj.name(...)`
    /// calls as a method), else `None`; cached per class, as CPython's
    /// type method cache does, so a method call needs no hash lookups
    /// along the chain of bases. The cache is only good until some class
    /// namespace changes (`attrs_mut`).
    pub fn lookup_method(&self, name: crate::symbol::Symbol) -> Option<Rc<Function>> {
        let epoch = CLASS_EPOCH.with(|epoch| epoch.get());
        // (Fibonacci hashing: the top bits of the product spread
        // neighbouring symbol numbers over the entries.)
        let way = (name.index().wrapping_mul(0x9E37_79B9) >> 29) as usize;
        if let Some(hit) = &self.method_cache.borrow()[way] {
            if hit.name == name && hit.epoch == epoch {
                match &hit.function {
                    None => return None,
                    Some(function) => {
                        if let Some(function) = function.upgrade() {
                            return Some(function);
                        }
                    }
                }
            }
        }
        let mut function = None;
        self.lookup_with(name, |value| {
            if let Value::Function(f) = value {
                function = Some(f.clone());
            }
            true
        });
        self.method_cache.borrow_mut()[way] = Some(CachedMethod {
            name,
            epoch,
            function: function.as_ref().map(Rc::downgrade),
        });
        function
    }

    /// The attribute `name` of this class or the first base that has it
    /// (the method resolution order of single inheritance).
    pub fn lookup(&self, name: crate::symbol::Symbol) -> Option<Value> {
        let mut class = self;
        loop {
            if let Some(v) = class.attrs.borrow().get(&name) {
                return Some(v.clone());
            }
            class = class.base.as_deref()?;
        }
    }

    /// Find `name` as `lookup` does and hand it to `use_value` by
    /// reference; false if no class in the chain has it.
    #[inline]
    pub fn lookup_with(
        &self,
        name: crate::symbol::Symbol,
        use_value: impl FnOnce(&Value) -> bool,
    ) -> bool {
        let mut class = self;
        loop {
            if let Some(v) = class.attrs.borrow().get(&name) {
                return use_value(v);
            }
            match class.base.as_deref() {
                Some(base) => class = base,
                None => return false,
            }
        }
    }

    /// Whether this class or a base holds a `property`.
    pub fn any_properties(&self) -> bool {
        // Fast answer: no class anywhere ever got a property.
        if !PROPERTIES_EXIST.with(|p| p.get()) {
            return false;
        }
        let mut class = self;
        loop {
            if class.has_properties.get() {
                return true;
            }
            match class.base.as_deref() {
                Some(base) => class = base,
                None => return false,
            }
        }
    }

    /// The class objects from this one up to `object` (`C.__mro__`).
    pub fn mro(self: &Rc<Self>) -> Vec<Rc<TypeObject>> {
        let mut chain = Vec::new();
        let mut current = Some(self.clone());
        while let Some(t) = current {
            current = t.base.clone();
            chain.push(t);
        }
        chain
    }

    /// `__main__.Point` for a user class defined in the main module.
    pub fn is_main(&self) -> bool {
        &*self.module == "__main__"
    }

    pub fn is_exception(&self) -> bool {
        self.kind == TypeKind::Exception
    }

    pub fn is_user_class(&self) -> bool {
        self.kind == TypeKind::User
    }

    /// Whether `self` is `other` or derives from it.
    pub fn is_subclass_of(self: &Rc<Self>, other: &Rc<TypeObject>) -> bool {
        if other.kind == TypeKind::Builtin(BuiltinType::Object) {
            return true;
        }
        if other.kind == TypeKind::Exception && &*other.name == "BaseExceptionGroup" {
            // `ExceptionGroup` has two bases in CPython; apy records one.
            let group = builtin_types().exceptions.exception_group.clone();
            if !Rc::ptr_eq(self, other) && self.is_subclass_of(&group) {
                return true;
            }
        }
        let mut current = Some(self.clone());
        while let Some(t) = current {
            if Rc::ptr_eq(&t, other) {
                return true;
            }
            current = t.base.clone();
        }
        false
    }

    /// `int`, or `asyncio.exceptions.CancelledError` outside `builtins`.
    pub fn qualified_name(&self) -> String {
        if &*self.module == "builtins" {
            self.name.to_string()
        } else {
            format!("{}.{}", self.module, self.name)
        }
    }

    /// Python's `repr` of a class: `<class 'int'>`.
    pub fn repr(&self) -> String {
        format!("<class '{}'>", self.qualified_name())
    }
}

/// Declares the registry of built-in exception classes: each line is
/// `field: "Name" (module) < base`.
macro_rules! exception_classes {
    ($root:ident; $($field:ident : $name:literal in $module:literal < $base:ident),* $(,)?) => {
        /// Every built-in exception class.
        pub struct ExceptionTypes {
            pub $root: Rc<TypeObject>,
            pub apy_deadlock: Rc<TypeObject>,
            $(pub $field: Rc<TypeObject>,)*
        }

        impl ExceptionTypes {
            fn new() -> ExceptionTypes {
                let $root =
                    TypeObject::new("BaseException", "builtins", TypeKind::Exception, None);
                $(
                    let $field = TypeObject::new(
                        $name, $module, TypeKind::Exception, Some($base.clone()));
                )*
                // apy's deadlock report: outside the hierarchy, so no
                // `except` clause catches it.
                let apy_deadlock =
                    TypeObject::new("Deadlock", "apy", TypeKind::Exception, None);
                ExceptionTypes { $root, apy_deadlock, $($field,)* }
            }

            /// Every built-in exception class.
            pub fn all(&self) -> Vec<Rc<TypeObject>> {
                vec![self.$root.clone(), $(self.$field.clone(),)*]
            }
        }
    };
}

exception_classes! {
    base_exception;
    exception: "Exception" in "builtins" < base_exception,
    system_exit: "SystemExit" in "builtins" < base_exception,
    keyboard_interrupt: "KeyboardInterrupt" in "builtins" < base_exception,
    generator_exit: "GeneratorExit" in "builtins" < base_exception,
    cancelled_error: "CancelledError" in "asyncio.exceptions" < base_exception,
    arithmetic_error: "ArithmeticError" in "builtins" < exception,
    zero_division_error: "ZeroDivisionError" in "builtins" < arithmetic_error,
    overflow_error: "OverflowError" in "builtins" < arithmetic_error,
    assertion_error: "AssertionError" in "builtins" < exception,
    attribute_error: "AttributeError" in "builtins" < exception,
    lookup_error: "LookupError" in "builtins" < exception,
    index_error: "IndexError" in "builtins" < lookup_error,
    key_error: "KeyError" in "builtins" < lookup_error,
    name_error: "NameError" in "builtins" < exception,
    unbound_local_error: "UnboundLocalError" in "builtins" < name_error,
    runtime_error: "RuntimeError" in "builtins" < exception,
    recursion_error: "RecursionError" in "builtins" < runtime_error,
    not_implemented_error: "NotImplementedError" in "builtins" < runtime_error,
    stop_iteration: "StopIteration" in "builtins" < exception,
    stop_async_iteration: "StopAsyncIteration" in "builtins" < exception,
    type_error: "TypeError" in "builtins" < exception,
    value_error: "ValueError" in "builtins" < exception,
    unicode_error: "UnicodeError" in "builtins" < value_error,
    os_error: "OSError" in "builtins" < exception,
    timeout_error: "TimeoutError" in "builtins" < os_error,
    import_error: "ImportError" in "builtins" < exception,
    module_not_found_error: "ModuleNotFoundError" in "builtins" < import_error,
    eof_error: "EOFError" in "builtins" < exception,
    memory_error: "MemoryError" in "builtins" < exception,
    syntax_error: "SyntaxError" in "builtins" < exception,
    indentation_error: "IndentationError" in "builtins" < syntax_error,
    tab_error: "TabError" in "builtins" < indentation_error,
    invalid_state_error: "InvalidStateError" in "asyncio.exceptions" < exception,
    base_exception_group: "BaseExceptionGroup" in "builtins" < base_exception,
    // Also a BaseExceptionGroup: see `exception_group.rs`.
    exception_group: "ExceptionGroup" in "builtins" < exception,
    warning: "Warning" in "builtins" < exception,
    runtime_warning: "RuntimeWarning" in "builtins" < warning,
    user_warning: "UserWarning" in "builtins" < warning,
    deprecation_warning: "DeprecationWarning" in "builtins" < warning,
}

thread_local! {
    /// Whether any class of this thread holds a `property` (most programs
    /// have none, and then instance attribute lookups skip the class).
    static PROPERTIES_EXIST: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

impl TypeObject {
    /// Record that this class now holds a `property`.
    pub fn mark_has_properties(&self) {
        self.has_properties.set(true);
        PROPERTIES_EXIST.with(|p| p.set(true));
    }
}

/// All built-in type objects of one interpreter thread.
pub struct BuiltinTypes {
    pub object: Rc<TypeObject>,
    pub none_type: Rc<TypeObject>,
    pub bool_: Rc<TypeObject>,
    pub int: Rc<TypeObject>,
    pub float: Rc<TypeObject>,
    pub str_: Rc<TypeObject>,
    pub tuple: Rc<TypeObject>,
    pub list: Rc<TypeObject>,
    pub dict: Rc<TypeObject>,
    pub set: Rc<TypeObject>,
    pub range: Rc<TypeObject>,
    pub slice: Rc<TypeObject>,
    pub ellipsis: Rc<TypeObject>,
    pub function: Rc<TypeObject>,
    pub builtin_function: Rc<TypeObject>,
    pub method: Rc<TypeObject>,
    pub type_: Rc<TypeObject>,
    pub module: Rc<TypeObject>,
    pub coroutine: Rc<TypeObject>,
    pub iterator: Rc<TypeObject>,
    pub dict_keys: Rc<TypeObject>,
    pub dict_values: Rc<TypeObject>,
    pub dict_items: Rc<TypeObject>,
    pub future: Rc<TypeObject>,
    pub task: Rc<TypeObject>,
    pub event_loop: Rc<TypeObject>,
    pub handle: Rc<TypeObject>,
    pub timer_handle: Rc<TypeObject>,
    pub sync: SyncTypes,
    pub generator: Rc<TypeObject>,
    pub async_generator: Rc<TypeObject>,
    pub async_generator_asend: Rc<TypeObject>,
    pub async_generator_athrow: Rc<TypeObject>,
    pub exceptions: ExceptionTypes,
    pub staticmethod: Rc<TypeObject>,
    pub classmethod: Rc<TypeObject>,
    pub property: Rc<TypeObject>,
    pub super_: Rc<TypeObject>,
}

/// The classes of asyncio's locks and queues, and the queues' exceptions.
pub struct SyncTypes {
    pub lock: Rc<TypeObject>,
    pub event: Rc<TypeObject>,
    pub condition: Rc<TypeObject>,
    pub semaphore: Rc<TypeObject>,
    pub bounded_semaphore: Rc<TypeObject>,
    pub queue: Rc<TypeObject>,
    pub lifo_queue: Rc<TypeObject>,
    pub priority_queue: Rc<TypeObject>,
    pub queue_empty: Rc<TypeObject>,
    pub queue_full: Rc<TypeObject>,
    pub task_group: Rc<TypeObject>,
    pub timeout: Rc<TypeObject>,
}

impl SyncTypes {
    fn new(object: &Rc<TypeObject>, exception: &Rc<TypeObject>) -> SyncTypes {
        let class = |name: &str, module: &str, kind: BuiltinType, base: &Rc<TypeObject>| {
            TypeObject::new(name, module, TypeKind::Builtin(kind), Some(base.clone()))
        };
        let locks = "asyncio.locks";
        let queues = "asyncio.queues";
        let semaphore = class("Semaphore", locks, BuiltinType::Semaphore, object);
        let queue = class("Queue", queues, BuiltinType::Queue, object);
        let error = |name: &str| {
            TypeObject::new(name, queues, TypeKind::Exception, Some(exception.clone()))
        };
        SyncTypes {
            lock: class("Lock", locks, BuiltinType::Lock, object),
            event: class("Event", locks, BuiltinType::Event, object),
            condition: class("Condition", locks, BuiltinType::Condition, object),
            bounded_semaphore: class(
                "BoundedSemaphore",
                locks,
                BuiltinType::BoundedSemaphore,
                &semaphore,
            ),
            semaphore,
            lifo_queue: class("LifoQueue", queues, BuiltinType::LifoQueue, &queue),
            priority_queue: class("PriorityQueue", queues, BuiltinType::PriorityQueue, &queue),
            queue,
            queue_empty: error("QueueEmpty"),
            queue_full: error("QueueFull"),
            task_group: class(
                "TaskGroup",
                "asyncio.taskgroups",
                BuiltinType::TaskGroup,
                object,
            ),
            timeout: class("Timeout", "asyncio.timeouts", BuiltinType::Timeout, object),
        }
    }
}

impl BuiltinTypes {
    fn new() -> BuiltinTypes {
        let object = TypeObject::new(
            "object",
            "builtins",
            TypeKind::Builtin(BuiltinType::Object),
            None,
        );
        let make = |name: &str, kind: BuiltinType| {
            TypeObject::new(
                name,
                "builtins",
                TypeKind::Builtin(kind),
                Some(object.clone()),
            )
        };
        let int = make("int", BuiltinType::Int);
        let future = TypeObject::new(
            "Future",
            "_asyncio",
            TypeKind::Builtin(BuiltinType::Future),
            Some(object.clone()),
        );
        let handle = TypeObject::new(
            "Handle",
            "asyncio.events",
            TypeKind::Builtin(BuiltinType::Handle),
            Some(object.clone()),
        );
        let bool_ = TypeObject::new(
            "bool",
            "builtins",
            TypeKind::Builtin(BuiltinType::Bool),
            Some(int.clone()),
        );
        let exceptions = ExceptionTypes::new();
        BuiltinTypes {
            none_type: make("NoneType", BuiltinType::NoneType),
            bool_,
            int,
            float: make("float", BuiltinType::Float),
            str_: make("str", BuiltinType::Str),
            tuple: make("tuple", BuiltinType::Tuple),
            list: make("list", BuiltinType::List),
            dict: make("dict", BuiltinType::Dict),
            set: make("set", BuiltinType::Set),
            range: make("range", BuiltinType::Range),
            slice: make("slice", BuiltinType::Slice),
            ellipsis: make("ellipsis", BuiltinType::Ellipsis),
            function: make("function", BuiltinType::Function),
            builtin_function: make("builtin_function_or_method", BuiltinType::BuiltinFunction),
            method: make("method", BuiltinType::Method),
            type_: make("type", BuiltinType::Type),
            module: make("module", BuiltinType::Module),
            coroutine: make("coroutine", BuiltinType::Coroutine),
            generator: make("generator", BuiltinType::Generator),
            async_generator: make("async_generator", BuiltinType::AsyncGenerator),
            async_generator_asend: make("async_generator_asend", BuiltinType::AsyncGenStep),
            async_generator_athrow: make("async_generator_athrow", BuiltinType::AsyncGenStep),
            iterator: make("iterator", BuiltinType::Iterator),
            dict_keys: make("dict_keys", BuiltinType::DictView),
            dict_values: make("dict_values", BuiltinType::DictView),
            dict_items: make("dict_items", BuiltinType::DictView),
            future: future.clone(),
            task: TypeObject::new(
                "Task",
                "_asyncio",
                TypeKind::Builtin(BuiltinType::Task),
                Some(future),
            ),
            event_loop: TypeObject::new(
                "_UnixSelectorEventLoop",
                "asyncio.unix_events",
                TypeKind::Builtin(BuiltinType::EventLoop),
                Some(object.clone()),
            ),
            handle: handle.clone(),
            timer_handle: TypeObject::new(
                "TimerHandle",
                "asyncio.events",
                TypeKind::Builtin(BuiltinType::Handle),
                Some(handle),
            ),
            sync: SyncTypes::new(&object, &exceptions.exception),
            exceptions,
            staticmethod: make("staticmethod", BuiltinType::StaticMethod),
            classmethod: make("classmethod", BuiltinType::ClassMethod),
            property: make("property", BuiltinType::Property),
            super_: make("super", BuiltinType::Super),
            object,
        }
    }
}

thread_local! {
    static BUILTIN_TYPES: Rc<BuiltinTypes> = Rc::new(BuiltinTypes::new());
}

/// The built-in types of this interpreter thread.
pub fn builtin_types() -> Rc<BuiltinTypes> {
    BUILTIN_TYPES.with(|types| types.clone())
}

/// The type of `value` (Python's `type(value)`).
pub fn type_of(value: &Value) -> Rc<TypeObject> {
    let t = builtin_types();
    match value {
        Value::Undefined | Value::None => t.none_type.clone(),
        Value::Bool(_) => t.bool_.clone(),
        Value::Int(_) | Value::BigInt(_) => t.int.clone(),
        Value::Float(_) => t.float.clone(),
        Value::Str(_) => t.str_.clone(),
        Value::Tuple(_) => t.tuple.clone(),
        Value::List(_) => t.list.clone(),
        Value::Dict(_) => t.dict.clone(),
        Value::DictView(v) => match v.part {
            DictPart::Keys => t.dict_keys.clone(),
            DictPart::Values => t.dict_values.clone(),
            DictPart::Items => t.dict_items.clone(),
        },
        Value::Set(_) => t.set.clone(),
        Value::Range(_) => t.range.clone(),
        Value::Slice(_) => t.slice.clone(),
        Value::Ellipsis => t.ellipsis.clone(),
        Value::Function(_) => t.function.clone(),
        Value::Builtin(_) => t.builtin_function.clone(),
        Value::BoundMethod(m) => {
            if m.is_builtin() {
                t.builtin_function.clone()
            } else {
                t.method.clone()
            }
        }
        Value::Type(_) => t.type_.clone(),
        Value::Exception(e) => e.class.clone(),
        Value::Module(_) => t.module.clone(),
        Value::Iterator(_) => t.iterator.clone(),
        Value::Coroutine(_) | Value::NativeCoroutine(_) => t.coroutine.clone(),
        Value::Future(_) => t.future.clone(),
        Value::Task(_) => t.task.clone(),
        Value::Loop(_) => t.event_loop.clone(),
        Value::Handle(h) => {
            if h.when.is_some() {
                t.timer_handle.clone()
            } else {
                t.handle.clone()
            }
        }
        Value::Sync(p) => p.class(),
        Value::Cell(_) | Value::Code(_) => t.object.clone(),
        Value::Generator(g) if g.is_async_generator() => t.async_generator.clone(),
        Value::Generator(_) => t.generator.clone(),
        Value::AsyncGenStep(step) => match step.made_by {
            StepMadeBy::Asend => t.async_generator_asend.clone(),
            StepMadeBy::Athrow | StepMadeBy::Aclose => t.async_generator_athrow.clone(),
        },
        Value::Instance(i) => i.class.clone(),
        Value::ClassMember(m) => match &**m {
            ClassMember::Static(_) => t.staticmethod.clone(),
            ClassMember::Class(_) => t.classmethod.clone(),
            ClassMember::Property { .. } => t.property.clone(),
        },
        Value::Super(_) => t.super_.clone(),
    }
}
