/**
 * Structured JSON logs, one line per entry, in the shape Powertools Logger writes (level, message,
 * timestamp, service, details). Handlers log only failures, so this small writer replaces Powertools
 * Logger, whose start-up cost measured about a tenth of a DynamoDB-only function's import
 * (bench/RESULTS.md). Reads the same variables: POWERTOOLS_SERVICE_NAME and POWERTOOLS_LOG_LEVEL.
 */

const LEVELS = { DEBUG: 8, INFO: 12, WARN: 16, ERROR: 20, SILENT: 28 } as const;
export type LogLevel = keyof typeof LEVELS;

function levelFrom(value: string | undefined): LogLevel {
  const upper = value?.toUpperCase();
  return upper !== undefined && upper in LEVELS ? (upper as LogLevel) : 'INFO';
}

/** Errors as plain data: JSON.stringify drops an Error's own fields. */
function serialisable(details: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(details)) {
    out[key] = value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value;
  }
  return out;
}

export class JsonLogger {
  private level: LogLevel;

  constructor(
    private readonly service: string,
    level?: string,
  ) {
    this.level = levelFrom(level);
  }

  setLogLevel(level: LogLevel): void {
    this.level = level;
  }

  warn(message: string, details: Record<string, unknown> = {}): void {
    this.write('WARN', message, details);
  }

  error(message: string, details: Record<string, unknown> = {}): void {
    this.write('ERROR', message, details);
  }

  private write(level: LogLevel, message: string, details: Record<string, unknown>): void {
    if (LEVELS[level] < LEVELS[this.level]) return;
    const entry = { level, message, timestamp: new Date().toISOString(), service: this.service, ...serialisable(details) };
    process.stdout.write(`${JSON.stringify(entry)}\n`);
  }
}

/** One logger per function. */
export const logger = new JsonLogger(process.env.POWERTOOLS_SERVICE_NAME ?? 'learning-paths', process.env.POWERTOOLS_LOG_LEVEL);
