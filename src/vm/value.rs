//! `Value`: every Python value apy can hold, in 16 bytes.
//!
//! Immediates (`None`, booleans, small ints, floats) live inline; everything
//! else is behind an `Rc`, so copying a value is at most a reference-count
//! increment and values are freed as soon as the last reference goes, as in
//! CPython. Ints start as `Int(i64)` and promote to `BigInt` on overflow; a
//! `BigInt` always holds a number outside the `i64` range, so equal numbers
//! always have the same representation.
//!
//! Mutable containers (`list`, `dict`, `set`) keep their contents in a
//! `RefCell`: Python code can reach the same list from many places, and the
//! VM mutates it through any of them.

use super::object::coroutine::{AsyncGenStep, Coroutine};
use super::object::dict::{DictView, PyDict};
use super::object::exception::PyException;
use super::object::function::{BoundMethod, BuiltinFunction, Function};
use super::object::instance::{ClassMember, Instance, Super};
use super::object::iterator::PyIterator;
use super::object::module::PyModule;
use super::object::range::PyRange;
use super::object::set::PySet;
use super::object::slice::PySlice;
use super::object::str::PyStr;
use super::object::types::TypeObject;
use crate::bytecode::code::Code;
use crate::event_loop::future::Future;
use crate::event_loop::handle::Handle;
use crate::event_loop::native::NativeCoroutine;
use crate::event_loop::task::Task;
use crate::event_loop::LoopObject;
use num_bigint::BigInt;
use std::cell::RefCell;
use std::rc::Rc;

