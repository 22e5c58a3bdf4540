//! Tests of `sysdesign::latency_throughput`: the queue simulation against the closed forms
//! and Little's law, the trend model's figures, and the probes' correctness (never their speed).

use sysdesign::delivery_framework::{PerSecond, Seconds};
use sysdesign::latency_throughput::{
    EchoServer, MemoryBuffer, PUBLISHED, Queue, QueueError, Service, md1_mean_wait, mm1_mean_wait,
    round_trip, scott, utilisation,
};

fn queue(rho: f64, service: Service, seed: u64) -> Queue {
    Queue {
        arrival_rate: PerSecond::new(1_000.0 * rho),
        service_rate: PerSecond::new(1_000.0),
        service,
        customers: 100_000,
        seed,
    }
}

#[test]
fn mm1_mean_wait_matches_the_formula_at_moderate_load() {
    for (seed, rho) in [(1, 0.3), (2, 0.5), (3, 0.7)] {
        let q = queue(rho, Service::Exponential, seed);
        let run = q.run().unwrap();
        let theory = mm1_mean_wait(q.arrival_rate, q.service_rate).unwrap();
        assert!(
            (run.mean_wait / theory - 1.0).abs() < 0.05,
            "ρ = {rho}: simulated {} against {}",
            run.mean_wait,
            theory
        );
    }
}

#[test]
fn md1_waits_half_as_long_as_mm1() {
    let (lambda, mu) = (PerSecond::new(700.0), PerSecond::new(1_000.0));
    let ratio = md1_mean_wait(lambda, mu).unwrap() / mm1_mean_wait(lambda, mu).unwrap();
    assert_eq!(ratio, 0.5);
    let q = queue(0.7, Service::Deterministic, 4);
    let run = q.run().unwrap();
    assert!((run.mean_wait / md1_mean_wait(lambda, mu).unwrap() - 1.0).abs() < 0.05);
}

#[test]
fn littles_law_holds_in_the_simulation() {
    for rho in [0.2, 0.6, 0.9] {
        for service in [Service::Exponential, Service::Deterministic] {
            let run = queue(rho, service, 9).run().unwrap();
            let little = run.arrivals * run.mean_in_system;
            assert!(
                (run.mean_number / little - 1.0).abs() < 0.01,
                "ρ = {rho}: L = {:?}, λW = {:?}",
                run.mean_number,
                little
            );
        }
    }
}

#[test]
fn waits_grow_with_load() {
    let waits: Vec<Seconds> = [0.5, 0.8, 0.95]
        .iter()
        .map(|&rho| queue(rho, Service::Exponential, 5).run().unwrap().mean_wait)
        .collect();
    assert!(waits[0] < waits[1] && waits[1] < waits[2], "{waits:?}");
}

#[test]
fn a_run_is_reproducible_from_its_seed() {
    let q = queue(0.8, Service::Exponential, 11);
    assert_eq!(q.run().unwrap(), q.run().unwrap());
    assert_ne!(
        q.run().unwrap(),
        queue(0.8, Service::Exponential, 12).run().unwrap()
    );
}

#[test]
fn an_overloaded_queue_has_no_steady_state_wait() {
    assert_eq!(
        mm1_mean_wait(PerSecond::new(1_000.0), PerSecond::new(1_000.0)),
        None
    );
    assert_eq!(
        md1_mean_wait(PerSecond::new(2_000.0), PerSecond::new(1_000.0)),
        None
    );
    assert_eq!(
        utilisation(PerSecond::new(500.0), PerSecond::new(1_000.0)),
        0.5
    );
}

#[test]
fn bad_inputs_are_refused_with_the_value() {
    let mut q = queue(0.5, Service::Exponential, 1);
    q.arrival_rate = PerSecond::new(-3.0);
    assert_eq!(q.run(), Err(QueueError::BadRate(-3.0)));
    assert_eq!(
        QueueError::BadRate(-3.0).to_string(),
        "a rate must be positive and finite, not -3 per second"
    );
    let mut q = queue(0.5, Service::Exponential, 1);
    q.customers = 0;
    assert_eq!(q.run(), Err(QueueError::NoCustomers));
}

#[test]
fn scotts_model_keeps_the_round_trips_and_speeds_up_the_rest() {
    let model = scott::for_published(2020);
    assert_eq!(model.len(), PUBLISHED.len());
    for (p, m) in PUBLISHED.iter().zip(&model) {
        assert!(
            m.get() <= p.latency.get() * 1.0001,
            "{}: {m} > {}",
            p.operation,
            p.latency
        );
    }
    assert_eq!(scott::datacenter_round_trip(2020), Seconds::micros(500.0));
    assert_eq!(scott::wan_round_trip(2020), Seconds::millis(150.0));
    assert!(scott::disk_seek(2010) > scott::disk_seek(2020));
}

#[test]
fn the_memory_buffer_is_one_cycle_through_every_line() {
    let lines = 4_096;
    let buffer = MemoryBuffer::new(lines * 64, 3).unwrap();
    assert_eq!(buffer.bytes(), lines * 64);
    // Walk with chase(k) for every k: all distinct, and back at 0 after `lines`.
    let ends: std::collections::HashSet<u64> = (0..lines).map(|k| buffer.chase(k)).collect();
    assert_eq!(ends.len(), lines);
    assert_eq!(buffer.chase(lines), 0);
    // Each line holds one link, to the first word of another line: their sum is 8 · Σ lines.
    let lines = lines as u64;
    assert_eq!(buffer.sum_in_order(), 8 * lines * (lines - 1) / 2);
    assert!(MemoryBuffer::new(64, 3).is_err());
    assert!(MemoryBuffer::new(65 * 3, 3).is_err());
}

#[test]
fn the_echo_server_returns_every_byte() {
    let server = EchoServer::start().unwrap();
    let mut client = server.connect().unwrap();
    let mut reply = Vec::new();
    for i in 0..100u8 {
        let message = vec![i; 64];
        round_trip(&mut client, &message, &mut reply).unwrap();
        assert_eq!(reply, message);
    }
    assert_eq!(server.finish(client).unwrap(), 6_400);
}
