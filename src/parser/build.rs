//! Building AST nodes: the Rust side of the grammar's actions.
//!
//! The grammar (`grammar/apy.lalrpop`) says *which* tokens form a node; the
//! functions here say *how* the node is made and checked. The checks are the
//! ones CPython makes after parsing: an assignment target must be
//! assignable ("cannot assign to function call here. Maybe you meant '=='
//! instead of '='?"), parameters must come in order ("non-default argument
//! follows default argument"), and constructs outside apy's subset are
//! refused by name.

use lalrpop_util::ParseError;
use std::rc::Rc;

use super::ast::*;
use super::strings;
use crate::diagnostics::SyntaxDiagnostic;
use crate::lexer::{Number, Token};
use crate::span::Span;

/// The error type of grammar actions.
pub type ActionError = ParseError<usize, Token, SyntaxDiagnostic>;
pub type ActionResult<T> = Result<T, ActionError>;

/// What the grammar's single entry point produced.
pub enum Top {
    Module(Vec<Stmt>),
    Expression(Expr),
}

pub fn error(message: impl Into<String>, span: Span) -> ActionError {
    ParseError::User {
        error: SyntaxDiagnostic::syntax(message, span),
    }
}

pub fn unsupported(construct: &str, span: Span, source: &str) -> ActionError {
    ParseError::User {
        error: SyntaxDiagnostic::unsupported(construct, span, source),
    }
}

pub fn unsupported_plural(constructs: &str, span: Span, source: &str) -> ActionError {
    ParseError::User {
        error: SyntaxDiagnostic::unsupported_plural(constructs, span, source),
    }
}

pub fn binop(left: Expr, op: BinOp, right: Expr, span: Span) -> Expr {
    Expr::new(
        ExprKind::BinOp {
            left: Box::new(left),
            op,
            right: Box::new(right),
        },
        span,
    )
}

pub fn unary(op: UnaryOp, operand: Expr, span: Span) -> Expr {
    Expr::new(
        ExprKind::UnaryOp {
            op,
            operand: Box::new(operand),
        },
        span,
    )
}

pub fn bool_op(op: BoolOp, first: Expr, rest: Vec<Expr>, span: Span) -> Expr {
    let mut values = vec![first];
    values.extend(rest);
    Expr::new(ExprKind::BoolOp { op, values }, span)
}

pub fn tuple(mut items: Vec<Expr>, last: Option<Expr>, span: Span) -> Expr {
    items.extend(last);
    Expr::new(ExprKind::Tuple(items), span)
}

pub fn number(n: Number, span: Span) -> Expr {
    let constant = match n {
        Number::Int(i) => Constant::Int(i),
        Number::Float(f) => Constant::Float(f),
    };
    Expr::new(ExprKind::Constant(constant), span)
}

pub fn strings(
    pieces: Vec<(usize, Box<crate::lexer::StringLiteral>, usize)>,
    source: &str,
) -> ActionResult<Expr> {
    strings::concatenate(pieces, source).map_err(|error| ParseError::User { error })
}

pub fn dotted(first: Ident, rest: Vec<Ident>) -> Ident {
    if rest.is_empty() {
        return first;
    }
    let mut name = first.to_string();
    for part in rest {
        name.push('.');
        name.push_str(&part);
    }
    Rc::from(name)
}

/// `( ... )`: a parenthesised expression, or a tuple.
pub fn parenthesized(
    mut items: Vec<Expr>,
    last: Expr,
    trailing_comma: bool,
    span: Span,
    source: &str,
) -> ActionResult<Expr> {
    let _ = source;
    if items.is_empty() && !trailing_comma {
        if let ExprKind::Starred(_) = last.kind {
            return Err(error("cannot use starred expression here", last.span));
        }
        return Ok(last);
    }
    items.push(last);
    Ok(Expr::new(ExprKind::Tuple(items), span))
}

/// The expression of an f-string field.
pub fn field_expression(e: Expr, source: &str) -> ActionResult<Expr> {
    let _ = source;
    if let ExprKind::Starred(_) = e.kind {
        return Err(error("cannot use starred expression here", e.span));
    }
    Ok(e)
}

