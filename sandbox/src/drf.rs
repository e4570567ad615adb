//! Error bodies in Django REST Framework's style, with its wording where it has one.

use serde_json::{Map, Value, json};

pub(crate) const NOT_FOUND: &str = "Not found.";
pub(crate) const NO_CREDENTIALS: &str = "Authentication credentials were not provided.";
pub(crate) const INVALID_TOKEN: &str = "Invalid token.";
pub(crate) const REQUIRED: &str = "This field is required.";
pub(crate) const NULL: &str = "This field may not be null.";
pub(crate) const BLANK: &str = "This field may not be blank.";
pub(crate) const NOT_A_STRING: &str = "Not a valid string.";
pub(crate) const NOT_A_BOOLEAN: &str = "Must be a valid boolean.";
pub(crate) const EMPTY_FILE: &str = "The submitted file is empty.";
pub(crate) const NO_FILENAME: &str = "No filename could be determined.";
pub(crate) const NOTHING_TO_CREATE: &str = "At least one asset or file is required.";

/// Simple JWT's answer to an expired (or otherwise unusable) token.
pub(crate) fn token_not_valid() -> Value {
    json!({
        "detail": "Given token not valid for any token type",
        "code": "token_not_valid",
    })
}

pub(crate) fn detail(message: impl Into<String>) -> Value {
    json!({ "detail": message.into() })
}

pub(crate) fn max_chars(n: usize) -> String {
    format!("Ensure this field has no more than {n} characters.")
}

pub(crate) fn min_chars(n: usize) -> String {
    format!("Ensure this field has at least {n} characters.")
}

pub(crate) fn max_items(n: usize) -> String {
    format!("Ensure this field has no more than {n} elements.")
}

pub(crate) fn min_items(n: usize) -> String {
    format!("Ensure this field has at least {n} elements.")
}

pub(crate) fn filename_too_long(max: usize, len: usize) -> String {
    format!("Ensure this filename has at most {max} characters (it has {len}).")
}

pub(crate) fn not_a_dict(value: &Value) -> String {
    format!(
        "Invalid data. Expected a dictionary, but got {}.",
        python_type(value)
    )
}

pub(crate) fn not_a_list(value: &Value) -> String {
    format!(
        "Expected a list of items but got type \"{}\".",
        python_type(value)
    )
}

pub(crate) fn invalid_pk(value: &str) -> String {
    format!("Invalid pk \"{value}\" - object does not exist.")
}

pub(crate) fn incorrect_pk_type(value: &Value) -> String {
    format!(
        "Incorrect type. Expected pk value, received {}.",
        python_type(value)
    )
}

pub(crate) fn unsupported_media_type(media_type: &str) -> Value {
    detail(format!(
        "Unsupported media type \"{media_type}\" in request."
    ))
}

pub(crate) fn method_not_allowed(method: &str) -> Value {
    detail(format!("Method \"{method}\" not allowed."))
}

/// The name Python gives the type of a decoded JSON value (DRF's messages use it).
fn python_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "NoneType",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float",
        Value::Number(_) => "int",
        Value::String(_) => "str",
        Value::Array(_) => "list",
        Value::Object(_) => "dict",
    }
}

/// Checks a string against length limits counted in Unicode scalar values.
pub(crate) fn check_len(
    value: &str,
    min: Option<usize>,
    max: Option<usize>,
    out: &mut Vec<String>,
) {
    let len = value.chars().count();
    match min {
        // DRF's wording for an empty string when blanks are not allowed.
        Some(m) if m > 0 && len == 0 => out.push(BLANK.to_owned()),
        Some(m) if len < m => out.push(min_chars(m)),
        _ => {}
    }
    if let Some(m) = max.filter(|&m| len > m) {
        out.push(max_chars(m));
    }
}

/// A 400 body under construction.
#[derive(Debug, Default)]
pub(crate) struct Errors(Map<String, Value>);

impl Errors {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.contains_key(field)
    }

    /// `{"field": ["message", ...]}`
    pub fn field(&mut self, field: &str, message: impl Into<String>) {
        let entry = self
            .0
            .entry(field.to_owned())
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(list) = entry {
            list.push(Value::from(message.into()));
        }
    }

    /// `{"field": {"index": ["message", ...]}}`, how DRF reports a list field's children.
    pub fn child(&mut self, field: &str, index: usize, message: impl Into<String>) {
        let entry = self
            .0
            .entry(field.to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(map) = entry {
            let list = map
                .entry(index.to_string())
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(list) = list {
                list.push(Value::from(message.into()));
            }
        }
    }

    /// `{"field": [{}, {"key": ["message"]}, ...]}` with `len` entries, how DRF reports the
    /// items of a nested list serializer (an empty object for each valid item).
    pub fn item(&mut self, field: &str, len: usize, index: usize, key: &str, message: String) {
        let entry = self
            .0
            .entry(field.to_owned())
            .or_insert_with(|| Value::Array(vec![Value::Object(Map::new()); len]));
        let Value::Array(items) = entry else { return };
        let Some(Value::Object(item)) = items.get_mut(index) else {
            return;
        };
        let list = item
            .entry(key.to_owned())
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(list) = list {
            list.push(Value::from(message));
        }
    }

    pub fn into_value(self) -> Value {
        Value::Object(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_count_scalar_values() {
        let mut out = Vec::new();
        check_len(&"é".repeat(255), None, Some(255), &mut out);
        assert!(out.is_empty());
        check_len(&"a".repeat(256), None, Some(255), &mut out);
        assert_eq!(out, [max_chars(255)]);
    }

    #[test]
    fn shapes() {
        let mut e = Errors::default();
        e.child("tags", 0, max_chars(255));
        e.item("assets", 2, 1, "name", REQUIRED.to_owned());
        e.field("non_field_errors", NOTHING_TO_CREATE);
        assert_eq!(
            e.into_value(),
            json!({
                "tags": {"0": ["Ensure this field has no more than 255 characters."]},
                "assets": [{}, {"name": ["This field is required."]}],
                "non_field_errors": ["At least one asset or file is required."],
            })
        );
    }
}
