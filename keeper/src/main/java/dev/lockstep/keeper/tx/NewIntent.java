package dev.lockstep.keeper.tx;

/**
 * An order call to enqueue.
 *
 * @param key idempotency key; an intent with this key already enqueued is left untouched
 * @param target the called contract, 0x-hex
 * @param callData ABI-encoded call, 0x-hex
 * @param generation see {@link Intent#generation()}
 */
public record NewIntent(
    String key, String target, String callData, TxAction action, long orderId, int generation) {}
