//! Building AST nodes: the Rust side of the grammar's actions.
//!
//! The grammar (`grammar/apy.lalrpop`) says *which* tokens form a node; the
//! functions here say *how* the node is made and checked. The checks are the
//! ones CPython makes after parsing: parameters must come in order
//! ("non-default argument follows default argument"), arguments too
//! ("positional argument follows keyword argument"), and constructs outside
//! apy's subset are refused by name. Assignment targets have their own file,
//! `targets.rs`.

use lalrpop_util::ParseError;
use std::rc::Rc;

use super::ast::*;
use super::strings;
pub use super::targets::{
    ann_assign, assign, aug_assign, check_target, delete, expression_statement, Target,
};
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
) -> ActionResult<Expr> {
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
pub fn field_expression(e: Expr) -> ActionResult<Expr> {
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
pub fn make_async(mut stmt: Stmt, start: usize) -> Stmt {
    match &mut stmt.kind {
        StmtKind::FunctionDef(def) => Rc::make_mut(def).is_async = true,
        StmtKind::For { is_async, .. } | StmtKind::With { is_async, .. } => *is_async = true,
        _ => {}
    }
    stmt.span.start = start as u32;
    stmt
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
) -> ActionResult<Stmt> {
    let (bases, keywords) = arguments(args.unwrap_or_default())?;
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

fn arguments(args: Vec<Argument>) -> ActionResult<(Vec<Expr>, Vec<Keyword>)> {
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
            Argument::Keyword(k) => {
                if let Some(name) = &k.arg {
                    if keywords
                        .iter()
                        .any(|other| other.arg.as_ref() == Some(name))
                    {
                        return Err(error(format!("keyword argument repeated: {name}"), k.span));
                    }
                }
                keywords.push(k)
            }
        }
    }
    Ok((positional, keywords))
}

/// `func(args)`; `parens` is the span from `(` to `)`.
pub fn call(func: Expr, mut args: Vec<Argument>, span: Span, parens: Span) -> ActionResult<Expr> {
    // `f(x for x in xs)`: the call's parentheses are the generator's own, so
    // CPython's span of the generator includes them.
    if let [Argument::Generator(generator)] = args.as_mut_slice() {
        generator.span = parens;
    }
    let (args, keywords) = arguments(args)?;
    Ok(Expr::new(
        ExprKind::Call {
            func: Box::new(func),
            args,
            keywords,
        },
        span,
    ))
}
