//! Assignment targets: what may stand left of `=`, after `for`, `as` and
//! `del`, and the statements that assign.
//!
//! The grammar parses a target as an ordinary expression (an LR parser
//! cannot know that `a.b[0]` is a target until it meets the `=`); these
//! functions then check it, with CPython's words when it is not assignable:
//! "cannot assign to function call here. Maybe you meant '==' instead of
//! '='?", "cannot delete literal", "'tuple' is an illegal expression for
//! augmented assignment", "starred assignment target must be in a list or
//! tuple".

use lalrpop_util::ParseError;

use super::ast::*;
use super::build::{error, ActionError, ActionResult};
use crate::span::Span;

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
pub fn check_target(e: &Expr, target: Target) -> ActionResult<()> {
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
                    check_target(inner, target)?;
                } else {
                    check_target(item, target)?;
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

pub fn expression_statement(e: Expr, span: Span) -> ActionResult<Stmt> {
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
        if let Err(e) = check_target(target, Target::Assign) {
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

pub fn aug_assign(target: Expr, op: BinOp, value: Expr, span: Span) -> ActionResult<Stmt> {
    check_target(&target, Target::AugAssign)?;
    Ok(Stmt::new(StmtKind::AugAssign { target, op, value }, span))
}

pub fn ann_assign(
    target: Expr,
    annotation: Expr,
    value: Option<Expr>,
    span: Span,
) -> ActionResult<Stmt> {
    check_target(&target, Target::Annotated)?;
    Ok(Stmt::new(
        StmtKind::AnnAssign {
            target,
            annotation,
            value,
        },
        span,
    ))
}

pub fn delete(targets: Expr, span: Span) -> ActionResult<Stmt> {
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
        check_target(target, Target::Delete)?;
    }
    Ok(Stmt::new(StmtKind::Delete(targets), span))
}
