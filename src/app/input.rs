//! Terminal input bytes to events, with time as an input.
//!
//! crossterm's own parser waits for the rest of any sequence it has begun:
//! `Alt+[` (Esc and `[` in one read) looks like the start of a control
//! sequence, and `ESC [ 200 ~` without its end opens a paste that never
//! closes. Its reader then never hands back an event, and everything after
//! is swallowed. This decoder is pure (bytes and the time they arrived in,
//! events out), so it is tested without a terminal, and it gives up on an
//! unfinished sequence after [`ESC_WAIT`] (an unfinished paste after
//! [`PASTE_WAIT`]): nothing a terminal sends, or fails to send, can hold it.
//!
//! It yields crossterm's `Event` type, so the key map is the same whichever
//! reader produced the event. Only key *presses* exist on this path (the
//! legacy encodings carry no releases).

use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use std::time::{Duration, Instant};

/// How long a lone Esc (or Esc and one byte) waits for more before it is
/// read as the key it is (Esc, or Alt and a key). Terminals send a whole
/// sequence in one write; 100 ms is vim's usual `ttimeoutlen`.
pub const ESC_WAIT: Duration = Duration::from_millis(100);

/// How long a control sequence that has clearly begun (`ESC [` and more)
/// waits for its end before it is dropped whole. Long, because the bytes
/// of a click read as keys would type digits: answers nobody gave.
pub const SEQUENCE_WAIT: Duration = Duration::from_millis(1000);

/// After the start of a sequence was given up on (a lone Esc read as the
/// Esc key, `ESC [` as Alt+[, or an unfinished sequence dropped), bytes that
/// continue it and come within this long are taken as its rest (split off
/// by a slow link or a busy machine) and dropped, not typed. The price: a
/// digit typed within this long after Alt+[ is lost too.
pub const ORPHAN_WINDOW: Duration = Duration::from_millis(300);

/// How long an unfinished bracketed paste waits for more before what came
/// is taken as the whole paste.
pub const PASTE_WAIT: Duration = Duration::from_millis(400);

/// The most a paste may hold; more is dropped (a kiosk field holds far less).
pub const MAX_PASTE: usize = 64 * 1024;

/// The longest control sequence read; a longer one is dropped as noise.
const MAX_SEQUENCE: usize = 64;

const PASTE_START: &[u8] = b"\x1b[200~";
const PASTE_END: &[u8] = b"\x1b[201~";

/// Bytes waiting to become events.
#[derive(Debug, Default)]
pub struct Decoder {
    pending: Vec<u8>,
    /// Inside a bracketed paste: what it holds so far.
    paste: Option<Vec<u8>>,
    /// When the last byte arrived.
    last: Option<Instant>,
    /// The start of a sequence given up on (read as Esc or Alt+[, or
    /// dropped), and until when bytes that continue it are taken as its
    /// rest (see [`ORPHAN_WINDOW`]).
    orphan: Option<(&'static [u8], Instant)>,
}

/// What the start of the pending bytes is.
enum Step {
    /// An event (or nothing, for a sequence that means nothing to us) and
    /// how many bytes it used.
    Done(Option<Event>, usize),
    /// A paste begins after this many bytes.
    PasteStart(usize),
    /// Not finished yet: wait for more bytes (or for the wait to run out).
    Wait,
    /// Not a sequence we can read: drop this many bytes.
    Drop(usize),
}

impl Decoder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Take bytes read at `now`; returns every event they complete.
    pub fn feed(&mut self, bytes: &[u8], now: Instant) -> Vec<Event> {
        if !bytes.is_empty() {
            self.last = Some(now);
        }
        self.pending.extend_from_slice(bytes);
        let mut out = Vec::new();
        self.drain(&mut out, false, now);
        out
    }

