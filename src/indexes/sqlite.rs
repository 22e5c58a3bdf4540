//! An index on a real database: a SQLite table of random numbers, its query plans, and how many
//! rows SQLite stepped through, before and after `CREATE INDEX`.
//!
//! SQLite counts, for every prepared statement, the rows it stepped through in a full table scan
//! (`SQLITE_STMTSTATUS_FULLSCAN_STEP`) and the virtual-machine instructions it ran
//! (`SQLITE_STMTSTATUS_VM_STEP`). Both are exact and the same on every machine, so they measure
//! the work an index saves without a clock.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use rusqlite::{Connection, Params, Row, StatementStatus};
use std::fmt;

/// Why an experiment on the SQLite table failed.
#[derive(Debug)]
pub enum SqlError {
    /// A statement failed.
    Sqlite {
        /// The statement.
        sql: String,
        /// What SQLite said.
        source: rusqlite::Error,
    },
    /// Random values were asked for below a bound of zero or less, so there are none to draw.
    NoValuesBelow(i64),
}

impl fmt::Display for SqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SqlError::Sqlite { sql, source } => write!(f, "{sql}: {source}"),
            SqlError::NoValuesBelow(bound) => {
                write!(f, "no non-negative value lies below {bound}")
            }
        }
    }
}

impl std::error::Error for SqlError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SqlError::Sqlite { source, .. } => Some(source),
            SqlError::NoValuesBelow(_) => None,
        }
    }
}

/// Wraps a `rusqlite` error with the statement that caused it (for `map_err`).
pub(crate) fn sql_error(sql: &str) -> impl FnOnce(rusqlite::Error) -> SqlError + '_ {
    move |source| SqlError::Sqlite {
        sql: sql.to_string(),
        source,
    }
}

/// What running one query did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryRun {
    /// The first column of every row returned.
    pub rows: Vec<i64>,
    /// Rows stepped through in full table scans.
    pub fullscan_steps: i32,
    /// Virtual-machine instructions executed: SQLite's own measure of the work done.
    pub vm_steps: i32,
}

/// The index [`NumbersTable::create_index`] builds.
pub const INDEX_SQL: &str = "CREATE INDEX numbers_value ON numbers(value)";

/// An in-memory SQLite table `numbers(id INTEGER PRIMARY KEY, value INTEGER NOT NULL)` holding
/// seeded random values, the large table of the notes' example.
///
/// ```
/// use sysdesign::indexes::sqlite::NumbersTable;
///
/// let table = NumbersTable::create(1_000, 7).unwrap();
/// let sql = "SELECT id FROM numbers WHERE value = 42";
/// assert_eq!(table.plan(sql).unwrap(), ["SCAN numbers"]);
/// assert_eq!(table.run(sql).unwrap().fullscan_steps, 999); // every row but the first
/// table.create_index().unwrap();
/// assert!(table.plan(sql).unwrap()[0].starts_with("SEARCH numbers USING COVERING INDEX"));
/// assert_eq!(table.run(sql).unwrap().fullscan_steps, 0);
/// ```
pub struct NumbersTable {
    conn: Connection,
    rows: usize,
}

impl NumbersTable {
    // ANCHOR: create
    /// Creates the table in memory with `rows` rows whose values are drawn uniformly from
    /// `0..rows * 1000` with the given seed.
    pub fn create(rows: usize, seed: u64) -> Result<Self, SqlError> {
        let schema = "CREATE TABLE numbers (id INTEGER PRIMARY KEY, value INTEGER NOT NULL)";
        let conn = Connection::open_in_memory().map_err(sql_error(":memory:"))?;
        conn.execute(schema, []).map_err(sql_error(schema))?;
        let mut table = NumbersTable { conn, rows: 0 };
        let bound = (rows as i64).saturating_mul(1_000).max(1);
        table.insert_random(rows, bound, seed)?;
        Ok(table)
    }

    /// Inserts `count` rows with seeded random values below `bound`, in one transaction; every
    /// index on the table is updated too, which is the write cost of an index.
    ///
    /// ```
    /// use sysdesign::indexes::sqlite::NumbersTable;
    ///
    /// let mut table = NumbersTable::create(10, 1).unwrap();
    /// table.insert_random(5, 100, 2).unwrap();
    /// assert_eq!(table.rows(), 15);
    /// assert!(table.insert_random(1, 0, 2).is_err()); // no value lies below 0
    /// ```
    pub fn insert_random(&mut self, count: usize, bound: i64, seed: u64) -> Result<(), SqlError> {
        let insert = "INSERT INTO numbers (value) VALUES (?1)";
        if bound <= 0 {
            return Err(SqlError::NoValuesBelow(bound));
        }
        let tx = self.conn.transaction().map_err(sql_error("BEGIN"))?;
        {
            let mut statement = tx.prepare(insert).map_err(sql_error(insert))?;
            let mut rng = StdRng::seed_from_u64(seed);
            for _ in 0..count {
                let value = rng.random_range(0..bound);
                statement.execute([value]).map_err(sql_error(insert))?;
            }
        }
        tx.commit().map_err(sql_error("COMMIT"))?;
        self.rows += count;
        Ok(())
    }
    // ANCHOR_END: create

