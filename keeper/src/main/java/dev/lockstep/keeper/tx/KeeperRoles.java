package dev.lockstep.keeper.tx;

import dev.lockstep.contracts.generated.AssetTokenFactory;
import dev.lockstep.contracts.generated.OrderBook;
import java.util.ArrayList;
import java.util.List;
import org.web3j.protocol.Web3j;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * What the keeper's key may hold on chain. Every on-chain role has its own key: the keeper key
 * holds the order book's KEEPER_ROLE and nothing that mints or administers, so a stolen keeper key
 * can promote, settle (only at a fill the broker's attester signed) and cancel, never mint or grant
 * itself more.
 */
public final class KeeperRoles {
  private static final byte[] DEFAULT_ADMIN_ROLE = new byte[32];

  private KeeperRoles() {}

  /**
   * The roles {@code keeper} must not hold but does, read at the latest block: the factory's
   * MINTER_ROLE, PAUSER_ROLE, RESERVE_ATTESTER_ROLE and DEFAULT_ADMIN_ROLE and the order book's
   * ATTESTER_ROLE and DEFAULT_ADMIN_ROLE (the factory is the one the order book names): with an
   * attester role the keeper could vouch for the fills or reserves it then acts on. Empty when the
   * key is clean.
   *
   * @throws Exception when the node cannot answer the calls
   */
  public static List<String> forbiddenHeld(Web3j web3j, String orderBook, String keeper)
      throws Exception {
    var readOnly = new ReadonlyTransactionManager(web3j, keeper);
    var gas = new DefaultGasProvider();
    OrderBook book = OrderBook.load(orderBook, web3j, readOnly, gas);
    AssetTokenFactory factory = AssetTokenFactory.load(book.factory().send(), web3j, readOnly, gas);
    List<String> held = new ArrayList<>();
    if (factory.hasRole(factory.MINTER_ROLE().send(), keeper).send()) {
      held.add("MINTER_ROLE on the factory " + factory.getContractAddress());
    }
    if (factory.hasRole(factory.PAUSER_ROLE().send(), keeper).send()) {
      held.add("PAUSER_ROLE on the factory " + factory.getContractAddress());
    }
    if (factory.hasRole(dev.lockstep.contracts.ReserveReport.ATTESTER_ROLE, keeper).send()) {
      held.add("RESERVE_ATTESTER_ROLE on the factory " + factory.getContractAddress());
    }
    if (book.hasRole(book.ATTESTER_ROLE().send(), keeper).send()) {
      held.add("ATTESTER_ROLE on the order book " + orderBook);
    }
    if (factory.hasRole(DEFAULT_ADMIN_ROLE, keeper).send()) {
      held.add("DEFAULT_ADMIN_ROLE on the factory " + factory.getContractAddress());
    }
    if (book.hasRole(DEFAULT_ADMIN_ROLE, keeper).send()) {
      held.add("DEFAULT_ADMIN_ROLE on the order book " + orderBook);
    }
    return held;
  }
}
