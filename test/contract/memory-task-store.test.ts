import { MemoryTaskStore } from '../../src/store/memory-task-store.js';
import { describeChangeFeedContract } from './change-feed-contract.js';
import { describeTaskStoreContract } from './task-store-contract.js';

describeTaskStoreContract('MemoryTaskStore', () => new MemoryTaskStore());
describeChangeFeedContract('MemoryTaskStore', () => new MemoryTaskStore());
