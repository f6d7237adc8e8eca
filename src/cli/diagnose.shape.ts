// How a worker hands the engine's view of each event (engineView) to the main thread without
// JSON: the values go into one Float64Array (strings as indices into a per-chunk string table)
// and each event names its shape — its keys, nesting and value kinds. The main thread compiles one
// small function per shape that rebuilds the object with a literal (the engine then sees objects of
// a few stable hidden classes), so no text is parsed a second time. Same keys, same order, same values.

import { TOKEN_CLOSE, TOKEN_OPEN, type ScannedEvent } from '../domain/index.ts';

const SEP = '\u0001';
const UNSAFE_KEY = /[\u0000-\u001f{}]/;
/** Keys already checked (object keys repeat, so one lookup instead of a regex test per key). */
const safeKeys = new Map<string, boolean>();

function safeKey(k: string): boolean {
  let ok = safeKeys.get(k);
  if (ok === undefined) {
    ok = !UNSAFE_KEY.test(k) && k !== '__proto__';
    if (safeKeys.size < 10_000) safeKeys.set(k, ok);
  }
  return ok;
}

/**
 * A node of the trie of shapes of scanned events (ShapeEncoder.addScanned): one step per member
 * (field and value kind), so a shape is found without building its text per event.
 */
interface ShapeNode {
  /** Children and their step codes (field gid * 8 + value kind); most nodes have one or two. */
  codes: number[];
  kids: ShapeNode[];
  /** The shape text up to here; `done` with the envelope's end. */
  sig: string;
  done: string;
  /** Shape id of `done` in the encoder numbered `stamp`. */
  stamp: number;
  id: number;
}

const KIND_CODES = 'snTFzA';
/** Per skip list: the trie's root, and per field gid whether the field is left out. */
const roots = new Map<object | undefined, { root: ShapeNode; skipped: boolean[] }>();
let encoders = 0;

function node(sig: string, envelopeEnd: string): ShapeNode {
  return { codes: [], kids: [], sig, done: sig + envelopeEnd, stamp: -1, id: 0 };
}

const ENVELOPE_STRINGS = ['v', 'id', 'type', 'terminal', 'ts'] as const;

/** Builds the value stream, string table and shape list of one chunk. */
export class ShapeEncoder {
  readonly nums: number[] = [];
  readonly strs: string[] = [];
  readonly shapes: string[] = [];
  private readonly strIndex = new Map<string, number>();
  private readonly shapeIndex = new Map<string, number>();
  private readonly stamp = encoders++;
  /** Per field gid: the last string added for it and its index (enums and versions repeat). */
  private readonly lastStr: (string | undefined)[] = [];
  private readonly lastIdx: number[] = [];

  /**
   * Adds a scanned event (src/domain scanEventTokens) without its top-level keys in `skip`: the
   * same values and shape text as add() on the event object, with the shape found in a trie.
   */
  addScanned(e: ScannedEvent, skip: Readonly<Record<string, true | undefined>>): void {
    const nums = this.nums;
    const at = nums.length;
    nums.push(0);
    let trie = roots.get(skip);
    if (trie === undefined) {
      let sig = '';
      for (const k of ENVELOPE_STRINGS) if (skip[k] !== true) sig += k + SEP + (k === 'v' ? 'n' : 's') + SEP;
      trie = { root: node(sig, skip['tsMs'] === true ? '' : `tsMs${SEP}n${SEP}`), skipped: [] };
      roots.set(skip, trie);
    }
    const skipped = trie.skipped;
    let n: ShapeNode = trie.root;
    if (skip['v'] !== true) nums.push(1);
    if (skip['id'] !== true) nums.push(this.str(e.id));
    if (skip['type'] !== true) nums.push(this.str(e.type));
    if (skip['terminal'] !== true) nums.push(this.str(e.terminal));
    if (skip['ts'] !== true) nums.push(this.str(e.ts));
    const { fields, marks, values } = e;
    for (let i = 0; i < e.count; i++) {
      const f = fields[i]!;
      let out = skipped[f.gid];
      if (out === undefined) skipped[f.gid] = out = f.top && skip[f.name] === true;
      if (out) continue;
      const mark = marks[i]!;
      let kind: number;
      if (mark === TOKEN_OPEN) kind = 6;
      else if (mark === TOKEN_CLOSE) kind = 7;
      else {
        const v = values[i];
        if (typeof v === 'string') {
          kind = 0;
          if (v === this.lastStr[f.gid]) nums.push(this.lastIdx[f.gid]!);
          else {
            const s = this.str(v);
            this.lastStr[f.gid] = v;
            this.lastIdx[f.gid] = s;
            nums.push(s);
          }
        } else if (typeof v === 'number') {
          kind = 1;
          nums.push(v);
        } else if (v === true) kind = 2;
        else if (v === false) kind = 3;
        else if (v === null) kind = 4;
        else {
          kind = 5;
          const a = v as string[];
          nums.push(a.length);
          for (let j = 0; j < a.length; j++) nums.push(this.str(a[j]!));
        }
      }
      const code = f.gid * 8 + kind;
      const codes = n.codes;
      let k = 0;
      while (k < codes.length && codes[k] !== code) k++;
      let child: ShapeNode | undefined = n.kids[k];
      if (child === undefined) {
        const piece = kind === 6 ? f.name + SEP + '{' : kind === 7 ? '}' + SEP : f.name + SEP + KIND_CODES[kind] + SEP;
        child = node(n.sig + piece, n.done.slice(n.sig.length));
        codes.push(code);
        n.kids.push(child);
      }
      n = child;
    }
    if (n.stamp !== this.stamp) {
      let id = this.shapeIndex.get(n.done);
      if (id === undefined) {
        id = this.shapes.push(n.done) - 1;
        this.shapeIndex.set(n.done, id);
      }
      n.stamp = this.stamp;
      n.id = id;
    }
    nums[at] = n.id;
    if (skip['tsMs'] !== true) nums.push(e.tsMs);
  }

