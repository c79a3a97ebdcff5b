//! `apy dis`: a readable listing of every code object, in the spirit of
//! Python's `dis` module.
//!
//! ```text
//! Disassembly of <code object greet, line 3>:
//!   4           0 LOAD_GLOBAL              0 (print)
//!               1 LOAD_CONST               1 ('hello')
//!               2 CALL                     1
//! ```
//!
//! Each line shows the source line (when it changes), `>>` at jump targets,
//! the instruction's index, its name, its operand, and what the operand
//! means. `AWAIT` lines are marked as suspension points: the places where a
//! coroutine can pause and let other tasks run.

use super::code::Code;
use super::op::{BinaryOpKind, Conversion, Op};
use crate::vm::value::Value;
use std::collections::HashSet;
use std::fmt::Write;
use std::rc::Rc;

/// Disassemble `code` and, after it, every code object nested in it.
pub fn disassemble(code: &Rc<Code>) -> String {
    let mut out = String::new();
    let mut pending = vec![code.clone()];
    let mut first = true;
    while let Some(code) = pending.pop() {
        if !first {
            out.push('\n');
        }
        first = false;
        disassemble_one(&mut out, &code);
        // Nested code objects, in order of appearance.
        let nested: Vec<Rc<Code>> = code
            .consts
            .iter()
            .filter_map(|c| match c {
                Value::Code(inner) => Some(inner.clone()),
                _ => None,
            })
            .collect();
        pending.extend(nested.into_iter().rev());
    }
    out
}

fn heading(code: &Code) -> String {
    if code.name.as_ref() == "<module>" {
        format!("Disassembly of <module> ({}):", code.source.name)
    } else {
        let kind = match code.kind {
            _ if code.is_coroutine() => "coroutine code",
            super::code::CodeKind::Generator => "generator code",
            super::code::CodeKind::AsyncGenerator => "async generator code",
            _ => "code object",
        };
        format!(
            "Disassembly of <{kind} {}, line {}>:",
            code.qualname, code.first_line
        )
    }
}

fn disassemble_one(out: &mut String, code: &Code) {
    let _ = writeln!(out, "{}", heading(code));
    let targets: HashSet<u32> = code
        .ops
        .iter()
        .filter_map(|op| op.jump_target())
        .chain(code.exception_table.iter().map(|h| h.handler))
        .collect();
    let mut last_line = 0;
    for (i, op) in code.ops.iter().enumerate() {
        let line = code.lines[i];
        let line_column = if line != last_line {
            if i > 0 {
                out.push('\n');
            }
            last_line = line;
            format!("{line:>4}")
        } else {
            "    ".to_string()
        };
        let marker = if targets.contains(&(i as u32)) {
            ">>"
        } else {
            "  "
        };
        let (arg, meaning) = operand(code, op);
        let mut row = format!("{line_column}     {marker} {i:>5} {:<24}", op.name());
        if let Some(arg) = arg {
            let _ = write!(row, "{arg:>4}");
        }
        if let Some(meaning) = meaning {
            let _ = write!(row, " ({meaning})");
        }
        let _ = writeln!(out, "{}", row.trim_end());
    }
    if !code.exception_table.is_empty() {
        out.push_str("ExceptionTable:\n");
        for h in &code.exception_table {
            let _ = writeln!(
                out,
                "  {} to {} -> {} [{}]",
                h.start,
                h.end - 1,
                h.handler,
                h.depth
            );
        }
    }
}