/// The layout is `repr(C, u64)`: an 8-byte tag, then the payload word at
/// offset 8 (left uninitialised by the variants without one). With the
/// default layout (a tag byte,
/// a `bool` packed at offset 1) every value moved through memory, such as
/// a `PyResult<Value>` coming back from a call, was copied as the tag byte
/// plus two overlapping 4-byte pieces of bytes 1..8, and loading those
/// pieces stalled on store forwarding (`perf annotate` showed a fifth of
/// `slow_op`'s time on one such load). Two whole words copy cleanly: the
/// string benchmark ran 22% faster and the loop benchmark 15%. The tag
/// keeps its niche, so `Option<Value>` is still 16 bytes.
#[repr(C, u64)]
pub enum Value {
    /// The content of a local variable that has no value yet. Never visible
    /// to Python code: reading it raises `UnboundLocalError`/`NameError`.
    Undefined,
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Ellipsis,
    /// A built-in function: a `&'static`, which owns nothing, so like the
    /// variants above it is copied and dropped without a reference count
    /// (they come first so that one compare of the tag tells them apart).
    Builtin(&'static BuiltinFunction),
    BigInt(Rc<BigInt>),
    Str(Rc<PyStr>),
    Tuple(Rc<PyTuple>),
    List(Rc<PyList>),
    Dict(Rc<PyDict>),
    /// `d.keys()`, `d.values()`, `d.items()`: live views of a dict.
    DictView(Rc<DictView>),
    Set(Rc<PySet>),
    Range(Rc<PyRange>),
    Slice(Rc<PySlice>),
    Function(Rc<Function>),
    BoundMethod(Rc<BoundMethod>),
    Type(Rc<TypeObject>),
    Exception(Rc<PyException>),
    Module(Rc<PyModule>),
    Iterator(Rc<PyIterator>),
    Coroutine(Rc<Coroutine>),
    /// A coroutine implemented in Rust (`asyncio.sleep(1)`).
    NativeCoroutine(Rc<NativeCoroutine>),
    /// `asyncio.Future`.
    Future(Rc<Future>),
    /// `asyncio.Task`.
    Task(Rc<Task>),
    /// The running event loop, as `asyncio.get_running_loop()` returns it.
    Loop(Rc<LoopObject>),
    /// What `loop.call_soon`/`call_later` return.
    Handle(Rc<Handle>),
    /// `asyncio.Lock`, `Event`, `Condition`, `Semaphore`, `Queue`, ...
    Sync(Rc<crate::event_loop::sync::Primitive>),
    /// A shared variable (closure cell). Internal: lives only in local slots.
    Cell(Rc<PyCell>),
    /// A code object. Internal: lives only in constant tables.
    Code(Rc<Code>),
    /// A generator or async generator object (the code's kind says which).
    Generator(Rc<Coroutine>),
    /// What `agen.__anext__()` returns: awaiting it runs the async
    /// generator to its next `yield`.
    AsyncGenStep(Rc<AsyncGenStep>),
    /// An instance of a user class (tier 2).
    Instance(Rc<Instance>),
    /// `staticmethod(f)`, `classmethod(f)`, `property(f)`.
    ClassMember(Rc<ClassMember>),
    /// What `super()` returns.
    Super(Rc<Super>),
}

/// Cloning is on the hottest path of the VM (every `LOAD_FAST`), so the
/// immediates are copied inline and only heap values take the out-of-line
/// reference-count path.
impl Clone for Value {
    #[inline(always)]
    fn clone(&self) -> Value {
        // SAFETY: the bitwise copy is a valid clone once the reference
        // count of a heap value has been raised (`add_reference`); an
        // immediate (see `is_immediate`) owns nothing. One compare instead of a jump table on the variant, on
        // the path of every `LOAD_FAST` (measured with the fib benchmark).
        unsafe {
            if !self.is_immediate() {
                self.add_reference();
            }
            std::ptr::read(self)
        }
    }
}

/// `None`, the value of anything not yet set.
impl Default for Value {
    fn default() -> Value {
        Value::None
    }
}

impl Value {
    /// Raise the reference count of a heap value by one, leaking the new
    /// reference: the caller turns it into a value by copying the bits.
    /// Out of line and with nothing to return, so the copy is made from the
    /// original in place (returning a freshly built `Value` through memory
    /// made every push stall on a half-forwarded store: 17% of fib).
    #[inline(never)]
    fn add_reference(&self) {
        fn leak<T: ?Sized>(rc: &Rc<T>) {
            std::mem::forget(Rc::clone(rc));
        }
        match self {
            Value::Undefined
            | Value::None
            | Value::Bool(_)
            | Value::Int(_)
            | Value::Float(_)
            | Value::Ellipsis
            | Value::Builtin(_) => {}
            Value::BigInt(x) => leak(x),
            Value::Str(x) => leak(x),
            Value::Tuple(x) => leak(x),
            Value::List(x) => leak(x),
            Value::Dict(x) => leak(x),
            Value::DictView(x) => leak(x),
            Value::Set(x) => leak(x),
            Value::Range(x) => leak(x),
            Value::Slice(x) => leak(x),
            Value::Function(x) => leak(x),
            Value::BoundMethod(x) => leak(x),
            Value::Type(x) => leak(x),
            Value::Exception(x) => leak(x),
            Value::Module(x) => leak(x),
            Value::Iterator(x) => leak(x),
            Value::Coroutine(x) => leak(x),
            Value::NativeCoroutine(x) => leak(x),
            Value::Future(x) => leak(x),
            Value::Task(x) => leak(x),
            Value::Loop(x) => leak(x),
            Value::Handle(x) => leak(x),
            Value::Sync(x) => leak(x),
            Value::Cell(x) => leak(x),
            Value::Code(x) => leak(x),
            Value::Generator(x) => leak(x),
            Value::AsyncGenStep(x) => leak(x),
            Value::Instance(x) => leak(x),
            Value::ClassMember(x) => leak(x),
            Value::Super(x) => leak(x),
        }
    }

    /// Clone `self` straight into the uninitialised slot `dest` (the
    /// dispatch loop's pushes): no temporary on the way.
    ///
    /// # Safety
    /// `dest` must be valid for writes and hold no live value.
    #[inline(always)]
    pub unsafe fn clone_to(&self, dest: *mut Value) {
        if !self.is_immediate() {
            self.add_reference();
        }
        // SAFETY: the count was raised above (or there is none to raise).
        std::ptr::copy_nonoverlapping(self, dest, 1);
    }