/// Which kind of comprehension a `for` clause belongs to.
pub enum Comp {
    List,
    Set,
    Dict,
    Generator,
}

pub fn comprehension(
    kind: Comp,
    elt: Expr,
    value: Option<Expr>,
    generators: Vec<Comprehension>,
    span: Span,
) -> Expr {
    let elt = Box::new(elt);
    let kind = match kind {
        Comp::List => ExprKind::ListComp { elt, generators },
        Comp::Set => ExprKind::SetComp { elt, generators },
        Comp::Generator => ExprKind::GeneratorExp { elt, generators },
        Comp::Dict => ExprKind::DictComp {
            key: elt,
            value: Box::new(value.unwrap_or_else(|| Expr::new(ExprKind::Tuple(vec![]), span))),
            generators,
        },
    };
    Expr::new(kind, span)
}

// ------------------------------------------------------------ targets

/// Where an expression is used as a target.
#[derive(Clone, Copy, PartialEq)]
pub enum Target {
    /// `x = ...`, `with ... as x`.
    Assign,
    /// `for x in ...` and comprehensions.
    For,
    /// `x += ...`: a single name, attribute or subscript.
    AugAssign,
    /// `x: int = ...`.
    Annotated,
    Delete,
}

/// CPython's name for an expression that cannot be a target.
fn describe(e: &Expr) -> &'static str {
    match &e.kind {
        ExprKind::Call { .. } => "function call",
        ExprKind::Constant(Constant::None) => "None",
        ExprKind::Constant(Constant::True) => "True",
        ExprKind::Constant(Constant::False) => "False",
        ExprKind::Constant(Constant::Ellipsis) => "ellipsis",
        ExprKind::Constant(_) => "literal",
        ExprKind::FString(_) => "f-string expression",
        ExprKind::BinOp { .. } | ExprKind::UnaryOp { .. } => "expression",
        ExprKind::BoolOp { .. } => "expression",
        ExprKind::Compare { .. } => "comparison",
        ExprKind::IfExp { .. } => "conditional expression",
        ExprKind::Lambda { .. } => "lambda",
        ExprKind::Await(_) => "await expression",
        ExprKind::Yield(_) | ExprKind::YieldFrom(_) => "yield expression",
        ExprKind::ListComp { .. } => "list comprehension",
        ExprKind::SetComp { .. } => "set comprehension",
        ExprKind::DictComp { .. } => "dict comprehension",
        ExprKind::GeneratorExp { .. } => "generator expression",
        ExprKind::Dict(_) => "dict literal",
        ExprKind::Set(_) => "set display",
        ExprKind::Slice { .. } => "slice",
        ExprKind::Starred(_) => "starred",
        ExprKind::Tuple(_) => "tuple",
        ExprKind::List(_) => "list",
        ExprKind::Name(_) | ExprKind::Attribute { .. } | ExprKind::Subscript { .. } => "expression",
    }
}

/// Check that `e` can be assigned to (or deleted) where `target` says.
pub fn check_target(e: &Expr, target: Target, source: &str) -> ActionResult<()> {
    let _ = source;
    match &e.kind {
        ExprKind::Name(_) | ExprKind::Attribute { .. } | ExprKind::Subscript { .. } => Ok(()),
        ExprKind::Tuple(items) | ExprKind::List(items)
            if target != Target::AugAssign && target != Target::Annotated =>
        {
            let mut starred = 0;
            for item in items {
                if let ExprKind::Starred(inner) = &item.kind {
                    if target == Target::Delete {
                        return Err(error("cannot delete starred", item.span));
                    }
                    starred += 1;
                    if starred > 1 {
                        return Err(error("multiple starred expressions in assignment", e.span));
                    }
                    check_target(inner, target, source)?;
                } else {
                    check_target(item, target, source)?;
                }
            }
            Ok(())
        }
        ExprKind::Starred(_) if target == Target::Assign || target == Target::For => Err(error(
            "starred assignment target must be in a list or tuple",
            e.span,
        )),
        _ => {
            let what = describe(e);
            let message = match target {
                Target::Delete => format!("cannot delete {what}"),
                Target::AugAssign => {
                    format!("'{what}' is an illegal expression for augmented assignment")
                }
                Target::Annotated => match &e.kind {
                    // CPython points at the start of the target only.
                    ExprKind::Tuple(_) | ExprKind::List(_) => {
                        let at = e.span.start as usize;
                        let message = if matches!(e.kind, ExprKind::Tuple(_)) {
                            "only single target (not tuple) can be annotated"
                        } else {
                            "only single target (not list) can be annotated"
                        };
                        return Err(error(message, Span::new(at, at + 1)));
                    }
                    _ => "illegal target for annotation".into(),
                },
                Target::For | Target::Assign => format!("cannot assign to {what}"),
            };
            Err(error(message, e.span))
        }
    }
}

