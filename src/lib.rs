//! joy-kiosk: wellbeing check-ins, trends and team joy-in-work reflections
//! for NHS staff, as a terminal app. The library holds everything; the `joy`
//! binary only parses arguments and calls in.

pub mod anonymity;
pub mod app;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod config;
pub mod data_commands;
pub mod daylio;
pub mod demo;
pub mod fhir;
pub mod files;
pub mod huddle;
pub mod huddle_commands;
pub mod huddle_export;
pub mod keymap;
pub mod kiosk;
pub mod kiosk_commands;
pub mod model;
pub mod outbox;
pub mod period;
pub mod questionnaire;
pub mod reflection_gen;
pub mod release;
pub mod reminders;
pub mod server_commands;
pub mod store;
pub mod team_view;
pub mod text;
pub mod trends;
pub mod trust;
pub mod ui;
pub mod ward;
