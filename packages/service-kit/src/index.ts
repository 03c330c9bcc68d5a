// @oip/service-kit: the pieces every service shares that need no Fastify.
export { ConfigError, CONFIG_ERROR_CODE } from './config-error.js';
export { envNameOf, firstSet, parseEnvValue, readEnv, splitList, validateConfig } from './env.js';
export type { Env, EnvField, EnvSpec } from './env.js';
export { withDeadline } from './deadline.js';
export { isLoopbackHost } from './loopback.js';
export { jsonProblem } from './json-guard.js';
export type { JsonProblem } from './json-guard.js';
export { defaultNodeId } from './node-id.js';
export {
  ensurePrivateDir,
  ensurePrivateFile,
  ensurePrivateSqliteFile,
  PRIVATE_DIR_MODE,
  PRIVATE_FILE_MODE,
} from './private-files.js';
export { checkRedisUrl } from './redis-url.js';
export { TrustProxySchema, checkTrustProxy, parseTrustProxy } from './trust-proxy.js';
export type { TrustProxy } from './trust-proxy.js';
export { plainJsonEsHeaders, withPlainJsonEs } from './elasticsearch-media-types.js';
export { checkClusterPrefix, hashTagOf, parseRedisClusterNodes } from './redis-cluster-config.js';
export { LOG_LEVELS, LogLevelSchema, REDACT_PATHS } from './log.js';
export { loadEnvFiles, PORT_IN_USE_EXIT_CODE, portInUseLine, runMain, startFailureLine } from './run-main.js';
export type { Closable, RunMainOptions } from './run-main.js';
export { intFlag, UsageError, USAGE_ERROR_CODE, USAGE_EXIT_CODE } from './cli.js';
export { createCli, withExample } from './cli-program.js';
export type { CliAction, CliIo, CliProgram } from './cli-program.js';