    /// Move the value at `src` to the dead slot `dest` as two word-sized
    /// loads and stores. A value just built in place (a tag byte and a
    /// payload word) and then moved as one 16-byte vector stalls the CPU on
    /// store forwarding; this is the move for the result of `RETURN_VALUE`,
    /// usually computed by the instruction before.
    ///
    /// # Safety
    /// `src` holds a live value, which is dead afterwards; `dest` is valid
    /// for writes and holds no live value; they do not overlap.
    #[inline(always)]
    pub unsafe fn move_words(src: *const Value, dest: *mut Value) {
        const WORDS: usize = std::mem::size_of::<Value>() / 8;
        let src = src as *const std::mem::MaybeUninit<u64>;
        let dest = dest as *mut std::mem::MaybeUninit<u64>;
        for i in 0..WORDS {
            dest.add(i).write(src.add(i).read_volatile());
        }
    }

    /// Read (move out) the value at `src` as two word-sized loads. The
    /// value on top of the stack was usually just written by the
    /// instruction before, as a tag store and a payload store; a 16-byte
    /// vector load of it (what a plain `ptr::read` compiles to) cannot be
    /// forwarded from those two stores and stalls until they reach the
    /// cache. `STORE_FAST` spent a quarter of a `while` loop's time there.
    ///
    /// # Safety
    /// `src` holds a live value, which is dead afterwards.
    #[inline(always)]
    pub unsafe fn read_words(src: *const Value) -> Value {
        // As `MaybeUninit` words: the payload word of `None` or
        // `Undefined` was never written.
        let words = src as *const std::mem::MaybeUninit<u64>;
        let tag = words.read_volatile();
        let payload = words.add(1).read_volatile();
        // SAFETY: the two words are a live value's bytes, moved (see the
        // layout note on the type).
        std::mem::transmute::<[std::mem::MaybeUninit<u64>; 2], Value>([tag, payload])
    }

    /// Drop the value at `slot` where it is (no move to a temporary).
    ///
    /// # Safety
    /// `slot` must hold a live value, which is dead afterwards.
    #[inline(always)]
    pub unsafe fn drop_in_place(slot: *mut Value) {
        if !(*slot).is_immediate() {
            std::ptr::drop_in_place(slot);
        }
    }

    /// Whether the value holds no reference (dropping it frees nothing).
    #[inline(always)]
    pub fn is_immediate(&self) -> bool {
        matches!(
            self,
            Value::Int(_)
                | Value::Float(_)
                | Value::Bool(_)
                | Value::None
                | Value::Undefined
                | Value::Ellipsis
                | Value::Builtin(_)
        )
    }

    /// Drop a value, skipping the drop glue call for immediates (the hot
    /// paths of the dispatch loop drop many small ints).
    #[inline(always)]
    pub fn discard(self) {
        if self.is_immediate() {
            std::mem::forget(self);
        } else {
            drop(self);
        }
    }
}

/// A tuple: fixed items.
pub struct PyTuple {
    pub items: Box<[Value]>,
}

/// A list: items that can change.
pub struct PyList {
    pub items: RefCell<Vec<Value>>,
}

/// A variable shared between a function and the functions nested in it.
pub struct PyCell {
    pub value: RefCell<Value>,
}

impl Value {
    pub fn str(text: &str) -> Value {
        Value::Str(PyStr::new_rc(text))
    }

    pub fn string(text: String) -> Value {
        Value::Str(PyStr::rc_from_string(text))
    }

    pub fn tuple(items: Vec<Value>) -> Value {
        Value::Tuple(Rc::new(PyTuple {
            items: items.into_boxed_slice(),
        }))
    }

    pub fn list(items: Vec<Value>) -> Value {
        Value::List(Rc::new(PyList {
            items: RefCell::new(items),
        }))
    }

    pub fn cell(value: Value) -> Value {
        Value::Cell(Rc::new(PyCell {
            value: RefCell::new(value),
        }))
    }

    /// An int from a `BigInt`, demoted to `Int` when it fits in an `i64`.
    pub fn from_bigint(n: BigInt) -> Value {
        match i64::try_from(&n) {
            Ok(small) => Value::Int(small),
            Err(_) => Value::BigInt(Rc::new(n)),
        }
    }

    pub fn from_bool(b: bool) -> Value {
        Value::Bool(b)
    }

    pub fn is_none(&self) -> bool {
        matches!(self, Value::None)
    }

