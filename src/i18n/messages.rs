//! Messages and field errors, kept as Fluent ids so they can be shown in the visitor's language
//! on a re-shown form and in the `errors` member of a problem+json body alike.

use std::collections::BTreeMap;

use super::{Lang, Tr};

/// A translatable message: a Fluent id and its arguments.
#[derive(Clone, Debug, PartialEq)]
pub struct Msg {
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl Msg {
    pub fn new(key: &'static str) -> Msg {
        Msg {
            key,
            args: Vec::new(),
        }
    }

    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Msg {
        self.args.push((name, value.to_string()));
        self
    }
}

/// Messages per field name, in a stable order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FieldErrors(pub BTreeMap<String, Vec<Msg>>);

impl FieldErrors {
    pub fn add(&mut self, field: &str, msg: Msg) {
        self.0.entry(field.to_string()).or_default().push(msg);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, field: &str) -> &[Msg] {
        self.0.get(field).map(Vec::as_slice).unwrap_or(&[])
    }

    /// `Ok(())` when there is nothing to report, else the errors for an `Error::Invalid`.
    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }

    /// For the command line, which has no visitor language.
    pub fn describe_in_english(&self) -> String {
        let tr = Tr::new(Lang::FALLBACK);
        self.0
            .iter()
            .map(|(field, msgs)| {
                let texts: Vec<String> = msgs.iter().map(|m| tr.msg(m)).collect();
                format!("{field}: {}", texts.join("; "))
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}