pub fn expression_statement(e: Expr, span: Span, source: &str) -> ActionResult<Stmt> {
    let _ = source;
    if let ExprKind::Starred(_) = e.kind {
        return Err(error("can't use starred expression here", e.span));
    }
    Ok(Stmt::new(StmtKind::Expr(e), span))
}

pub fn assign(first: Expr, rest: Vec<Expr>, span: Span, source: &str) -> ActionResult<Stmt> {
    let mut targets = vec![first];
    targets.extend(rest);
    let value = targets.pop().expect("at least one `=`");
    let single = targets.len() == 1;
    for (i, target) in targets.iter().enumerate() {
        if let ExprKind::Yield(_) | ExprKind::YieldFrom(_) = target.kind {
            if !is_parenthesized(target, source) {
                return Err(error(
                    "assignment to yield expression not possible",
                    target.span,
                ));
            }
        }
        if let Err(e) = check_target(target, Target::Assign, source) {
            // CPython's hint only fires for `target = value` with a single
            // `=`, when both sides could be operands of `==`.
            let hint = i == 0 && single && starts_like_operand(&value, source);
            return Err(if hint {
                maybe_meant_equality(e, target, source)
            } else {
                e
            });
        }
    }
    if let ExprKind::Starred(_) = value.kind {
        return Err(error("can't use starred expression here", value.span));
    }
    Ok(Stmt::new(StmtKind::Assign { targets, value }, span))
}

/// Whether `e` was written in parentheses.
fn is_parenthesized(e: &Expr, source: &str) -> bool {
    source[..e.span.start as usize].trim_end().ends_with('(')
        && source[e.span.end as usize..].trim_start().starts_with(')')
}

/// Whether the leftmost part of `e` is an operand of `|` or tighter (CPython
/// checks for a `bitwise_or` there).
fn starts_like_operand(e: &Expr, source: &str) -> bool {
    match &e.kind {
        ExprKind::UnaryOp {
            op: UnaryOp::Not, ..
        }
        | ExprKind::Lambda { .. }
        | ExprKind::Starred(_) => false,
        ExprKind::Yield(_) | ExprKind::YieldFrom(_) => is_parenthesized(e, source),
        ExprKind::BoolOp { values, .. } => values
            .first()
            .is_some_and(|v| starts_like_operand(v, source)),
        ExprKind::Compare { left, .. } => starts_like_operand(left, source),
        ExprKind::IfExp { body, .. } => starts_like_operand(body, source),
        ExprKind::Tuple(items) => match items.first() {
            Some(first) if first.span.start == e.span.start => starts_like_operand(first, source),
            _ => true,
        },
        _ => true,
    }
}

/// CPython adds "here. Maybe you meant '==' instead of '='?" when the bad
/// target of a `=` could have been meant as a comparison.
fn maybe_meant_equality(e: ActionError, target: &Expr, source: &str) -> ActionError {
    let ParseError::User { mut error } = e else {
        return e;
    };
    let bad = find_bad_target(target).unwrap_or(target);
    let hint = error.span == bad.span
        && error.message.starts_with("cannot assign to ")
        && match &bad.kind {
            ExprKind::Compare { .. }
            | ExprKind::BoolOp { .. }
            | ExprKind::IfExp { .. }
            | ExprKind::Lambda { .. }
            | ExprKind::Starred(_)
            | ExprKind::GeneratorExp { .. }
            | ExprKind::UnaryOp {
                op: UnaryOp::Not, ..
            } => false,
            ExprKind::Yield(_) | ExprKind::YieldFrom(_) => is_parenthesized(bad, source),
            ExprKind::Constant(c) => {
                !matches!(c, Constant::None | Constant::True | Constant::False)
            }
            _ => true,
        };
    if hint {
        error
            .message
            .push_str(" here. Maybe you meant '==' instead of '='?");
    }
    ParseError::User { error }
}

