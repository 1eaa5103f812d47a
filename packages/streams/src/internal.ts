export {};
export * from './runtime/partitioner';
