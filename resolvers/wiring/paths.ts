import { DynamoDbLearningPathStore } from '../learning-paths/dynamodb-store.js';
import { config } from '../lib/config.js';
import { documentClient } from '../lib/dynamodb.js';

/** The learning-path records of this deployment. */
export const paths = new DynamoDbLearningPathStore(documentClient, config.tableName);