/// The first sub-expression of a target that cannot be assigned to.
fn find_bad_target(e: &Expr) -> Option<&Expr> {
    match &e.kind {
        ExprKind::Name(_) | ExprKind::Attribute { .. } | ExprKind::Subscript { .. } => None,
        ExprKind::Tuple(items) | ExprKind::List(items) => {
            items.iter().find_map(|item| match &item.kind {
                ExprKind::Starred(inner) => find_bad_target(inner),
                _ => find_bad_target(item),
            })
        }
        _ => Some(e),
    }
}

pub fn aug_assign(
    target: Expr,
    op: BinOp,
    value: Expr,
    span: Span,
    source: &str,
) -> ActionResult<Stmt> {
    check_target(&target, Target::AugAssign, source)?;
    Ok(Stmt::new(StmtKind::AugAssign { target, op, value }, span))
}

pub fn ann_assign(
    target: Expr,
    annotation: Expr,
    value: Option<Expr>,
    span: Span,
    source: &str,
) -> ActionResult<Stmt> {
    check_target(&target, Target::Annotated, source)?;
    Ok(Stmt::new(
        StmtKind::AnnAssign {
            target,
            annotation,
            value,
        },
        span,
    ))
}

pub fn delete(targets: Expr, span: Span, source: &str) -> ActionResult<Stmt> {
    // `del a, b` deletes two targets; `del (a, b)` one tuple, as in CPython.
    let bare_tuple = match &targets.kind {
        ExprKind::Tuple(items) => items
            .first()
            .is_some_and(|first| first.span.start == targets.span.start),
        _ => false,
    };
    let targets = match targets.kind {
        ExprKind::Tuple(items) if bare_tuple => items,
        _ => vec![targets],
    };
    for target in &targets {
        check_target(target, Target::Delete, source)?;
    }
    Ok(Stmt::new(StmtKind::Delete(targets), span))
}

// ------------------------------------------------------------ statements

/// A compound statement's span runs from its keyword to the end of its
/// last nested statement, as in CPython.
pub fn compound(start: usize, kind: StmtKind) -> Stmt {
    let end = last_end(&kind).unwrap_or(start as u32);
    Stmt::new(
        kind,
        Span {
            start: start as u32,
            end,
        },
    )
}

fn body_end(body: &[Stmt]) -> Option<u32> {
    body.last().map(|s| s.span.end)
}

fn last_end(kind: &StmtKind) -> Option<u32> {
    match kind {
        StmtKind::If { body, orelse, .. } | StmtKind::While { body, orelse, .. } => {
            body_end(orelse).or_else(|| body_end(body))
        }
        StmtKind::For { body, orelse, .. } => body_end(orelse).or_else(|| body_end(body)),
        StmtKind::Try {
            body,
            handlers,
            orelse,
            finalbody,
        } => body_end(finalbody)
            .or_else(|| body_end(orelse))
            .or_else(|| handlers.last().map(|h| h.span.end))
            .or_else(|| body_end(body)),
        StmtKind::With { body, .. } => body_end(body),
        StmtKind::FunctionDef(def) => body_end(&def.body),
        StmtKind::ClassDef(class) => body_end(&class.body),
        _ => None,
    }
}

pub fn if_statement(
    start: usize,
    test: Expr,
    body: Vec<Stmt>,
    elifs: Vec<(usize, Expr, Vec<Stmt>)>,
    orelse: Option<Vec<Stmt>>,
) -> Stmt {
    // `elif` is an `if` nested in the `else` of the one before; build the
    // chain from the last branch back.
    let mut orelse = orelse.unwrap_or_default();
    for (elif_start, test, body) in elifs.into_iter().rev() {
        orelse = vec![compound(elif_start, StmtKind::If { test, body, orelse })];
    }
    compound(start, StmtKind::If { test, body, orelse })
}

