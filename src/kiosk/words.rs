//! Placeholder (replaced by the k1 branch).
pub fn normalize_code(s: &str) -> Option<String> {
    let t = s.trim().to_lowercase().replace([' ', '_'], "-");
    (!t.is_empty() && t.len() <= 40 && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .then_some(t)
}
