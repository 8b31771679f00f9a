/**
 * Vitest global setup of the `emulators` project: one DynamoDB Local for the whole run (a JVM takes
 * seconds to start), shared by every file of the emulator matrix, each file on tables of its own.
 * Without Java the DynamoDB Local half of the matrix is skipped, loudly; in CI (CI=true) the run fails.
 */
import type { TestProject } from 'vitest/node';
import { javaAvailable, startDynamoDbLocal } from './dynamodb-local.js';

declare module 'vitest' {
  interface ProvidedContext {
    /** DynamoDB Local's endpoint, or '' when Java is missing and its half of the matrix is skipped. */
    dynamoDbLocalEndpoint: string;
  }
}

const SKIPPED = [
  '',
  '!!! Java is missing: the store contract and e2e tests against AWS DynamoDB Local are SKIPPED.',
  '!!! Only dynalite was tested. Install a JRE (apt-get install -y default-jre-headless) to run them.',
  '',
].join('\n');

export default async function setup(project: TestProject) {
  if (!javaAvailable()) {
    if (process.env.CI === 'true')
      throw new Error('Java is missing, so the DynamoDB Local tests cannot run; CI never skips them.');
    console.warn(SKIPPED);
    project.provide('dynamoDbLocalEndpoint', '');
    // Said again after the run, where the summary is read.
    return () => console.warn(SKIPPED);
  }
  const dynamoDbLocal = await startDynamoDbLocal();
  project.provide('dynamoDbLocalEndpoint', dynamoDbLocal.endpoint);
  return () => dynamoDbLocal.close();
}
