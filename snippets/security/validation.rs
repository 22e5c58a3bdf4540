//! Sign-up forms checked on the server: each rejection names the field and the value.

use sysdesign::security::{Signup, validate_signup};
use sysdesign::show::{self, Table};

fn form(username: &str, email: &str, age: &str, password: &str) -> Signup {
    Signup {
        username: username.into(),
        email: email.into(),
        age: age.into(),
        password: password.into(),
    }
}

fn main() {
    // ANCHOR: forms
    let forms = [
        form("ada", "ada@example.org", "36", "analytical engine"),
        form(
            "Robert'); DROP TABLE users;--",
            "bobby@example.org",
            "12",
            "tables",
        ),
        form("eve", "eve@localhost", "abc", "eve-the-great"),
        form("<script>", "a b@example.org", "300", "passwordpassword"),
    ];
    // ANCHOR_END: forms
    let mut table = Table::new(["username", "result"]);
    for f in &forms {
        let result = match validate_signup(f) {
            Ok(()) => "accepted".to_string(),
            Err(errors) => errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; "),
        };
        table.push([f.username.clone(), result]);
    }
    show::table(&table.caption("validate_signup on four forms"));
}
