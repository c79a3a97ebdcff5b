//! Teaching is observation: the VM and the event loop report what they do
//! as [`event::Event`]s to an [`observer::Observer`], and the views turn
//! those events into a trace (`apy trace`), a timeline (`apy timeline`) or
//! the interactive stepper (`apy step`). Nothing in the VM knows these
//! formats.

pub mod event;
pub(crate) mod hooks;
pub mod observer;

pub use event::{Event, EventKind};
pub use observer::{Observer, DEFAULT_MAX_STEPS};
pub mod cli;
pub mod explain;
pub mod record;
pub mod step;
pub mod timeline;
pub mod trace;
