//! Personal codes that are easy to remember: two or three short, plain
//! words and two digits, e.g. `maple-otter-42`. A code is always suggested
//! by the kiosk, never chosen freely, so creating one can silently retry on
//! a collision and never reveals that another code exists.
//!
//! Entropy: the list has 256 words (one random byte picks one, without
//! bias), so two words and two digits give 256^2 * 100 = 6,553,600 codes
//! (about 22.6 bits), three words 256^3 * 100 = 1,677,721,600 (about 30.6
//! bits). The code is a name, not the secret: the PIN (with its lockout)
//! protects the history; the code only has to be hard to hit by chance.

/// The most characters a code may have once normalized.
pub const MAX_CODE_LEN: usize = 32;

/// 256 short (3 to 7 letters), plain, concrete words without common
/// homophones or spelling variants (no "bear", "grey", "harbour").
pub const WORDS: [&str; 256] = [
    "otter", "badger", "beaver", "bison", "camel", "crane", "eagle", "falcon", "ferret", "finch",
    "heron", "koala", "lion", "llama", "magpie", "newt", "owl", "panda", "parrot", "pony",
    "puffin", "rabbit", "raven", "robin", "salmon", "seal", "sloth", "snail", "stork", "swan",
    "tiger", "toad", "trout", "turtle", "walrus", "wren", "zebra", "yak", "lamb", "goat", "duck",
    "goose", "hen", "moth", "crab", "squid", "clam", "dolphin", "penguin", "kitten", "puppy",
    "donkey", "pigeon", "sparrow", "maple", "oak", "birch", "cedar", "elm", "hazel", "holly",
    "ivy", "lily", "lotus", "moss", "olive", "palm", "pine", "poppy", "tulip", "violet", "willow",
    "daisy", "fern", "clover", "thistle", "heather", "acorn", "aspen", "bamboo", "cactus", "lilac",
    "mint", "basil", "cherry", "plum", "apple", "lemon", "lime", "mango", "melon", "peach",
    "grape", "kiwi", "fig", "banana", "carrot", "potato", "onion", "bean", "kale", "pumpkin",
    "river", "lake", "brook", "creek", "pond", "meadow", "valley", "canyon", "desert", "island",
    "coast", "cliff", "hill", "ridge", "summit", "forest", "grove", "field", "orchard", "garden",
    "marsh", "dune", "cove", "bay", "cave", "rock", "stone", "pebble", "sand", "clay", "flint",
    "amber", "coral", "pearl", "jade", "opal", "ruby", "silver", "copper", "bronze", "iron",
    "cloud", "snow", "frost", "breeze", "storm", "thunder", "sunny", "rainbow", "comet", "planet",
    "moon", "star", "orbit", "dawn", "dusk", "noon", "spring", "summer", "autumn", "winter",
    "green", "yellow", "orange", "purple", "indigo", "golden", "anchor", "arrow", "basket",
    "bottle", "bridge", "brush", "bucket", "button", "candle", "canoe", "castle", "chair", "clock",
    "compass", "cookie", "crayon", "cup", "drum", "feather", "flag", "flute", "fork", "globe",
    "guitar", "hat", "jacket", "kettle", "kite", "ladder", "lamp", "lantern", "map", "marble",
    "mirror", "pencil", "piano", "pillow", "pocket", "puzzle", "quilt", "ribbon", "rocket",
    "scarf", "sock", "spoon", "stamp", "sweater", "table", "teapot", "tent", "ticket", "torch",
    "tower", "trumpet", "tunnel", "violin", "wagon", "wallet", "whistle", "window", "bagel",
    "biscuit", "bread", "butter", "cheese", "muffin", "noodle", "pasta", "toast", "waffle",
    "honey", "jam", "pickle", "sugar", "soup", "salad", "harp", "boat", "bike", "train", "tram",
    "ferry", "sled", "kayak", "raft", "van", "cart",
];

