//! asyncio behaviour that only shows in a real process: Ctrl-C (SIGINT)
//! interrupting running or sleeping code, and the deadlock report. These run
//! the `apy` binary itself.

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
    assert!(stderr.contains("in spin"), "the traceback shows the task's frame: {stderr}");
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
