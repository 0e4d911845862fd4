// A process with the hub's process guard and metrics, for tests/process/process-guard.test.ts.
import { pino } from 'pino';
import { guardProcess, HallStateUnknownError, Metrics } from '@yichuang/server';

const logger = pino();
guardProcess(logger, (err) => {
  logger.fatal({ err }, 'stopping');
  process.exit(70);
});
const metrics = new Metrics(() => undefined);

if (process.argv[2] === 'survive') {
  void Promise.reject(new Error('a client library rejected and nobody caught it'));
  setTimeout(() => {
    throw new Error('a client library threw from a timer');
  }, 10);
  setTimeout(() => {
    void metrics.registry.getSingleMetricAsString('yc_process_faults_total').then((text) => {
      console.log(JSON.stringify({ alive: true, metrics: text }));
      process.exit(0);
    });
  }, 200);
} else {
  void Promise.reject(
    new HallStateUnknownError('The journal of hall demo could not cut off a failed write.'),
  );
  setTimeout(() => process.exit(0), 2000);
}
