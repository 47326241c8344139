//! Progress of steps that can take more than a second. On a terminal: a spinner naming the step with the
//! elapsed time (hidden under `--json`). Without one (logs, CI, a pipe): one line per step on stderr, with the
//! seconds since the command's first step, so a long step is never silent.
use indicatif::{ProgressBar, ProgressStyle};
use std::borrow::Cow;
use std::io::IsTerminal;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Clone)]
pub(crate) struct Progress {
    bar: ProgressBar,
    /// `Some(start)` when printing lines instead of drawing a spinner.
    lines: Option<Arc<Instant>>,
}

impl Progress {
    pub(crate) fn start(json: bool, msg: &str) -> Self {
        let on_terminal = std::io::stderr().is_terminal();
        let bar = if json || !on_terminal { ProgressBar::hidden() } else { ProgressBar::new_spinner() };
        bar.set_style(ProgressStyle::with_template("{spinner} {msg} [{elapsed_precise}]").expect("static template"));
        bar.enable_steady_tick(Duration::from_millis(120));
        let p = Self { bar, lines: (!on_terminal).then(|| Arc::new(Instant::now())) };
        p.set_message(msg.to_string());
        p
    }

    /// Names the step now running.
    pub(crate) fn set_message(&self, msg: impl Into<Cow<'static, str>>) {
        let msg = msg.into();
        if let Some(start) = &self.lines {
            eprintln!("zkml [{:>6.1} s] {msg}", start.elapsed().as_secs_f64());
        }
        self.bar.set_message(msg);
    }

    pub(crate) fn finish_and_clear(&self) {
        self.bar.finish_and_clear();
    }
}
