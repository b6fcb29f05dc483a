//! Accounts: who someone is (email, display name, role), how they prove it (password, session
//! cookie, API token), and the pages to sign up, sign in and manage tokens.

pub mod auth;
pub mod by_mail;
pub mod links;
pub mod mail;
pub mod password;
pub mod routes;
pub mod second_factor;
pub mod second_factor_pages;
pub mod session;
pub mod store;
pub mod tokens;

use std::str::FromStr;

use crate::i18n::{FieldErrors, Msg};
use crate::web::forms;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Host,
    Staff,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Host => "host",
            Role::Staff => "staff",
            Role::Admin => "admin",
        }
    }
}

impl FromStr for Role {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "host" => Ok(Role::Host),
            "staff" => Ok(Role::Staff),
            "admin" => Ok(Role::Admin),
            _ => Err(()),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Account {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    /// For staff: the one country they look after; `None` means every country.
    pub staff_country: Option<String>,
    /// The owner proved the address by a link mailed to it. Until then the account is not the
    /// person behind the address: never an attendee, never shown what an RSVP with it unlocks.
    pub email_confirmed: bool,
    /// A staff member or admin signed in without a second factor: their rights wait for one.
    pub needs_second_factor: bool,
}

impl Account {
    pub fn is_staff(&self) -> bool {
        matches!(self.role, Role::Staff | Role::Admin)
    }

    /// Campaigns and their cases (authority addresses, letters) are shared by every country:
    /// only admins and staff for every country set them up and change them.
    pub fn can_manage_campaigns(&self) -> bool {
        self.role == Role::Admin || (self.role == Role::Staff && self.staff_country.is_none())
    }

    /// Staff powers over something in `country` (an event, its reports, its mail): admins, staff
    /// for every country, and staff of that country. Hosts never, whatever they host.
    pub fn is_staff_for(&self, country: &str) -> bool {
        match self.role {
            Role::Admin => true,
            Role::Staff => self.staff_country.as_deref().is_none_or(|c| c == country),
            Role::Host => false,
        }
    }
}

/// A sign-up that passed every check.
#[derive(Debug)]
pub struct NewAccount {
    pub email: String,
    pub display_name: String,
    pub password: String,
}

impl NewAccount {
    pub fn parse(email: &str, display_name: &str, password: &str) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let email = parse_email(&mut errors, "email", email);
        let display_name = forms::line(&mut errors, "display_name", display_name, 1, 80);
        password::check_new(&mut errors, "password", password, &email);
        errors.into_result()?;
        Ok(NewAccount {
            email,
            display_name,
            password: password.to_string(),
        })
    }
}

/// Emails are compared lower-cased; the address must be one a mail server would accept.
pub fn parse_email(errors: &mut FieldErrors, field: &str, value: &str) -> String {
    let value = value.trim().to_lowercase();
    if value.is_empty() {
        errors.add(field, Msg::new("field-required"));
    } else if value.len() > 254
        || value.contains(['<', '>', '"', '\'', ' ', '\n', '\r', '\\', ','])
        || email_address::EmailAddress::from_str(&value).is_err()
        || !value
            .rsplit('@')
            .next()
            .is_some_and(|domain| domain.contains('.'))
    {
        errors.add(field, Msg::new("field-email-invalid"));
    }
    value
}

pub use crate::secret::{random_token, secret_hash};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_up_checks() {
        let ok = NewAccount::parse(" Ana@Example.ORG ", "Ana", "letters for rights 2017").unwrap();
        assert_eq!(ok.email, "ana@example.org");
        let errors = NewAccount::parse("not-an-email", "", "password").unwrap_err();
        assert_eq!(errors.get("email")[0].key, "field-email-invalid");
        assert_eq!(errors.get("display_name")[0].key, "field-required");
        assert_eq!(errors.get("password")[0].key, "password-common");
        let errors = NewAccount::parse("a@b.co", "A\nB", "short").unwrap_err();
        assert_eq!(errors.get("display_name")[0].key, "field-single-line");
        assert_eq!(errors.get("password")[0].key, "password-length");
        let long = "x".repeat(129);
        let errors = NewAccount::parse("a@b.co", "A", &long).unwrap_err();
        assert_eq!(errors.get("password")[0].key, "password-length");
        assert!(NewAccount::parse("a\"<script>@b.co", "A", "good long secret").is_err());
    }

    #[test]
    fn staff_scope() {
        let account = |role, country: Option<&str>| Account {
            id: 1,
            email: "a@b.co".into(),
            display_name: "A".into(),
            role,
            staff_country: country.map(str::to_string),
            email_confirmed: true,
            needs_second_factor: false,
        };
        let fr = account(Role::Staff, Some("FR"));
        assert!(fr.is_staff_for("FR") && !fr.is_staff_for("CA"));
        assert!(!fr.can_manage_campaigns());
        let global = account(Role::Staff, None);
        assert!(global.is_staff_for("CA") && global.can_manage_campaigns());
        let admin = account(Role::Admin, Some("FR"));
        assert!(admin.is_staff_for("CA") && admin.can_manage_campaigns());
        let host = account(Role::Host, None);
        assert!(!host.is_staff_for("CA") && !host.can_manage_campaigns());
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let a = random_token();
        assert_eq!(a.len(), 43);
        assert_ne!(a, random_token());
        assert_eq!(secret_hash(&a).len(), 64);
        assert_ne!(secret_hash(&a), a);
    }
}
