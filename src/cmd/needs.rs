//! What a command needs from the book, said once on stderr when no customer has it: an
//! answer computed as if every value were empty must not pass for a real one.

use crate::model::messages::commands::CmdMsg;
use crate::model::{Customer, Field};
use crate::store::Book;

/// The headers a field is known by, for a message: its name and first aliases.
fn known_as(field: Field) -> String {
    let aliases: Vec<&str> = field.aliases().iter().take(3).copied().collect();
    format!("{}, {}, …", field.name(), aliases.join(", "))
}

/// `due`: a last contact, from a column or the log's touches.
pub fn last_contact(book: &Book) {
    if book.customers.is_empty()
        || book.columns.contains(&Field::LastContact)
        || book.customers.iter().any(|c| c.last_contact.is_some())
    {
        return;
    }
    crate::error::warn(CmdMsg::NoLastContact {
        known: &known_as(Field::LastContact),
    });
}

/// `report`: revenue, from a column or the log's orders.
pub fn revenue(book: &Book) {
    if book.customers.is_empty()
        || book.columns.contains(&Field::Revenue)
        || book
            .customers
            .iter()
            .any(|c| c.revenue.is_some() || c.order_total != 0)
    {
        return;
    }
    crate::error::warn(CmdMsg::NoRevenue {
        known: &known_as(Field::Revenue),
    });
}

/// `tier`: a scheme's metric, which `has_value` says a customer has.
pub fn metric(
    scheme: &str,
    metric: &str,
    customers: &[Customer],
    has_value: impl Fn(usize) -> bool,
) {
    if customers.is_empty() || (0..customers.len()).any(has_value) {
        return;
    }
    crate::error::warn(CmdMsg::NoMetric { scheme, metric });
}