    /// When the decoder must be asked again ([`Decoder::flush`]) if no byte
    /// comes: `None` when nothing is pending.
    pub fn deadline(&self) -> Option<Instant> {
        let last = self.last?;
        if self.paste.is_some() {
            Some(last + PASTE_WAIT)
        } else if self.pending.is_empty() {
            None
        } else if self.sequence_begun() {
            Some(last + SEQUENCE_WAIT)
        } else {
            Some(last + ESC_WAIT)
        }
    }

    /// Time has passed with no new byte: give up waiting where the wait has
    /// run out, and return what the pending bytes meant.
    pub fn flush(&mut self, now: Instant) -> Vec<Event> {
        let mut out = Vec::new();
        let Some(deadline) = self.deadline() else {
            return out;
        };
        if now < deadline {
            return out;
        }
        self.drain(&mut out, true, now);
        out
    }

    /// The pending bytes are a control sequence that has clearly begun:
    /// `ESC [` and more, or the rest of one whose Esc was read alone.
    fn sequence_begun(&self) -> bool {
        self.pending.starts_with(b"\x1b[") && self.pending.len() > 2
            || self.orphan_prefix().is_some()
    }

    /// The start of the sequence the pending bytes continue, if they look
    /// like its rest: `[` after a lone Esc, parameter bytes after `ESC [`.
    fn orphan_prefix(&self) -> Option<&'static [u8]> {
        let (prefix, _) = self.orphan?;
        let first = *self.pending.first()?;
        let continues = match prefix {
            b"\x1b" => first == b'[',
            _ => (0x30..=0x3f).contains(&first),
        };
        continues.then_some(prefix)
    }

    /// Nothing is waiting to be read.
    pub fn is_idle(&self) -> bool {
        self.pending.is_empty() && self.paste.is_none()
    }

    fn drain(&mut self, out: &mut Vec<Event>, stale: bool, now: Instant) {
        if self.orphan.is_some_and(|(_, t)| now > t) {
            self.orphan = None;
        }
        loop {
            if let Some(paste) = self.paste.as_mut() {
                match find(&self.pending, PASTE_END) {
                    Some(end) => {
                        take_paste(paste, &self.pending[..end]);
                        let text = String::from_utf8_lossy(paste).into_owned();
                        self.paste = None;
                        self.pending.drain(..end + PASTE_END.len());
                        out.push(Event::Paste(text));
                        continue;
                    }
                    None if stale => {
                        take_paste(paste, &self.pending);
                        let text = String::from_utf8_lossy(paste).into_owned();
                        self.paste = None;
                        self.pending.clear();
                        out.push(Event::Paste(text));
                        return;
                    }
                    None => {
                        // Keep what might be the start of the end marker.
                        let keep = partial_suffix(&self.pending, PASTE_END);
                        let cut = self.pending.len() - keep;
                        take_paste(paste, &self.pending[..cut]);
                        self.pending.drain(..cut);
                        return;
                    }
                }
            }
            if self.pending.is_empty() {
                return;
            }
            let orphan = self.orphan_prefix();
            self.orphan = None;
            let step = if let Some(prefix) = orphan {
                // The rest of a sequence whose start was given up on: read
                // it with its start, and drop it (a lost click is better
                // than its digits typed as answers).
                let mut whole = prefix.to_vec();
                whole.extend_from_slice(&self.pending);
                let n = prefix.len();
                match parse_csi(&whole) {
                    Step::Done(_, used) => Step::Drop(used - n),
                    Step::Drop(k) => Step::Drop(k.saturating_sub(n).max(1)),
                    Step::PasteStart(used) => Step::PasteStart(used - n),
                    Step::Wait if stale => Step::Drop(self.pending.len()),
                    Step::Wait => {
                        self.orphan = Some((prefix, now + ORPHAN_WINDOW));
                        return;
                    }
                }
            } else {
                parse(&self.pending)
            };
            match step {
                Step::Done(event, used) => {
                    out.extend(event);
                    self.pending.drain(..used);
                }
                Step::PasteStart(used) => {
                    self.pending.drain(..used);
                    self.paste = Some(Vec::new());
                }
                Step::Drop(n) => {
                    self.pending.drain(..n.max(1));
                }
                Step::Wait if stale => {
                    let (event, used) = give_up(&self.pending);
                    // What comes next may be the rest of what was given up.
                    if self.pending.starts_with(b"\x1b[") {
                        self.orphan = Some((b"\x1b[", now + ORPHAN_WINDOW));
                    } else if self.pending == b"\x1b" {
                        self.orphan = Some((b"\x1b", now + ORPHAN_WINDOW));
                    }
                    out.extend(event);
                    self.pending.drain(..used);
                }
                Step::Wait => return,
            }
        }
    }
}

