//! What a valid conversation and message are. Fields are named as the tenant
//! API names them, so its errors point at the field sent.

use super::{NewMessage, NewConversation};
use crate::error::{FieldErrors, Result};
use crate::validate::required_text;

pub const CHANNEL_MAX: usize = 40;
pub const CUSTOMER_MAX: usize = 200;
/// A message longer than this is refused, not cut: nothing is silently lost.
pub const TEXT_MAX: usize = 4000;
/// Messages sent with a new conversation; more go through "append message".
pub const MESSAGES_MAX: usize = 100;

pub(crate) fn check_message(errors: &mut FieldErrors, field: &str, message: &NewMessage) {
    errors.check(field, required_text(message.text.trim(), "Text", TEXT_MAX));
}

pub(crate) fn check_conversation(conversation: &NewConversation) -> Result<()> {
    let mut errors = FieldErrors::new();
    errors.check("channel", required_text(conversation.channel.trim(), "Channel", CHANNEL_MAX));
    errors.check("customer", required_text(conversation.customer.trim(), "Customer", CUSTOMER_MAX));
    if conversation.messages.len() > MESSAGES_MAX {
        errors.add("messages", format!("At most {MESSAGES_MAX} messages can start a conversation."));
    }
    for (i, message) in conversation.messages.iter().enumerate() {
        check_message(&mut errors, &format!("messages[{i}].text"), message);
    }
    errors.into_result()
}

pub(crate) fn check_new_message(message: &NewMessage) -> Result<()> {
    let mut errors = FieldErrors::new();
    check_message(&mut errors, "text", message);
    errors.into_result()
}
