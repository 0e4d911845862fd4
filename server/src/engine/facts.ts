import { estimateFor, type HallFacts } from '@yichuang/protocol';
import type { HallState } from './state.js';

const facts = new WeakMap<HallState, HallFacts>();

/**
 * The hall's rules read the engine's state through the same facts a staff screen has. A state never
 * changes, so its facts are made once (deciding a command and predicting waits ask for them often).
 */
export function factsOf(state: HallState): HallFacts {
  let f = facts.get(state);
  if (!f) {
    f = makeFacts(state);
    facts.set(state, f);
  }
  return f;
}

function makeFacts(state: HallState): HallFacts {
  return {
    services: state.config.services,
    counters: state.config.counters,
    staff: state.config.staff,
    devices: state.config.devices,
    issuingPaused: state.issuingPaused,
    numberBlocks: state.numberBlocks,
    notices: state.notices,
    counterStatus: (id) => state.counters.get(id),
    ticket: (id) => state.tickets.get(id),
    tickets: () => state.tickets.values(),
    queues: () => state.queues,
    handling: (serviceId, staffId) =>
      estimateFor(
        state.estimates,
        serviceId,
        staffId,
        state.config.services.find((s) => s.id === serviceId)?.expectedMinutes ?? 10,
      ),
  };
}
