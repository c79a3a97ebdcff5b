//! The compiler: AST in, code objects out.
//!
//! It runs in two passes. The scope pass ([`scope`]) decides where every
//! name lives. Code generation then walks the tree once, emitting bytecode
//! into a [`builder::CodeBuilder`] per function body; a nested `def` is
//! compiled to its own code object, stored as a constant of the enclosing
//! one and turned into a function by `MAKE_FUNCTION` when the `def`
//! statement runs. Statements are in [`stmt`], expressions in [`expr`].
//!
//! Errors found here are Python's compile-time errors: `'return' outside
//! function`, `'await' outside async function`, `no binding for nonlocal`,
//! and apy's refusals of constructs outside its subset.

pub mod builder;
mod class;
mod expr;
pub mod scope;
mod stmt;
mod with;

use crate::bytecode::code::{Code, CodeKind, GlobalNames};
use crate::bytecode::op::{MakeFunctionFlags, Op};
use crate::diagnostics::SyntaxDiagnostic;
use crate::parser::ast::*;
use crate::source::SourceFile;
use crate::span::Span;
use crate::symbol::intern;
use crate::vm::value::Value;
use builder::{CodeBuilder, Label, LocalLayout};
use scope::{NameKind, Scope, ScopeKind, ScopeTable};
use std::collections::HashMap;
use std::rc::Rc;

/// Why a module could not be compiled.
#[derive(Clone, Debug, PartialEq)]
pub enum CompileError {
    /// A `SyntaxError` (or a refused construct).
    Syntax(SyntaxDiagnostic),
    /// The tree is nested too deeply to compile: CPython's
    /// `RecursionError: maximum recursion depth exceeded during compilation`.
    TooDeep,
}

impl From<SyntaxDiagnostic> for CompileError {
    fn from(d: SyntaxDiagnostic) -> Self {
        CompileError::Syntax(d)
    }
}

type Result<T> = std::result::Result<T, CompileError>;

/// How top-level expression statements are compiled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// A script: values of expression statements are discarded.
    Module,
    /// One REPL input: values of top-level expressions are echoed, and
    /// `await` is allowed at the top level (as in `python -m asyncio`).
    Interactive,
}

/// Nesting deeper than this is refused, as CPython refuses it.
const MAX_NESTING: u32 = 2000;

/// Compile a parsed module. `global_names` is the module's global-variable
/// layout (fresh for a script; shared across inputs in the REPL).
pub fn compile_module(
    module: &Module,
    source: Rc<SourceFile>,
    global_names: Rc<GlobalNames>,
    mode: Mode,
) -> Result<Rc<Code>> {
    let scopes = scope::analyze(module, &source.text)?;
    let mut compiler = Compiler {
        source: source.clone(),
        scopes: &scopes,
        global_names: global_names.clone(),
        units: Vec::new(),
        mode,
        nesting: 0,
        top_level_await: false,
    };
    let builder = CodeBuilder::new(
        Rc::from("<module>"),
        Rc::from("<module>"),
        CodeKind::Module,
        source,
        global_names,
        Span::default(),
    );
    compiler
        .units
        .push(Unit::new(builder, &scopes.module, String::new()));
    compiler.stmts(&module.body)?;
    let unit = compiler.units.last_mut().expect("module unit");
    if !unit.builder.ends_in_jump() {
        let none = unit.builder.add_const(Value::None);
        unit.builder.emit(Op::LoadConst(none));
        unit.builder.emit(Op::ReturnValue);
    }
    let mut unit = compiler.units.pop().expect("module unit");
    if compiler.top_level_await {
        // CPython's PyCF_ALLOW_TOP_LEVEL_AWAIT: an input that awaits at its
        // top level compiles to a coroutine, which the REPL runs as a task.
        unit.builder.kind = CodeKind::Coroutine;
    }
    Ok(unit.builder.finish(LocalLayout::default()))
}

