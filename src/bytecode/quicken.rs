//! Quickening: the copy of a code object's instructions that the VM runs,
//! with common sequences fused into superinstructions.
//!
//! `apy dis` shows the instructions the compiler emitted; the VM runs this
//! quickened copy, in which the first instruction of a sequence such as
//! `LOAD_FAST n; LOAD_CONST 1; BINARY_OP -` is replaced by one fused
//! instruction that does all three. The copy has the same length and keeps
//! the fused-over instructions in place, so instruction indices, the line
//! table and the exception table mean the same in both; and when a fused
//! instruction's fast case does not apply (the local is not an int, say),
//! the VM runs the original first instruction instead. A fusion is made only
//! within one source line and never over a jump target, so no jump lands
//! inside a fused sequence and line-by-line stepping sees every line.
//! (CPython 3.11 fuses the same kind of pairs, `LOAD_FAST__LOAD_CONST` and
//! friends, and its `dis` hides them the same way.)

use super::code::ExceptionHandler;
use super::op::BinaryOpKind::{Add, InplaceAdd, InplaceSubtract, Subtract};
use super::op::Op;
use std::collections::HashSet;

pub fn quicken(ops: &[Op], lines: &[u32], handlers: &[ExceptionHandler]) -> Vec<Op> {
    // The VM fetches instructions without a bounds check, which is sound
    // because of this: control can never run off the end of the code.
    assert!(
        stays_in_bounds(ops, handlers),
        "compiler bug: code that can run past its last instruction"
    );
    let targets: HashSet<usize> = ops
        .iter()
        .filter_map(|op| op.jump_target())
        .chain(handlers.iter().map(|h| h.handler))
        .map(|t| t as usize)
        .collect();
    // Whether instructions `i..i + n` can be fused.
    let fusable = |i: usize, n: usize| {
        i + n <= ops.len()
            && (1..n).all(|k| !targets.contains(&(i + k)) && lines[i + k] == lines[i])
    };
    let small = |x: u32| u16::try_from(x).ok();
    let byte = |x: u32| u8::try_from(x).ok();
    let mut quick = ops.to_vec();
    let mut i = 0;
    while i < ops.len() {
        if fusable(i, 4) {
            if let (
                Op::LoadFast(local),
                Op::LoadConst(konst),
                Op::CompareOp(kind),
                jump @ (Op::PopJumpIfFalse(target) | Op::PopJumpIfTrue(target)),
            ) = (ops[i], ops[i + 1], ops[i + 2], ops[i + 3])
            {
                if let (Some(local), Some(konst)) = (byte(local), byte(konst)) {
                    // The pair at `i + 2` is for when the fast case does not
                    // apply and the first two instructions run on their own.
                    (quick[i], quick[i + 2]) = if matches!(jump, Op::PopJumpIfTrue(_)) {
                        (
                            Op::LocalConstCompareJumpIfTrue {
                                local,
                                konst,
                                kind,
                                target,
                            },
                            Op::CompareJumpIfTrue { kind, target },
                        )
                    } else {
                        (
                            Op::LocalConstCompareJumpIfFalse {
                                local,
                                konst,
                                kind,
                                target,
                            },
                            Op::CompareJumpIfFalse { kind, target },
                        )
                    };
                    i += 4;
                    continue;
                }
            }
        }
        if fusable(i, 3) {
            if let (Op::LoadFast(local), Op::LoadConst(konst), Op::BinaryOp(kind)) =
                (ops[i], ops[i + 1], ops[i + 2])
            {
                if let (Some(local), Some(konst)) = (small(local), small(konst)) {
                    quick[i] = match kind {
                        Add | InplaceAdd => Op::LocalConstAdd { local, konst },
                        Subtract | InplaceSubtract => Op::LocalConstSubtract { local, konst },
                        _ => Op::LocalConstBinaryOp { local, konst, kind },
                    };
                    i += 3;
                    continue;
                }
            }
        }
        if fusable(i, 3) {
            let fused = match (ops[i], ops[i + 1], ops[i + 2]) {
                (Op::Call(1), Op::GetAwaitable, Op::Await) => Some(Op::CallAwait),
                (Op::CallMethod { name, argc: 1 }, Op::GetAwaitable, Op::Await) => {
                    Some(Op::CallMethodAwait { name })
                }
                _ => None,
            };
            if let Some(op) = fused {
                quick[i] = op;
                i += 3;
                continue;
            }
        }
        if fusable(i, 2) {
            let fused = match (ops[i], ops[i + 1]) {
                (Op::CompareOp(kind), Op::PopJumpIfFalse(target)) => {
                    Some(Op::CompareJumpIfFalse { kind, target })
                }
                (Op::CompareOp(kind), Op::PopJumpIfTrue(target)) => {
                    Some(Op::CompareJumpIfTrue { kind, target })
                }
                (Op::LoadFast(local), Op::ReturnValue) => Some(Op::ReturnFast(local)),
                (Op::LoadConst(konst), Op::ReturnValue) => Some(Op::ReturnConst(konst)),
                (Op::LoadFast(a), Op::LoadConst(b)) => match (small(a), small(b)) {
                    (Some(local), Some(konst)) => Some(Op::LoadFastLoadConst { local, konst }),
                    _ => None,
                },
                (Op::LoadFast(a), Op::LoadFast(b)) => match (small(a), small(b)) {
                    (Some(first), Some(second)) => Some(Op::LoadFastLoadFast { first, second }),
                    _ => None,
                },
                (Op::StoreFast(a), Op::LoadFast(b)) => match (small(a), small(b)) {
                    (Some(store), Some(load)) => Some(Op::StoreFastLoadFast { store, load }),
                    _ => None,
                },
                _ => None,
            };
            if let Some(op) = fused {
                quick[i] = op;
                i += 2;
                continue;
            }
        }
        // One instruction specialized by its operand.
        if let Op::BinaryOp(Add | InplaceAdd) = ops[i] {
            quick[i] = Op::BinaryAdd;
        }
        i += 1;
    }
    quick
}

