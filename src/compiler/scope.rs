//! The scope pass: before any code is generated, decide for every name in
//! every function whether it is a local, a global, or a variable shared with
//! an enclosing function — as CPython's `symtable` does.
//!
//! Python decides this statically, per function body: a name that is
//! assigned anywhere in a function is local to it (even before the
//! assignment runs, which is why reading it early is an `UnboundLocalError`),
//! unless a `global` or `nonlocal` statement says otherwise; a name only
//! read is looked up in the enclosing functions, then in the module's
//! globals and the built-ins. A local that a nested function reads becomes a
//! *cell* (shared storage); in the nested function it is a *free* variable.
//!
//! The pass runs in two steps: [`collect`] walks the AST once and records,
//! per scope, what each name is used for; [`resolve`] then decides each
//! name's kind, top-down, and propagates cells and free variables.

use super::CompileError;
use crate::diagnostics::SyntaxDiagnostic;
use crate::parser::ast::*;
use crate::span::Span;
use indexmap::{IndexMap, IndexSet};
use std::collections::HashMap;
use std::rc::Rc;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeKind {
    Module,
    Function,
    Lambda,
    Comprehension,
    Class,
}

/// Where a name lives, as decided by the scope pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameKind {
    /// A local slot of this function.
    Local,
    /// A local slot that nested functions share: it holds a cell.
    Cell,
    /// A variable of an enclosing function, reached through a cell.
    Free,
    /// A module global, by a `global` statement.
    GlobalExplicit,
    /// A module global (or built-in) because no function binds it.
    GlobalImplicit,
}

/// Everything the code generator needs to know about one scope.
#[derive(Debug)]
pub struct Scope {
    pub kind: ScopeKind,
    pub is_async: bool,
    pub is_generator: bool,
    /// Parameter names in order (they take the first local slots).
    pub params: Vec<Rc<str>>,
    /// Every local slot name in slot order: parameters first, then the other
    /// locals and cells in order of first binding.
    pub locals: Vec<Rc<str>>,
    /// Free variables in slot order (they follow the locals).
    pub freevars: Vec<Rc<str>>,
    /// How every name used in this scope is resolved.
    pub names: HashMap<Rc<str>, NameKind>,
}

impl Scope {
    pub fn kind_of(&self, name: &str) -> NameKind {
        match self.names.get(name) {
            Some(kind) => *kind,
            None if self.kind == ScopeKind::Module => NameKind::GlobalImplicit,
            None => NameKind::GlobalImplicit,
        }
    }
}

/// The scopes of a whole module, keyed by the address of the AST node that
/// opens each one (a `FunctionDef`, a lambda or comprehension `Expr`).
pub struct ScopeTable {
    pub module: Scope,
    scopes: HashMap<usize, Scope>,
}

impl ScopeTable {
    pub fn function(&self, def: &FunctionDef) -> &Scope {
        &self.scopes[&(def as *const FunctionDef as usize)]
    }

    pub fn expression(&self, expr: &Expr) -> &Scope {
        &self.scopes[&(expr as *const Expr as usize)]
    }

    pub fn class(&self, def: &ClassDef) -> &Scope {
        &self.scopes[&(def as *const ClassDef as usize)]
    }
}

/// What one scope does with each name, as found by [`collect`].
struct RawScope {
    key: usize,
    kind: ScopeKind,
    is_async: bool,
    is_generator: bool,
    params: Vec<Rc<str>>,
    /// Names bound here (assigned, deleted, imported, defined), in order.
    bound: IndexSet<Rc<str>>,
    /// Names read here.
    used: IndexSet<Rc<str>>,
    globals: IndexSet<Rc<str>>,
    nonlocals: IndexMap<Rc<str>, Span>,
    children: Vec<usize>,
}

struct Collector<'a> {
    source: &'a str,
    scopes: Vec<RawScope>,
    current: usize,
}

type Result<T> = std::result::Result<T, CompileError>;

