//! Snapshot tests of the compiler: every `tests/cases/compile/*.apy` file is
//! compiled as a module and its disassembly (`apy dis`'s listing: every code
//! object, line numbers, jump targets, exception tables, suspension points)
//! is the snapshot. A change in code generation shows up here as a readable
//! diff of the bytecode, which is what a student sees in `apy dis`.

use apy::bytecode::code::GlobalNames;
use apy::bytecode::disasm::disassemble;
use apy::compiler::Mode;
use apy::source::SourceFile;

#[test]
fn compile_cases() {
    insta::glob!("cases/compile/*.apy", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let source = SourceFile::new(&name, &text);
        let code = match apy::compile(&source, &GlobalNames::new(), Mode::Module) {
            Ok(code) => code,
            Err(failure) => panic!("{name} should compile:\n{}", failure.render(&source)),
        };
        insta::assert_snapshot!(disassemble(&code));
    });
}
