import { MemoryListStore } from '../../src/store/memory-list-store.js';
import { MemoryTaskStore } from '../../src/store/memory-task-store.js';
import { describeListCapsContract } from './list-caps-contract.js';
import { describeListStoreContract } from './list-store-contract.js';
import { describeOutlineContract } from './outline-contract.js';

describeListStoreContract('MemoryListStore', () => new MemoryListStore());
describeOutlineContract('MemoryTaskStore', () => new MemoryTaskStore());
describeListCapsContract('MemoryListStore', (limits) => new MemoryListStore(limits));
