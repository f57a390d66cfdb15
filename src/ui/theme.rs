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
        Meaning::Muted => s.fg(Color::Gray),
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
