//! The instruction set: a typed `enum Op` with its operands inline.
//!
//! apy's bytecode is modelled on CPython 3.11's (the names are the same where
//! the meaning is, so `apy dis` reads like `python -m dis`), but it is a Rust
//! enum rather than a byte string: the compiler cannot emit a malformed
//! instruction, and the dispatch loop is one `match`. Every variant fits in
//! 8 bytes. In the comments, TOS is the top of the value stack, TOS1 the
//! item below it, and "the stack" means the current frame's value stack.
//!
//! Jump targets are instruction indices in the same code object.

/// One instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    // ----- stack ----------------------------------------------------------
    /// Do nothing.
    Nop,
    /// Discard TOS.
    PopTop,
    /// Push a copy of the n-th item from the top (1 = TOS).
    Copy(u32),
    /// Swap TOS with the n-th item from the top (2 = TOS1).
    Swap(u32),

    // ----- constants and variables ---------------------------------------
    /// Push `consts[i]`.
    LoadConst(u32),
    /// Push local `i`; `UnboundLocalError` if it has no value yet.
    LoadFast(u32),
    /// Pop TOS into local `i`.
    StoreFast(u32),
    /// Unbind local `i` (`del x`).
    DeleteFast(u32),
    /// At function entry: replace local `i` with a cell holding its value, so
    /// that nested functions can share the variable.
    MakeCell(u32),
    /// Push the value inside the cell in local `i`.
    LoadDeref(u32),
    /// Pop TOS into the cell in local `i`.
    StoreDeref(u32),
    /// Empty the cell in local `i` (`del x` of a shared variable).
    DeleteDeref(u32),
    /// Push the cell in local `i` itself, to build a closure.
    LoadClosure(u32),
    /// Push global `globals[i]`, falling back to the builtins.
    LoadGlobal(u32),
    /// Pop TOS into global `i`.
    StoreGlobal(u32),
    /// Unbind global `i`.
    DeleteGlobal(u32),
    /// Replace TOS with `TOS.names[i]`.
    LoadAttr(u32),
    /// `TOS.names[i] = TOS1`; pops both.
    StoreAttr(u32),
    /// `del TOS.names[i]`.
    DeleteAttr(u32),

    // ----- subscripts -----------------------------------------------------
    /// `TOS1[TOS]`.
    BinarySubscr,
    /// `TOS1[TOS] = TOS2`; pops all three.
    StoreSubscr,
    /// `del TOS1[TOS]`.
    DeleteSubscr,
    /// Build a slice object from the top 2 (`start, stop`) or 3 values.
    BuildSlice(u32),

    // ----- operators ------------------------------------------------------
    /// `TOS1 <op> TOS` for arithmetic and bitwise operators, plain or
    /// augmented (`+=` may update a list in place).
    BinaryOp(BinaryOpKind),
    /// `-TOS`.
    UnaryNegative,
    /// `+TOS`.
    UnaryPositive,
    /// `~TOS`.
    UnaryInvert,
    /// `not TOS`.
    UnaryNot,
    /// `TOS1 <cmp> TOS` for `< <= == != > >=`.
    CompareOp(CompareKind),
    /// `TOS1 is TOS` (`is not` when the flag is set).
    IsOp(bool),
    /// `TOS1 in TOS` (`not in` when the flag is set).
    ContainsOp(bool),

    // ----- jumps ----------------------------------------------------------
    /// Continue at instruction `target`.
    Jump(u32),
    /// Pop TOS; jump if it is false.
    PopJumpIfFalse(u32),
    /// Pop TOS; jump if it is true.
    PopJumpIfTrue(u32),
    /// If TOS is false jump and keep it, else pop it (`and`).
    JumpIfFalseOrPop(u32),
    /// If TOS is true jump and keep it, else pop it (`or`).
    JumpIfTrueOrPop(u32),

    // ----- iteration ------------------------------------------------------
    /// Replace TOS with `iter(TOS)`.
    GetIter,
    /// Push `next(TOS)`; when the iterator is exhausted, pop it and jump.
    ForIter(u32),

    // ----- building values --------------------------------------------------
    /// Pop n items into a new tuple.
    BuildTuple(u32),
    /// Pop n items into a new list.
    BuildList(u32),
    /// Pop n items into a new set.
    BuildSet(u32),
    /// Pop n key/value pairs into a new dict.
    BuildMap(u32),
    /// Pop n strings and push their concatenation (f-strings).
    BuildString(u32),
    /// Pop TOS and append it to the list n items down.
    ListAppend(u32),
    /// Pop TOS and extend the list n items down with it (`[*xs]`).
    ListExtend(u32),
    /// Pop TOS and add it to the set n items down.
    SetAdd(u32),
    /// Pop TOS and add its items to the set n items down (`{*xs}`).
    SetUpdate(u32),
    /// Pop a key and a value and put them in the dict n items down.
    MapAdd(u32),
    /// Pop TOS and update the dict n items down with it (`{**d}`).
    DictUpdate(u32),
    /// Like `DictUpdate`, but a repeated key is a `TypeError` (`f(**d)`).
    DictMerge(u32),
    /// Replace the list at TOS with a tuple of its items.
    ListToTuple,
    /// Format TOS for an f-string field, with a conversion and optionally a
    /// format spec (then the spec is TOS and the value TOS1).
    FormatValue(FormatFlags),
    /// Pop an iterable and push its exactly n items, last item deepest...
    /// first item on top, ready to be stored left to right.
    UnpackSequence(u32),
    /// Unpack with a starred target: `before` items, a list of the rest,
    /// `after` items.
    UnpackEx { before: u16, after: u16 },

    // ----- functions --------------------------------------------------------
    /// Pop a code object and make a function; the flags say which of
    /// defaults (a tuple), keyword defaults (a dict) and closure cells (a
    /// tuple) are below it.
    MakeFunction(MakeFunctionFlags),
    /// Call the callable below n positional arguments.
    Call(u32),
    /// Call with `argc` arguments, of which the last ones are passed by
    /// keyword; their names are `kwnames[kwnames]`.
    CallKw { argc: u16, kwnames: u16 },
    /// Call with an argument tuple (and a keyword dict if the flag is set):
    /// `f(*args, **kwargs)`.
    CallEx(bool),
    /// `TOS-argc.names[name](argc arguments)` without building a bound
    /// method object.
    CallMethod { name: u16, argc: u16 },
    /// Return TOS to the caller.
    ReturnValue,

    // ----- exceptions -------------------------------------------------------
    /// `raise` (0), `raise TOS` (1) or `raise TOS1 from TOS` (2).
    Raise(u32),
    /// Re-raise the exception at TOS with its traceback untouched (the end of
    /// a `finally`, or no `except` clause matched).
    Reraise,
    /// Entering an `except`/`finally` handler: push the previously handled
    /// exception under TOS and make TOS the handled exception.
    PushExcInfo,
    /// Leaving a handler: pop the saved exception and make it the handled
    /// one again.
    PopExcept,
    /// `TOS1` is an exception, `TOS` a class or tuple of classes: replace TOS
    /// with whether the exception matches (an `except` clause).
    CheckExcMatch,
    /// Push `AssertionError` (for `assert`).
    LoadAssertionError,

    // ----- modules ----------------------------------------------------------
    /// Push the built-in module `names[i]`.
    ImportName(u32),
    /// Push attribute `names[i]` of the module at TOS (`from m import x`).
    ImportFrom(u32),

    // ----- coroutines -------------------------------------------------------
    /// Replace TOS with an awaitable for it (a coroutine, task or future), or
    /// raise `TypeError` if it cannot be awaited.
    GetAwaitable,
    /// **Suspension point.** Await TOS: run a coroutine to its end inside this
    /// task, or, if TOS is a pending task or future, pause the whole task
    /// until it is done. Replaces TOS with the result.
    Await,

    // ----- the REPL ---------------------------------------------------------
    /// Pop TOS; if it is not None, print its repr and bind it to `_`.
    PrintExpr,

    // ----- superinstructions ------------------------------------------------
    // Never emitted by the compiler: `quicken` puts them in the copy of the
    // code the VM runs, in place of the first of the instructions they fuse
    // (the others stay, so indices, lines and handlers are unchanged). If
    // the fast case does not apply, the VM runs the first original
    // instruction instead.
    /// `LOAD_FAST local; LOAD_CONST konst`.
    LoadFastLoadConst { local: u16, konst: u16 },
    /// `LOAD_FAST first; LOAD_FAST second`.
    LoadFastLoadFast { first: u16, second: u16 },
    /// `STORE_FAST store; LOAD_FAST load`.
    StoreFastLoadFast { store: u16, load: u16 },
    /// `LOAD_FAST local; LOAD_CONST konst; BINARY_OP kind` on small ints.
    LocalConstBinaryOp {
        local: u16,
        konst: u16,
        kind: BinaryOpKind,
    },
    /// `BINARY_OP +` (or `+=`) on two small ints, the operator part of the
    /// instruction (CPython 3.11's `BINARY_OP_ADD_INT`).
    BinaryAdd,
    /// `LOAD_FAST local; LOAD_CONST konst; BINARY_OP +` (or `+=`) on small
    /// ints: the operator is part of the instruction, not an operand to
    /// dispatch on again.
    LocalConstAdd { local: u16, konst: u16 },
    /// `LOAD_FAST local; LOAD_CONST konst; BINARY_OP -` (or `-=`) on small
    /// ints.
    LocalConstSubtract { local: u16, konst: u16 },
    /// `LOAD_FAST local; LOAD_CONST konst; COMPARE_OP kind;
    /// POP_JUMP_IF_FALSE target` on small ints (`if n < 2:`): nothing
    /// goes through the stack.
    LocalConstCompareJumpIfFalse {
        local: u8,
        konst: u8,
        kind: CompareKind,
        target: u32,
    },
    /// As `LocalConstCompareJumpIfFalse`, for `POP_JUMP_IF_TRUE`.
    LocalConstCompareJumpIfTrue {
        local: u8,
        konst: u8,
        kind: CompareKind,
        target: u32,
    },
    /// `COMPARE_OP kind; POP_JUMP_IF_FALSE target` on small ints.
    CompareJumpIfFalse { kind: CompareKind, target: u32 },
    /// `COMPARE_OP kind; POP_JUMP_IF_TRUE target` on small ints.
    CompareJumpIfTrue { kind: CompareKind, target: u32 },
    /// `LOAD_FAST local; RETURN_VALUE`.
    ReturnFast(u32),
    /// `LOAD_CONST konst; RETURN_VALUE`.
    ReturnConst(u32),
    /// `CALL 1; GET_AWAITABLE; AWAIT`, whose fast case is
    /// `await asyncio.sleep(delay)` (see `awaited_sleep_delay` in
    /// `vm/coroutines.rs`).
    CallAwait,
    /// `CALL_METHOD name 1; GET_AWAITABLE; AWAIT`, whose fast case is
    /// `await asyncio.sleep(delay)`.
    CallMethodAwait { name: u16 },

    // ----- generators -------------------------------------------------------
    /// **Suspension point** of a generator: pop TOS and hand it to the frame
    /// that resumed this one; the generator's frame leaves the fiber. On
    /// resumption the value sent in (`None` for `next()`) is pushed.
    YieldValue,
    /// `yield from`: with `receiver, sent` on the stack, resume the receiver
    /// with `sent`. If it yields, the yielded value replaces `sent`; if it
    /// returns, its value replaces both and control jumps to the target.
    Send(u32),
    /// Replace TOS by an iterator for `yield from` (a generator stays itself).
    GetYieldFromIter,
    /// `async for`: replace TOS with `TOS.__aiter__()`.
    GetAiter,
    /// `async for`: push the awaitable `TOS.__anext__()` returns (the
    /// async iterator stays below it).
    GetAnext,
    /// End of an `async for`: with `aiter, exc` on the stack, pop both if
    /// `exc` is `StopAsyncIteration`, else re-raise it.
    EndAsyncFor,
    // ----- classes and context managers (tier 2) ----------------------------
    /// In a class body: push `names[i]` from the class namespace, else from
    /// the globals or the built-ins.
    LoadName(u32),
    /// In a class body: pop TOS into the class namespace as `names[i]`.
    StoreName(u32),
    /// In a class body: remove `names[i]` from the class namespace.
    DeleteName(u32),
    /// Below TOS: `nbases` bases, then the namespace the class body filled;
    /// TOS is what the body returned (its `__class__` cell or None). Pop
    /// them all and push the new class `names[name]`.
    BuildClass { name: u16, nbases: u16 },
    /// `with`: replace the context manager at TOS with its bound
    /// `__exit__`, and push its bound `__enter__`, which a `CALL 0` calls.
    BeforeWith,
    /// `async with`: as `BEFORE_WITH` with `__aexit__` and `__aenter__`
    /// (whose result is then awaited).
    BeforeAsyncWith,
    /// In a `with` block's exception handler (the stack ends `exit,
    /// previous exception, exception`): call `exit(type, exception, None)`
    /// and push its result.
    WithExceptStart,
}

