package dev.lockstep.indexer.sync;

import dev.lockstep.indexer.model.StoredEnum;

/** A chain's {@code newHeads} websocket subscription. */
public enum WebsocketState implements StoredEnum {
  /** Subscribed: new heads arrive as they are mined. */
  CONNECTED,
  /** Configured but down: the follower polls meanwhile and reconnects. */
  DOWN,
  /** No {@code ws_url} configured: the follower polls. */
  OFF
}
