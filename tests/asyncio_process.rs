//! asyncio behaviour that only shows in a real process: Ctrl-C (SIGINT)
//! interrupting running or sleeping code, the deadlock report, and reports
//! that print an object's address. These run the `apy` binary itself.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

fn program(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/programs")
        .join(name)
        .display()
        .to_string()
}

fn last_line(text: &[u8]) -> String {
    String::from_utf8_lossy(text)
        .trim_end()
        .lines()
        .last()
        .unwrap_or("")
        .to_string()
}

/// Start `apy FILE`, send it SIGINT after `delay`, and wait for it.
fn interrupt_after(file: &str, delay: Duration) -> Output {
    let child = Command::new(env!("CARGO_BIN_EXE_apy"))
        .arg(program(file))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("apy starts");
    std::thread::sleep(delay);
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    child.wait_with_output().expect("apy exits")
}

#[test]
fn ctrl_c_interrupts_a_busy_loop_inside_a_task() {
    let out = interrupt_after("busy_loop.apy", Duration::from_millis(700));
    assert_eq!(out.status.code(), Some(130), "{out:?}");
    assert_eq!(last_line(&out.stderr), "KeyboardInterrupt");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("in spin"),
        "the traceback shows the task's frame: {stderr}"
    );
}

#[test]
fn ctrl_c_during_a_sleep_cancels_the_main_task_first() {
    // As CPython's asyncio.run: the main task is cancelled (its finally
    // runs), then KeyboardInterrupt ends the program.
    let out = interrupt_after("long_sleep.apy", Duration::from_millis(700));
    assert_eq!(out.status.code(), Some(130), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "cleanup ran\n");
    assert_eq!(last_line(&out.stderr), "KeyboardInterrupt");
}

#[test]
fn a_deadlock_is_reported_instead_of_hanging() {
    for clock in ["real", "virtual"] {
        let out = Command::new(env!("CARGO_BIN_EXE_apy"))
            .args(["--clock", clock, &program("deadlock.apy")])
            .output()
            .expect("apy runs");
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(String::from_utf8_lossy(&out.stdout), "waiting\n");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.starts_with("apy: deadlock:"), "{stderr}");
        assert!(stderr.contains("Task-1 in main()"), "{stderr}");
        assert!(stderr.contains("waits for task Task-2"), "{stderr}");
        assert!(
            stderr.contains("Task-2 in waiter()") && stderr.contains("deadlock.apy:5"),
            "{stderr}"
        );
    }
}

/// `text` with every `0x...` address replaced by `0xADDR`.
fn without_addresses(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("0x") {
        out.push_str(&rest[..at]);
        out.push_str("0xADDR");
        rest = rest[at + 2..].trim_start_matches(|c: char| c.is_ascii_hexdigit());
    }
    out.push_str(rest);
    out
}

#[test]
fn shutdown_reports_an_async_generator_that_fails_to_close() {
    // CPython 3.11's stderr for the conformance case, addresses aside.
    let out = Command::new(env!("CARGO_BIN_EXE_apy"))
        .arg("async_generator_close_fails_at_shutdown.apy")
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/tier2"))
        .output()
        .expect("apy runs");
    assert_eq!(out.status.code(), Some(0));
    let expected = "\
an error occurred during closing of asynchronous generator <async_generator object ticker at 0xADDR>
asyncgen: <async_generator object ticker at 0xADDR>
Traceback (most recent call last):
  File \"async_generator_close_fails_at_shutdown.apy\", line 7, in ticker
    yield 1
GeneratorExit

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File \"async_generator_close_fails_at_shutdown.apy\", line 11, in ticker
    raise ValueError(\"boom\")
ValueError: boom
";
    assert_eq!(
        without_addresses(&String::from_utf8_lossy(&out.stderr)),
        expected
    );
}

#[test]
fn a_cleanup_that_raises_when_freed_is_reported_without_its_context() {
    // CPython 3.11's stderr (addresses aside): `sys.unraisablehook` prints
    // the exception alone, not the GeneratorExit it was raised during.
    let program = "import asyncio\n\ndef g():\n    try:\n        yield 1\n    finally:\n        raise ValueError('g')\n\nasync def f():\n    try:\n        await asyncio.sleep(0)\n    finally:\n        raise ValueError('f')\n\nx = g()\nnext(x)\ndel x\nc = f()\nc.send(None)\ndel c\nprint('end')\n";
    let out = Command::new(env!("CARGO_BIN_EXE_apy"))
        .args(["-c", program])
        .output()
        .expect("apy runs");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "end\n");
    let expected = "\
Exception ignored in: <generator object g at 0xADDR>
Traceback (most recent call last):
  File \"<string>\", line 7, in g
ValueError: g
Exception ignored in: <coroutine object f at 0xADDR>
Traceback (most recent call last):
  File \"<string>\", line 13, in f
ValueError: f
";
    assert_eq!(
        without_addresses(&String::from_utf8_lossy(&out.stderr)),
        expected
    );
}
