//! Payment methods on file: brand, last 4 digits and expiry. The card itself
//! lives in the external billing portal; anything that looks like a full
//! card number is refused, so it never reaches the database or the log.

use crate::store::sql::params;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::authz::{authorize, permit, Actor, Operation};
use crate::error::{Error, FieldErrors, Result};
use crate::audit::{self, Entry};
use crate::validate::without_nul;
use crate::Desk;

pub const BRANDS: [&str; 6] = ["Visa", "Mastercard", "American Express", "Discover", "Diners Club", "JCB"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct PaymentMethod {
    pub id: i64,
    pub brand: String,
    pub last4: String,
    pub exp_month: u32,
    pub exp_year: i32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct NewPaymentMethod {
    pub brand: String,
    pub last4: String,
    pub exp_month: u32,
    pub exp_year: i32,
}

/// Six or more digits in a row (ignoring spaces and dashes between them):
/// more of a card than its last four.
fn looks_like_card_number(value: &str) -> bool {
    let mut run = 0;
    for c in value.chars() {
        if c.is_ascii_digit() {
            run += 1;
            if run >= 6 {
                return true;
            }
        } else if c != ' ' && c != '-' {
            run = 0;
        }
    }
    false
}

const CARD_NUMBER: &str = "Enter only the last 4 digits: a full card number is never stored.";

fn check(input: &NewPaymentMethod, this_year: i32) -> Result<()> {
    let mut errors = FieldErrors::new();
    errors.check("brand", without_nul(&input.brand, "Brand"));
    errors.check("last4", without_nul(&input.last4, "Last 4 digits"));
    if looks_like_card_number(&input.brand) {
        errors.add("brand", CARD_NUMBER);
    } else if !BRANDS.contains(&input.brand.as_str()) {
        errors.add("brand", "Choose a card brand from the list.");
    }
    let last4 = input.last4.trim();
    if looks_like_card_number(last4) {
        errors.add("last4", CARD_NUMBER);
    } else if last4.len() != 4 || !last4.chars().all(|c| c.is_ascii_digit()) {
        errors.add("last4", "Enter the last 4 digits of the card.");
    }
    if !(1..=12).contains(&input.exp_month) {
        errors.add("exp_month", "Enter a month from 1 to 12.");
    }
    if !(this_year..=this_year + 20).contains(&input.exp_year) {
        errors.add("exp_year", format!("Enter a year from {this_year} to {}.", this_year + 20));
    }
    errors.into_result()
}

fn audit_value(m: &PaymentMethod) -> serde_json::Value {
    serde_json::json!({ "brand": m.brand, "last4": m.last4, "expiry": format!("{:02}/{}", m.exp_month, m.exp_year) })
}

pub(crate) fn list(tx: &crate::store::sql::Tx, tenant_id: i64) -> Result<Vec<PaymentMethod>> {
    let mut stmt = tx.prepare_cached(
        "SELECT id, brand, last4, exp_month, exp_year FROM payment_methods WHERE tenant_id = ?1 ORDER BY id",
    )?;
    let rows = stmt
        .query_map([tenant_id], |r| {
            Ok(PaymentMethod { id: r.get(0)?, brand: r.get(1)?, last4: r.get(2)?, exp_month: r.get(3)?, exp_year: r.get(4)? })
        })?
        .collect::<crate::store::sql::Result<Vec<_>>>()?;
    Ok(rows)
}

impl Desk {
    pub fn add_payment_method(&self, actor: &Actor, input: &NewPaymentMethod) -> Result<PaymentMethod> {
        authorize(actor, Operation::ManageBilling)?;
        let now = self.now_millis();
        let this_year = chrono::Datelike::year(&crate::clock::from_millis(now));
        check(input, this_year)?;
        let last4 = input.last4.trim().to_owned();
        self.db.write(|tx| {
            let permit = permit(tx, actor, Operation::ManageBilling)?;
            let tenant_id = permit.tenant()?;
            tx.execute(
                "INSERT INTO payment_methods (tenant_id, brand, last4, exp_month, exp_year, added_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![tenant_id, input.brand, last4, input.exp_month, input.exp_year, now],
            )?;
            let method = PaymentMethod {
                id: tx.last_insert_rowid()?,
                brand: input.brand.clone(),
                last4: last4.clone(),
                exp_month: input.exp_month,
                exp_year: input.exp_year,
            };
            audit::record(
                tx,
                Entry::tenant_change(permit.account_id(), now, tenant_id, "billing.payment_method_add", None, Some(audit_value(&method))),
            )?;
            Ok(method)
        })
    }

    pub fn remove_payment_method(&self, actor: &Actor, id: i64) -> Result<()> {
        authorize(actor, Operation::ManageBilling)?;
        let now = self.now_millis();
        self.db.write(|tx| {
            let permit = permit(tx, actor, Operation::ManageBilling)?;
            let tenant_id = permit.tenant()?;
            let before = list(tx, tenant_id)?.into_iter().find(|m| m.id == id).ok_or_else(|| {
                Error::new(crate::ErrorCode::NotFound, "This payment method no longer exists.")
            })?;
            tx.execute("DELETE FROM payment_methods WHERE id = ?1 AND tenant_id = ?2", params![id, tenant_id])?;
            audit::record(
                tx,
                Entry::tenant_change(permit.account_id(), now, tenant_id, "billing.payment_method_remove", Some(audit_value(&before)), None),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::looks_like_card_number;

    #[test]
    fn card_numbers_are_recognised_in_any_spacing() {
        assert!(looks_like_card_number("4242424242424242"));
        assert!(looks_like_card_number("4242 4242 4242 4242"));
        assert!(looks_like_card_number("4242-4242-4242-4242"));
        assert!(!looks_like_card_number("4242"));
        assert!(!looks_like_card_number("Visa"));
    }
}
