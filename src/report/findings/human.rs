//! `--format human`: each finding drawn by miette with its source line, a label under the exact
//! annotation or port, the other side of a conflict as a second label, and the fix as help.
//!
//! Every text from the input (messages, names, paths, notes) is escaped as a value
//! ([`crate::text::visible`]) before colour is added, and the finished report goes through
//! [`crate::text::terminal::inert`], which also covers the file lines miette draws.

use std::fmt::{self, Write as _};

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};
use owo_colors::Style;

use crate::report::{Renderer, Report};
use crate::rules::{Finding, Severity};
use crate::source::{Origin, SourceFile, Sources};
use crate::text::terminal::{self, clean};
use crate::text::{Paint, palette, visible, width};

pub struct Human {
    pub color: bool,
    /// The width messages, help and notes wrap at ([`crate::text::width`]).
    pub width: usize,
    /// `--quiet`: the findings alone, without notes and summary line.
    pub quiet: bool,
}

impl Renderer for Human {
    fn render(&self, report: &Report) -> String {
        let mut out = self.findings(report);
        if !self.quiet {
            for note in report.notes {
                out.push_str(&self.note(note));
                out.push('\n');
            }
            if !report.nothing_read {
                out.push_str(&summary_line(self.painter(), report));
            }
        }
        terminal::inert(&out).into_owned()
    }
}

impl Human {
    /// Each finding of the report, drawn: its header line, the snippet and the help.
    pub fn findings(&self, report: &Report) -> String {
        let theme = if self.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_links(false)
            .with_show_related_as_nested(true)
            .with_width(self.width)
            .with_break_words(false)
            .with_word_separator(width::SEPARATOR)
            .with_word_splitter(width::SPLITTER);
        let mut out = String::new();
        for finding in report.findings {
            let diagnostic = FindingDiagnostic::new(finding, report.sources);
            let mut block = String::new();
            if handler.render_report(&mut block, &diagnostic).is_err() {
                block = plain(finding, report);
            }
            out.push_str(&self.header(finding, report));
            out.push_str(&block);
            out.push('\n');
        }
        out
    }

    /// `note: TEXT`, escaped, wrapped at the width under its first word.
    pub fn note(&self, text: &str) -> String {
        let note = self.paint("note:", palette::info());
        width::wrap(&format!("{note} {}", clean(text)), self.width, "", "      ")
    }

    /// Colour, when on, for text already escaped (or lbplan's own).
    pub fn paint(&self, text: &str, style: Style) -> String {
        self.painter().paint(text, style)
    }

    pub fn painter(&self) -> Paint {
        Paint { on: self.color }
    }

    /// `error[LB101] listener-conflict: manifests/a.yaml:12:5`
    fn header(&self, finding: &Finding, report: &Report) -> String {
        let at = report.position(finding.origin);
        let style = severity_style(finding.severity);
        let mut line = format!(
            "{}: {}:{}:{}",
            self.paint(
                &format!("{}[{}] {}", finding.severity, finding.code, finding.rule),
                style
            ),
            visible(report.file_name(finding)),
            at.line,
            at.column
        );
        if let Some(object) = &finding.object {
            let cluster = finding
                .cluster
                .as_deref()
                .filter(|c| *c != "default")
                .map(|c| format!(" in cluster {c}"))
                .unwrap_or_default();
            let _ = write!(line, " ({}{})", clean(object), clean(&cluster));
        }
        line.push('\n');
        line
    }
}

/// `4 errors, 3 warnings, 1 info in 6 files (10 documents, 9 objects)`, its counts coloured by the
/// worst severity.
pub fn summary_line(paint: Paint, report: &Report) -> String {
    let s = report.summary;
    let style = counts_style(s.errors, s.warnings);
    format!("{} in {}\n", paint.paint(&s.counts(), style), s.inputs())
}

/// The colour of a summary's counts: red with errors, else yellow with warnings, else green.
pub fn counts_style(errors: usize, warnings: usize) -> Style {
    if errors > 0 {
        palette::error()
    } else if warnings > 0 {
        palette::warning()
    } else {
        palette::clean()
    }
}

pub fn severity_style(severity: Severity) -> Style {
    match severity {
        Severity::Error => palette::error(),
        Severity::Warning => palette::warning(),
        Severity::Info => palette::info(),
    }
}

/// A finding as one line, for when a source cannot be drawn.
fn plain(finding: &Finding, report: &Report) -> String {
    let mut text = format!("  {}\n", clean(&finding.message));
    for line in report.details(finding) {
        let _ = writeln!(text, "  {}", clean(&line));
    }
    text
}

