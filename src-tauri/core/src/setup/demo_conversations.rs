//! The demo tenant's conversations: about 90 days of customer conversations
//! across channels and operators, so Sessions and Analytics have something
//! to show at once. Generated from a fixed seed (the same demo every time),
//! in the tenant's local hours: busier on weekdays, a slow upward trend,
//! weekday conversations with the weekday operator, weekend ones with the
//! weekend operator, a few with the administrator, some customers coming
//! back the next day, and the last days' conversations partly still open
//! (some waiting for an operator).

use chrono::{Datelike, Duration, Weekday};
use chrono_tz::Tz;
use crate::store::sql::Tx;

use crate::audit::day_start;
use crate::billing::period_days;
use crate::billing::Span;
use crate::error::Result;
use crate::conversations::{insert_imported, Author, ImportedMessage, ImportedConversation, ConversationStatus};

/// How far back the demo conversations go.
pub(crate) const DEMO_DAYS: i64 = 90;

/// Who handles the demo conversations.
pub(crate) struct Handlers {
    pub weekdays: Option<i64>,
    pub weekends: Option<i64>,
    pub admin: i64,
}

const CHANNELS: [(&str, u64); 4] = [("web", 45), ("email", 25), ("whatsapp", 20), ("messenger", 10)];

const CUSTOMERS: [&str; 16] = [
    "Jane Doe", "Marco Rossi", "Aiko Tanaka", "Liam O'Brien", "Fatima Zahra", "Lukas Schmidt", "Sofia García",
    "Noah Williams", "Chloé Martin", "Arjun Mehta", "Olga Petrova", "Ethan Brown", "Mia Jensen", "Kwame Mensah",
    "Isabella Costa", "Hiro Yamamoto",
];

const QUESTIONS: [&str; 10] = [
    "Where is my order? It was due yesterday.",
    "I was charged twice for my subscription this month.",
    "How do I reset my password? The link does not arrive.",
    "Can I change the delivery address of order 48213?",
    "The app crashes when I open my invoices.",
    "I would like a refund for the damaged item.",
    "Do you ship to Norway?",
    "My discount code is not accepted at checkout.",
    "How can I cancel my plan?",
    "The package arrived but one item is missing.",
];

const AI_REPLIES: [&str; 3] = [
    "Thanks for reaching out! I'm looking into this and an agent will join shortly.",
    "I found your account. A member of our team will take over in a moment.",
    "Thank you, I have passed your request on to our support team.",
];

const OPERATOR_REPLIES: [&str; 8] = [
    "Hello, thanks for waiting. Let me check that for you.",
    "I can see the issue on our side and have fixed it.",
    "I've issued the refund; it will show within 3–5 business days.",
    "Could you send me the order number, please?",
    "The courier confirms delivery tomorrow before noon.",
    "I've updated the address; you'll get a confirmation email.",
    "That code expired last week, but I've applied the discount manually.",
    "Is there anything else I can help you with?",
];

const FOLLOW_UPS: [&str; 5] = [
    "Here it is: 48213.",
    "Great, thank you!",
    "Thanks, that was quick.",
    "Perfect, that solves it.",
    "OK, I'll wait for the email.",
];

/// SplitMix64: a small, fixed-seed generator (the demo needs variety, not secrecy).
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let i = usize::try_from(self.below(items.len() as u64)).unwrap_or(0);
        &items[i.min(items.len() - 1)]
    }

    fn minutes(&mut self, from: u64, to: u64) -> i64 {
        i64::try_from((from + self.below(to - from + 1)) * 60_000).unwrap_or(0)
    }
}

fn channel(dice: &mut Dice) -> &'static str {
    let mut roll = dice.below(100);
    for (name, weight) in CHANNELS {
        if roll < weight {
            return name;
        }
        roll -= weight;
    }
    CHANNELS[0].0
}

/// One conversation started at `start`; `recent` ones may still be open.
fn conversation(dice: &mut Dice, start: i64, operator: Option<i64>, recent: bool, now: i64) -> ImportedConversation {
    let mut messages = vec![ImportedMessage { author: Author::Customer, text: (*dice.pick(&QUESTIONS)).into(), at: start }];
    let mut at = start;
    if dice.below(100) < 60 {
        at += i64::try_from(5_000 + dice.below(25_000)).unwrap_or(0);
        messages.push(ImportedMessage { author: Author::AiAgent, text: (*dice.pick(&AI_REPLIES)).into(), at });
    }
    if operator.is_some() {
        // First responses: mostly minutes, sometimes an hour or more.
        at += if dice.below(100) < 80 { dice.minutes(1, 25) } else { dice.minutes(30, 240) };
        messages.push(ImportedMessage { author: Author::Operator, text: (*dice.pick(&OPERATOR_REPLIES)).into(), at });
        for _ in 0..dice.below(3) {
            // Now and then the customer comes back the next day (a second billable session).
            at += if dice.below(100) < 8 { dice.minutes(25 * 60, 34 * 60) } else { dice.minutes(2, 40) };
            messages.push(ImportedMessage { author: Author::Customer, text: (*dice.pick(&FOLLOW_UPS)).into(), at });
            at += dice.minutes(1, 30);
            messages.push(ImportedMessage { author: Author::Operator, text: (*dice.pick(&OPERATOR_REPLIES)).into(), at });
        }
    }
    messages.retain(|m| m.at < now);
    let open = operator.is_none() || (recent && dice.below(100) < 50) || dice.below(100) < 3;
    ImportedConversation {
        channel: channel(dice).into(),
        customer: (*dice.pick(&CUSTOMERS)).into(),
        operator_account_id: operator,
        status: if open { ConversationStatus::Open } else { ConversationStatus::Resolved },
        created_at: start,
        messages,
    }
}

pub(crate) fn insert(tx: &Tx, tenant_id: i64, zone: Tz, now: i64, handlers: &Handlers) -> Result<usize> {
    let mut dice = Dice(0x007e_4a11_de5c_0de5);
    let span = Span { start: now - DEMO_DAYS * 86_400_000, end: now };
    let days = period_days(zone, span);
    let last = days.len();
    let mut count = 0;
    let mut recent_count = 0usize;
    for (i, (date, _)) in days.into_iter().enumerate() {
        let weekend = matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
        // From about 5 a day three months ago to about 9 now, fewer on weekends.
        let base = 5 + (i * 4 / last.max(1)) as u64;
        let n = if weekend { 2 + dice.below(3) } else { base + dice.below(4) };
        let midnight = day_start(zone, date);
        let recent = i + 2 >= last;
        for _ in 0..n {
            let hour = if weekend { 8 + dice.below(12) } else { 8 + dice.below(10) };
            let start = midnight + Duration::hours(i64::try_from(hour).unwrap_or(8)).num_milliseconds() + dice.minutes(0, 59);
            if start >= now {
                continue;
            }
            let on_duty = if weekend { handlers.weekends } else { handlers.weekdays };
            // Of the last days' conversations, every third still waits for an operator.
            let waiting = recent && recent_count.is_multiple_of(3);
            recent_count += usize::from(recent);
            let operator = match dice.below(100) {
                _ if waiting => None,
                0..=11 => Some(handlers.admin),
                _ => on_duty.or(Some(handlers.admin)),
            };
            insert_imported(tx, tenant_id, &conversation(&mut dice, start, operator, recent, now))?;
            count += 1;
        }
    }
    Ok(count)
}
