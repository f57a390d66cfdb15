//! Styles named by meaning. Screens never name a colour. With `NO_COLOR`
//! every style is monochrome (bold, reversed, underline only), and no
//! meaning rests on colour: tones are always written as words too.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meaning {
    Normal,
    Title,
    Muted,
    Key,
    Selected,
    Good,
    Caution,
    Alert,
    Accent,
}

pub fn style(m: Meaning, no_color: bool) -> Style {
    let s = Style::default();
    if no_color {
        return match m {
            Meaning::Title | Meaning::Key | Meaning::Alert => s.add_modifier(Modifier::BOLD),
            Meaning::Selected => s.add_modifier(Modifier::REVERSED | Modifier::BOLD),
            _ => s,
        };
    }
    match m {
        Meaning::Normal => s,
        Meaning::Title => s.fg(Color::Cyan).add_modifier(Modifier::BOLD),
        // The terminal's own foreground: colour 7 (grey) is faint on a light
        // background and bright black vanishes on some dark ones, so
        // secondary text is plain, never a low-contrast colour.
        Meaning::Muted => s,
        Meaning::Key => s.fg(Color::Cyan).add_modifier(Modifier::BOLD),
        Meaning::Selected => s.add_modifier(Modifier::REVERSED | Modifier::BOLD),
        Meaning::Good => s.fg(Color::Green),
        Meaning::Caution => s.fg(Color::Yellow),
        Meaning::Alert => s.fg(Color::Red).add_modifier(Modifier::BOLD),
        Meaning::Accent => s.fg(Color::Cyan),
    }
}

pub fn tone(t: Option<&str>) -> Meaning {
    match t {
        Some("good") => Meaning::Good,
        Some("caution") => Meaning::Caution,
        Some("alert") => Meaning::Alert,
        _ => Meaning::Normal,
    }
}

#[cfg(test)]
mod contrast_tests {
    use super::*;

    /// Issue 18, §6: secondary text is never drawn in a colour that fades
    /// on one kind of background (grey on light, bright black on dark).
    #[test]
    fn secondary_text_keeps_the_terminals_own_colour() {
        let m = style(Meaning::Muted, false);
        assert!(
            !matches!(
                m.fg,
                Some(Color::Gray) | Some(Color::DarkGray) | Some(Color::White)
            ),
            "{m:?}"
        );
    }
}
