//! Compatible changes: a newer reader accepts older documents, an older reader ignores newer fields.

use serde::Deserialize;

// ANCHOR: versions
/// An order as version 1 of the API defined it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct OrderV1 {
    /// The product.
    pub item: String,
}

/// Version 2 added a quantity; documents from version 1 clients have none, and get 1.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct OrderV2 {
    /// The product.
    pub item: String,
    /// How many; 1 when the sender did not say.
    #[serde(default = "one")]
    pub quantity: u32,
}

fn one() -> u32 {
    1
}
// ANCHOR_END: versions

/// Reads an order as a version 1 reader does: fields it does not know are ignored (serde's
/// default; `#[serde(deny_unknown_fields)]` would make every added field a breaking change).
///
/// ```
/// use sysdesign::api_design::read_v1;
/// assert_eq!(read_v1(r#"{"item": "book", "quantity": 3}"#).unwrap().item, "book");
/// ```
pub fn read_v1(json: &str) -> Result<OrderV1, serde_json::Error> {
    serde_json::from_str(json)
}

/// Reads an order as a version 2 reader does: a missing `quantity` takes its default.
///
/// ```
/// use sysdesign::api_design::read_v2;
/// assert_eq!(read_v2(r#"{"item": "book"}"#).unwrap().quantity, 1);
/// ```
pub fn read_v2(json: &str) -> Result<OrderV2, serde_json::Error> {
    serde_json::from_str(json)
}
