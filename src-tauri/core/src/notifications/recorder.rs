use std::sync::Mutex;

use super::{Availability, DesktopNotifier, Notice};
use crate::error::{Error, ErrorCode, Result};

/// A notifier that keeps what it was asked to show, for tests and for tools
/// that open the store without a desktop.
#[derive(Default)]
pub struct Recorder {
    shown: Mutex<Vec<Notice>>,
    unavailable: Option<String>,
}

impl Recorder {
    pub fn new() -> Self {
        Self::default()
    }

    /// A desktop without a notification service.
    pub fn unavailable(reason: &str) -> Self {
        Self { shown: Mutex::default(), unavailable: Some(reason.to_owned()) }
    }

    /// Every notice shown so far, oldest first.
    pub fn shown(&self) -> Vec<Notice> {
        self.shown.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

impl DesktopNotifier for Recorder {
    fn availability(&self) -> Availability {
        match &self.unavailable {
            Some(reason) => Availability::Unavailable(reason.clone()),
            None => Availability::Available,
        }
    }

    fn show(&self, _account_id: i64, notice: &Notice) -> Result<()> {
        if let Some(reason) = &self.unavailable {
            return Err(Error::new(ErrorCode::Desktop, reason.clone()));
        }
        if let Ok(mut shown) = self.shown.lock() {
            shown.push(notice.clone());
        }
        Ok(())
    }
}
