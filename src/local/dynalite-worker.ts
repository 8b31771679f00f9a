/** A worker thread that hosts dynalite (`startLocalDynamo`): posts its port, and closes on any message. */
import { parentPort, workerData } from 'node:worker_threads';
import { type DynaliteOptions, hostDynalite } from './dynalite-host.js';

const hosted = await hostDynalite(workerData as DynaliteOptions);
parentPort?.postMessage({ port: hosted.port });
parentPort?.once('message', () => {
  void hosted.close().then(() => parentPort?.postMessage({ closed: true }));
});
