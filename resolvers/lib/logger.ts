import { Logger } from '@aws-lambda-powertools/logger';

/**
 * Structured JSON logs, one logger per function (Powertools Logger: POWERTOOLS_SERVICE_NAME and
 * POWERTOOLS_LOG_LEVEL). Handlers log only failures. Its import cost is measured by `npm run bench`.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'learning-paths' });
