//! A plain-text table whose cells may hold several lines.

/// Renders rows (first row = header) as aligned columns separated by two
/// spaces, with a rule under the header. Cells split on `\n`.
pub fn render(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; columns];
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            let w = cell.lines().map(|l| l.chars().count()).max().unwrap_or(0);
            if let Some(slot) = widths.get_mut(i) {
                *slot = (*slot).max(w);
            }
        }
    }
    let mut out = String::new();
    for (r, row) in rows.iter().enumerate() {
        out.push_str(&render_row(row, &widths));
        if r == 0 {
            let total = widths
                .iter()
                .fold(0usize, |a, w| a.saturating_add(*w))
                .saturating_add(widths.len().saturating_sub(1).saturating_mul(2));
            out.push_str(&"─".repeat(total));
            out.push('\n');
        }
    }
    out
}

fn render_row(row: &[String], widths: &[usize]) -> String {
    let height = row
        .iter()
        .map(|c| c.lines().count().max(1))
        .max()
        .unwrap_or(1);
    let mut out = String::new();
    for line in 0..height {
        let mut text = String::new();
        for (i, width) in widths.iter().enumerate() {
            let cell = row.get(i).and_then(|c| c.lines().nth(line)).unwrap_or("");
            text.push_str(cell);
            if i.saturating_add(1) < widths.len() {
                text.push_str(
                    &" ".repeat(width.saturating_sub(cell.chars().count()).saturating_add(2)),
                );
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    }
    out
}
