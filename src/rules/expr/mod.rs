//! The condition language of the rule files: a small CEL subset, parsed and type-checked once
//! when the rules load, evaluated per customer without re-parsing or allocating.

mod compile;
mod eval;
mod parse;

pub use compile::{Arith, Cmp, Compiled, Const, Env, NoSql, Node, Scope, Ty, Val, compile};
pub use eval::field_value;
pub use parse::{BinOp, Expr, ExprError, ExprKind, UnOp, parse};

#[cfg(test)]
mod tests;
