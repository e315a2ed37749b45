package dev.lockstep.keeper.tx;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class NodeAnswerAndFeesTest {
  @Test
  void nodeRefusalsAreClassifiedAcrossClients() {
    assertThat(NodeAnswer.classify("already known")).isEqualTo(NodeAnswer.ALREADY_KNOWN); // geth
    assertThat(NodeAnswer.classify("Known transaction")).isEqualTo(NodeAnswer.ALREADY_KNOWN);
    assertThat(NodeAnswer.classify("AlreadyKnown"))
        .isEqualTo(NodeAnswer.ALREADY_KNOWN); // nethermind
    assertThat(NodeAnswer.classify("nonce too low: next nonce 7, tx nonce 5"))
        .isEqualTo(NodeAnswer.NONCE_USED);
    assertThat(NodeAnswer.classify("OldNonce")).isEqualTo(NodeAnswer.NONCE_USED);
    assertThat(NodeAnswer.classify("replacement transaction underpriced"))
        .isEqualTo(NodeAnswer.UNDERPRICED);
    assertThat(NodeAnswer.classify("transaction underpriced")).isEqualTo(NodeAnswer.UNDERPRICED);
    assertThat(NodeAnswer.classify("max fee per gas less than block base fee"))
        .isEqualTo(NodeAnswer.RETRY);
    assertThat(NodeAnswer.classify("insufficient funds for gas * price + value"))
        .isEqualTo(NodeAnswer.RETRY);
    assertThat(NodeAnswer.classify("exceeds block gas limit")).isEqualTo(NodeAnswer.GIVE_UP);
    assertThat(NodeAnswer.classify("intrinsic gas too low")).isEqualTo(NodeAnswer.GIVE_UP);
  }

  @Test
  void aBumpRaisesBothFeesByThePercentRoundedUpAndNeverBelowTheMarket() {
    Fees paid = new Fees(BigInteger.valueOf(1_000_000_001), BigInteger.valueOf(101));
    Fees quiet = new Fees(BigInteger.ONE, BigInteger.ONE);
    assertThat(paid.bumped(10, quiet))
        .isEqualTo(new Fees(BigInteger.valueOf(1_100_000_002), BigInteger.valueOf(112)));
    Fees busy = new Fees(BigInteger.valueOf(5_000_000_000L), BigInteger.valueOf(2_000_000_000L));
    assertThat(paid.bumped(10, busy)).isEqualTo(busy);
    assertThat(busy.within(BigInteger.valueOf(5_000_000_000L))).isTrue();
    assertThat(busy.within(BigInteger.valueOf(4_999_999_999L))).isFalse();
  }

  @Test
  void onlyStatusErrorsOfAnOrderAlreadyMovedOnAreDoneByOther() {
    var settled =
        new RevertDecoder.DecodedError(
            "OrderBookOrderNotActive", java.util.List.of(BigInteger.ONE, BigInteger.valueOf(3)));
    var queued =
        new RevertDecoder.DecodedError(
            "OrderBookOrderNotActive", java.util.List.of(BigInteger.ONE, BigInteger.ONE));
    var promoted =
        new RevertDecoder.DecodedError(
            "OrderBookOrderNotQueued", java.util.List.of(BigInteger.ONE, BigInteger.TWO));
    var belowMin =
        new RevertDecoder.DecodedError(
            "OrderBookPayoutBelowMinimum",
            java.util.List.of(BigInteger.ONE, BigInteger.valueOf(500_000_000), BigInteger.TEN));
    assertThat(OrderBookCalls.alreadyDone(settled)).isTrue();
    assertThat(OrderBookCalls.alreadyDone(queued)).isFalse();
    assertThat(OrderBookCalls.alreadyDone(promoted)).isTrue();
    assertThat(OrderBookCalls.alreadyDone(belowMin)).isFalse();
  }
}
