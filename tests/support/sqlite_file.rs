//! Reading a SQLite database the way an attacker with a copy of the file
//! would: the raw bytes of the database and its write-ahead log, no SQLite.
//! Enough of the file format (https://www.sqlite.org/fileformat2.html) to
//! walk a b-tree and list, page by page, where each cell sits and its key.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::Path;

/// The database as a reader of its files sees it: the main file's pages
/// with the newest committed copy of each page from the WAL laid over them.
pub struct Image {
    pub page_size: usize,
    pub pages: HashMap<u32, Vec<u8>>,
    /// Frames in the WAL file (committed or not, current or stale).
    pub wal_frames: usize,
    /// Bytes of the WAL file (0 when it is absent).
    pub wal_bytes: u64,
}

/// One cell of a leaf page: where its content starts in the page and the
/// first value of its key (the rowid, or an index's first column).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cell {
    pub offset: u16,
    pub key: i64,
}

fn be16(b: &[u8], at: usize) -> usize {
    u16::from_be_bytes([b[at], b[at + 1]]) as usize
}

fn be32(b: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// A SQLite varint at `at`: its value and length.
pub fn varint(b: &[u8], at: usize) -> (i64, usize) {
    let mut v: u64 = 0;
    for i in 0..8 {
        let byte = b[at + i];
        v = (v << 7) | u64::from(byte & 0x7f);
        if byte & 0x80 == 0 {
            return (v as i64, i + 1);
        }
    }
    v = (v << 8) | u64::from(b[at + 8]);
    (v as i64, 9)
}

/// The first value of a record (an integer key), or None if it is not an
/// integer.
fn first_integer(b: &[u8], at: usize) -> Option<i64> {
    let (header_len, n) = varint(b, at);
    let (serial, _) = varint(b, at + n);
    let body = at + header_len as usize;
    let width = match serial {
        1 => 1,
        2 => 2,
        3 => 3,
        4 => 4,
        5 => 6,
        6 => 8,
        8 => return Some(0),
        9 => return Some(1),
        _ => return None,
    };
    let mut v: i64 = if b[body] & 0x80 != 0 { -1 } else { 0 };
    for i in 0..width {
        v = (v << 8) | i64::from(b[body + i]);
    }
    Some(v)
}

impl Image {
    /// Read `db` and, if present, `db-wal`.
    pub fn read(db: &Path) -> Image {
        let main = std::fs::read(db).expect("read the database file");
        let mut page_size = be16(&main, 16);
        if page_size == 1 {
            page_size = 65536;
        }
        let mut pages = HashMap::new();
        for (i, chunk) in main.chunks(page_size).enumerate() {
            pages.insert(i as u32 + 1, chunk.to_vec());
        }
        let wal_path =
            db.with_file_name(format!("{}-wal", db.file_name().unwrap().to_string_lossy()));
        let wal = std::fs::read(&wal_path).unwrap_or_default();
        let mut wal_frames = 0;
        if wal.len() >= 32 {
            let salts = &wal[16..24];
            let frame = 24 + page_size;
            let mut pending = Vec::new();
            let mut at = 32;
            while at + frame <= wal.len() {
                wal_frames += 1;
                let head = &wal[at..at + 24];
                if &head[8..16] == salts {
                    pending.push((be32(head, 0), wal[at + 24..at + frame].to_vec()));
                    if be32(head, 4) != 0 {
                        // A commit frame: everything up to here is in force.
                        for (n, p) in pending.drain(..) {
                            pages.insert(n, p);
                        }
                    }
                }
                at += frame;
            }
        }
        Image {
            page_size,
            pages,
            wal_frames,
            wal_bytes: wal.len() as u64,
        }
    }

    /// The number of pages on the freelist (header offset 36).
    pub fn freelist_pages(&self) -> u32 {
        be32(&self.pages[&1], 36)
    }

    /// The leaf pages of the b-tree rooted at `root`, each with its cells
    /// in the order of the cell pointer array (key order).
    pub fn leaves(&self, root: u32) -> Vec<(u32, Vec<Cell>)> {
        let mut out = Vec::new();
        self.walk(root, &mut out);
        out
    }

    fn walk(&self, page: u32, out: &mut Vec<(u32, Vec<Cell>)>) {
        let b = &self.pages[&page];
        let h = if page == 1 { 100 } else { 0 };
        let kind = b[h];
        let cells = be16(b, h + 3);
        let interior = kind == 2 || kind == 5;
        let array = h + if interior { 12 } else { 8 };
        let pointers: Vec<usize> = (0..cells).map(|i| be16(b, array + 2 * i)).collect();
        match kind {
            2 | 5 => {
                for p in &pointers {
                    self.walk(be32(b, *p), out);
                }
                self.walk(be32(b, h + 8), out);
            }
            13 => {
                let list = pointers
                    .iter()
                    .map(|&p| {
                        let (_, n) = varint(b, p);
                        let (rowid, _) = varint(b, p + n);
                        Cell {
                            offset: p as u16,
                            key: rowid,
                        }
                    })
                    .collect();
                out.push((page, list));
            }
            10 => {
                let list = pointers
                    .iter()
                    .map(|&p| {
                        let (_, n) = varint(b, p);
                        Cell {
                            offset: p as u16,
                            key: first_integer(b, p + n).unwrap_or(i64::MIN),
                        }
                    })
                    .collect();
                out.push((page, list));
            }
            other => panic!("page {page} is not a b-tree page (type {other})"),
        }
    }
}

/// The keys of one leaf page in the order their cells were written, as an
/// attacker reads it: SQLite fills a page's content area from its end, so
/// the cell with the highest offset was written first.
pub fn write_order(cells: &[Cell]) -> Vec<i64> {
    let mut c = cells.to_vec();
    c.sort_by_key(|c| std::cmp::Reverse(c.offset));
    c.into_iter().map(|c| c.key).collect()
}

/// Whether the cells' positions in the page follow their keys (in either
/// direction), so the layout tells nothing the keys do not.
pub fn layout_follows_keys(cells: &[Cell]) -> bool {
    let order = write_order(cells);
    let mut up = order.clone();
    up.sort();
    let mut down = up.clone();
    down.reverse();
    // Equal keys (several rows of one entry) may sit in any order.
    let dedup = |v: &[i64]| {
        let mut d = v.to_vec();
        d.dedup();
        d
    };
    dedup(&order) == dedup(&up) || dedup(&order) == dedup(&down)
}

/// Spearman's rank correlation of two orders of the same items.
pub fn spearman(a: &[i64], b: &[i64]) -> f64 {
    let n = a.len() as f64;
    let rank_b: HashMap<i64, usize> = b.iter().enumerate().map(|(i, k)| (*k, i)).collect();
    let d2: f64 = a
        .iter()
        .enumerate()
        .map(|(i, k)| {
            let d = i as f64 - rank_b[k] as f64;
            d * d
        })
        .sum();
    1.0 - 6.0 * d2 / (n * (n * n - 1.0))
}
