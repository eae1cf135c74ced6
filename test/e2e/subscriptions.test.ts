import { describe, expect, it } from 'vitest';
import { CreateLearningPathDocument, OnUpdateLearningPathDocument, UpdateLearningPathDocument } from '../../client/generated/operations.js';
import { graphql } from '../support/graphql.js';
import { subscribe } from '../support/realtime.js';

const FIELDS = 'id name version';

describe('subscriptions over the AppSync real-time WebSocket', () => {
  it('delivers create, update (also from addLearningPathMedia) and delete events', async () => {
    const onCreate = await subscribe(`subscription { onCreateLearningPath { ${FIELDS} } }`);
    const created = await graphql(`mutation { createLearningPath(input: { name: "Live" }) { ${FIELDS} } }`);
    const id = created.data?.createLearningPath.id as string;
    const createEvent = await onCreate.nextEvent((data) => (data.onCreateLearningPath as { id: string }).id === id);
    expect(createEvent.onCreateLearningPath).toEqual({ id, name: 'Live', version: 1 });
    onCreate.close();

    const onUpdate = await subscribe(`subscription ($id: ID) { onUpdateLearningPath(id: $id) { ${FIELDS} } }`, { id });
    const onDelete = await subscribe(`subscription ($id: ID) { onDeleteLearningPath(id: $id) { ${FIELDS} } }`, { id });
    await graphql(`mutation ($id: ID!) { updateLearningPath(input: { id: $id, name: "Live 2" }) { ${FIELDS} } }`, { id });
    expect((await onUpdate.nextEvent()).onUpdateLearningPath).toEqual({ id, name: 'Live 2', version: 2 });

    const gif = 'R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';
    await graphql(`mutation ($id: ID!, $c: String) { addLearningPathMedia(input: { id: $id, content: $c }) { ${FIELDS} } }`, {
      id,
      c: gif,
    });
    expect(
      (await onUpdate.nextEvent((data) => (data.onUpdateLearningPath as { version: number }).version === 3)).onUpdateLearningPath,
    ).toEqual({
      id,
      name: 'Live 2',
      version: 3,
    });

    await graphql(`mutation ($id: ID!) { deleteLearningPath(id: $id) { ${FIELDS} } }`, { id });
    expect((await onDelete.nextEvent()).onDeleteLearningPath).toEqual({ id, name: 'Live 2', version: 3 });
    onUpdate.close();
    onDelete.close();
  });

  it('filters update events by id', async () => {
    const [a, b] = await Promise.all(
      ['A', 'B'].map(async (name) => (await graphql(CreateLearningPathDocument, { input: { name } })).data?.createLearningPath.id ?? ''),
    );
    const onUpdateA = await subscribe(String(OnUpdateLearningPathDocument), { id: a });
    await graphql(UpdateLearningPathDocument, { input: { id: b ?? '', name: 'B2' } });
    const updated = await graphql(UpdateLearningPathDocument, { input: { id: a ?? '', name: 'A2' } });
    const event = await onUpdateA.nextEvent();
    expect(event.onUpdateLearningPath).toEqual(updated.data?.updateLearningPath);
    expect(event.onUpdateLearningPath).toMatchObject({ id: a, name: 'A2', version: 2 });
    onUpdateA.close();
  });
});