/// Run the scope pass over a module.
pub fn analyze(module: &Module, source: &str) -> Result<ScopeTable> {
    let mut collector = Collector {
        source,
        scopes: Vec::new(),
        current: 0,
    };
    collector.open(0, ScopeKind::Module, false, Vec::new(), None);
    for stmt in &module.body {
        collector.stmt(stmt)?;
    }
    // CPython finds this when it analyses the module's names, after
    // reading all of it (so an error met while reading comes first), and
    // before it looks into any function.
    if let Some((_, &span)) = collector.scopes[0].nonlocals.first() {
        return Err(collector.error(
            "nonlocal declaration not allowed at module level".into(),
            span,
        ));
    }
    resolve(collector.scopes)
}

impl<'a> Collector<'a> {
    fn open(
        &mut self,
        key: usize,
        kind: ScopeKind,
        is_async: bool,
        params: Vec<Rc<str>>,
        parent: Option<usize>,
    ) -> usize {
        let index = self.scopes.len();
        let mut bound = IndexSet::new();
        for p in &params {
            bound.insert(p.clone());
        }
        self.scopes.push(RawScope {
            key,
            kind,
            is_async,
            is_generator: false,
            params,
            bound,
            used: IndexSet::new(),
            globals: IndexSet::new(),
            nonlocals: IndexMap::new(),
            children: Vec::new(),
        });
        if let Some(p) = parent {
            self.scopes[p].children.push(index);
        }
        self.current = index;
        index
    }

    fn scope(&mut self) -> &mut RawScope {
        &mut self.scopes[self.current]
    }

    fn error(&self, message: String, span: Span) -> CompileError {
        let _ = self.source;
        CompileError::Syntax(SyntaxDiagnostic::syntax(message, span))
    }

    fn bind(&mut self, name: &Ident) {
        let scope = self.scope();
        scope.bound.insert(name.clone());
    }

    fn use_name(&mut self, name: &Ident) {
        self.scope().used.insert(name.clone());
    }

    /// Run `body` inside a new child scope, then return to the current one.
    fn nested(
        &mut self,
        key: usize,
        kind: ScopeKind,
        is_async: bool,
        params: Vec<Rc<str>>,
        body: impl FnOnce(&mut Self) -> Result<()>,
    ) -> Result<()> {
        let outer = self.current;
        self.open(key, kind, is_async, params, Some(outer));
        let result = body(self);
        self.current = outer;
        result
    }

    fn stmts(&mut self, body: &[Stmt]) -> Result<()> {
        body.iter().try_for_each(|s| self.stmt(s))
    }