  /** Adds `o` without its top-level keys in `skip` (the engine's unread fields: no copy of the event). */
  add(o: object, skip?: Readonly<Record<string, true | undefined>>): void {
    const at = this.nums.length;
    this.nums.push(0);
    const sig = this.sig(o as Record<string, unknown>, skip);
    let id = this.shapeIndex.get(sig);
    if (id === undefined) {
      id = this.shapes.push(sig) - 1;
      this.shapeIndex.set(sig, id);
    }
    this.nums[at] = id;
  }

  private str(s: string): number {
    let i = this.strIndex.get(s);
    if (i === undefined) {
      i = this.strs.push(s) - 1;
      this.strIndex.set(s, i);
    }
    return i;
  }

  /** The shape text of `o` (its values pushed); a key the shape text cannot hold sends `o` as JSON. */
  private sig(o: Record<string, unknown>, skip?: Readonly<Record<string, true | undefined>>): string {
    for (const k in o) if (!safeKey(k)) return this.json(skip ? pick(o, skip) : o);
    let sig = '';
    for (const k in o) if (skip?.[k] !== true) sig += k + SEP + this.kind(o[k]) + SEP;
    return sig;
  }

  private json(o: unknown): string {
    this.nums.push(this.str(JSON.stringify(o)));
    return 'J';
  }

  private kind(v: unknown): string {
    switch (typeof v) {
      case 'string':
        this.nums.push(this.str(v));
        return 's';
      case 'number':
        this.nums.push(v);
        return 'n';
      case 'boolean':
        return v ? 'T' : 'F';
      case 'object':
        if (v === null) return 'z';
        if (Array.isArray(v)) {
          if (!v.every((x) => typeof x === 'string')) return this.json(v);
          this.nums.push(v.length);
          for (const x of v) this.nums.push(this.str(x as string));
          return 'A';
        }
        {
          const inner = this.sig(v as Record<string, unknown>);
          return inner === 'J' ? inner : `{${inner}}`;
        }
      default:
        return this.json(v);
    }
  }
}

function pick(o: Record<string, unknown>, skip: Readonly<Record<string, true | undefined>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k in o) if (skip[k] !== true) out[k] = o[k];
  return out;
}

type Build = (n: Float64Array, s: string[], r: { p: number }) => Record<string, unknown>;

function strings(n: Float64Array, s: string[], from: number, count: number): string[] {
  const out = new Array<string>(count);
  for (let i = 0; i < count; i++) out[i] = s[n[from + i]!]!;
  return out;
}

/** JavaScript of an object literal for the shape text starting at `pos`; returns the end position. */
function literal(sig: string, pos: number, out: string[]): number {
  out.push('{');
  while (pos < sig.length && sig[pos] !== '}') {
    const k = sig.indexOf(SEP, pos);
    const key = sig.slice(pos, k);
    out.push(`${JSON.stringify(key)}:`);
    pos = k + 1;
    const kind = sig[pos]!;
    if (kind === '{') {
      pos = literal(sig, pos + 1, out) + 1; // past '}'
    } else {
      pos++;
      if (kind === 's') out.push('s[n[p++]]');
      else if (kind === 'n') out.push('n[p++]');
      else if (kind === 'T') out.push('true');
      else if (kind === 'F') out.push('false');
      else if (kind === 'z') out.push('null');
      else if (kind === 'A') out.push('(l = n[p], a = strings(n, s, p + 1, l), p += l + 1, a)');
      else out.push('JSON.parse(s[n[p++]])');
    }
    pos++; // the separator after the kind
    out.push(',');
  }
  out.push('}');
  return pos;
}

const builds = new Map<string, Build>();

function compile(sig: string): Build {
  let build = builds.get(sig);
  if (!build) {
    let body: string;
    if (sig === 'J') body = 'const o = JSON.parse(s[n[p++]]);';
    else {
      const out: string[] = [];
      literal(sig, 0, out);
      body = `let l, a; const o = ${out.join('')};`;
    }
    build = new Function('strings', `return function (n, s, r) { let p = r.p; ${body} r.p = p; return o; };`)(strings) as Build;
    builds.set(sig, build);
  }
  return build;
}

/**
 * The objects of one chunk one at a time, rebuilt from its value stream, string table and shapes:
 * each call returns the next (undefined after the last). Objects built only as they are taken die
 * young; a whole chunk of them built at once outlived the young generation's collections.
 */
export function shapeReader(nums: Float64Array, strs: string[], shapes: string[]): () => unknown {
  const fns = shapes.map(compile);
  const r = { p: 0 };
  return () => (r.p < nums.length ? fns[nums[r.p++]!]!(nums, strs, r) : undefined);
}

/** The objects of one chunk, rebuilt from its value stream, string table and shapes. */
export function decodeShapes(nums: Float64Array, strs: string[], shapes: string[]): unknown[] {
  const fns = shapes.map(compile);
  const out: unknown[] = [];
  const r = { p: 0 };
  while (r.p < nums.length) {
    const fn = fns[nums[r.p++]!]!;
    out.push(fn(nums, strs, r));
  }
  return out;
}
