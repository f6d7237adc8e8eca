import assert from 'node:assert/strict';
import { test } from 'node:test';
import { binomialTail, binomialTailReal, lnGamma, poissonTail } from './stats.ts';

const close = (a: number, b: number, rel = 1e-9): boolean => Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b), 1e-300);

test('binomialTail() is the upper tail of the binomial distribution', () => {
  assert.equal(binomialTail(6, 0, 0.3), 1);
  assert.equal(binomialTail(3, 4, 0.3), 0);
  assert.ok(Math.abs(binomialTail(6, 3, 0.1) - 0.01585) < 1e-5);
  assert.ok(Math.abs(binomialTail(4, 4, 0.04) - 0.04 ** 4) < 1e-12);
  assert.ok(Math.abs(binomialTail(1000, 1, 0.001) - (1 - 0.999 ** 1000)) < 1e-9);
});

test('lnGamma() is ln of the factorial at whole numbers and of Γ(1/2) = √π', () => {
  assert.ok(close(lnGamma(10), Math.log(362880), 1e-12));
  assert.ok(Math.abs(lnGamma(1)) < 1e-12 && Math.abs(lnGamma(2)) < 1e-12);
  assert.ok(close(lnGamma(0.5), 0.5 * Math.log(Math.PI), 1e-12));
  assert.ok(close(lnGamma(0.3), Math.log(2.99156898768759), 1e-12));
});

test('binomialTailReal() equals binomialTail() at whole counts, tiny tails included, and moves smoothly between them', () => {
  for (const [n, k, p] of [[6, 3, 0.1], [4, 4, 0.04], [1000, 1, 0.001], [7, 4, 0.0144], [50, 10, 0.02], [20, 15, 0.9], [200, 30, 0.1], [40, 25, 0.01]] as const) {
    assert.ok(close(binomialTailReal(n, k, p), binomialTail(n, k, p), 1e-9), `n=${n} k=${k} p=${p}: ${binomialTailReal(n, k, p)} vs ${binomialTail(n, k, p)}`);
  }
  assert.equal(binomialTailReal(5, 0, 0.1), 1);
  assert.equal(binomialTailReal(3, 3.5, 0.1), 0);
  assert.equal(binomialTailReal(5, 2, 0), 0);
  // decayed counts between whole ones: between the neighbours' tails, falling as k rises
  const lo = binomialTail(8, 4, 0.01);
  const hi = binomialTail(8, 5, 0.01);
  const mid = binomialTailReal(8, 4.5, 0.01);
  assert.ok(mid < lo && mid > hi, `${hi} < ${mid} < ${lo}`);
  assert.ok(close(binomialTailReal(7.59, 4.55, 0.0095), 2.90415079607e-8, 1e-9));
});

test('poissonTail() is the upper tail of the Poisson distribution, small tails included', () => {
  assert.equal(poissonTail(0, 2), 1);
  assert.ok(close(poissonTail(1, 2), 1 - Math.exp(-2), 1e-12));
  assert.ok(close(poissonTail(3, 1), 1 - Math.exp(-1) * (1 + 1 + 0.5), 1e-9));
  // mu well below k: the first term dominates, P(N >= 4 | mu = 0.001) ~ mu^4 / 4!
  assert.ok(close(poissonTail(4, 0.001), 0.001 ** 4 / 24, 1e-3));
  assert.ok(close(poissonTail(10, 1e-6), 1e-60 / 3628800, 1e-5)); // far below exp(-mu)'s own precision
});