fn span(sources: &Sources, origin: Origin) -> SourceSpan {
    let s = sources
        .get(origin.file)
        .map_or(origin.span, |f| f.clamp(origin.span));
    SourceSpan::from((s.start, s.end.saturating_sub(s.start)))
}

/// Lines longer than this are not drawn (a minified JSON file, a 10 MB annotation): the finding
/// is printed with its location alone.
const MAX_SNIPPET_LINE: usize = 2000;

fn source(sources: &Sources, origin: Origin) -> Option<Window<'_>> {
    let file = sources.get(origin.file)?;
    let line = file.line_col(origin.span.start).line;
    if file.line_text(line).len() > MAX_SNIPPET_LINE {
        return None;
    }
    file.text()?;
    Some(Window { file })
}

/// A file as miette reads it, a few lines at a time: miette's own reader scans the text from its
/// start for every label, which makes 10,000 findings in one large file quadratic. This one finds
/// the lines around a span by the file's line index and lets miette read only those, so that what
/// it draws is the same, at a cost independent of where in the file the span is.
struct Window<'a> {
    file: &'a SourceFile,
}

impl SourceCode for Window<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let text = self.file.drawable_text().unwrap_or("");
        let starts = self.file.line_starts();
        let first = self.file.line_index(span.offset());
        let last = self
            .file
            .line_index(span.offset() + span.len().saturating_sub(1));
        // One line more on each side than asked: miette then stops where it would on the whole
        // text.
        let from_line = first.saturating_sub(context_lines_before + 1);
        let to_line = last + context_lines_after + 2;
        let from = starts.get(from_line).copied().unwrap_or(0);
        let to = starts.get(to_line).copied().unwrap_or(text.len());
        let window = text.get(from..to).ok_or(MietteError::OutOfBounds)?;
        let inner_span = SourceSpan::from((span.offset().saturating_sub(from), span.len()));
        let inner =
            window
                .as_bytes()
                .read_span(&inner_span, context_lines_before, context_lines_after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.file.name.clone(),
            inner.data(),
            SourceSpan::from((inner.span().offset() + from, inner.span().len())),
            inner.line() + from_line,
            inner.column(),
            inner.line_count() + from_line,
        )))
    }
}

/// A finding as miette sees it: related places in the same file become extra labels, places in
/// other files become related diagnostics with their own source.
struct FindingDiagnostic<'a> {
    message: String,
    severity: miette::Severity,
    help: Option<String>,
    source: Option<Window<'a>>,
    labels: Vec<LabeledSpan>,
    related: Vec<RelatedDiagnostic<'a>>,
}

impl<'a> FindingDiagnostic<'a> {
    fn new(finding: &Finding, sources: &'a Sources) -> Self {
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            finding.caption.as_deref().map(clean),
            span(sources, finding.origin),
        )];
        let mut related = Vec::new();
        for r in &finding.related {
            let text = match &r.object {
                Some(object) => format!("{}: {}", clean(object), clean(&r.message)),
                None => clean(&r.message),
            };
            if r.origin.file == finding.origin.file {
                labels.push(LabeledSpan::new_with_span(
                    Some(text),
                    span(sources, r.origin),
                ));
            } else {
                related.push(RelatedDiagnostic {
                    message: format!("related: {}", clean(r.object.as_deref().unwrap_or("here"))),
                    source: source(sources, r.origin),
                    label: LabeledSpan::new_primary_with_span(
                        Some(clean(&r.message)),
                        span(sources, r.origin),
                    ),
                });
            }
        }
        labels.sort_by_key(LabeledSpan::offset);
        FindingDiagnostic {
            message: clean(&finding.message),
            severity: match finding.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
                Severity::Info => miette::Severity::Advice,
            },
            help: finding.help.as_deref().map(clean),
            source: source(sources, finding.origin),
            labels,
            related,
        }
    }
}

impl fmt::Debug for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source.as_ref()?;
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|r| r as &dyn Diagnostic)))
    }
}

struct RelatedDiagnostic<'a> {
    message: String,
    source: Option<Window<'a>>,
    label: LabeledSpan,
}

impl fmt::Debug for RelatedDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for RelatedDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RelatedDiagnostic<'_> {}

impl Diagnostic for RelatedDiagnostic<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source.as_ref()?;
        Some(Box::new(std::iter::once(self.label.clone())))
    }
}
