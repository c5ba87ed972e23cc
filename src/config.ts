import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseAuditKey } from './core/audit/key.ts';
import type { Routing, SignatureMode } from './core/common/deps.ts';
import { parseYamlText } from './core/common/yaml-data.ts';
import { parseRequiredEvidenceRules } from './core/evidence/required.ts';
import { DEFAULT_POLICY, type Policy } from './core/policy/policy.ts';
import { DEFAULT_DATABASE_URL } from './store/database.ts';
import { LIVE_CREDENTIALS } from './teams/anonymous-dev.ts';

// The only reader of process.env. Everything else receives a Config.

const optional = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined));

const list = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z.string().trim().min(1).default(DEFAULT_DATABASE_URL),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(600).default(10),
  BOT_TIMEZONE: z
    .string()
    .default('UTC')
    .refine((tz) => isTimeZone(tz), 'is not an IANA time zone such as Europe/Berlin'),
  BOT_ADMINS: list,
  POLICY_FILE: optional,
  SLACK_BOT_TOKEN: optional.refine((v) => !v || v.startsWith('xoxb-'), 'must be a bot token starting with xoxb-'),
  SLACK_SIGNING_SECRET: optional,
  SLACK_APP_TOKEN: optional.refine(
    (v) => !v || v.startsWith('xapp-'),
    'must be an app-level token starting with xapp-',
  ),
  SLACK_API_URL: optional.refine((v) => !v || /^https?:\/\//.test(v), 'must be an http(s) URL'),
  SLACK_FINDINGS_CHANNEL: optional,
  SLACK_APPROVALS_CHANNEL: optional,
  INCIDENT_CHANNEL: optional,
  MICROSOFT_APP_ID: optional,
  MICROSOFT_APP_PASSWORD: optional,
  MICROSOFT_APP_TENANT_ID: optional,
  MICROSOFT_APP_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('SingleTenant'),
  TEAMS_ALLOWED_TENANTS: list,
  TEAMS_FINDINGS_CONVERSATION: optional,
  TEAMS_APPROVALS_CONVERSATION: optional,
  TEAMS_INCIDENT_CONVERSATION: optional,
  TEAMS_ALLOW_ANONYMOUS_DEV: z
    .enum(['true', 'false', '1', '0', ''])
    .optional()
    .transform((v) => v === 'true' || v === '1'),
  SIGNALS_WEBHOOK_SECRET: optional,
  OUTBOX_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  INBOUND_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  REDIS_URL: optional.refine((v) => !v || /^rediss?:\/\//.test(v), 'must be a redis:// or rediss:// URL'),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'must be 1-64 letters, digits, _ . : or -')
    .default('vendor-risk'),
  EXPOSURE_ALLOW_PRIVATE: z
    .enum(['true', 'false', '1', '0', ''])
    .optional()
    .transform((v) => v === 'true' || v === '1'),
  EXPOSURE_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  AUDIT_KEY: optional,
  AUDIT_KEY_FILE: optional,
  AUDIT_CHECKPOINT_FILE: optional,
  SLACK_AUDIT_CHANNEL: optional,
  TEAMS_AUDIT_CONVERSATION: optional,
  SIGNATURE_MODE: z.enum(['pin', 'chat-identity']).default('pin'),
});

