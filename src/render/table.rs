//! A plain-text table whose cells may hold several lines, laid out by
//! comfy-table: columns two spaces apart, a rule under the header, and,
//! given a width, columns narrowed and their cells wrapped to fit it.

use comfy_table::{ColumnConstraint, ContentArrangement, LineStyle, Table, TableStyle, Width};

/// Renders rows (first row = header) as aligned columns separated by two
/// spaces, with a rule under the header. Cells split on `\n`. With a
/// `width`, the table is arranged to fit it (long cells wrap, a word too
/// long for its column is broken); without one, no line is cut. The
/// columns in `whole` (ids, verdicts), in their order, keep their longest
/// line whole as long as together they take at most three fifths of the
/// width, leaving the rest room to wrap.
pub fn render(rows: &[Vec<String>], width: Option<usize>, whole: &[usize]) -> String {
    let Some((header, body)) = rows.split_first() else {
        return String::new();
    };
    let mut table = Table::new();
    table.load_style(TableStyle::new().header_separator(LineStyle::none().fill('─').junction('─')));
    match width {
        Some(w) => {
            table
                .set_content_arrangement(ContentArrangement::Dynamic)
                .set_width(u16::try_from(w).unwrap_or(u16::MAX));
        }
        None => {
            table.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    table.set_header(header.clone());
    for row in body {
        table.add_row(row.clone());
    }
    let widths = content_widths(rows);
    let mut budget = width.map_or(0, |w| w.saturating_mul(3) / 5);
    let last = table.column_count().saturating_sub(1);
    for (i, column) in table.column_iter_mut().enumerate() {
        // comfy-table puts a space between columns where no line is drawn;
        // one of padding makes the two of the old layout.
        column.set_padding((0, if i == last { 0 } else { 1 }));
        if width.is_some() && whole.contains(&i) {
            // The boundary counts the padding too (not the space).
            let keep = widths
                .get(i)
                .copied()
                .unwrap_or(0)
                .saturating_add(1)
                .min(budget);
            budget = budget.saturating_sub(keep.saturating_add(1));
            if keep > 1 {
                column.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(
                    u16::try_from(keep).unwrap_or(u16::MAX),
                )));
            }
        }
    }
    let mut out = String::new();
    for line in table.lines() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The width of the table with no cell wrapped.
pub fn natural_width(rows: &[Vec<String>]) -> usize {
    let widths = content_widths(rows);
    widths
        .iter()
        .fold(0usize, |a, w| a.saturating_add(*w))
        .saturating_add(widths.len().saturating_sub(1).saturating_mul(2))
}

/// Each column's widest line, in display columns.
fn content_widths(rows: &[Vec<String>]) -> Vec<usize> {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; columns];
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            let w = cell
                .lines()
                .map(textwrap::core::display_width)
                .max()
                .unwrap_or(0);
            if let Some(slot) = widths.get_mut(i) {
                *slot = (*slot).max(w);
            }
        }
    }
    widths
}
