//! Drawing a typed answer's box: its lines wrapped at spaces with the
//! space left hanging at the end of the row (issue 18 §6: the editor's own
//! wrapping started every wrapped row with the space it broke at), the
//! rows around the cursor, and the cursor as a reversed cell. The editing
//! itself stays with `ratatui-textarea`; only its drawing is ours.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};

/// One row of the box: its logical line, and the characters `start..end`
/// of it shown (trailing spaces at a break are not drawn).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    pub line: usize,
    pub start: usize,
    pub end: usize,
}

/// The rows of `lines` at `width` columns: each line broken after a run of
/// spaces (a word longer than the width is cut), so no row but a line's
/// first starts with a space the line did not start with.
pub fn rows(lines: &[String], width: usize) -> Vec<Row> {
    let width = width.max(1);
    let mut out = Vec::new();
    for (li, line) in lines.iter().enumerate() {
        let chars: Vec<char> = line.chars().collect();
        let mut start = 0;
        if chars.is_empty() {
            out.push(Row {
                line: li,
                start: 0,
                end: 0,
            });
            continue;
        }
        while start < chars.len() {
            if chars.len() - start <= width {
                out.push(Row {
                    line: li,
                    start,
                    end: chars.len(),
                });
                break;
            }
            // The last break (after spaces) that leaves the row's visible
            // part within the width.
            let mut brk = None;
            let mut i = start;
            while i < chars.len() {
                if chars[i] == ' ' {
                    let mut j = i;
                    while j < chars.len() && chars[j] == ' ' {
                        j += 1;
                    }
                    if i - start <= width && i > start {
                        brk = Some((i, j));
                    }
                    if i - start > width {
                        break;
                    }
                    i = j;
                } else {
                    i += 1;
                }
            }
            match brk {
                Some((visible_end, next)) => {
                    out.push(Row {
                        line: li,
                        start,
                        end: visible_end,
                    });
                    start = next;
                    if start >= chars.len() {
                        // Only spaces were left: the cursor may sit there.
                        out.push(Row {
                            line: li,
                            start,
                            end: start,
                        });
                    }
                }
                None => {
                    out.push(Row {
                        line: li,
                        start,
                        end: start + width,
                    });
                    start += width;
                }
            }
        }
    }
    out
}

/// The row and column (within the box) of the cursor at `(line, col)`.
pub fn cursor_cell(rows: &[Row], (line, col): (usize, usize), width: usize) -> (usize, usize) {
    let mut at = (0, 0);
    for (i, r) in rows.iter().enumerate() {
        if r.line == line && col >= r.start {
            at = (i, (col - r.start).min(width.saturating_sub(1)));
        }
    }
    at
}

/// Draw `lines` wrapped into `area` (the box's inside), scrolled so the
/// cursor's row shows; the cursor cell reversed when `active`.
pub fn draw(buf: &mut Buffer, area: Rect, lines: &[String], cursor: (usize, usize), active: bool) {
    let width = area.width as usize;
    if width == 0 || area.height == 0 {
        return;
    }
    let rows = rows(lines, width);
    let (cur_row, cur_col) = cursor_cell(&rows, cursor, width);
    let height = area.height as usize;
    let first = cur_row.saturating_sub(height - 1);
    for (k, r) in rows.iter().skip(first).take(height).enumerate() {
        let text: String = lines[r.line]
            .chars()
            .skip(r.start)
            .take(r.end - r.start)
            .collect();
        buf.set_stringn(area.x, area.y + k as u16, &text, width, Style::default());
    }
    if active {
        let y = area.y + (cur_row - first) as u16;
        let x = area.x + cur_col as u16;
        if let Some(cell) = buf.cell_mut((x, y)) {
            cell.set_style(Style::default().add_modifier(Modifier::REVERSED));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(lines: &[&str], width: usize) -> Vec<String> {
        let lines: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
        rows(&lines, width)
            .iter()
            .map(|r| {
                lines[r.line]
                    .chars()
                    .skip(r.start)
                    .take(r.end - r.start)
                    .collect()
            })
            .collect()
    }

    #[test]
    fn a_wrapped_row_never_starts_with_the_space_it_broke_at() {
        assert_eq!(shown(&["word1 word2 word3"], 11), ["word1 word2", "word3"]);
        assert_eq!(shown(&["aaaa bbbb cccc"], 9), ["aaaa bbbb", "cccc"]);
        assert_eq!(shown(&["aaaa  bbbb"], 5), ["aaaa", "bbbb"]);
        // A word longer than the row is cut.
        assert_eq!(shown(&["abcdefghij"], 4), ["abcd", "efgh", "ij"]);
        // Lines of a note stay lines; an empty one is a row.
        assert_eq!(shown(&["one", "", "two"], 10), ["one", "", "two"]);
        for r in shown(&["x ".repeat(50).trim_end()], 7) {
            assert!(!r.starts_with(' '), "{r:?}");
        }
    }

    #[test]
    fn the_cursor_lands_on_its_row() {
        let lines = vec!["word1 word2 word3".to_string()];
        let r = rows(&lines, 11);
        assert_eq!(cursor_cell(&r, (0, 0), 11), (0, 0));
        assert_eq!(cursor_cell(&r, (0, 12), 11), (1, 0));
        assert_eq!(cursor_cell(&r, (0, 17), 11), (1, 5));
    }
}