function isTimeZone(tz: string): boolean {
  // UTC needs no check, and checking would load the zone database into every process that runs in it.
  if (tz === 'UTC') return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export interface SlackConfig {
  botToken: string;
  signingSecret: string;
  appToken: string | undefined;
  apiUrl: string | undefined;
  findingsChannel: string | undefined;
  approvalsChannel: string | undefined;
  /** INCIDENT_CHANNEL: where incident cards go; else where findings go. */
  incidentChannel?: string | undefined;
  /** INBOUND_LEASE_SECONDS: how long a process holds a click before another may re-run it (src/slack/inbox.ts). */
  inboxLeaseMs?: number;
}

export interface TeamsConfig {
  appId: string;
  appPassword: string;
  tenantId: string | undefined;
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  allowedTenants: string[];
  allowAnonymousDev: boolean;
  findingsConversation: string | undefined;
  approvalsConversation: string | undefined;
  incidentConversation?: string | undefined;
  /** Where the Bot Framework publishes its token signing keys: its public cloud's unless set (another cloud, a test stand-in). */
  openIdMetadataUrl?: string | undefined;
}

export interface Config {
  port: number;
  databaseUrl: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** `auto`: human-readable lines on a terminal, JSON otherwise. */
  logFormat: z.infer<typeof envSchema>['LOG_FORMAT'];
  /** How long a stopping bot waits for sends in flight before closing the store. */
  shutdownGraceMs: number;
  timeZone: string;
  admins: string[];
  policy: Policy;
  slack: SlackConfig | null;
  teams: TeamsConfig | null;
  signalsWebhookSecret: string | undefined;
  /** Replicas share their platform rate limits through this Redis; unset, a process paces alone. */
  redisUrl: string | undefined;
  /** Starts every key this installation keeps in Redis: installations sharing one Redis need their own. */
  redisKeyPrefix: string;
  /** How long a claimed outbox row stays with its relay: after a crash, another replica sends it then. */
  outboxLeaseMs: number;
  exposure: ExposureConfig;
  audit: AuditConfig;
  /** SIGNATURE_MODE: 'pin' (chat identity plus signing PIN, the default) or 'chat-identity' (outside GxP). */
  signatureMode: SignatureMode;
}

export interface AuditConfig {
  /** Keys every audit row's MAC (AUDIT_KEY or the file AUDIT_KEY_FILE names); null: rows are unkeyed. */
  key: Buffer | null;
  /** AUDIT_CHECKPOINT_FILE: the append-only JSON-lines file that witnesses the chain's head. */
  checkpointFile: string | undefined;
  /** Where each checkpoint is also posted, as outbox targets. */
  channels: string[];
}

export interface ExposureConfig {
  /** Probe private, loopback and link-local addresses too: on-premises deployments and tests only. */
  allowPrivate: boolean;
  /** Each probe, connection included, gives up after this long: "could not check". */
  timeoutMs: number;
}

export class ConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Configuration is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

/** The bot registration's app id alone, for packaging the Teams app: that needs no secret. */
export function teamsBotIdFrom(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return optional.parse(env.MICROSOFT_APP_ID);
}

/** Reads and validates the environment once; every problem is named, one line each. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];

  let slack: SlackConfig | null = null;
  if (e.SLACK_BOT_TOKEN || e.SLACK_SIGNING_SECRET || e.SLACK_APP_TOKEN) {
    if (!e.SLACK_BOT_TOKEN) problems.push('SLACK_BOT_TOKEN is missing (the bot token, xoxb-…)');
    if (!e.SLACK_SIGNING_SECRET) problems.push('SLACK_SIGNING_SECRET is missing (Basic Information → Signing Secret)');
    if (e.SLACK_BOT_TOKEN && e.SLACK_SIGNING_SECRET) {
      slack = {
        botToken: e.SLACK_BOT_TOKEN,
        signingSecret: e.SLACK_SIGNING_SECRET,
        appToken: e.SLACK_APP_TOKEN,
        apiUrl: e.SLACK_API_URL,
        findingsChannel: e.SLACK_FINDINGS_CHANNEL,
        approvalsChannel: e.SLACK_APPROVALS_CHANNEL,
        incidentChannel: e.INCIDENT_CHANNEL,
        inboxLeaseMs: e.INBOUND_LEASE_SECONDS * 1000,
      };
    }
  }

  let teams: TeamsConfig | null = null;
  if (e.MICROSOFT_APP_ID || e.MICROSOFT_APP_PASSWORD || e.TEAMS_ALLOW_ANONYMOUS_DEV) {
    if (e.MICROSOFT_APP_ID && !e.MICROSOFT_APP_PASSWORD && e.MICROSOFT_APP_TYPE !== 'UserAssignedMSI') {
      problems.push('MICROSOFT_APP_PASSWORD is missing (the client secret of the bot registration)');
    }
    if (e.MICROSOFT_APP_TYPE === 'SingleTenant' && e.MICROSOFT_APP_ID && !e.MICROSOFT_APP_TENANT_ID) {
      problems.push('MICROSOFT_APP_TENANT_ID is missing (required for a SingleTenant bot)');
    }
    if (!e.MICROSOFT_APP_ID && !e.TEAMS_ALLOW_ANONYMOUS_DEV) {
      problems.push('MICROSOFT_APP_ID is missing (set TEAMS_ALLOW_ANONYMOUS_DEV=true only for local development)');
    }
    const live = LIVE_CREDENTIALS.filter((name) => Boolean(e[name]));
    if (!e.MICROSOFT_APP_ID && e.TEAMS_ALLOW_ANONYMOUS_DEV && live.length > 0) {
      problems.push(
        `TEAMS_ALLOW_ANONYMOUS_DEV=true authenticates nothing, so it may not run beside ${live.join(', ')}: ` +
          'unset the flag (and set MICROSOFT_APP_ID) or remove the other credentials',
      );
    }
    teams = {
      appId: e.MICROSOFT_APP_ID ?? '',
      appPassword: e.MICROSOFT_APP_PASSWORD ?? '',
      tenantId: e.MICROSOFT_APP_TENANT_ID,
      appType: e.MICROSOFT_APP_TYPE,
      allowedTenants: e.TEAMS_ALLOWED_TENANTS,
      allowAnonymousDev: e.TEAMS_ALLOW_ANONYMOUS_DEV,
      findingsConversation: e.TEAMS_FINDINGS_CONVERSATION,
      approvalsConversation: e.TEAMS_APPROVALS_CONVERSATION,
      incidentConversation: e.TEAMS_INCIDENT_CONVERSATION,
    };
  }

  let policy = DEFAULT_POLICY;
  if (e.POLICY_FILE) {
    try {
      policy = mergePolicy(DEFAULT_POLICY, parseYamlText(readFileSync(e.POLICY_FILE, 'utf8')));
    } catch (error) {
      problems.push(`POLICY_FILE ${e.POLICY_FILE} could not be read: ${(error as Error).message}`);
    }
  }

  if (e.AUDIT_KEY && e.AUDIT_KEY_FILE) problems.push('set AUDIT_KEY or AUDIT_KEY_FILE, not both');
  let auditKey: Buffer | null = null;
  const keyText = e.AUDIT_KEY ?? (e.AUDIT_KEY_FILE ? readSecretFile(e.AUDIT_KEY_FILE, problems) : undefined);
  if (keyText !== undefined) {
    const parsed = parseAuditKey(keyText);
    if (typeof parsed === 'string') problems.push(`${e.AUDIT_KEY ? 'AUDIT_KEY' : 'AUDIT_KEY_FILE'} ${parsed}`);
    else auditKey = parsed;
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    shutdownGraceMs: e.SHUTDOWN_GRACE_SECONDS * 1000,
    timeZone: e.BOT_TIMEZONE,
    admins: e.BOT_ADMINS,
    policy,
    slack,
    teams,
    signalsWebhookSecret: e.SIGNALS_WEBHOOK_SECRET,
    redisUrl: e.REDIS_URL,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    outboxLeaseMs: e.OUTBOX_LEASE_SECONDS * 1000,
    exposure: { allowPrivate: e.EXPOSURE_ALLOW_PRIVATE, timeoutMs: e.EXPOSURE_TIMEOUT_MS },
    audit: {
      key: auditKey,
      checkpointFile: e.AUDIT_CHECKPOINT_FILE,
      channels: [
        ...(e.SLACK_AUDIT_CHANNEL ? [`slack:${e.SLACK_AUDIT_CHANNEL}`] : []),
        ...(e.TEAMS_AUDIT_CONVERSATION ? [`teams:conv:${e.TEAMS_AUDIT_CONVERSATION}`] : []),
      ],
    },
    signatureMode: e.SIGNATURE_MODE,
  };
}

/**
 * What start-up says out loud about the record's strength. A missing audit key is a warning, not a
 * refusal, so evaluation and non-GxP installs start as before; `audit verify` repeats it on every run.
 */
export function complianceWarnings(config: Config): string[] {
  const warnings: string[] = [];
  if (!config.audit.key) {
    warnings.push(
      'AUDIT_KEY (or AUDIT_KEY_FILE) is not set: audit rows are hash-chained but not keyed, so someone who can write the database could rewrite it with recomputed hashes unnoticed. Set AUDIT_KEY to 32 random bytes (openssl rand -hex 32), kept outside the database.',
    );
  }
  if (!config.audit.checkpointFile && config.audit.channels.length === 0) {
    warnings.push(
      'AUDIT_CHECKPOINT_FILE and an audit channel are not set: deleting the newest audit rows could not be detected. Set AUDIT_CHECKPOINT_FILE (append-only storage) and/or SLACK_AUDIT_CHANNEL / TEAMS_AUDIT_CONVERSATION.',
    );
  }
  if (config.signatureMode === 'chat-identity') {
    warnings.push(
      'SIGNATURE_MODE=chat-identity: approvals are signed with the chat session alone, one identification component, which does not meet 21 CFR 11.200(a)(1). Unset it (default: pin) where electronic signatures must be Part 11 compliant.',
    );
  }
  return warnings;
}

function readSecretFile(file: string, problems: string[]): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    problems.push(`AUDIT_KEY_FILE ${file} could not be read: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
    return undefined;
  }
}

/** Overrides the defaults key by key; an unknown key or a wrongly typed value is an error, not ignored. */
export function mergePolicy(base: Policy, override: unknown): Policy {
  if (override === null || override === undefined) return base;
  const merge = (a: unknown, b: unknown, path: string): unknown => {
    if (path === 'requiredEvidence') return parseRequiredEvidenceRules(b, path);
    if (Array.isArray(a)) {
      if (!Array.isArray(b) || b.some((n) => typeof n !== 'number'))
        throw new Error(`${path} must be a list of numbers`);
      return b;
    }
    if (typeof a === 'string') {
      if (typeof b !== 'string' || !b.trim()) throw new Error(`${path} must be a word`);
      return b;
    }
    if (typeof a === 'number') {
      if (typeof b !== 'number' || b < 0) throw new Error(`${path} must be a non-negative number`);
      return b;
    }
    if (typeof b !== 'object' || b === null) throw new Error(`${path} must be a mapping`);
    const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
    for (const [key, value] of Object.entries(b)) {
      if (!(key in out)) throw new Error(`${path ? `${path}.` : ''}${key} is not a policy setting`);
      out[key] = merge(out[key], value, path ? `${path}.${key}` : key);
    }
    return out;
  };
  return merge(base, override, '') as Policy;
}

/** Default targets for findings and approvals, from the platform settings that are present. */
export function routingFrom(config: Config): Routing {
  const findings = [
    config.slack?.findingsChannel && `slack:${config.slack.findingsChannel}`,
    config.teams?.findingsConversation && `teams:conv:${config.teams.findingsConversation}`,
  ].filter((t): t is string => Boolean(t));
  const approvals = [
    config.slack?.approvalsChannel && `slack:${config.slack.approvalsChannel}`,
    config.teams?.approvalsConversation && `teams:conv:${config.teams.approvalsConversation}`,
  ].filter((t): t is string => Boolean(t));
  const incidents = [
    config.slack?.incidentChannel && `slack:${config.slack.incidentChannel}`,
    config.teams?.incidentConversation && `teams:conv:${config.teams.incidentConversation}`,
  ].filter((t): t is string => Boolean(t));
  return { findingsChannels: findings, approvalsChannels: approvals, incidentChannels: incidents };
}
