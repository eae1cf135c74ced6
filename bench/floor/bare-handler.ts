/** A handler with no dependencies at all: what bundling and ESM loading alone cost. */
export const handler = async (event: { arguments: unknown }) => ({ data: event.arguments });
