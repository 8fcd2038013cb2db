//! What an item cost, as a handler reports it through the control channel:
//! `{"cost": {"usd": 0.02, "sms": 1, "tokens": 1830}}` in the control file or the
//! `Pipectl-Control` header, alone or beside a verb (`{"cost": {…}, "defer": "1h"}`).

use serde_json::{Map, Value};

use crate::config::{MICRO, valid_unit};

/// Amounts per unit, in millionths (so money adds up exactly); empty: it cost nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cost(pub Vec<(String, u64)>);

impl Cost {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The most one unit of one item may cost (a cap on what a handler can report).
const MAX_AMOUNT: f64 = 1.0e9;

/// Splits a control into its cost and the rest (the verb, if any, as text for
/// `parse_control`). A control that is not a JSON object has no cost. A cost that is not an
/// object of units to non-negative numbers is an error, never ignored.
pub fn split(text: &str) -> Result<(String, Cost), String> {
    let trimmed = text.trim();
    if !trimmed.starts_with('{') {
        return Ok((text.to_owned(), Cost::default()));
    }
    let Ok(mut map) = serde_json::from_str::<Map<String, Value>>(trimmed) else {
        // Not an object: parse_control says what is wrong with it.
        return Ok((text.to_owned(), Cost::default()));
    };
    let Some(cost) = map.remove("cost") else {
        return Ok((text.to_owned(), Cost::default()));
    };
    let rest = if map.is_empty() {
        String::new()
    } else {
        Value::Object(map).to_string()
    };
    Ok((rest, parse(&cost)?))
}

/// `--cost '{"usd": 0.02, "sms": 1}'` of `ack`/`nack`: the same object a control carries.
pub fn from_arg(text: &str) -> Result<Cost, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        format!("--cost is not JSON ({e}); give an object of units, e.g. '{{\"usd\": 0.02, \"sms\": 1}}'")
    })?;
    parse(&value).map_err(|e| e.replacen("the control's cost", "--cost", 1))
}

/// The `cost` argument of an MCP tool that settles a lease, checked like a control's.
pub fn from_tool(cost: Option<Map<String, Value>>) -> Result<Cost, String> {
    from_json(cost).map_err(|e| e.replacen("the control's cost", "cost", 1))
}

/// A stream handler's `cost` object (None: it cost nothing), checked like a control's.
pub fn from_json(cost: Option<Map<String, Value>>) -> Result<Cost, String> {
    match cost {
        Some(units) => parse(&Value::Object(units)),
        None => Ok(Cost::default()),
    }
}

fn parse(cost: &Value) -> Result<Cost, String> {
    let form = "report a cost as {\"cost\": {\"usd\": 0.02, \"sms\": 1}}";
    let Value::Object(units) = cost else {
        return Err(format!("the control's cost is not an object ({form})"));
    };
    let mut out = Vec::new();
    for (unit, amount) in units {
        if !valid_unit(unit) {
            return Err(format!(
                "the control's cost names '{}', not a unit (lowercase letters, digits and '_', at most 32)",
                crate::output::truncate(unit, 40)
            ));
        }
        let Some(n) = amount.as_f64().filter(|n| (0.0..=MAX_AMOUNT).contains(n)) else {
            return Err(format!(
                "the control's cost of {unit} is {}, not a number from 0 to {MAX_AMOUNT} ({form})",
                crate::output::truncate(&amount.to_string(), 40)
            ));
        };
        let micro = (n * MICRO).round() as u64;
        if micro > 0 {
            out.push((unit.clone(), micro));
        }
    }
    Ok(Cost(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn costs_beside_verbs() {
        let (rest, cost) = split(r#"{"cost": {"usd": 0.02, "sms": 1, "tokens": 1830}}"#).unwrap();
        assert_eq!(rest, "");
        assert_eq!(
            cost.0,
            vec![
                ("usd".to_owned(), 20_000),
                ("sms".to_owned(), 1_000_000),
                ("tokens".to_owned(), 1_830_000_000)
            ]
        );
        let (rest, cost) = split(r#"{"defer": "1h", "cost": {"sms": 0}}"#).unwrap();
        assert_eq!(rest, r#"{"defer":"1h"}"#);
        assert!(cost.is_empty());
        assert_eq!(split("drop").unwrap().0, "drop");
        for bad in [
            r#"{"cost": 3}"#,
            r#"{"cost": {"usd": -1}}"#,
            r#"{"cost": {"USD": 1}}"#,
            r#"{"cost": {"usd": "1"}}"#,
            r#"{"cost": {"usd": 1e300}}"#,
        ] {
            assert!(split(bad).is_err(), "{bad}");
        }
    }
}
