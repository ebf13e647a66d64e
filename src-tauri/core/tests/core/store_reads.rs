//! A read in parts side by side (`Db::read_parts`, the Analytics charts of a
//! long range): every part sees the same moment of the store while writes
//! commit beside it, and a write under way does not hold the read up.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

use tenant_desk_core::store::Db;

use crate::support::*;

fn ports(db: &Db, parts: usize) -> Vec<i64> {
    db.read_parts(parts, |tx, _| Ok(tx.query_row("SELECT port FROM local_api_settings", [], |r| r.get::<_, i64>(0))?))
        .unwrap()
}

struct Stop<'a>(&'a AtomicBool);

impl Drop for Stop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

#[test]
fn every_part_of_a_read_sees_one_moment_while_writes_commit() {
    let h = Harness::new();
    let db = h.desk.db();
    let done = AtomicBool::new(false);
    let writes = AtomicUsize::new(0);
    let mut reads = 0;
    std::thread::scope(|s| {
        s.spawn(|| {
            while !done.load(Ordering::SeqCst) {
                let n = writes.fetch_add(1, Ordering::SeqCst) as i64;
                db.write(|tx| Ok(tx.execute("UPDATE local_api_settings SET port = ?1", [2_000 + n % 60_000])?)).unwrap();
            }
        });
        // The writer stops however the reads end, a failed assertion too.
        let _stop = Stop(&done);
        // Reads in parts for as long as a thousand writes take.
        while writes.load(Ordering::SeqCst) < 1_000 {
            let seen = ports(db, 4);
            assert_eq!(seen.len(), 4);
            assert!(seen.windows(2).all(|w| w[0] == w[1]), "the parts saw different moments: {seen:?}");
            reads += 1;
        }
    });
    assert!(reads > 10, "{reads} reads beside the writes");
}

#[test]
fn a_write_under_way_does_not_hold_up_a_read_in_parts() {
    let h = Harness::new();
    let db = h.desk.db();
    let before = ports(db, 1)[0];
    let (started, on_started) = mpsc::channel();
    let (finish, on_finish) = mpsc::channel::<()>();
    std::thread::scope(|s| {
        s.spawn(move || {
            db.write(|tx| {
                tx.execute("UPDATE local_api_settings SET port = ?1", [before + 1])?;
                started.send(()).unwrap();
                on_finish.recv().unwrap();
                Ok(())
            })
            .unwrap();
        });
        on_started.recv().unwrap();
        // Answered while the write holds the store, with what was committed.
        assert_eq!(ports(db, 3), vec![before; 3]);
        finish.send(()).unwrap();
    });
    assert_eq!(ports(db, 2), vec![before + 1; 2]);
}