    /// The number of rows.
    ///
    /// ```
    /// let table = sysdesign::indexes::sqlite::NumbersTable::create(10, 1).unwrap();
    /// assert_eq!(table.rows(), 10);
    /// ```
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// The `detail` column of `EXPLAIN QUERY PLAN sql`: how SQLite means to run the query.
    ///
    /// ```
    /// let table = sysdesign::indexes::sqlite::NumbersTable::create(10, 1).unwrap();
    /// let plan = table.plan("SELECT value FROM numbers WHERE id = 3").unwrap();
    /// assert_eq!(plan, ["SEARCH numbers USING INTEGER PRIMARY KEY (rowid=?)"]);
    /// ```
    pub fn plan(&self, sql: &str) -> Result<Vec<String>, SqlError> {
        plan(&self.conn, sql)
    }

    /// Runs `sql`, whose first column must be an integer, and reports the work SQLite did.
    ///
    /// ```
    /// let table = sysdesign::indexes::sqlite::NumbersTable::create(10, 1).unwrap();
    /// let run = table.run("SELECT count(*) FROM numbers").unwrap();
    /// assert_eq!(run.rows, [10]);
    /// assert!(table.run("SELECT nonsense").is_err());
    /// ```
    pub fn run(&self, sql: &str) -> Result<QueryRun, SqlError> {
        let (rows, work) = run_counted(&self.conn, sql, [], |row| row.get::<_, i64>(0))?;
        Ok(QueryRun {
            rows,
            fullscan_steps: work.fullscan_steps,
            vm_steps: work.vm_steps,
        })
    }

    /// Builds the index on `value` ([`INDEX_SQL`]).
    ///
    /// ```
    /// let table = sysdesign::indexes::sqlite::NumbersTable::create(10, 1).unwrap();
    /// table.create_index().unwrap();
    /// assert!(table.create_index().is_err()); // it exists already
    /// ```
    pub fn create_index(&self) -> Result<(), SqlError> {
        self.conn
            .execute(INDEX_SQL, [])
            .map(|_| ())
            .map_err(sql_error(INDEX_SQL))
    }

    /// The database's size in pages of `PRAGMA page_size` bytes; an index takes pages of its own.
    ///
    /// ```
    /// let table = sysdesign::indexes::sqlite::NumbersTable::create(1_000, 1).unwrap();
    /// let before = table.pages().unwrap();
    /// table.create_index().unwrap();
    /// assert!(table.pages().unwrap() > before);
    /// ```
    pub fn pages(&self) -> Result<i64, SqlError> {
        let sql = "PRAGMA page_count";
        self.conn
            .query_row(sql, [], |row| row.get(0))
            .map_err(sql_error(sql))
    }
}

/// The work SQLite reports for one statement.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StatementWork {
    /// Rows stepped through in full table scans (`SQLITE_STMTSTATUS_FULLSCAN_STEP`).
    pub fullscan_steps: i32,
    /// Virtual-machine instructions executed (`SQLITE_STMTSTATUS_VM_STEP`).
    pub vm_steps: i32,
}

// ANCHOR: plan
/// The `detail` column of `EXPLAIN QUERY PLAN sql` on `conn`: how SQLite means to run the query
/// (parameters, if any, bound to NULL).
///
/// ```
/// let conn = rusqlite::Connection::open_in_memory().unwrap();
/// conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)", []).unwrap();
/// let plan = sysdesign::indexes::sqlite::plan(&conn, "SELECT v FROM t WHERE v = 1").unwrap();
/// assert_eq!(plan, ["SCAN t"]);
/// ```
pub fn plan(conn: &Connection, sql: &str) -> Result<Vec<String>, SqlError> {
    let explain = format!("EXPLAIN QUERY PLAN {sql}");
    let mut statement = conn.prepare(&explain).map_err(sql_error(sql))?;
    // A query with parameters is planned with each bound to NULL: the plan depends on the
    // query's shape, not on the values.
    let nulls = std::iter::repeat_n(rusqlite::types::Null, statement.parameter_count());
    let details = statement
        .query_map(rusqlite::params_from_iter(nulls), |row| {
            row.get::<_, String>(3)
        })
        .map_err(sql_error(sql))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(sql_error(sql))?;
    Ok(details)
}
// ANCHOR_END: plan

// ANCHOR: run
/// Runs `sql` with `params` on `conn`, maps each row with `row`, and reports SQLite's counters
/// for the statement.
///
/// ```
/// use sysdesign::indexes::sqlite::run_counted;
///
/// let conn = rusqlite::Connection::open_in_memory().unwrap();
/// conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)", []).unwrap();
/// conn.execute("INSERT INTO t (v) VALUES (5), (6), (7)", []).unwrap();
/// let (rows, work) =
///     run_counted(&conn, "SELECT id FROM t WHERE v > ?1", [5], |r| r.get::<_, i64>(0)).unwrap();
/// assert_eq!(rows, [2, 3]);
/// assert_eq!(work.fullscan_steps, 2); // three rows scanned: the first is not a step
/// ```
pub fn run_counted<T, P: Params>(
    conn: &Connection,
    sql: &str,
    params: P,
    row: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
) -> Result<(Vec<T>, StatementWork), SqlError> {
    let mut statement = conn.prepare(sql).map_err(sql_error(sql))?;
    let rows = statement
        .query_map(params, row)
        .map_err(sql_error(sql))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(sql_error(sql))?;
    let work = StatementWork {
        fullscan_steps: statement.get_status(StatementStatus::FullscanStep),
        vm_steps: statement.get_status(StatementStatus::VmStep),
    };
    Ok((rows, work))
}
// ANCHOR_END: run
