import type { LearningPath, QueryLearningPathArgs } from '../generated/graphql.js';
import { getLearningPath } from '../learning-paths/service.js';
import { resolver } from '../lib/appsync.js';
import { paths } from '../wiring/paths.js';
import { urls } from '../wiring/signers.js';

export const handler = resolver<QueryLearningPathArgs, LearningPath | null>((args) => getLearningPath({ paths, urls }, args));