    /// Whether two values are the same object (Python's `is`).
    pub fn is(&self, other: &Value) -> bool {
        use Value::*;
        match (self, other) {
            (None, None) | (Ellipsis, Ellipsis) | (Undefined, Undefined) => true,
            (Bool(a), Bool(b)) => a == b,
            // CPython caches small ints; larger equal ints may or may not be
            // the same object. Equal values are the sensible answer.
            (Int(a), Int(b)) => a == b,
            (Float(a), Float(b)) => a.to_bits() == b.to_bits(),
            (BigInt(a), BigInt(b)) => Rc::ptr_eq(a, b),
            (Str(a), Str(b)) => Rc::ptr_eq(a, b) || (a.len() <= 1 && a.as_str() == b.as_str()),
            (Tuple(a), Tuple(b)) => Rc::ptr_eq(a, b) || (a.items.is_empty() && b.items.is_empty()),
            (List(a), List(b)) => Rc::ptr_eq(a, b),
            (Dict(a), Dict(b)) => Rc::ptr_eq(a, b),
            (DictView(a), DictView(b)) => Rc::ptr_eq(a, b),
            (Set(a), Set(b)) => Rc::ptr_eq(a, b),
            (Range(a), Range(b)) => Rc::ptr_eq(a, b),
            (Slice(a), Slice(b)) => Rc::ptr_eq(a, b),
            (Function(a), Function(b)) => Rc::ptr_eq(a, b),
            (Builtin(a), Builtin(b)) => std::ptr::eq(*a, *b),
            (BoundMethod(a), BoundMethod(b)) => Rc::ptr_eq(a, b),
            (Type(a), Type(b)) => Rc::ptr_eq(a, b),
            (Exception(a), Exception(b)) => Rc::ptr_eq(a, b),
            (Module(a), Module(b)) => Rc::ptr_eq(a, b),
            (Iterator(a), Iterator(b)) => Rc::ptr_eq(a, b),
            (Coroutine(a), Coroutine(b)) => Rc::ptr_eq(a, b),
            (NativeCoroutine(a), NativeCoroutine(b)) => Rc::ptr_eq(a, b),
            (Generator(a), Generator(b)) => Rc::ptr_eq(a, b),
            (AsyncGenStep(a), AsyncGenStep(b)) => Rc::ptr_eq(a, b),
            (Future(a), Future(b)) => Rc::ptr_eq(a, b),
            (Task(a), Task(b)) => Rc::ptr_eq(a, b),
            (Loop(a), Loop(b)) => a.id == b.id,
            (Handle(a), Handle(b)) => Rc::ptr_eq(a, b),
            (Sync(a), Sync(b)) => Rc::ptr_eq(a, b),
            (Cell(a), Cell(b)) => Rc::ptr_eq(a, b),
            (Code(a), Code(b)) => Rc::ptr_eq(a, b),
            (Instance(a), Instance(b)) => Rc::ptr_eq(a, b),
            (ClassMember(a), ClassMember(b)) => Rc::ptr_eq(a, b),
            (Super(a), Super(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }

    /// A number standing for this object's identity (Python's `id`).
    pub fn identity(&self) -> usize {
        use Value::*;
        fn addr<T>(rc: &Rc<T>) -> usize {
            Rc::as_ptr(rc) as *const u8 as usize
        }
        match self {
            Undefined => 0x1000,
            None => 0x1010,
            Ellipsis => 0x1020,
            Bool(b) => 0x1030 + *b as usize * 0x10,
            Int(i) => 0x10_0000_0000usize.wrapping_add((*i as usize).wrapping_mul(32)),
            Float(f) => 0x20_0000_0000usize.wrapping_add(f.to_bits() as usize),
            BigInt(x) => addr(x),
            Str(x) => addr(x),
            Tuple(x) => addr(x),
            List(x) => addr(x),
            Dict(x) => addr(x),
            DictView(x) => addr(x),
            Set(x) => addr(x),
            Range(x) => addr(x),
            Slice(x) => addr(x),
            Function(x) => addr(x),
            Builtin(x) => *x as *const BuiltinFunction as usize,
            BoundMethod(x) => addr(x),
            Type(x) => addr(x),
            Exception(x) => addr(x),
            Module(x) => addr(x),
            Iterator(x) => addr(x),
            Coroutine(x) => addr(x),
            NativeCoroutine(x) => addr(x),
            Future(x) => addr(x),
            Task(x) => addr(x),
            Loop(x) => addr(x),
            Handle(x) => addr(x),
            Sync(x) => addr(x),
            Cell(x) => addr(x),
            Code(x) => addr(x),
            Generator(x) => addr(x),
            AsyncGenStep(x) => addr(x),
            Instance(x) => addr(x),
            ClassMember(x) => addr(x),
            Super(x) => addr(x),
        }
    }

    /// The name of the value's type, as error messages print it.
    pub fn type_name(&self) -> Rc<str> {
        match self {
            Value::Exception(e) => e.class.name.clone(),
            Value::Type(t) if t.is_exception() || t.is_user_class() => Rc::from("type"),
            Value::Iterator(it) => Rc::from(it.type_name()),
            Value::DictView(v) => Rc::from(v.type_name()),
            Value::Instance(i) => i.class.name.clone(),
            _ => Rc::from(self.static_type_name()),
        }
    }

    /// The type name for every value whose type is fixed by its variant.
    pub fn static_type_name(&self) -> &'static str {
        match self {
            Value::Undefined => "<undefined>",
            Value::None => "NoneType",
            Value::Bool(_) => "bool",
            Value::Int(_) | Value::BigInt(_) => "int",
            Value::Float(_) => "float",
            Value::Str(_) => "str",
            Value::Tuple(_) => "tuple",
            Value::List(_) => "list",
            Value::Dict(_) => "dict",
            Value::DictView(_) => "dict_view",
            Value::Set(_) => "set",
            Value::Range(_) => "range",
            Value::Slice(_) => "slice",
            Value::Ellipsis => "ellipsis",
            Value::Function(_) => "function",
            Value::Builtin(_) => "builtin_function_or_method",
            Value::BoundMethod(m) => {
                if m.is_builtin() {
                    "builtin_function_or_method"
                } else {
                    "method"
                }
            }
            Value::Type(_) => "type",
            Value::Exception(_) => "BaseException",
            Value::Module(_) => "module",
            Value::Iterator(_) => "iterator",
            Value::Coroutine(_) | Value::NativeCoroutine(_) => "coroutine",
            Value::Future(_) => "Future",
            Value::Task(_) => "Task",
            Value::Loop(_) => "_UnixSelectorEventLoop",
            Value::Handle(h) => {
                if h.when.is_some() {
                    "TimerHandle"
                } else {
                    "Handle"
                }
            }
            Value::Sync(p) => p.class_name(),
            Value::Cell(_) => "cell",
            Value::Code(_) => "code",
            Value::Generator(g) if g.is_async_generator() => "async_generator",
            Value::Generator(_) => "generator",
            Value::AsyncGenStep(step) => step.type_name(),
            Value::Instance(_) => "object",
            Value::ClassMember(m) => m.type_name(),
            Value::Super(_) => "super",
        }
    }
}

impl std::fmt::Debug for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Int(i) => write!(f, "Int({i})"),
            Value::Float(x) => write!(f, "Float({x})"),
            Value::Bool(b) => write!(f, "Bool({b})"),
            Value::Str(s) => write!(f, "Str({:?})", s.as_str()),
            other => write!(f, "<{}>", other.static_type_name()),
        }
    }
}

impl PyTuple {
    pub fn new(items: Vec<Value>) -> PyTuple {
        PyTuple {
            items: items.into_boxed_slice(),
        }
    }
}

impl PyList {
    pub fn new(items: Vec<Value>) -> PyList {
        PyList {
            items: RefCell::new(items),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_fits_in_sixteen_bytes() {
        assert_eq!(std::mem::size_of::<Value>(), 16);
        assert_eq!(std::mem::size_of::<Option<Value>>(), 16);
        assert_eq!(
            std::mem::size_of::<crate::vm::object::exception::PyResult<Value>>(),
            16
        );
    }

    #[test]
    fn bigints_that_fit_are_demoted() {
        assert!(matches!(Value::from_bigint(BigInt::from(5)), Value::Int(5)));
        let big = BigInt::from(i64::MAX) + 1;
        assert!(matches!(Value::from_bigint(big), Value::BigInt(_)));
    }
}
