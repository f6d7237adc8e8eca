// Prometheus metrics for /metrics. Ingest figures are read from the ingestor at scrape time, so the
// counters are exactly what the ingestor counted; HTTP durations are observed per request.

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Ingestor, Transport } from '../ingest/index.ts';

export interface ServerMetrics {
  registry: Registry;
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  /** Counts an MQTT message refused before it reached the ingestor (bad topic, wrong terminal). */
  countMqttRefused(reason: string): void;
}

const TRANSPORTS: Transport[] = ['http', 'mqtt', 'file'];

function ingestCounter(registry: Registry, ingestor: Ingestor, name: string, help: string, pick: 'accepted' | 'duplicates' | 'rejected') {
  return new Counter({
    name,
    help,
    labelNames: ['transport'],
    registers: [registry],
    collect() {
      const stats = ingestor.stats();
      this.reset();
      for (const transport of TRANSPORTS) this.inc({ transport }, stats.byTransport[transport]?.[pick] ?? 0);
    },
  });
}

/** Creates the metric set of one server; a fresh registry per app so that tests stay independent. */
export function createMetrics(ingestor: Ingestor, opts: { defaultMetrics?: boolean } = {}): ServerMetrics {
  const registry = new Registry();
  if (opts.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'posops_' });
  ingestCounter(registry, ingestor, 'posops_events_accepted_total', 'events accepted and durable, by transport', 'accepted');
  ingestCounter(registry, ingestor, 'posops_events_rejected_total', 'events rejected as invalid, by transport', 'rejected');
  ingestCounter(registry, ingestor, 'posops_events_duplicate_total', 'events dropped as duplicates (terminal+id), by transport', 'duplicates');
  new Gauge({
    name: 'posops_log_bytes',
    help: 'bytes of the event log on disk',
    registers: [registry],
    collect() {
      this.set(ingestor.stats().logBytes);
    },
  });
  new Gauge({
    name: 'posops_ingest_queue_depth',
    help: 'events waiting to be made durable',
    registers: [registry],
    collect() {
      this.set(ingestor.stats().queueDepth);
    },
  });
  const refused = new Counter({ name: 'posops_mqtt_refused_total', help: 'MQTT messages refused before ingest, by reason', labelNames: ['reason'], registers: [registry] });
  const durations = new Histogram({
    name: 'posops_http_request_duration_seconds',
    help: 'HTTP request durations',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    registry,
    observeRequest: (method, route, status, seconds) => durations.observe({ method, route, status_code: String(status) }, seconds),
    countMqttRefused: (reason) => refused.inc({ reason }),
  };
}
