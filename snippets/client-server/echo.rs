//! A tokio echo server and client on 127.0.0.1: the client sends lines, the server sends each
//! back.

use sysdesign::client_server::{classify, echo_exchange};

fn main() {
    let messages = ["hello", "is anyone there?", "bye"];
    let (replies, server) = echo_exchange(&messages).expect("a loopback port is free");
    println!(
        "server listened on 127.0.0.1, a {} address",
        classify(server.ip()).name()
    );
    for (sent, got) in messages.iter().zip(&replies) {
        println!("sent {sent:?}, got back {got:?}");
    }
}
