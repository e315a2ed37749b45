-- Mint orders beside redeems, and what every order's terms and settle say about money
-- (OrderBook.OrderTermsSet at creation, OrderBook.OrderCharged at settle).
-- For a mint, payout_token is the stablecoin paid in, min_notional the maximum notional
-- (gross + broker costs) and payout the refund to the owner.
ALTER TABLE orders DROP CONSTRAINT orders_side_check;
ALTER TABLE orders ADD CONSTRAINT orders_side_check CHECK (side IN ('redeem', 'mint'));
-- asset_symbol: a mint's asset (OrderBook.MintAsset), whose token may not be deployed yet.
ALTER TABLE orders
  ADD COLUMN asset_symbol            text,
  ADD COLUMN platform_fee_bps        integer,
  ADD COLUMN developer_fee_bps       integer,
  ADD COLUMN developer_fee_recipient text,
  ADD COLUMN gas_sponsor             text CHECK (gas_sponsor IN ('user_notional', 'developer')),
  ADD COLUMN max_gas                 numeric(78,0),
  ADD COLUMN locked                  numeric(78,0),
  ADD COLUMN costs                   numeric(78,0),
  ADD COLUMN platform_fee            numeric(78,0),
  ADD COLUMN developer_fee           numeric(78,0),
  ADD COLUMN gas_charged             numeric(78,0);
