//! `apy timeline FILE`: one swim lane per task over virtual time, showing
//! when each task ran (`#`), was ready but waiting for its turn (`+`), and
//! waited (`-`, labelled with what it waited for), scaled to fit the
//! terminal width however long the run. Below the chart, every wait is
//! listed with its times, so nothing the chart had no room for is lost.

use super::event::{Event, EventKind, Wait};
use super::explain::wait_phrase;

/// How many waits the list under the chart shows at most.
const MAX_LISTED_WAITS: usize = 30;

#[derive(Clone, PartialEq)]
enum State {
    Ready,
    Running,
    Waiting(Wait),
}

struct Span {
    from: f64,
    to: f64,
    state: State,
}

struct Lane {
    id: u64,
    name: String,
    spans: Vec<Span>,
    open: Option<(f64, State)>,
}

impl Lane {
    fn enter(&mut self, time: f64, state: State) {
        if let Some((from, old)) = self.open.take() {
            self.spans.push(Span {
                from,
                to: time,
                state: old,
            });
        }
        self.open = Some((time, state));
    }

    fn close(&mut self, time: f64) {
        if let Some((from, old)) = self.open.take() {
            self.spans.push(Span {
                from,
                to: time,
                state: old,
            });
        }
    }
}

fn lanes_of(events: &[Event]) -> (Vec<Lane>, f64) {
    let mut lanes: Vec<Lane> = Vec::new();
    let end = events.last().map_or(0.0, |e| e.time);
    for event in events {
        let t = event.time;
        let Some(target) = event.subject() else {
            continue;
        };
        let index = match lanes.iter().position(|l| l.id == target.id) {
            Some(i) => i,
            None => {
                lanes.push(Lane {
                    id: target.id,
                    name: target.name.clone(),
                    spans: Vec::new(),
                    open: None,
                });
                lanes.len() - 1
            }
        };
        let lane = &mut lanes[index];
        lane.name = target.name.clone();
        match &event.kind {
            EventKind::TaskCreated { .. } | EventKind::Yielded { .. } | EventKind::Woken { .. } => {
                lane.enter(t, State::Ready)
            }
            EventKind::StepStarted { .. } => lane.enter(t, State::Running),
            EventKind::Suspended { on, .. } => lane.enter(t, State::Waiting(on.clone())),
            EventKind::TaskDone { .. } => lane.close(t),
            _ => {}
        }
    }
    for lane in &mut lanes {
        lane.close(end);
    }
    (lanes, end)
}

/// A short label for a wait, to write inside its span.
fn short_label(wait: &Wait) -> String {
    match wait {
        Wait::Sleep { .. } => "sleep".to_string(),
        Wait::Task { task } => format!("await {}", task.name),
        Wait::Gather { .. } => "gather".to_string(),
        Wait::WaitFor { .. } => "wait_for".to_string(),
        Wait::Future => "future".to_string(),
        Wait::Primitive { what, .. } => what.clone(),
    }
}

/// A tick spacing of 1, 2 or 5 times a power of ten giving at most `max`
/// ticks over `total`.
fn tick_step(total: f64, max: usize) -> f64 {
    let rough = total / max as f64;
    let power = 10f64.powf(rough.log10().floor());
    for factor in [1.0, 2.0, 5.0, 10.0] {
        if factor * power >= rough {
            return factor * power;
        }
    }
    10.0 * power
}

/// When no virtual time passes (`sleep(0)` turns), every step happens at
/// 0.000 and a chart over time would be one column: spread the events over
/// their order instead, one unit per task event.
fn in_step_order(events: &[Event]) -> Option<Vec<Event>> {
    let timeless = events.iter().all(|e| e.time == 0.0);
    let about_tasks = events.iter().filter(|e| e.subject().is_some()).count();
    if !timeless || about_tasks < 2 {
        return None;
    }
    let mut order = 0.0;
    Some(
        events
            .iter()
            .map(|e| {
                if e.subject().is_some() {
                    order += 1.0;
                }
                Event {
                    time: order - 1.0,
                    ..e.clone()
                }
            })
            .collect(),
    )
}

/// The chart, `width` columns wide (80 for a standard terminal).
pub fn render_timeline(events: &[Event], width: usize) -> String {
    if let Some(ordered) = in_step_order(events) {
        let chart = render_chart(&ordered, width, "event");
        return format!(
            "No virtual time passes in this run (everything happens at 0.000), so the\n\
             chart is spread over the order of the task events instead.\n\n{chart}"
        );
    }
    render_chart(events, width, "s of virtual time")
}