pub fn except_handler(
    start: usize,
    typ: Option<(Expr, Option<Ident>)>,
    body: Vec<Stmt>,
) -> ExceptHandler {
    let (typ, name) = match typ {
        Some((t, n)) => (Some(t), n),
        None => (None, None),
    };
    let end = body_end(&body).unwrap_or(start as u32);
    ExceptHandler {
        span: Span {
            start: start as u32,
            end,
        },
        typ,
        name,
        body,
    }
}

/// `async` in front of `def`, `for` or `with`.
pub fn make_async(mut stmt: Stmt, start: usize, source: &str) -> ActionResult<Stmt> {
    let _ = source;
    match &mut stmt.kind {
        StmtKind::FunctionDef(def) => Rc::make_mut(def).is_async = true,
        StmtKind::For { is_async, .. } | StmtKind::With { is_async, .. } => *is_async = true,
        _ => {}
    }
    stmt.span.start = start as u32;
    Ok(stmt)
}

pub fn decorate(decorators: Vec<Expr>, mut stmt: Stmt) -> Stmt {
    match &mut stmt.kind {
        StmtKind::FunctionDef(def) => Rc::make_mut(def).decorators = decorators,
        StmtKind::ClassDef(class) => Rc::make_mut(class).decorators = decorators,
        _ => {}
    }
    stmt
}

pub fn import_from(
    dots: Vec<Span>,
    module: Option<Ident>,
    names: Option<Vec<Alias>>,
    span: Span,
    source: &str,
) -> ActionResult<Stmt> {
    if let Some(dot) = dots.first() {
        return Err(unsupported_plural("relative imports", *dot, source));
    }
    let Some(names) = names else {
        return Err(unsupported("'from ... import *'", span, source));
    };
    let module = module.unwrap_or_else(|| Rc::from(""));
    Ok(Stmt::new(StmtKind::ImportFrom { module, names }, span))
}

// ------------------------------------------------------------ functions

/// One entry of a parameter list, before the order is checked.
pub enum ParamItem {
    Plain(Param),
    /// `*` (bare) or `*args`; the span is the whole item.
    Star(Option<Param>, Span),
    DoubleStar(Param),
    /// `/` (positional-only marker), refused.
    Slash(Span),
}

/// Put a parameter list in order, with CPython's checks.
pub fn parameters(items: Vec<ParamItem>, source: &str) -> ActionResult<Parameters> {
    let mut params = Parameters::default();
    let mut seen_star = false;
    let mut seen_default = false;
    let mut bare_star: Option<Span> = None;
    let mut names: Vec<Ident> = Vec::new();
    let mut check_duplicate = |p: &Param| -> ActionResult<()> {
        if names.contains(&p.name) {
            return Err(error(
                format!("duplicate argument '{}' in function definition", p.name),
                p.span,
            ));
        }
        names.push(p.name.clone());
        Ok(())
    };
    for item in items {
        if params.kwarg.is_some() {
            let span = match &item {
                ParamItem::Plain(p) | ParamItem::DoubleStar(p) => p.span,
                ParamItem::Star(_, s) | ParamItem::Slash(s) => *s,
            };
            return Err(error("arguments cannot follow var-keyword argument", span));
        }
        match item {
            ParamItem::Slash(span) => {
                return Err(unsupported_plural(
                    "positional-only parameters ('/')",
                    span,
                    source,
                ));
            }
            ParamItem::Plain(p) => {
                check_duplicate(&p)?;
                if seen_star {
                    bare_star = None;
                    params.kwonlyargs.push(p);
                } else {
                    if p.default.is_some() {
                        seen_default = true;
                    } else if seen_default {
                        return Err(error(
                            "non-default argument follows default argument",
                            p.span,
                        ));
                    }
                    params.args.push(p);
                }
            }
            ParamItem::Star(p, span) => {
                if seen_star {
                    return Err(error("* argument may appear only once", span));
                }
                seen_star = true;
                match p {
                    Some(p) => {
                        check_duplicate(&p)?;
                        params.vararg = Some(p);
                    }
                    None => bare_star = Some(span),
                }
            }
            ParamItem::DoubleStar(p) => {
                if let Some(span) = bare_star {
                    return Err(error("named arguments must follow bare *", span));
                }
                check_duplicate(&p)?;
                params.kwarg = Some(p);
            }
        }
    }
    if let Some(span) = bare_star {
        return Err(error("named arguments must follow bare *", span));
    }
    Ok(params)
}

