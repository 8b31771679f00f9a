/** Prints the cost benchmark's figures: one table of writes and one of reads per item size. */
import { type CostSection, measureCost } from './cost.js';

interface Printer {
  say(line?: string): void;
  table(head: string[], rows: string[][]): void;
}

const units = (n: number | undefined) => (n === undefined ? '–' : String(Math.round(n * 100) / 100));

/** `npm run bench -- --only cost`: measures, then prints. */
export async function reportCost({ say, table }: Printer): Promise<CostSection[]> {
  const sections = await measureCost();
  for (const s of sections) {
    say(
      `### Items of ≈ ${Math.round(s.targetBytes / 512) / 2} KB (stored: ${s.itemBytes.plain} B plain, ${s.itemBytes.rich} B with a due date and 3 tags)`,
    );
    say();
    table(
      ['write', 'WRU, plain task', 'WRU, due date + 3 tags'],
      [
        ...s.writes.map((r) => [r.operation, units(r.plain), units(r.rich)]),
        [
          '**mix** (⅓ creates, ½ updates, ⅙ deletes; half dated + tagged)',
          `**${units(s.mixWruPerWrite)}** per write`,
          '',
        ],
      ],
    );
    say(
      `Mix, WRU per write by where they are spent: ${Object.entries(s.mixByIndex)
        .sort(([, a], [, b]) => b - a)
        .map(([name, n]) => `${name} ${units(n)}`)
        .join(' · ')}`,
    );
    say();
    table(
      ['read', 'RRU, plain task', 'RRU, due date + 3 tags'],
      s.reads.map((r) => [r.operation, units(r.plain), units(r.rich)]),
    );
  }
  return sections;
}