fn render_chart(events: &[Event], width: usize, unit: &str) -> String {
    let (lanes, end) = lanes_of(events);
    let mut out = String::new();
    if lanes.is_empty() {
        out.push_str("No tasks ran (the program never called asyncio.run).\n");
        return out;
    }
    let name_width = lanes
        .iter()
        .map(|l| l.name.chars().count())
        .max()
        .unwrap_or(4)
        .clamp(6, 14);
    let columns = width.saturating_sub(name_width + 3).max(10);
    let scale = if end > 0.0 {
        (columns - 1) as f64 / end
    } else {
        0.0
    };
    let column = |t: f64| ((t * scale).round() as usize).min(columns - 1);

    // The time axis.
    let mut axis = vec![' '; columns];
    let mut marks = vec![' '; columns];
    let step = if end > 0.0 { tick_step(end, 5) } else { 1.0 };
    // Event numbers are whole.
    let step = if unit == "event" { step.max(1.0) } else { step };
    let mut tick = 0.0;
    while tick <= end + 1e-9 {
        let c = column(tick);
        marks[c] = '|';
        let label = format_time(tick, step);
        if c + label.len() <= columns && axis[c..c + label.len()].iter().all(|&ch| ch == ' ') {
            for (i, ch) in label.chars().enumerate() {
                axis[c + i] = ch;
            }
        }
        tick += step;
        if end == 0.0 {
            break;
        }
    }
    let pad = " ".repeat(name_width + 2);
    out.push_str(&format!(
        "{pad}{}\n",
        axis.iter().collect::<String>().trim_end()
    ));
    out.push_str(&format!(
        "{pad}{}\n",
        marks.iter().collect::<String>().trim_end()
    ));

    for lane in &lanes {
        let mut cells = vec![' '; columns];
        let paint = |cells: &mut Vec<char>, span: &Span, ch: char| {
            for cell in &mut cells[column(span.from)..=column(span.to)] {
                *cell = ch;
            }
        };
        for span in &lane.spans {
            if let State::Waiting(wait) = &span.state {
                paint(&mut cells, span, '-');
                let (first, last) = (column(span.from) + 1, column(span.to));
                let label = short_label(wait);
                let room = last.saturating_sub(first);
                if room >= label.len() + 2 {
                    let at = first + (room - label.len()) / 2;
                    for (i, ch) in label.chars().enumerate() {
                        cells[at + i] = ch;
                    }
                }
            }
        }
        for span in lane.spans.iter().filter(|s| s.state == State::Ready) {
            paint(&mut cells, span, '+');
        }
        for span in lane.spans.iter().filter(|s| s.state == State::Running) {
            paint(&mut cells, span, '#');
        }
        let name: String = lane.name.chars().take(name_width).collect();
        out.push_str(&format!(
            "{name:<name_width$}  {}\n",
            cells.iter().collect::<String>().trim_end()
        ));
    }
    out.push_str("\n# running   + ready (waiting for its turn)   - waiting\n");
    if unit == "event" {
        out.push_str(&format!("The chart spans {end:.0} task events.\n"));
    } else {
        out.push_str(&format!("The run took {end:.3} {unit}.\n"));
    }
    let waits: Vec<(&Lane, &Span, &Wait)> = lanes
        .iter()
        .flat_map(|lane| {
            lane.spans.iter().filter_map(move |span| match &span.state {
                State::Waiting(wait) => Some((lane, span, wait)),
                _ => None,
            })
        })
        .collect();
    if !waits.is_empty() {
        out.push_str("\nWaits:\n");
    }
    for (i, &(lane, span, wait)) in waits.iter().enumerate() {
        if i == MAX_LISTED_WAITS {
            out.push_str(&format!("  ... and {} more\n", waits.len() - i));
            break;
        }
        let line = format!(
            "  {:<name_width$}  {:>8} -> {:<8}  {}",
            lane.name,
            format_at(span.from, unit),
            format_at(span.to, unit),
            wait_phrase(wait)
        );
        out.push_str(&fit_width(&line, width.max(20)));
        out.push('\n');
    }
    out
}

/// `line` cut to `width` characters, ending in `...` when it was longer
/// (a lock's or queue's wait says a lot).
fn fit_width(line: &str, width: usize) -> String {
    if line.chars().count() <= width {
        return line.to_string();
    }
    let kept: String = line.chars().take(width - 3).collect();
    format!("{kept}...")
}

/// A moment in the list of waits: seconds, or an event's number.
fn format_at(t: f64, unit: &str) -> String {
    if unit == "event" {
        format!("#{t:.0}")
    } else {
        format!("{t:.3}")
    }
}

fn format_time(t: f64, step: f64) -> String {
    let decimals = if step >= 1.0 {
        0
    } else {
        (-step.log10().floor()) as usize
    };
    format!("{t:.decimals$}")
}
