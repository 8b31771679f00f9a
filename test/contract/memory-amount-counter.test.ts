import { MemoryAmountCounter } from '../../src/store/memory-amount-counter.js';
import { describeAmountCounterContract } from './amount-counter-contract.js';

describeAmountCounterContract('MemoryAmountCounter', () => new MemoryAmountCounter());
