//! The binary's memory allocator: mimalloc, called the way that is fast.
//!
//! Python programs allocate and free small objects all the time (every
//! string, list, coroutine, future and task); mimalloc does that several
//! times faster than the system allocator (see the `strings` and `spawn`
//! benchmarks). The `mimalloc` crate's own `GlobalAlloc` passes every
//! request to `mi_malloc_aligned`, and mimalloc 3's aligned path gives up
//! on its fast free list whenever that list is momentarily empty: it then
//! over-allocates from a bigger size class, so in an allocate/free steady
//! state half of all allocations (measured with callgrind on `pingpong`)
//! took the ~130-instruction generic path. Every Rust type apy allocates
//! needs at most 16-byte alignment, which plain `mi_malloc` guarantees, so
//! those requests go there; anything stricter keeps the aligned calls.

use libmimalloc_sys as mi;
use std::alloc::{GlobalAlloc, Layout};
use std::ffi::{c_int, c_long, c_void};

/// mimalloc aligns every block of 16 bytes or more to 16, and smaller
/// blocks to their size class (a multiple of 8).
const PLAIN_ALIGNMENT: usize = 16;

pub struct MiMalloc;

/// Whether plain `mi_malloc` already gives `layout`'s alignment.
#[inline]
fn plain(layout: &Layout) -> bool {
    layout.align() <= PLAIN_ALIGNMENT && layout.align() <= layout.size()
}

// SAFETY: every method forwards to the mimalloc function with the same
// contract (blocks from `mi_malloc`/`mi_malloc_aligned` are freed with
// `mi_free` and resized with the matching realloc); `plain` only picks
// `mi_malloc` when its guaranteed alignment satisfies the layout.
unsafe impl GlobalAlloc for MiMalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if plain(&layout) {
            mi::mi_malloc(layout.size()) as *mut u8
        } else {
            mi::mi_malloc_aligned(layout.size(), layout.align()) as *mut u8
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if plain(&layout) {
            mi::mi_zalloc(layout.size()) as *mut u8
        } else {
            mi::mi_zalloc_aligned(layout.size(), layout.align()) as *mut u8
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        mi::mi_free(ptr as *mut c_void)
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if layout.align() <= PLAIN_ALIGNMENT && layout.align() <= new_size {
            mi::mi_realloc(ptr as *mut c_void, new_size) as *mut u8
        } else {
            mi::mi_realloc_aligned(ptr as *mut c_void, new_size, layout.align()) as *mut u8
        }
    }
}

/// How long (ms) mimalloc keeps freed memory committed before giving it
/// back to the OS.
///
/// mimalloc 3 waits a whole second by default, so a program that runs
/// for less than that never gives anything back: every buffer it has
/// outgrown (a timer heap or a list doubled, a drained ready queue) still
/// counts in its peak resident memory. In `sleepers` that was 4 MB of
/// 68. CPython's allocator frees an empty arena at once; 10 ms keeps
/// quick free-then-reuse cycles cheap and still returns memory within a
/// loop pass or two.
const PURGE_DELAY_MS: c_long = 10;

/// `mi_option_purge_delay` in mimalloc 3's `mi_option_e` (`mimalloc.h`);
/// the `libmimalloc-sys` constants follow mimalloc 2's numbering.
const MI_OPTION_PURGE_DELAY: c_int = 15;

extern "C" {
    fn mi_option_set(option: c_int, value: c_long);
    #[cfg(test)]
    fn mi_option_get(option: c_int) -> c_long;
}

/// Apply apy's allocator settings (once, first thing in `main`). A
/// `MIMALLOC_PURGE_DELAY` in the environment still wins.
pub fn configure() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: setting an option is thread-safe and takes effect for
        // later purges; the option index is checked by the test below.
        unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS) };
    }
}

#[cfg(test)]
mod tests {
    /// The option index names the purge delay: its default (1000 ms in
    /// mimalloc 3, or whatever the environment set) reads back, and a
    /// value set reads back.
    #[test]
    fn purge_delay_option_is_the_one_we_mean() {
        use super::*;
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        // SAFETY: reading and setting options is thread-safe.
        unsafe {
            let before = mi_option_get(MI_OPTION_PURGE_DELAY);
            assert!(before == 1000 || before == PURGE_DELAY_MS, "{before}");
            configure();
            assert_eq!(mi_option_get(MI_OPTION_PURGE_DELAY), PURGE_DELAY_MS);
        }
    }
}
