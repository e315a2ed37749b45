/**
 * The integrator-facing HTTP server: routes, conventions, OpenAPI document, management endpoints.
 */
@NullMarked
package dev.lockstep.api;

import org.jspecify.annotations.NullMarked;
