export {};
export * from './serde';
