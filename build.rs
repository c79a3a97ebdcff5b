//! Build script: turns `grammar/apy.lalrpop` into the parser's Rust code
//! (in `OUT_DIR`, included by `src/parser/mod.rs`).

fn main() {
    lalrpop::Configuration::new()
        .set_in_dir("grammar")
        .emit_rerun_directives(true)
        .process()
        .expect("the grammar in grammar/apy.lalrpop should compile");
}
