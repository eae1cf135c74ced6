import { v4 as uuidv4 } from 'uuid';
import { logger } from '../lib/logger.js';

export const now = (): string => new Date().toISOString();
export const newId = (): string => uuidv4();
export const warn = (message: string, details: Record<string, unknown>): void => logger.warn(message, details);
