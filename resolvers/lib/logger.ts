import { Logger } from '@aws-lambda-powertools/logger';

/** Structured JSON logs, one logger per function. */
export const logger = new Logger({ serviceName: 'learning-paths' });
