/**
 * What each daemon keeps in memory between requests, and how it learns of changes made by the
 * others: one PostgreSQL {@code LISTEN} connection per daemon ({@link
 * dev.lockstep.api.cache.Notifications}) and the tenants' read cache ({@link
 * dev.lockstep.api.cache.TenantReads}). The key cache ({@code auth.KeyCache}) listens through the
 * same connection.
 */
@NullMarked
package dev.lockstep.api.cache;

import org.jspecify.annotations.NullMarked;
