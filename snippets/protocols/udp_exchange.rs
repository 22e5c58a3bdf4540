//! UDP on loopback: no connection, one datagram per send, message boundaries kept, a datagram
//! cut short by a small receive buffer, and the largest payload IPv4 allows.

use std::net::UdpSocket;
use sysdesign::protocols::limits;

fn main() {
    // ANCHOR: exchange
    let server = UdpSocket::bind("127.0.0.1:0").expect("a loopback port is free");
    let client = UdpSocket::bind("127.0.0.1:0").expect("a loopback port is free");
    // No handshake: the first packet already carries data.
    for message in ["first", "second, a little longer", "3"] {
        client
            .send_to(message.as_bytes(), server.local_addr().expect("bound"))
            .expect("sent");
    }
    let mut buf = vec![0u8; 65_536];
    for _ in 0..3 {
        let (n, from) = server.recv_from(&mut buf).expect("a datagram arrives");
        let reply = format!("got {n} bytes");
        server.send_to(reply.as_bytes(), from).expect("sent");
        println!(
            "server: one datagram of {n} bytes: {:?}",
            String::from_utf8_lossy(&buf[..n])
        );
    }
    // ANCHOR_END: exchange
    for _ in 0..3 {
        let n = client.recv(&mut buf).expect("a reply arrives");
        println!("client: reply {:?}", String::from_utf8_lossy(&buf[..n]));
    }

    client
        .send_to(&[b'x'; 100], server.local_addr().expect("bound"))
        .expect("sent");
    let mut small = [0u8; 16];
    let n = server.recv(&mut small).expect("a datagram arrives");
    println!(
        "a 100-byte datagram read into a 16-byte buffer gives {n} bytes; the other 84 are gone"
    );

    let max = limits()
        .into_iter()
        .find(|l| l.what == "UDP payload, IPv4")
        .expect("the limit is listed")
        .bytes as usize;
    for size in [max, max + 1] {
        match client.send_to(&vec![0u8; size], server.local_addr().expect("bound")) {
            Ok(sent) => {
                let got = server.recv(&mut buf).expect("the datagram arrives");
                println!("a {size}-byte datagram: sent {sent}, received {got}");
            }
            Err(_) => println!("a {size}-byte datagram: refused by the kernel (message too long)"),
        }
    }
}
