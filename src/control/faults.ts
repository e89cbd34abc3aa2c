/**
 * Fault rules (`/__mock/faults`): which requests they hit (operation, project, cluster, job, method, path),
 * how often (`after` N passes, then `times` N, or for ever; with a `probability` drawn from the mock's seeded
 * random source, never Math.random), and what they do (an Atlas error of the catalogue, a latency, a
 * dropped connection). The first rule, in the order added, that fires on a request is the one applied.
 *
 * The registry is consulted only when it holds a rule (`empty`): without rules a request pays one check.
 */
import type { RandomSource } from '../core/random.js';
import type { ErrorCode } from '../errors/catalogue.js';
import { AtlasError } from '../errors/atlas-error.js';

export const DEFAULT_MAX_FAULT_RULES = 1000;
import type { ErrorParameter } from '../errors/atlas-error.js';

export interface FaultErrorSpec {
  errorCode: ErrorCode;
  status?: number;
  detail?: string;
  parameters?: ErrorParameter[];
  /** Seconds, sent as `Retry-After` (default 60 for 429 and 503). */
  retryAfter?: number;
}

export interface FaultRuleInput {
  description?: string;
  operation?: string;
  groupId?: string;
  clusterName?: string;
  exportId?: string;
  method?: string;
  /** Exact path, or a pattern where `*` matches any characters (including `/`). */
  path?: string;
  /** Matching requests let through before the rule starts to apply. */
  after?: number;
  /** Applies to this many requests, then is removed (default: until deleted). */
  times?: number;
  /** Chance (0–1] that a matching request is hit (default 1). */
  probability?: number;
  error?: ErrorCode | FaultErrorSpec;
  /** Milliseconds of wall time, fixed or drawn from [min, max]. */
  latency?: number | { min: number; max: number };
  drop?: boolean;
}

/** What a rule is matched against: the request's route and path parameters. */
export interface FaultTarget {
  method: string;
  path: string;
  operation: string | null;
  operationId: string | null;
  groupId: string | undefined;
  clusterName: string | undefined;
  exportId: string | undefined;
}

export interface FaultRule {
  readonly id: string;
  readonly input: FaultRuleInput;
  readonly error: FaultErrorSpec | undefined;
  /** Matching requests seen so far. */
  seen: number;
  /** Requests the rule was applied to so far. */
  applied: number;
  /** Applications left (undefined: unlimited). */
  remaining: number | undefined;
  latencyMs(random: RandomSource): number;
}

export interface FaultView extends FaultRuleInput {
  id: string;
  seen: number;
  applied: number;
  remaining: number | null;
}

interface CompiledRule extends FaultRule {
  matches(t: FaultTarget): boolean;
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

function compile(id: string, input: FaultRuleInput): CompiledRule {
  const method = input.method?.toUpperCase();
  const path = input.path;
  const pathRe = path?.includes('*') ? globToRegExp(path) : undefined;
  const error = typeof input.error === 'string' ? { errorCode: input.error } : input.error;
  const latency = input.latency;
  return {
    id,
    input,
    error,
    seen: 0,
    applied: 0,
    remaining: input.times,
    matches(t) {
      if (input.operation !== undefined && input.operation !== t.operation && input.operation !== t.operationId) return false;
      if (input.groupId !== undefined && input.groupId !== t.groupId) return false;
      if (input.clusterName !== undefined && input.clusterName !== t.clusterName) return false;
      if (input.exportId !== undefined && input.exportId !== t.exportId) return false;
      if (method !== undefined && method !== t.method) return false;
      if (path !== undefined && (pathRe ? !pathRe.test(t.path) : path !== t.path)) return false;
      return true;
    },
    latencyMs(random) {
      if (latency === undefined) return 0;
      if (typeof latency === 'number') return latency;
      return random.int(latency.min, latency.max);
    },
  };
}

export interface FaultsImage {
  nextId: number;
  rules: { id: string; input: FaultRuleInput }[];
}

export class FaultRegistry {
  private rules: CompiledRule[] = [];
  private nextId = 1;

  /** `max`: rules held at once (a runaway test cannot fill the memory or slow every request down). */
  constructor(
    private readonly random: RandomSource,
    private readonly max: number = DEFAULT_MAX_FAULT_RULES,
  ) {}

  /** True when no rule exists: the hot path checks this and nothing else. */
  get empty(): boolean {
    return this.rules.length === 0;
  }

  get size(): number {
    return this.rules.length;
  }

  add(input: FaultRuleInput): FaultView {
    if (this.rules.length >= this.max) throw new AtlasError('CONTROL_LIMIT_EXCEEDED', [this.max, 'fault rules']);
    const rule = compile(`fault-${this.nextId++}`, input);
    this.rules.push(rule);
    return view(rule);
  }

  list(): FaultView[] {
    return this.rules.map(view);
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length < before;
  }

  /** As new: no rule, and the next one is `fault-1` again (a mock that `startAtlasMock` reuses). */
  renew(): void {
    this.rules = [];
    this.nextId = 1;
  }

  /** Removes every rule, or the rules scoped to one project; returns how many. */
  clear(groupId?: string): number {
    const before = this.rules.length;
    this.rules = groupId === undefined ? [] : this.rules.filter((r) => r.input.groupId !== groupId);
    return before - this.rules.length;
  }

  /** The rules that match a request, in the order added (a shared mock counts them in Redis). */
  candidates(target: FaultTarget): FaultRule[] {
    return this.rules.filter((r) => r.matches(target));
  }

  /** The rules (and the next id) as JSON: a checkpoint of a shared mock. */
  image(): FaultsImage {
    return { nextId: this.nextId, rules: this.rules.map((r) => ({ id: r.id, input: r.input })) };
  }

  /** Puts an image back; counters start from zero (a shared mock keeps them in Redis). */
  restore(image: FaultsImage): void {
    this.rules = image.rules.map((r) => compile(r.id, r.input));
    this.nextId = image.nextId;
  }

  /**
   * The rule that fires on this request, counted as applied (and removed once its `times` are used up);
   * undefined when none does. `named`: only rules that name the target's operation (the writes of export
   * files are hit by rules that ask for `writeExportFile`, never by rules meant for API requests).
   */
  pick(target: FaultTarget, named = false): FaultRule | undefined {
    for (const rule of this.rules) {
      if (named && rule.input.operation === undefined) continue;
      if (!rule.matches(target)) continue;
      rule.seen++;
      if (rule.seen <= (rule.input.after ?? 0)) continue;
      const p = rule.input.probability;
      if (p !== undefined && p < 1 && this.random.next() >= p) continue;
      rule.applied++;
      if (rule.remaining !== undefined && --rule.remaining <= 0) this.remove(rule.id);
      return rule;
    }
    return undefined;
  }
}

function view(rule: CompiledRule): FaultView {
  return { id: rule.id, ...rule.input, seen: rule.seen, applied: rule.applied, remaining: rule.remaining ?? null };
}
