//! Whether a store can take writes at all, asked before a kiosk opens its
//! doors: a station that cannot save must say so before anybody answers.

use super::{Store, StoreError};

impl Store {
    /// Why a write would be refused right now (a damaged database, or one
    /// opened read-only or on read-only media), as the error a save would
    /// return; None when writes can be tried. A full disk is only found
    /// by writing, and then the save itself fails and says so. `what` names
    /// the write in the message ("saving a check-in").
    pub fn write_refusal(&self, what: &'static str) -> Option<StoreError> {
        if let Some(detail) = &self.damaged {
            return Some(self.damaged_error(detail.clone()));
        }
        let read_only = self.read_only || self.conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false);
        read_only.then(|| StoreError::ReadOnly {
            path: self.path.clone(),
            what,
        })
    }
}
