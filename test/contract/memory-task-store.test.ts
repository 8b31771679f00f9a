import { MemoryTaskStore } from '../../src/store/memory-task-store.js';
import { describeTaskStoreContract } from './task-store-contract.js';

describeTaskStoreContract('MemoryTaskStore', () => new MemoryTaskStore());
