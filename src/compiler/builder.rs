//! `CodeBuilder`: assembles one code object while the compiler walks a
//! function body.
//!
//! It hands out labels for jumps (bound later, patched at the end), keeps
//! the constant and name tables free of duplicates, records the source span
//! of every instruction, and builds the exception table. For the table it
//! does what CPython's assembler does: while the compiler is inside a `try`
//! block it keeps that block's handler on a stack, every instruction
//! remembers the innermost handler active when it was emitted, and at the
//! end runs of instructions with the same handler become one table row. So
//! a `finally` body inlined before a `return` (emitted with its own handler
//! popped) is correctly *not* protected by itself.

use crate::bytecode::code::{Code, CodeKind, ExceptionHandler, GlobalNames};
use crate::bytecode::op::Op;
use crate::source::SourceFile;
use crate::span::Span;
use crate::symbol::Symbol;
use crate::vm::value::Value;
use num_bigint::BigInt;
use std::collections::HashMap;
use std::rc::Rc;

/// A jump target not yet bound to an instruction index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Label(u32);

/// An exception handler the compiler has opened: where it jumps, and how
/// deep the value stack is there.
#[derive(Clone, Copy, Debug)]
struct HandlerBlock {
    target: Label,
    depth: u32,
}

/// A constant, in a form that can be compared for de-duplication
/// (`1`, `1.0` and `True` stay distinct, as in CPython).
#[derive(Clone, PartialEq, Eq, Hash)]
enum ConstKey {
    None,
    Bool(bool),
    Ellipsis,
    Int(BigInt),
    Float(u64),
    Str(Rc<str>),
    Tuple(Vec<ConstKey>),
    /// Code objects are never shared.
    Unique(usize),
}

pub struct CodeBuilder {
    pub name: Rc<str>,
    pub qualname: Rc<str>,
    pub kind: CodeKind,
    pub first_line: u32,
    source: Rc<SourceFile>,
    global_names: Rc<GlobalNames>,

    ops: Vec<Op>,
    spans: Vec<Span>,
    method_spans: Vec<(u32, Span)>,
    /// Innermost active handler of each instruction (index into `handlers`).
    op_handlers: Vec<Option<u32>>,
    handlers: Vec<HandlerBlock>,
    handler_stack: Vec<u32>,

    labels: Vec<Option<u32>>,
    consts: Vec<Value>,
    const_index: HashMap<ConstKey, u32>,
    names: Vec<Symbol>,
    name_index: HashMap<Symbol, u32>,
    kwnames: Vec<Rc<[Symbol]>>,

    /// The span new instructions get.
    pub span: Span,
}

impl CodeBuilder {
    pub fn new(
        name: Rc<str>,
        qualname: Rc<str>,
        kind: CodeKind,
        source: Rc<SourceFile>,
        global_names: Rc<GlobalNames>,
        span: Span,
    ) -> CodeBuilder {
        let first_line = if kind == CodeKind::Module {
            1
        } else {
            source.line_of(span)
        };
        CodeBuilder {
            name,
            qualname,
            kind,
            first_line,
            source,
            global_names,
            ops: Vec::new(),
            spans: Vec::new(),
            method_spans: Vec::new(),
            op_handlers: Vec::new(),
            handlers: Vec::new(),
            handler_stack: Vec::new(),
            labels: Vec::new(),
            consts: Vec::new(),
            const_index: HashMap::new(),
            names: Vec::new(),
            name_index: HashMap::new(),
            kwnames: Vec::new(),
            span,
        }
    }

    /// Remember the `obj.method` span of the `CallMethod` just emitted.
    pub fn note_method_span(&mut self, span: Span) {
        let at = self.ops.len() as u32 - 1;
        self.method_spans.push((at, span));
    }

    /// Append an instruction; returns its index.
    pub fn emit(&mut self, op: Op) -> usize {
        self.ops.push(op);
        self.spans.push(self.span);
        self.op_handlers.push(self.handler_stack.last().copied());
        self.ops.len() - 1
    }

