//! One configuration read from TOML, written as JSON and read back; then the same file with
//! common mistakes, and the error each one gets.

use sysdesign::configuration::{EXAMPLE_TOML, Format, parse, to_text};
use sysdesign::show;

fn main() {
    let config = parse("service.toml", EXAMPLE_TOML, Format::Toml).expect("the example is valid");
    let json = to_text(&config, Format::Json);
    println!("service.toml as JSON:\n{json}\n");
    let back = parse("service.json", &json, Format::Json).expect("our own JSON is valid");
    show::value("json_round_trip_equal", back == config);

    // ANCHOR: mistakes
    let mistakes = [
        (
            "a typo in a key",
            EXAMPLE_TOML.replace("capacity =", "capacty ="),
        ),
        (
            "a string for a number",
            EXAMPLE_TOML.replace("300", "\"5m\""),
        ),
        (
            "an unclosed table header",
            EXAMPLE_TOML.replace("[cache]", "[cache"),
        ),
        ("a value out of range", EXAMPLE_TOML.replace("10000", "0")),
        (
            "not an address",
            EXAMPLE_TOML.replace("127.0.0.1:8080", "localhost"),
        ),
        (
            "two values out of range",
            EXAMPLE_TOML
                .replace("workers = 4", "workers = 0")
                .replace("50.0", "-5.0"),
        ),
    ];
    for (mistake, text) in &mistakes {
        let error = parse("service.toml", text, Format::Toml).expect_err("each one is a mistake");
        println!("{mistake}:\n  {}", error.to_string().replace('\n', "\n  "));
    }
    // ANCHOR_END: mistakes
    let json_mistake = json.replace("\"ttl_secs\": 300", "\"ttl_secs\": 0");
    let error = parse("service.json", &json_mistake, Format::Json).expect_err("ttl 0");
    println!("the same rule, in JSON (serde_json gives no spans for values):\n  {error}");
}
