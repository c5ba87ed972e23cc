import type { CheckKind } from '../../core/exposure/checks.ts';
import type { Probe } from '../probe.ts';
import { probeCouchDb } from './couchdb.ts';
import { probeElasticsearch, probeOpenSearch } from './elasticsearch.ts';
import { probeKibana } from './kibana.ts';
import { probeMongodb } from './mongodb.ts';
import { probePostgresql } from './postgresql.ts';
import { probeRedis } from './redis.ts';
import { probeS3 } from './s3.ts';
import { probeTls } from './tls.ts';

/** One probe per kind of check; the record type makes a kind without a probe a compile error. */
export const PROBES: Record<CheckKind, Probe> = {
  elasticsearch: probeElasticsearch,
  opensearch: probeOpenSearch,
  kibana: probeKibana,
  mongodb: probeMongodb,
  redis: probeRedis,
  postgresql: probePostgresql,
  couchdb: probeCouchDb,
  s3: probeS3,
  tls: probeTls,
};