/// Add `bytes` to a paste, up to [`MAX_PASTE`].
fn take_paste(paste: &mut Vec<u8>, bytes: &[u8]) {
    let room = MAX_PASTE.saturating_sub(paste.len());
    paste.extend_from_slice(&bytes[..bytes.len().min(room)]);
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The length of the longest end of `hay` that begins `needle`.
fn partial_suffix(hay: &[u8], needle: &[u8]) -> usize {
    (1..needle.len())
        .rev()
        .find(|&n| n <= hay.len() && hay[hay.len() - n..] == needle[..n])
        .unwrap_or(0)
}

/// An unfinished sequence whose wait ran out: a lone Esc is the Esc key;
/// Esc and one more key is that key with Alt (`Alt+[` is `ESC [`); a longer
/// unfinished sequence is dropped whole (its bytes are no keys anyone
/// pressed); any other unfinished byte (half a character) is dropped.
fn give_up(pending: &[u8]) -> (Option<Event>, usize) {
    match pending {
        [0x1b] => (Some(key(KeyCode::Esc, KeyModifiers::NONE)), 1),
        [0x1b, b] if (0x20..0x7f).contains(b) => {
            let k = char_key(*b as char);
            (Some(with_alt(k)), 2)
        }
        [0x1b, ..] => (None, pending.len()),
        _ => (None, 1),
    }
}

fn key(code: KeyCode, modifiers: KeyModifiers) -> Event {
    Event::Key(KeyEvent::new(code, modifiers))
}

fn with_alt(event: Event) -> Event {
    match event {
        Event::Key(mut k) => {
            k.modifiers |= KeyModifiers::ALT;
            Event::Key(k)
        }
        other => other,
    }
}

/// A printable character as crossterm reports it (upper case carries Shift).
fn char_key(c: char) -> Event {
    let modifiers = if c.is_uppercase() {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    key(KeyCode::Char(c), modifiers)
}

/// Read one event at the start of `b` (not empty).
fn parse(b: &[u8]) -> Step {
    match b[0] {
        0x1b => parse_escape(b),
        b'\r' => Step::Done(Some(key(KeyCode::Enter, KeyModifiers::NONE)), 1),
        b'\t' => Step::Done(Some(key(KeyCode::Tab, KeyModifiers::NONE)), 1),
        0x7f => Step::Done(Some(key(KeyCode::Backspace, KeyModifiers::NONE)), 1),
        // In raw mode \n is Ctrl-J and \x08 Ctrl-H, as crossterm reads them.
        c @ 0x01..=0x1a => Step::Done(
            Some(key(
                KeyCode::Char((c - 1 + b'a') as char),
                KeyModifiers::CONTROL,
            )),
            1,
        ),
        c @ 0x1c..=0x1f => Step::Done(
            Some(key(
                KeyCode::Char((c - 0x1c + b'4') as char),
                KeyModifiers::CONTROL,
            )),
            1,
        ),
        0 => Step::Done(Some(key(KeyCode::Char(' '), KeyModifiers::CONTROL)), 1),
        _ => parse_utf8(b),
    }
}

fn parse_utf8(b: &[u8]) -> Step {
    let need = match b[0] {
        0x00..=0x7f => 1,
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => return Step::Drop(1),
    };
    if b.len() < need {
        // Continuation bytes must follow; anything else is not UTF-8.
        if b[1..].iter().all(|c| (0x80..0xc0).contains(c)) {
            return Step::Wait;
        }
        return Step::Drop(1);
    }
    match std::str::from_utf8(&b[..need]) {
        Ok(s) => match s.chars().next() {
            Some(c) => Step::Done(Some(char_key(c)), need),
            None => Step::Drop(1),
        },
        Err(_) => Step::Drop(1),
    }
}

fn parse_escape(b: &[u8]) -> Step {
    let Some(&second) = b.get(1) else {
        return Step::Wait;
    };
    match second {
        b'[' => parse_csi(b),
        b'O' => parse_ss3(b),
        // Esc Esc: the first is the Esc key; the second is read anew.
        0x1b => Step::Done(Some(key(KeyCode::Esc, KeyModifiers::NONE)), 1),
        _ => match parse(&b[1..]) {
            Step::Done(event, used) => Step::Done(event.map(with_alt), used + 1),
            Step::Wait => Step::Wait,
            // Esc then bytes that mean nothing: Esc, and read on.
            Step::Drop(_) | Step::PasteStart(_) => {
                Step::Done(Some(key(KeyCode::Esc, KeyModifiers::NONE)), 1)
            }
        },
    }
}

/// `ESC O x`: F1-F4, arrows, Home and End in application mode.
fn parse_ss3(b: &[u8]) -> Step {
    let Some(&c) = b.get(2) else {
        return Step::Wait;
    };
    let code = match c {
        b'A' => KeyCode::Up,
        b'B' => KeyCode::Down,
        b'C' => KeyCode::Right,
        b'D' => KeyCode::Left,
        b'H' => KeyCode::Home,
        b'F' => KeyCode::End,
        b'P'..=b'S' => KeyCode::F(1 + c - b'P'),
        // Alt+Shift+o, then read on.
        _ => return Step::Done(Some(with_alt(char_key('O'))), 2),
    };
    Step::Done(Some(key(code, KeyModifiers::NONE)), 3)
}

/// `ESC [` parameters, intermediates, final byte (ECMA-48), and the X10
/// mouse report `ESC [ M` + three bytes.
fn parse_csi(b: &[u8]) -> Step {
    if b.get(2) == Some(&b'M') {
        return match b.get(3..6) {
            Some(&[cb, cx, cy]) => Step::Done(x10_mouse(cb, cx, cy), 6),
            _ => Step::Wait,
        };
    }
    let mut i = 2;
    loop {
        let Some(&c) = b.get(i) else {
            return if i >= MAX_SEQUENCE {
                Step::Drop(i)
            } else {
                Step::Wait
            };
        };
        match c {
            0x20..=0x3f => i += 1,
            0x40..=0x7e => break,
            // Not part of a sequence: drop what came before it, read it anew.
            _ => return Step::Drop(i),
        }
        if i >= MAX_SEQUENCE {
            return Step::Drop(i);
        }
    }
    let used = i + 1;
    if &b[..used] == PASTE_START {
        return Step::PasteStart(used);
    }
    let params = &b[2..i];
    let last = b[i];
    Step::Done(csi_event(params, last), used)
}

fn numbers(params: &[u8]) -> Vec<u16> {
    std::str::from_utf8(params)
        .unwrap_or("")
        .split(';')
        .map(|p| p.split(':').next().unwrap_or("").parse().unwrap_or(0))
        .collect()
}

fn modifiers(mask: u16) -> KeyModifiers {
    let m = mask.saturating_sub(1);
    let mut out = KeyModifiers::NONE;
    for (bit, flag) in [
        (1, KeyModifiers::SHIFT),
        (2, KeyModifiers::ALT),
        (4, KeyModifiers::CONTROL),
        (8, KeyModifiers::SUPER),
        (16, KeyModifiers::HYPER),
        (32, KeyModifiers::META),
    ] {
        if m & bit != 0 {
            out |= flag;
        }
    }
    out
}

fn csi_event(params: &[u8], last: u8) -> Option<Event> {
    if params.first() == Some(&b'<') {
        return sgr_mouse(&params[1..], last);
    }
    if params
        .first()
        .is_some_and(|c| matches!(c, b'?' | b'>' | b'='))
    {
        // Replies to queries (device attributes, keyboard flags): not input.
        return None;
    }
    let n = numbers(params);
    let mods = modifiers(n.get(1).copied().unwrap_or(1));
    let code = match last {
        b'A' => KeyCode::Up,
        b'B' => KeyCode::Down,
        b'C' => KeyCode::Right,
        b'D' => KeyCode::Left,
        b'H' => KeyCode::Home,
        b'F' => KeyCode::End,
        b'P' => KeyCode::F(1),
        b'Q' => KeyCode::F(2),
        // `CSI row ; col R` is a cursor report; `CSI 1 ; mods R` is F3.
        b'R' if n.first().copied().unwrap_or(1) == 1 && params.contains(&b';') => KeyCode::F(3),
        b'R' if params.is_empty() => KeyCode::F(3),
        b'S' => KeyCode::F(4),
        b'Z' => return Some(key(KeyCode::BackTab, KeyModifiers::SHIFT)),
        b'I' if params.is_empty() => return Some(Event::FocusGained),
        b'O' if params.is_empty() => return Some(Event::FocusLost),
        b'~' => match n.first().copied().unwrap_or(0) {
            1 | 7 => KeyCode::Home,
            2 => KeyCode::Insert,
            3 => KeyCode::Delete,
            4 | 8 => KeyCode::End,
            5 => KeyCode::PageUp,
            6 => KeyCode::PageDown,
            v @ 11..=15 => KeyCode::F((v - 10) as u8),
            v @ 17..=21 => KeyCode::F((v - 11) as u8),
            v @ 23..=26 => KeyCode::F((v - 12) as u8),
            v @ 28..=29 => KeyCode::F((v - 15) as u8),
            v @ 31..=34 => KeyCode::F((v - 17) as u8),
            // 201 (a paste end with no start) and the rest: nothing.
            _ => return None,
        },
        b'u' => {
            // `CSI codepoint ; mods u` (fixterms / kitty).
            let c = char::from_u32(u32::from(n.first().copied().unwrap_or(0)))?;
            let code = match c {
                '\r' => KeyCode::Enter,
                '\t' => KeyCode::Tab,
                '\x1b' => KeyCode::Esc,
                '\x7f' => KeyCode::Backspace,
                c if c.is_control() => return None,
                c => KeyCode::Char(c),
            };
            return Some(key(code, mods));
        }
        _ => return None,
    };
    Some(key(code, mods))
}

fn mouse_modifiers(cb: u16) -> KeyModifiers {
    let mut m = KeyModifiers::NONE;
    if cb & 4 != 0 {
        m |= KeyModifiers::SHIFT;
    }
    if cb & 8 != 0 {
        m |= KeyModifiers::ALT;
    }
    if cb & 16 != 0 {
        m |= KeyModifiers::CONTROL;
    }
    m
}

/// What a mouse report's button byte means (`release`: the SGR `m` final).
fn mouse_kind(cb: u16, release: bool) -> Option<MouseEventKind> {
    let button = match cb & 0b11 {
        0 => MouseButton::Left,
        1 => MouseButton::Middle,
        2 => MouseButton::Right,
        _ => MouseButton::Left,
    };
    let dragging = cb & 32 != 0;
    Some(match (cb & 0b1100_0011, dragging) {
        (64, _) => MouseEventKind::ScrollUp,
        (65, _) => MouseEventKind::ScrollDown,
        (66, _) => MouseEventKind::ScrollLeft,
        (67, _) => MouseEventKind::ScrollRight,
        (3, true) => MouseEventKind::Moved,
        (3, false) => MouseEventKind::Up(MouseButton::Left),
        (0..=2, true) => MouseEventKind::Drag(button),
        (0..=2, false) if release => MouseEventKind::Up(button),
        (0..=2, false) => MouseEventKind::Down(button),
        _ => return None,
    })
}

/// `ESC [ < b ; x ; y M` (press) or `m` (release), 1-based cells.
fn sgr_mouse(params: &[u8], last: u8) -> Option<Event> {
    if last != b'M' && last != b'm' {
        return None;
    }
    let n = numbers(params);
    let [cb, x, y] = n[..] else {
        return None;
    };
    Some(Event::Mouse(MouseEvent {
        kind: mouse_kind(cb, last == b'm')?,
        column: x.saturating_sub(1),
        row: y.saturating_sub(1),
        modifiers: mouse_modifiers(cb),
    }))
}

/// `ESC [ M b x y`, each byte offset by 32.
fn x10_mouse(cb: u8, cx: u8, cy: u8) -> Option<Event> {
    let cb = u16::from(cb.checked_sub(32)?);
    let kind = mouse_kind(cb, false)?;
    Some(Event::Mouse(MouseEvent {
        kind,
        column: u16::from(cx.saturating_sub(33)),
        row: u16::from(cy.saturating_sub(33)),
        modifiers: mouse_modifiers(cb),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t0() -> Instant {
        Instant::now()
    }

    fn k(code: KeyCode, m: KeyModifiers) -> Event {
        key(code, m)
    }

    fn ch(c: char) -> Event {
        char_key(c)
    }

    /// Everything `bytes` means once every wait has run out.
    fn read_all(bytes: &[u8]) -> Vec<Event> {
        let start = t0();
        let mut d = Decoder::new();
        let mut out = d.feed(bytes, start);
        out.extend(d.flush(start + Duration::from_secs(10)));
        assert!(d.is_idle(), "nothing left waiting after {bytes:?}");
        out
    }

    #[test]
    fn plain_keys_read_as_crossterm_reads_them() {
        assert_eq!(
            read_all(b"aZ\r\t\x7f\x03"),
            vec![
                ch('a'),
                ch('Z'),
                k(KeyCode::Enter, KeyModifiers::NONE),
                k(KeyCode::Tab, KeyModifiers::NONE),
                k(KeyCode::Backspace, KeyModifiers::NONE),
                k(KeyCode::Char('c'), KeyModifiers::CONTROL),
            ]
        );
        assert_eq!(
            read_all("é✓".as_bytes()),
            vec![ch('é'), ch('✓')],
            "UTF-8 characters"
        );
        assert_eq!(
            read_all(b"\x1c"),
            vec![k(KeyCode::Char('4'), KeyModifiers::CONTROL)],
            "Ctrl-\\ as crossterm reports it"
        );
    }

    #[test]
    fn sequences_read_whole() {
        assert_eq!(
            read_all(b"\x1b[A\x1b[1;5C\x1bOP\x1b[15~\x1b[3~\x1b[Z"),
            vec![
                k(KeyCode::Up, KeyModifiers::NONE),
                k(KeyCode::Right, KeyModifiers::CONTROL),
                k(KeyCode::F(1), KeyModifiers::NONE),
                k(KeyCode::F(5), KeyModifiers::NONE),
                k(KeyCode::Delete, KeyModifiers::NONE),
                k(KeyCode::BackTab, KeyModifiers::SHIFT),
            ]
        );
        assert_eq!(
            read_all(b"\x1ba"),
            vec![k(KeyCode::Char('a'), KeyModifiers::ALT)]
        );
    }

    #[test]
    fn sgr_clicks_are_zero_based_cells() {
        assert_eq!(
            read_all(b"\x1b[<0;12;5M\x1b[<0;12;5m"),
            vec![
                Event::Mouse(MouseEvent {
                    kind: MouseEventKind::Down(MouseButton::Left),
                    column: 11,
                    row: 4,
                    modifiers: KeyModifiers::NONE,
                }),
                Event::Mouse(MouseEvent {
                    kind: MouseEventKind::Up(MouseButton::Left),
                    column: 11,
                    row: 4,
                    modifiers: KeyModifiers::NONE,
                }),
            ]
        );
    }

    #[test]
    fn alt_bracket_becomes_a_key_once_the_wait_runs_out() {
        let start = t0();
        let mut d = Decoder::new();
        assert!(
            d.feed(b"\x1b[", start).is_empty(),
            "could still be a sequence"
        );
        assert_eq!(d.deadline(), Some(start + ESC_WAIT));
        assert!(d.flush(start + ESC_WAIT / 2).is_empty(), "not yet");
        assert_eq!(
            d.flush(start + ESC_WAIT),
            vec![k(KeyCode::Char('['), KeyModifiers::ALT)]
        );
        assert!(d.is_idle());
        // The next keys are read, not swallowed: a letter at once, a digit
        // once it cannot be the rest of a sequence.
        assert_eq!(d.feed(b"a", start + ESC_WAIT * 2), vec![ch('a')]);
        let after = start + ESC_WAIT + ORPHAN_WINDOW + ESC_WAIT;
        assert_eq!(d.feed(b"1", after), vec![ch('1')]);
    }

    /// A click whose bytes came in two pieces, the second after the Esc
    /// was already read alone (a busy machine, a slow link): no digit of it
    /// is typed.
    #[test]
    fn a_click_split_after_its_escape_types_nothing() {
        let start = t0();
        let mut d = Decoder::new();
        assert!(d.feed(b"\x1b", start).is_empty());
        let esc = d.flush(start + ESC_WAIT);
        assert_eq!(esc, vec![k(KeyCode::Esc, KeyModifiers::NONE)]);
        let later = start + ESC_WAIT * 3;
        assert!(
            d.feed(b"[<0;12;9M\x1b[<0;12;9m", later).len() == 1,
            "only the release"
        );
        assert!(d.is_idle());
        // Long after, `[` is a key again.
        let much_later = later + ORPHAN_WINDOW * 2;
        assert_eq!(d.feed(b"[", much_later), vec![ch('[')]);
    }

    /// A click split in the middle of its numbers, the rest 300 ms later:
    /// still one click, never the digits.
    #[test]
    fn a_click_split_in_its_numbers_is_still_one_click() {
        let start = t0();
        let mut d = Decoder::new();
        assert!(d.feed(b"\x1b[<0;1", start).is_empty());
        assert!(d.flush(start + Duration::from_millis(300)).is_empty());
        let got = d.feed(b"2;9M", start + Duration::from_millis(300));
        assert_eq!(
            got,
            vec![Event::Mouse(MouseEvent {
                kind: MouseEventKind::Down(MouseButton::Left),
                column: 11,
                row: 8,
                modifiers: KeyModifiers::NONE,
            })]
        );
        // An unfinished one is dropped whole once its wait runs out.
        assert!(d.feed(b"\x1b[<0;12", start).is_empty());
        assert!(d.flush(start + SEQUENCE_WAIT * 2).is_empty());
        assert!(d.is_idle());
    }

    /// A click cut in two anywhere, the second piece up to a second later:
    /// never a typed character (at most the Esc or Alt+[ it began with,
    /// when the cut comes right after them).
    #[test]
    fn a_click_cut_anywhere_types_no_character() {
        let bytes = b"\x1b[<0;30;8M\x1b[<0;30;8m";
        for cut in 1..bytes.len() {
            for gap in [0, 60, 150, 400, 900] {
                let start = t0();
                let mut d = Decoder::new();
                let mut out = d.feed(&bytes[..cut], start);
                let later = start + Duration::from_millis(gap);
                out.extend(d.flush(later));
                out.extend(d.feed(&bytes[cut..], later));
                out.extend(d.flush(later + Duration::from_secs(5)));
                let typed: Vec<&Event> = out
                    .iter()
                    .filter(|e| match e {
                        Event::Key(k) => {
                            k.code != KeyCode::Esc && !k.modifiers.contains(KeyModifiers::ALT)
                        }
                        _ => false,
                    })
                    .collect();
                assert!(typed.is_empty(), "cut {cut}, gap {gap} ms: {typed:?}");
                assert!(d.is_idle());
            }
        }
    }

    #[test]
    fn a_lone_escape_is_the_esc_key_after_the_wait() {
        let start = t0();
        let mut d = Decoder::new();
        assert!(d.feed(b"\x1b", start).is_empty());
        assert_eq!(
            d.flush(start + ESC_WAIT),
            vec![k(KeyCode::Esc, KeyModifiers::NONE)]
        );
    }

    #[test]
    fn a_paste_that_never_ends_is_taken_as_it_stands() {
        let start = t0();
        let mut d = Decoder::new();
        assert!(d.feed(b"\x1b[200~hello", start).is_empty());
        assert_eq!(d.deadline(), Some(start + PASTE_WAIT));
        assert_eq!(
            d.flush(start + PASTE_WAIT),
            vec![Event::Paste("hello".into())]
        );
        assert_eq!(d.feed(b"x", start + PASTE_WAIT), vec![ch('x')]);
    }

    #[test]
    fn a_paste_split_across_reads_and_its_end_marker_split_too() {
        let start = t0();
        let mut d = Decoder::new();
        assert!(d.feed(b"\x1b[200~one\rtw", start).is_empty());
        assert!(d.feed(b"o\x1b[20", start).is_empty());
        assert_eq!(
            d.feed(b"1~q", start),
            vec![Event::Paste("one\rtwo".into()), ch('q')]
        );
    }

    #[test]
    fn a_huge_paste_is_capped() {
        let mut bytes = b"\x1b[200~".to_vec();
        bytes.extend(std::iter::repeat_n(b'a', MAX_PASTE * 2));
        bytes.extend_from_slice(PASTE_END);
        match &read_all(&bytes)[..] {
            [Event::Paste(p)] => assert_eq!(p.len(), MAX_PASTE),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn endless_parameters_are_dropped_not_hoarded() {
        let mut bytes = b"\x1b[".to_vec();
        bytes.extend(std::iter::repeat_n(b'1', 10_000));
        let start = t0();
        let mut d = Decoder::new();
        d.feed(&bytes, start);
        assert!(d.pending.len() < MAX_SEQUENCE * 2, "{}", d.pending.len());
    }

    #[test]
    fn cursor_reports_and_device_replies_are_not_keys() {
        assert!(read_all(b"\x1b[12;40R\x1b[?1;2c").is_empty());
    }

    proptest::proptest! {
        /// Whatever arrives, in whatever pieces: no panic, and once the
        /// waits have run out nothing is held back.
        #[test]
        fn any_bytes_in_any_pieces_leave_nothing_waiting(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400),
            cuts in proptest::collection::vec(0usize..400, 0..8),
        ) {
            let start = t0();
            let mut d = Decoder::new();
            let mut cuts = cuts;
            cuts.push(bytes.len());
            cuts.sort_unstable();
            let mut from = 0;
            for c in cuts {
                let c = c.min(bytes.len());
                if c > from {
                    d.feed(&bytes[from..c], start);
                    from = c;
                }
            }
            let mut now = start;
            for _ in 0..(bytes.len() + 2) {
                now += PASTE_WAIT;
                d.flush(now);
                if d.is_idle() { break; }
            }
            proptest::prop_assert!(d.is_idle());
            proptest::prop_assert_eq!(d.deadline().filter(|_| !d.pending.is_empty()), None);
        }
    }
}
