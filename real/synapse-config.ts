import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Every port of a deployment, all on 127.0.0.1. */
export interface DeploymentPorts {
  readonly postgres: number;
  readonly main: number;
  readonly replicationTcp: number;
  readonly replicationHttp: number;
  readonly workers: readonly number[];
  readonly nginx: number;
  readonly siteverify: number;
}

/** The model's server name (models/clients/operations.ts `@usera:test`), so user IDs compare as they are. */
export const SERVER_NAME = 'test';
export const DATABASE_NAME = 'synapse';
export const WORKER_NAMES = ['reader1', 'reader2'] as const;

/**
 * homeserver.yaml as the model's DEFAULT_CONFIG describes registration (models/synapse/config.ts),
 * minus what needs an outside service: reCAPTCHA verified by the local siteverify endpoint, the
 * terms from user_consent, password auth on; no email (so no email flow, docs/real.md), rate
 * limits raised so the limiter is not what a case measures. Written as JSON, which YAML reads.
 */
export function writeSynapseConfig(dir: string, ports: DeploymentPorts, workerApp: string): void {
  mkdirSync(join(dir, 'consent', 'en'), { recursive: true });
  mkdirSync(join(dir, 'media_store'), { recursive: true });
  writeFileSync(join(dir, 'consent', 'en', '1.0.html'), '<!doctype html><html><body>Terms 1.0</body></html>\n');
  // An ed25519 seed in Synapse's signing-key file format (`--generate-keys` writes the same).
  const seed = randomBytes(32).toString('base64').replace(/=+$/, '');
  writeFileSync(join(dir, 'signing.key'), `ed25519 a_uias ${seed}\n`);
  const unlimited = { per_second: 100000, burst_count: 100000 };
  const homeserver = {
    server_name: SERVER_NAME,
    pid_file: join(dir, 'main.pid'),
    public_baseurl: `http://127.0.0.1:${ports.nginx}/`,
    report_stats: false,
    enable_registration: true,
    trusted_key_servers: [],
    suppress_key_server_warning: true,
    macaroon_secret_key: 'uiasim-macaroon-secret-not-for-production',
    form_secret: 'uiasim-form-secret-not-for-production',
    registration_shared_secret: 'uiasim-shared-secret',
    signing_key_path: join(dir, 'signing.key'),
    media_store_path: join(dir, 'media_store'),
    log_config: join(dir, 'main.log.config'),
    user_consent: { version: '1.0', template_dir: join(dir, 'consent'), require_at_registration: true },
    enable_registration_captcha: true,
    recaptcha_public_key: 'uiasim-public-key',
    recaptcha_private_key: 'uiasim-private-key',
    recaptcha_siteverify_api: `http://127.0.0.1:${ports.siteverify}/siteverify`,
    password_config: { enabled: true },
    rc_registration: unlimited,
    rc_message: unlimited,
    rc_login: { address: unlimited, account: unlimited, failed_attempts: unlimited },
    // One pooled connection a process (cp_max 1, Synapse's own setting for SQLite): how many a
    // process holds decides how many requests fail after a database restart (one 500 for each,
    // src/connection-pool.ts), and with more, that number followed the process's background work.
    // Twisted's pool adds a thread, with its connection, whenever transactions overlap, and hands
    // calls to its idle threads in no fixed order (its idle set's pop()). Conform on real 1.12.4 under
    // store-restart, each case on freshly started processes: two 500s in a row, each on a
    // connection of its own thread, where the model, one connection, has one.
    database: { name: 'psycopg2', args: { user: 'postgres', database: DATABASE_NAME, host: '127.0.0.1', port: ports.postgres, cp_min: 1, cp_max: 1 } },
    listeners: [
      { port: ports.main, tls: false, type: 'http', x_forwarded: true, bind_addresses: ['127.0.0.1'], resources: [{ names: ['client'], compress: false }] },
      { port: ports.replicationTcp, bind_addresses: ['127.0.0.1'], type: 'replication' },
      { port: ports.replicationHttp, bind_addresses: ['127.0.0.1'], type: 'http', resources: [{ names: ['replication'] }] },
    ],
  };
  writeFileSync(join(dir, 'homeserver.yaml'), JSON.stringify(homeserver, null, 2) + '\n');
  writeLogConfig(dir, 'main');
  WORKER_NAMES.forEach((name, i) => {
    const worker = {
      worker_app: workerApp,
      worker_name: name,
      worker_replication_host: '127.0.0.1',
      worker_replication_port: ports.replicationTcp,
      worker_replication_http_port: ports.replicationHttp,
      worker_pid_file: join(dir, `${name}.pid`),
      worker_log_config: join(dir, `${name}.log.config`),
      worker_listeners: [{ type: 'http', port: ports.workers[i], x_forwarded: true, bind_addresses: ['127.0.0.1'], resources: [{ names: ['client'] }] }],
    };
    writeFileSync(join(dir, `${name}.yaml`), JSON.stringify(worker, null, 2) + '\n');
    writeLogConfig(dir, name);
  });
}

function writeLogConfig(dir: string, name: string): void {
  const config = {
    version: 1,
    formatters: { precise: { format: '%(asctime)s - %(name)s - %(lineno)d - %(levelname)s - %(request)s - %(message)s' } },
    filters: { context: { '()': 'synapse.logging.context.LoggingContextFilter', request: '' } },
    handlers: { file: { class: 'logging.FileHandler', formatter: 'precise', filename: join(dir, `${name}.log`), filters: ['context'] } },
    root: { level: 'INFO', handlers: ['file'] },
    disable_existing_loggers: false,
  };
  writeFileSync(join(dir, `${name}.log.config`), JSON.stringify(config, null, 2) + '\n');
}
