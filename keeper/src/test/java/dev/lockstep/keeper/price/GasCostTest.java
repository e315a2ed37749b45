package dev.lockstep.keeper.price;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class GasCostTest {
  @Test
  void gasCostsItsUnitsTimesThePriceTimesTheEthMarkInBaseUnits() {
    // 200,000 gas at 1 gwei = 0.0002 ETH; at 3,000 USD per ETH: 0.60 USD = 600,000 base units.
    assertThat(GasCost.of(200_000, BigInteger.TEN.pow(9), new BigDecimal("3000")))
        .isEqualTo(BigInteger.valueOf(600_000));
    // 150,000 gas at 0.0137 gwei, ETH at 3,412.55: 7.0129...e-3 USD, rounded up to 7,013.
    assertThat(GasCost.of(150_000, BigInteger.valueOf(13_700_000), new BigDecimal("3412.55")))
        .isEqualTo(BigInteger.valueOf(7_013));
  }

  @Test
  void anyFractionOfABaseUnitIsChargedAsOne() {
    assertThat(GasCost.of(1, BigInteger.ONE, new BigDecimal("3000"))).isEqualTo(BigInteger.ONE);
    assertThat(GasCost.of(0, BigInteger.TEN.pow(9), new BigDecimal("3000")))
        .isEqualTo(BigInteger.ZERO);
  }
}
