/** API keys, tenants and Bearer authentication. */
@NullMarked
package dev.lockstep.api.auth;

import org.jspecify.annotations.NullMarked;
