//! How wide terminal output may be, and text and tables fitted to it: the one place every
//! wrapper and table of lbplan asks (lint's findings and notes, `plan` and `weights` tables,
//! `rules`, `diff`), so that they agree.
//!
//! The width is `$COLUMNS` when it is set to a number, else the terminal's width when the output
//! goes to a terminal, else [`DEFAULT`]. Text wraps at spaces only: a word longer than the line
//! (an annotation key, an ELB ID, a path) runs past the edge rather than being cut, since a key
//! split over two lines can no longer be searched for or copied. Tables do the same: each column
//! is at least as wide as its longest word, and only cells with spaces wrap.

use comfy_table::{ColumnConstraint, ContentArrangement, Table};
pub use textwrap::{WordSeparator, WordSplitter};

/// The width when neither `$COLUMNS` nor a terminal says: what a CI log shows without scrolling,
/// and what every snapshot is taken at.
pub const DEFAULT: usize = 100;
/// Narrower than this, the drawings lose their shape: a smaller `$COLUMNS` counts as this.
pub const NARROWEST: usize = 40;

/// The width of output: `$COLUMNS`, else the terminal's width where `terminal` (the output is
/// standard output, and it is a terminal), else [`DEFAULT`].
pub fn detect(terminal: bool) -> usize {
    choose(std::env::var("COLUMNS").ok().as_deref(), || {
        terminal.then(stdout_columns).flatten()
    })
}

/// [`detect`] with what the environment and the terminal say given: `columns` is `$COLUMNS` (a
/// value that is no positive number is ignored), `terminal` the terminal's width.
pub fn choose(columns: Option<&str>, terminal: impl FnOnce() -> Option<usize>) -> usize {
    columns
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0)
        .or_else(terminal)
        .filter(|&c| c > 0)
        .map_or(DEFAULT, |c| c.max(NARROWEST))
}

#[cfg(unix)]
fn stdout_columns() -> Option<usize> {
    terminal_size::terminal_size_of(std::io::stdout()).map(|(w, _)| usize::from(w.0))
}

#[cfg(not(unix))]
fn stdout_columns() -> Option<usize> {
    None
}

/// How words are found: at ASCII spaces only (not after a `/` or a `-`, where Unicode line
/// breaking would cut `kubernetes.io/elb.port`).
pub const SEPARATOR: WordSeparator = WordSeparator::AsciiSpace;

/// Words are never hyphenated.
pub const SPLITTER: WordSplitter = WordSplitter::NoHyphenation;

/// `text` wrapped to `width` columns, its first line after `first`, the others after `rest`;
/// words are never split ([`SEPARATOR`], [`SPLITTER`]). Colour codes take no width.
pub fn wrap(text: &str, width: usize, first: &str, rest: &str) -> String {
    let options = textwrap::Options::new(width)
        .initial_indent(first)
        .subsequent_indent(rest)
        .break_words(false)
        .word_separator(SEPARATOR)
        .word_splitter(SPLITTER);
    textwrap::fill(text, options)
}

/// The width `text` takes on a terminal (colour codes take none).
pub fn columns(text: &str) -> usize {
    textwrap::core::display_width(text)
}

/// How wide a table may be: fitted to a width, or as wide as its content (`--wide`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableWidth {
    Fit(usize),
    Wide,
}

impl Default for TableWidth {
    fn default() -> TableWidth {
        TableWidth::Fit(DEFAULT)
    }
}

/// Arrange `table` for `width`, once its rows are in. With [`TableWidth::Fit`], each column gets
/// at least its longest word and at most its longest line, the room left shared out evenly
/// among the columns that want more, as comfy-table's dynamic arrangement shares it but never
/// below a word (its lower boundaries pin a column to the boundary, leaving room unused): a
/// table whose words cannot fit runs wider rather than cut one; cells wrap at spaces. With
/// [`TableWidth::Wide`], every cell on its own lines, however wide.
pub fn fit(table: &mut Table, width: TableWidth) {
    let TableWidth::Fit(width) = width else {
        table.set_content_arrangement(ContentArrangement::Disabled);
        return;
    };
    // Per column: (longest word, longest line).
    let mut needs: Vec<(usize, usize)> = Vec::new();
    let rows = table.header().into_iter().chain(table.row_iter());
    for row in rows {
        for (i, cell) in row.cell_iter().enumerate() {
            let content = cell.content();
            let word = content.split([' ', '\n']).map(columns).max().unwrap_or(0);
            let line = content.lines().map(columns).max().unwrap_or(0);
            if needs.len() <= i {
                needs.resize(i + 1, (0, 0));
            }
            if let Some(need) = needs.get_mut(i) {
                *need = (need.0.max(word), need.1.max(line));
            }
        }
    }
    let paddings: usize = table
        .column_iter()
        .map(|c| usize::from(c.padding_width()))
        .sum();
    // The vertical borders: one before each column and one after the last.
    let room = width.saturating_sub(paddings + needs.len() + 1);
    let widths = share(&needs, room);
    for (column, content) in table.column_iter_mut().zip(widths) {
        let total = u16::try_from(content)
            .unwrap_or(u16::MAX)
            .saturating_add(column.padding_width());
        column.set_constraint(ColumnConstraint::Absolute(comfy_table::Width::Fixed(total)));
    }
}

