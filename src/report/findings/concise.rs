//! `--format concise`: one line per finding, `file:line:col: severity[CODE] message`, as compilers
//! and ruff print them (editors and `grep` read them), then the notes one line each and the
//! summary line.
//!
//! The file name and the message come from the input: each is escaped as a value
//! ([`crate::text::terminal::clean`]), colour goes on after, and the finished report passes
//! [`crate::text::terminal::inert`], so that no line can start a workflow command even when a
//! file name does (`::error.yaml`).

use std::fmt::Write as _;

use super::human::{severity_style, summary_line};
use crate::report::{Renderer, Report};
use crate::text::terminal::{clean, inert};
use crate::text::{Paint, palette};

pub struct Concise {
    pub color: bool,
    /// `--quiet`: the findings alone.
    pub quiet: bool,
}

impl Renderer for Concise {
    fn render(&self, report: &Report) -> String {
        let paint = Paint { on: self.color };
        let mut out = String::new();
        for f in report.findings {
            let at = report.position(f.origin);
            let _ = writeln!(
                out,
                "{}:{}:{}: {} {}",
                clean(report.file_name(f)),
                at.line,
                at.column,
                paint.paint(
                    &format!("{}[{}]", f.severity, f.code),
                    severity_style(f.severity)
                ),
                clean(&f.message)
            );
        }
        if !self.quiet {
            let note = paint.paint("note:", palette::info());
            for text in report.notes {
                let _ = writeln!(out, "{note} {}", clean(text));
            }
            if !report.nothing_read {
                out.push_str(&summary_line(paint, report));
            }
        }
        inert(&out).into_owned()
    }
}
