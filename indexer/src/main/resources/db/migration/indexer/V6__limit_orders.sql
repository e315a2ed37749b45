-- Limit orders (OrderBook.OrderLimitSet, emitted with OrderCreated): the limit price (stablecoin
-- base units per whole share: a redeem settles at or above it, a mint at or below) and the last
-- second the order may settle. NULL for a market order.
ALTER TABLE orders
  ADD COLUMN limit_price numeric(78,0),
  ADD COLUMN good_till   timestamptz;