/// The last instruction never falls through, and every jump and handler
/// lands inside the code.
fn stays_in_bounds(ops: &[Op], handlers: &[ExceptionHandler]) -> bool {
    let inside = |target: u32| (target as usize) < ops.len();
    matches!(
        ops.last(),
        Some(Op::ReturnValue | Op::ReturnConst(_) | Op::Jump(_) | Op::Raise(_) | Op::Reraise)
    ) && ops.iter().filter_map(Op::jump_target).all(inside)
        && handlers.iter().all(|h| inside(h.handler))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bytecode::op::{BinaryOpKind, CompareKind};

    #[test]
    fn fuses_compare_jumps_and_specializes_add() {
        let ops = [
            Op::LoadFast(0),
            Op::LoadConst(1),
            Op::CompareOp(CompareKind::Less),
            Op::PopJumpIfFalse(6),
            Op::LoadFast(0),
            Op::ReturnValue,
            Op::LoadFast(0),
            Op::LoadConst(2),
            Op::BinaryOp(BinaryOpKind::Multiply),
            Op::LoadFast(0),
            Op::LoadConst(2),
            Op::BinaryOp(BinaryOpKind::InplaceAdd),
            Op::BinaryOp(BinaryOpKind::Add),
            Op::ReturnValue,
        ];
        let quick = quicken(&ops, &[1, 1, 1, 1, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3], &[]);
        assert_eq!(
            quick[0],
            Op::LocalConstCompareJumpIfFalse {
                local: 0,
                konst: 1,
                kind: CompareKind::Less,
                target: 6
            }
        );
        // What runs when the local is not an int: the original first two,
        // then the fused compare-and-jump pair.
        assert_eq!(quick[1], Op::LoadConst(1));
        assert_eq!(
            quick[2],
            Op::CompareJumpIfFalse {
                kind: CompareKind::Less,
                target: 6
            }
        );
        assert_eq!(
            quick[6],
            Op::LocalConstBinaryOp {
                local: 0,
                konst: 2,
                kind: BinaryOpKind::Multiply
            }
        );
        // `+` and `+=` carry their operator: fused with a local and a
        // constant, or on their own.
        assert_eq!(quick[9], Op::LocalConstAdd { local: 0, konst: 2 });
        assert_eq!(quick[12], Op::BinaryAdd);
    }

    #[test]
    fn fuses_within_a_line_and_not_over_targets() {
        let ops = [
            Op::LoadFast(0),
            Op::LoadConst(1),
            Op::BinaryOp(BinaryOpKind::Subtract),
            Op::CompareOp(CompareKind::Less),
            Op::PopJumpIfFalse(0),
            Op::LoadFast(0),
            Op::ReturnValue,
        ];
        let quick = quicken(&ops, &[1, 1, 1, 1, 1, 2, 2], &[]);
        assert_eq!(quick[0], Op::LocalConstSubtract { local: 0, konst: 1 });
        assert_eq!(quick[1], Op::LoadConst(1));
        assert!(matches!(quick[3], Op::CompareJumpIfFalse { .. }));
        assert_eq!(quick[5], Op::ReturnFast(0));
        // A jump target inside a sequence prevents the fusion.
        let ops = [Op::LoadFast(0), Op::ReturnValue, Op::Jump(1)];
        assert_eq!(quicken(&ops, &[1, 1, 1], &[])[0], Op::LoadFast(0));
        // So does a line change.
        let ops = [Op::LoadFast(0), Op::ReturnValue];
        assert_eq!(quicken(&ops, &[1, 2], &[])[0], Op::LoadFast(0));
    }

    #[test]
    fn fuses_one_argument_calls_that_are_awaited_at_once() {
        let ops = [
            Op::CallMethod { name: 3, argc: 1 },
            Op::GetAwaitable,
            Op::Await,
            Op::Call(1),
            Op::GetAwaitable,
            Op::Await,
            Op::Call(2),
            Op::GetAwaitable,
            Op::Await,
            Op::ReturnValue,
        ];
        let quick = quicken(&ops, &[1; 10], &[]);
        assert_eq!(quick[0], Op::CallMethodAwait { name: 3 });
        assert_eq!(&quick[1..3], &ops[1..3]);
        assert_eq!(quick[3], Op::CallAwait);
        // Only one-argument calls: `sleep(0)` is the fast case.
        assert_eq!(quick[6], Op::Call(2));
        // The `AWAIT` is where a paused task resumes: a handler or jump
        // landing there keeps the call unfused.
        let handlers = [ExceptionHandler {
            start: 0,
            end: 3,
            handler: 2,
            depth: 0,
        }];
        let ops = [ops[0], ops[1], ops[2], Op::ReturnValue];
        assert_eq!(quicken(&ops, &[1; 4], &handlers)[0], ops[0]);
    }

    #[test]
    #[should_panic(expected = "compiler bug")]
    fn code_that_could_run_off_its_end_is_refused() {
        quicken(&[Op::LoadFast(0)], &[1], &[]);
    }
}