/// Content widths for columns that need `(least, most)` each, within `room` where the least
/// widths allow: each starts at its least, and the rest of the room goes to those that want more,
/// in even shares, until it is used up or every column has its most.
fn share(needs: &[(usize, usize)], room: usize) -> Vec<usize> {
    let mut widths: Vec<usize> = needs.iter().map(|&(least, _)| least).collect();
    let mut left = room.saturating_sub(widths.iter().sum());
    loop {
        let wanting: Vec<usize> = (0..needs.len())
            .filter(|&i| needs.get(i).map(|n| n.1) > widths.get(i).copied())
            .collect();
        if left == 0 || wanting.is_empty() {
            return widths;
        }
        let each = (left / wanting.len()).max(1);
        for i in wanting {
            let (Some(w), Some(&(_, most))) = (widths.get_mut(i), needs.get(i)) else {
                continue;
            };
            let more = each.min(most.saturating_sub(*w)).min(left);
            *w += more;
            left -= more;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_first_then_the_terminal_then_the_default() {
        assert_eq!(choose(Some("60"), || Some(200)), 60);
        assert_eq!(choose(Some(" 200 "), || None), 200);
        assert_eq!(choose(None, || Some(132)), 132);
        assert_eq!(choose(Some("wide"), || Some(132)), 132);
        assert_eq!(choose(Some("0"), || None), DEFAULT);
        assert_eq!(choose(None, || None), DEFAULT);
        assert_eq!(choose(Some("12"), || None), NARROWEST);
        assert_eq!(choose(None, || Some(0)), DEFAULT);
    }

    #[test]
    fn wrapping_never_splits_a_key_or_a_word() {
        let text = "set kubernetes.io/elb.multicluster-loadbalancer-weight on both Services";
        let wrapped = wrap(text, 30, "note: ", "      ");
        assert_eq!(
            wrapped,
            "note: set\n      kubernetes.io/elb.multicluster-loadbalancer-weight\n      on both Services"
        );
    }

    #[test]
    fn room_goes_to_the_columns_that_want_it() {
        // Everything fits: each column its longest line.
        assert_eq!(share(&[(3, 10), (2, 4)], 20), [10, 4]);
        // Not enough: the short column whole, the long one the rest.
        assert_eq!(share(&[(3, 30), (2, 4)], 20), [16, 4]);
        // Even shares between two long columns.
        assert_eq!(share(&[(3, 30), (3, 30)], 20), [10, 10]);
        // Less room than the words: the words.
        assert_eq!(share(&[(12, 30), (14, 30)], 20), [12, 14]);
        assert_eq!(share(&[], 20), Vec::<usize>::new());
    }

    #[test]
    fn fitted_tables_wrap_at_spaces_and_keep_words_whole() {
        let mut table = Table::new();
        table.set_header(vec!["Listener", "Backend"]);
        table.add_row(vec![
            "TCP:80 prod:Service/shop/web",
            "kubernetes.io/elb.pass-through is set on every one of these Services",
        ]);
        let unfitted = table.clone();
        fit(&mut table, TableWidth::Fit(60));
        let text = table.to_string();
        assert!(text.contains("kubernetes.io/elb.pass-through"), "{text}");
        assert!(text.contains("prod:Service/shop/web"), "{text}");
        assert!(text.lines().all(|l| columns(l) <= 60), "{text}");
        assert!(text.lines().count() > 5, "{text}");

        // Narrower than its longest words: wider than asked, no word cut.
        let mut narrow = unfitted.clone();
        fit(&mut narrow, TableWidth::Fit(40));
        let text = narrow.to_string();
        assert!(text.contains("kubernetes.io/elb.pass-through"), "{text}");
        assert!(text.lines().any(|l| columns(l) > 40), "{text}");

        let mut wide = unfitted;
        fit(&mut wide, TableWidth::Wide);
        assert_eq!(wide.to_string().lines().count(), 5, "{wide}");
    }
}