    pub fn new_label(&mut self) -> Label {
        self.labels.push(None);
        Label(self.labels.len() as u32 - 1)
    }

    /// Bind `label` to the next instruction.
    pub fn bind(&mut self, label: Label) {
        self.labels[label.0 as usize] = Some(self.ops.len() as u32);
    }

    /// Emit a jump to `label` (the target is patched in `finish`): the op's
    /// own operand holds the label number until then.
    pub fn emit_jump(&mut self, make: fn(u32) -> Op, label: Label) -> usize {
        self.emit(make(label.0))
    }

    /// Whether control can never reach the next instruction: the last one
    /// never falls through and no jump targets the current position.
    pub fn ends_in_jump(&self) -> bool {
        let position = self.ops.len() as u32;
        if self.labels.contains(&Some(position)) {
            return false;
        }
        matches!(
            self.ops.last(),
            Some(Op::Jump(_) | Op::ReturnValue | Op::Raise(_) | Op::Reraise)
        )
    }

    pub fn position(&self) -> usize {
        self.ops.len()
    }

    // ----- exception handlers ----------------------------------------------

    /// Start protecting the instructions that follow: an exception among
    /// them jumps to `target` with the value stack cut to `depth` items.
    pub fn push_handler(&mut self, target: Label, depth: u32) {
        self.handlers.push(HandlerBlock { target, depth });
        self.handler_stack.push(self.handlers.len() as u32 - 1);
    }

    pub fn pop_handler(&mut self) {
        self.handler_stack.pop();
    }

    /// The handler stack, to set aside while emitting code that must not be
    /// protected by some of it (an inlined `finally`), and to restore after.
    pub fn handler_depth(&self) -> usize {
        self.handler_stack.len()
    }

    pub fn truncate_handlers(&mut self, keep: usize) -> Vec<u32> {
        self.handler_stack.split_off(keep)
    }

    pub fn restore_handlers(&mut self, saved: Vec<u32>) {
        self.handler_stack.extend(saved);
    }

    // ----- tables -------------------------------------------------------------

    pub fn add_const(&mut self, value: Value) -> u32 {
        let key = const_key(&value);
        if let Some(key) = &key {
            if let Some(&index) = self.const_index.get(key) {
                return index;
            }
        }
        self.consts.push(value);
        let index = self.consts.len() as u32 - 1;
        if let Some(key) = key {
            self.const_index.insert(key, index);
        }
        index
    }

    pub fn add_name(&mut self, name: Symbol) -> u32 {
        if let Some(&index) = self.name_index.get(&name) {
            return index;
        }
        self.names.push(name);
        let index = self.names.len() as u32 - 1;
        self.name_index.insert(name, index);
        index
    }

    pub fn add_kwnames(&mut self, names: Vec<Symbol>) -> u32 {
        let names: Rc<[Symbol]> = names.into();
        if let Some(i) = self.kwnames.iter().position(|k| *k == names) {
            return i as u32;
        }
        self.kwnames.push(names);
        self.kwnames.len() as u32 - 1
    }

    pub fn global_slot(&self, name: Symbol) -> u32 {
        self.global_names.slot(name)
    }

    pub fn source(&self) -> &Rc<SourceFile> {
        &self.source
    }

    pub fn global_names(&self) -> &Rc<GlobalNames> {
        &self.global_names
    }