    fn stmt(&mut self, stmt: &Stmt) -> Result<()> {
        match &stmt.kind {
            StmtKind::Expr(e) => self.expr(e),
            StmtKind::Assign { targets, value } => {
                self.expr(value)?;
                targets.iter().try_for_each(|t| self.target(t))
            }
            StmtKind::AugAssign { target, value, .. } => {
                self.expr(value)?;
                if let ExprKind::Name(n) = &target.kind {
                    self.use_name(n);
                }
                self.target(target)
            }
            StmtKind::AnnAssign {
                target,
                annotation,
                value,
            } => {
                if let Some(v) = value {
                    self.expr(v)?;
                }
                if self.scope().kind == ScopeKind::Module
                    || !matches!(target.kind, ExprKind::Name(_))
                {
                    self.expr(annotation)?;
                }
                self.target(target)
            }
            StmtKind::If { test, body, orelse } | StmtKind::While { test, body, orelse } => {
                self.expr(test)?;
                self.stmts(body)?;
                self.stmts(orelse)
            }
            StmtKind::For {
                target,
                iter,
                body,
                orelse,
                ..
            } => {
                self.expr(iter)?;
                self.target(target)?;
                self.stmts(body)?;
                self.stmts(orelse)
            }
            StmtKind::Break | StmtKind::Continue | StmtKind::Pass => Ok(()),
            StmtKind::FunctionDef(def) => self.function_def(def),
            StmtKind::ClassDef(def) => {
                for e in def.decorators.iter().chain(&def.bases) {
                    self.expr(e)?;
                }
                for k in &def.keywords {
                    self.expr(&k.value)?;
                }
                let key = Rc::as_ptr(def) as usize;
                self.nested(key, ScopeKind::Class, false, Vec::new(), |c| {
                    c.stmts(&def.body)
                })?;
                self.bind(&def.name);
                Ok(())
            }
            StmtKind::Return(value) => value.iter().try_for_each(|v| self.expr(v)),
            StmtKind::Global(names) => {
                for name in names {
                    self.declare_global(name, stmt.span)?;
                }
                Ok(())
            }
            StmtKind::Nonlocal(names) => {
                for name in names {
                    self.declare_nonlocal(name, stmt.span)?;
                }
                Ok(())
            }
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finalbody,
            } => {
                self.stmts(body)?;
                for h in handlers {
                    if let Some(t) = &h.typ {
                        self.expr(t)?;
                    }
                    if let Some(n) = &h.name {
                        self.bind(n);
                    }
                    self.stmts(&h.body)?;
                }
                self.stmts(orelse)?;
                self.stmts(finalbody)
            }
            StmtKind::Raise { exc, cause } => exc
                .iter()
                .chain(cause.iter())
                .try_for_each(|e| self.expr(e)),
            StmtKind::Assert { test, msg } => {
                self.expr(test)?;
                msg.iter().try_for_each(|m| self.expr(m))
            }
            StmtKind::Delete(targets) => targets.iter().try_for_each(|t| self.target(t)),
            StmtKind::Import(aliases) => {
                for alias in aliases {
                    let bound = match &alias.asname {
                        Some(asname) => asname.clone(),
                        None => Rc::from(alias.name.split('.').next().unwrap_or(&alias.name)),
                    };
                    self.bind(&bound);
                }
                Ok(())
            }
            StmtKind::ImportFrom { names, .. } => {
                for alias in names {
                    self.bind(alias.asname.as_ref().unwrap_or(&alias.name));
                }
                Ok(())
            }
            StmtKind::With { items, body, .. } => {
                for item in items {
                    self.expr(&item.context_expr)?;
                    if let Some(v) = &item.optional_vars {
                        self.target(v)?;
                    }
                }
                self.stmts(body)
            }
        }
    }

    fn declare_global(&mut self, name: &Ident, span: Span) -> Result<()> {
        let scope = &self.scopes[self.current];
        if scope.params.contains(name) && scope.kind != ScopeKind::Module {
            return Err(self.error(format!("name '{name}' is parameter and global"), span));
        }
        if scope.nonlocals.contains_key(name) {
            return Err(self.error(format!("name '{name}' is nonlocal and global"), span));
        }
        // (In CPython's order: a use is reported before an assignment.)
        if scope.used.contains(name) {
            return Err(self.error(
                format!("name '{name}' is used prior to global declaration"),
                span,
            ));
        }
        if scope.bound.contains(name) {
            return Err(self.error(
                format!("name '{name}' is assigned to before global declaration"),
                span,
            ));
        }
        self.scope().globals.insert(name.clone());
        Ok(())
    }

    fn declare_nonlocal(&mut self, name: &Ident, span: Span) -> Result<()> {
        // (At module level it is an error too, reported once the whole
        // module is read: see `analyze`.)
        let scope = &self.scopes[self.current];
        if scope.params.contains(name) {
            return Err(self.error(format!("name '{name}' is parameter and nonlocal"), span));
        }
        if scope.globals.contains(name) {
            return Err(self.error(format!("name '{name}' is nonlocal and global"), span));
        }
        if scope.used.contains(name) {
            return Err(self.error(
                format!("name '{name}' is used prior to nonlocal declaration"),
                span,
            ));
        }
        if scope.bound.contains(name) {
            return Err(self.error(
                format!("name '{name}' is assigned to before nonlocal declaration"),
                span,
            ));
        }
        self.scope().nonlocals.insert(name.clone(), span);
        Ok(())
    }

    fn function_def(&mut self, def: &Rc<FunctionDef>) -> Result<()> {
        for d in &def.decorators {
            self.expr(d)?;
        }
        self.parameter_defaults(&def.params)?;
        if let Some(r) = &def.returns {
            self.expr(r)?;
        }
        let params = self.parameter_names(&def.params, def.name_span)?;
        let key = Rc::as_ptr(def) as usize;
        self.nested(key, ScopeKind::Function, def.is_async, params, |c| {
            c.stmts(&def.body)
        })?;
        self.bind(&def.name);
        Ok(())
    }

    /// Defaults and annotations are evaluated in the enclosing scope.
    fn parameter_defaults(&mut self, params: &Parameters) -> Result<()> {
        let all = params
            .args
            .iter()
            .chain(params.kwonlyargs.iter())
            .chain(params.vararg.iter())
            .chain(params.kwarg.iter());
        for p in all {
            if let Some(d) = &p.default {
                self.expr(d)?;
            }
            if let Some(a) = &p.annotation {
                self.expr(a)?;
            }
        }
        Ok(())
    }

    /// Parameter names in slot order: positional, keyword-only, `*args`,
    /// `**kwargs`.
    fn parameter_names(&self, params: &Parameters, span: Span) -> Result<Vec<Rc<str>>> {
        let mut names: Vec<Rc<str>> = Vec::new();
        let ordered = params
            .args
            .iter()
            .chain(params.kwonlyargs.iter())
            .chain(params.vararg.iter())
            .chain(params.kwarg.iter());
        for p in ordered {
            if names.contains(&p.name) {
                return Err(self.error(
                    format!("duplicate argument '{}' in function definition", p.name),
                    if p.span == Span::default() {
                        span
                    } else {
                        p.span
                    },
                ));
            }
            names.push(p.name.clone());
        }
        Ok(names)
    }

    /// A name in a binding position (assignment, `for`, `del`, ...).
    fn target(&mut self, target: &Expr) -> Result<()> {
        match &target.kind {
            ExprKind::Name(n) => {
                self.bind(n);
                Ok(())
            }
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                items.iter().try_for_each(|t| self.target(t))
            }
            ExprKind::Starred(inner) => self.target(inner),
            // `a.b = ...` and `a[i] = ...` read `a` (and `i`).
            _ => self.expr(target),
        }
    }

    fn expr(&mut self, expr: &Expr) -> Result<()> {
        match &expr.kind {
            ExprKind::Name(n) => {
                self.use_name(n);
                Ok(())
            }
            ExprKind::Constant(_) => Ok(()),
            ExprKind::FString(parts) => self.fstring_parts(parts),
            ExprKind::Tuple(items) | ExprKind::List(items) | ExprKind::Set(items) => {
                items.iter().try_for_each(|e| self.expr(e))
            }
            ExprKind::Dict(pairs) => {
                for (k, v) in pairs {
                    if let Some(k) = k {
                        self.expr(k)?;
                    }
                    self.expr(v)?;
                }
                Ok(())
            }
            ExprKind::Starred(e) | ExprKind::Await(e) | ExprKind::YieldFrom(e) => {
                if matches!(expr.kind, ExprKind::YieldFrom(_)) {
                    self.scope().is_generator = true;
                }
                // A comprehension that awaits is an asynchronous one (it
                // compiles to a coroutine, or an async generator).
                if matches!(expr.kind, ExprKind::Await(_))
                    && self.scope().kind == ScopeKind::Comprehension
                {
                    self.scope().is_async = true;
                }
                self.expr(e)
            }
            ExprKind::Yield(e) => {
                self.scope().is_generator = true;
                e.iter().try_for_each(|e| self.expr(e))
            }
            ExprKind::Attribute { value, .. } => self.expr(value),
            ExprKind::Subscript { value, index } => {
                self.expr(value)?;
                self.expr(index)
            }
            ExprKind::Slice { lower, upper, step } => lower
                .iter()
                .chain(upper.iter())
                .chain(step.iter())
                .try_for_each(|e| self.expr(e)),
            ExprKind::Call {
                func,
                args,
                keywords,
            } => {
                self.expr(func)?;
                args.iter().try_for_each(|a| self.expr(a))?;
                keywords.iter().try_for_each(|k| self.expr(&k.value))
            }
            ExprKind::BinOp { left, right, .. } => {
                self.expr(left)?;
                self.expr(right)
            }
            ExprKind::UnaryOp { operand, .. } => self.expr(operand),
            ExprKind::BoolOp { values, .. } => values.iter().try_for_each(|v| self.expr(v)),
            ExprKind::Compare { left, comparisons } => {
                self.expr(left)?;
                comparisons.iter().try_for_each(|(_, e)| self.expr(e))
            }
            ExprKind::IfExp { test, body, orelse } => {
                self.expr(test)?;
                self.expr(body)?;
                self.expr(orelse)
            }
            ExprKind::Lambda { params, body } => {
                self.parameter_defaults(params)?;
                let names = self.parameter_names(params, expr.span)?;
                let key = expr as *const Expr as usize;
                self.nested(key, ScopeKind::Lambda, false, names, |c| c.expr(body))
            }
            ExprKind::ListComp { elt, generators }
            | ExprKind::SetComp { elt, generators }
            | ExprKind::GeneratorExp { elt, generators } => {
                let is_generator = matches!(expr.kind, ExprKind::GeneratorExp { .. });
                self.comprehension(expr, generators, is_generator, |c| c.expr(elt))
            }
            ExprKind::DictComp {
                key,
                value,
                generators,
            } => self.comprehension(expr, generators, false, |c| {
                c.expr(key)?;
                c.expr(value)
            }),
        }
    }

    fn fstring_parts(&mut self, parts: &[FStringPart]) -> Result<()> {
        for part in parts {
            if let FStringPart::Field { value, spec, .. } = part {
                self.expr(value)?;
                if let Some(spec) = spec {
                    self.fstring_parts(spec)?;
                }
            }
        }
        Ok(())
    }

    /// A comprehension is a hidden function whose one parameter, `.0`, is the
    /// iterator of its first `for`; that iterable is evaluated outside.
    fn comprehension(
        &mut self,
        expr: &Expr,
        generators: &[Comprehension],
        is_generator: bool,
        element: impl FnOnce(&mut Self) -> Result<()>,
    ) -> Result<()> {
        let Some(first) = generators.first() else {
            return Ok(());
        };
        self.expr(&first.iter)?;
        let key = expr as *const Expr as usize;
        let is_async = generators.iter().any(|g| g.is_async);
        let child = self.scopes.len();
        let outer = self.current;
        let result = self.nested(
            key,
            ScopeKind::Comprehension,
            is_async,
            vec![Rc::from(".0")],
            |c| {
                c.scope().is_generator = is_generator;
                for (i, g) in generators.iter().enumerate() {
                    if i > 0 {
                        c.expr(&g.iter)?;
                    }
                    c.target(&g.target)?;
                    g.ifs.iter().try_for_each(|e| c.expr(e))?;
                }
                element(c)
            },
        );
        // An asynchronous list, set or dict comprehension is awaited where
        // it is built, so a comprehension around it is asynchronous too.
        let inner = &self.scopes[child];
        if inner.is_async
            && !inner.is_generator
            && self.scopes[outer].kind == ScopeKind::Comprehension
        {
            self.scopes[outer].is_async = true;
        }
        result
    }
}

