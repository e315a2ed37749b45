package dev.lockstep.api.wallet;

import dev.lockstep.api.ChainNames;
import dev.lockstep.api.ListPage;
import dev.lockstep.api.Params;
import dev.lockstep.api.RequestBodies;
import dev.lockstep.api.auth.Authenticator;
import dev.lockstep.api.error.ApiException;
import dev.lockstep.api.error.ErrorCode;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.web3j.utils.Numeric;

/**
 * Proof of control of a wallet: {@code POST /v1/wallet_challenges {wallet, chain?}} issues an
 * EIP-712 message for the wallet to sign; {@code POST /v1/wallet_links {challenge_id, signature}}
 * checks the signature and links the wallet to the tenant (201 new, 200 proven again); {@code GET
 * /v1/wallet_links[/{wallet}]} lists them. Until a wallet is linked, the tenant's key answers for
 * it exactly as for a wallet nobody knows.
 */
public final class WalletLinkRoutes {

  private final WalletLinks links;
  private final ChainNames chains;
  private final long defaultChainId;

  /**
   * @param defaultChainId the chain a challenge names when the request names none
   */
  public WalletLinkRoutes(WalletLinks links, ChainNames chains, long defaultChainId) {
    this.links = links;
    this.chains = chains;
    this.defaultChainId = defaultChainId;
  }

  /** {@code POST /v1/wallet_challenges}. */
  public record ChallengeRequest(String wallet, @Nullable String chain) {}

  /**
   * A challenge as the API shows it.
   *
   * @param typedData the EIP-712 typed data to sign ({@code eth_signTypedData_v4})
   * @param digest its 32-byte EIP-712 digest, 0x-hex, for signers that take a hash
   */
  public record ChallengeResource(
      String id,
      String object,
      String wallet,
      String chain,
      long chainId,
      String nonce,
      Instant issuedAt,
      Instant expiresAt,
      Map<String, Object> typedData,
      String digest) {}

  /** {@code POST /v1/wallet_links}. */
  public record ProofRequest(String challengeId, String signature) {}

  /**
   * A proven wallet link.
   *
   * @param method {@code eoa} (ecrecover) or {@code erc1271} (the wallet contract said so)
   */
  public record LinkResource(
      String object,
      String wallet,
      SignatureCheck.Method method,
      String chain,
      long chainId,
      String challengeId,
      Instant provenAt) {}

  public void challenge(Context ctx) {
    ChallengeRequest body = RequestBodies.read(ctx, ChallengeRequest.class);
    String wallet = Params.address("wallet", body.wallet());
    long chainId =
        Optional.ofNullable(body.chain())
            .map(
                name ->
                    chains
                        .idOf(name)
                        .orElseThrow(
                            () -> ApiException.invalidParam("chain", "No chain '" + name + "'")))
            .orElse(defaultChainId);
    WalletLinks.Challenge c = links.challenge(Authenticator.keyOf(ctx).tenantId(), wallet, chainId);
    WalletLinkMessage m = c.message();
    ctx.status(201)
        .json(
            new ChallengeResource(
                c.id(),
                "wallet_challenge",
                m.wallet(),
                chains.name(chainId),
                chainId,
                m.nonce(),
                m.issuedAt(),
                m.expiresAt(),
                m.typedData(),
                Numeric.toHexString(m.digest())));
  }

  public void prove(Context ctx) {
    ProofRequest body = RequestBodies.read(ctx, ProofRequest.class);
    if (body.challengeId() == null || body.challengeId().isBlank()) {
      throw ApiException.invalidParam("challenge_id", "'challenge_id' is required");
    }
    WalletLinks.Proven p =
        links.prove(
            Authenticator.keyOf(ctx).tenantId(),
            body.challengeId(),
            Params.signature("signature", body.signature()));
    ctx.status(p.created() ? 201 : 200).json(resource(p.link()));
  }

  public void list(Context ctx) {
    var all =
        links.links(Authenticator.keyOf(ctx).tenantId()).stream().map(this::resource).toList();
    ctx.json(ListPage.of(all, false, Optional.empty()));
  }

  public void get(Context ctx) {
    String wallet = Params.address("wallet", ctx.pathParam("wallet"));
    ctx.json(
        links
            .link(Authenticator.keyOf(ctx).tenantId(), wallet)
            .map(this::resource)
            .orElseThrow(
                () ->
                    new ApiException(
                        ErrorCode.WALLET_LINK_NOT_FOUND,
                        "No proven link to " + wallet,
                        Map.of("wallet", wallet))));
  }

  private LinkResource resource(WalletLinks.Link l) {
    return new LinkResource(
        "wallet_link",
        l.wallet(),
        l.method(),
        chains.name(l.chainId()),
        l.chainId(),
        l.challengeId(),
        l.provenAt());
  }
}