/// The operand as a number, and what it stands for.
fn operand(code: &Code, op: &Op) -> (Option<String>, Option<String>) {
    let local = |i: u32| code.varnames.get(i as usize).map(|n| n.to_string());
    let name = |i: u32| code.names.get(i as usize).map(|n| n.to_string());
    let global = |i: u32| {
        ((i as usize) < code.global_names.len())
            .then(|| code.global_names.name(i as usize).to_string())
    };
    let n = |i: u32| Some(i.to_string());
    match *op {
        Op::LoadConst(i) => (n(i), code.consts.get(i as usize).map(const_repr)),
        Op::LoadFast(i) | Op::StoreFast(i) | Op::DeleteFast(i) | Op::MakeCell(i) => {
            (n(i), local(i))
        }
        Op::LoadDeref(i) | Op::StoreDeref(i) | Op::DeleteDeref(i) | Op::LoadClosure(i) => {
            (n(i), local(i))
        }
        Op::LoadGlobal(i) | Op::StoreGlobal(i) | Op::DeleteGlobal(i) => (n(i), global(i)),
        Op::LoadAttr(i)
        | Op::StoreAttr(i)
        | Op::DeleteAttr(i)
        | Op::ImportName(i)
        | Op::ImportFrom(i)
        | Op::LoadName(i)
        | Op::StoreName(i)
        | Op::DeleteName(i) => (n(i), name(i)),
        Op::BuildClass { name: c, nbases } => (
            n(nbases as u32),
            name(c as u32).map(|c| format!("class {c}, {nbases} bases")),
        ),
        Op::CallMethod { name: m, argc } => {
            (n(argc as u32), name(m as u32).map(|m| format!(".{m}()")))
        }
        Op::CallKw { argc, kwnames } => (
            n(argc as u32),
            code.kwnames
                .get(kwnames as usize)
                .map(|k| {
                    k.iter()
                        .map(|s| s.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .map(|k| format!("keywords: {k}")),
        ),
        Op::Jump(t)
        | Op::PopJumpIfFalse(t)
        | Op::PopJumpIfTrue(t)
        | Op::JumpIfFalseOrPop(t)
        | Op::JumpIfTrueOrPop(t)
        | Op::ForIter(t) => (n(t), Some(format!("to {t}"))),
        Op::Send(t) => (n(t), Some(format!("to {t}"))),
        Op::YieldValue => (None, Some("suspension point".into())),
        Op::BinaryOp(kind) => (None, Some(binary_symbol(kind).to_string())),
        Op::CompareOp(kind) => (None, Some(kind.symbol().to_string())),
        Op::IsOp(invert) => (
            n(invert as u32),
            Some(if invert { "is not" } else { "is" }.into()),
        ),
        Op::ContainsOp(invert) => (
            n(invert as u32),
            Some(if invert { "not in" } else { "in" }.into()),
        ),
        Op::FormatValue(flags) => {
            let mut parts = Vec::new();
            match flags.conversion {
                Some(Conversion::Str) => parts.push("str"),
                Some(Conversion::Repr) => parts.push("repr"),
                Some(Conversion::Ascii) => parts.push("ascii"),
                None => {}
            }
            if flags.has_spec {
                parts.push("with format");
            }
            (None, (!parts.is_empty()).then(|| parts.join(", ")))
        }
        Op::MakeFunction(flags) => {
            let mut parts = Vec::new();
            if flags.defaults {
                parts.push("defaults");
            }
            if flags.kwdefaults {
                parts.push("kwdefaults");
            }
            if flags.closure {
                parts.push("closure");
            }
            (None, (!parts.is_empty()).then(|| parts.join(", ")))
        }
        Op::Await => (None, Some("suspension point".into())),
        Op::CallEx(kw) => (n(kw as u32), None),
        Op::UnpackEx { before, after } => (None, Some(format!("{before} before, {after} after"))),
        Op::Copy(i)
        | Op::Swap(i)
        | Op::BuildSlice(i)
        | Op::BuildTuple(i)
        | Op::BuildList(i)
        | Op::BuildSet(i)
        | Op::BuildMap(i)
        | Op::BuildString(i)
        | Op::ListAppend(i)
        | Op::ListExtend(i)
        | Op::SetAdd(i)
        | Op::SetUpdate(i)
        | Op::MapAdd(i)
        | Op::DictUpdate(i)
        | Op::DictMerge(i)
        | Op::UnpackSequence(i)
        | Op::Call(i)
        | Op::Raise(i) => (n(i), None),
        _ => (None, None),
    }
}

fn binary_symbol(kind: BinaryOpKind) -> &'static str {
    match kind {
        BinaryOpKind::Power => "**",
        other => other.symbol(),
    }
}

/// A constant as `dis` shows it: its repr, or the code object it is.
fn const_repr(v: &Value) -> String {
    match v {
        Value::Code(c) => format!("<code object {}, line {}>", c.name, c.first_line),
        Value::None => "None".into(),
        Value::Bool(b) => if *b { "True" } else { "False" }.into(),
        Value::Int(i) => i.to_string(),
        Value::BigInt(b) => b.to_string(),
        Value::Float(f) => crate::vm::object::float::float_repr(*f),
        Value::Str(s) => crate::vm::object::str_repr::str_repr(s.as_str()),
        Value::Ellipsis => "Ellipsis".into(),
        Value::Tuple(t) => {
            let items: Vec<String> = t.items.iter().map(const_repr).collect();
            if items.len() == 1 {
                format!("({},)", items[0])
            } else {
                format!("({})", items.join(", "))
            }
        }
        _ => "<constant>".into(),
    }
}
