import { MemoryIdempotencyStore } from '../../src/store/memory-idempotency-store.js';
import { describeIdempotencyStoreContract } from './idempotency-store-contract.js';

describeIdempotencyStoreContract('MemoryIdempotencyStore', () => new MemoryIdempotencyStore());
