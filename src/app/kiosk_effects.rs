//! The runner's side of the kiosk: PIN checks, private codes, the admin
//! screen's work and the daily chores, performed against the store.

use super::{Effect, Loaded, State};
use crate::store::Store;
use chrono::{DateTime, Utc};

/// Perform a kiosk effect. `None`: not a kiosk effect; `Some(None)`: done,
/// nothing to report.
pub fn perform(
    _state: &State,
    _store: &mut Store,
    effect: &Effect,
    _now: DateTime<Utc>,
) -> Option<Option<Loaded>> {
    match effect {
        Effect::DailyChores => Some(None),
        Effect::SuggestCode
        | Effect::SignIn { .. }
        | Effect::CreateHolder { .. }
        | Effect::AdminSignIn { .. }
        | Effect::LoadCounts
        | Effect::AdminExport
        | Effect::SetRetention(_) => Some(Some(Loaded::Error("not yet".into()))),
        _ => None,
    }
}