/// What a `return`, `break` or `continue` must undo on its way out of the
/// constructs it is nested in (CPython's "frame blocks").
#[derive(Clone)]
enum FBlock<'a> {
    /// A `while` (no stack item) or `for` loop (its iterator on the stack).
    Loop {
        is_for: bool,
        continue_label: Label,
        break_label: Label,
    },
    /// The body of a `try` with `except` clauses: its handler is active.
    TryExcept { handler_depth: usize },
    /// The body of a `try` with a `finally`: leaving runs the finally body.
    TryFinally {
        body: &'a [Stmt],
        handler_depth: usize,
        stack_depth: u32,
    },
    /// Inside a finally body run because of an exception: the previously
    /// handled exception and the exception itself are on the stack.
    FinallyEnd { handler_depth: usize },
    /// Inside an `except` clause: the previously handled exception is on
    /// the stack, and the `as` name must be cleared on the way out.
    HandlerCleanup {
        name: Option<Ident>,
        handler_depth: usize,
    },
    /// The body of a `with`: its exit method is on the stack, and leaving
    /// calls it with three Nones.
    With {
        is_async: bool,
        handler_depth: usize,
    },
}

/// One function body being compiled.
struct Unit<'a> {
    builder: CodeBuilder,
    scope: &'a Scope,
    /// Slot of each local and free variable.
    slots: HashMap<Rc<str>, u32>,
    fblocks: Vec<FBlock<'a>>,
    /// Values that enclosing constructs keep on the value stack at the start
    /// of each statement here (loop iterators, saved exceptions).
    stack_depth: u32,
    /// Prefix for the `__qualname__` of functions defined inside.
    qualname_prefix: String,
}

impl<'a> Unit<'a> {
    fn new(builder: CodeBuilder, scope: &'a Scope, qualname_prefix: String) -> Unit<'a> {
        let mut slots = HashMap::new();
        for (i, name) in scope.locals.iter().chain(&scope.freevars).enumerate() {
            slots.insert(name.clone(), i as u32);
        }
        Unit {
            builder,
            scope,
            slots,
            fblocks: Vec::new(),
            stack_depth: 0,
            qualname_prefix,
        }
    }
}

struct Compiler<'a> {
    source: Rc<SourceFile>,
    scopes: &'a ScopeTable,
    global_names: Rc<GlobalNames>,
    units: Vec<Unit<'a>>,
    mode: Mode,
    nesting: u32,
    /// An `await` was compiled at the top level of an interactive input.
    top_level_await: bool,
}