/// The operator of a `BinaryOp`, plain or augmented (`+=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOpKind {
    Add,
    Subtract,
    Multiply,
    MatrixMultiply,
    TrueDivide,
    FloorDivide,
    Remainder,
    Power,
    LeftShift,
    RightShift,
    And,
    Or,
    Xor,
    InplaceAdd,
    InplaceSubtract,
    InplaceMultiply,
    InplaceMatrixMultiply,
    InplaceTrueDivide,
    InplaceFloorDivide,
    InplaceRemainder,
    InplacePower,
    InplaceLeftShift,
    InplaceRightShift,
    InplaceAnd,
    InplaceOr,
    InplaceXor,
}

impl BinaryOpKind {
    /// The Python operator symbol, as error messages print it.
    pub fn symbol(self) -> &'static str {
        use BinaryOpKind::*;
        match self {
            Add => "+",
            Subtract => "-",
            Multiply => "*",
            MatrixMultiply => "@",
            TrueDivide => "/",
            FloorDivide => "//",
            Remainder => "%",
            Power => "** or pow()",
            LeftShift => "<<",
            RightShift => ">>",
            And => "&",
            Or => "|",
            Xor => "^",
            InplaceAdd => "+=",
            InplaceSubtract => "-=",
            InplaceMultiply => "*=",
            InplaceMatrixMultiply => "@=",
            InplaceTrueDivide => "/=",
            InplaceFloorDivide => "//=",
            InplaceRemainder => "%=",
            InplacePower => "**=",
            InplaceLeftShift => "<<=",
            InplaceRightShift => ">>=",
            InplaceAnd => "&=",
            InplaceOr => "|=",
            InplaceXor => "^=",
        }
    }

    /// The plain operator an augmented one computes (`+=` → `+`).
    pub fn plain(self) -> BinaryOpKind {
        use BinaryOpKind::*;
        match self {
            InplaceAdd => Add,
            InplaceSubtract => Subtract,
            InplaceMultiply => Multiply,
            InplaceMatrixMultiply => MatrixMultiply,
            InplaceTrueDivide => TrueDivide,
            InplaceFloorDivide => FloorDivide,
            InplaceRemainder => Remainder,
            InplacePower => Power,
            InplaceLeftShift => LeftShift,
            InplaceRightShift => RightShift,
            InplaceAnd => And,
            InplaceOr => Or,
            InplaceXor => Xor,
            plain => plain,
        }
    }

    pub fn is_inplace(self) -> bool {
        self.plain() != self
    }
}

