/**
 * AWS calls per operation, counted by an SDK middleware on the functions' own module-level clients
 * while the GraphQL operations run end to end through the local AppSync.
 */
import type { MiddlewareStack } from '@smithy/types';

/** Every command sent by the counted clients since the last reset, by name. */
export class CallCounter {
  private calls: string[] = [];

  /** One count per command sent (SDK retries of a command are not extra calls here; the flow injects no faults). */
  attach<I extends object, O extends object>(client: { middlewareStack: MiddlewareStack<I, O> }, service: string): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        this.calls.push(`${service}.${String(context.commandName).replace(/Command$/, '')}`);
        return next(args);
      },
      { step: 'initialize', name: `benchCallCounter${service}` },
    );
  }

  reset(): void {
    this.calls = [];
  }

  take(): string[] {
    const calls = this.calls;
    this.calls = [];
    return calls;
  }
}

/** The original REST design's AWS calls per operation, from the issue. */
export const REST_DESIGN_CALLS: Record<string, number> = {
  createLearningPath: 1,
  learningPath: 1,
  updateLearningPath: 1,
  deleteLearningPath: 3,
  addLearningPathMedia: 3,
};

/**
 * The targets per operation (at most). A delete reads the path first so that a lost answer can be
 * settled without mistaking a re-created path for it (docs/guarantees.md): one call more than before.
 */
export const CALL_TARGETS: Record<string, number> = {
  createLearningPath: 1,
  learningPath: 1,
  updateLearningPath: 1,
  deleteLearningPath: 3,
  addLearningPathMedia: 3,
};