/// Decide every name's kind, top-down, then propagate cells and free
/// variables bottom-up.
fn resolve(raw: Vec<RawScope>) -> Result<ScopeTable> {
    let mut kinds: Vec<HashMap<Rc<str>, NameKind>> = vec![HashMap::new(); raw.len()];
    let mut freevars: Vec<IndexSet<Rc<str>>> = vec![IndexSet::new(); raw.len()];

    // Top-down: names bound in enclosing *function* scopes are visible.
    fn visit(
        raw: &[RawScope],
        index: usize,
        visible: &IndexSet<Rc<str>>,
        kinds: &mut Vec<HashMap<Rc<str>, NameKind>>,
        freevars: &mut Vec<IndexSet<Rc<str>>>,
    ) -> Result<()> {
        let scope = &raw[index];
        let mut mine = HashMap::new();
        for (name, span) in &scope.nonlocals {
            if !visible.contains(name) {
                return Err(CompileError::Syntax(SyntaxDiagnostic::syntax(
                    format!("no binding for nonlocal '{name}' found"),
                    *span,
                )));
            }
            mine.insert(name.clone(), NameKind::Free);
        }
        for name in &scope.globals {
            mine.insert(name.clone(), NameKind::GlobalExplicit);
        }
        let is_function_like = scope.kind != ScopeKind::Module && scope.kind != ScopeKind::Class;
        for name in &scope.bound {
            mine.entry(name.clone())
                .or_insert(if scope.kind == ScopeKind::Module {
                    NameKind::GlobalImplicit
                } else {
                    NameKind::Local
                });
        }
        for name in &scope.used {
            if mine.contains_key(name) {
                continue;
            }
            // Class bodies, like functions, see enclosing functions' names.
            let sees_enclosing = is_function_like || scope.kind == ScopeKind::Class;
            let kind = if sees_enclosing && visible.contains(name) {
                NameKind::Free
            } else {
                NameKind::GlobalImplicit
            };
            mine.insert(name.clone(), kind);
        }
        // Zero-argument `super()` (and `__class__`) in a method reads the
        // class being defined through an implicit `__class__` cell of the
        // class body, as in CPython.
        if is_function_like
            && (scope.used.contains("super") || scope.used.contains("__class__"))
            && visible.contains("__class__")
            && !mine.contains_key("__class__")
        {
            mine.insert(Rc::from("__class__"), NameKind::Free);
        }
        for (name, kind) in &mine {
            if *kind == NameKind::Free {
                freevars[index].insert(name.clone());
            }
        }

        // What the children can see: our visible set plus our own locals
        // (class and module bindings are not visible to nested functions).
        let mut child_visible = visible.clone();
        if is_function_like {
            for (name, kind) in &mine {
                if matches!(kind, NameKind::Local | NameKind::Free) {
                    child_visible.insert(name.clone());
                }
            }
            for name in &scope.globals {
                child_visible.shift_remove(name);
            }
        }
        if scope.kind == ScopeKind::Class {
            child_visible.insert(Rc::from("__class__"));
        }
        kinds[index] = mine;
        for &child in &scope.children {
            visit(raw, child, &child_visible, kinds, freevars)?;
        }

        // Bottom-up: a child's free variable is our cell if we bind it, or
        // our own free variable (passed through) if we do not.
        for &child in &scope.children {
            let needed: Vec<Rc<str>> = freevars[child].iter().cloned().collect();
            for name in needed {
                match kinds[index].get(&name).copied() {
                    _ if scope.kind == ScopeKind::Class && &*name == "__class__" => {
                        kinds[index].insert(name, NameKind::Cell);
                    }
                    // A class's own names live in its namespace, never in
                    // cells: a method's free variable of the same name is
                    // the enclosing function's, passed through.
                    Some(NameKind::Local) if scope.kind == ScopeKind::Class => {
                        freevars[index].insert(name.clone());
                    }
                    Some(NameKind::Local) => {
                        kinds[index].insert(name, NameKind::Cell);
                    }
                    Some(NameKind::Cell) | Some(NameKind::Free) => {}
                    _ if scope.kind == ScopeKind::Class => {
                        // The class body passes it through without using it.
                        freevars[index].insert(name.clone());
                    }
                    _ => {
                        kinds[index].insert(name.clone(), NameKind::Free);
                        freevars[index].insert(name);
                    }
                }
            }
        }
        Ok(())
    }

    visit(&raw, 0, &IndexSet::new(), &mut kinds, &mut freevars)?;

    let mut scopes = HashMap::new();
    let mut module = None;
    for (index, (scope, names)) in raw.into_iter().zip(kinds).enumerate() {
        let frees: Vec<Rc<str>> = freevars[index].iter().cloned().collect();
        let mut locals: Vec<Rc<str>> = scope.params.clone();
        for name in &scope.bound {
            if !locals.contains(name)
                && matches!(names.get(name), Some(NameKind::Local | NameKind::Cell))
            {
                locals.push(name.clone());
            }
        }
        if scope.kind == ScopeKind::Class && names.get("__class__") == Some(&NameKind::Cell) {
            locals.push(Rc::from("__class__"));
        }
        // Cells that are not bound here cannot exist: a cell is always a
        // local. (A pass-through free variable stays free.)
        let built = Scope {
            kind: scope.kind,
            is_async: scope.is_async,
            is_generator: scope.is_generator,
            params: scope.params,
            locals: if scope.kind == ScopeKind::Module {
                Vec::new()
            } else {
                locals
            },
            freevars: frees,
            names,
        };
        if index == 0 {
            module = Some(built);
        } else {
            scopes.insert(scope.key, built);
        }
    }
    Ok(ScopeTable {
        module: module.expect("the module scope is always first"),
        scopes,
    })
}
