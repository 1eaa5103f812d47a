/** Shared helpers for join tests: the windowing helpers (driver with captured warnings, compact output). */
export { S, L, withDriver, drain, droppedRecords } from '../windowing/helpers';
