// What an exposure check can look at. Each declared asset names (or implies, from its port or scheme)
// exactly one kind of check; the probe for that kind asks for metadata only and never writes.

export const CHECK_KINDS = [
  'elasticsearch',
  'opensearch',
  'kibana',
  'mongodb',
  'redis',
  'postgresql',
  'couchdb',
  's3',
  'tls',
] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];

export const CHECK_LABELS: Record<CheckKind, string> = {
  elasticsearch: 'Elasticsearch',
  opensearch: 'OpenSearch',
  kibana: 'Kibana',
  mongodb: 'MongoDB',
  redis: 'Redis',
  postgresql: 'PostgreSQL',
  couchdb: 'CouchDB',
  s3: 'S3-compatible storage',
  tls: 'TLS certificate',
};

/** The port each kind listens on when the asset names none. */
export const DEFAULT_PORTS: Record<CheckKind, number> = {
  elasticsearch: 9200,
  opensearch: 9200,
  kibana: 5601,
  mongodb: 27017,
  redis: 6379,
  postgresql: 5432,
  couchdb: 5984,
  s3: 443,
  tls: 443,
};

/** Kinds that speak HTTP, so a URL's scheme decides whether the connection is TLS. */
export const HTTP_KINDS: readonly CheckKind[] = ['elasticsearch', 'opensearch', 'kibana', 'couchdb', 's3'];

const BY_PORT: Record<number, CheckKind> = {
  9200: 'elasticsearch',
  5601: 'kibana',
  27017: 'mongodb',
  6379: 'redis',
  5432: 'postgresql',
  5984: 'couchdb',
  443: 'tls',
};

const ALIASES: Record<string, CheckKind> = {
  elastic: 'elasticsearch',
  es: 'elasticsearch',
  mongo: 'mongodb',
  postgres: 'postgresql',
  pg: 'postgresql',
  couch: 'couchdb',
  bucket: 's3',
  https: 'tls',
  certificate: 'tls',
};

export function checkKindWord(word: string): CheckKind | null {
  const w = word.trim().toLowerCase();
  if ((CHECK_KINDS as readonly string[]).includes(w)) return w as CheckKind;
  return ALIASES[w] ?? null;
}

/** The kind a port implies when none was named: the well-known port of each service. */
export function kindForPort(port: number): CheckKind | null {
  return BY_PORT[port] ?? null;
}

export function isCheckKind(value: string): value is CheckKind {
  return (CHECK_KINDS as readonly string[]).includes(value);
}
