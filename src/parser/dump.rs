//! A readable, indented dump of the AST, used by the snapshot tests (and
//! handy when debugging the grammar).
//!
//! One node per line, children indented under it, with the field name in
//! front when a node has several children. Statements show their line
//! range `[3-5]`; expressions their position `@3:4-9` (line:column-column,
//! or line:column-line:column when they span lines). Example:
//!
//! ```text
//! [1] Assign
//!   target: Name x @1:0-1
//!   value: BinOp Add @1:4-9
//!     Constant 1 @1:4-5
//!     Constant 2 @1:8-9
//! ```

use std::fmt::Write;

use super::ast::*;
use crate::span::{LineIndex, Span};

/// Dump `module` (parsed from `source`) as indented text.
pub fn dump(module: &Module, source: &str) -> String {
    let mut printer = Printer {
        out: String::new(),
        source,
        index: LineIndex::new(source),
        depth: 0,
    };
    for stmt in &module.body {
        printer.stmt(stmt);
    }
    printer.out
}

struct Printer<'a> {
    out: String,
    source: &'a str,
    index: LineIndex,
    depth: usize,
}

impl Printer<'_> {
    fn position(&self, span: Span) -> String {
        let (l1, c1) = (
            self.index.line_of(span.start),
            self.index.column_of(self.source, span.start),
        );
        let (l2, c2) = (
            self.index.line_of(span.end),
            self.index.column_of(self.source, span.end),
        );
        if l1 == l2 {
            format!("@{l1}:{c1}-{c2}")
        } else {
            format!("@{l1}:{c1}-{l2}:{c2}")
        }
    }

    fn line(&mut self, text: &str) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn nested(&mut self, f: impl FnOnce(&mut Self)) {
        self.depth += 1;
        f(self);
        self.depth -= 1;
    }

    /// `label:` then a block of statements under it.
    fn block(&mut self, label: &str, body: &[Stmt]) {
        if body.is_empty() {
            return;
        }
        self.line(&format!("{label}:"));
        self.nested(|p| {
            for stmt in body {
                p.stmt(stmt);
            }
        });
    }

    fn stmt(&mut self, stmt: &Stmt) {
        let first = self.index.line_of(stmt.span.start);
        let last = self.index.line_of(stmt.span.end);
        let lines = if first == last {
            format!("[{first}]")
        } else {
            format!("[{first}-{last}]")
        };
        let head = |name: &str| format!("{lines} {name}");
        match &stmt.kind {
            StmtKind::Expr(e) => {
                self.line(&head("Expr"));
                self.nested(|p| p.expr(None, e));
            }
            StmtKind::Assign { targets, value } => {
                self.line(&head("Assign"));
                self.nested(|p| {
                    for t in targets {
                        p.expr(Some("target"), t);
                    }
                    p.expr(Some("value"), value);
                });
            }
            StmtKind::AugAssign { target, op, value } => {
                self.line(&head(&format!("AugAssign {op:?}")));
                self.nested(|p| {
                    p.expr(Some("target"), target);
                    p.expr(Some("value"), value);
                });
            }
            StmtKind::AnnAssign {
                target,
                annotation,
                value,
            } => {
                self.line(&head("AnnAssign"));
                self.nested(|p| {
                    p.expr(Some("target"), target);
                    p.expr(Some("annotation"), annotation);
                    if let Some(v) = value {
                        p.expr(Some("value"), v);
                    }
                });
            }
            StmtKind::If { test, body, orelse } | StmtKind::While { test, body, orelse } => {
                let name = if matches!(stmt.kind, StmtKind::If { .. }) {
                    "If"
                } else {
                    "While"
                };
                self.line(&head(name));
                self.nested(|p| {
                    p.expr(Some("test"), test);
                    p.block("body", body);
                    p.block("orelse", orelse);
                });
            }
            StmtKind::For {
                target,
                iter,
                body,
                orelse,
                is_async,
            } => {
                self.line(&head(if *is_async { "AsyncFor" } else { "For" }));
                self.nested(|p| {
                    p.expr(Some("target"), target);
                    p.expr(Some("iter"), iter);
                    p.block("body", body);
                    p.block("orelse", orelse);
                });
            }
            StmtKind::Break => self.line(&head("Break")),
            StmtKind::Continue => self.line(&head("Continue")),
            StmtKind::Pass => self.line(&head("Pass")),
            StmtKind::FunctionDef(def) => {
                let kind = if def.is_async {
                    "AsyncFunctionDef"
                } else {
                    "FunctionDef"
                };
                let name_at = self.position(def.name_span);
                self.line(&head(&format!("{kind} {} {name_at}", def.name)));
                self.nested(|p| {
                    for d in &def.decorators {
                        p.expr(Some("decorator"), d);
                    }
                    p.params(&def.params);
                    if let Some(r) = &def.returns {
                        p.expr(Some("returns"), r);
                    }
                    p.block("body", &def.body);
                });
            }
            StmtKind::ClassDef(class) => {
                self.line(&head(&format!("ClassDef {}", class.name)));
                self.nested(|p| {
                    for d in &class.decorators {
                        p.expr(Some("decorator"), d);
                    }
                    for b in &class.bases {
                        p.expr(Some("base"), b);
                    }
                    for k in &class.keywords {
                        p.keyword(k);
                    }
                    p.block("body", &class.body);
                });
            }
            StmtKind::Return(value) => {
                self.line(&head("Return"));
                if let Some(v) = value {
                    self.nested(|p| p.expr(None, v));
                }
            }
            StmtKind::Global(names) => self.line(&head(&format!("Global {}", names.join(", ")))),
            StmtKind::Nonlocal(names) => {
                self.line(&head(&format!("Nonlocal {}", names.join(", "))))
            }
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finalbody,
            } => {
                self.line(&head("Try"));
                self.nested(|p| {
                    p.block("body", body);
                    for h in handlers {
                        let line = p.index.line_of(h.span.start);
                        let name = h
                            .name
                            .as_ref()
                            .map(|n| format!(" as {n}"))
                            .unwrap_or_default();
                        p.line(&format!("[{line}] ExceptHandler{name}"));
                        p.nested(|p| {
                            if let Some(t) = &h.typ {
                                p.expr(Some("type"), t);
                            }
                            p.block("body", &h.body);
                        });
                    }
                    p.block("orelse", orelse);
                    p.block("finalbody", finalbody);
                });
            }
            StmtKind::Raise { exc, cause } => {
                self.line(&head("Raise"));
                self.nested(|p| {
                    if let Some(e) = exc {
                        p.expr(Some("exc"), e);
                    }
                    if let Some(c) = cause {
                        p.expr(Some("cause"), c);
                    }
                });
            }
            StmtKind::Assert { test, msg } => {
                self.line(&head("Assert"));
                self.nested(|p| {
                    p.expr(Some("test"), test);
                    if let Some(m) = msg {
                        p.expr(Some("msg"), m);
                    }
                });
            }
            StmtKind::Delete(targets) => {
                self.line(&head("Delete"));
                self.nested(|p| {
                    for t in targets {
                        p.expr(None, t);
                    }
                });
            }
            StmtKind::Import(names) => {
                self.line(&head(&format!("Import {}", aliases(names))));
            }
            StmtKind::ImportFrom { module, names } => {
                self.line(&head(&format!("ImportFrom {module}: {}", aliases(names))));
            }
            StmtKind::With {
                items,
                body,
                is_async,
            } => {
                self.line(&head(if *is_async { "AsyncWith" } else { "With" }));
                self.nested(|p| {
                    for item in items {
                        p.expr(Some("item"), &item.context_expr);
                        if let Some(v) = &item.optional_vars {
                            p.expr(Some("as"), v);
                        }
                    }
                    p.block("body", body);
                });
            }
        }
    }

    fn params(&mut self, params: &Parameters) {
        let one = |p: &mut Self, label: &str, param: &Param| {
            let at = p.position(param.span);
            p.line(&format!("{label}: {} {at}", param.name));
            p.nested(|p| {
                if let Some(a) = &param.annotation {
                    p.expr(Some("annotation"), a);
                }
                if let Some(d) = &param.default {
                    p.expr(Some("default"), d);
                }
            });
        };
        for a in &params.args {
            one(self, "arg", a);
        }
        if let Some(v) = &params.vararg {
            one(self, "vararg", v);
        }
        for k in &params.kwonlyargs {
            one(self, "kwonly", k);
        }
        if let Some(k) = &params.kwarg {
            one(self, "kwarg", k);
        }
    }

    fn keyword(&mut self, k: &Keyword) {
        let name = k.arg.as_deref().unwrap_or("**");
        let at = self.position(k.span);
        self.line(&format!("keyword {name} {at}"));
        self.nested(|p| p.expr(None, &k.value));
    }

    fn expr(&mut self, label: Option<&str>, e: &Expr) {
        let at = self.position(e.span);
        let label = label.map(|l| format!("{l}: ")).unwrap_or_default();
        let head = |p: &mut Self, text: &str| p.line(&format!("{label}{text} {at}"));
        match &e.kind {
            ExprKind::Name(n) => head(self, &format!("Name {n}")),
            ExprKind::Constant(c) => head(self, &format!("Constant {}", constant(c))),
            ExprKind::FString(parts) => {
                head(self, "FString");
                self.nested(|p| p.fstring_parts(parts));
            }
            ExprKind::Tuple(items) | ExprKind::List(items) | ExprKind::Set(items) => {
                let name = match e.kind {
                    ExprKind::Tuple(_) => "Tuple",
                    ExprKind::List(_) => "List",
                    _ => "Set",
                };
                head(self, name);
                self.nested(|p| {
                    for item in items {
                        p.expr(None, item);
                    }
                });
            }
            ExprKind::Dict(items) => {
                head(self, "Dict");
                self.nested(|p| {
                    for (k, v) in items {
                        match k {
                            Some(k) => p.expr(Some("key"), k),
                            None => p.line("key: **"),
                        }
                        p.nested(|p| p.expr(Some("value"), v));
                    }
                });
            }
            ExprKind::Starred(inner) => {
                head(self, "Starred");
                self.nested(|p| p.expr(None, inner));
            }
            ExprKind::Attribute { value, attr } => {
                head(self, &format!("Attribute .{attr}"));
                self.nested(|p| p.expr(None, value));
            }
            ExprKind::Subscript { value, index } => {
                head(self, "Subscript");
                self.nested(|p| {
                    p.expr(Some("value"), value);
                    p.expr(Some("index"), index);
                });
            }
            ExprKind::Slice { lower, upper, step } => {
                head(self, "Slice");
                self.nested(|p| {
                    for (name, part) in [("lower", lower), ("upper", upper), ("step", step)] {
                        if let Some(part) = part {
                            p.expr(Some(name), part);
                        }
                    }
                });
            }
            ExprKind::Call {
                func,
                args,
                keywords,
            } => {
                head(self, "Call");
                self.nested(|p| {
                    p.expr(Some("func"), func);
                    for a in args {
                        p.expr(Some("arg"), a);
                    }
                    for k in keywords {
                        p.keyword(k);
                    }
                });
            }
            ExprKind::BinOp { left, op, right } => {
                head(self, &format!("BinOp {op:?}"));
                self.nested(|p| {
                    p.expr(None, left);
                    p.expr(None, right);
                });
            }
            ExprKind::UnaryOp { op, operand } => {
                head(self, &format!("UnaryOp {op:?}"));
                self.nested(|p| p.expr(None, operand));
            }
            ExprKind::BoolOp { op, values } => {
                head(self, &format!("BoolOp {op:?}"));
                self.nested(|p| {
                    for v in values {
                        p.expr(None, v);
                    }
                });
            }
            ExprKind::Compare { left, comparisons } => {
                head(self, "Compare");
                self.nested(|p| {
                    p.expr(None, left);
                    for (op, right) in comparisons {
                        p.expr(Some(&format!("{op:?}")), right);
                    }
                });
            }
            ExprKind::IfExp { test, body, orelse } => {
                head(self, "IfExp");
                self.nested(|p| {
                    p.expr(Some("test"), test);
                    p.expr(Some("body"), body);
                    p.expr(Some("orelse"), orelse);
                });
            }
            ExprKind::Lambda { params, body } => {
                head(self, "Lambda");
                self.nested(|p| {
                    p.params(params);
                    p.expr(Some("body"), body);
                });
            }
            ExprKind::Await(inner) => {
                head(self, "Await");
                self.nested(|p| p.expr(None, inner));
            }
            ExprKind::Yield(value) => {
                head(self, "Yield");
                if let Some(v) = value {
                    self.nested(|p| p.expr(None, v));
                }
            }
            ExprKind::YieldFrom(value) => {
                head(self, "YieldFrom");
                self.nested(|p| p.expr(None, value));
            }
            ExprKind::ListComp { elt, generators }
            | ExprKind::SetComp { elt, generators }
            | ExprKind::GeneratorExp { elt, generators } => {
                let name = match e.kind {
                    ExprKind::ListComp { .. } => "ListComp",
                    ExprKind::SetComp { .. } => "SetComp",
                    _ => "GeneratorExp",
                };
                head(self, name);
                self.nested(|p| {
                    p.expr(Some("elt"), elt);
                    p.generators(generators);
                });
            }
            ExprKind::DictComp {
                key,
                value,
                generators,
            } => {
                head(self, "DictComp");
                self.nested(|p| {
                    p.expr(Some("key"), key);
                    p.expr(Some("value"), value);
                    p.generators(generators);
                });
            }
        }
    }

    fn generators(&mut self, generators: &[Comprehension]) {
        for g in generators {
            self.line(if g.is_async { "async for:" } else { "for:" });
            self.nested(|p| {
                p.expr(Some("target"), &g.target);
                p.expr(Some("iter"), &g.iter);
                for cond in &g.ifs {
                    p.expr(Some("if"), cond);
                }
            });
        }
    }

    fn fstring_parts(&mut self, parts: &[FStringPart]) {
        for part in parts {
            match part {
                FStringPart::Literal(text) => self.line(&format!("Literal {text:?}")),
                FStringPart::Field {
                    value,
                    conversion,
                    spec,
                } => {
                    let mut text = String::from("Field");
                    if let Some(c) = conversion {
                        let _ = write!(text, " !{c}");
                    }
                    self.line(&text);
                    self.nested(|p| {
                        p.expr(None, value);
                        if let Some(spec) = spec {
                            p.line("spec:");
                            p.nested(|p| p.fstring_parts(spec));
                        }
                    });
                }
            }
        }
    }
}

fn constant(c: &Constant) -> String {
    match c {
        Constant::None => "None".into(),
        Constant::True => "True".into(),
        Constant::False => "False".into(),
        Constant::Ellipsis => "Ellipsis".into(),
        Constant::Int(i) => i.to_string(),
        Constant::Float(f) => format!("{f:?}"),
        Constant::Str(s) => format!("{s:?}"),
        Constant::Bytes(b) => format!("b'{}'", b.escape_ascii()),
    }
}

fn aliases(names: &[Alias]) -> String {
    names
        .iter()
        .map(|a| match &a.asname {
            Some(asname) => format!("{} as {asname}", a.name),
            None => a.name.to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}
