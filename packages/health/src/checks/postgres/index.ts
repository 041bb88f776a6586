export { type PostgresCheckOptions, type PostgresQueryable, postgresCheck } from "./postgres.js";
