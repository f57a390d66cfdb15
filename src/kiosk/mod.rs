//! Kiosk logic that needs no terminal (placeholder until the k1 branch merges).
pub mod gate;
pub mod pin;
pub mod words;