    /// Patch the jumps, build the line and exception tables, and produce the
    /// finished code object.
    pub fn finish(mut self, layout: LocalLayout) -> Rc<Code> {
        let resolve = |labels: &[Option<u32>], label: u32| {
            labels[label as usize].expect("every label used by a jump is bound")
        };
        for op in &mut self.ops {
            if let Some(label) = op.jump_target() {
                op.set_jump_target(resolve(&self.labels, label));
            }
        }
        let mut exception_table: Vec<ExceptionHandler> = Vec::new();
        for (i, handler) in self.op_handlers.iter().enumerate() {
            let Some(h) = handler else { continue };
            let block = self.handlers[*h as usize];
            let target = resolve(&self.labels, block.target.0);
            match exception_table.last_mut() {
                Some(last)
                    if last.end == i as u32
                        && last.handler == target
                        && last.depth == block.depth =>
                {
                    last.end += 1;
                }
                _ => exception_table.push(ExceptionHandler {
                    start: i as u32,
                    end: i as u32 + 1,
                    handler: target,
                    depth: block.depth,
                }),
            }
        }
        let max_stack = max_stack_depth(&self.ops, &exception_table);
        let scratch_slots = self.ops.iter().any(|op| matches!(op, Op::LoadAttr(_))) as u32;
        let lines: Vec<u32> = self.spans.iter().map(|s| self.source.line_of(*s)).collect();
        let quickened = crate::bytecode::quicken::quicken(&self.ops, &lines, &exception_table);
        Rc::new(Code {
            name: self.name,
            qualname: self.qualname,
            kind: self.kind,
            source: self.source,
            first_line: self.first_line,
            argcount: layout.argcount,
            kwonlyargcount: layout.kwonlyargcount,
            has_varargs: layout.has_varargs,
            has_varkeywords: layout.has_varkeywords,
            varnames: layout.varnames,
            freevar_count: layout.freevar_count,
            cellvars: layout.cellvars,
            ops: self.ops,
            quickened,
            lines,
            consts: self.consts,
            names: self.names,
            kwnames: self.kwnames,
            exception_table,
            spans: self.spans,
            method_spans: self.method_spans,
            global_names: self.global_names,
            max_stack,
            scratch_slots,
        })
    }
}

/// The deepest the operand stack can get in `ops`, found by following every
/// path from the entry and every exception handler (which starts with the
/// handler's depth plus the exception). The VM reserves this many slots
/// when it enters a frame, so the dispatch loop's pushes need no checks.
fn max_stack_depth(ops: &[Op], handlers: &[ExceptionHandler]) -> u32 {
    let mut depth_at: Vec<Option<i32>> = vec![None; ops.len() + 1];
    let mut work: Vec<(usize, i32)> = vec![(0, 0)];
    for h in handlers {
        work.push((h.handler as usize, h.depth as i32 + 1));
    }
    let mut max = 0;
    while let Some((mut ip, mut depth)) = work.pop() {
        while ip < ops.len() {
            match depth_at[ip] {
                Some(seen) if seen >= depth => break,
                _ => depth_at[ip] = Some(depth),
            }
            max = max.max(depth);
            let op = ops[ip];
            if let Some(target) = op.jump_target() {
                let jumped = depth + op.stack_effect(true);
                max = max.max(jumped);
                work.push((target as usize, jumped));
            }
            if op.is_terminal() {
                break;
            }
            depth += op.stack_effect(false);
            max = max.max(depth);
            ip += 1;
        }
    }
    max.max(0) as u32
}

/// The local-variable layout of a code object, decided by the scope pass.
#[derive(Default)]
pub struct LocalLayout {
    pub argcount: u32,
    pub kwonlyargcount: u32,
    pub has_varargs: bool,
    pub has_varkeywords: bool,
    pub varnames: Vec<Rc<str>>,
    pub freevar_count: u32,
    pub cellvars: Vec<u32>,
}

fn const_key(value: &Value) -> Option<ConstKey> {
    Some(match value {
        Value::None => ConstKey::None,
        Value::Bool(b) => ConstKey::Bool(*b),
        Value::Ellipsis => ConstKey::Ellipsis,
        Value::Int(i) => ConstKey::Int(BigInt::from(*i)),
        Value::BigInt(b) => ConstKey::Int((**b).clone()),
        Value::Float(f) => ConstKey::Float(f.to_bits()),
        Value::Str(s) => ConstKey::Str(Rc::from(s.as_str())),
        Value::Tuple(t) => {
            ConstKey::Tuple(t.items.iter().map(const_key).collect::<Option<Vec<_>>>()?)
        }
        Value::Code(c) => ConstKey::Unique(Rc::as_ptr(c) as usize),
        _ => return None,
    })
}