/// The operator of a `CompareOp`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompareKind {
    Less,
    LessEqual,
    Equal,
    NotEqual,
    Greater,
    GreaterEqual,
}

impl CompareKind {
    pub fn symbol(self) -> &'static str {
        match self {
            CompareKind::Less => "<",
            CompareKind::LessEqual => "<=",
            CompareKind::Equal => "==",
            CompareKind::NotEqual => "!=",
            CompareKind::Greater => ">",
            CompareKind::GreaterEqual => ">=",
        }
    }

    /// The comparison with its operands swapped (`a < b` is `b > a`).
    pub fn swapped(self) -> CompareKind {
        match self {
            CompareKind::Less => CompareKind::Greater,
            CompareKind::LessEqual => CompareKind::GreaterEqual,
            CompareKind::Equal => CompareKind::Equal,
            CompareKind::NotEqual => CompareKind::NotEqual,
            CompareKind::Greater => CompareKind::Less,
            CompareKind::GreaterEqual => CompareKind::LessEqual,
        }
    }
}

/// How `FormatValue` converts its value before formatting it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FormatFlags {
    /// `None`, or `!s`, `!r`, `!a`.
    pub conversion: Option<Conversion>,
    /// Whether a format spec is on the stack above the value.
    pub has_spec: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conversion {
    Str,
    Repr,
    Ascii,
}

