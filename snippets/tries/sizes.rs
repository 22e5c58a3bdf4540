//! A trie, a DAWG and the `fst` crate's automaton of the same seeded word lists: nodes, edges
//! and bytes, against the plain list, for words with shared endings and for random strings.

use sysdesign::show::{self, Table};
use sysdesign::tries::{Dawg, Trie, fst_size, random_strings, word_list};

fn main() {
    let mut table = Table::new([
        "word list",
        "words",
        "plain bytes",
        "trie nodes",
        "trie bytes",
        "DAWG nodes",
        "DAWG edges",
        "DAWG bytes",
        "fst states",
        "fst bytes",
    ]);
    for (name, words) in [
        ("stems + endings", word_list(10_000, 1)),
        ("random strings", random_strings(40_000, 1)),
    ] {
        // ANCHOR: measure
        let plain: usize = words.iter().map(|w| w.len() + 1).sum();
        let trie = Trie::from_sorted(&words).expect("sorted").size();
        let dawg = Dawg::from_sorted(&words).expect("sorted").size();
        let (fst_states, fst_bytes) = fst_size(&words).expect("sorted");
        // ANCHOR_END: measure
        let key = if name == "random strings" {
            "random"
        } else {
            "stems"
        };
        show::value(
            &format!("{key}_node_share"),
            format!("{:.0} %", 100.0 * dawg.nodes as f64 / trie.nodes as f64),
        );
        show::value(
            &format!("{key}_byte_share"),
            format!("{:.0} %", 100.0 * dawg.bytes as f64 / trie.bytes as f64),
        );
        show::value(&format!("{key}_words"), words.len());
        table.push([
            name.to_string(),
            words.len().to_string(),
            plain.to_string(),
            trie.nodes.to_string(),
            trie.bytes.to_string(),
            dawg.nodes.to_string(),
            dawg.edges.to_string(),
            dawg.bytes.to_string(),
            fst_states.to_string(),
            fst_bytes.to_string(),
        ]);
    }
    show::table(
        &table.caption("plain = words and newlines; trie and DAWG bytes in the packed layout"),
    );
    let sample = word_list(3, 1);
    println!("a few words of the first list: {}", sample.join(", "));
}
