import { inject } from 'vitest';
import { localFunctionEnvironment } from '../../infra/local/stack.js';

/**
 * Gives handler modules imported by a test the environment the local stack gives them, so that
 * integration tests call the same modules against DynamoDB Local and s3rver.
 */
Object.assign(process.env, localFunctionEnvironment(inject('localStack')), { POWERTOOLS_LOG_LEVEL: 'SILENT' });
