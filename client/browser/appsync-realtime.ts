/**
 * A browser client of the AppSync real-time protocol (subprotocol `graphql-ws`; the auth headers go
 * base64-encoded in the `header` query parameter and again in each subscription's extensions), as
 * AppSync documents it and the local stack serves it. One WebSocket carries every subscription; when
 * it drops, the client reconnects and starts them again.
 */

/** The headers that authorize the connection, as for an HTTP request (without `host`). */
export type RealtimeAuth = Record<string, string>;

export interface SubscriptionObserver<T> {
  next(data: T): void;
  /** The subscription was refused or failed; it is over. */
  error?(error: Error): void;
}

/** What the client reports about its connection: live, or reconnecting after a drop. */
export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'closed';

interface Message {
  type: string;
  id?: string;
  payload?: {
    data?: unknown;
    errors?: { message?: string; errorType?: string }[];
    /** AppSync's name; the local simulator says `connectionTimeout`. */
    connectionTimeoutMs?: number;
    connectionTimeout?: number;
  };
}

interface Active {
  query: string;
  variables: Record<string, unknown>;
  observer: SubscriptionObserver<unknown>;
}

const RECONNECT_DELAY_MS = 2000;

const base64 = (value: unknown) => btoa(JSON.stringify(value));

export class AppSyncRealtimeClient {
  private socket: WebSocket | undefined;
  private readonly active = new Map<string, Active>();
  private state: ConnectionState = 'closed';
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private keepAliveTimer: ReturnType<typeof setTimeout> | undefined;
  private keepAliveTimeoutMs = 300_000;

  /**
   * @param realtimeUrl the API's real-time endpoint, e.g. ws://localhost:20002/graphql/realtime
   * @param auth the headers of the auth mode to use (`x-api-key` or `Authorization`)
   * @param onState told whenever the connection goes up or down, for the page to show it
   */
  constructor(
    private readonly realtimeUrl: string,
    private readonly auth: RealtimeAuth,
    private readonly onState: (state: ConnectionState) => void = () => undefined,
  ) {}

  /** Starts a subscription; the function returned stops it. */
  subscribe<T>(query: string, variables: Record<string, unknown>, observer: SubscriptionObserver<T>): () => void {
    const id = crypto.randomUUID();
    this.active.set(id, { query, variables, observer: observer as SubscriptionObserver<unknown> });
    if (this.state === 'live') this.start(id);
    else if (this.state === 'closed') this.connect();
    return () => {
      if (!this.active.delete(id)) return;
      if (this.state === 'live') this.send({ type: 'stop', id });
      if (this.active.size === 0) this.close();
    };
  }

  /** Closes the connection and forgets every subscription. */
  close(): void {
    this.active.clear();
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.keepAliveTimer);
    const socket = this.socket;
    this.socket = undefined;
    socket?.close();
    this.setState('closed');
  }

  private get authHeader(): RealtimeAuth {
    return { host: new URL(this.realtimeUrl).host, ...this.auth };
  }

  private setState(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    this.onState(state);
  }

  private connect(): void {
    this.setState(this.state === 'reconnecting' ? 'reconnecting' : 'connecting');
    const socket = new WebSocket(`${this.realtimeUrl}?header=${encodeURIComponent(base64(this.authHeader))}&payload=e30=`, 'graphql-ws');
    this.socket = socket;
    socket.addEventListener('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
    socket.addEventListener('message', (event) => this.receive(JSON.parse(String(event.data)) as Message));
    socket.addEventListener('close', () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      clearTimeout(this.keepAliveTimer);
      if (this.active.size === 0) return this.setState('closed');
      this.setState('reconnecting');
      this.reconnectTimer = setTimeout(() => this.connect(), RECONNECT_DELAY_MS);
    });
  }

  private receive(message: Message): void {
    const subscription = message.id === undefined ? undefined : this.active.get(message.id);
    switch (message.type) {
      case 'connection_ack':
        this.setState('live');
        this.keepAlive(message.payload?.connectionTimeoutMs ?? message.payload?.connectionTimeout);
        for (const id of this.active.keys()) this.start(id);
        return;
      case 'ka':
        this.keepAlive();
        return;
      case 'data':
        subscription?.observer.next(message.payload?.data);
        return;
      case 'error':
        if (subscription && message.id !== undefined) {
          this.active.delete(message.id);
          const reason = message.payload?.errors?.map((error) => error.message ?? error.errorType).join('; ');
          subscription.observer.error?.(new Error(reason || 'The subscription was refused'));
        }
        return;
    }
  }

  /** AppSync sends `ka` regularly; silence for longer than it promised means the connection is dead. */
  private keepAlive(timeoutMs?: number): void {
    if (timeoutMs !== undefined) this.keepAliveTimeoutMs = timeoutMs;
    clearTimeout(this.keepAliveTimer);
    this.keepAliveTimer = setTimeout(() => this.socket?.close(), this.keepAliveTimeoutMs);
  }

  private start(id: string): void {
    const subscription = this.active.get(id);
    if (!subscription) return;
    const data = JSON.stringify({ query: subscription.query, variables: subscription.variables });
    this.send({ id, type: 'start', payload: { data, extensions: { authorization: this.authHeader } } });
  }

  private send(message: object): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }
}
