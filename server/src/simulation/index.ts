export { Scenario, Handling, hallOf } from './scenario.js';
export {
  simulate,
  erlangCWait,
  SimulatedPolicy,
  type SimulateOptions,
  type SimulationResult,
  type WaitStats,
  type PredictionStats,
} from './simulate.js';