pub fn function_def(
    start: usize,
    name: Ident,
    name_span: Span,
    params: Vec<ParamItem>,
    returns: Option<Expr>,
    body: Vec<Stmt>,
    source: &str,
) -> ActionResult<Stmt> {
    let params = parameters(params, source)?;
    let def = FunctionDef {
        name,
        params,
        body,
        decorators: vec![],
        returns,
        is_async: false,
        name_span,
    };
    Ok(compound(start, StmtKind::FunctionDef(Rc::new(def))))
}

pub fn lambda(params: Vec<ParamItem>, body: Expr, span: Span, source: &str) -> ActionResult<Expr> {
    let params = parameters(params, source)?;
    Ok(Expr::new(
        ExprKind::Lambda {
            params: Box::new(params),
            body: Box::new(body),
        },
        span,
    ))
}

pub fn class_def(
    start: usize,
    name: Ident,
    args: Option<Vec<Argument>>,
    body: Vec<Stmt>,
    source: &str,
) -> ActionResult<Stmt> {
    let (bases, keywords) = arguments(args.unwrap_or_default(), source)?;
    let class = ClassDef {
        name,
        bases,
        keywords,
        body,
        decorators: vec![],
    };
    Ok(compound(start, StmtKind::ClassDef(Rc::new(class))))
}

// ------------------------------------------------------------ calls

/// One argument of a call (or of a class's base list).
pub enum Argument {
    /// `x` or `*xs`.
    Positional(Expr),
    /// `name=x` or `**mapping`.
    Keyword(Keyword),
    /// `f(x for x in xs)`: only valid as the sole argument.
    Generator(Expr),
}

fn arguments(args: Vec<Argument>, source: &str) -> ActionResult<(Vec<Expr>, Vec<Keyword>)> {
    let _ = source;
    let count = args.len();
    let mut positional = Vec::new();
    let mut keywords: Vec<Keyword> = Vec::new();
    for arg in args {
        match arg {
            Argument::Generator(e) if count > 1 => {
                return Err(error("Generator expression must be parenthesized", e.span));
            }
            Argument::Generator(e) => positional.push(e),
            Argument::Positional(e) => {
                let is_starred = matches!(e.kind, ExprKind::Starred(_));
                if let Some(last) = keywords.last() {
                    if last.arg.is_none() && is_starred {
                        return Err(error(
                            "iterable argument unpacking follows keyword argument unpacking",
                            e.span,
                        ));
                    }
                    if !is_starred {
                        let any_unpacking = keywords.iter().any(|k| k.arg.is_none());
                        let message = if any_unpacking {
                            "positional argument follows keyword argument unpacking"
                        } else {
                            "positional argument follows keyword argument"
                        };
                        // CPython's caret sits just after the argument.
                        let end = e.span.end as usize;
                        return Err(error(message, Span::new(end, end + 1)));
                    }
                }
                positional.push(e);
            }
            Argument::Keyword(k) => keywords.push(k),
        }
    }
    Ok((positional, keywords))
}

/// `func(args)`; `parens` is the span from `(` to `)`.
pub fn call(
    func: Expr,
    mut args: Vec<Argument>,
    span: Span,
    parens: Span,
    source: &str,
) -> ActionResult<Expr> {
    // `f(x for x in xs)`: the call's parentheses are the generator's own, so
    // CPython's span of the generator includes them.
    if let [Argument::Generator(generator)] = args.as_mut_slice() {
        generator.span = parens;
    }
    let (args, keywords) = arguments(args, source)?;
    Ok(Expr::new(
        ExprKind::Call {
            func: Box::new(func),
            args,
            keywords,
        },
        span,
    ))
}
