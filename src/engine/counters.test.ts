import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { C, COUNTERS, Counters, EPISODE_GAP, TAU_LONG, TAU_SHORT, TIMED, type CounterId } from './counters.ts';

/** The plain model of a counter: what the sparse block must give back. */
class Dense {
  v = new Float32Array(COUNTERS * 2);
  t = new Uint32Array(COUNTERS * 2);
  ref = 0;
  add(id: number, sec: number, amount: number): void {
    if (sec > this.ref + 900 || this.ref === 0) {
      if (this.ref > 0) for (let i = 0; i < COUNTERS; i++) {
        this.v[i * 2]! *= Math.exp(-(sec - this.ref) / TAU_SHORT);
        this.v[i * 2 + 1]! *= Math.exp(-(sec - this.ref) / TAU_LONG);
      }
      this.ref = sec;
    }
    const age = this.ref - sec;
    this.v[id * 2] = this.v[id * 2]! + amount * Math.exp(-age / TAU_SHORT);
    this.v[id * 2 + 1] = this.v[id * 2 + 1]! + amount * Math.exp(-age / TAU_LONG);
    const first = this.t[id * 2]!;
    const last = this.t[id * 2 + 1]!;
    if (last === 0 || sec - last > EPISODE_GAP) {
      if (sec >= last) this.t[id * 2] = sec;
    } else if (sec < first && first - sec < EPISODE_GAP) this.t[id * 2] = sec;
    if (sec > last) this.t[id * 2 + 1] = sec;
  }
}

test('sparse counters give what dense ones give, whatever order counters first appear in (pages included)', () => {
  let seed = 7;
  const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
  for (let round = 0; round < 20; round++) {
    const c = new Counters();
    const d = new Dense();
    let sec = 1_780_000_000;
    for (let k = 0; k < 400; k++) {
      sec += rnd(600) - 100;
      const id = rnd(round < 10 ? COUNTERS : 12 + round) as CounterId;
      const amount = rnd(5) + 1;
      c.add(id, sec, amount);
      d.add(id, sec, amount);
    }
    const restored = new Counters();
    restored.restore(JSON.parse(JSON.stringify(c.block())));
    for (const x of [c, restored]) {
      for (let id = 0; id < COUNTERS; id++) {
        const cid = id as CounterId;
        assert.equal(x.short(cid, sec), d.v[id * 2]! * Math.exp(-(sec - d.ref) / TAU_SHORT), `short ${id}`);
        assert.equal(x.long(cid, sec), d.v[id * 2 + 1]! * Math.exp(-(sec - d.ref) / TAU_LONG), `long ${id}`);
        if (!TIMED.includes(cid)) continue;
        assert.equal(x.first(cid), d.t[id * 2], `first ${id}`);
        assert.equal(x.last(cid), d.t[id * 2 + 1], `last ${id}`);
      }
    }
  }
});

test('the hour ring keeps one bit per hour', () => {
  const c = new Counters();
  c.setHour(3, 7);
  c.setHour(47, 1);
  assert.deepEqual([c.hour(2), c.hour(3), c.hour(47)], [0, 1, 1]);
  c.setHour(3, 0);
  assert.equal(c.hour(3), 0);
});

test('first()/last() of a counter outside TIMED throws; every first(C.X)/last(C.X) in the engine is TIMED', () => {
  assert.throws(() => new Counters().first(C.EV), /TIMED/);
  const dir = new URL('.', import.meta.url);
  const files = [...readdirSync(dir).map((f) => new URL(f, dir)), ...readdirSync(new URL('detectors/', dir)).map((f) => new URL(`detectors/${f}`, dir))];
  const names = Object.entries(C);
  for (const f of files.filter((u) => u.pathname.endsWith('.ts') && !u.pathname.endsWith('.test.ts'))) {
    for (const m of readFileSync(f, 'utf8').matchAll(/\b(?:first|last)\(C\.([A-Z_]+)\)/g)) {
      const id = names.find(([n]) => n === m[1])?.[1];
      assert.ok(id !== undefined && TIMED.includes(id), `${f.pathname}: ${m[0]} needs ${m[1]} in TIMED`);
    }
  }
});

test('many terminals with every counter: overflow pages across page slabs keep each terminal its own', () => {
  const all = Array.from({ length: 300 }, () => new Counters());
  const sec = 1_780_000_000;
  all.forEach((c, k) => {
    for (let id = COUNTERS - 1; id >= 0; id--) c.add(id as CounterId, sec + k, k + id);
  });
  all.forEach((c, k) => {
    for (let id = 0; id < COUNTERS; id++) {
      assert.equal(c.long(id as CounterId, sec + k), Math.fround(k + id), `terminal ${k} counter ${id}`);
      if (TIMED.includes(id as CounterId)) assert.equal(c.last(id as CounterId), sec + k);
    }
  });
});
