//! Bytecode: the instruction set ([`op`]), the code object that holds a
//! compiled function body ([`code`]), and the disassembler behind `apy dis`
//! ([`disasm`]).

pub mod code;
pub mod disasm;
pub mod op;
pub mod quicken;