/// A new code of `words` words (2 or 3; other numbers are brought into that
/// range) and two digits, from the operating system's randomness.
pub fn suggest_code(words: usize) -> Result<String, getrandom::Error> {
    let words = words.clamp(2, 3);
    let mut picks = [0u8; 3];
    getrandom::fill(&mut picks[..words])?;
    // Two digits without modulo bias: bytes of 200 and over are drawn again.
    let digits = loop {
        let mut b = [0u8; 1];
        getrandom::fill(&mut b)?;
        if b[0] < 200 {
            break b[0] % 100;
        }
    };
    Ok(code_from(&picks[..words], digits))
}

/// The code for given word picks and a number 0..=99.
fn code_from(picks: &[u8], digits: u8) -> String {
    let mut s: String = picks
        .iter()
        .map(|&i| WORDS[usize::from(i)])
        .collect::<Vec<_>>()
        .join("-");
    s.push_str(&format!("-{:02}", digits % 100));
    s
}

/// A typed code in its stored form: trimmed, lowercased, each run of
/// spaces, underscores and hyphens made one hyphen (none at the ends). None
/// when nothing is left, when anything but letters a-z, digits and those
/// separators was typed, or when longer than [`MAX_CODE_LEN`].
pub fn normalize_code(typed: &str) -> Option<String> {
    let mut out = String::new();
    let mut gap = false;
    for c in typed.trim().chars() {
        let c = c.to_ascii_lowercase();
        match c {
            'a'..='z' | '0'..='9' => {
                if gap && !out.is_empty() {
                    out.push('-');
                }
                gap = false;
                out.push(c);
            }
            ' ' | '_' | '-' => gap = true,
            _ => return None,
        }
        if out.len() > MAX_CODE_LEN {
            return None;
        }
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_256_distinct_short_plain_words() {
        let mut sorted = WORDS.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), 256, "duplicates in WORDS");
        for w in WORDS {
            assert!((3..=7).contains(&w.len()), "{w}");
            assert!(w.bytes().all(|b| b.is_ascii_lowercase()), "{w}");
        }
    }

    #[test]
    fn suggestions_are_words_and_two_digits_in_normal_form() {
        let mut seen = std::collections::HashSet::new();
        for n in [2, 3, 1, 9] {
            for _ in 0..50 {
                let code = suggest_code(n).unwrap();
                let parts: Vec<&str> = code.split('-').collect();
                assert_eq!(parts.len(), n.clamp(2, 3) + 1, "{code}");
                let (digits, words) = parts.split_last().unwrap();
                assert!(words.iter().all(|w| WORDS.contains(w)), "{code}");
                assert!(
                    digits.len() == 2 && digits.bytes().all(|b| b.is_ascii_digit()),
                    "{code}"
                );
                assert_eq!(normalize_code(&code).as_deref(), Some(code.as_str()));
                assert!(code.len() <= MAX_CODE_LEN);
                seen.insert(code);
            }
        }
        // 200 draws from millions of codes: repeats would mean no randomness.
        assert!(seen.len() >= 195, "{}", seen.len());
        assert_eq!(
            code_from(&[0, 255], 7),
            format!("{}-{}-07", WORDS[0], WORDS[255])
        );
    }

    #[test]
    fn typed_codes_are_normalized_or_refused() {
        assert_eq!(
            normalize_code("  Maple Otter 42 ").as_deref(),
            Some("maple-otter-42")
        );
        assert_eq!(
            normalize_code("maple_otter__42").as_deref(),
            Some("maple-otter-42")
        );
        assert_eq!(
            normalize_code("-maple - otter-42-").as_deref(),
            Some("maple-otter-42")
        );
        assert_eq!(
            normalize_code("MAPLE-OTTER-42").as_deref(),
            Some("maple-otter-42")
        );
        assert_eq!(normalize_code(""), None);
        assert_eq!(normalize_code("  - _ "), None);
        assert_eq!(normalize_code("maple!otter"), None);
        assert_eq!(normalize_code("mäple-otter"), None);
        assert_eq!(normalize_code("maple\totter"), None);
        assert_eq!(
            normalize_code(&"a".repeat(MAX_CODE_LEN)).map(|s| s.len()),
            Some(MAX_CODE_LEN)
        );
        assert_eq!(normalize_code(&"a".repeat(MAX_CODE_LEN + 1)), None);
        assert_eq!(normalize_code(&"a ".repeat(100)), None);
    }
}
