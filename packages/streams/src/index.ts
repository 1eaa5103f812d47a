export {};
export * from './serde';
export * from './config';
