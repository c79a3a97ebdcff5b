//! The full-screen stepper (ratatui on crossterm): the source with a marker
//! at each task's line, the task table, the ready queue, the timers, the
//! frames with their locals, the output so far and the explanation of the
//! current event, with a key footer and `?` for help. Drawing is a pure
//! function of the [`Stepper`], so tests draw it on ratatui's `TestBackend`.

use super::{Granularity, Stepper};
use ratatui::crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use ratatui::Frame;

/// What the screen shows besides the recording.
#[derive(Default)]
pub struct View {
    pub help: bool,
}

const HELP: &[(&str, &str)] = &[
    ("n  →  space", "next scheduling event"),
    ("p  ←", "previous scheduling event"),
    ("j  ↓", "next source line"),
    ("k  ↑", "previous source line"),
    ("i", "next bytecode instruction"),
    ("u", "previous bytecode instruction"),
    ("g  Home", "first step"),
    ("G  End", "last step"),
    ("?", "show or hide this help"),
    ("q  Esc  Ctrl-C", "quit"),
];

/// Apply one key; returns true when the stepper should quit.
pub fn handle_key(stepper: &mut Stepper, view: &mut View, key: KeyEvent) -> bool {
    if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
        return true;
    }
    match key.code {
        KeyCode::Char('q') | KeyCode::Esc => return true,
        KeyCode::Char('?') => view.help = !view.help,
        KeyCode::Char('n') | KeyCode::Char(' ') | KeyCode::Right => {
            stepper.forward(Granularity::Event);
        }
        KeyCode::Char('p') | KeyCode::Left => {
            stepper.back(Granularity::Event);
        }
        KeyCode::Char('j') | KeyCode::Down => {
            stepper.forward(Granularity::Line);
        }
        KeyCode::Char('k') | KeyCode::Up => {
            stepper.back(Granularity::Line);
        }
        KeyCode::Char('i') => {
            stepper.forward(Granularity::Instruction);
        }
        KeyCode::Char('u') => {
            stepper.back(Granularity::Instruction);
        }
        KeyCode::Char('g') | KeyCode::Home => stepper.to_start(),
        KeyCode::Char('G') | KeyCode::End => stepper.to_end(),
        _ => {}
    }
    false
}

/// Take over the terminal, run the key loop, and always give it back.
pub fn run(stepper: &mut Stepper) -> std::io::Result<()> {
    // `try_init` enters the alternate screen and raw mode, and installs a
    // panic hook that restores the terminal first.
    let mut terminal = ratatui::try_init()?;
    let mut view = View::default();
    let result = (|| -> std::io::Result<()> {
        loop {
            terminal.draw(|frame| draw(frame, stepper, &view))?;
            match event::read()? {
                Event::Key(key)
                    if key.kind != KeyEventKind::Release && handle_key(stepper, &mut view, key) =>
                {
                    return Ok(());
                }
                // A resize redraws at the top of the loop.
                _ => {}
            }
        }
    })();
    ratatui::restore();
    result
}

fn bold() -> Style {
    Style::default().add_modifier(Modifier::BOLD)
}

pub fn draw(frame: &mut Frame, stepper: &Stepper, view: &View) {
    let [title, main, bottom, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(6),
        Constraint::Length(8),
        Constraint::Length(1),
    ])
    .areas(frame.area());
    draw_title(frame, title, stepper);
    let [source, side] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(main);
    draw_source(frame, source, stepper);
    draw_side(frame, side, stepper);
    let [output, explanation] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(bottom);
    draw_output(frame, output, stepper);
    frame.render_widget(
        Paragraph::new(stepper.explanation())
            .wrap(Wrap { trim: true })
            .block(Block::bordered().title(" What happens ")),
        explanation,
    );
    frame.render_widget(
        Paragraph::new(" n/p event  j/k line  i/u instruction  g/G start/end  ? help  q quit")
            .style(Style::default().fg(Color::Black).bg(Color::Gray)),
        footer,
    );
    if view.help {
        draw_help(frame);
    }
}

fn draw_title(frame: &mut Frame, area: Rect, stepper: &Stepper) {
    let (at, of) = stepper.progress();
    let mut text = format!(" apy step {}  step {at}/{of}", stepper.name);
    if let Some(event) = stepper.event() {
        text.push_str(&format!("  t={:.3}", event.time));
        text.push_str(&format!("  {}", event.task.as_deref().unwrap_or("loop")));
    }
    if stepper.status != 0 {
        text.push_str(&format!("  (exit status {})", stepper.status));
    }
    frame.render_widget(Paragraph::new(text).style(bold().fg(Color::Cyan)), area);
}

