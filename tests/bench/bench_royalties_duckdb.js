// SPDX-License-Identifier: GPL-3.0-or-later
// DuckDB's side of bench_royalties: read_csv + SUM(amount) GROUP BY work over a usage CSV, through
// the npm package @duckdb/node-api installed by installer/bench under PREFIX (a benchmark baseline,
// never a dependency of Cartulary). Prints "SECONDS GROUPS", timing the query and reading its rows.
// Usage: node bench_royalties_duckdb.js PREFIX FILE.csv
'use strict';

const path = require('path');

async function main() {
    const [prefix, csv] = process.argv.slice(2);
    const { DuckDBInstance } = require(path.join(path.resolve(prefix), 'node_modules', '@duckdb',
                                                 'node-api'));
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const literal = "'" + csv.replace(/'/g, "''") + "'";
    const start = process.hrtime.bigint();
    const reader = await connection.runAndReadAll(
        `SELECT work, SUM(amount) FROM read_csv(${literal}, header = true) GROUP BY work`);
    const groups = reader.getRows().length;
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    process.stdout.write(`${seconds} ${groups}\n`);
}

main().catch((e) => {
    process.stderr.write(`${e.stack || e}\n`);
    process.exit(1);
});
