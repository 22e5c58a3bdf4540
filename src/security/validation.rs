//! Input validation on the server: allow-lists, and errors that name the field and the value.

/// One field that failed validation: which, with what value, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// The field's name as the client sent it.
    pub field: String,
    /// The value received (a secret field's value is replaced by `(hidden)`).
    pub value: String,
    /// What is wrong with it.
    pub reason: String,
}

impl FieldError {
    /// An error for `field` holding `value`.
    pub fn new(field: &str, value: &str, reason: &str) -> Self {
        FieldError {
            field: field.to_string(),
            value: value.to_string(),
            reason: reason.to_string(),
        }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {:?} {}", self.field, self.value, self.reason)
    }
}

impl std::error::Error for FieldError {}

/// A sign-up request as a client sent it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signup {
    /// The login name.
    pub username: String,
    /// The e-mail address.
    pub email: String,
    /// Age in years, as text (the form's field).
    pub age: String,
    /// The chosen password.
    pub password: String,
}

// ANCHOR: validate
/// Checks every field and returns every problem at once (a form that reports one error per
/// round trip is tedious): usernames from an allow-list of characters, a plausible e-mail
/// address, an age that parses and is in range, a password of 8 to 64 characters that does not
/// contain the username. The password's value never appears in an error.
///
/// ```
/// use sysdesign::security::{Signup, validate_signup};
/// let form = Signup { username: "ada".into(), email: "ada@example.org".into(),
///                     age: "36".into(), password: "analytical engine".into() };
/// assert!(validate_signup(&form).is_ok());
/// let bad = Signup { age: "-1".into(), ..form };
/// assert_eq!(validate_signup(&bad).unwrap_err()[0].to_string(),
///            r#"age: "-1" is not a whole number from 13 to 130"#);
/// ```
pub fn validate_signup(form: &Signup) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    let username = &form.username;
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_';
    if !(3..=32).contains(&username.chars().count()) || !username.chars().all(allowed) {
        errors.push(FieldError::new(
            "username",
            username,
            "must be 3 to 32 characters from a-z, 0-9 and _",
        ));
    }
    let email_ok = form.email.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !form
                .email
                .chars()
                .any(|c| c.is_whitespace() || c.is_control())
            && !domain.contains('@')
            && form.email.len() <= 254
    });
    if !email_ok {
        errors.push(FieldError::new(
            "email",
            &form.email,
            "is not an e-mail address",
        ));
    }
    if !form
        .age
        .parse::<u8>()
        .is_ok_and(|a| (13..=130).contains(&a))
    {
        errors.push(FieldError::new(
            "age",
            &form.age,
            "is not a whole number from 13 to 130",
        ));
    }
    let length = form.password.chars().count();
    if !(8..=64).contains(&length) {
        errors.push(FieldError::new(
            "password",
            "(hidden)",
            &format!("has {length} characters; 8 to 64 are accepted"),
        ));
    } else if !username.is_empty()
        && form
            .password
            .to_lowercase()
            .contains(&username.to_lowercase())
    {
        errors.push(FieldError::new(
            "password",
            "(hidden)",
            "contains the username",
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}
// ANCHOR_END: validate
