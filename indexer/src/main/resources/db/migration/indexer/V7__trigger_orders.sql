-- Trigger sells (OrderBook.OrderTriggerSet, emitted with OrderCreated): stop-loss and take-profit
-- orders are created 'armed' and become active (or queued) when the keeper triggers them
-- (OrderTriggered). An OCO pair is two such orders naming each other as oco_peer. A take-profit
-- also carries its price as limit_price (the book enforces it as a limit sell); both kinds carry
-- good_till. triggered_block and trigger_mark are set by OrderTriggered (and cleared by a rollback
-- below that block).
ALTER TABLE orders DROP CONSTRAINT orders_status_check;
ALTER TABLE orders ADD CONSTRAINT orders_status_check
  CHECK (status IN ('armed', 'queued', 'active', 'settled', 'cancelled'));
ALTER TABLE orders
  ADD COLUMN trigger_kind    text CHECK (trigger_kind IN ('stop_loss', 'take_profit')),
  ADD COLUMN trigger_price   numeric(78,0),
  ADD COLUMN oco_peer        bigint,
  ADD COLUMN triggered_block bigint,
  ADD COLUMN trigger_mark    numeric(78,0);
ALTER TABLE order_events DROP CONSTRAINT order_events_event_check;
ALTER TABLE order_events ADD CONSTRAINT order_events_event_check
  CHECK (event IN ('created', 'triggered', 'promoted', 'settled', 'cancelled'));
