export { Scenario, Handling, hallOf } from './scenario.js';
export { simulate, erlangCWait, type SimulationResult, type WaitStats } from './simulate.js';
