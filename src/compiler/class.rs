//! Code generation for `class` statements.
//!
//! As in CPython, a class body is compiled to its own code object and run
//! once, when the `class` statement runs, to fill a namespace dict; the
//! class is then built from that namespace:
//!
//! ```text
//!     <decorators>; <base>               evaluated first, in order
//!     BUILD_MAP 0                        the namespace
//!     LOAD_CONST <code C>; MAKE_FUNCTION the body
//!     COPY 2; CALL 1                     run the body with the namespace
//!     BUILD_CLASS C                      bases, namespace, result -> class
//!     CALL 1 (per decorator); STORE C
//! ```
//!
//! Inside the body, the names the class binds live in the namespace
//! (`LOAD_NAME`/`STORE_NAME`), not in local slots: reading one before it
//! is bound falls back to the globals, as CPython's class bodies do. The
//! body's only local slot is the namespace itself, plus the implicit
//! `__class__` cell when a method uses zero-argument `super()`: the body
//! returns that cell, and `BUILD_CLASS` puts the new class in it.

use super::builder::{CodeBuilder, LocalLayout};
use super::scope::NameKind;
use super::{Compiler, Result, Unit};
use crate::bytecode::code::CodeKind;
use crate::bytecode::op::{MakeFunctionFlags, Op};
use crate::parser::ast::*;
use crate::span::Span;
use crate::symbol::intern;
use crate::vm::value::Value;
use std::rc::Rc;

/// Class members outside apy's subset.
const UNSUPPORTED_MEMBERS: &[&str] = &[
    "__new__",
    "__del__",
    "__getattribute__",
    "__delattr__",
    "__get__",
    "__set__",
    "__delete__",
    "__set_name__",
    "__init_subclass__",
    "__class_getitem__",
    "__slots__",
    // A custom awaitable: `await` takes coroutines, tasks and futures.
    "__await__",
];

/// The hidden parameter of a class body: the namespace it fills.
const NAMESPACE: &str = ".namespace";

impl<'a> Compiler<'a> {
    pub(super) fn class_def(&mut self, def: &'a Rc<ClassDef>, span: Span) -> Result<()> {
        if !def.keywords.is_empty() {
            return Err(self.unsupported("class keyword arguments (metaclass=...)", span));
        }
        if def.bases.len() > 1 {
            return Err(self.unsupported("multiple inheritance", span));
        }
        if def
            .bases
            .iter()
            .any(|b| matches!(b.kind, ExprKind::Starred(_)))
        {
            return Err(self.unsupported("starred base classes", span));
        }
        self.refuse_unsupported_members(def)?;
        for d in &def.decorators {
            self.expr(d)?;
        }
        for b in &def.bases {
            self.expr(b)?;
        }
        self.emit(Op::BuildMap(0));
        self.class_body(def, span)?;
        self.emit(Op::Copy(2));
        self.emit(Op::Call(1));
        let name = self.builder().add_name(intern(&def.name));
        self.emit(Op::BuildClass {
            name: name as u16,
            nbases: def.bases.len() as u16,
        });
        for _ in &def.decorators {
            self.emit(Op::Call(1));
        }
        self.store_name(&def.name);
        Ok(())
    }

    /// Special methods apy's object model does not honour are refused by
    /// name rather than silently ignored (a `__new__` that would never run,
    /// a descriptor whose `__get__` would never be called).
    fn refuse_unsupported_members(&self, def: &ClassDef) -> Result<()> {
        for stmt in &def.body {
            let name = match &stmt.kind {
                StmtKind::FunctionDef(f) => f.name.clone(),
                StmtKind::Assign { targets, .. } => match targets.first().map(|t| &t.kind) {
                    Some(ExprKind::Name(n)) => n.clone(),
                    _ => continue,
                },
                _ => continue,
            };
            if UNSUPPORTED_MEMBERS.contains(&&*name) {
                return Err(self.unsupported(&format!("'{name}' in a class"), stmt.span));
            }
        }
        Ok(())
    }

    /// Compile the body to a code object and emit the code that makes it a
    /// function (with the closure cells it needs).
    fn class_body(&mut self, def: &'a Rc<ClassDef>, span: Span) -> Result<()> {
        let scope = self.scopes.class(def);
        let qualname = self.qualname(&def.name);
        let builder = CodeBuilder::new(
            def.name.clone(),
            Rc::from(qualname.as_str()),
            CodeKind::Class,
            self.source.clone(),
            self.global_names.clone(),
            span,
        );
        let mut unit = Unit::new(builder, scope, format!("{qualname}."));
        // Slot 0 is the namespace; then the `__class__` cell, if any; then
        // the free variables. The class's own names have no slots.
        let has_class_cell = scope.names.get("__class__") == Some(&NameKind::Cell);
        let mut varnames: Vec<Rc<str>> = vec![Rc::from(NAMESPACE)];
        if has_class_cell {
            varnames.push(Rc::from("__class__"));
        }
        varnames.extend(scope.freevars.iter().cloned());
        unit.slots = varnames
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), i as u32))
            .collect();
        self.units.push(unit);
        if has_class_cell {
            self.emit(Op::MakeCell(1));
        }
        self.load_const(Value::str(&qualname));
        let qualname_name = self.namespace_name("__qualname__");
        self.emit(Op::StoreName(qualname_name));
        self.stmts(&def.body)?;
        if has_class_cell {
            self.emit(Op::LoadClosure(1));
        } else {
            self.load_const(Value::None);
        }
        self.emit(Op::ReturnValue);
        let unit = self.units.pop().expect("class body unit");
        let layout = LocalLayout {
            argcount: 1,
            kwonlyargcount: 0,
            has_varargs: false,
            has_varkeywords: false,
            freevar_count: scope.freevars.len() as u32,
            cellvars: if has_class_cell { vec![1] } else { Vec::new() },
            varnames,
        };
        let code = unit.builder.finish(layout);
        let mut flags = MakeFunctionFlags::default();
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
}