impl<'a> Compiler<'a> {
    fn unit(&mut self) -> &mut Unit<'a> {
        self.units.last_mut().expect("a unit is always open")
    }

    fn builder(&mut self) -> &mut CodeBuilder {
        &mut self.unit().builder
    }

    fn emit(&mut self, op: Op) -> usize {
        self.builder().emit(op)
    }

    fn new_label(&mut self) -> Label {
        self.builder().new_label()
    }

    fn bind(&mut self, label: Label) {
        self.builder().bind(label)
    }

    fn jump(&mut self, make: fn(u32) -> Op, label: Label) {
        self.builder().emit_jump(make, label);
    }

    fn load_const(&mut self, value: Value) {
        let index = self.builder().add_const(value);
        self.emit(Op::LoadConst(index));
    }

    /// CPython 3.11's `update_start_location_to_match_attr`: an attribute
    /// load or method call whose name is on a later line than the start of
    /// `span` is located from the name on (so its line is the name's).
    /// `attribute` is the span of the `obj.name` expression.
    fn at_attribute_name(&self, span: Span, attribute: Span, name: &str) -> Span {
        let name_start = attribute.end.saturating_sub(name.len() as u32);
        let name_span = Span {
            start: name_start,
            end: attribute.end,
        };
        if self.source.line_of(span) == self.source.line_of(name_span) {
            span
        } else {
            Span {
                start: name_start,
                end: span.end,
            }
        }
    }

    fn set_span(&mut self, span: Span) -> Span {
        std::mem::replace(&mut self.builder().span, span)
    }

    fn scope(&self) -> &'a Scope {
        self.units.last().expect("a unit is always open").scope
    }

    fn syntax_error(&self, message: impl Into<String>, span: Span) -> CompileError {
        CompileError::Syntax(SyntaxDiagnostic::syntax(message, span))
    }

    /// apy's refusal of a construct it does not support (yet).
    fn unsupported(&self, construct: &str, span: Span) -> CompileError {
        CompileError::Syntax(SyntaxDiagnostic::unsupported(
            construct,
            span,
            &self.source.text,
        ))
    }

    /// Guard against trees too deep to compile without exhausting the stack.
    fn enter(&mut self) -> Result<()> {
        self.nesting += 1;
        if self.nesting > MAX_NESTING {
            return Err(CompileError::TooDeep);
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.nesting -= 1;
    }

    // ----- names ----------------------------------------------------------

    fn name_kind(&self, name: &str) -> NameKind {
        let scope = self.scope();
        if scope.kind == ScopeKind::Module {
            return NameKind::GlobalImplicit;
        }
        scope.kind_of(name)
    }

    fn slot(&mut self, name: &str) -> u32 {
        self.unit().slots[name]
    }

    fn global_slot(&mut self, name: &str) -> u32 {
        self.builder().global_slot(intern(name))
    }

    /// Whether the code being generated is a class body, whose own names
    /// live in its namespace.
    fn in_class_body(&self) -> bool {
        self.scope().kind == ScopeKind::Class
    }

    fn namespace_name(&mut self, name: &str) -> u32 {
        self.builder().add_name(intern(name))
    }

    fn load_name(&mut self, name: &Ident) {
        let op = match self.name_kind(name) {
            NameKind::Local if self.in_class_body() => Op::LoadName(self.namespace_name(name)),
            NameKind::Local => Op::LoadFast(self.slot(name)),
            NameKind::Cell | NameKind::Free => Op::LoadDeref(self.slot(name)),
            NameKind::GlobalExplicit | NameKind::GlobalImplicit => {
                Op::LoadGlobal(self.global_slot(name))
            }
        };
        self.emit(op);
    }

    fn store_name(&mut self, name: &Ident) {
        let op = match self.name_kind(name) {
            NameKind::Local if self.in_class_body() => Op::StoreName(self.namespace_name(name)),
            NameKind::Local => Op::StoreFast(self.slot(name)),
            NameKind::Cell | NameKind::Free => Op::StoreDeref(self.slot(name)),
            NameKind::GlobalExplicit | NameKind::GlobalImplicit => {
                Op::StoreGlobal(self.global_slot(name))
            }
        };
        self.emit(op);
    }

    fn delete_name(&mut self, name: &Ident) {
        let op = match self.name_kind(name) {
            NameKind::Local if self.in_class_body() => Op::DeleteName(self.namespace_name(name)),
            NameKind::Local => Op::DeleteFast(self.slot(name)),
            NameKind::Cell | NameKind::Free => Op::DeleteDeref(self.slot(name)),
            NameKind::GlobalExplicit | NameKind::GlobalImplicit => {
                Op::DeleteGlobal(self.global_slot(name))
            }
        };
        self.emit(op);
    }

    // ----- functions ------------------------------------------------------

    fn qualname(&mut self, name: &str) -> String {
        format!("{}{}", self.unit().qualname_prefix, name)
    }

    /// Push the defaults tuple and keyword-defaults dict of a parameter
    /// list, evaluated now (at `def` time); returns which were pushed.
    fn parameter_defaults(&mut self, params: &'a Parameters) -> Result<MakeFunctionFlags> {
        let mut flags = MakeFunctionFlags::default();
        let defaults: Vec<&Expr> = params
            .args
            .iter()
            .filter_map(|p| p.default.as_ref())
            .collect();
        if !defaults.is_empty() {
            for d in &defaults {
                self.expr(d)?;
            }
            self.emit(Op::BuildTuple(defaults.len() as u32));
            flags.defaults = true;
        }
        let kwdefaults: Vec<&Param> = params
            .kwonlyargs
            .iter()
            .filter(|p| p.default.is_some())
            .collect();
        if !kwdefaults.is_empty() {
            for p in &kwdefaults {
                self.load_const(Value::str(&p.name));
                self.expr(p.default.as_ref().expect("filtered"))?;
            }
            self.emit(Op::BuildMap(kwdefaults.len() as u32));
            flags.kwdefaults = true;
        }
        Ok(flags)
    }

    /// Evaluate annotations for their effect (CPython evaluates them when
    /// `def` runs, so an undefined name in one is a `NameError`).
    fn annotations(&mut self, params: &'a Parameters, returns: Option<&'a Expr>) -> Result<()> {
        let all = params
            .args
            .iter()
            .chain(params.vararg.iter())
            .chain(params.kwonlyargs.iter())
            .chain(params.kwarg.iter());
        for p in all {
            if let Some(a) = &p.annotation {
                self.expr(a)?;
                self.emit(Op::PopTop);
            }
        }
        if let Some(r) = returns {
            self.expr(r)?;
            self.emit(Op::PopTop);
        }
        Ok(())
    }

    /// Compile a function body (a `def`, `lambda` or comprehension) into its
    /// own code object, then emit the code that makes the function object:
    /// `LOAD_CONST code; MAKE_FUNCTION`. The defaults, if any, must already
    /// be on the stack as `flags` says.
    #[allow(clippy::too_many_arguments)]
    fn make_function(
        &mut self,
        scope: &'a Scope,
        name: &str,
        kind: CodeKind,
        params: &Parameters,
        span: Span,
        mut flags: MakeFunctionFlags,
        body: impl FnOnce(&mut Self) -> Result<()>,
    ) -> Result<()> {
        let qualname = self.qualname(name);
        let builder = CodeBuilder::new(
            Rc::from(name),
            Rc::from(qualname.as_str()),
            kind,
            self.source.clone(),
            self.global_names.clone(),
            span,
        );
        self.units
            .push(Unit::new(builder, scope, format!("{qualname}.<locals>.")));
        // Cells must exist before the body runs (a parameter's cell starts
        // holding the argument).
        for (i, local) in scope.locals.iter().enumerate() {
            if scope.names.get(local) == Some(&NameKind::Cell) {
                self.emit(Op::MakeCell(i as u32));
            }
        }
        body(self)?;
        if !self.builder().ends_in_jump() {
            self.load_const(Value::None);
            self.emit(Op::ReturnValue);
        }
        let unit = self.units.pop().expect("function unit");
        let layout = LocalLayout {
            argcount: params.args.len() as u32,
            kwonlyargcount: params.kwonlyargs.len() as u32,
            has_varargs: params.vararg.is_some(),
            has_varkeywords: params.kwarg.is_some(),
            varnames: scope
                .locals
                .iter()
                .chain(&scope.freevars)
                .cloned()
                .collect(),
            freevar_count: scope.freevars.len() as u32,
            cellvars: scope
                .locals
                .iter()
                .enumerate()
                .filter(|(_, n)| scope.names.get(*n) == Some(&NameKind::Cell))
                .map(|(i, _)| i as u32)
                .collect(),
        };
        let code = unit.builder.finish(layout);

        // The closure: the cells of this scope (or of ours, passed through)
        // that the new function's free variables refer to.
        if !scope.freevars.is_empty() {
            for free in &scope.freevars {
                let slot = self.slot(free);
                self.emit(Op::LoadClosure(slot));
            }
            self.emit(Op::BuildTuple(scope.freevars.len() as u32));
            flags.closure = true;
        }
        self.load_const(Value::Code(code));
        self.emit(Op::MakeFunction(flags));
        Ok(())
    }

    fn function_def(&mut self, def: &'a Rc<FunctionDef>, span: Span) -> Result<()> {
        for d in &def.decorators {
            self.expr(d)?;
        }
        let flags = self.parameter_defaults(&def.params)?;
        self.annotations(&def.params, def.returns.as_ref())?;
        let scope = self.scopes.function(def);
        let kind = match (def.is_async, scope.is_generator) {
            (false, false) => CodeKind::Function,
            (true, false) => CodeKind::Coroutine,
            (false, true) => CodeKind::Generator,
            (true, true) => CodeKind::AsyncGenerator,
        };
        let previous = self.set_span(span);
        self.make_function(scope, &def.name, kind, &def.params, span, flags, |c| {
            c.stmts(&def.body)
        })?;
        for _ in &def.decorators {
            self.emit(Op::Call(1));
        }
        self.store_name(&def.name);
        self.set_span(previous);
        Ok(())
    }

    fn lambda(&mut self, expr: &'a Expr, params: &'a Parameters, body: &'a Expr) -> Result<()> {
        let flags = self.parameter_defaults(params)?;
        let scope = self.scopes.expression(expr);
        let kind = if scope.is_generator {
            CodeKind::Generator
        } else {
            CodeKind::Function
        };
        self.make_function(scope, "<lambda>", kind, params, expr.span, flags, |c| {
            c.expr(body)?;
            c.emit(Op::ReturnValue);
            Ok(())
        })
    }

    /// `[elt for x in xs if c]` compiles to a hidden function called at once
    /// with `iter(xs)`, as in CPython 3.11.
    fn comprehension(
        &mut self,
        expr: &'a Expr,
        generators: &'a [Comprehension],
        element: Element<'a>,
    ) -> Result<()> {
        let scope = self.scopes.expression(expr);
        let (name, build) = match element {
            Element::List(_) => ("<listcomp>", Some(Op::BuildList(0))),
            Element::Set(_) => ("<setcomp>", Some(Op::BuildSet(0))),
            Element::Dict(_, _) => ("<dictcomp>", Some(Op::BuildMap(0))),
            Element::Generator(_) => ("<genexpr>", None),
        };
        let is_generator = build.is_none();
        // An asynchronous list, set or dict comprehension is a coroutine,
        // awaited at once; an asynchronous generator expression is an async
        // generator, allowed anywhere.
        let kind = match (is_generator, scope.is_async) {
            (false, false) => CodeKind::Function,
            (false, true) => {
                let enclosing = self.builder().kind;
                let in_comprehension = self.scope().kind == ScopeKind::Comprehension;
                if self.mode == Mode::Interactive
                    && self.units[1..]
                        .iter()
                        .all(|unit| unit.scope.kind == ScopeKind::Comprehension)
                {
                    // CPython's REPL allows it (the comprehension becomes
                    // a coroutine awaited by the input itself); apy's REPL
                    // input cannot pause.
                    return Err(self.unsupported(
                        "'await' in a comprehension at the top level of the REPL",
                        expr.span,
                    ));
                }
                if !matches!(enclosing, CodeKind::Coroutine | CodeKind::AsyncGenerator)
                    && !in_comprehension
                {
                    return Err(self.syntax_error(
                        "asynchronous comprehension outside of an asynchronous function",
                        expr.span,
                    ));
                }
                CodeKind::Coroutine
            }
            (true, false) => CodeKind::Generator,
            (true, true) => CodeKind::AsyncGenerator,
        };
        let params = Parameters {
            args: vec![Param {
                name: Rc::from(".0"),
                span: expr.span,
                annotation: None,
                default: None,
            }],
            ..Parameters::default()
        };
        self.make_function(
            scope,
            name,
            kind,
            &params,
            expr.span,
            MakeFunctionFlags::default(),
            |c| {
                if let Some(build) = build {
                    c.emit(build);
                }
                c.comprehension_loops(generators, 0, element)?;
                if is_generator {
                    c.load_const(Value::None);
                }
                c.emit(Op::ReturnValue);
                Ok(())
            },
        )?;
        // The first iterable is evaluated here, at once, in the enclosing
        // scope; everything else runs inside the hidden function.
        self.expr(&generators[0].iter)?;
        self.emit(if generators[0].is_async {
            Op::GetAiter
        } else {
            Op::GetIter
        });
        self.emit(Op::Call(1));
        if kind == CodeKind::Coroutine {
            self.emit(Op::GetAwaitable);
            self.emit(Op::Await);
        }
        Ok(())
    }

    /// The nested loops of a comprehension body; the result container sits
    /// below the iterators on the stack.
    fn comprehension_loops(
        &mut self,
        generators: &'a [Comprehension],
        level: usize,
        element: Element<'a>,
    ) -> Result<()> {
        let generator = &generators[level];
        if level == 0 {
            self.emit(Op::LoadFast(0));
        } else {
            self.expr(&generator.iter)?;
            self.emit(if generator.is_async {
                Op::GetAiter
            } else {
                Op::GetIter
            });
        }
        let top = self.new_label();
        let done = self.new_label();
        self.bind(top);
        // Values on the stack: the container (none for a generator
        // expression) and one iterator per level so far.
        let has_container = !matches!(element, Element::Generator(_));
        let depth = has_container as u32 + level as u32 + 1;
        let async_end = if generator.is_async {
            Some(self.async_next(depth)?)
        } else {
            self.jump(Op::ForIter, done);
            None
        };
        self.assign_target(&generator.target)?;
        for condition in &generator.ifs {
            self.condition(condition, false, top)?;
        }
        if level + 1 < generators.len() {
            self.comprehension_loops(generators, level + 1, element)?;
        } else {
            // The container is below one iterator per level.
            let depth = generators.len() as u32 + 1;
            match element {
                Element::Generator(e) => {
                    self.expr(e)?;
                    self.emit(Op::YieldValue);
                    self.emit(Op::PopTop);
                }
                Element::List(e) => {
                    self.expr(e)?;
                    self.emit(Op::ListAppend(depth));
                }
                Element::Set(e) => {
                    self.expr(e)?;
                    self.emit(Op::SetAdd(depth));
                }
                Element::Dict(k, v) => {
                    self.expr(k)?;
                    self.expr(v)?;
                    self.emit(Op::MapAdd(depth));
                }
            }
        }
        self.jump(Op::Jump, top);
        match async_end {
            Some(end) => {
                self.bind(end);
                self.emit(Op::EndAsyncFor);
            }
            None => self.bind(done),
        }
        Ok(())
    }

    /// The head of an `async for` loop step, with the async iterator on top
    /// of the stack (`depth` values from the bottom of the frame's operand
    /// stack): await `__anext__()`. Returns the label of the handler that
    /// `StopAsyncIteration` (or any error of the step) reaches, where the
    /// caller emits `END_ASYNC_FOR`.
    ///
    /// ```text
    ///     GET_ANEXT              protected by END (pushes an awaitable)
    ///     AWAIT                  (suspension point)
    ///     <store the item>       (not protected)
    /// END:
    ///     END_ASYNC_FOR          (aiter, exc): StopAsyncIteration ends the loop
    /// ```
    pub(super) fn async_next(&mut self, depth: u32) -> Result<Label> {
        let end = self.new_label();
        self.builder().push_handler(end, depth);
        self.emit(Op::GetAnext);
        self.emit(Op::Await);
        self.builder().pop_handler();
        Ok(end)
    }
}

/// What a comprehension builds from each item.
#[derive(Clone, Copy)]
enum Element<'a> {
    List(&'a Expr),
    Set(&'a Expr),
    Dict(&'a Expr, &'a Expr),
    /// A generator expression yields each item.
    Generator(&'a Expr),
}
