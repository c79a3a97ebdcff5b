//! Methods of `int` and `float`.

use super::arity;
use crate::symbol::{sym, Symbol};
use crate::vm::object::exception::PyResult;
use crate::vm::object::float::float_is_integer;
use crate::vm::object::int::{bit_length_bigint, bit_length_i64};
use crate::vm::value::Value;
use crate::vm::Vm;

pub const INT_METHODS: &[Symbol] = &[sym::bit_length, sym::conjugate];
pub const FLOAT_METHODS: &[Symbol] = &[sym::is_integer, sym::conjugate];

impl Vm {
    pub(super) fn int_method(
        &mut self,
        receiver: &Value,
        name: Symbol,
        args: &[Value],
        kwargs: &[(Symbol, Value)],
    ) -> Option<PyResult<Value>> {
        Some(match name {
            sym::bit_length => arity("int", "bit_length", args, kwargs, 0, 0).map(|_| {
                Value::Int(match receiver {
                    Value::Int(i) => bit_length_i64(*i) as i64,
                    Value::Bool(b) => *b as i64,
                    Value::BigInt(b) => bit_length_bigint(b) as i64,
                    _ => 0,
                })
            }),
            sym::conjugate => arity("int", "conjugate", args, kwargs, 0, 0)
                .and_then(|_| self.unary_positive(receiver.clone())),
            _ => return None,
        })
    }

    pub(super) fn float_method(
        &mut self,
        value: f64,
        name: Symbol,
        args: &[Value],
        kwargs: &[(Symbol, Value)],
    ) -> Option<PyResult<Value>> {
        Some(match name {
            sym::is_integer => arity("float", "is_integer", args, kwargs, 0, 0)
                .map(|_| Value::Bool(float_is_integer(value))),
            sym::conjugate => {
                arity("float", "conjugate", args, kwargs, 0, 0).map(|_| Value::Float(value))
            }
            _ => return None,
        })
    }
}
