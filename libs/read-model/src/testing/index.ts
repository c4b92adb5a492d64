export * from './projected-read-model';
export * from './decider-scenarios';
export * from './deciders-under-test';
