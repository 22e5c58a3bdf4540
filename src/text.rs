//! Text into words: the one tokenizer that the word counts (MapReduce) and the search indexes
//! (change data capture, the inverted index) share, so they agree on what a word is.

/// The words of `text`: runs of letters and digits, lower-cased, in order, repeats included.
///
/// ```
/// let words: Vec<String> = sysdesign::text::words("Hello, WORLD! hello").collect();
/// assert_eq!(words, ["hello", "world", "hello"]);
/// ```
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_runs_of_letters_and_digits_lower_cased() {
        let text = "Hello, WORLD! It's 2026 -- hello again; Ünïcode too.";
        let all: Vec<String> = words(text).collect();
        assert_eq!(
            all,
            [
                "hello",
                "world",
                "it",
                "s",
                "2026",
                "hello",
                "again",
                "ünïcode",
                "too"
            ]
        );
        assert!(words(" ,.;-- ").next().is_none());
    }
}