/// What `MakeFunction` finds below the code object.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct MakeFunctionFlags {
    pub defaults: bool,
    pub kwdefaults: bool,
    pub closure: bool,
}

impl Op {
    /// The name `apy dis` prints, in CPython's style.
    pub fn name(&self) -> &'static str {
        match self {
            Op::Nop => "NOP",
            Op::PopTop => "POP_TOP",
            Op::Copy(_) => "COPY",
            Op::Swap(_) => "SWAP",
            Op::LoadConst(_) => "LOAD_CONST",
            Op::LoadFast(_) => "LOAD_FAST",
            Op::StoreFast(_) => "STORE_FAST",
            Op::DeleteFast(_) => "DELETE_FAST",
            Op::MakeCell(_) => "MAKE_CELL",
            Op::LoadDeref(_) => "LOAD_DEREF",
            Op::StoreDeref(_) => "STORE_DEREF",
            Op::DeleteDeref(_) => "DELETE_DEREF",
            Op::LoadClosure(_) => "LOAD_CLOSURE",
            Op::LoadGlobal(_) => "LOAD_GLOBAL",
            Op::StoreGlobal(_) => "STORE_GLOBAL",
            Op::DeleteGlobal(_) => "DELETE_GLOBAL",
            Op::LoadAttr(_) => "LOAD_ATTR",
            Op::StoreAttr(_) => "STORE_ATTR",
            Op::DeleteAttr(_) => "DELETE_ATTR",
            Op::BinarySubscr => "BINARY_SUBSCR",
            Op::StoreSubscr => "STORE_SUBSCR",
            Op::DeleteSubscr => "DELETE_SUBSCR",
            Op::BuildSlice(_) => "BUILD_SLICE",
            Op::BinaryOp(_) => "BINARY_OP",
            Op::UnaryNegative => "UNARY_NEGATIVE",
            Op::UnaryPositive => "UNARY_POSITIVE",
            Op::UnaryInvert => "UNARY_INVERT",
            Op::UnaryNot => "UNARY_NOT",
            Op::CompareOp(_) => "COMPARE_OP",
            Op::IsOp(_) => "IS_OP",
            Op::ContainsOp(_) => "CONTAINS_OP",
            Op::Jump(_) => "JUMP",
            Op::PopJumpIfFalse(_) => "POP_JUMP_IF_FALSE",
            Op::PopJumpIfTrue(_) => "POP_JUMP_IF_TRUE",
            Op::JumpIfFalseOrPop(_) => "JUMP_IF_FALSE_OR_POP",
            Op::JumpIfTrueOrPop(_) => "JUMP_IF_TRUE_OR_POP",
            Op::GetIter => "GET_ITER",
            Op::ForIter(_) => "FOR_ITER",
            Op::BuildTuple(_) => "BUILD_TUPLE",
            Op::BuildList(_) => "BUILD_LIST",
            Op::BuildSet(_) => "BUILD_SET",
            Op::BuildMap(_) => "BUILD_MAP",
            Op::BuildString(_) => "BUILD_STRING",
            Op::ListAppend(_) => "LIST_APPEND",
            Op::ListExtend(_) => "LIST_EXTEND",
            Op::SetAdd(_) => "SET_ADD",
            Op::SetUpdate(_) => "SET_UPDATE",
            Op::MapAdd(_) => "MAP_ADD",
            Op::DictUpdate(_) => "DICT_UPDATE",
            Op::DictMerge(_) => "DICT_MERGE",
            Op::ListToTuple => "LIST_TO_TUPLE",
            Op::FormatValue(_) => "FORMAT_VALUE",
            Op::UnpackSequence(_) => "UNPACK_SEQUENCE",
            Op::UnpackEx { .. } => "UNPACK_EX",
            Op::MakeFunction(_) => "MAKE_FUNCTION",
            Op::Call(_) => "CALL",
            Op::CallKw { .. } => "CALL_KW",
            Op::CallEx(_) => "CALL_FUNCTION_EX",
            Op::CallMethod { .. } => "CALL_METHOD",
            Op::ReturnValue => "RETURN_VALUE",
            Op::Raise(_) => "RAISE_VARARGS",
            Op::Reraise => "RERAISE",
            Op::PushExcInfo => "PUSH_EXC_INFO",
            Op::PopExcept => "POP_EXCEPT",
            Op::CheckExcMatch => "CHECK_EXC_MATCH",
            Op::LoadAssertionError => "LOAD_ASSERTION_ERROR",
            Op::ImportName(_) => "IMPORT_NAME",
            Op::ImportFrom(_) => "IMPORT_FROM",
            Op::GetAwaitable => "GET_AWAITABLE",
            Op::Await => "AWAIT",
            Op::PrintExpr => "PRINT_EXPR",
            Op::LoadFastLoadConst { .. } => "LOAD_FAST__LOAD_CONST",
            Op::LoadFastLoadFast { .. } => "LOAD_FAST__LOAD_FAST",
            Op::StoreFastLoadFast { .. } => "STORE_FAST__LOAD_FAST",
            Op::LocalConstBinaryOp { .. } => "LOAD_FAST__LOAD_CONST__BINARY_OP",
            Op::LocalConstAdd { .. } => "LOAD_FAST__LOAD_CONST__BINARY_OP_ADD",
            Op::BinaryAdd => "BINARY_OP_ADD_INT",
            Op::LocalConstSubtract { .. } => "LOAD_FAST__LOAD_CONST__BINARY_OP_SUBTRACT",
            Op::LocalConstCompareJumpIfFalse { .. } => {
                "LOAD_FAST__LOAD_CONST__COMPARE_OP__POP_JUMP_IF_FALSE"
            }
            Op::LocalConstCompareJumpIfTrue { .. } => {
                "LOAD_FAST__LOAD_CONST__COMPARE_OP__POP_JUMP_IF_TRUE"
            }
            Op::CompareJumpIfFalse { .. } => "COMPARE_OP__POP_JUMP_IF_FALSE",
            Op::CompareJumpIfTrue { .. } => "COMPARE_OP__POP_JUMP_IF_TRUE",
            Op::ReturnFast(_) => "LOAD_FAST__RETURN_VALUE",
            Op::ReturnConst(_) => "LOAD_CONST__RETURN_VALUE",
            Op::CallAwait => "CALL__GET_AWAITABLE__AWAIT",
            Op::CallMethodAwait { .. } => "CALL_METHOD__GET_AWAITABLE__AWAIT",
            Op::YieldValue => "YIELD_VALUE",
            Op::Send(_) => "SEND",
            Op::GetYieldFromIter => "GET_YIELD_FROM_ITER",
            Op::GetAiter => "GET_AITER",
            Op::GetAnext => "GET_ANEXT",
            Op::EndAsyncFor => "END_ASYNC_FOR",
            Op::LoadName(_) => "LOAD_NAME",
            Op::StoreName(_) => "STORE_NAME",
            Op::DeleteName(_) => "DELETE_NAME",
            Op::BuildClass { .. } => "BUILD_CLASS",
            Op::BeforeWith => "BEFORE_WITH",
            Op::BeforeAsyncWith => "BEFORE_ASYNC_WITH",
            Op::WithExceptStart => "WITH_EXCEPT_START",
        }
    }

    /// How the instruction changes the depth of the value stack, when it
    /// jumps (`jumping`) or falls through. Used to compute each code
    /// object's maximum stack depth, which the VM reserves on frame entry.
    pub fn stack_effect(&self, jumping: bool) -> i32 {
        let n = |x: u32| x as i32;
        match *self {
            Op::Nop | Op::Swap(_) | Op::MakeCell(_) | Op::DeleteFast(_) | Op::DeleteDeref(_) => 0,
            Op::DeleteGlobal(_) | Op::LoadAttr(_) | Op::UnaryNegative | Op::UnaryPositive => 0,
            Op::UnaryInvert | Op::UnaryNot | Op::GetIter | Op::ListToTuple => 0,
            Op::CheckExcMatch | Op::GetAwaitable | Op::Await | Op::Jump(_) => 0,
            Op::PopTop => -1,
            Op::Copy(_) | Op::LoadConst(_) | Op::LoadFast(_) | Op::LoadDeref(_) => 1,
            Op::LoadClosure(_) | Op::LoadGlobal(_) | Op::LoadAssertionError => 1,
            Op::ImportName(_) | Op::ImportFrom(_) | Op::PushExcInfo => 1,
            Op::StoreFast(_) | Op::StoreDeref(_) | Op::StoreGlobal(_) | Op::DeleteAttr(_) => -1,
            Op::StoreAttr(_) | Op::DeleteSubscr => -2,
            Op::BinarySubscr | Op::BinaryOp(_) | Op::CompareOp(_) | Op::IsOp(_) => -1,
            Op::ContainsOp(_) | Op::PopExcept | Op::ReturnValue | Op::Reraise => -1,
            Op::PrintExpr => -1,
            Op::StoreSubscr => -3,
            Op::BuildSlice(k) => 1 - n(k),
            Op::PopJumpIfFalse(_) | Op::PopJumpIfTrue(_) => -1,
            Op::JumpIfFalseOrPop(_) | Op::JumpIfTrueOrPop(_) => {
                if jumping {
                    0
                } else {
                    -1
                }
            }
            Op::ForIter(_) => {
                if jumping {
                    -1
                } else {
                    1
                }
            }
            Op::BuildTuple(k) | Op::BuildList(k) | Op::BuildSet(k) | Op::BuildString(k) => 1 - n(k),
            Op::BuildMap(k) => 1 - 2 * n(k),
            Op::ListAppend(_) | Op::ListExtend(_) | Op::SetAdd(_) | Op::SetUpdate(_) => -1,
            Op::DictUpdate(_) | Op::DictMerge(_) => -1,
            Op::MapAdd(_) => -2,
            Op::FormatValue(flags) => -(flags.has_spec as i32),
            Op::UnpackSequence(k) => n(k) - 1,
            Op::UnpackEx { before, after } => before as i32 + after as i32,
            Op::MakeFunction(flags) => {
                -(flags.defaults as i32 + flags.kwdefaults as i32 + flags.closure as i32)
            }
            Op::Call(argc) => -n(argc),
            Op::CallKw { argc, .. } | Op::CallMethod { argc, .. } => -(argc as i32),
            Op::CallEx(kwargs) => -1 - kwargs as i32,
            Op::Raise(k) => -n(k),
            // Superinstructions: the effect of the whole fused sequence.
            Op::LoadFastLoadConst { .. } | Op::LoadFastLoadFast { .. } => 2,
            Op::StoreFastLoadFast { .. } => 0,
            Op::LocalConstBinaryOp { .. }
            | Op::LocalConstAdd { .. }
            | Op::LocalConstSubtract { .. } => 1,
            Op::BinaryAdd => -1,
            Op::LocalConstCompareJumpIfFalse { .. } | Op::LocalConstCompareJumpIfTrue { .. } => 0,
            Op::CompareJumpIfFalse { .. } | Op::CompareJumpIfTrue { .. } => -2,
            Op::ReturnFast(_) | Op::ReturnConst(_) => 0,
            Op::CallAwait | Op::CallMethodAwait { .. } => -1,
            Op::YieldValue | Op::GetYieldFromIter | Op::GetAiter => 0,
            Op::Send(_) => -(jumping as i32),
            Op::GetAnext => 1,
            Op::EndAsyncFor => -2,
            Op::LoadName(_) | Op::BeforeWith | Op::BeforeAsyncWith => 1,
            Op::WithExceptStart => 1,
            Op::StoreName(_) => -1,
            Op::DeleteName(_) => 0,
            Op::BuildClass { nbases, .. } => -(nbases as i32) - 1,
        }
    }

    /// Whether execution never continues with the next instruction.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            Op::Jump(_)
                | Op::ReturnValue
                | Op::Raise(_)
                | Op::Reraise
                | Op::ReturnFast(_)
                | Op::ReturnConst(_)
        )
    }

    /// The jump target, for instructions that may jump.
    pub fn jump_target(&self) -> Option<u32> {
        match *self {
            Op::Jump(t)
            | Op::PopJumpIfFalse(t)
            | Op::PopJumpIfTrue(t)
            | Op::JumpIfFalseOrPop(t)
            | Op::JumpIfTrueOrPop(t)
            | Op::ForIter(t)
            | Op::Send(t)
            | Op::CompareJumpIfFalse { target: t, .. }
            | Op::CompareJumpIfTrue { target: t, .. }
            | Op::LocalConstCompareJumpIfFalse { target: t, .. }
            | Op::LocalConstCompareJumpIfTrue { target: t, .. } => Some(t),
            _ => None,
        }
    }

    /// Point a jump instruction at a new target (used when labels are bound).
    pub fn set_jump_target(&mut self, target: u32) {
        match self {
            Op::Jump(t)
            | Op::PopJumpIfFalse(t)
            | Op::PopJumpIfTrue(t)
            | Op::JumpIfFalseOrPop(t)
            | Op::JumpIfTrueOrPop(t)
            | Op::ForIter(t)
            | Op::Send(t) => *t = target,
            _ => panic!("set_jump_target on {self:?}, which does not jump"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_instruction_fits_in_eight_bytes() {
        assert!(std::mem::size_of::<Op>() <= 8);
    }
}