fn draw_source(frame: &mut Frame, area: Rect, stepper: &Stepper) {
    let markers = stepper.task_markers();
    let current = stepper.event().and_then(|e| e.line).unwrap_or(1) as usize;
    let height = area.height.saturating_sub(2) as usize;
    let total = stepper.source.lines().count();
    let top = current
        .saturating_sub(height / 2 + 1)
        .min(total.saturating_sub(height));
    let lines: Vec<Line> = stepper
        .source
        .lines()
        .enumerate()
        .skip(top)
        .take(height)
        .map(|(i, text)| {
            let number = i as u32 + 1;
            let here: Vec<&(u32, String, bool)> =
                markers.iter().filter(|m| m.0 == number).collect();
            let running = here.iter().any(|m| m.2);
            let mark = if running {
                "▶"
            } else if here.is_empty() {
                " "
            } else {
                "•"
            };
            let style = if running {
                Style::default()
                    .fg(Color::Yellow)
                    .add_modifier(Modifier::BOLD)
            } else if here.is_empty() {
                Style::default()
            } else {
                Style::default().fg(Color::Green)
            };
            let mut spans = vec![
                Span::styled(format!("{number:>3} {mark} "), style),
                Span::styled(text.to_string(), style),
            ];
            if !here.is_empty() {
                let names: Vec<&str> = here.iter().map(|m| m.1.as_str()).collect();
                spans.push(Span::styled(format!("  ◀ {}", names.join(", ")), style));
            }
            Line::from(spans)
        })
        .collect();
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(" Source ")),
        area,
    );
}

fn draw_side(frame: &mut Frame, area: Rect, stepper: &Stepper) {
    let snapshot = stepper.snapshot();
    let state = &snapshot.loop_state;
    let task_lines: Vec<Line> = if state.tasks.is_empty() {
        vec![Line::from("(no tasks)")]
    } else {
        state
            .tasks
            .iter()
            .map(|t| {
                let color = match t.state {
                    "running" => Color::Yellow,
                    "ready" => Color::Cyan,
                    "waiting" => Color::Magenta,
                    _ => Color::DarkGray,
                };
                Line::from(vec![
                    Span::styled(
                        format!("{:<8} {:<8}", t.name, t.state),
                        Style::default().fg(color),
                    ),
                    Span::raw(if t.awaiting.is_empty() {
                        format!(" since {:.3}", t.since)
                    } else {
                        format!(" {} (since {:.3})", t.awaiting, t.since)
                    }),
                ])
            })
            .collect()
    };
    let ready: Vec<Line> = if state.ready.is_empty() {
        vec![Line::from("(empty)")]
    } else {
        state
            .ready
            .iter()
            .enumerate()
            .map(|(i, job)| Line::from(format!("{}. {job}", i + 1)))
            .collect()
    };
    let timers: Vec<Line> = if state.timers.is_empty() {
        vec![Line::from("(none)")]
    } else {
        state
            .timers
            .iter()
            .map(|(when, what)| Line::from(format!("{when:>8.3}  {what}")))
            .collect()
    };
    let mut frames: Vec<Line> = Vec::new();
    for f in snapshot.frames.iter().rev() {
        frames.push(Line::styled(
            format!("{}()  line {}", f.function, f.line),
            bold(),
        ));
        for (name, value) in &f.locals {
            frames.push(Line::from(format!("  {name} = {value}")));
        }
    }
    if frames.is_empty() {
        frames.push(Line::from("(no frames)"));
    }
    let height = |n: usize| Constraint::Length(n.min(8) as u16 + 2);
    let [tasks_area, ready_area, timers_area, frames_area] = Layout::vertical([
        height(task_lines.len()),
        height(ready.len()),
        height(timers.len()),
        Constraint::Min(3),
    ])
    .areas(area);
    let pane = |lines: Vec<Line<'static>>, title: &'static str| {
        Paragraph::new(lines).block(Block::bordered().title(title))
    };
    frame.render_widget(pane(task_lines, " Tasks "), tasks_area);
    frame.render_widget(
        pane(ready, " Ready queue (runs in this order) "),
        ready_area,
    );
    frame.render_widget(pane(timers, " Timers "), timers_area);
    frame.render_widget(pane(frames, " Frames and locals "), frames_area);
}

fn draw_output(frame: &mut Frame, area: Rect, stepper: &Stepper) {
    let output = stepper.output_so_far();
    let height = area.height.saturating_sub(2) as usize;
    let lines: Vec<&str> = output.lines().collect();
    let shown = lines[lines.len().saturating_sub(height)..].join("\n");
    frame.render_widget(
        Paragraph::new(Text::from(shown)).block(Block::bordered().title(" Output ")),
        area,
    );
}

fn draw_help(frame: &mut Frame) {
    let area = frame.area();
    let width = 54.min(area.width);
    let height = (HELP.len() as u16 + 4).min(area.height);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    let mut lines = vec![Line::from("The run is recorded; move through it:")];
    lines.extend(
        HELP.iter()
            .map(|(keys, what)| Line::from(format!(" {keys:<16} {what}"))),
    );
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(" Help (? to close) ")),
        popup,
    );
}
